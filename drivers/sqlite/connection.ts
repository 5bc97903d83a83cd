/**
 * The SQLite connection: one writer guarded by a {@linkcode WriteLock}, one reader (for file
 * databases), cached prepared statements, and transactions.
 *
 * Every wait of a call takes what is left of one {@linkcode Deadline}, `acquireTimeoutMs` from
 * when it first has to wait: the wait for this storage's writer and the retries while another
 * connection (another process, or another storage on the same file) holds the database's lock,
 * whose pauses are cut to the deadline. A call that runs out fails as `timeout`.
 *
 * @module
 */
import {
  type Awaitable,
  type Backoff,
  closedError,
  type Connection,
  type CopyTarget,
  Deadline,
  type Executor,
  type MigrationTarget,
  type Queryable,
  type Sql,
  sql,
  StorageError,
} from "../../driver.ts";
import type { SqliteConnectOptions } from "./options.ts";
import { engineChoice, parseSqliteUrl } from "./url.ts";
import { isBusy, toStorageError } from "./errors.ts";
import type { EngineDatabase, SqliteEngine } from "./engine.ts";
import { sqliteCopyTarget } from "./copy_target.ts";
import { type Call, Handle, RootExecutor, TxExecutor } from "./executors.ts";
import { preparePlace, removeCreated, removeNewDatabase } from "./files.ts";
import {
  assertFts5,
  chosenEngine,
  openError,
  setPragmas,
  usedByNoOther,
} from "./opening.ts";
import { SqliteMigrationTarget } from "./migration_target.ts";
import { type BusyWait, retryBusy, WriteLock } from "./write_lock.ts";

const BEGIN = sql("tx.begin", "BEGIN IMMEDIATE", true);
const COMMIT = sql("tx.commit", "COMMIT", true);
const ROLLBACK = sql("tx.rollback", "ROLLBACK", true);

/** The busy timeout set on every handle; longer waits are retried without blocking the loop. */
const BUSY_TIMEOUT_MS = 10;

/** A SQLite database opened by the driver. */
export class SqliteConnection implements Connection {
  readonly dialect = "sqlite";
  readonly root: Executor;
  /** The database file, or `:memory:`. */
  readonly path: string;
  /** The database file's path (`db.namespace` in spans); absent in memory. */
  get namespace(): string | undefined {
    return this.path === ":memory:" ? undefined : this.path;
  }
  readonly #engine: SqliteEngine;
  readonly #options: SqliteConnectOptions;
  /** The backoff between attempts on a busy database: its pauses only, the deadline bounds it. */
  readonly #backoff: Backoff;
  readonly #writer: Handle;
  readonly #reader: Handle | null;
  readonly #lock = new WriteLock();
  #closed = false;
  /** What the open created (the file, then its directories), for {@linkcode abandon}. */
  #created: readonly string[] = [];

  private constructor(
    engine: SqliteEngine,
    path: string,
    options: SqliteConnectOptions,
    writer: Handle,
    reader: Handle | null,
  ) {
    this.#engine = engine;
    this.path = path;
    this.#options = options;
    this.#backoff = { ...options.retry, attempts: Infinity };
    this.#writer = writer;
    this.#reader = reader;
    this.root = new RootExecutor(this);
  }

  /**
   * Opens a `sqlite:` URL: checks that the path can hold a database, creates the file and its
   * directory if missing (unless `options.create` is off, `migrate` is `"check"` or the open is
   * read-only), sets WAL and the other pragmas, and opens a reader beside the writer for file
   * databases. A read-only open uses read-only handles and sets nothing that writes; so does
   * `migrate: "check"`, which refuses a database not in WAL mode instead of switching it.
   *
   * @param engine The SQLite library, unless the URL (`engine=`, `library=`) or
   * `options.sqlite` choose one.
   * @param url The URL.
   * @param options The parsed open options.
   * @returns The connection.
   * @throws {StorageError} `validation` for a malformed URL; `not_found` for a missing file that
   * may not be created; `unavailable` when the path cannot hold a database or the file cannot
   * be opened; `timeout` when another process holds the database past `acquireTimeoutMs`;
   * `migration` when `migrate` is `"check"` and the database is not in WAL mode.
   */
  static async open(
    engine: SqliteEngine,
    url: string,
    options: SqliteConnectOptions,
  ): Promise<SqliteConnection> {
    const { path, memory, params } = parseSqliteUrl(url);
    engine = await chosenEngine(engine, engineChoice(params, options.driver));
    const readOnly = !memory && options.readOnly === true;
    const check = !memory && options.migrate === "check";
    const created = memory ? [] : await preparePlace(path, {
      ...options.driver,
      create: options.create !== false && !check && !readOnly,
    });
    const openHandle = () => {
      try {
        return new Handle(
          engine.open(path, { busyTimeoutMs: BUSY_TIMEOUT_MS, readOnly }),
        );
      } catch (error) {
        throw openError(error, path, engine.errorCode(error));
      }
    };
    let connection: SqliteConnection | undefined;
    try {
      const writer = openHandle();
      let reader: Handle | null = null;
      try {
        if (!memory) reader = openHandle();
      } catch (error) {
        writer.db.close();
        throw error;
      }
      connection = new SqliteConnection(engine, path, options, writer, reader);
      await connection.busyRetry(
        "open",
        connection.deadline(),
        () =>
          setPragmas(writer.db, reader?.db ?? null, { path, readOnly, check }),
        { lock: "lock" },
      );
      assertFts5(writer.db, engine.name);
      connection.#created = created;
      return connection;
    } catch (error) {
      // A failed open leaves nothing behind: what it created goes while still empty.
      await connection?.close();
      await removeCreated(created);
      throw error;
    }
  }

  /** The engine's name. */
  get engineName(): string {
    return this.#engine.name;
  }

  /** Whether its engine binds a number with no fractional part as an INTEGER. */
  get integralAsInteger(): boolean {
    return this.#engine.integralAsInteger ?? false;
  }

  /** Whether reads see the last committed state while a transaction is open. */
  get snapshotReads(): boolean {
    return this.#reader !== null;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** @inheritdoc */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    const deadline = this.deadline();
    return this.#withWriter("transaction", deadline, async (writer) => {
      await this.busyRetry(
        "transaction",
        deadline,
        () => writer.statement(BEGIN).run([]),
      );
      const tx = new TxExecutor(this, (q) => writer.statement(q));
      let result: T;
      try {
        result = await fn(tx);
      } catch (error) {
        tx.end();
        this.#rollback(writer);
        throw error;
      }
      tx.end();
      // close() stopped waiting for this transaction and closed the handle: SQLite rolled it back.
      if (this.#closed) throw closedError("commit", "transaction");
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
   * @param deadline Until when to wait for the writer.
   * @param fn The work.
   */
  withWriter<T>(
    doing: string,
    deadline: Deadline,
    fn: (db: EngineDatabase) => Promise<T>,
  ): Promise<T> {
    return this.#withWriter(doing, deadline, (writer) => fn(writer.db));
  }

  /**
   * A call's deadline: `acquireTimeoutMs` from now.
   *
   * @param budgetMs How long the call may wait; `acquireTimeoutMs` by default.
   */
  deadline(budgetMs: number = this.#options.acquireTimeoutMs): Deadline {
    return new Deadline(budgetMs);
  }

  /**
   * Runs `fn` until SQLite stops answering busy, pausing between attempts (the retry options'
   * delays, cut to what is left of the deadline); once the deadline passes, fails as `timeout`
   * saying that another connection holds the database's lock.
   *
   * @param doing What is being done, for messages.
   * @param deadline The call's deadline.
   * @param fn The attempt.
   * @param wait Which lock, and what to do about it, for the message.
   * @returns What `fn` returned.
   */
  busyRetry<T>(
    doing: string,
    deadline: Deadline,
    fn: () => T | Promise<T>,
    wait: BusyWait = {},
  ): Promise<T> {
    const busy = (error: unknown) => isBusy(this.#engine.errorCode(error));
    return retryBusy(fn, {
      busy,
      backoff: this.#backoff,
      deadline,
      doing,
      ...wait,
    })
      .catch((error) => {
        throw this.map(error, doing);
      });
  }

  /** @inheritdoc */
  migrationTarget(): MigrationTarget {
    return new SqliteMigrationTarget(this, this.#engine, this.#options);
  }

  /** @inheritdoc */
  copyTarget(): CopyTarget {
    return sqliteCopyTarget(this);
  }

  /**
   * Closes both handles once running work has finished, waiting at most `acquireTimeoutMs`:
   * a transaction still running then is cut off (SQLite rolls it back; its next statement or
   * its commit fails as `unavailable`), and callers still waiting for the writer fail alike.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    let held = false;
    try {
      await this.#lock.acquire(this.deadline(), "close");
      held = true;
    } catch {
      // A transaction outlived the wait: close anyway; SQLite rolls it back.
    }
    try {
      this.#reader?.db.close();
      this.#writer.db.close();
    } finally {
      this.#lock.failWaiting(() => closedError("the call", "wait"));
      if (held) this.#lock.release();
    }
  }

  /**
   * Closes the connection after the open failed while first preparing the schema, and removes
   * the database file if this open created it and no other connection has it open (with its
   * `-wal`, `-shm`, `-journal` and the directories the open made): a failed open creates nothing.
   */
  async abandon(): Promise<void> {
    await this.close();
    await removeNewDatabase(
      this.path,
      this.#created,
      () => usedByNoOther(this.#engine, this.path),
    );
  }

  /** Runs a read, on the reader when there is one. */
  read<T>(q: Sql, call: Call<T>, params: readonly unknown[]): Awaitable<T> {
    const reader = this.#reader;
    if (reader === null) return this.write(q, call, params);
    this.assertOpen(q.name);
    try {
      return call(reader.statement(q), params);
    } catch (error) {
      if (!isBusy(this.#engine.errorCode(error))) throw this.map(error, q.name);
      return this.busyRetry(
        q.name,
        this.deadline(),
        () => call(reader.statement(q), params),
        { lock: "lock" },
      );
    }
  }

  /** Runs one statement on the writer, as its own transaction. */
  write<T>(q: Sql, call: Call<T>, params: readonly unknown[]): Awaitable<T> {
    this.assertOpen(q.name);
    if (this.#lock.tryAcquire()) {
      let result: T;
      try {
        result = call(this.#writer.statement(q), params);
      } catch (error) {
        if (!isBusy(this.#engine.errorCode(error))) {
          this.#lock.release();
          throw this.map(error, q.name);
        }
        return this.busyRetry(
          q.name,
          this.deadline(),
          () => call(this.#writer.statement(q), params),
        ).finally(() => this.#lock.release());
      }
      this.#lock.release();
      return result;
    }
    const deadline = this.deadline();
    return this.#withWriter(
      q.name,
      deadline,
      (writer) =>
        this.busyRetry(
          q.name,
          deadline,
          () => call(writer.statement(q), params),
        ),
    );
  }

  /** Runs `fn` in a transaction of its own (several statements of one operation). */
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.transaction((tx) => fn(tx));
  }

  /**
   * Maps an engine error. Once the connection is closed, whatever a closed handle threw is
   * `unavailable`: the storage is closed.
   *
   * @param error What was thrown.
   * @param doing What was being done.
   */
  map(error: unknown, doing: string): StorageError {
    if (this.#closed && !(error instanceof StorageError)) {
      return closedError(doing);
    }
    return toStorageError(error, this.#engine.errorCode(error), doing);
  }

  /** Throws `unavailable` once the connection is closed. */
  assertOpen(doing: string): void {
    if (this.#closed) throw closedError(doing);
  }

  async #withWriter<T>(
    doing: string,
    deadline: Deadline,
    fn: (writer: Handle) => Promise<T>,
  ): Promise<T> {
    this.assertOpen(doing);
    await this.#lock.acquire(deadline, doing);
    try {
      this.assertOpen(doing);
      return await fn(this.#writer);
    } finally {
      this.#lock.release();
    }
  }

  #rollback(writer: Handle): void {
    try {
      writer.statement(ROLLBACK).run([]);
    } catch {
      // SQLite already rolled back (after an I/O error, or the handle was closed).
    }
  }
}
