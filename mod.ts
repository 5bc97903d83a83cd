/**
 * The storage layer of a BBS (`@impulse/storage`). Users, file areas, message areas and sessions
 * behind one {@linkcode Storage} API, one repository per entity (`storage.users`,
 * `storage.messages`, `storage.files` … : see {@linkcode Repositories}), embedded on SQLite (no
 * server) by default.
 *
 * ```ts
 * import { hashPassword, openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const sysop = await storage.users.create({
 *   username: "SysOp",
 *   passwordHash: await hashPassword("secret"),
 *   securityLevel: 255,
 * });
 * const general = await storage.messageAreas.create({ tag: "GENERAL", name: "General" });
 * const message = await storage.messages.post({
 *   areaId: general.id,
 *   fromUserId: sysop.id,
 *   subject: "Welcome",
 *   body: "Hello, callers!",
 * });
 * assert.equal((await storage.users.get(sysop.id))?.stats.posts, 1);
 * assert.deepEqual(await storage.messages.list(general.id), [message]);
 * assert.equal(message.msgNum, 1);
 * ```
 *
 * Importing this module loads no driver: `openStorage` loads the one its URL names.
 *
 * @module
 */
export { openStorage } from "./src/open.ts";
export { DatabaseError, isStorageError, StorageError } from "./src/errors.ts";
export { filenameKey, foldKey } from "./src/keys.ts";
export {
  hashPassword,
  type HashPasswordOptions,
  verifyPassword,
} from "./src/password.ts";
export type {
  DatabaseErrorFields,
  StorageErrorKind,
  StorageErrorOptions,
} from "./src/errors.ts";
export type {
  AfterOptions,
  AnonymousPosting,
  AnyDriver,
  AreaAccess,
  Callers,
  DeleteAreaOptions,
  DriverSections,
  EndAllOptions,
  EventCount,
  EventFilter,
  Events,
  FailedLoginOptions,
  FileArea,
  FileAreaPatch,
  FileAreas,
  FileAreaStats,
  FileEntry,
  FileFilter,
  FileOrder,
  FilePage,
  FilePatch,
  Files,
  FindFilesOptions,
  InboxOptions,
  JsonValue,
  Kludge,
  LastCaller,
  LimitOptions,
  ListEventsOptions,
  ListFilesOptions,
  ListMessagesOptions,
  ListUsersOptions,
  LogEvent,
  LoginRecord,
  LoginsOptions,
  Mail,
  Message,
  MessageArea,
  MessageAreaKind,
  MessageAreaPatch,
  MessageAreas,
  MessageFilter,
  MessagePatch,
  Messages,
  MessageSearchOptions,
  NewEvent,
  NewFile,
  NewFileArea,
  NewLastCaller,
  NewMessage,
  NewMessageArea,
  NewScanEntry,
  NewScanOptions,
  NewSession,
  NewUser,
  OnlineSession,
  OpenOptions,
  PruneEventsOptions,
  QueryEvent,
  Reading,
  ReadNextOptions,
  Repositories,
  RetryOptions,
  ScanStatus,
  SearchOptions,
  SentOptions,
  Session,
  Sessions,
  SetPointersByDateOptions,
  Setting,
  Settings,
  Storage,
  StorageOps,
  ToNameOptions,
  TopEventsOptions,
  TouchOptions,
  TransactionOps,
  TrimOptions,
  TrimResult,
  User,
  UserFilter,
  UserOrder,
  UserPage,
  UserPatch,
  Users,
  UserStats,
  UserStatus,
} from "./src/storage.ts";
export type { Driver } from "./src/driver.ts";
export type {
  BuiltInDriverOptions,
  PostgresOptions,
  SqliteOptions,
} from "./src/builtin_drivers.ts";
