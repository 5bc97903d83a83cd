/**
 * The one error type of the package, {@linkcode StorageError}, and its kinds.
 *
 * @module
 */

/**
 * What went wrong, normalised across drivers.
 *
 * - `validation`: the input or an option is malformed; nothing was written.
 * - `not_found`: the record an operation needs does not exist.
 * - `conflict`: a unique value (a username, a token) is already taken.
 * - `constraint`: a reference or rule of the schema is broken (a missing author …).
 * - `unavailable`: the database cannot be reached; the storage is closed.
 * - `timeout`: a wait for the writer, another process's lock or a connection exceeded its bound.
 * - `migration`: the schema is not at a version this code can use, or a migration failed.
 * - `forbidden`: the database refused for want of a privilege (a PostgreSQL role without a
 *   grant); the message names the privilege and the object.
 * - `internal`: anything else; a bug to report.
 */
export type StorageErrorKind =
  | "validation"
  | "not_found"
  | "conflict"
  | "constraint"
  | "unavailable"
  | "timeout"
  | "migration"
  | "forbidden"
  | "internal";

/** Extra facts an error can carry. */
export interface StorageErrorOptions {
  /**
   * The error that caused this one. Kept as given when it is a `StorageError`; anything else
   * is kept as its {@linkcode DatabaseError} copy (no statement, parameter or row).
   */
  cause?: unknown;
  /** For `validation`: the path of the offending field, such as `username` or `options.limit`. */
  field?: string;
  /** For `migration`: the migration version concerned. */
  version?: number;
}

/** The fields of a driver's error that name things (codes, objects, types), never values. */
export interface DatabaseErrorFields {
  /** The SQLSTATE, SQLite result code or client error code. */
  code?: string | number;
  /** node:sqlite's extended result code. */
  errcode?: string | number;
  /** SQLite's text for the result code. */
  errstr?: string | number;
  /** PostgreSQL's severity (`ERROR`, `FATAL`). */
  severity?: string | number;
  /** The schema PostgreSQL names. */
  schema_name?: string | number;
  /** The table PostgreSQL names. */
  table_name?: string | number;
  /** The column PostgreSQL names. */
  column_name?: string | number;
  /** The data type PostgreSQL names. */
  data_type_name?: string | number;
  /** The constraint PostgreSQL names. */
  constraint_name?: string | number;
  /** The server function that raised it. */
  routine?: string | number;
}

/** The only fields a {@linkcode DatabaseError} keeps. */
const NAMING_FIELDS: readonly (keyof DatabaseErrorFields)[] = [
  "code",
  "errcode",
  "errstr",
  "severity",
  "schema_name",
  "table_name",
  "column_name",
  "data_type_name",
  "constraint_name",
  "routine",
];

/**
 * What a database or its client reported, reduced to what is safe to show: the original
 * error's name, a message the driver checked holds no value, and the fields that name things
 * (`code`, such as a SQLSTATE or a SQLite result code, and the constraint, table, column,
 * schema and type PostgreSQL names). Never the statement, its parameters, a row (PostgreSQL's
 * `detail`: "Failing row contains …", "Key (…)=(…)"), `where`, `hint` or internal queries.
 *
 * A {@linkcode StorageError}'s `cause` is always a `StorageError` or a `DatabaseError`: the
 * constructor turns any other cause into one, so no driver can hand a caller a raw error.
 *
 * @example
 * ```ts
 * import { DatabaseError } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * const raw = Object.assign(new Error("duplicate key value violates unique constraint \"u\""), {
 *   code: "23505",
 *   constraint_name: "u",
 *   detail: "Key (name)=(alice) already exists.",
 * });
 * const safe = DatabaseError.from(raw);
 * assert.equal(safe.code, "23505");
 * assert.equal(safe.constraint_name, "u");
 * assert.ok(!("detail" in safe));
 * ```
 */
export class DatabaseError extends Error implements DatabaseErrorFields {
  /** The SQLSTATE, SQLite result code or client error code. */
  declare readonly code?: string | number;
  /** node:sqlite's extended result code. */
  declare readonly errcode?: number;
  /** SQLite's text for the result code. */
  declare readonly errstr?: string;
  /** PostgreSQL's severity (`ERROR`, `FATAL`). */
  declare readonly severity?: string;
  /** The schema PostgreSQL names. */
  declare readonly schema_name?: string;
  /** The table PostgreSQL names. */
  declare readonly table_name?: string;
  /** The column PostgreSQL names. */
  declare readonly column_name?: string;
  /** The data type PostgreSQL names. */
  declare readonly data_type_name?: string;
  /** The constraint PostgreSQL names. */
  declare readonly constraint_name?: string;
  /** The server function that raised it. */
  declare readonly routine?: string;

  /**
   * Makes the safe copy of a driver's error.
   *
   * @param name The original error's name (`PostgresError`, `SqliteFfiError`, `NotCapable`).
   * @param message A message that holds no value.
   * @param fields The naming fields; any other key is ignored.
   */
  constructor(name: string, message: string, fields: DatabaseErrorFields = {}) {
    super(message);
    Object.defineProperty(this, "name", { value: name, configurable: true });
    for (const key of NAMING_FIELDS) {
      const value = fields[key];
      if (typeof value === "string" || typeof value === "number") {
        Object.defineProperty(this, key, { value, enumerable: true });
      }
    }
  }

  /**
   * The safe copy of anything thrown: a `DatabaseError` passes unchanged; of an error, its
   * name, its message (or `message`, when the driver gives one it checked) and its naming
   * fields; of anything else, only its type.
   *
   * @param error What was thrown.
   * @param message The message to keep instead of the error's own.
   * @returns The copy.
   */
  static from(error: unknown, message?: string): DatabaseError {
    if (error instanceof DatabaseError && message === undefined) return error;
    if (error instanceof Error) {
      return new DatabaseError(
        error.name,
        message ?? error.message,
        error as DatabaseErrorFields,
      );
    }
    return new DatabaseError("Error", message ?? `a thrown ${typeof error}`);
  }
}

/**
 * What a {@linkcode StorageError} may keep as its cause: another `StorageError`, or the safe
 * copy of anything else.
 */
function safeCause(cause: unknown): StorageError | DatabaseError {
  return cause instanceof StorageError ? cause : DatabaseError.from(cause);
}

/**
 * The error every operation of the package rejects with. Switch on `kind`, not on the message.
 *
 * Messages say what failed and, where they can, what to do. They never contain a password,
 * SQL text or bound parameters. Its `cause`, if any, is a `StorageError` or a
 * {@linkcode DatabaseError}, which holds no statement, parameter or row either.
 *
 * @example Telling a taken username from other failures
 * ```ts
 * import { openStorage, StorageError } from "@impulse/storage";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * await storage.users.create({ username: "sysop", passwordHash: "x" });
 * try {
 *   await storage.users.create({ username: "SysOp", passwordHash: "y" });
 * } catch (error) {
 *   if (!(error instanceof StorageError) || error.kind !== "conflict") throw error;
 * }
 * ```
 */
export class StorageError extends Error {
  /** The normalised kind of failure. */
  readonly kind: StorageErrorKind;
  /** For `validation`: the offending field. */
  readonly field?: string;
  /** For `migration`: the migration version concerned. */
  readonly version?: number;

  /**
   * Creates an error of the given kind.
   *
   * @param kind The kind of failure.
   * @param message What failed and, where possible, what to do.
   * @param options The cause, the field or the migration version.
   */
  constructor(
    kind: StorageErrorKind,
    message: string,
    options: StorageErrorOptions = {},
  ) {
    super(
      message,
      options.cause === undefined
        ? undefined
        : { cause: safeCause(options.cause) },
    );
    this.name = "StorageError";
    this.kind = kind;
    if (options.field !== undefined) this.field = options.field;
    if (options.version !== undefined) this.version = options.version;
  }
}

/**
 * Tells whether a value is a {@linkcode StorageError}, optionally of one kind.
 *
 * @param error The value to test.
 * @param kind The kind it must have, if any.
 * @returns `true` when `error` is a `StorageError` (of `kind`, when given).
 *
 * @example
 * ```ts
 * import { isStorageError, StorageError } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isStorageError(new StorageError("conflict", "Taken"), "conflict"));
 * assert.ok(!isStorageError(new Error("plain")));
 * ```
 */
export function isStorageError(
  error: unknown,
  kind?: StorageErrorKind,
): error is StorageError {
  return error instanceof StorageError &&
    (kind === undefined || error.kind === kind);
}

/**
 * Turns anything thrown into a {@linkcode StorageError}: a `StorageError` passes unchanged;
 * anything else is a bug of the package, `internal`, with the original as its cause.
 *
 * @param error What was thrown.
 * @param doing What was being done, for the message (`openStorage`).
 * @returns The error to throw.
 */
export function asStorageError(error: unknown, doing: string): StorageError {
  if (error instanceof StorageError) return error;
  const detail = error instanceof Error
    ? `${error.name}: ${error.message}`
    : typeof error;
  return new StorageError(
    "internal",
    `${doing} failed unexpectedly: ${detail}: please report this bug`,
    { cause: error },
  );
}

/**
 * The error of a call that a closed storage (or migrator) cannot run, the same on every driver:
 * `unavailable`, never `internal`, whatever the closed handle threw.
 *
 * @param doing What was to be run.
 * @param during What `close()` cut short: `"wait"`, a call waiting for the writer or a
 * connection; `"transaction"`, a statement or the commit of a transaction still running when
 * `close()` stopped waiting for it (the database rolled it back); nothing, a call made after.
 * @returns The error.
 */
export function closedError(
  doing: string,
  during?: "wait" | "transaction",
): StorageError {
  const message = during === "transaction"
    ? `Cannot run ${doing} as the storage was closed while its transaction ran: the ` +
      `transaction was rolled back and nothing of it was committed: let transactions end ` +
      `before closing the storage`
    : during === "wait"
    ? `Cannot run ${doing} as the storage was closed while it waited for the writer`
    : `Cannot run ${doing} as the storage is closed: open it again with openStorage()`;
  return new StorageError("unavailable", message);
}
