/**
 * The engine port of the SQLite driver: the few calls the driver makes on a SQLite library,
 * and the engine on Deno's built-in `node:sqlite`. Another engine (FFI over a system
 * libsqlite3) implements the same port.
 *
 * @module
 */
import * as nodeSqlite from "node:sqlite";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { type NamedRow, type Row, StorageError } from "../../driver.ts";

/**
 * `node:sqlite`'s `backup`, which Deno has since 2.6: looked up, not imported by
 * name, so that a Deno without it still loads the driver.
 */
const backup: typeof nodeSqlite.backup | undefined = (nodeSqlite as {
  backup?: typeof nodeSqlite.backup;
}).backup;

/**
 * A prepared statement. Parameters bind by position. `values` / `value` return rows as arrays
 * in select-list order (what the operations use: no per-row key lookups); `all` / `get` return
 * rows keyed by column name (migrations, pragmas).
 */
export interface EngineStatement {
  /** All rows, as arrays of values. */
  values(params: readonly unknown[]): Row[];
  /** The first row as an array of values, or `undefined`. */
  value(params: readonly unknown[]): Row | undefined;
  /** All rows, keyed by column name. */
  all(params: readonly unknown[]): NamedRow[];
  /** The first row keyed by column name, or `undefined`. */
  get(params: readonly unknown[]): NamedRow | undefined;
  /** Runs the statement; returns the number of changed rows. */
  run(params: readonly unknown[]): number;
  /**
   * An `INSERT`, `UPDATE` or `DELETE` of the application's: all rows keyed by column name, as
   * `all`; for a statement that returns no columns (no `RETURNING`), the array carries
   * `changed`, the rows it changed (SQLite's `changes()`). Where the engine cannot tell whether
   * the statement returns columns, the rows as `all`.
   */
  allChanged(params: readonly unknown[]): NamedRow[] & { changed?: number };
}

/** An open database handle. */
export interface EngineDatabase {
  /** Prepares one statement. */
  prepare(text: string): EngineStatement;
  /** Runs a script of several statements. */
  exec(script: string): void;
  /** Writes a consistent copy of the database to a new file at `path`. */
  copyTo(path: string): Promise<void>;
  /** Closes the handle and finalizes its statements. */
  close(): void;
}

/** How to open a handle. */
export interface EngineOpenOptions {
  /** Open read-only. */
  readOnly?: boolean;
  /** The busy timeout, in milliseconds. */
  busyTimeoutMs: number;
}

/** A SQLite library. */
export interface SqliteEngine {
  /** A short name for messages (`node`, `ffi`). */
  readonly name: string;
  /**
   * Whether a number with no fractional part binds as an INTEGER rather than a REAL (the FFI
   * engine: arithmetic in SQL on it stays integral). A column of BLOB affinity then keeps an
   * integer where the built-in engine keeps a real. Missing means no.
   */
  readonly integralAsInteger?: boolean;
  /**
   * Opens a database file (or `:memory:`).
   *
   * @throws The engine's error; the driver maps it with its dialect.
   */
  open(path: string, options: EngineOpenOptions): EngineDatabase;
  /**
   * The extended SQLite result code of an error thrown by this engine, or `undefined` if the
   * error did not come from SQLite.
   */
  errorCode(error: unknown): number | undefined;
}

/**
 * Prepares `text`. Where `prepare` fails with no detail ("failed to prepare statement", Deno
 * before 2.6), `EXPLAIN` of the text, run with `exec`, which compiles the statement without
 * running it, throws SQLite's own message ("no such table: …") instead.
 */
function prepare(db: DatabaseSync, text: string): StatementSync {
  try {
    return db.prepare(text);
  } catch (error) {
    if (!/^failed to prepare statement$/i.test((error as Error)?.message)) {
      throw error;
    }
    db.exec(`EXPLAIN ${text}`);
    throw error;
  }
}

/**
 * `VACUUM INTO`: a copy of the database as one moment of it, where `node:sqlite` has no
 * `backup()`. It attaches the copy, which Deno allows only from 2.6 on and with every permission
 * granted (otherwise SQLite's limit on attached databases is 0): then the failure says what to
 * do on this Deno.
 *
 * @param db The database.
 * @param into The copy's path (a new or empty file).
 * @param what What was being done, for the message ("back up …").
 * @throws {StorageError} `unavailable` where Deno refuses the `ATTACH`.
 */
export function vacuumInto(db: DatabaseSync, into: string, what: string): void {
  try {
    db.exec(`VACUUM INTO '${into.replaceAll("'", "''")}'`);
  } catch (error) {
    if (!/too many attached databases/.test(String(error))) throw error;
    const version = (globalThis as { Deno?: { version: { deno: string } } })
      .Deno?.version.deno ?? "";
    throw new StorageError(
      "unavailable",
      /^2\.[0-5]\./.test(version)
        ? `Cannot ${what}: the node:sqlite of Deno ${version} has no backup() and allows no ` +
          `ATTACH, which the other way, VACUUM INTO, needs: run on Deno 2.6 or later`
        : `Cannot ${what}: this node:sqlite has no backup(), and the other way, VACUUM INTO, ` +
          `needs ATTACH, which Deno allows only with every permission: run with --allow-all (-A)`,
      { cause: error },
    );
  }
}

class NodeStatement implements EngineStatement {
  #db: DatabaseSync;
  #text: string;
  #named?: StatementSync;
  #arrays?: StatementSync;
  /** Whether the statement returns columns, once `allChanged` asked. */
  #returns?: boolean;
  constructor(db: DatabaseSync, text: string) {
    this.#db = db;
    this.#text = text;
  }
  #asNamed(): StatementSync {
    return this.#named ??= prepare(this.#db, this.#text);
  }
  #asArrays(): StatementSync {
    if (!this.#arrays) {
      const statement = prepare(this.#db, this.#text);
      // Deno 2.6.7 and later, Node 22.16 and 24 (see `returnsArrays`); the types lag behind.
      (statement as unknown as { setReturnArrays(on: boolean): void })
        .setReturnArrays(true);
      this.#arrays = statement;
    }
    return this.#arrays;
  }
  values(params: readonly unknown[]): Row[] {
    return this.#asArrays().all(...params as never[]) as unknown as Row[];
  }
  value(params: readonly unknown[]): Row | undefined {
    return this.#asArrays().get(...params as never[]) as unknown as
      | Row
      | undefined;
  }
  all(params: readonly unknown[]): NamedRow[] {
    return this.#asNamed().all(...params as never[]) as NamedRow[];
  }
  get(params: readonly unknown[]): NamedRow | undefined {
    return this.#asNamed().get(...params as never[]) as NamedRow | undefined;
  }
  run(params: readonly unknown[]): number {
    return Number(this.#asNamed().run(...params as never[]).changes);
  }
  allChanged(params: readonly unknown[]): NamedRow[] & { changed?: number } {
    // `columns()`: Deno 2.3 and later, Node 22.16 and 24; the types lag behind.
    const columns = (this.#asNamed() as { columns?: () => unknown[] }).columns;
    this.#returns ??= typeof columns !== "function" ||
      columns.call(this.#named).length > 0;
    if (this.#returns) return this.all(params);
    const rows: NamedRow[] & { changed?: number } = [];
    rows.changed = this.run(params);
    return rows;
  }
}

/**
 * A statement where `node:sqlite` cannot return rows as arrays (Deno before 2.6.7): the rows
 * keyed by column name, in select-list order, become arrays. Right for the driver's own
 * statements, whose select lists name every column once and never by a number; the
 * application's statements (`storage.sql`) use the rows keyed by name anyway.
 */
class NodeObjectStatement extends NodeStatement {
  override values(params: readonly unknown[]): Row[] {
    return this.all(params).map((row) => Object.values(row) as Row);
  }
  override value(params: readonly unknown[]): Row | undefined {
    const row = this.get(params);
    return row === undefined ? undefined : Object.values(row) as Row;
  }
}

/** Whether this `node:sqlite` returns rows as arrays; known after the first `open`. */
let returnsArrays: boolean | undefined;

class NodeDatabase implements EngineDatabase {
  #db: DatabaseSync;
  #open = true;
  #Statement: typeof NodeStatement;
  constructor(db: DatabaseSync) {
    this.#db = db;
    returnsArrays ??= typeof (db.prepare("SELECT 1") as {
      setReturnArrays?: unknown;
    }).setReturnArrays === "function";
    this.#Statement = returnsArrays ? NodeStatement : NodeObjectStatement;
  }
  prepare(text: string): EngineStatement {
    return new this.#Statement(this.#db, text);
  }
  exec(script: string): void {
    this.#db.exec(script);
  }
  async copyTo(path: string): Promise<void> {
    // The online backup API where there is one: VACUUM INTO needs ATTACH, which Deno allows in
    // node:sqlite only from 2.6 on (which has backup) and with every permission.
    if (backup !== undefined) {
      await backup(this.#db, path);
      return;
    }
    vacuumInto(this.#db, path, `copy the database to ${path}`);
  }
  close(): void {
    // Deno 2.2 – 2.5 have no `isOpen`: the handle's own flag says it.
    if (this.#open && this.#db.isOpen !== false) this.#db.close();
    this.#open = false;
  }
}

/**
 * SQLite's own messages for the primary result codes that say the database cannot be used
 * (`sqlite3_errstr`), for errors of `exec()`, which carry no code on this engine.
 */
const PRIMARY_MESSAGES: readonly (readonly [string, number])[] = [
  ["access permission denied", 3],
  ["database is locked", 5],
  ["database table is locked", 6],
  ["attempt to write a readonly database", 8],
  ["disk I/O error", 10],
  ["database disk image is malformed", 11],
  ["database or disk is full", 13],
  ["unable to open database file", 14],
  ["locking protocol", 15],
  ["file is not a database", 26],
];

/** The engine on Deno's built-in `node:sqlite`: no FFI, nothing downloaded. */
export const nodeEngine: SqliteEngine = {
  name: "node",
  open(path, options) {
    const db = new nodeSqlite.DatabaseSync(path, {
      readOnly: options.readOnly ?? false,
      timeout: options.busyTimeoutMs,
      enableForeignKeyConstraints: true,
      enableDoubleQuotedStringLiterals: false,
    });
    // Deno before 2.6 ignores `timeout` (SQLite's busy timeout stays 5 s): set it here too.
    db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
    return new NodeDatabase(db);
  },
  errorCode(error) {
    const code = (error as { errcode?: unknown } | null)?.errcode;
    if (typeof code === "number") return code;
    // Errors of exec() carry no code; recognise the ones the driver must tell apart.
    const message = error instanceof Error ? error.message : "";
    if ((error as { code?: unknown } | null)?.code !== "ERR_SQLITE_ERROR") {
      return undefined;
    }
    if (/UNIQUE constraint failed/.test(message)) return 2067;
    if (/FOREIGN KEY constraint failed/.test(message)) return 787;
    for (const [text, code] of PRIMARY_MESSAGES) {
      if (message.startsWith(text)) return code;
    }
    return 1;
  },
};
