/**
 * What the migration runner needs from a driver: a lock, transactions, scripts, a schema dump,
 * the tables whose rows a down step must keep, and copies of the database. Each driver
 * implements it in its own folder; what to migrate, and how `verify` replays it, stays with the
 * runner (src/migrate/).
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

/** A table whose rows the runner compares before and after a down and up step. */
export interface TableShape {
  /**
   * The table's name as losses name it: plain in the database's current schema,
   * `schema.table` in another.
   */
  name: string;
  /**
   * How SQL names it, where that is not `name` quoted (PostgreSQL: `"schema"."table"`).
   */
  ref?: string;
  /** Its stored columns, in order (columns the database computes are left out). */
  columns: string[];
  /** The columns of its primary key; empty when it has none. */
  key: string[];
}

/** Options of {@linkcode MigrationTarget.scratch} and {@linkcode ScratchTarget.copyRows}. */
export interface ScratchOptions {
  /** Cancels the copy. */
  signal?: AbortSignal;
}

/**
 * A private copy of a database, for `verify` (see {@linkcode MigrationTarget.scratch}); disposing
 * of it removes it.
 */
export interface ScratchTarget extends MigrationTarget, AsyncDisposable {
  /**
   * `true` when the copy is whole already: schema, tracking table and rows (a copy of a file).
   * `false` when it is an empty database: the migrator then migrates it to the original's
   * versions and calls {@linkcode ScratchTarget.copyRows}.
   */
  readonly whole: boolean;
  /**
   * Copies every row of the original into an empty copy the migrator has migrated to the
   * original's versions: the columns of every table the two have in common (the tracking table
   * aside), read in one snapshot of the original, and the state of every id generator. Does
   * nothing on a whole copy.
   *
   * @param options `signal`: cancels the copy between its statements and batches; the promise
   * then rejects with the error of `cancelled()`.
   */
  copyRows(options?: ScratchOptions): Promise<void>;
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
   * @param timeoutMs How long to wait for the lock before failing as `timeout` (where the
   * dialect has no lock spanning a run, how long each step waits for its write lock).
   */
  withLock<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T>;
  /**
   * Runs `fn` in a transaction that only reads: it waits for no migration lock and takes no
   * write lock (what `status` and the first look of `up` need), within the connection's
   * `acquireTimeoutMs`.
   */
  read<T>(fn: (q: MigrationQuery) => Promise<T>): Promise<T>;
  /** Runs `fn` in one write transaction: commit on resolve, rollback on throw. */
  transaction<T>(fn: (q: MigrationQuery) => Promise<T>): Promise<T>;
  /** Runs a script outside any transaction (for `-- no-transaction` migrations). */
  execScript(script: string): Promise<void>;
  /**
   * A stable, sorted description of the schema, the tracking and notes tables and the tables
   * of data set aside by down scripts (`impulse_aside_*`) excluded.
   */
  schema(): Promise<string[]>;
  /**
   * The tables that hold rows of their own, as `q` sees them: every table but the tracking and
   * notes tables and those the database derives from others (the internal tables of SQLite's
   * virtual tables, and its full-text indexes of other tables); a virtual table of rows of its
   * own is read through itself, keyed by `rowid`.
   */
  tables(q: MigrationQuery): Promise<TableShape[]>;
  /**
   * The id high-water marks: for each table with an AUTOINCREMENT or identity column (and for
   * each sequence standing alone, by its name), the highest id handed out so far; 0 when none
   * was. Exact however large (a JavaScript number is not above 2^53).
   */
  highWaterMarks(q: MigrationQuery): Promise<Map<string, bigint>>;
  /**
   * Keeps every other session from writing to the tables a down step's trial covers until
   * `q`'s transaction ends, so that nothing another session commits meanwhile is left out of
   * the trial or of what the down script sets aside; readers go on. Does nothing where the
   * transaction already excludes every other writer (SQLite's `BEGIN IMMEDIATE`).
   *
   * @param q The down step's transaction, before its trial.
   * @param timeoutMs How long to wait for writers that hold the tables.
   * @throws {StorageError} `timeout` when the tables cannot be had in time, naming who holds
   * them (the transaction is then only fit to roll back).
   */
  excludeWriters(q: MigrationQuery, timeoutMs: number): Promise<void>;
  /**
   * Reads what a rollback does not undo (PostgreSQL's sequences) before a trial.
   *
   * @param q The transaction of the trial.
   * @returns A function that, after the trial's rollback, puts back each of them that the trial
   * changed.
   */
  saveSequences(q: MigrationQuery): Promise<() => Promise<void>>;
  /**
   * What a down step's trial keeps of a value in its snapshot: an SQL expression that is NULL
   * only for NULL, whose type is the database's own (never a type of the caller's, which the
   * down script may drop), and whose {@linkcode MigrationTarget.exact} form is the value's.
   *
   * @param value An SQL expression (a column).
   */
  kept(value: string): string;
  /**
   * A value's exact form, as SQL expressions to group rows on and compare: two values are the
   * same value (of the same type, with the same bytes or text, whatever the column's collation
   * or equality operator says) exactly when each of their expressions are equal or both NULL.
   *
   * @param value An SQL expression (a column, or a column of the snapshot).
   */
  exact(value: string): string[];
  /**
   * An SQL condition that holds when a value kept by {@linkcode MigrationTarget.kept} and a
   * table's value differ in their exact forms (two NULLs are equal).
   *
   * @param kept A column of the snapshot.
   * @param value A column of the table.
   */
  differs(kept: string, value: string): string;
  /**
   * An SQL condition that pairs a key value kept by {@linkcode MigrationTarget.kept} with the
   * table's key value, one the table's key index can answer where the dialect has one; a pair
   * it matches may still differ (which {@linkcode MigrationTarget.differs} finds).
   *
   * @param kept A key column of the snapshot.
   * @param value The key column of the table.
   */
  matches(kept: string, value: string): string;
  /**
   * Writes a copy of the database file beside it, with the file's mode, before a forced down
   * step: atomically, so a file by the returned name is always a whole copy (SQLite writes
   * `<name>.partial`, flushes it, renames it and flushes the directory; a `.partial` left by a
   * killed run is removed by the next).
   *
   * @param label What the copy's name says after the file's name, such as
   * `before-down-impulse-0009-20250101T120000000Z`.
   * @returns The copy's path, or `null` when the database is not a file of its own.
   */
  backup(label: string): Promise<string | null>;
  /**
   * A private copy of the database for `verify`, disposed of after: a whole copy where the
   * driver can copy the database as it is (a file), else an empty database on the same server
   * that the migrator migrates and then has the driver fill (see {@linkcode ScratchTarget}).
   * Which migrations build it, and how verify replays them, is the migrator's business.
   *
   * A file copy lives in a directory of its own, mode 0700, its files 0600 (see
   * `scratchPlace()`); a copy on a server is a database of its own. Whatever fails or is
   * cancelled on the way, nothing of the copy is left behind.
   *
   * @param options `signal`: cancels the copy; the promise then rejects with the error of
   * `cancelled()`. Where statements on the copy can be cancelled while they run (a server's
   * database), the copy cancels those running when the signal fires, so the run need not wait
   * for them before removing the copy.
   */
  scratch(options?: ScratchOptions): Promise<ScratchTarget>;
  /** Releases the target's resources. */
  close(): Promise<void>;
}
