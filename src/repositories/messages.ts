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
} from "../records.ts";
import * as ops from "../ops/messages.ts";

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
};
