/**
 * The SQLite side of the migration runner. Each step runs on the writer under the write lock in
 * `BEGIN IMMEDIATE`, which excludes writers of every process; foreign keys are switched off for
 * the step (so scripts may rebuild tables) and checked before commit.
 *
 * @module
 */
import { StorageError } from "../../src/errors.ts";
import type { NamedRow } from "../../src/driver.ts";
import type { ParsedOpenOptions } from "../../src/validate.ts";
import type {
  MigrationQuery,
  MigrationTarget,
} from "../../src/migrate/target.ts";
import { SqliteConnection } from "./connection.ts";
import type { EngineDatabase, SqliteEngine } from "./engine.ts";

/** Migrations on one SQLite connection. */
export class SqliteMigrationTarget implements MigrationTarget {
  readonly dialect = "sqlite";
  #connection: SqliteConnection;
  #engine: SqliteEngine;
  #options: ParsedOpenOptions;

  /**
   * @param connection The connection whose writer runs the migrations.
   * @param engine Its engine (scratch copies open with it).
   * @param options Its options.
   */
  constructor(
    connection: SqliteConnection,
    engine: SqliteEngine,
    options: ParsedOpenOptions,
  ) {
    this.#connection = connection;
    this.#engine = engine;
    this.#options = options;
  }

  /** SQLite has no lock spanning a run: each step's `BEGIN IMMEDIATE` is the lock. */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  transaction<T>(fn: (q: MigrationQuery) => Promise<T>): Promise<T> {
    return this.#mapped(this.#connection.withWriter("migration", async (db) => {
      db.exec("PRAGMA foreign_keys = OFF");
      try {
        await this.#begin(db);
        try {
          const result = await fn(query(db));
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
          try {
            db.exec("ROLLBACK");
          } catch { /* already rolled back */ }
          throw error;
        }
      } finally {
        db.exec("PRAGMA foreign_keys = ON");
      }
    }));
  }

  execScript(script: string): Promise<void> {
    return this.#mapped(this.#connection.withWriter("migration", (db) => {
      db.exec(script);
      return Promise.resolve();
    }));
  }

  async schema(): Promise<string[]> {
    const rows = await this.transaction((q) =>
      q.all(
        "SELECT type, name, tbl_name, sql FROM sqlite_schema " +
          "WHERE name NOT LIKE 'sqlite_%' AND name NOT IN ('impulse_migrations', 'impulse_migration_notes') ORDER BY type, name",
      )
    );
    return rows.map((row) =>
      `${row.type} ${row.name} on ${row.tbl_name}: ${
        normalise(String(row.sql))
      }`
    );
  }

  async scratchCopy(): Promise<MigrationTarget & AsyncDisposable> {
    const dir = await Deno.makeTempDir({ prefix: "impulse-verify-" });
    try {
      const path = `${dir}/scratch.db`;
      await this.#mapped(
        this.#connection.withWriter("verify", (db) => db.copyTo(path)),
      );
      const copy = await SqliteConnection.open(this.#engine, `sqlite:${path}`, {
        ...this.#options,
        migrate: "off",
        create: true,
        readOnly: false,
      });
      const target = copy.migrationTarget();
      return Object.assign(target, {
        async [Symbol.asyncDispose]() {
          await copy.close();
          await Deno.remove(dir, { recursive: true });
        },
      });
    } catch (error) {
      await Deno.remove(dir, { recursive: true });
      throw error;
    }
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

  async #begin(db: EngineDatabase): Promise<void> {
    const deadline = Date.now() +
      Math.max(this.#options.acquireTimeoutMs, 30_000);
    for (let delay = 5;; delay = Math.min(delay * 2, 250)) {
      try {
        db.exec("BEGIN IMMEDIATE");
        return;
      } catch (error) {
        if (this.#engine.errorCode(error) !== 5) {
          throw this.#connection.map(error, "migration");
        }
        if (Date.now() > deadline) {
          throw new StorageError(
            "timeout",
            `Timed out waiting for the database's write lock to migrate: another process holds it: try again`,
            { cause: error },
          );
        }
        await new Promise((resolve) =>
          setTimeout(resolve, delay * Math.random())
        );
      }
    }
  }
}

function query(db: EngineDatabase): MigrationQuery {
  return {
    exec(script) {
      db.exec(script);
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

/**
 * SQL text as SQLite stores it, made comparable: a table renamed by ALTER TABLE gets its name
 * quoted, and whitespace is whatever the script had.
 */
function normalise(sql: string): string {
  return sql.replace(/"(\w+)"/g, "$1").replace(/\s+/g, " ").replace(/\( /g, "(")
    .replace(/ \)/g, ")").trim();
}
