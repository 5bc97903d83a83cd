/**
 * The engine port of the SQLite driver: the few calls the driver makes on a SQLite library,
 * and the engine on Deno's built-in `node:sqlite`. Another engine (FFI over a system
 * libsqlite3) implements the same port.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { Row } from "../../src/driver.ts";

/** A prepared statement. Parameters bind by position. */
export interface EngineStatement {
  /** All rows. */
  all(params: readonly unknown[]): Row[];
  /** The first row, or `undefined`. */
  get(params: readonly unknown[]): Row | undefined;
  /** Runs the statement; returns the number of changed rows. */
  run(params: readonly unknown[]): number;
}

/** An open database handle. */
export interface EngineDatabase {
  /** Prepares one statement. */
  prepare(text: string): EngineStatement;
  /** Runs a script of several statements. */
  exec(script: string): void;
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

class NodeStatement implements EngineStatement {
  #statement: StatementSync;
  constructor(statement: StatementSync) {
    this.#statement = statement;
  }
  all(params: readonly unknown[]): Row[] {
    return this.#statement.all(...params as never[]) as Row[];
  }
  get(params: readonly unknown[]): Row | undefined {
    return this.#statement.get(...params as never[]) as Row | undefined;
  }
  run(params: readonly unknown[]): number {
    return Number(this.#statement.run(...params as never[]).changes);
  }
}

class NodeDatabase implements EngineDatabase {
  #db: DatabaseSync;
  constructor(db: DatabaseSync) {
    this.#db = db;
  }
  prepare(text: string): EngineStatement {
    return new NodeStatement(this.#db.prepare(text));
  }
  exec(script: string): void {
    this.#db.exec(script);
  }
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

/** The engine on Deno's built-in `node:sqlite`: no FFI, nothing downloaded. */
export const nodeEngine: SqliteEngine = {
  name: "node",
  open(path, options) {
    const db = new DatabaseSync(path, {
      readOnly: options.readOnly ?? false,
      timeout: options.busyTimeoutMs,
      enableForeignKeyConstraints: true,
      enableDoubleQuotedStringLiterals: false,
    });
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
    if (/database is locked/.test(message)) return 5;
    if (/UNIQUE constraint failed/.test(message)) return 2067;
    if (/FOREIGN KEY constraint failed/.test(message)) return 787;
    return 1;
  },
};
