/**
 * The operations of the Storage contract, written once over an {@linkcode Executor}: each
 * module validates its input, runs statements of its own, and maps rows to records. This class
 * binds them to one executor (the storage's, or a transaction's).
 *
 * Two rules for every operation, which the driver contract ({@linkcode Executor}) relies on: it
 * awaits each statement before it issues the next, and it puts every write that a later failure
 * of the same operation must undo in one `x.atomic` block with what may fail, so that a failure
 * undoes the whole operation at the top level, and only that operation inside a transaction.
 *
 * @module
 */
import type { Executor } from "../driver.ts";
import type * as R from "../records.ts";
import type { StorageOps } from "../storage.ts";
import * as areas from "./areas.ts";
import * as files from "./files.ts";
import * as messages from "./messages.ts";
import * as sessions from "./sessions.ts";
import * as users from "./users.ts";

export { filenameKey, foldKey } from "./_shared.ts";

/** The operations, bound to one executor. */
export class Operations implements StorageOps {
  #x: Executor;

  /** @param executor Where the statements run. */
  constructor(executor: Executor) {
    this.#x = executor;
  }

  createUser(input: R.NewUser): Promise<R.User> {
    return users.createUser(this.#x, input);
  }
  getUser(id: number): Promise<R.User | null> {
    return users.getUser(this.#x, id);
  }
  findUserByUsername(username: string): Promise<R.User | null> {
    return users.findUserByUsername(this.#x, username);
  }
  updateUser(id: number, patch: R.UserPatch): Promise<R.User> {
    return users.updateUser(this.#x, id, patch);
  }
  deleteUser(id: number): Promise<void> {
    return users.deleteUser(this.#x, id);
  }
  incrementUserStats(id: number, delta: Partial<R.UserStats>): Promise<R.User> {
    return users.incrementUserStats(this.#x, id, delta);
  }
  recordLogin(id: number): Promise<R.User> {
    return users.recordLogin(this.#x, id);
  }
  lastCallers(limit?: number): Promise<R.LastCaller[]> {
    return users.lastCallers(this.#x, limit);
  }
  addLastCaller(input: R.NewLastCaller): Promise<R.LastCaller> {
    return users.addLastCaller(this.#x, input);
  }

  createMessageArea(input: R.NewMessageArea): Promise<R.MessageArea> {
    return areas.createMessageArea(this.#x, input);
  }
  getMessageArea(id: number): Promise<R.MessageArea | null> {
    return areas.getMessageArea(this.#x, id);
  }
  listMessageAreas(): Promise<R.MessageArea[]> {
    return areas.listMessageAreas(this.#x);
  }
  createFileArea(input: R.NewFileArea): Promise<R.FileArea> {
    return areas.createFileArea(this.#x, input);
  }
  getFileArea(id: number): Promise<R.FileArea | null> {
    return areas.getFileArea(this.#x, id);
  }
  listFileAreas(): Promise<R.FileArea[]> {
    return areas.listFileAreas(this.#x);
  }
  markRead(userId: number, areaId: number, msgNum: number): Promise<number> {
    return areas.markRead(this.#x, userId, areaId, msgNum);
  }
  newScan(userId: number): Promise<R.NewScanEntry[]> {
    return areas.newScan(this.#x, userId);
  }
  readNext(
    userId: number,
    areaId: number,
    options?: R.LimitOptions,
  ): Promise<R.Message[]> {
    return areas.readNext(this.#x, userId, areaId, options);
  }

  postMessage(input: R.NewMessage): Promise<R.Message> {
    return messages.postMessage(this.#x, input);
  }
  getMessage(id: number): Promise<R.Message | null> {
    return messages.getMessage(this.#x, id);
  }
  listMessages(
    areaId: number,
    options?: R.ListMessagesOptions,
  ): Promise<R.Message[]> {
    return messages.listMessages(this.#x, areaId, options);
  }
  updateMessage(id: number, patch: R.MessagePatch): Promise<R.Message> {
    return messages.updateMessage(this.#x, id, patch);
  }
  deleteMessage(id: number): Promise<void> {
    return messages.deleteMessage(this.#x, id);
  }
  getThread(rootId: number): Promise<R.Message[]> {
    return messages.getThread(this.#x, rootId);
  }
  listMailFor(userId: number, options?: R.AfterOptions): Promise<R.Message[]> {
    return messages.listMailFor(this.#x, userId, options);
  }
  findMessageByMsgid(areaId: number, msgid: string): Promise<R.Message | null> {
    return messages.findMessageByMsgid(this.#x, areaId, msgid);
  }
  searchMessages(
    query: string,
    options?: R.SearchOptions,
  ): Promise<R.Message[]> {
    return messages.searchMessages(this.#x, query, options);
  }

  addFile(input: R.NewFile): Promise<R.FileEntry> {
    return files.addFile(this.#x, input);
  }
  getFile(id: number): Promise<R.FileEntry | null> {
    return files.getFile(this.#x, id);
  }
  listFiles(
    areaId: number,
    options?: R.ListFilesOptions,
  ): Promise<R.FileEntry[]> {
    return files.listFiles(this.#x, areaId, options);
  }
  listNewFiles(since: Date, options?: R.LimitOptions): Promise<R.FileEntry[]> {
    return files.listNewFiles(this.#x, since, options);
  }
  findFilesByHash(sha256: string): Promise<R.FileEntry[]> {
    return files.findFilesByHash(this.#x, sha256);
  }
  recordDownload(fileId: number, userId: number): Promise<R.FileEntry> {
    return files.recordDownload(this.#x, fileId, userId);
  }
  updateFile(id: number, patch: R.FilePatch): Promise<R.FileEntry> {
    return files.updateFile(this.#x, id, patch);
  }
  deleteFile(id: number): Promise<void> {
    return files.deleteFile(this.#x, id);
  }
  searchFiles(
    query: string,
    options?: R.SearchOptions,
  ): Promise<R.FileEntry[]> {
    return files.searchFiles(this.#x, query, options);
  }

  createSession(
    input: R.NewSession,
  ): Promise<{ session: R.Session; token: string }> {
    return sessions.createSession(this.#x, input);
  }
  getSessionByToken(token: string): Promise<R.Session | null> {
    return sessions.getSessionByToken(this.#x, token);
  }
  touchSession(id: number, options?: R.TouchOptions): Promise<void> {
    return sessions.touchSession(this.#x, id, options);
  }
  endSession(id: number): Promise<void> {
    return sessions.endSession(this.#x, id);
  }
  deleteSession(id: number): Promise<void> {
    return sessions.deleteSession(this.#x, id);
  }
  listOnline(): Promise<R.OnlineSession[]> {
    return sessions.listOnline(this.#x);
  }
  purgeExpiredSessions(): Promise<number> {
    return sessions.purgeExpiredSessions(this.#x);
  }
}
