/**
 * The event log repository, `storage.events`: what happened on the board (logins, uploads,
 * door runs), who did it and when, kept in the storage, listed newest first, counted, ranked by
 * user, and pruned.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const alice = await storage.users.create({ username: "Alice", passwordHash: "h" });
 * const bob = await storage.users.create({ username: "Bob", passwordHash: "h" });
 * await storage.events.append({ kind: "file.upload", userId: alice.id, data: { file: "DOOM.ZIP" } });
 * await storage.events.append({ kind: "file.upload", userId: bob.id });
 * await storage.events.append({ kind: "file.upload", userId: bob.id });
 * await storage.events.append({ kind: "door.run", userId: alice.id, data: "LORD" });
 * const [newest] = await storage.events.list({ userId: alice.id });
 * assert.equal(newest?.kind, "door.run");
 * assert.equal(await storage.events.count({ kind: "file.upload" }), 3);
 * assert.deepEqual(await storage.events.top({ kind: "file.upload" }), [
 *   { userId: bob.id, count: 2 },
 *   { userId: alice.id, count: 1 },
 * ]);
 * assert.equal(await storage.events.prune({ keep: 1 }), 3);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  EventCount,
  EventFilter,
  ListEventsOptions,
  LogEvent,
  NewEvent,
  PruneEventsOptions,
  TopEventsOptions,
} from "../records.ts";
import * as ops from "../ops/events.ts";

/**
 * The event log: `storage.events`, and `tx.events` in a transaction. Kinds are dotted
 * lower-case words (`login`, `file.upload`, `door.run`: a–z, 0–9 and `_`, each word starting
 * with a letter, 1–64 characters); data is any JSON value, at most 64 KiB as JSON, as settings
 * hold. Deleting a user or a session keeps its events, with `userId` or `sessionId` set to `null`.
 */
export interface Events {
  /**
   * Appends an event at the current time and returns it; `constraint` naming `userId` or
   * `sessionId` when either names nothing.
   */
  append(input: NewEvent): Promise<LogEvent>;
  /** Events matching the filter, newest first (by time, then id); at most `limit` (100). */
  list(options?: ListEventsOptions): Promise<LogEvent[]>;
  /** How many events match the filter. */
  count(filter?: EventFilter): Promise<number>;
  /**
   * Users ranked by how many events of a kind they have (since `after`), most first, ties by
   * ascending user id; events without a user do not count. At most `limit` (10) users.
   */
  top(options: TopEventsOptions): Promise<EventCount[]>;
  /**
   * Removes old events and returns how many went: those older than `olderThan`, or beyond the
   * newest `keep`; with both, only those older than `olderThan` and beyond the newest `keep`.
   * Giving neither is refused as `validation`.
   */
  prune(options: PruneEventsOptions): Promise<number>;
}

/** The operations behind {@linkcode Events}: each method's operation, taking the executor first. */
export const EVENTS: Definition<Events> = {
  append: ops.appendEvent,
  list: ops.listEvents,
  count: ops.countEvents,
  top: ops.topEvents,
  prune: ops.pruneEvents,
};
