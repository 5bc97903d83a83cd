/**
 * What the migration runner needs from a driver: a lock, transactions, scripts and a schema
 * dump. Each driver implements it in its own folder.
 *
 * @module
 */

/** Statements inside one migration transaction. Placeholders are `?`. */
export interface MigrationQuery {
  /** Runs a script of one or more statements. */
  exec(script: string): Promise<void>;
  /** Runs a query and returns its rows, keyed by column name. */
  all(
    text: string,
    params?: readonly unknown[],
  ): Promise<Record<string, unknown>[]>;
  /** Runs a statement and returns how many rows it changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** Whether a table of this name exists; only reads (what `status` asks first). */
  hasTable(name: string): Promise<boolean>;
}

/** A database as the migration runner sees it. */
export interface MigrationTarget {
  /** Selects the migration folder (`sqlite`, `postgres`). */
  readonly dialect: string;
  /**
   * Runs `fn` holding a lock that other processes migrating the same database respect, if the
   * dialect has one that spans a whole run. Each step still runs in its own
   * {@linkcode MigrationTarget.transaction}, which is exclusive among writers, and re-reads the
   * tracking table there.
   *
   * @param fn The run.
   * @param timeoutMs How long to wait for the lock before failing as `timeout`.
   */
  withLock<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T>;
  /** Runs `fn` in one write transaction: commit on resolve, rollback on throw. */
  transaction<T>(fn: (q: MigrationQuery) => Promise<T>): Promise<T>;
  /** Runs a script outside any transaction (for `-- no-transaction` migrations). */
  execScript(script: string): Promise<void>;
  /** A stable, sorted description of the schema, the tracking and notes tables excluded. */
  schema(): Promise<string[]>;
  /** A private copy of the database for `verify`, disposed of after. */
  scratchCopy(): Promise<MigrationTarget & AsyncDisposable>;
  /** Releases the target's resources. */
  close(): Promise<void>;
}
