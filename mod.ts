/**
 * @impulse/storage: the storage layer of a BBS. Users, file areas, message areas and sessions
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
  FileArea,
  FileAreaPatch,
  FileAreas,
  FileEntry,
  FilePatch,
  Files,
  Kludge,
  LastCaller,
  LimitOptions,
  ListFilesOptions,
  ListMessagesOptions,
  Mail,
  Message,
  MessageArea,
  MessageAreaKind,
  MessageAreaPatch,
  MessageAreas,
  MessagePatch,
  Messages,
  NewFile,
  NewFileArea,
  NewLastCaller,
  NewMessage,
  NewMessageArea,
  NewScanEntry,
  NewSession,
  NewUser,
  OnlineSession,
  OpenOptions,
  Reading,
  Repositories,
  RetryOptions,
  SearchOptions,
  Session,
  Sessions,
  Storage,
  TouchOptions,
  User,
  UserPatch,
  Users,
  UserStats,
  UserStatus,
} from "./src/storage.ts";
export type {
  Awaitable,
  Connection,
  ConnectOptions,
  CopyColumn,
  CopyReference,
  CopyTable,
  CopyTarget,
  CopyType,
  Driver,
  Executor,
  NamedRow,
  Queryable,
  Row,
  Sql,
} from "./src/driver.ts";
export { CopyInvalidText } from "./src/driver.ts";
export type { ParsedOpenOptions } from "./src/validate.ts";
export type {
  BuiltInDriverOptions,
  PostgresOptions,
  SqliteOptions,
} from "./src/builtin_drivers.ts";
export type { MigrationQuery, MigrationTarget } from "./src/migrate/target.ts";
