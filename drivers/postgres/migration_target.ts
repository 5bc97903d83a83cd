/**
 * The PostgreSQL side of the migration runner. A run holds `pg_advisory_lock` on one reserved
 * pooled connection (waited for with a deadline, released in `finally`), and every step of the
 * run is a transaction on that same connection. If the connection breaks, the lock is gone with
 * it and the next step refuses to run.
 *
 * @module
 */
import { manifest } from "../../migrations/mod.ts";
import type { NamedRow } from "../../src/driver.ts";
import { StorageError } from "../../src/errors.ts";
import { Migrator, OWN_SET } from "../../src/migrate/migrator.ts";
import type {
  MigrationQuery,
  MigrationTarget,
} from "../../src/migrate/target.ts";
import { sleep } from "../../src/retry.ts";
import { PostgresConnection } from "./connection.ts";
import { toDollar } from "./dialect.ts";
import { connectionFailure } from "./errors.ts";
import type { PooledClient } from "./client.ts";
import { describeSchema } from "./schema.ts";

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

  async scratchCopy(): Promise<MigrationTarget & AsyncDisposable> {
    const settings = this.#c.settings;
    const name = `${settings.database || "impulse"}`.slice(0, 40) +
      `_verify_${crypto.randomUUID().slice(0, 8)}`;
    const top = await this.transaction(async (q) => {
      const [found] = await q.all(
        "SELECT to_regclass('impulse_migrations') IS NOT NULL AS present",
      );
      if (!found?.present) return 0;
      const [row] = await q.all(
        "SELECT max(version) AS top FROM impulse_migrations WHERE migration_set = ?",
        [OWN_SET],
      );
      return Number(row?.top ?? 0);
    });
    await this.#c.pool.withClient("verify", null, async (client) => {
      await client.sql.unsafe(`CREATE DATABASE ${quoteIdent(name)}`);
    }).catch((error) => {
      throw this.#c.map(error, "verify: creating a scratch database");
    });
    const drop = () =>
      this.#c.pool.withClient("verify", null, async (client) => {
        await client.sql.unsafe(
          `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`,
        );
      });
    let copy: PostgresConnection;
    try {
      copy = await PostgresConnection.openSettings(
        { ...settings, database: name, poolSize: 2 },
        { ...this.#c.options, migrate: "off" },
      );
    } catch (error) {
      await drop();
      throw error;
    }
    const target = copy.migrationTarget();
    // The copy gets the schema, not the rows: the package's own migrations, replayed up to the
    // version the database is at, so a caller's set is verified on the same foundations.
    if (top > 0) {
      await new Migrator(target, manifest[this.dialect] ?? []).up({ to: top });
    }
    return Object.assign(target, {
      async [Symbol.asyncDispose]() {
        await copy.close();
        await drop();
      },
    });
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
      const result = await fn(query(this.#c, client, generation));
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

function lost(client: PooledClient, generation: number): void {
  if (client.generation !== generation) {
    throw new StorageError(
      "migration",
      "The connection broke during the migration transaction: it was rolled back: run it again",
    );
  }
}

function query(
  c: PostgresConnection,
  client: PooledClient,
  generation: number,
): MigrationQuery {
  const guard = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
    lost(client, generation);
    try {
      return await work();
    } catch (error) {
      throw c.map(error, { name: "migration", text });
    }
  };
  return {
    exec: (script) =>
      guard(script, async () => void await client.sql.unsafe(script)),
    all: (text, params = []) =>
      guard(text, async () =>
        [
          ...await client.sql.unsafe(toDollar(text), [...params], {
            prepare: true,
          }),
        ] as unknown as NamedRow[]),
    run: (text, params = []) =>
      guard(
        text,
        async () =>
          (await client.sql.unsafe(toDollar(text), [...params], {
            prepare: true,
          })).count ?? 0,
      ),
    hasTable: (name) => {
      const text = "SELECT to_regclass($1) IS NOT NULL AS present";
      return guard(text, async () => {
        const [row] = await client.sql.unsafe(text, [name], { prepare: true });
        return (row as unknown as NamedRow | undefined)?.present === true;
      });
    },
  };
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
