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
  /** The error that caused this one. */
  cause?: unknown;
  /** For `validation`: the path of the offending field, such as `username` or `options.limit`. */
  field?: string;
  /** For `migration`: the migration version concerned. */
  version?: number;
}

/**
 * The error every operation of the package rejects with. Switch on `kind`, not on the message.
 *
 * Messages say what failed and, where they can, what to do. They never contain a password,
 * SQL text or bound parameters.
 *
 * @example Telling a taken username from other failures
 * ```ts
 * import { openStorage, StorageError } from "@impulse/storage";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * await storage.createUser({ username: "sysop", passwordHash: "x" });
 * try {
 *   await storage.createUser({ username: "SysOp", passwordHash: "y" });
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
      options.cause === undefined ? undefined : { cause: options.cause },
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
