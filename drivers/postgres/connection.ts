/**
 * The PostgreSQL connection: a pool of single-connection clients (reads pipelined on them),
 * statements prepared once per connection, the write gate, retries, and transactions whose
 * failed operations roll back alone.
 *
 * Each call has one {@linkcode Deadline}, `acquireTimeoutMs` after it began: the wait for the
 * write gate, for a pooled connection, for each row lock (`lock_timeout`) and the pauses
 * between retries all take what is left of it, and no retry starts once it has passed.
 *
 * @module
 */
import { checkPermissions } from "./permissions.ts";
import {
  type Connection,
  type CopyTarget,
  Deadline,
  type Executor,
  type MigrationTarget,
  type NamedRow,
  nextPause,
  type Queryable,
  retry,
  type Row,
  sleep,
  type Sql,
  StorageError,
} from "../../driver.ts";
import type { PostgresConnectOptions } from "./options.ts";
import { postgresCopyTarget } from "./copy_target.ts";
import type { PostgresSettings } from "./dialect.ts";
import { parsePostgresUrl } from "./url.ts";
import {
  connectionFailure,
  isRetryable,
  isSilent,
  retriesOver,
  toStorageError,
} from "./errors.ts";
import { pgFault } from "./fault.ts";
import { pgQuery, pgText } from "./statements.ts";
import { PostgresMigrationTarget } from "./migration_target.ts";
import { checkSearchPath } from "./search_path.ts";
import type { PgResult } from "./client.ts";
import { Pool } from "./pool.ts";
import { changedRows, TxExecutor } from "./executors.ts";

/** A PostgreSQL database opened by the driver. */
export class PostgresConnection implements Connection {
  readonly dialect = "postgres";
  readonly root: Executor;
  /** The parsed URL and pool settings. */
  readonly settings: PostgresSettings;
  /** The open options. */
  readonly options: PostgresConnectOptions;
  /** The pool. */
  readonly pool: Pool;
  /** The database's name (`db.namespace` in spans). */
  get namespace(): string {
    return this.settings.database;
  }

  private constructor(
    settings: PostgresSettings,
    options: PostgresConnectOptions,
  ) {
    this.settings = settings;
    this.options = options;
    this.pool = new Pool(settings);
    this.root = new RootExecutor(this);
  }

  /**
   * Opens a `postgres:` or `postgresql:` URL and checks that the server answers.
   *
   * @param url The URL.
   * @param options The parsed open options.
   * @returns The connection.
   * @throws {StorageError} `validation` for a malformed URL; `unavailable` when the server
   * cannot be reached or refuses the login.
   */
  static async open(
    url: string,
    options: PostgresConnectOptions,
  ): Promise<PostgresConnection> {
    return await PostgresConnection.openSettings(
      await parsePostgresUrl(url, options),
      options,
    );
  }

  /**
   * Opens a connection from parsed settings (another database of the same server, say), and
   * checks that the role's `search_path` leads to one board it may use (`search_path.ts`).
   *
   * @param settings The settings; `where` is derived again from host, port and database.
   * @param options The parsed open options.
   * @returns The connection.
   * @throws {StorageError} `unavailable` when the server cannot be reached, or the path leads
   * past the board; `forbidden` when the role may not use a schema its path names.
   */
  static async openSettings(
    settings: PostgresSettings,
    options: PostgresConnectOptions,
  ): Promise<PostgresConnection> {
    const where = settings.where.replace(/\/[^/]*$/, `/${settings.database}`);
    checkPermissions({ ...settings, where });
    const connection = new PostgresConnection({ ...settings, where }, options);
    try {
      await checkSearchPath(connection);
    } catch (error) {
      await connection.close();
      throw error;
    }
    return connection;
  }

  /** @inheritdoc */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.#transaction("transaction", true, fn);
  }

  /** Runs `fn` in a transaction of its own (the statements of one operation). */
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.#transaction("operation", false, fn);
  }

  /** @inheritdoc */
  migrationTarget(): MigrationTarget {
    return new PostgresMigrationTarget(this);
  }

  /** @inheritdoc */
  copyTarget(): CopyTarget {
    return postgresCopyTarget(this.root);
  }

  /** @inheritdoc */
  close(): Promise<void> {
    return this.pool.close();
  }

  /**
   * Runs one statement on a pooled connection, as its own transaction: the catalogue's reads
   * pipelined (see `Pool.read`), writes and the application's statements on a connection held
   * alone. Reads are retried after a broken connection; a write is not, as it may have run: it
   * fails saying so. Every wait and retry takes what is left of one deadline.
   *
   * @param q The statement.
   * @param params Its parameters.
   * @returns Its rows and count.
   */
  statement(q: Sql, params: readonly unknown[]): Promise<PgResult>;
  /**
   * Runs one statement and maps its result, in the same step (one promise fewer a call).
   *
   * @param q The statement.
   * @param params Its parameters.
   * @param map What to make of its rows and count.
   * @returns What `map` made.
   */
  statement<T>(
    q: Sql,
    params: readonly unknown[],
    map: (result: PgResult) => T,
  ): Promise<T>;
  statement<T>(
    q: Sql,
    params: readonly unknown[],
    map?: (result: PgResult) => T,
  ): Promise<T | PgResult> {
    const deadline = new Deadline(this.settings.acquireTimeoutMs);
    const started = performance.now();
    return this.#send(q, params, deadline).then(map, (error) => {
      const again = this.#again(q, params, { deadline, started, error });
      return map ? again.then(map) : again;
    });
  }

  #send(
    q: Sql,
    params: readonly unknown[],
    deadline: Deadline,
  ): Promise<PgResult> {
    if (!q.write && !q.app) return this.pool.read(q, params, deadline);
    return this.pool.withClient(
      q.name,
      q.write ? false : null,
      (client) => pgQuery(client.sql, q, params),
      deadline,
    );
  }

  /** Retries a statement that failed, while that is safe and the attempts and deadline allow. */
  async #again(
    q: Sql,
    params: readonly unknown[],
    call: { deadline: Deadline; started: number; error: unknown },
  ): Promise<PgResult> {
    const { deadline, started } = call;
    let error = call.error;
    for (let attempt = 1;; attempt++) {
      const failure = connectionFailure(error);
      if (failure === "broken" && q.write) {
        throw this.outcomeUnknown(error, q.name);
      }
      const again = isRetryable(error) || failure === "before" ||
        (failure === "broken" && !isSilent(error));
      if (!again) throw this.map(error, q);
      if (attempt >= this.options.retry.attempts) {
        throw this.gaveUp(error, q.name, attempt, started);
      }
      const pause = nextPause(attempt, this.options.retry, deadline);
      if (pause === null) {
        throw this.gaveUp(error, q.name, attempt, started, true);
      }
      await sleep(pause);
      try {
        return await this.#send(q, params, deadline);
      } catch (next) {
        error = next;
      }
    }
  }

  /**
   * Maps a client error.
   *
   * @param error What was thrown.
   * @param doing What was being done: a statement of the catalogue, or a name and the SQL text
   * (which says what privileges a refused statement needs).
   */
  map(
    error: unknown,
    doing: string | Sql | { name: string; text: string },
  ): StorageError {
    const { where, user } = this.settings;
    if (typeof doing === "string") {
      return toStorageError(error, { doing, where, user });
    }
    const text = "id" in doing ? pgText(doing) : doing.text;
    return toStorageError(error, { doing: doing.name, where, user, text });
  }

  /** The error of a write whose connection broke after it was sent. */
  outcomeUnknown(error: unknown, doing: string): StorageError {
    const cause = pgFault(
      error instanceof StorageError ? error.cause ?? error : error,
    );
    const detail = cause.message;
    return new StorageError(
      "unavailable",
      `The outcome of ${doing} is unknown: the connection to PostgreSQL at ${this.settings.where} ` +
        `broke after the statement was sent (${detail}): check whether it took effect before trying again`,
      { cause },
    );
  }

  /**
   * The error after the retries ran out: `timeout` when the deadline passed, else `unavailable`.
   *
   * @param error The last failure.
   * @param doing What was being done.
   * @param attempts How many attempts were made.
   * @param started When the call began (`performance.now()`).
   * @param late Whether the deadline passed.
   */
  gaveUp(
    error: unknown,
    doing: string,
    attempts: number,
    started: number,
    late = false,
  ): StorageError {
    return retriesOver(this.map(error, doing), {
      doing,
      where: this.settings.where,
      attempts,
      elapsedMs: performance.now() - started,
      ...(late ? { deadlineMs: this.settings.acquireTimeoutMs } : {}),
    });
  }

  /**
   * Runs `fn` in a transaction. It runs again after a serialization failure or a deadlock (the
   * server rolled it back), within the attempts and the deadline; after a connection lost
   * before it began; and, for an operation (`fn` is the package's own), after a connection lost
   * before commit. A caller's callback is never run again after a lost connection: the call
   * fails once, saying the transaction was rolled back.
   */
  #transaction<T>(
    doing: string,
    exclusive: boolean,
    fn: (tx: TxExecutor) => Promise<T>,
  ): Promise<T> {
    const deadline = new Deadline(this.settings.acquireTimeoutMs);
    const began = performance.now();
    let started = false;
    const attempt = () => {
      started = false;
      return this.pool.withClient(doing, exclusive, async (client) => {
        // An operation's statements wait for row locks until the deadline. A caller's
        // callback may take its time between statements (that is not waiting): its statements
        // share what was left when it began, less the time they have taken.
        const left = deadline.remainingMs;
        const tx = await TxExecutor.begin(this, client, {
          doing,
          savepoints: exclusive,
          waitMs: exclusive
            ? (spent) => Math.max(1, Math.ceil(left - spent))
            : () => deadline.waitMs(),
        });
        started = true;
        return await complete(tx, fn);
      }, deadline);
    };
    return retry(
      attempt,
      (error) =>
        isRetryable(error) ||
        (TxExecutor.rolledBack(error) && (!started || !exclusive)),
      this.options.retry,
      (error, attempts, late) =>
        this.gaveUp(error, doing, attempts, began, late),
      deadline,
    );
  }
}

/** Runs `fn` on `tx` and commits; rolls back when either fails. */
async function complete<T>(
  tx: TxExecutor,
  fn: (tx: TxExecutor) => Promise<T>,
): Promise<T> {
  try {
    const result = await fn(tx);
    await tx.commit();
    return result;
  } catch (error) {
    await tx.rollback();
    throw error;
  }
}

const first = (result: PgResult): Row | undefined => result[0];
const count = (result: PgResult): number => result.count ?? 0;

/** The storage's statements outside a transaction. */
class RootExecutor implements Executor {
  #c: PostgresConnection;
  constructor(connection: PostgresConnection) {
    this.#c = connection;
  }
  all(q: Sql, params: readonly unknown[]): Promise<Row[]> {
    return this.#c.statement(q, params);
  }
  get(q: Sql, params: readonly unknown[]): Promise<Row | undefined> {
    return this.#c.statement(q, params, first);
  }
  run(q: Sql, params: readonly unknown[]): Promise<number> {
    return this.#c.statement(q, params, count);
  }
  rows(q: Sql, params: readonly unknown[]): Promise<NamedRow[]> {
    return q.write
      ? this.#c.statement(q, params, changedRows)
      : this.#c.statement(q, params) as Promise<unknown> as Promise<
        NamedRow[]
      >;
  }
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.#c.atomic(fn);
  }
}
