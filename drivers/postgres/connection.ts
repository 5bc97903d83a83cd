/**
 * The PostgreSQL connection: a pool of single-connection clients, statements prepared once per
 * connection, the write gate, retries, and transactions whose failed operations roll back alone.
 *
 * @module
 */
import type {
  Connection,
  CopyTarget,
  Executor,
  Queryable,
  Row,
  Sql,
} from "../../src/driver.ts";
import { sql } from "../../src/driver.ts";
import { StorageError } from "../../src/errors.ts";
import { delayFor, retry, sleep } from "../../src/retry.ts";
import type { ParsedOpenOptions } from "../../src/validate.ts";
import type { MigrationTarget } from "../../src/migrate/target.ts";
import { postgresCopyTarget } from "./copy_target.ts";
import { parsePostgresUrl, type PostgresSettings } from "./dialect.ts";
import { connectionFailure, isRetryable, toStorageError } from "./errors.ts";
import { WriteGate } from "./gate.ts";
import { pgParams, pgText } from "./statements.ts";
import { PostgresMigrationTarget } from "./migration_target.ts";
import { type PgResult, Pool, type PooledClient } from "./pool.ts";
import { TxExecutor } from "./transaction.ts";

const PING = sql("pg.ping", "SELECT 1");

/** A PostgreSQL database opened by the driver. */
export class PostgresConnection implements Connection {
  readonly dialect = "postgres";
  readonly root: Executor;
  /** The parsed URL and pool settings. */
  readonly settings: PostgresSettings;
  /** The open options. */
  readonly options: ParsedOpenOptions;
  /** The pool. */
  readonly pool: Pool;
  readonly #gate = new WriteGate();

  private constructor(settings: PostgresSettings, options: ParsedOpenOptions) {
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
    options: ParsedOpenOptions,
  ): Promise<PostgresConnection> {
    return await PostgresConnection.openSettings(
      await parsePostgresUrl(url, options),
      options,
    );
  }

  /**
   * Opens a connection from parsed settings (another database of the same server, say).
   *
   * @param settings The settings; `where` is derived again from host, port and database.
   * @param options The parsed open options.
   * @returns The connection.
   * @throws {StorageError} `unavailable` when the server cannot be reached.
   */
  static async openSettings(
    settings: PostgresSettings,
    options: ParsedOpenOptions,
  ): Promise<PostgresConnection> {
    const where = settings.where.replace(/\/[^/]*$/, `/${settings.database}`);
    const connection = new PostgresConnection({ ...settings, where }, options);
    try {
      await connection.statement(PING, []);
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
   * Runs one statement on a pooled connection, as its own transaction. Reads are retried after
   * a broken connection; a write is not, as it may have run: it fails saying so.
   *
   * @param q The statement.
   * @param params Its parameters.
   * @returns Its rows and count.
   */
  async statement(q: Sql, params: readonly unknown[]): Promise<PgResult> {
    const text = pgText(q);
    params = pgParams(q, params);
    for (let attempt = 1;; attempt++) {
      try {
        return await this.#statementOnce(q, text, params);
      } catch (error) {
        const failure = connectionFailure(error);
        if (failure === "broken" && q.write) {
          throw this.outcomeUnknown(error, q.name);
        }
        const again = isRetryable(error) || failure === "before" ||
          failure === "broken";
        if (!again) throw this.map(error, q.name);
        if (attempt >= this.options.retry.attempts) {
          throw this.gaveUp(error, q.name, attempt);
        }
        await sleep(delayFor(attempt, this.options.retry));
      }
    }
  }

  /**
   * Runs `fn` holding a pooled connection (and, for writes, the write gate), within
   * `acquireTimeoutMs` for both waits.
   *
   * @param doing What is being done, for messages.
   * @param exclusive `true` for a transaction, `false` for another write, `null` for a read.
   * @param fn The work.
   */
  async withClient<T>(
    doing: string,
    exclusive: boolean | null,
    fn: (client: PooledClient) => Promise<T>,
  ): Promise<T> {
    this.pool.assertOpen(doing);
    const started = Date.now();
    const timeout = this.settings.acquireTimeoutMs;
    if (
      exclusive === true || (exclusive === false && !this.#gate.tryShared())
    ) {
      await this.#gate.enter(exclusive, timeout, doing);
    }
    let client: PooledClient | undefined;
    let generation = 0;
    let failure: unknown;
    try {
      client = this.pool.tryAcquire() ??
        await this.pool.acquire(
          Math.max(0, timeout - (Date.now() - started)),
          doing,
        );
      generation = client.generation;
      return await fn(client);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      if (client) {
        if (failure !== undefined && connectionFailure(failure) !== "none") {
          client = await this.pool.settle(client, generation);
        }
        this.pool.release(client);
      }
      if (exclusive !== null) this.#gate.leave(exclusive);
    }
  }

  /**
   * Maps a client error.
   *
   * @param error What was thrown.
   * @param doing What was being done.
   */
  map(error: unknown, doing: string): StorageError {
    return toStorageError(error, doing, this.settings.where);
  }

  /** The error of a write whose connection broke after it was sent. */
  outcomeUnknown(error: unknown, doing: string): StorageError {
    const cause = error instanceof StorageError ? error.cause ?? error : error;
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new StorageError(
      "unavailable",
      `The outcome of ${doing} is unknown: the connection to PostgreSQL at ${this.settings.where} ` +
        `broke after the statement was sent (${detail}): check whether it took effect before trying again`,
      { cause },
    );
  }

  /** The error after the retries ran out. */
  gaveUp(error: unknown, doing: string, attempts: number): StorageError {
    const mapped = this.map(error, doing);
    return new StorageError(
      "unavailable",
      `PostgreSQL at ${this.settings.where} kept failing during ${doing} after ${attempts} attempts: ` +
        `${mapped.message}: try again later or raise the retry options`,
      { cause: mapped.cause ?? mapped },
    );
  }

  #statementOnce(
    q: Sql,
    text: string,
    params: readonly unknown[],
  ): Promise<PgResult> {
    return this.withClient(
      q.name,
      q.write ? false : null,
      (client) =>
        client.sql.unsafe(text, params as unknown[], { prepare: true })
          .values(),
    );
  }

  #transaction<T>(
    doing: string,
    exclusive: boolean,
    fn: (tx: TxExecutor) => Promise<T>,
  ): Promise<T> {
    return retry(
      () =>
        this.withClient(doing, exclusive, async (client) => {
          const tx = await TxExecutor.begin(this, client, doing, exclusive);
          let result: T;
          try {
            result = await fn(tx);
          } catch (error) {
            await tx.rollback();
            throw error;
          }
          try {
            await tx.commit();
          } catch (error) {
            await tx.rollback();
            throw error;
          }
          return result;
        }),
      (error) => isRetryable(error) || TxExecutor.rolledBack(error),
      this.options.retry,
      (error, attempts) => this.gaveUp(error, doing, attempts),
    );
  }
}

class RootExecutor implements Executor {
  #c: PostgresConnection;
  constructor(connection: PostgresConnection) {
    this.#c = connection;
  }
  all(q: Sql, params: readonly unknown[]): Promise<Row[]> {
    return this.#c.statement(q, params);
  }
  async get(q: Sql, params: readonly unknown[]): Promise<Row | undefined> {
    return (await this.#c.statement(q, params))[0];
  }
  async run(q: Sql, params: readonly unknown[]): Promise<number> {
    return (await this.#c.statement(q, params)).count ?? 0;
  }
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.#c.atomic(fn);
  }
}
