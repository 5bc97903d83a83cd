/**
 * The SQLite connection: one writer guarded by a {@linkcode WriteLock}, one reader (for file
 * databases), cached prepared statements, busy retry, and transactions.
 *
 * @module
 */
import type {
  Awaitable,
  Connection,
  CopyTarget,
  Executor,
  Queryable,
  Row,
  Sql,
} from "../../src/driver.ts";
import {
  type DialectStatement,
  dialectStatement,
  sql,
} from "../../src/driver.ts";
import { StorageError } from "../../src/errors.ts";
import { retry } from "../../src/retry.ts";
import type { ParsedOpenOptions } from "../../src/validate.ts";
import type { MigrationTarget } from "../../src/migrate/target.ts";
import {
  type EngineChoice,
  engineChoice,
  isBusy,
  parseSqliteUrl,
  PRAGMAS,
  toStorageError,
} from "./dialect.ts";
import {
  type EngineDatabase,
  type EngineStatement,
  nodeEngine,
  type SqliteEngine,
} from "./engine.ts";
import { sqliteCopyTarget } from "./copy_target.ts";
import { preparePlace } from "./files.ts";
import { SqliteMigrationTarget } from "./migration_target.ts";
import { STATEMENTS } from "./statements.ts";
import { WriteLock } from "./write_lock.ts";

const BEGIN = sql("tx.begin", "BEGIN IMMEDIATE", true);
const COMMIT = sql("tx.commit", "COMMIT", true);
const ROLLBACK = sql("tx.rollback", "ROLLBACK", true);
// One name for every `atomic` block of a transaction: the core runs them one at a time, never
// nested or overlapping (see `Executor`), so ROLLBACK TO always finds the block's own savepoint.
const SAVEPOINT = sql("tx.savepoint", "SAVEPOINT impulse_op", true);
const RELEASE = sql("tx.release", "RELEASE impulse_op", true);
const ROLLBACK_TO = sql("tx.rollbackTo", "ROLLBACK TO impulse_op", true);

/** The busy timeout set on every handle; longer waits are retried without blocking the loop. */
const BUSY_TIMEOUT_MS = 10;

/** A handle with its prepared statements, cached by statement id. */
class Handle {
  readonly db: EngineDatabase;
  #statements: (EngineStatement | undefined)[] = [];
  constructor(db: EngineDatabase) {
    this.db = db;
  }
  statement(q: Sql): EngineStatement {
    return this.#statements[q.id] ??= this.db.prepare(
      q.dialect ? dialect(q).text : q.text,
    );
  }
}

/** A SQLite database opened by the driver. */
export class SqliteConnection implements Connection {
  readonly dialect = "sqlite";
  readonly root: Executor;
  /** The database file, or `:memory:`. */
  readonly path: string;
  readonly #engine: SqliteEngine;
  readonly #options: ParsedOpenOptions;
  readonly #writer: Handle;
  readonly #reader: Handle | null;
  readonly #lock = new WriteLock();
  #closed = false;

  private constructor(
    engine: SqliteEngine,
    path: string,
    options: ParsedOpenOptions,
    writer: Handle,
    reader: Handle | null,
  ) {
    this.#engine = engine;
    this.path = path;
    this.#options = options;
    this.#writer = writer;
    this.#reader = reader;
    this.root = new RootExecutor(this);
  }

  /**
   * Opens a `sqlite:` URL: checks that the path can hold a database, creates the file and its
   * directory if missing (unless `options.create` is off, `migrate` is `"check"` or the open is
   * read-only), sets WAL and the other pragmas, and opens a reader beside the writer for file
   * databases. A read-only open uses read-only handles and sets nothing that writes.
   *
   * @param engine The SQLite library, unless the URL (`engine=`, `library=`) or
   * `options.sqlite` choose one.
   * @param url The URL.
   * @param options The parsed open options.
   * @returns The connection.
   * @throws {StorageError} `validation` for a malformed URL; `not_found` for a missing file that
   * may not be created; `unavailable` when the path cannot hold a database or the file cannot
   * be opened.
   */
  static async open(
    engine: SqliteEngine,
    url: string,
    options: ParsedOpenOptions,
  ): Promise<SqliteConnection> {
    const { path, memory, params } = parseSqliteUrl(url);
    engine = await chosenEngine(engine, engineChoice(params, options.sqlite));
    const readOnly = !memory && options.readOnly === true;
    if (!memory) {
      await preparePlace(path, {
        ...options.sqlite,
        create: options.create !== false && options.migrate !== "check" &&
          !readOnly,
      });
    }
    const openHandle = () => {
      try {
        return new Handle(
          engine.open(path, { busyTimeoutMs: BUSY_TIMEOUT_MS, readOnly }),
        );
      } catch (error) {
        throw openError(error, path, engine.errorCode(error));
      }
    };
    const writer = openHandle();
    const connection = new SqliteConnection(
      engine,
      path,
      options,
      writer,
      memory ? null : openHandle(),
    );
    try {
      await connection.#busyRetry("open", () => {
        for (const pragma of PRAGMAS) {
          if (!(readOnly && pragma.startsWith("PRAGMA journal_mode"))) {
            writer.db.exec(pragma);
          }
        }
        connection.#reader?.db.exec("PRAGMA query_only = ON");
      });
      assertFts5(writer.db, engine.name);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return connection;
  }

  /** The engine's name. */
  get engineName(): string {
    return this.#engine.name;
  }

  /** Whether reads see the last committed state while a transaction is open. */
  get snapshotReads(): boolean {
    return this.#reader !== null;
  }

  /** @inheritdoc */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.#withWriter("transaction", async (writer) => {
      await this.#busyRetry(
        "transaction",
        () => writer.statement(BEGIN).run([]),
      );
      const tx = new TxExecutor(this, writer);
      let result: T;
      try {
        result = await fn(tx);
      } catch (error) {
        tx.end();
        this.#rollback(writer);
        throw error;
      }
      tx.end();
      try {
        writer.statement(COMMIT).run([]);
      } catch (error) {
        this.#rollback(writer);
        throw this.map(error, "commit");
      }
      return result;
    });
  }

  /**
   * Runs `fn` holding the writer, outside any transaction (migration scripts).
   *
   * @param doing What is being done, for messages.
   * @param fn The work.
   */
  withWriter<T>(
    doing: string,
    fn: (db: EngineDatabase) => Promise<T>,
  ): Promise<T> {
    return this.#withWriter(doing, (writer) => fn(writer.db));
  }

  /** @inheritdoc */
  migrationTarget(): MigrationTarget {
    return new SqliteMigrationTarget(this, this.#engine, this.#options);
  }

  /** @inheritdoc */
  copyTarget(): CopyTarget {
    return sqliteCopyTarget(this);
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#lock.acquire(this.#options.acquireTimeoutMs, "close");
    } catch {
      // A transaction outlived the wait: close anyway; SQLite rolls it back.
    }
    try {
      this.#reader?.db.close();
      this.#writer.db.close();
    } finally {
      this.#lock.release();
    }
  }

  /** Runs a read, on the reader when there is one. */
  read<T>(q: Sql, fn: (s: EngineStatement) => T): Awaitable<T> {
    const reader = this.#reader;
    if (reader === null) return this.write(q, fn);
    this.assertOpen(q.name);
    try {
      return fn(reader.statement(q));
    } catch (error) {
      if (!isBusy(this.#engine.errorCode(error))) throw this.map(error, q.name);
      return this.#busyRetry(q.name, () => fn(reader.statement(q)));
    }
  }

  /** Runs one statement on the writer, as its own transaction. */
  write<T>(q: Sql, fn: (s: EngineStatement) => T): Awaitable<T> {
    this.assertOpen(q.name);
    if (this.#lock.tryAcquire()) {
      let result: T;
      try {
        result = fn(this.#writer.statement(q));
      } catch (error) {
        if (!isBusy(this.#engine.errorCode(error))) {
          this.#lock.release();
          throw this.map(error, q.name);
        }
        return this.#busyRetry(q.name, () => fn(this.#writer.statement(q)))
          .finally(() => this.#lock.release());
      }
      this.#lock.release();
      return result;
    }
    return this.#withWriter(
      q.name,
      (writer) => this.#busyRetry(q.name, () => fn(writer.statement(q))),
    );
  }

  /** Runs `fn` in a transaction of its own (several statements of one operation). */
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction((tx) => fn(tx));
  }

  /**
   * Maps an engine error.
   *
   * @param error What was thrown.
   * @param doing What was being done.
   */
  map(error: unknown, doing: string): StorageError {
    return toStorageError(error, this.#engine.errorCode(error), doing);
  }

  /** Throws `unavailable` once the connection is closed. */
  assertOpen(doing: string): void {
    if (this.#closed) {
      throw new StorageError(
        "unavailable",
        `Cannot run ${doing} as the storage is closed: open it again with openStorage()`,
      );
    }
  }

  async #withWriter<T>(
    doing: string,
    fn: (writer: Handle) => Promise<T>,
  ): Promise<T> {
    this.assertOpen(doing);
    await this.#lock.acquire(this.#options.acquireTimeoutMs, doing);
    try {
      this.assertOpen(doing);
      return await fn(this.#writer);
    } finally {
      this.#lock.release();
    }
  }

  #busyRetry<T>(doing: string, fn: () => T): Promise<T> {
    return retry(
      fn,
      (error) => isBusy(this.#engine.errorCode(error)),
      this.#options.retry,
      (error, attempts) =>
        new StorageError(
          "unavailable",
          `The database stayed busy during ${doing} after ${attempts} attempts: another process ` +
            `holds its write lock; try again later or raise the retry options`,
          { cause: error },
        ),
    ).catch((error) => {
      throw this.map(error, doing);
    });
  }

  #rollback(writer: Handle): void {
    try {
      writer.statement(ROLLBACK).run([]);
    } catch {
      // SQLite already rolled back (after an I/O error, say): nothing is left to undo.
    }
  }
}

class RootExecutor implements Executor {
  #c: SqliteConnection;
  constructor(connection: SqliteConnection) {
    this.#c = connection;
  }
  all(q: Sql, params: readonly unknown[]): Awaitable<Row[]> {
    if (q.dialect) params = dialect(q).bind(params);
    return q.write
      ? this.#c.write(q, (s) => s.values(params))
      : this.#c.read(q, (s) => s.values(params));
  }
  get(q: Sql, params: readonly unknown[]): Awaitable<Row | undefined> {
    if (q.dialect) params = dialect(q).bind(params);
    return q.write
      ? this.#c.write(q, (s) => s.value(params))
      : this.#c.read(q, (s) => s.value(params));
  }
  run(q: Sql, params: readonly unknown[]): Awaitable<number> {
    if (q.dialect) params = dialect(q).bind(params);
    return this.#c.write(q, (s) => s.run(params));
  }
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.#c.atomic(fn);
  }
}

/** The executor of one transaction: every statement on the writer, refused after the end. */
class TxExecutor implements Executor {
  #c: SqliteConnection;
  #writer: Handle;
  #live = true;
  constructor(connection: SqliteConnection, writer: Handle) {
    this.#c = connection;
    this.#writer = writer;
  }
  end(): void {
    this.#live = false;
  }
  all(q: Sql, params: readonly unknown[]): Row[] {
    if (q.dialect) params = dialect(q).bind(params);
    return this.#do(q, (s) => s.values(params));
  }
  get(q: Sql, params: readonly unknown[]): Row | undefined {
    if (q.dialect) params = dialect(q).bind(params);
    return this.#do(q, (s) => s.value(params));
  }
  run(q: Sql, params: readonly unknown[]): number {
    if (q.dialect) params = dialect(q).bind(params);
    return this.#do(q, (s) => s.run(params));
  }
  async atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    this.#do(SAVEPOINT, (s) => s.run([]));
    try {
      const result = await fn(this);
      this.#do(RELEASE, (s) => s.run([]));
      return result;
    } catch (error) {
      this.#do(ROLLBACK_TO, (s) => s.run([]));
      this.#do(RELEASE, (s) => s.run([]));
      throw error;
    }
  }
  #do<T>(q: Sql, fn: (s: EngineStatement) => T): T {
    this.#c.assertOpen(q.name);
    if (!this.#live) {
      throw new StorageError(
        "unavailable",
        `Cannot run ${q.name} as its transaction has ended: use the storage, or a new transaction`,
      );
    }
    try {
      return fn(this.#writer.statement(q));
    } catch (error) {
      throw this.#c.map(error, q.name);
    }
  }
}

/**
 * The engine to open with: the URL's or the options' choice, else the given one. The FFI engine
 * is imported only when asked for, so nobody else needs `--allow-ffi`.
 */
async function chosenEngine(
  given: SqliteEngine,
  choice: EngineChoice,
): Promise<SqliteEngine> {
  if (choice.engine === undefined) return given;
  if (choice.engine === "node") return nodeEngine;
  if (choice.library === undefined && given.name === "ffi") return given;
  const { ffiEngine } = await import("./ffi_engine.ts");
  return ffiEngine({ library: choice.library });
}

function openError(
  error: unknown,
  path: string,
  code: number | undefined,
): StorageError {
  if (error instanceof Deno.errors.NotCapable) {
    return new StorageError(
      "unavailable",
      `Cannot open the SQLite database as permission is missing: ${path}: run with ` +
        `--allow-read and --allow-write on its directory`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError(
    "unavailable",
    `Cannot open the SQLite database: ${path}: ${detail}${
      code === undefined ? "" : ` (code ${code})`
    }: ` +
      `check that the path is a SQLite database in a writable directory`,
    { cause: error },
  );
}

function dialect(q: Sql): DialectStatement {
  return dialectStatement(STATEMENTS, q, "SQLite");
}

/** Search needs FTS5: refuse a SQLite build without it at open, not at the first search. */
function assertFts5(db: EngineDatabase, engine: string): void {
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
