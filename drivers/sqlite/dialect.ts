/**
 * What is particular to SQLite: URL forms, connection pragmas and the mapping of SQLite's
 * extended result codes onto {@linkcode StorageErrorKind}s.
 *
 * @module
 */
import { isAbsolute } from "node:path";
import {
  DatabaseError,
  describe,
  StorageError,
  type StorageErrorKind,
} from "../../driver.ts";

/** Pragmas set on every connection. */
export const PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
  // The FTS5 triggers need it on SQLite before 3.4x, where FTS5 is not yet marked innocuous.
  "PRAGMA trusted_schema = ON",
];

/** A parsed `sqlite:` URL. */
export interface SqliteUrl {
  /**
   * What the engine opens: `:memory:`, or the file's path with `./` put before a relative one,
   * so SQLite can never read it as a URI filename (`file:…`) or a special name.
   */
  path: string;
  /** Whether the URL names a private in-memory database. */
  memory: boolean;
  /** Query parameters (`engine`, `library`; checked by {@linkcode engineChoice}). */
  params: URLSearchParams;
}

/** Text SQLite reads as a URI filename when it opens it: refused in any case. */
const URI_FILENAME = /^file:/i;
/** Control characters (C0, DEL, C1): no path the driver opens holds them. */
const CONTROL = /\p{Cc}/u;

/**
 * Parses `sqlite:<path>`, `sqlite://<path>` and `sqlite::memory:`, with optional `?key=value`
 * parameters. The path is everything before the first `?`, taken as written: no
 * percent-decoding, so `%` is a plain character and nothing encoded reaches SQLite.
 *
 * @param url The URL.
 * @returns The path to open and the parameters.
 * @throws {StorageError} `validation` naming `url` for an empty path, a `file:` URI filename, a
 * name starting with `:` other than `:memory:`, control characters, or whitespace at either end
 * of the path.
 */
export function parseSqliteUrl(url: string): SqliteUrl {
  const rest = url.replace(/^sqlite:(\/\/)?/i, "");
  const question = rest.indexOf("?");
  const path = question < 0 ? rest : rest.slice(0, question);
  const params = new URLSearchParams(
    question < 0 ? "" : rest.slice(question + 1),
  );
  const problem = pathProblem(path);
  if (problem !== undefined) {
    throw new StorageError(
      "validation",
      `Invalid openStorage input: url ${problem}: use "sqlite:<path>" or "sqlite::memory:"`,
      { field: "url" },
    );
  }
  const memory = path === ":memory:";
  const explicit = memory || isAbsolute(path) || /^\.\.?\//.test(path);
  return { path: explicit ? path : `./${path}`, memory, params };
}

function pathProblem(path: string): string | undefined {
  if (path === ":memory:") return undefined;
  if (path === "") return "has no path";
  if (CONTROL.test(path)) return "must not contain control characters";
  if (URI_FILENAME.test(path)) {
    return 'must not be a SQLite URI filename ("file:…")';
  }
  if (path.startsWith(":")) {
    return `must not start with ":" except as ":memory:"`;
  }
  if (/^\s|\s$/u.test(path)) return "must not start or end with whitespace";
  return undefined;
}

/** The engine a URL or the open options ask for. */
export interface EngineChoice {
  /** `node`, `ffi`, or `undefined` when neither says. */
  engine?: "node" | "ffi";
  /** The library for the FFI engine. */
  library?: string;
}

/**
 * Reads the engine choice of a `sqlite:` URL's parameters (`engine=node|ffi`, `library=<path>`)
 * and of the `sqlite` open options. A library implies the FFI engine.
 *
 * @param params The URL's parameters.
 * @param options The `sqlite` open options.
 * @returns The choice.
 * @throws {StorageError} `validation` for an unknown or repeated parameter, a bad value, or a
 * URL and options that disagree.
 */
export function engineChoice(
  params: URLSearchParams,
  options: EngineChoice = {},
): EngineChoice {
  const fromUrl: EngineChoice = {};
  for (const [key, value] of params) {
    if (key !== "engine" && key !== "library") {
      // A name is shown only when it looks like one; other text only by its size.
      const shown = /^[A-Za-z0-9_.-]{1,40}$/.test(key) ? key : null;
      throw new StorageError(
        "validation",
        `Invalid openStorage input: unknown SQLite URL parameter ${
          shown === null ? `(${describe(key)})` : `"url.${shown}"`
        }: use "engine" or "library"`,
        { field: `url.${shown ?? "?"}` },
      );
    }
    if (params.getAll(key).length > 1 || value === "" || value.includes("\0")) {
      throw new StorageError(
        "validation",
        `Invalid openStorage input: url.${key} must appear once, with a value and no NUL`,
        { field: `url.${key}` },
      );
    }
    if (key === "engine" && value !== "node" && value !== "ffi") {
      throw new StorageError(
        "validation",
        `Invalid openStorage input: url.engine must be "node" or "ffi": got ${
          describe(value)
        }`,
        { field: "url.engine" },
      );
    }
    fromUrl[key] = value as never;
  }
  const choice: EngineChoice = {};
  for (const key of ["engine", "library"] as const) {
    const a = fromUrl[key], b = options[key];
    if (a !== undefined && b !== undefined && a !== b) {
      throw new StorageError(
        "validation",
        `Invalid openStorage input: url.${key} and options.sqlite.${key} disagree: give one of them`,
        { field: `options.sqlite.${key}` },
      );
    }
    if ((a ?? b) !== undefined) choice[key] = (a ?? b) as never;
  }
  if (choice.library !== undefined) {
    if (choice.engine === "node") {
      const field = fromUrl.library !== undefined
        ? "url.library"
        : "options.sqlite.library";
      throw new StorageError(
        "validation",
        `Invalid openStorage input: ${field} applies to the ffi engine only: got engine "node"`,
        { field },
      );
    }
    choice.engine = "ffi";
  }
  return choice;
}

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
