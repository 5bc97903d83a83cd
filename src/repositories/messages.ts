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
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  ListMessagesOptions,
  Message,
  MessagePatch,
  NewMessage,
  SearchOptions,
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
  /** Lists an area's messages by ascending number, after an id and/or a number. */
  list(areaId: number, options?: ListMessagesOptions): Promise<Message[]>;
  /** Changes a message's subject or body; `not_found` if missing. */
  update(id: number, patch: MessagePatch): Promise<Message>;
  /** Deletes a message (its number is never reused; replies stay); `not_found` if missing. */
  delete(id: number): Promise<void>;
  /** The root of a thread first, then every reply in posting order (any message id of the thread will do). */
  thread(rootId: number): Promise<Message[]>;
  /** The message with a FidoNet MSGID in an area, or `null`. */
  findByMsgid(areaId: number, msgid: string): Promise<Message | null>;
  /** Messages whose subject or body match, best first (words ANDed, "quoted phrases"). */
  search(query: string, options?: SearchOptions): Promise<Message[]>;
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
};
