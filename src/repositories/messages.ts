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
import type { Executor } from "../driver.ts";
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

/**
 * The messages repository bound to an executor.
 *
 * @param x Where the statements run.
 * @returns The repository.
 */
export function bindMessages(x: Executor): Messages {
  return Object.freeze({
    post: (input: NewMessage) => ops.postMessage(x, input),
    get: (id: number) => ops.getMessage(x, id),
    list: (areaId: number, options?: ListMessagesOptions) =>
      ops.listMessages(x, areaId, options),
    update: (id: number, patch: MessagePatch) =>
      ops.updateMessage(x, id, patch),
    delete: (id: number) => ops.deleteMessage(x, id),
    thread: (rootId: number) => ops.getThread(x, rootId),
    findByMsgid: (areaId: number, msgid: string) =>
      ops.findMessageByMsgid(x, areaId, msgid),
    search: (query: string, options?: SearchOptions) =>
      ops.searchMessages(x, query, options),
  });
}
