/**
 * The error the FFI engine throws for a failed SQLite call.
 *
 * @module
 */

/**
 * A failed SQLite call of the FFI engine: SQLite's message and its extended result code. The
 * SQLite driver turns it into a `StorageError` by the code, exactly as it does for the built-in
 * engine's errors.
 *
 * @example
 * ```ts
 * import { ffiEngine, SqliteFfiError } from "@impulse/storage/sqlite-ffi";
 * import assert from "node:assert/strict";
 *
 * const db = ffiEngine().open(":memory:", { busyTimeoutMs: 100 });
 * db.exec("CREATE TABLE t (name TEXT UNIQUE); INSERT INTO t VALUES ('sysop')");
 * assert.throws(
 *   () => db.prepare("INSERT INTO t VALUES (?)").run(["sysop"]),
 *   (error) => error instanceof SqliteFfiError && error.code === 2067, // SQLITE_CONSTRAINT_UNIQUE
 * );
 * db.close();
 * ```
 */
export class SqliteFfiError extends Error {
  /** The extended result code, like 5 (`SQLITE_BUSY`) or 2067 (`SQLITE_CONSTRAINT_UNIQUE`). */
  readonly code: number;

  /**
   * Makes the error of a failed call.
   *
   * @param code The extended result code.
   * @param message SQLite's message.
   */
  constructor(code: number, message: string) {
    super(message);
    this.name = "SqliteFfiError";
    this.code = code;
  }
}
