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
 * ## Lock order
 *
 * On PostgreSQL (SQLite has one writer, so no row locks), every operation takes row locks in
 * one global order, so two operations can never wait for each other in a circle:
 *
 * 1. `users`, by ascending id: the author, uploader or downloader whose counters change
 *    (`UPDATE`), a user a new row will refer to (`users.share`, `FOR KEY SHARE`: what the
 *    foreign key check takes, taken early), a user deleted or renamed.
 * 2. `message_areas` and `file_areas`: an area's message numbers and counts.
 * 3. `messages` and `files`: the row written, the rows its foreign keys share (a reply's parent),
 *    the rows a delete's `ON DELETE` actions change, the orphans a post adopts.
 * 4. `sessions`, `last_read`, `logins`: rows nothing else refers to.
 *
 * Why this order: a caller's transaction typically acts on a user and then on what the user
 * does (`incrementUserStats` then `postMessage`), and a delete's `ON DELETE` actions always go
 * from the row referred to to the rows referring to it (users before everything, messages before
 * their replies). So the operations go the same way:
 *
 * - postMessage: author (`posts + 1`) and recipient, ascending id; area (numbering); the new
 *   message, its parent, the orphans it adopts.
 * - deleteMessage: area (count) before the message and its replies' links.
 * - addFile: uploader (`uploads + 1`) before the new file; recordDownload: user before file.
 * - createSession with a node: the user (shared) before the session that held the node.
 * - recordLogin: user before the login row; deleteUser: the user, then its `ON DELETE` actions.
 * - Every other write changes one row.
 *
 * Within a table, an operation that changes several rows with one statement (purging expired
 * sessions, the `ON DELETE` actions of deleteUser, moving an adopted thread) locks them in the
 * order the server finds them; where two such statements meet on the same rows, as where a
 * caller's transaction goes against this order, the server detects the deadlock, the transaction
 * it rolls back runs again (src/retry.ts), and every wait and retry counts against the call's
 * one deadline, `acquireTimeoutMs` (src/deadline.ts).
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
