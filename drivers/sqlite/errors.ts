/**
 * The mapping of SQLite's extended result codes onto {@linkcode StorageErrorKind}s, and the
 * codes the driver retries (a busy database).
 *
 * @module
 */
import {
  DatabaseError,
  StorageError,
  type StorageErrorKind,
} from "../../driver.ts";

/** SQLite result codes the driver tells apart. */
export const SQLITE = {
  BUSY: 5,
  LOCKED: 6,
  CONSTRAINT: 19,
  CONSTRAINT_PRIMARYKEY: 1555,
  CONSTRAINT_UNIQUE: 2067,
} as const;

const UNAVAILABLE = new Set([
  3, // PERM
  5, // BUSY
  6, // LOCKED
  8, // READONLY
  10, // IOERR
  11, // CORRUPT
  13, // FULL
  14, // CANTOPEN
  15, // PROTOCOL
  26, // NOTADB
]);

/**
 * Whether an extended result code is transient: the database is busy or locked.
 *
 * @param code The extended result code.
 * @returns `true` for SQLITE_BUSY and SQLITE_LOCKED and their extended codes.
 */
export function isBusy(code: number | undefined): boolean {
  const primary = (code ?? 0) & 0xff;
  return primary === SQLITE.BUSY || primary === SQLITE.LOCKED;
}

/**
 * The kind of an extended result code.
 *
 * @param code The extended result code.
 * @returns The kind.
 */
export function kindOf(code: number): StorageErrorKind {
  if (
    code === SQLITE.CONSTRAINT_UNIQUE || code === SQLITE.CONSTRAINT_PRIMARYKEY
  ) return "conflict";
  const primary = code & 0xff;
  if (primary === SQLITE.CONSTRAINT) return "constraint";
  if (UNAVAILABLE.has(primary)) return "unavailable";
  return "internal";
}

/**
 * SQLite's message without any piece of SQL text: node:sqlite appends the script and an offset
 * to an `exec()` error (`… in CREATE TABLE … at offset 14`), and SQLite's syntax errors quote the
 * token they stopped at (`near "…"`, `unrecognized token: "…"`), which may be a literal.
 *
 * @param message The engine error's message.
 * @returns The message with the SQL text cut out.
 */
export function sqliteMessage(message: string): string {
  return message
    .replace(/ in [\s\S]* at offset \d+$/, "")
    .replace(/^near "[\s\S]*": syntax error$/, "syntax error")
    .replace(/^unrecognized token: "[\s\S]*"$/, "unrecognized token");
}

/**
 * SQLite's messages (SQLITE_ERROR) for a statement that names a table or column the schema
 * lacks, or gives a table more values than it has columns: the database is not at the version
 * the code was written for.
 */
const SCHEMA_MISMATCH =
  /^(no such (table|column|index): |table \S+ has no column named |table \S+ has \d+ columns but \d+ values were supplied)/;

/**
 * Turns an engine error into a {@linkcode StorageError}. A `StorageError` passes unchanged. The
 * message and the cause hold SQLite's message without SQL text ({@linkcode sqliteMessage}).
 *
 * @param error What the engine threw.
 * @param code Its extended result code, if it came from SQLite.
 * @param doing What was being done, for the message (`users.create`).
 * @returns The error to throw.
 */
export function toStorageError(
  error: unknown,
  code: number | undefined,
  doing: string,
): StorageError {
  if (error instanceof StorageError) return error;
  const detail = sqliteMessage(
    error instanceof Error ? error.message : String(error),
  );
  const cause = DatabaseError.from(error, detail);
  if (code === undefined) {
    return new StorageError(
      "internal",
      `SQLite failed during ${doing}: ${detail}`,
      { cause },
    );
  }
  if ((code & 0xff) === 1 && SCHEMA_MISMATCH.test(detail)) {
    return new StorageError(
      "migration",
      `SQLite failed during ${doing}: ${detail}: the database schema is not at the version ` +
        `this code needs; run \`deno task migrate\` (or open it with migrate: "up")`,
      { cause },
    );
  }
  const kind = kindOf(code);
  const hint = kind === "unavailable"
    ? ": check that the database file exists, is writable and is not corrupt"
    : "";
  return new StorageError(
    kind,
    `SQLite failed during ${doing}: ${detail} (code ${code})${hint}`,
    { cause },
  );
}
