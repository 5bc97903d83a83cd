/**
 * The SQLite side of the migration runner. Each step runs on the writer under the write lock in
 * `BEGIN IMMEDIATE`, which excludes writers of every process; foreign keys are switched off for
 * the step (so scripts may rebuild tables) and checked before commit.
 *
 * @module
 */
import { resolve } from "node:path";
import { StorageError } from "../../src/errors.ts";
import type { NamedRow } from "../../src/driver.ts";
import type { ParsedOpenOptions } from "../../src/validate.ts";
import type {
  MigrationQuery,
  MigrationTarget,
  TableShape,
} from "../../src/migrate/target.ts";
import { SqliteConnection } from "./connection.ts";
import type { EngineDatabase, SqliteEngine } from "./engine.ts";
import { describeSchema, describeTables, highWaterMarks } from "./schema.ts";

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

  schema(): Promise<string[]> {
    return this.transaction(describeSchema);
  }

  tables(q: MigrationQuery): Promise<TableShape[]> {
    return describeTables(q);
  }

  highWaterMarks(q: MigrationQuery): Promise<Map<string, number>> {
    return highWaterMarks(q);
  }

  differs(a: string, b: string): string {
    return `(${a} IS NOT ${b} OR typeof(${a}) <> typeof(${b}))`;
  }

  async backup(label: string): Promise<string | null> {
    const file = this.#connection.path;
    if (file === ":memory:") return null;
    const path = resolve(`${file}.${label}`);
    const mode = ((await Deno.stat(file)).mode ?? 0o600) & 0o777;
    try {
      // Created empty with the database's mode first, so the copy is never readable by more.
      (await Deno.open(path, { createNew: true, write: true, mode })).close();
      await Deno.chmod(path, mode);
      await this.#connection.withWriter("backup", (db) => db.copyTo(path));
    } catch (error) {
      await Deno.remove(path).catch(() => {});
      throw new StorageError(
        "unavailable",
        `Cannot write the backup copy ${path}: ${
          error instanceof Error ? error.message : String(error)
        }: nothing was reverted: free space or fix the directory's permissions`,
        { cause: error },
      );
    }
    return path;
  }

  /** A copy of the whole file: `build` is not needed. */
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
