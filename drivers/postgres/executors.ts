/**
 * The executor of one transaction on one pooled connection.
 *
 * PostgreSQL aborts a whole transaction when one statement fails; SQLite fails the statement
 * alone. To behave as on SQLite, every write of a transaction (and every `atomic` block) runs in
 * a savepoint, sent in one round trip with its statement, and is rolled back to it on failure.
 * The core issues one statement at a time on a transaction (see `Executor`): no queue here.
 *
 * Each statement waits for row locks at most what the call's deadline leaves it
 * ({@linkcode TxOptions.waitMs}).
 *
 * A connection that breaks takes its transaction with it: the executor notices (the client's
 * generation changes), refuses further work, and the call fails saying the transaction was
 * rolled back. postgres.js would otherwise run the next statement on a fresh connection, outside
 * the transaction.
 *
 * @module
 */
import {
  closedError,
  type Executor,
  type NamedRow,
  type Queryable,
  type Row,
  type Sql,
  StorageError,
} from "../../driver.ts";
import type { PostgresConnection } from "./connection.ts";
import { connectionFailure, isRetryable, isSilent } from "./errors.ts";
import { pgFault } from "./fault.ts";
import { pgQuery } from "./statements.ts";
import type { PgResult, PooledClient } from "./client.ts";

/**
 * The rows of an application's write, with the rows it changed: the command's count (none for
 * a statement whose command has no count, `CREATE TABLE`).
 *
 * @param result The statement's result.
 * @returns Its rows, carrying `changed`.
 */
export function changedRows(
  result: PgResult,
): NamedRow[] & { changed?: number } {
  const rows = result as unknown as NamedRow[] & { changed?: number };
  rows.changed = result.count ?? 0;
  return rows;
}

const SAVEPOINT = "SAVEPOINT impulse_op";
const RELEASE = "RELEASE SAVEPOINT impulse_op";
const ROLLBACK_TO = "ROLLBACK TO SAVEPOINT impulse_op";

/** Errors meaning "the transaction was rolled back as its connection broke". */
const rolledBack = new WeakSet<object>();

/** How a transaction runs. */
export interface TxOptions {
  /** `transaction` or `operation`, for messages. */
  doing: string;
  /**
   * Whether each write runs in a savepoint (`transaction()`), or a failure may end the whole
   * transaction (the statements of one operation).
   */
  savepoints: boolean;
  /**
   * How long the next statement may wait for a row lock, in ms, given how long the
   * transaction's statements have taken so far.
   */
  waitMs: (spentMs: number) => number;
}

const ignore = () => {};

/** The executor of one transaction. */
export class TxExecutor implements Executor {
  #c: PostgresConnection;
  #client: PooledClient;
  #generation: number;
  #doing: string;
  #savepoints: boolean;
  #waitMs: (spentMs: number) => number;
  /** How long the statements of the transaction have taken, in ms. */
  #spentMs = 0;
  #live = true;
  /** Why the transaction cannot go on, once it cannot. */
  #failed: StorageError | null = null;
  /**
   * Whether a statement failed as its connection broke. The server rolls the transaction back
   * itself; a ROLLBACK sent on the broken connection may never be answered (postgres.js can
   * queue it on the dead socket before it sees the close), so none is sent.
   */
  #lost = false;

  private constructor(
    connection: PostgresConnection,
    client: PooledClient,
    options: TxOptions,
  ) {
    this.#c = connection;
    this.#client = client;
    this.#generation = client.generation;
    this.#doing = options.doing;
    this.#savepoints = options.savepoints;
    this.#waitMs = options.waitMs;
  }

  /**
   * Starts a transaction.
   *
   * @param connection The connection (for mapping errors).
   * @param client The pooled client it runs on.
   * @param options What it is, and how long its statements may wait for row locks.
   * @returns The executor.
   */
  static async begin(
    connection: PostgresConnection,
    client: PooledClient,
    options: TxOptions,
  ): Promise<TxExecutor> {
    const tx = new TxExecutor(connection, client, options);
    try {
      await client.sql.unsafe("BEGIN");
    } catch (error) {
      throw tx.#fail(error, `${options.doing} start`);
    }
    tx.#generation = client.generation;
    return tx;
  }

  /**
   * Whether an error says the transaction was rolled back because its connection broke (or could
   * not be had): nothing of it was committed.
   *
   * @param error What was thrown.
   * @returns The answer.
   */
  static rolledBack(error: unknown): boolean {
    return typeof error === "object" && error !== null && rolledBack.has(error);
  }

  all(q: Sql, params: readonly unknown[]): Promise<Row[]> {
    return this.#statement(q, params);
  }

  async get(q: Sql, params: readonly unknown[]): Promise<Row | undefined> {
    return (await this.#statement(q, params))[0];
  }

  async run(q: Sql, params: readonly unknown[]): Promise<number> {
    return (await this.#statement(q, params)).count ?? 0;
  }

  async rows(q: Sql, params: readonly unknown[]): Promise<NamedRow[]> {
    const result = await this.#statement(q, params);
    return q.write ? changedRows(result) : result as unknown as NamedRow[];
  }

  async atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    if (!this.#savepoints) return await fn(this);
    await this.#send(SAVEPOINT, "atomic");
    const inner = new InnerQueryable(this);
    try {
      const result = await fn(inner);
      await this.#send(RELEASE, "atomic");
      return result;
    } catch (error) {
      await this.#undo("atomic");
      throw error;
    } finally {
      inner.end();
    }
  }

  /**
   * Runs a statement without a savepoint of its own.
   *
   * @param q The statement.
   * @param params Its parameters.
   * @param aborts Whether a failure aborts the transaction (no savepoint encloses it).
   */
  async bare(
    q: Sql,
    params: readonly unknown[],
    aborts: boolean,
  ): Promise<PgResult> {
    this.#check(q.name);
    this.#client.boundLockWait(this.#waitMs(this.#spentMs));
    const started = performance.now();
    try {
      return await pgQuery(this.#client.sql, q, params);
    } catch (error) {
      throw this.#fail(error, q, aborts);
    } finally {
      this.#spentMs += performance.now() - started;
    }
  }

  /** Commits; a transaction that lost its connection fails as rolled back. */
  async commit(): Promise<void> {
    this.#live = false;
    this.#check("commit", true);
    let tag: string | null;
    try {
      tag = (await this.#client.sql.unsafe("COMMIT")).command;
    } catch (error) {
      if (isRetryable(error)) throw this.#c.map(error, `${this.#doing} commit`);
      if (connectionFailure(error) !== "none") {
        this.#lost = true;
        throw this.#c.outcomeUnknown(error, `${this.#doing} commit`);
      }
      throw this.#c.map(error, `${this.#doing} commit`);
    }
    if (tag !== "COMMIT") {
      throw new StorageError(
        "internal",
        `The ${this.#doing} was rolled back instead of committed: a statement in it failed`,
      );
    }
  }

  /** Rolls back. */
  async rollback(): Promise<void> {
    this.#live = false;
    if (this.#lost || this.#client.generation !== this.#generation) return;
    this.#client.forgetLockWait();
    await this.#client.sql.unsafe("ROLLBACK").catch(ignore);
  }

  async #statement(q: Sql, params: readonly unknown[]): Promise<PgResult> {
    // The application's statements (storage.sql) may fail, reads as well: each in a savepoint.
    if ((!q.write && !q.app) || !this.#savepoints) {
      return await this.bare(q, params, true);
    }
    this.#check(q.name);
    const sql = this.#client.sql;
    this.#client.boundLockWait(this.#waitMs(this.#spentMs));
    const started = performance.now();
    const begin = sql.unsafe(SAVEPOINT).execute();
    const work = pgQuery(sql, q, params).execute();
    const end = sql.unsafe(RELEASE).execute();
    begin.catch(ignore);
    work.catch(ignore);
    end.catch(ignore);
    try {
      await begin;
      const result = await work;
      await end;
      return result;
    } catch (error) {
      const failure = this.#fail(error, q);
      if (this.#failed === null) await this.#undo(q.name);
      throw failure;
    } finally {
      this.#spentMs += performance.now() - started;
    }
  }

  async #send(text: string, doing: string): Promise<void> {
    this.#check(doing);
    try {
      await this.#client.sql.unsafe(text);
    } catch (error) {
      throw this.#fail(error, doing);
    }
  }

  async #undo(doing: string): Promise<void> {
    if (this.#failed !== null) return;
    const sql = this.#client.sql;
    this.#client.forgetLockWait();
    const back = sql.unsafe(ROLLBACK_TO).execute();
    const release = sql.unsafe(RELEASE).execute();
    back.catch(ignore);
    release.catch(ignore);
    try {
      await back;
      await release;
    } catch (error) {
      this.#fail(error, doing, true);
    }
  }

  /** Maps a failure; a broken connection or an aborted transaction ends the transaction. */
  #fail(
    error: unknown,
    what: string | Sql,
    aborts = !this.#savepoints,
  ): StorageError {
    const doing = typeof what === "string" ? what : what.name;
    const failure = connectionFailure(error);
    if (failure === "before" || failure === "broken") {
      this.#lost = true;
      const cause = pgFault(
        error instanceof StorageError ? error.cause : error,
      );
      const lost = new StorageError(
        "unavailable",
        `The connection to PostgreSQL at ${this.#c.settings.where} broke during ${doing}: the ` +
          `${this.#doing} was rolled back, and nothing of it was committed: ${cause.message}: ` +
          `run it again if that is safe`,
        { cause },
      );
      // A silent connection is not tried again: the call has waited its bound already.
      if (!isSilent(cause)) rolledBack.add(lost);
      this.#failed ??= lost;
      return lost;
    }
    const mapped = this.#c.map(error, what);
    if (aborts) this.#failed ??= mapped;
    return mapped;
  }

  /** Throws unless the transaction can take another statement. */
  #check(doing: string, ending = false): void {
    // close() stopped waiting for this transaction: its connection is (being) ended, and the
    // server rolls it back.
    if (this.#c.pool.closed) throw closedError(doing, "transaction");
    if (!this.#live && !ending) {
      throw new StorageError(
        "unavailable",
        `Cannot run ${doing} as its transaction has ended: use the storage, or a new transaction`,
      );
    }
    if (this.#failed === null && this.#client.generation !== this.#generation) {
      this.#fail(
        Object.assign(new Error("the connection closed"), {
          code: "CONNECTION_CLOSED",
        }),
        doing,
      );
    }
    if (this.#failed !== null) {
      const again = rolledBack.has(this.#failed);
      const error = new StorageError(
        this.#failed.kind,
        `Cannot run ${doing} as the ${this.#doing} cannot go on: ${this.#failed.message}`,
        { cause: this.#failed.cause },
      );
      if (again) rolledBack.add(error);
      throw error;
    }
  }
}

/** The statements inside one `atomic` block of a transaction: no savepoints of their own. */
class InnerQueryable implements Queryable {
  #tx: TxExecutor;
  #live = true;
  constructor(tx: TxExecutor) {
    this.#tx = tx;
  }
  end(): void {
    this.#live = false;
  }
  all(q: Sql, params: readonly unknown[]): Promise<Row[]> {
    return this.#bare(q, params);
  }
  async get(q: Sql, params: readonly unknown[]): Promise<Row | undefined> {
    return (await this.#bare(q, params))[0];
  }
  async run(q: Sql, params: readonly unknown[]): Promise<number> {
    return (await this.#bare(q, params)).count ?? 0;
  }
  #bare(q: Sql, params: readonly unknown[]): Promise<PgResult> {
    if (!this.#live) {
      return Promise.reject(
        new StorageError(
          "unavailable",
          `Cannot run ${q.name} as its atomic block has ended`,
        ),
      );
    }
    return this.#tx.bare(q, params, false);
  }
}
