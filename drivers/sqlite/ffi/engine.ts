/**
 * The FFI engine: the SQLite driver's engine port on a libsqlite3 shared library loaded with
 * `Deno.dlopen`. Integers are exact up to 2^53 − 1 (beyond that a read fails instead of rounding),
 * text keeps embedded NULs, and errors carry SQLite's extended result code.
 *
 * @module
 */
import type {
  EngineDatabase,
  EngineOpenOptions,
  EngineStatement,
  SqliteEngine,
} from "../engine.ts";
import { SqliteFfiError } from "./error.ts";
import {
  cString,
  loadSqliteLibrary,
  type Sqlite3,
  type SqliteLibrary,
} from "./library.ts";
import { Binder } from "./bind.ts";
import { FfiStatement, type StatementOwner } from "./statement.ts";

export { SqliteFfiError } from "./error.ts";

const OK = 0;
const MISUSE = 21;
const OPEN_READONLY = 0x1;
const OPEN_READWRITE = 0x2;
const OPEN_CREATE = 0x4;
const OPEN_NOMUTEX = 0x8000;
const PREPARE_PERSISTENT = 0x1;
const DBCONFIG_DQS_DML = 1013;
const DBCONFIG_DQS_DDL = 1014;
/** Whether a variadic C function may be called like a fixed one (all but Apple's arm64 ABI). */
const VARIADIC_AS_FIXED = !(Deno.build.os === "darwin" &&
  Deno.build.arch === "aarch64");

const encoder = new TextEncoder();

/** Options of {@linkcode ffiEngine}. */
export interface FfiEngineOptions {
  /**
   * The libsqlite3 to load: a path, or a name the system loader resolves. When missing,
   * `DENO_SQLITE_PATH` is used if set, else the platform's usual names.
   */
  library?: string;
}

/** A {@linkcode SqliteEngine} on a loaded libsqlite3. */
export interface FfiEngine extends SqliteEngine {
  /** Where the library was loaded from. */
  readonly library: string;
  /** The library's SQLite version, like `3.40.1`. */
  readonly version: string;
}

const engines = new Map<string, FfiEngine>();

/**
 * The FFI engine on a libsqlite3. The library is loaded now (once per place; later calls reuse
 * it). Needs `--allow-ffi`.
 *
 * @param options Which library to load.
 * @returns The engine.
 * @throws {StorageError} `unavailable` when the library cannot be loaded; the message names
 * every place tried.
 *
 * @example
 * ```ts
 * import { ffiEngine } from "@impulse/storage/sqlite-ffi";
 * import assert from "node:assert/strict";
 *
 * const db = ffiEngine().open(":memory:", { busyTimeoutMs: 100 });
 * const row = db.prepare("SELECT ? + 1 AS n").get([2 ** 40]);
 * assert.equal(row?.n, 2 ** 40 + 1);
 * db.close();
 * ```
 */
export function ffiEngine(options: FfiEngineOptions = {}): FfiEngine {
  const library = loadSqliteLibrary(options.library);
  let engine = engines.get(library.place);
  if (!engine) {
    engine = {
      name: "ffi",
      integralAsInteger: true,
      library: library.place,
      version: library.version,
      open: (path, openOptions) => FfiDatabase.open(library, path, openOptions),
      errorCode: (error) =>
        error instanceof SqliteFfiError ? error.code : undefined,
    };
    engines.set(library.place, engine);
  }
  return engine;
}

/** Finalizes statements that were dropped without their handle being closed. */
const droppedStatements = new FinalizationRegistry<
  { db: FfiDatabase; statement: Deno.PointerObject }
>(({ db, statement }) => db.finalize(statement));

/** What closing a handle takes, held apart from the handle's object. */
interface HandleState {
  lib: Sqlite3;
  db: Deno.PointerObject;
  statements: Set<Deno.PointerObject>;
}

/** Closes handles that were dropped without being closed, as `node:sqlite` does. */
const droppedHandles = new FinalizationRegistry<HandleState>(closeHandle);

function closeHandle({ lib, db, statements }: HandleState): void {
  for (const statement of statements) lib.sqlite3_finalize(statement);
  statements.clear();
  lib.sqlite3_close_v2(db);
}

class FfiDatabase implements EngineDatabase, StatementOwner {
  readonly #lib: Sqlite3;
  readonly #binder: Binder;
  #db: Deno.PointerObject | null;
  /** Every statement not yet finalized, so close() can finalize them. */
  readonly #statements = new Set<Deno.PointerObject>();

  private constructor(lib: Sqlite3, db: Deno.PointerObject) {
    this.#lib = lib;
    this.#binder = new Binder(lib);
    this.#db = db;
    droppedHandles.register(
      this,
      { lib, db, statements: this.#statements },
      this,
    );
  }

  static open(
    library: SqliteLibrary,
    path: string,
    options: EngineOpenOptions,
  ): FfiDatabase {
    const lib = library.lib;
    if (path.includes("\0")) {
      throw new SqliteFfiError(
        MISUSE,
        `Cannot open a database path with a NUL character`,
      );
    }
    const out = new BigUint64Array(1);
    // Never SQLITE_OPEN_URI. Builds compiled with SQLITE_USE_URI (Debian's among them) read a
    // name starting with "file:" as a URI even without it: the driver hands explicit paths
    // only (see parseSqliteUrl).
    const flags =
      (options.readOnly ? OPEN_READONLY : OPEN_READWRITE | OPEN_CREATE) |
      OPEN_NOMUTEX;
    const rc = lib.sqlite3_open_v2(
      encoder.encode(`${path}\0`),
      out,
      flags,
      null,
    );
    const db = Deno.UnsafePointer.create(out[0]!);
    if (rc !== OK || db === null) {
      const message = db === null
        ? cString(lib.sqlite3_errstr(rc))
        : cString(lib.sqlite3_errmsg(db));
      lib.sqlite3_close_v2(db);
      throw new SqliteFfiError(rc, message);
    }
    lib.sqlite3_extended_result_codes(db, 1);
    lib.sqlite3_busy_timeout(db, options.busyTimeoutMs);
    if (VARIADIC_AS_FIXED) {
      // Like node:sqlite: a double-quoted string is an identifier, never a string literal.
      lib.sqlite3_db_config(db, DBCONFIG_DQS_DML, 0, null);
      lib.sqlite3_db_config(db, DBCONFIG_DQS_DDL, 0, null);
    }
    const database = new FfiDatabase(lib, db);
    try {
      database.exec("PRAGMA foreign_keys = ON");
    } catch (error) {
      database.close();
      throw error;
    }
    return database;
  }

  prepare(text: string): EngineStatement {
    const db = this.#open();
    const sql = encoder.encode(text);
    const out = new BigUint64Array(1);
    const rc = this.#lib.sqlite3_prepare_v3(
      db,
      sql,
      sql.length,
      PREPARE_PERSISTENT,
      out,
      null,
    );
    if (rc !== OK) throw this.error(rc);
    const statement = Deno.UnsafePointer.create(out[0]!);
    if (statement === null) {
      throw new SqliteFfiError(MISUSE, "The SQL text holds no statement");
    }
    this.#statements.add(statement);
    const prepared = new FfiStatement(this, this.#lib, this.#binder, statement);
    droppedStatements.register(prepared, { db: this, statement });
    return prepared;
  }

  exec(script: string): void {
    const db = this.#open();
    const rc = this.#lib.sqlite3_exec(
      db,
      encoder.encode(`${script}\0`),
      null,
      null,
      null,
    );
    if (rc !== OK) throw this.error(rc);
  }

  copyTo(path: string): Promise<void> {
    const statement = this.prepare("VACUUM INTO ?");
    statement.run([path]);
    return Promise.resolve();
  }

  close(): void {
    const db = this.#db;
    if (db === null) return;
    this.#db = null;
    droppedHandles.unregister(this);
    closeHandle({ lib: this.#lib, db, statements: this.#statements });
  }

  /** The open handle. */
  get handle(): Deno.PointerObject {
    return this.#open();
  }

  /** Whether the handle is open. */
  get isOpen(): boolean {
    return this.#db !== null;
  }

  /** The number of statements not yet finalized. */
  get statementCount(): number {
    return this.#statements.size;
  }

  /** Finalizes one statement, unless close() already did. */
  finalize(statement: Deno.PointerObject): void {
    if (this.#db !== null && this.#statements.delete(statement)) {
      this.#lib.sqlite3_finalize(statement);
    }
  }

  /** The error for a result code, with the handle's message. */
  error(code: number): SqliteFfiError {
    const db = this.#db;
    const message = db === null
      ? cString(this.#lib.sqlite3_errstr(code))
      : cString(this.#lib.sqlite3_errmsg(db));
    return new SqliteFfiError(code, message);
  }

  #open(): Deno.PointerObject {
    if (this.#db === null) {
      throw new SqliteFfiError(MISUSE, "The database handle is closed");
    }
    return this.#db;
  }
}
