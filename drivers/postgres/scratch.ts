/**
 * The scratch database of `migrate verify`: a new, empty database on the same server, which the
 * migrator migrates to the original's versions and then has filled by {@linkcode copyRows};
 * dropped after, whatever happens.
 *
 * The rows of the original are copied into it as they are: every table the two have in common, of every schema (the tracking table
 * aside), in one snapshot of the source, parents before children; then the state of every
 * sequence.
 *
 * Rows are read in batches through a cursor, every value in its text form, and written with
 * `COPY … FROM STDIN` in text format, which parses each value back with its type's input
 * function: exact for every type, and a large table never sits in memory. (postgres.js's
 * `COPY … TO STDOUT` stream is not used: when the last chunk of a copy meets backpressure it
 * leaves the connection's socket paused for good.)
 *
 * @module
 */
import { once } from "node:events";
import { finished } from "node:stream/promises";
import { migrationQuery } from "./migration_query.ts";
import type { PooledClient } from "./client.ts";
import { describeTables, parentsFirst } from "./coverage.ts";
import { copySequences, readSequences } from "./sequences.ts";
import {
  cancelled,
  type ScratchOptions,
  type ScratchTarget,
  throwIfCancelled,
} from "../../driver.ts";
import { PostgresConnection } from "./connection.ts";

const BATCH = 2000;

/**
 * Creates an empty scratch database beside the connection's, for `migrate verify`.
 *
 * @param c The connection of the database verified.
 * @param options `signal`: cancels the copy.
 * @returns The scratch database's target; disposing of it drops the database.
 * @throws {StorageError} as the server refuses; `unavailable` when cancelled.
 */
export async function scratchDatabase(
  c: PostgresConnection,
  options: ScratchOptions = {},
): Promise<ScratchTarget> {
  const { signal } = options;
  throwIfCancelled(signal);
  const settings = c.settings;
  const name = `${settings.database || "impulse"}`.slice(0, 40) +
    `_verify_${crypto.randomUUID().slice(0, 8)}`;
  // Connections of their own that never close for idleness: the source's snapshot stays open
  // while the copy is written. Only the source's may be read-only (a reading command's):
  // creating, migrating and dropping the scratch database write.
  const open = (database: string, poolSize: number, readOnly: boolean) =>
    PostgresConnection.openSettings(
      { ...settings, database, poolSize, idleTimeoutMs: 0, readOnly },
      { ...c.options, migrate: "off" },
    );
  const admin = await open(settings.database, 1, false);
  const server = (text: string) =>
    admin.pool.withClient("verify", null, async (client) => {
      await client.sql.unsafe(text);
    });
  try {
    await server(`CREATE DATABASE ${quote(name)}`);
  } catch (error) {
    await admin.close();
    throw c.map(error, "verify: creating a scratch database");
  }
  const drop = async () => {
    try {
      await server(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
    } finally {
      await admin.close();
    }
  };
  // When the signal fires, the statements running on the scratch database (a long trial, a
  // COPY) are cancelled at once rather than left to finish: the run then stops and drops the
  // database, instead of waiting for work that will be thrown away.
  let cancelling: Promise<void> | undefined;
  const cancel = () => {
    cancelling = admin.pool.withClient(
      "verify: cancelling",
      null,
      async (client) => {
        await client.sql.unsafe(
          `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [name],
        );
      },
    ).catch(() => {});
  };
  const stopListening = async () => {
    signal?.removeEventListener("abort", cancel);
    await cancelling;
  };
  let copy: PostgresConnection | undefined;
  try {
    copy = await open(name, 2, false);
    throwIfCancelled(signal);
    signal?.addEventListener("abort", cancel, { once: true });
    const opened = copy;
    return Object.assign(opened.migrationTarget(), {
      whole: false,
      async copyRows(options: ScratchOptions = {}) {
        const source = await open(settings.database, 1, settings.readOnly);
        try {
          await copyRows(source, opened, options.signal);
        } finally {
          await source.close();
        }
      },
      async [Symbol.asyncDispose]() {
        try {
          await stopListening();
          await opened.close();
        } finally {
          await drop();
        }
      },
    });
  } catch (error) {
    await stopListening();
    await copy?.close();
    await drop();
    throw error;
  }
}

/**
 * Copies every row of `source` into `copy`, whose tables must be empty. Both connections must
 * not close idle connections (`idleTimeoutMs` 0): the snapshot's transaction stays open while
 * the copy writes.
 *
 * @param source The database verified.
 * @param copy Its scratch copy, migrated to the same versions.
 * @param signal Cancels the copy between batches.
 * @throws {StorageError} `unavailable` when either database fails, or the copy is cancelled.
 */
export async function copyRows(
  source: PostgresConnection,
  copy: PostgresConnection,
  signal?: AbortSignal,
): Promise<void> {
  await source.pool.withClient("verify: reading rows", null, async (from) => {
    try {
      await from.sql.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const read = migrationQuery(source, from, from.generation);
      const present = new Map(
        (await describeTables(read)).map((t) => [t.name, t.columns]),
      );
      const sequences = await readSequences(read);
      await copy.pool.withClient("verify: writing rows", null, async (to) => {
        const write = migrationQuery(copy, to, to.generation);
        const tables = await parentsFirst(write, await describeTables(write));
        for (const table of tables) {
          const columns = table.columns.filter((c) =>
            present.get(table.name)?.includes(c)
          );
          if (columns.length > 0) {
            await copyTable(
              from,
              to,
              table.ref ?? quote(table.name),
              columns,
              signal,
            );
          }
        }
        await copySequences(write, sequences);
      });
    } catch (error) {
      if (signal?.aborted) throw cancelled(signal);
      throw source.map(error, "verify: copying rows into the scratch database");
    } finally {
      await from.sql.unsafe("ROLLBACK").catch(() => {});
    }
  });
}

/** Copies one table's rows, `BATCH` at a time. */
async function copyTable(
  from: PooledClient,
  to: PooledClient,
  table: string,
  columns: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  // `table` is as SQL takes it: `"schema"."name"`.
  const select = columns.map((c, i) => `${quote(c)}::text AS c${i}`).join(", ");
  const sink = await to.sql.unsafe(
    `COPY ${table} (${columns.map(quote).join(", ")}) FROM STDIN`,
  ).writable();
  try {
    const batches = from.sql.unsafe(`SELECT ${select} FROM ${table}`)
      .cursor(BATCH);
    for await (const rows of batches) {
      throwIfCancelled(signal);
      const text = rows.map((row) =>
        columns.map((_, i) => field(row[`c${i}`])).join("\t") + "\n"
      ).join("");
      if (!sink.write(text)) await once(sink, "drain");
    }
    sink.end();
    await finished(sink);
  } catch (error) {
    // Destroying with the error ends the COPY as failed; the stream then emits it as an
    // 'error' event, which nobody would hear (the error is thrown here): without a listener
    // that event is an uncaught exception that ends the process.
    sink.on("error", () => {});
    sink.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

/** A value in COPY's text format: `\N` for NULL, backslash escapes for the separators. */
function field(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  return String(value).replace(
    /[\\\t\n\r]/g,
    (c) =>
      c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
