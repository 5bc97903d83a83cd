/**
 * The handles and executors of a SQLite connection: a handle caches its prepared statements; the
 * root executor routes reads to the reader and writes to the writer; a transaction's executor
 * runs everything on the writer and refuses statements after the transaction ended or the
 * storage was closed.
 *
 * @module
 */
import {
  type Awaitable,
  closedError,
  type DialectStatement,
  dialectStatement,
  type Executor,
  type NamedRow,
  type Queryable,
  type Row,
  type Sql,
  sql,
  StorageError,
} from "../../driver.ts";
import type { EngineDatabase, EngineStatement } from "./engine.ts";
import { STATEMENTS } from "./statements.ts";

// One name for every `atomic` block of a transaction: the core runs them one at a time, never
// nested or overlapping (see `Executor`), so ROLLBACK TO always finds the block's own savepoint.
const SAVEPOINT = sql("tx.savepoint", "SAVEPOINT impulse_op", true);
const RELEASE = sql("tx.release", "RELEASE impulse_op", true);
const ROLLBACK_TO = sql("tx.rollbackTo", "ROLLBACK TO impulse_op", true);

/**
 * One call on a prepared statement with its parameters. The executors pass one of the four below,
 * made once, with the parameters beside it: a read allocates no function of its own.
 */
export type Call<T> = (s: EngineStatement, params: readonly unknown[]) => T;

const values: Call<Row[]> = (s, params) => s.values(params);
const value: Call<Row | undefined> = (s, params) => s.value(params);
const run: Call<number> = (s, params) => s.run(params);
const all: Call<NamedRow[]> = (s, params) => s.all(params);
const allChanged: Call<NamedRow[]> = (s, params) => s.allChanged(params);

/** What the executors need of their connection. */
export interface ExecutorHost {
  /** Whether `close()` was called. */
  readonly closed: boolean;
  /** Runs a read, on the reader when there is one. */
  read<T>(q: Sql, call: Call<T>, params: readonly unknown[]): Awaitable<T>;
  /** Runs one statement on the writer, as its own transaction. */
  write<T>(q: Sql, call: Call<T>, params: readonly unknown[]): Awaitable<T>;
  /** Runs `fn` in a transaction of its own. */
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Maps an engine error. */
  map(error: unknown, doing: string): StorageError;
}

/** A prepared statement of the writer, by statement. */
export type Prepare = (q: Sql) => EngineStatement;

/**
 * The driver's own text of a dialect statement.
 *
 * @param q The statement.
 * @returns Its SQLite text and parameter binding.
 */
export function dialect(q: Sql): DialectStatement {
  return dialectStatement(STATEMENTS, q, "SQLite");
}

/** How many statements of the application's (`storage.sql`) a handle keeps prepared. */
export const APP_STATEMENTS = 64;

/**
 * A handle with its prepared statements, cached by statement id; the application's
 * ({@linkcode Sql.app}) by text, the last {@linkcode APP_STATEMENTS} used (a statement dropped
 * from the cache is finalized when collected).
 */
export class Handle {
  readonly db: EngineDatabase;
  #statements: (EngineStatement | undefined)[] = [];
  #app = new Map<string, EngineStatement>();
  constructor(db: EngineDatabase) {
    this.db = db;
  }
  statement(q: Sql): EngineStatement {
    if (q.app) return this.#appStatement(q.text);
    return this.#statements[q.id] ??= this.db.prepare(
      q.dialect ? dialect(q).text : q.text,
    );
  }
  /** How many statements of the application's the handle keeps (for tests). */
  get appStatements(): number {
    return this.#app.size;
  }
  #appStatement(text: string): EngineStatement {
    let statement = this.#app.get(text);
    if (statement) {
      // The most recently used goes last: the first is the one to drop.
      this.#app.delete(text);
    } else {
      statement = this.db.prepare(text);
      if (this.#app.size >= APP_STATEMENTS) {
        this.#app.delete(this.#app.keys().next().value!);
      }
    }
    this.#app.set(text, statement);
    return statement;
  }
}

/** The connection's top-level executor. */
export class RootExecutor implements Executor {
  #c: ExecutorHost;
  constructor(connection: ExecutorHost) {
    this.#c = connection;
  }
  all(q: Sql, params: readonly unknown[]): Awaitable<Row[]> {
    if (q.dialect) params = dialect(q).bind(params);
    return q.write
      ? this.#c.write(q, values, params)
      : this.#c.read(q, values, params);
  }
  get(q: Sql, params: readonly unknown[]): Awaitable<Row | undefined> {
    if (q.dialect) params = dialect(q).bind(params);
    return q.write
      ? this.#c.write(q, value, params)
      : this.#c.read(q, value, params);
  }
  run(q: Sql, params: readonly unknown[]): Awaitable<number> {
    if (q.dialect) params = dialect(q).bind(params);
    return this.#c.write(q, run, params);
  }
  rows(q: Sql, params: readonly unknown[]): Awaitable<NamedRow[]> {
    return q.write
      ? this.#c.write(q, q.changes ? allChanged : all, params)
      : this.#c.read(q, all, params);
  }
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.#c.atomic(fn);
  }
}

/** The executor of one transaction: every statement on the writer, refused after the end. */
export class TxExecutor implements Executor {
  #c: ExecutorHost;
  #prepare: Prepare;
  #live = true;
  constructor(connection: ExecutorHost, prepare: Prepare) {
    this.#c = connection;
    this.#prepare = prepare;
  }
  end(): void {
    this.#live = false;
  }
  all(q: Sql, params: readonly unknown[]): Row[] {
    if (q.dialect) params = dialect(q).bind(params);
    return this.#do(q, values, params);
  }
  get(q: Sql, params: readonly unknown[]): Row | undefined {
    if (q.dialect) params = dialect(q).bind(params);
    return this.#do(q, value, params);
  }
  run(q: Sql, params: readonly unknown[]): number {
    if (q.dialect) params = dialect(q).bind(params);
    return this.#do(q, run, params);
  }
  rows(q: Sql, params: readonly unknown[]): NamedRow[] {
    return this.#do(q, q.changes ? allChanged : all, params);
  }
  async atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    this.#do(SAVEPOINT, run, []);
    try {
      const result = await fn(this);
      this.#do(RELEASE, run, []);
      return result;
    } catch (error) {
      this.#do(ROLLBACK_TO, run, []);
      this.#do(RELEASE, run, []);
      throw error;
    }
  }
  #do<T>(q: Sql, call: Call<T>, params: readonly unknown[]): T {
    if (this.#c.closed) throw closedError(q.name, "transaction");
    if (!this.#live) {
      throw new StorageError(
        "unavailable",
        `Cannot run ${q.name} as its transaction has ended: use the storage, or a new transaction`,
      );
    }
    try {
      return call(this.#prepare(q), params);
    } catch (error) {
      throw this.#c.map(error, q.name);
    }
  }
}
