/**
 * The last-callers repository, `storage.callers`: the list of recent logins a board shows.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const alice = await storage.users.create({ username: "Alice", passwordHash: "h" });
 * await storage.callers.add({ username: "Horrid", loginAt: new Date("1998-08-20") });
 * await storage.users.recordLogin(alice.id);
 * const recent = await storage.callers.recent(10);
 * assert.deepEqual(recent.map((c) => c.username), ["Alice", "Horrid"]);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type { LastCaller, NewLastCaller } from "../records.ts";
import * as ops from "../ops/users.ts";

/** Last callers: `storage.callers`, and `tx.callers` in a transaction. */
export interface Callers {
  /** The most recent logins recorded by `users.recordLogin`, newest first; `limit` 1–1000, default 10. */
  recent(limit?: number): Promise<LastCaller[]>;
  /**
   * Adds a call from another board's history to the last-callers list, at its own time,
   * counting nothing (for imports); `constraint` when `userId` names no user.
   */
  add(input: NewLastCaller): Promise<LastCaller>;
}

/** The operations behind {@linkcode Callers}: each method's operation, taking the executor first. */
export const CALLERS: Definition<Callers> = {
  recent: ops.lastCallers,
  add: ops.addLastCaller,
};
