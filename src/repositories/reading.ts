/**
 * The reading repository, `storage.reading`: each user's last-read pointer per message area,
 * the new-scan, and reading on from the pointer.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const alice = await storage.users.create({ username: "Alice", passwordHash: "h" });
 * const general = await storage.messageAreas.create({ tag: "GENERAL", name: "General" });
 * for (const subject of ["One", "Two"]) {
 *   await storage.messages.post({ areaId: general.id, fromUserId: alice.id, subject, body: "b" });
 * }
 * assert.equal(await storage.reading.markRead(alice.id, general.id, 1), 1);
 * const next = await storage.reading.readNext(alice.id, general.id);
 * assert.deepEqual(next.map((m) => m.subject), ["Two"]);
 * assert.equal((await storage.reading.newScan(alice.id)).length, 1);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type { LimitOptions, Message, NewScanEntry } from "../records.ts";
import * as ops from "../ops/areas.ts";

/** Last-read pointers and the new-scan: `storage.reading`, and `tx.reading` in a transaction. */
export interface Reading {
  /** Moves a user's last-read pointer forward (never back); returns the pointer. */
  markRead(userId: number, areaId: number, msgNum: number): Promise<number>;
  /** The areas with messages above the user's pointer, read from pointers and high-water marks alone. */
  newScan(userId: number): Promise<NewScanEntry[]>;
  /**
   * The next messages above the user's pointer, by number; the pointer does not move.
   * `not_found` when the user does not exist (as for `newScan`).
   */
  readNext(
    userId: number,
    areaId: number,
    options?: LimitOptions,
  ): Promise<Message[]>;
}

/** The operations behind {@linkcode Reading}: each method's operation, taking the executor first. */
export const READING: Definition<Reading> = {
  markRead: ops.markRead,
  newScan: ops.newScan,
  readNext: ops.readNext,
};
