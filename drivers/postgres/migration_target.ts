/**
 * The PostgreSQL side of the migration runner. A run holds `pg_advisory_lock` on one reserved
 * pooled connection (waited for with a deadline, released in `finally`), and every step of the
 * run is a transaction on that same connection. If the connection breaks, the lock is gone with
 * it and the next step refuses to run.
 *
 * @module
 */
import {
  type MigrationQuery,
  type MigrationTarget,
  type NamedRow,
  type ScratchOptions,
  type ScratchTarget,
  sleep,
  StorageError,
  type TableShape,
} from "../../driver.ts";
import type { PostgresConnection } from "./connection.ts";
import { connectionFailure } from "./errors.ts";
import type { PooledClient } from "./client.ts";
import { lost, migrationQuery } from "./migration_query.ts";
import { describeTables } from "./coverage.ts";
import { excludeWriters } from "./fence.ts";
import { describeSchema } from "./schema.ts";
import { scratchDatabase } from "./scratch.ts";
import { highWaterMarks, saveSequences } from "./sequences.ts";

/** The advisory lock's two keys: "IMPL" and 1 (migrations). */
export const LOCK_KEYS = [1229803596, 1] as const;

const ignore = () => {};

/** Migrations on one PostgreSQL connection pool. */
export class PostgresMigrationTarget implements MigrationTarget {
  readonly dialect = "postgres";
  #c: PostgresConnection;
  #locked: { client: PooledClient; generation: number } | null = null;

  /** @param connection The connection whose pool runs the migrations. */
  constructor(connection: PostgresConnection) {
    this.#c = connection;
  }

  withLock<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    return this.#c.pool.withClient("migration lock", null, async (client) => {
      await this.#lock(client, timeoutMs);
      this.#locked = { client, generation: client.generation };
      let broken = false;
      try {
        return await fn();
      } catch (error) {
        broken = connectionFailure(error) !== "none";
        throw error;
      } finally {
        const held = !broken && this.#locked.generation === client.generation;
        this.#locked = null;
        if (held) {
          await client.sql.unsafe("SELECT pg_advisory_unlock($1, $2)", [
            ...LOCK_KEYS,
          ]).catch(ignore);
        }
      }
    });
  }

  /** A plain transaction: its reads wait for no lock (the migration lock is advisory). */
  read<T>(fn: (q: MigrationQuery) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  transaction<T>(fn: (q: MigrationQuery) => Promise<T>): Promise<T> {
    const locked = this.#locked;
    if (locked) return this.#transaction(locked.client, fn);
    return this.#c.pool.withClient(
      "migration",
      null,
      (client) => this.#transaction(client, fn),
    );
  }

  execScript(script: string): Promise<void> {
    const run = async (client: PooledClient) => {
      this.#checkLock(client);
      try {
        await client.sql.unsafe(script);
      } catch (error) {
        throw this.#c.map(error, { name: "migration", text: script });
      }
    };
    const locked = this.#locked;
    return locked
      ? run(locked.client)
      : this.#c.pool.withClient("migration", null, run);
  }

  schema(): Promise<string[]> {
    return this.transaction((q) => describeSchema(q));
  }

  /** The tables of every schema but the system ones whose rows the role may change. */
  tables(q: MigrationQuery): Promise<TableShape[]> {
    return describeTables(q, { writable: true });
  }

  highWaterMarks(q: MigrationQuery): Promise<Map<string, bigint>> {
    return highWaterMarks(q);
  }

  excludeWriters(q: MigrationQuery, timeoutMs: number): Promise<void> {
    const { statementTimeoutMs, where } = this.#c.settings;
    return excludeWriters(q, { timeoutMs, statementTimeoutMs, where });
  }

  saveSequences(q: MigrationQuery): Promise<() => Promise<void>> {
    return saveSequences(q);
  }

  /** The value's text form: see {@linkcode textForm}. */
  kept(value: string): string {
    return textForm(value);
  }

  exact(value: string): string[] {
    return [textForm(value)];
  }

  differs(kept: string, value: string): string {
    return `${kept} IS DISTINCT FROM ${textForm(value)}`;
  }

  matches(kept: string, value: string): string {
    return `${kept} = ${textForm(value)}`;
  }

  /** A PostgreSQL database is not a file of its own: take a backup with `pg_dump`. */
  backup(): Promise<string | null> {
    return Promise.resolve(null);
  }

  /** A new, empty database of the same server (see `scratch.ts`). */
  scratch(options: ScratchOptions = {}): Promise<ScratchTarget> {
    return scratchDatabase(this.#c, options);
  }

  close(): Promise<void> {
    return this.#c.close();
  }

  async #transaction<T>(
    client: PooledClient,
    fn: (q: MigrationQuery) => Promise<T>,
  ): Promise<T> {
    this.#checkLock(client);
    try {
      await client.sql.unsafe("BEGIN");
    } catch (error) {
      throw this.#c.map(error, "migration");
    }
    const generation = client.generation;
    try {
      const result = await fn(migrationQuery(this.#c, client, generation));
      lost(client, generation);
      const tag = (await client.sql.unsafe("COMMIT")).command;
      if (tag !== "COMMIT") {
        throw new StorageError(
          "migration",
          "The migration transaction was rolled back: a statement in it failed",
        );
      }
      return result;
    } catch (error) {
      if (
        client.generation === generation && connectionFailure(error) === "none"
      ) {
        await client.sql.unsafe("ROLLBACK").catch(ignore);
      }
      throw this.#c.map(error, "migration");
    }
  }

  #checkLock(client: PooledClient): void {
    if (this.#locked && this.#locked.generation !== client.generation) {
      throw new StorageError(
        "migration",
        "Lost the migration lock: the connection holding it broke: run the migration again",
      );
    }
  }

  async #lock(client: PooledClient, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 10;; delay = Math.min(delay * 2, 250)) {
      let got: unknown;
      try {
        [[got]] = await client.sql.unsafe(
          "SELECT pg_try_advisory_lock($1, $2)",
          [...LOCK_KEYS],
          { prepare: true },
        ).values() as unknown as [[unknown]];
      } catch (error) {
        throw this.#c.map(error, "migration lock");
      }
      if (got === true) return;
      const left = deadline - Date.now();
      if (left <= 0) throw await this.#lockTimeout(client, timeoutMs);
      await sleep(Math.min(delay * (0.5 + Math.random() / 2), left));
    }
  }

  async #lockTimeout(
    client: PooledClient,
    timeoutMs: number,
  ): Promise<StorageError> {
    const holders = await client.sql.unsafe(
      `SELECT a.pid, a.application_name, a.usename, a.client_addr::text AS addr, a.backend_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2
         AND l.objsubid = 2
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [...LOCK_KEYS],
    ).catch(() => []) as NamedRow[];
    const holder = holders[0];
    const who = holder
      ? `backend pid ${holder.pid} (application "${holder.application_name}", user ` +
        `${holder.usename}${
          holder.addr ? ` from ${holder.addr}` : ""
        }, connected since ` +
        `${(holder.backend_start as Date).toISOString()})`
      : "another session";
    return new StorageError(
      "timeout",
      `Timed out after ${timeoutMs} ms waiting for the migration lock of ${this.#c.settings.where}: ` +
        `it is held by ${who}: wait for that migration to finish` +
        (holder
          ? `, or end it with SELECT pg_terminate_backend(${holder.pid})`
          : ""),
    );
  }
}

/**
 * A value's exact text form: what its type's output function writes (`concat`, which unlike
 * `::text` keeps a `bpchar`'s trailing spaces), NULL only for NULL (`num_nulls`, which unlike
 * `IS NULL` holds no composite of NULL fields for NULL), compared byte for byte (`COLLATE "C"`,
 * whatever the column's collation). Two values of one session have the same text form exactly
 * when they are the same value: `-0` and `0`, `1.0` and `1`, `Alice` and `alice` of a
 * case-insensitive collation or of `citext` all differ; and a text form depends on no type of
 * the caller's and has an equality even where the type has none (`json`, `xml`, `point`).
 *
 * @param value An SQL expression.
 * @returns The expression of its text form.
 */
export function textForm(value: string): string {
  return `(CASE WHEN num_nulls(${value}) = 0 THEN concat(${value}) END) COLLATE "C"`;
}

/**
 * Quotes an identifier.
 *
 * @param name The name.
 * @returns `"name"`, with inner quotes doubled.
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
