/**
 * The driver-agnostic contract: the records the package keeps, the repositories that keep
 * them, and the {@linkcode Storage} that `openStorage` returns for every driver (drivers
 * implement the smaller `Driver` and `Connection` contracts of src/driver.ts; the operations are
 * written once, above them).
 *
 * @module
 */

import type { BuiltInDriverOptions } from "./builtin_drivers.ts";
import type { Driver } from "./driver.ts";
import type { StorageErrorKind } from "./errors.ts";
import type { Callers } from "./repositories/callers.ts";
import type { Events } from "./repositories/events.ts";
import type { FileAreas } from "./repositories/file_areas.ts";
import type { Files } from "./repositories/files.ts";
import type { Mail } from "./repositories/mail.ts";
import type { MessageAreas } from "./repositories/message_areas.ts";
import type { Messages } from "./repositories/messages.ts";
import type { Reading } from "./repositories/reading.ts";
import type { Sessions } from "./repositories/sessions.ts";
import type { Settings } from "./repositories/settings.ts";
import type { Users } from "./repositories/users.ts";

export type * from "./records.ts";
export type {
  Callers,
  Events,
  FileAreas,
  Files,
  Mail,
  MessageAreas,
  Messages,
  Reading,
  Sessions,
  Settings,
  Users,
};

/**
 * The operations on stored records, one repository per entity. Both {@linkcode Storage} and
 * the handle given to a {@linkcode Storage.transaction} callback offer them, as
 * `storage.users.create(…)` and `tx.users.create(…)`.
 *
 * Every input is validated before anything is written: bad input rejects with a
 * `StorageError` of kind `validation` that names the field. Each repository is made once per
 * storage (and once per transaction handle), and its methods are bound to it:
 * `const { create } = storage.users` works as `storage.users.create` does.
 */
export interface Repositories {
  /** Accounts, counters and logins. */
  readonly users: Users;
  /** The last-callers list. */
  readonly callers: Callers;
  /** Message areas. */
  readonly messageAreas: MessageAreas;
  /** Messages: posting, editing, threads, FidoNet MSGIDs, search. */
  readonly messages: Messages;
  /** Last-read pointers, the new-scan, reading on. */
  readonly reading: Reading;
  /** Messages addressed to a user. */
  readonly mail: Mail;
  /** File areas. */
  readonly fileAreas: FileAreas;
  /** File entries, downloads, search. */
  readonly files: Files;
  /** Sessions and who is online. */
  readonly sessions: Sessions;
  /** The board's settings and counters. */
  readonly settings: Settings;
  /** The event log. */
  readonly events: Events;
}

/**
 * The repositories as one user sees them: what `storage.as(userId)` and `tx.as(userId)` give.
 * Every read returns only what the user may read (areas, messages, files, search results,
 * threads, the new-scan, mail, counts, lists), filtered in the queries; every write checks what
 * the user may write and fails with a `StorageError` of kind `forbidden` that names the area
 * (a banned or locked user may write nothing). See "Access and privacy" in the README.
 */
export type StorageOps = Repositories;

/** The handle a {@linkcode Storage.transaction} callback gets: the repositories, and `as`. */
export interface TransactionOps extends Repositories {
  /**
   * The transaction's repositories as a user sees them (see {@linkcode StorageOps}): their
   * operations run in this transaction, queued with the handle's others.
   *
   * @param userId The user; `not_found` when no such user exists.
   * @returns The user's view.
   */
  as(userId: number): Promise<StorageOps>;
  /**
   * Runs one statement of the application's own in this transaction, queued with the
   * handle's other operations (one that fails undoes only itself): for its own tables (made by its own migration
   * set), in its database's dialect, with `?` placeholders on every dialect. The package's own
   * tables are not part of the contract. See "The application's own tables" in the README.
   *
   * A statement that does not start with `SELECT` or `VALUES` counts as a write: it goes through
   * the storage's writer, one at a time with the package's writes.
   *
   * @param text One SQL statement.
   * @param params The values of its placeholders: `null`, strings, finite numbers, bigints,
   *   `Uint8Array`s.
   * @returns The rows (none for a statement that returns none), keyed by column name.
   * @throws {StorageError} `validation` naming `text` or `params[i]` for bad input, and naming
   *   `text` when the database refuses the statement (a syntax error, an unknown table);
   *   `constraint` and `conflict` as for the package's writes.
   */
  sql<T = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<T[]>;
}

/**
 * An open storage: the operations, transactions and closing.
 *
 * Calls on the `Storage` itself never join an open transaction, even when made from inside a
 * transaction callback: writes wait for the transaction (and end as `timeout` if it outlasts
 * the wait bound); reads see the last committed state.
 */
export interface Storage extends Repositories {
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back and rethrows when it
   * throws.
   *
   * Operations on `tx` run one at a time in call order, awaited or not, and one that fails undoes
   * only itself. The commit waits for every operation called on `tx` before `fn` resolved. If
   * `fn` throws, the operation running then finishes, those queued behind it fail as
   * `unavailable` without running, and everything rolls back. Operations called on `tx` after
   * `fn` settled fail as `unavailable`.
   *
   * On PostgreSQL `fn` may run more than once: a transaction that fails with a serialization
   * failure (40001) or a deadlock (40P01) is rolled back and run again, up to `retry.attempts`
   * times within the call's deadline, so `fn` should do nothing outside `tx` that must not be
   * repeated (or make it idempotent). A connection lost before the commit fails the call once,
   * without re-running `fn`. SQLite never re-runs it.
   *
   * @param fn Receives the repositories bound to the transaction (`tx.users`, `tx.messages` …),
   *   and `tx.as(userId)`.
   * @returns What `fn` resolved to.
   */
  transaction<T>(fn: (tx: TransactionOps) => Promise<T>): Promise<T>;
  /**
   * The repositories as a user sees them (see {@linkcode StorageOps}). The storage itself stays
   * the system's view. The user's level, flags and status are read again by every operation, so
   * a change counts from the next call.
   *
   * @param userId The user; `not_found` when no such user exists.
   * @returns The user's view.
   */
  as(userId: number): Promise<StorageOps>;
  /**
   * Runs one statement of the application's own: for its own tables (made by its own migration
   * set), in its database's dialect, with `?` placeholders on every dialect. The package's own
   * tables are not part of the contract. See "The application's own tables" in the README.
   *
   * A statement that does not start with `SELECT` or `VALUES` counts as a write: it goes through
   * the storage's writer, one at a time with the package's writes.
   *
   * @param text One SQL statement.
   * @param params The values of its placeholders: `null`, strings, finite numbers, bigints,
   *   `Uint8Array`s.
   * @returns The rows (none for a statement that returns none), keyed by column name.
   * @throws {StorageError} `validation` naming `text` or `params[i]` for bad input, and naming
   *   `text` when the database refuses the statement (a syntax error, an unknown table);
   *   `constraint` and `conflict` as for the package's writes.
   */
  sql<T = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<T[]>;
  /**
   * Closes the storage; idempotent. Waits for running work at most `acquireTimeoutMs`: a
   * transaction still running then is rolled back and fails as `unavailable`, as do later calls.
   */
  close(): Promise<void>;
  /** Closes the storage, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Options of {@linkcode openStorage}: the core's, and the built-in drivers' sections
 * (`sqlite`, `postgres`), each typed by its driver. The caller's drivers' sections come on top
 * ({@linkcode DriverSections}).
 */
export interface OpenOptions<
  D extends readonly AnyDriver[] = readonly AnyDriver[],
> extends BuiltInDriverOptions {
  /**
   * What to do about the schema at open: `"up"` (the default) applies pending migrations under
   * the migration lock, waiting for another process's migration at most `acquireTimeoutMs`;
   * `"check"` fails as `migration` unless the schema is current (and, on SQLite, in WAL mode),
   * and only reads; `"off"` does nothing. With nothing to apply, `"up"` only reads too: neither
   * waits for a lock.
   */
  migrate?: "up" | "check" | "off";
  /**
   * Whether a database that does not exist may be created: `true` (the default) creates a
   * missing SQLite file and its directory; `false` fails as `not_found` instead, creating
   * nothing. `migrate: "check"` never creates one either (a new database is never current).
   */
  create?: boolean;
  /**
   * How long, in milliseconds, a call may wait in all, from when it first has to wait, before it
   * fails as `timeout`: for the storage's writer (an open transaction), for another process's
   * lock on a SQLite database, for a pooled connection and row locks (PostgreSQL), and the
   * pauses between retries. `openStorage` also waits at most this long for another process's
   * migration, and `close()` for running work. Defaults to 5000.
   */
  acquireTimeoutMs?: number;
  /**
   * Retry of transient errors (SQLite busy; PostgreSQL serialization failures, deadlocks and
   * lost connections): the pauses between attempts and, on PostgreSQL, how many.
   */
  retry?: RetryOptions;
  /**
   * The board's time zone, an IANA name such as `"Europe/Berlin"`; `"UTC"` by default. Daily
   * counters (`users.incrementCounter(…, { daily: true })`, `callsToday` …) count the date in
   * it and read as 0 from the next midnight there. A name `Intl` does not know is `validation`.
   */
  timeZone?: string;
  /**
   * How many nodes the board has, 1–9999; defaults to 250. `sessions.create({ node: "auto" })`
   * takes the lowest node of 1…`maxNodes` no live session holds, and fails as `conflict` when
   * every one is taken. A node given by number may be any of 1–9999.
   */
  maxNodes?: number;
  /**
   * Drivers of the caller's, consulted by URL scheme before the built-in ones (the first that
   * takes the scheme opens the URL). Each takes its section of these options, `options.<name>`,
   * typed by its options schema. See the `@impulse/storage/driver` entry.
   */
  drivers?: D;
  /**
   * The query log: called once for every statement an operation (or `storage.sql`, `tx.sql`)
   * runs, after it settled, with its name, time, row count and error kind, never its parameters
   * (see {@linkcode QueryEvent}). Called synchronously, between the operation's statements: keep
   * it short. What it throws, or a promise of its that rejects, is dropped (the first is reported
   * on the console, once per storage); the operation goes on as if it had returned. Without it
   * (and without an OpenTelemetry tracer provider registered before `openStorage`) the storage
   * runs the statements as they are, at no cost. See docs/tracing.md.
   */
  onQuery?: (event: QueryEvent) => unknown;
  /**
   * The clock the operations read "now" from, in milliseconds since the epoch; `Date.now` by
   * default. Every time the storage writes or compares (a record's `createdAt`, a session's
   * lapse, a lock's end, a daily counter's day, a trim's age) comes from it, so a test can move
   * time instead of waiting: `let t = Date.now(); openStorage(url, { clock: () => t })`, then
   * `t += 3_600_000`. Waits and timeouts (`acquireTimeoutMs`, the drivers' bounds) keep the real
   * monotonic clock. It must return a finite number; a time it returns that is earlier than one
   * it returned before is taken as it is (records may then read out of order).
   */
  clock?: () => number;
}

/**
 * One statement as the query log ({@linkcode OpenOptions.onQuery}) sees it. It names the
 * statement and says how it went; it never holds a parameter value, nor the text of the
 * application's SQL (`storage.sql`), which may carry values written into it.
 */
export interface QueryEvent {
  /**
   * The statement's name in the package's catalogue, like `"users.byId"`; `"sql"` for a statement
   * of the application's (`storage.sql`, `tx.sql`).
   */
  readonly name: string;
  /**
   * The operation that ran it, like `"users.get"`, `"storage.sql"`, `"tx.sql"` or `"storage.as"`
   * (an operation called on a transaction's handle or on a user's view has its plain name).
   */
  readonly operation: string;
  /** The database system: `"sqlite"`, `"postgresql"`, or the dialect of a caller's driver. */
  readonly system: string;
  /**
   * Whether it ran in a transaction the storage opened: `storage.transaction()`, or the one a
   * user's write through `storage.as()` runs in. An operation's own atomic block does not count.
   */
  readonly inTransaction: boolean;
  /** How long it took, in milliseconds, from issuing it until its result (or error) came back. */
  readonly durationMs: number;
  /**
   * The rows it returned (a query: 0 or 1 for a statement read for one row), or changed (a
   * write). For `storage.sql` / `tx.sql`: a `SELECT` or `VALUES` the rows returned; an
   * `INSERT`, `UPDATE`, `DELETE` (or `REPLACE`, `MERGE`, `WITH`) the rows it changed (with
   * `RETURNING`, those returned, one per changed row); another statement (`CREATE TABLE`) 0.
   * Absent when it failed.
   */
  readonly rows?: number;
  /**
   * The kind of the `StorageError` the caller receives for it (`validation` for a `storage.sql`
   * statement the database refuses); absent when it succeeded.
   */
  readonly error?: StorageErrorKind;
}

/** A driver of any options (the bound of {@linkcode OpenOptions}'s drivers). */
export type AnyDriver = Driver<unknown, string>;

/**
 * The sections of the open options that the caller's drivers take: `{ board?: BoardOptions }`
 * for a driver typed `Driver<BoardOptions, "board">` (a driver whose name is typed only as
 * `string` gets none).
 */
export type DriverSections<D extends readonly AnyDriver[]> = {
  [K in D[number] as string extends K["name"] ? never : K["name"]]?: K extends
    Driver<infer O, string> ? O : never;
};

/**
 * Bounded exponential backoff with jitter. The defaults poll often (SQLite's write lock is not
 * queued: a process that sleeps long loses it to the ones that ask more often). Every retry ends
 * at the call's deadline, `acquireTimeoutMs`.
 */
export interface RetryOptions {
  /**
   * PostgreSQL: attempts in all, including the first; 1–1000, defaults to 100. SQLite retries a
   * busy database until the call's deadline, however many attempts that takes.
   */
  attempts?: number;
  /** The first delay in milliseconds; defaults to 5. */
  baseDelayMs?: number;
  /** The largest delay in milliseconds; defaults to 50. */
  maxDelayMs?: number;
}
