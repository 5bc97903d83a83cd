/**
 * What opening a SQLite database decides and checks besides its place: the engine, the error of
 * a handle that cannot be opened, the journal mode `migrate: "check"` needs, and FTS5.
 *
 * @module
 */
import { resolve } from "node:path";
import { runtime, StorageError } from "../../driver.ts";
import type { EngineChoice } from "./url.ts";
import { PRAGMAS } from "./dialect.ts";
import { detailOf, shownPath } from "./files.ts";
import {
  type EngineDatabase,
  nodeEngine,
  type SqliteEngine,
} from "./engine.ts";

/**
 * The engine to open with: the URL's or the options' choice, else the given one. The FFI engine
 * is imported only when asked for, so nobody else needs `--allow-ffi`.
 */
export async function chosenEngine(
  given: SqliteEngine,
  choice: EngineChoice,
): Promise<SqliteEngine> {
  if (choice.engine === undefined) return given;
  if (choice.engine === "node") return nodeEngine;
  if (choice.library === undefined && given.name === "ffi") return given;
  if (!runtime.isDeno) {
    throw new StorageError(
      "unavailable",
      "Cannot open the SQLite database with engine=ffi as the FFI engine runs on Deno only: " +
        "leave engine out (or engine=node) on Node and Bun",
    );
  }
  const { ffiEngine } = await import("./ffi/engine.ts");
  return ffiEngine({ library: choice.library });
}

export function openError(
  error: unknown,
  path: string,
  code: number | undefined,
): StorageError {
  if (error instanceof runtime.errors.NotCapable) {
    return new StorageError(
      "unavailable",
      `Cannot open the SQLite database as permission is missing: ${
        shownPath(path)
      }: run with --allow-read and --allow-write on its directory`,
      { cause: error },
    );
  }
  const detail = detailOf(error, path);
  return new StorageError(
    "unavailable",
    `Cannot open the SQLite database: ${shownPath(path)}: ${detail}${
      code === undefined ? "" : ` (code ${code})`
    }: check that the path is a SQLite database in a writable directory${
      new TextEncoder().encode(resolve(path)).length > 512
        ? ", and shorten it: SQLite takes paths of up to 512 bytes unless built otherwise"
        : ""
    }`,
    { cause: error },
  );
}

/**
 * Sets the connection's pragmas: WAL and the others on the writer (a read-only open, or
 * `migrate: "check"`, leaves the journal mode as it is; "check" refuses one other than WAL), and
 * `query_only` on the reader.
 *
 * @param writer The writer.
 * @param reader The reader, if any.
 * @param open The database's path, and how it is opened.
 * @throws What SQLite throws (busy, while another process holds the database); `migration`
 * when "check" finds another journal mode than WAL.
 */
export function setPragmas(
  writer: EngineDatabase,
  reader: EngineDatabase | null,
  open: { path: string; readOnly: boolean; check: boolean },
): void {
  for (const pragma of PRAGMAS) {
    const journal = pragma.startsWith("PRAGMA journal_mode");
    if (!(journal && (open.readOnly || open.check))) writer.exec(pragma);
  }
  if (open.check) assertWal(writer, open.path);
  reader?.exec("PRAGMA query_only = ON");
}

/**
 * `migrate: "check"` changes nothing, so it does not switch a database to WAL: it refuses one in
 * another journal mode, which opening it for use (`"up"`, `"off"`) would switch.
 */
function assertWal(db: EngineDatabase, path: string): void {
  const mode = String(db.prepare("PRAGMA journal_mode").get([])?.journal_mode);
  if (mode.toLowerCase() === "wal") return;
  throw new StorageError(
    "migration",
    `The SQLite database ${path} is in journal mode "${mode}", not WAL, and migrate: "check" ` +
      `changes nothing: open it once with migrate: "up" (or run \`deno task migrate\`) to ` +
      `switch it to WAL`,
  );
}

/** Search needs FTS5: refuse a SQLite build without it at open, not at the first search. */
export function assertFts5(db: EngineDatabase, engine: string): void {
  try {
    db.exec(
      "CREATE VIRTUAL TABLE temp.impulse_fts5_probe USING fts5 (x); DROP TABLE temp.impulse_fts5_probe",
    );
  } catch (error) {
    throw new StorageError(
      "unavailable",
      `The SQLite library of the ${engine} engine lacks FTS5, which search needs: ` +
        `use a build with FTS5 enabled (SQLITE_ENABLE_FTS5)`,
      { cause: error },
    );
  }
}

/**
 * Whether no connection but the caller's (already closed) has the database open, found by
 * switching it out of WAL mode, which SQLite refuses (busy) while another connection holds it
 * open, even idle. A switch that fails for want of room to checkpoint (SQLITE_FULL) got that far
 * only with the database to itself.
 *
 * @param engine The engine it was opened with.
 * @param path The database file.
 * @returns `true` when the caller was its only user.
 */
export function usedByNoOther(engine: SqliteEngine, path: string): boolean {
  let db: EngineDatabase;
  try {
    db = engine.open(path, { busyTimeoutMs: 0 });
  } catch {
    return false;
  }
  try {
    const mode = db.prepare("PRAGMA journal_mode = DELETE").get([]);
    return String(mode?.journal_mode).toLowerCase() === "delete";
  } catch (error) {
    return ((engine.errorCode(error) ?? 0) & 0xff) === 13; // SQLITE_FULL
  } finally {
    db.close();
  }
}
