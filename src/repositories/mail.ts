/**
 * The mail repository, `storage.mail`: the letters of private areas addressed to a user (the
 * inbox, its unread count, received times), the letters a user sent, and the messages addressed
 * to a name in any area (echomail "to me").
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
 *
 * // The logon screen: "you have 1 new letter".
 * assert.equal(await storage.mail.unreadCount(bob.id), 1);
 * assert.deepEqual(await storage.mail.inbox(bob.id, { unreadOnly: true }), [note]);
 * assert.deepEqual(await storage.mail.sent(alice.id), [note]);
 *
 * // Bob reads it: received once, and it stays received at the first time.
 * const read = await storage.mail.markReceived(note.id, bob.id);
 * assert.ok(read.receivedAt instanceof Date);
 * assert.equal(await storage.mail.unreadCount(bob.id), 0);
 * assert.deepEqual(await storage.mail.inbox(bob.id, { unreadOnly: true }), []);
 *
 * // Echomail "to me": addressed to a name, as usernames compare, in any area.
 * const echo = await storage.messageAreas.create({ tag: "FIDO", name: "Fido", kind: "echomail" });
 * const toBob = await storage.messages.post({
 *   areaId: echo.id,
 *   fromName: "Carol",
 *   toName: "BOB",
 *   subject: "Re: lunch",
 *   body: "Me too",
 * });
 * assert.deepEqual(
 *   (await storage.mail.toName("bob")).map((m) => m.id),
 *   [note.id, toBob.id],
 * );
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  AfterOptions,
  InboxOptions,
  Message,
  SentOptions,
  ToNameOptions,
} from "../records.ts";
import * as ops from "../ops/messages.ts";
import * as mail from "../ops/mail.ts";

/** Mail: `storage.mail`, and `tx.mail` in a transaction. */
export interface Mail {
  /** Messages addressed to a user, by ascending id. */
  listFor(userId: number, options?: AfterOptions): Promise<Message[]>;
  /**
   * A user's letters: messages of private areas addressed to them (replies in public areas are
   * not mail), newest first. `after` is the id of the last letter of the previous page;
   * `unreadOnly` keeps the letters not yet received.
   */
  inbox(userId: number, options?: InboxOptions): Promise<Message[]>;
  /** The letters a user wrote (messages of private areas), newest first, paged as `inbox`. */
  sent(userId: number, options?: SentOptions): Promise<Message[]>;
  /**
   * Marks a letter received by its addressee, now, and returns it; once set the time stays (a
   * second call keeps the first). `forbidden` when the message is not addressed to `userId`
   * (through `as()`, also when `userId` is not the viewer); `not_found` for a missing message.
   * Any message addressed to the user may be marked (a private message of a public area too);
   * only letters count in `unreadCount`.
   */
  markReceived(messageId: number, userId: number): Promise<Message>;
  /** How many of a user's letters are not yet received. */
  unreadCount(userId: number): Promise<number>;
  /**
   * Messages addressed to a name (compared as usernames are: `"BOB"` is `"bob"`), in any area or
   * in `areaIds`, by ascending id: `after` is the last id seen.
   */
  toName(name: string, options?: ToNameOptions): Promise<Message[]>;
}

/** The operations behind {@linkcode Mail}: each method's operation, taking the executor first. */
export const MAIL: Definition<Mail> = {
  listFor: ops.listMailFor,
  inbox: mail.inbox,
  sent: mail.sent,
  markReceived: mail.markReceived,
  unreadCount: mail.unreadCount,
  toName: mail.toName,
};
