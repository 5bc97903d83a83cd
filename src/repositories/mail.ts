/**
 * The mail repository, `storage.mail`: the messages addressed to a user.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const alice = await storage.users.create({ username: "Alice", passwordHash: "h" });
 * const bob = await storage.users.create({ username: "Bob", passwordHash: "h" });
 * const email = await storage.messageAreas.create({ tag: "EMAIL", name: "E-mail", kind: "private" });
 * const note = await storage.messages.post({
 *   areaId: email.id,
 *   fromUserId: alice.id,
 *   toUserId: bob.id,
 *   subject: "Hi",
 *   body: "Lunch?",
 * });
 * assert.deepEqual(await storage.mail.listFor(bob.id), [note]);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type { AfterOptions, Message } from "../records.ts";
import * as ops from "../ops/messages.ts";

/** Mail: `storage.mail`, and `tx.mail` in a transaction. */
export interface Mail {
  /** Messages addressed to a user, by ascending id. */
  listFor(userId: number, options?: AfterOptions): Promise<Message[]>;
}

/** The operations behind {@linkcode Mail}: each method's operation, taking the executor first. */
export const MAIL: Definition<Mail> = {
  listFor: ops.listMailFor,
};
