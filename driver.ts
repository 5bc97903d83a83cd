/**
 * Everything a database driver needs, and nothing else: the contracts a driver implements
 * ({@linkcode Driver}, {@linkcode Connection}, {@linkcode Executor}, {@linkcode MigrationTarget},
 * {@linkcode CopyTarget}), its options schema ({@linkcode OptionsSchema},
 * {@linkcode optionsSchema}), the error type and its helpers, and the waiting primitives the
 * built-in drivers are made of ({@linkcode Deadline}, {@linkcode WaitQueue}, `retry`). The
 * built-in SQLite and PostgreSQL drivers import only this entry (a test checks their import
 * graph), so a driver written elsewhere can do all they do.
 *
 * A driver is passed to `openStorage(url, { drivers: [driver] })`, which consults it (by URL
 * scheme) before the built-in ones and hands it its section of the open options
 * (`options.<name>`), validated by its schema.
 *
 * @example A driver of its own scheme, on the built-in SQLite driver
 * ```ts
 * import type { Driver } from "@impulse/storage/driver";
 * import { driver as sqlite } from "@impulse/storage/sqlite";
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * const board: Driver<unknown, "board"> = {
 *   name: "board",
 *   schemes: ["board:"],
 *   connect: (url, options) =>
 *     sqlite.connect(url.replace(/^board:/i, "sqlite:"), { ...options, driver: undefined }),
 * };
 * await using storage = await openStorage("board::memory:", { drivers: [board] });
 * const user = await storage.users.create({ username: "sysop", passwordHash: "x" });
 * assert.equal((await storage.users.findByUsername("SYSOP"))?.id, user.id);
 * ```
 *
 * @module
 */
export type {
  Awaitable,
  Connection,
  ConnectOptions,
  CopyColumn,
  CopyReference,
  CopyTable,
  CopyTarget,
  CopyType,
  DialectSqlOptions,
  DialectStatement,
  Driver,
  Executor,
  NamedRow,
  Queryable,
  Row,
  Sql,
} from "./src/driver.ts";
export {
  appSql,
  CopyInvalidText,
  dialectStatement,
  sql,
} from "./src/driver.ts";
export type { ParsedOpenOptions } from "./src/validate.ts";
export type {
  OptionsContext,
  OptionsSchema,
  StandardIssue,
  StandardResult,
  StandardSchema,
} from "./src/options_schema.ts";
export { optionsSchema } from "./src/options_schema.ts";
export type {
  MigrationQuery,
  MigrationTarget,
  ScratchOptions,
  ScratchTarget,
  TableShape,
} from "./src/migrate/target.ts";
export type { ScratchPlace } from "./src/migrate/scratch.ts";
export {
  cancelled,
  scratchPlace,
  throwIfCancelled,
} from "./src/migrate/scratch.ts";
export type {
  DatabaseErrorFields,
  StorageErrorKind,
  StorageErrorOptions,
} from "./src/errors.ts";
export { closedError, DatabaseError, StorageError } from "./src/errors.ts";
export { characters, describe } from "./src/describe.ts";
export { type SqlSegment, sqlSegments } from "./src/sql_segments.ts";
export { Deadline } from "./src/deadline.ts";
export type { Clock } from "./src/deadline.ts";
export { WaitQueue } from "./src/wait_queue.ts";
export type { Backoff } from "./src/retry.ts";
export { nextPause, retry, sleep } from "./src/retry.ts";
/** The runtime seam: file calls and error classes on Deno, Node and Bun (src/runtime.ts). */
export * as runtime from "./src/runtime.ts";
