/**
 * The SQLite side of the migration runner. Each step runs on the writer under the write lock in
 * `BEGIN IMMEDIATE`, which excludes writers of every process; foreign keys are switched off for
 * the step (so scripts may rebuild tables) and checked before commit.
 *
 * @module
 */
import { resolve } from "node:path";
import {
  type MigrationQuery,
  type MigrationTarget,
  type NamedRow,
  type ScratchOptions,
  type ScratchTarget,
  StorageError,
  type TableShape,
} from "../../driver.ts";
import type { SqliteConnectOptions } from "./options.ts";
import { writeBackup } from "./backup.ts";
import type { SqliteConnection } from "./connection.ts";
import type { EngineDatabase, SqliteEngine } from "./engine.ts";
import { scratchFile } from "./scratch.ts";
import { describeSchema, describeTables, highWaterMarks } from "./schema.ts";

/** Migrations on one SQLite connection. */
export class SqliteMigrationTarget implements MigrationTarget {
  readonly dialect = "sqlite";
  #connection: SqliteConnection;
  #engine: SqliteEngine;
  #options: SqliteConnectOptions;
  /** How long each step waits for the write lock, inside {@linkcode withLock}. */
  #lockWaitMs: number | undefined;

  /**
   * @param connection The connection whose writer runs the migrations.
   * @param engine Its engine (scratch copies open with it).
   * @param options Its options.
   */
  constructor(
    connection: SqliteConnection,
    engine: SqliteEngine,
    options: SqliteConnectOptions,
  ) {
    this.#connection = connection;
    this.#engine = engine;
    this.#options = options;
  }

  /**
   * SQLite has no lock spanning a run: each step's `BEGIN IMMEDIATE` is the lock. So each
   * step of the run waits for the database's write lock (held by another process's migration or
   * transaction) at most `timeoutMs`.
   */
  async withLock<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    const outer = this.#lockWaitMs;
    this.#lockWaitMs = timeoutMs;
    try {
      return await fn();
    } finally {
      this.#lockWaitMs = outer;
    }
  }

  transaction<T>(fn: (q: MigrationQuery) => Promise<T>): Promise<T> {
    const deadline = this.#connection.deadline(this.#lockWaitMs);
    return this.#mapped(
      this.#connection.withWriter("migration", deadline, async (db) => {
        db.exec("PRAGMA foreign_keys = OFF");
        try {
          await this.#connection.busyRetry(
            "migration",
            deadline,
            () => db.exec("BEGIN IMMEDIATE"),
            { hint: LOCK_HINT },
          );
          return await this.#inTransaction(db, fn);
        } finally {
          db.exec("PRAGMA foreign_keys = ON");
        }
      }),
    );
  }

  /** A deferred transaction: it takes a read lock only, which no writer blocks in WAL mode. */
  read<T>(fn: (q: MigrationQuery) => Promise<T>): Promise<T> {
    const deadline = this.#connection.deadline();
    return this.#mapped(
      this.#connection.withWriter(
        "migration status",
        deadline,
        (db) =>
          this.#connection.busyRetry("migration status", deadline, async () => {
            db.exec("BEGIN");
            try {
              const result = await fn(query(db, this.#connection));
              db.exec("COMMIT");
              return result;
            } catch (error) {
              rollback(db);
              throw error;
            }
          }, { lock: "lock" }),
      ),
    );
  }

  execScript(script: string): Promise<void> {
    const deadline = this.#connection.deadline(this.#lockWaitMs);
    return this.#mapped(
      this.#connection.withWriter("migration", deadline, (db) => {
        db.exec(script);
        return Promise.resolve();
      }),
    );
  }

  schema(): Promise<string[]> {
    return this.transaction(describeSchema);
  }

  tables(q: MigrationQuery): Promise<TableShape[]> {
    return describeTables(q);
  }

  highWaterMarks(q: MigrationQuery): Promise<Map<string, bigint>> {
    return highWaterMarks(q);
  }

  /** Nothing to do: each step's `BEGIN IMMEDIATE` already excludes every other writer. */
  excludeWriters(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to save: `sqlite_sequence` is a table, rolled back like the others. */
  saveSequences(): Promise<() => Promise<void>> {
    return Promise.resolve(() => Promise.resolve());
  }

  /**
   * The value itself, without the column's affinity (the unary `+`), so the snapshot stores it
   * as it is.
   */
  kept(value: string): string {
    return `+${value}`;
  }

  /**
   * The storage class and the value compared byte for byte (no affinity, `BINARY`): exact for
   * every value but a real zero's sign, which no function of SQLite shows (and which a column of
   * REAL affinity does not keep either).
   */
  exact(value: string): string[] {
    return [`typeof(${value})`, `(+${value}) COLLATE BINARY`];
  }

  differs(kept: string, value: string): string {
    return `(typeof(${kept}) IS NOT typeof(${value}) OR ${kept} IS NOT (+${value}) COLLATE BINARY)`;
  }

  /** The table's own key equality, which its primary key index answers. */
  matches(kept: string, value: string): string {
    return `${value} = ${kept}`;
  }

  /**
   * Writes the copy to `<path>.partial`, flushes it and renames it (see `backup.ts`): the path
   * returned names a whole copy, and a process killed meanwhile leaves no file by that name.
   */
  async backup(label: string): Promise<string | null> {
    const file = this.#connection.path;
    if (file === ":memory:") return null;
    const path = resolve(`${file}.${label}`);
    try {
      await writeBackup(file, path, (into) =>
        this.#connection.withWriter(
          "backup",
          this.#connection.deadline(),
          (db) => db.copyTo(into),
        ));
    } catch (error) {
      // A copy this runtime cannot make says what to do itself; a file system failure does not.
      const unable = error instanceof StorageError &&
        error.kind === "unavailable";
      throw new StorageError(
        "unavailable",
        `Cannot write the backup copy ${path}: ${
          error instanceof Error ? error.message : String(error)
        }: nothing was reverted${
          unable ? "" : ": free space or fix the directory's permissions"
        }`,
        { cause: error },
      );
    }
    return path;
  }

  /** A copy of the whole file (see `scratch.ts`). */
  scratch(options: ScratchOptions = {}): Promise<ScratchTarget> {
    return scratchFile(this.#connection, this.#engine, this.#options, options);
  }

  close(): Promise<void> {
    return this.#connection.close();
  }

  /** Maps what the engine threw (a pragma, `COMMIT`, a query) like every other statement. */
  #mapped<T>(work: Promise<T>): Promise<T> {
    return work.catch((error) => {
      throw this.#connection.map(error, "migration");
    });
  }

  /** Runs `fn` in the open transaction; checks foreign keys, then commits (or rolls back). */
  async #inTransaction<T>(
    db: EngineDatabase,
    fn: (q: MigrationQuery) => Promise<T>,
  ): Promise<T> {
    try {
      const result = await fn(query(db, this.#connection));
      const broken = db.prepare("PRAGMA foreign_key_check").all([]);
      if (broken.length > 0) {
        const first = broken[0]!;
        throw new StorageError(
          "migration",
          `The migration broke ${broken.length} foreign key reference(s), the first in table ` +
            `${first.table} (row ${first.rowid}) to ${first.parent}: fix the script`,
        );
      }
      db.exec("COMMIT");
      return result;
    } catch (error) {
      rollback(db);
      throw error;
    }
  }
}

/** What to do when another process holds the write lock a migration step waits for. */
const LOCK_HINT =
  "wait for its migration or transaction to end, or wait longer " +
  "(openStorage: acquireTimeoutMs; openMigrator: lockTimeoutMs; deno task migrate: " +
  "--lock-timeout)";

function rollback(db: EngineDatabase): void {
  try {
    db.exec("ROLLBACK");
  } catch { /* already rolled back */ }
}

/**
 * The queries of one step. A script's failure is mapped at once: the engine's own error may
 * hold the script's text (node:sqlite appends it), which the step's message must not show.
 */
function query(
  db: EngineDatabase,
  connection: SqliteConnection,
): MigrationQuery {
  return {
    exec(script) {
      try {
        db.exec(script);
      } catch (error) {
        return Promise.reject(connection.map(error, "migration"));
      }
      return Promise.resolve();
    },
    all(text, params = []) {
      return Promise.resolve(db.prepare(text).all(params) as NamedRow[]);
    },
    run(text, params = []) {
      return Promise.resolve(db.prepare(text).run(params));
    },
    hasTable(name) {
      return Promise.resolve(
        db.prepare(
          "SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = ?",
        ).all([name]).length > 0,
      );
    },
  };
}
