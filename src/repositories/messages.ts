/**
 * The messages repository, `storage.messages`: posting, reading, editing, threads, search.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const sysop = await storage.users.create({ username: "SysOp", passwordHash: "h" });
 * const general = await storage.messageAreas.create({ tag: "GENERAL", name: "General" });
 * const hello = await storage.messages.post({
 *   areaId: general.id,
 *   fromUserId: sysop.id,
 *   subject: "Welcome",
 *   body: "Hello, callers!",
 * });
 * const reply = await storage.messages.post({
 *   areaId: general.id,
 *   fromUserId: sysop.id,
 *   parentId: hello.id,
 *   subject: "Re: Welcome",
 *   body: "Anyone there?",
 * });
 * assert.deepEqual(await storage.messages.thread(reply.id), [hello, reply]);
 * assert.deepEqual((await storage.messages.search("callers")).map((m) => m.id), [hello.id]);
 * assert.equal((await storage.messages.getByNum(general.id, 2))?.id, reply.id);
 * assert.equal((await storage.messages.list(general.id, { fromName: "sysop" })).length, 2);
 *
 * // A tosser sends what the board's users posted, once.
 * const queue = await storage.messages.listUnexported(general.id);
 * assert.deepEqual(queue.map((m) => m.id), [hello.id, reply.id]);
 * assert.equal(await storage.messages.markExported(queue.map((m) => m.id)), 2);
 * assert.deepEqual(await storage.messages.listUnexported(general.id), []);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  LimitOptions,
  ListMessagesOptions,
  Message,
  MessagePatch,
  MessageSearchOptions,
  NewMessage,
  TrimOptions,
  TrimResult,
} from "../records.ts";
import * as ops from "../ops/messages.ts";
import { trimAllMessages, trimMessages } from "../ops/trim.ts";

/** Messages: `storage.messages`, and `tx.messages` in a transaction. */
export interface Messages {
  /** Posts a message: numbers it in its area, counts it to its author, links FidoNet replies. */
  post(input: NewMessage): Promise<Message>;
  /** Returns the message, or `null`. */
  get(id: number): Promise<Message | null>;
  /**
   * Lists an area's messages by ascending number, after an id and/or a number, and only those
   * from a name, to a name, written since or until a time when asked (names compare as
   * usernames do; `until` before `since` is a `validation` error naming `until`).
   */
  list(areaId: number, options?: ListMessagesOptions): Promise<Message[]>;
  /** The message with this number in an area, or `null` (one index seek). */
  getByNum(areaId: number, msgNum: number): Promise<Message | null>;
  /** Changes a message's subject or body; `not_found` if missing. */
  update(id: number, patch: MessagePatch): Promise<Message>;
  /** Deletes a message (its number is never reused; replies stay); `not_found` if missing. */
  delete(id: number): Promise<void>;
  /** The root of a thread first, then every reply in posting order (any message id of the thread will do). */
  thread(rootId: number): Promise<Message[]>;
  /** The message with a FidoNet MSGID in an area, or `null`. */
  findByMsgid(areaId: number, msgid: string): Promise<Message | null>;
  /**
   * Deletes an area's old messages in bulk and returns how many went: those beyond the newest
   * `keep` (by number), those created before `olderThan`; with both, a message goes when either
   * says so. Neither is refused as `validation`. What may go is fixed when the trim begins.
   * Batches of 1000, each in a short transaction of its own (one statement deletes a batch), so
   * posting goes on meanwhile and a crash leaves whole batches. Numbers are never reused; a reply
   * whose parent went becomes the root of its thread, and its replies follow it; the area's
   * count drops; last-read pointers below freed numbers move up past them (no unread message is
   * marked read). `not_found` if the area is missing. Through `as()`: the area's sysops only,
   * checked in every batch. In a transaction (`tx.messages.trim`) every batch runs in it.
   */
  trim(areaId: number, options: TrimOptions): Promise<number>;
  /**
   * Trims every area with `maxMessages` or `maxAgeDays` (that many 24-hour days before now), as
   * {@linkcode Messages.trim} with both, and returns each such area, in id order, with how many
   * went. Through `as()`: board sysops only.
   */
  trimAll(): Promise<TrimResult[]>;
  /**
   * Messages whose subject or body match, best first (words ANDed, "quoted phrases"), with the
   * filters of `list` (`fromName`, `toName`, `since`, `until`).
   */
  search(query: string, options?: MessageSearchOptions): Promise<Message[]>;
  /**
   * A tosser's queue: an area's messages posted locally (not `imported`) and not yet exported,
   * in posting order (at most `limit`, 100 by default). Through `as()`, only an area's sysops see
   * them; anyone else gets none.
   */
  listUnexported(areaId: number, options?: LimitOptions): Promise<Message[]>;
  /**
   * Marks messages exported (sets `exportedAt`), at most 1000 ids a call, in one transaction,
   * and returns how many it marked. Idempotent: ids of messages missing, imported or already
   * exported are left alone (an export time, once set, stays). Through `as()`, the sysops of
   * the messages' areas alone (`forbidden` naming the area).
   */
  markExported(ids: number[]): Promise<number>;
}

/** The operations behind {@linkcode Messages}: each method's operation, taking the executor first. */
export const MESSAGES: Definition<Messages> = {
  post: ops.postMessage,
  get: ops.getMessage,
  list: ops.listMessages,
  update: ops.updateMessage,
  delete: ops.deleteMessage,
  thread: ops.getThread,
  findByMsgid: ops.findMessageByMsgid,
  search: ops.searchMessages,
  trim: trimMessages,
  trimAll: trimAllMessages,
  getByNum: ops.getMessageByNum,
  listUnexported: ops.listUnexported,
  markExported: ops.markExported,
};
