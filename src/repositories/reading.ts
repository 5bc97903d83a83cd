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
 * const bob = await storage.users.create({ username: "Bob", passwordHash: "h" });
 * const general = await storage.messageAreas.create({ tag: "GENERAL", name: "General" });
 * for (const subject of ["One", "Two"]) {
 *   await storage.messages.post({ areaId: general.id, fromUserId: bob.id, subject, body: "b" });
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
import type {
  Message,
  NewScanEntry,
  NewScanOptions,
  ReadNextOptions,
  SetPointersByDateOptions,
} from "../records.ts";
import * as ops from "../ops/areas.ts";

/** Last-read pointers and the new-scan: `storage.reading`, and `tx.reading` in a transaction. */
export interface Reading {
  /**
   * Moves a user's last-read pointer forward (never back), clamped to the area's high-water mark;
   * returns the pointer.
   */
  markRead(userId: number, areaId: number, msgNum: number): Promise<number>;
  /** A user's last-read pointer in an area: 0 when they have read nothing there. */
  pointer(userId: number, areaId: number): Promise<number>;
  /**
   * Sets a user's last-read pointer either way, clamped to 0…the area's high-water mark;
   * returns the pointer (setting it below a message marks that message unread).
   */
  setPointer(userId: number, areaId: number, msgNum: number): Promise<number>;
  /**
   * Sets each of a user's pointers to the last message posted before `date` (by `createdAt`;
   * 0 where none was), in every area or in `areaIds` (each must exist); returns how many pointers
   * were set.
   */
  setPointersByDate(
    userId: number,
    date: Date,
    options?: SetPointersByDateOptions,
  ): Promise<number>;
  /**
   * Puts an area in a user's new-scan or leaves it out (every area is in it until the user says
   * otherwise); the pointer stays as it is.
   */
  setScanned(userId: number, areaId: number, scanned: boolean): Promise<void>;
  /**
   * The scanned public areas with unread messages above the user's pointer, by area id: unread
   * is the high-water mark minus the pointer, less the user's own messages above the pointer
   * (counted on an index; `{ includeOwn: true }` counts them as unread). Areas left out with
   * `setScanned(…, false)` are not listed.
   */
  newScan(userId: number, options?: NewScanOptions): Promise<NewScanEntry[]>;
  /**
   * The next messages above the user's pointer, by number, but for the user's own
   * (`{ includeOwn: true }` keeps them); the pointer does not move. `not_found` when the user
   * does not exist (as for `newScan`).
   */
  readNext(
    userId: number,
    areaId: number,
    options?: ReadNextOptions,
  ): Promise<Message[]>;
}

/** The operations behind {@linkcode Reading}: each method's operation, taking the executor first. */
export const READING: Definition<Reading> = {
  markRead: ops.markRead,
  pointer: ops.pointer,
  setPointer: ops.setPointer,
  setPointersByDate: ops.setPointersByDate,
  setScanned: ops.setScanned,
  newScan: ops.newScan,
  readNext: ops.readNext,
};
