/**
 * The rows of a PostgreSQL database copied into a scratch database of the same schema, for
 * `migrate verify`: every table the two have in common, of every schema (the tracking table
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
import type { PostgresConnection } from "./connection.ts";
import { migrationQuery } from "./migration_query.ts";
import type { PooledClient } from "./client.ts";
import { describeTables, parentsFirst } from "./coverage.ts";
import { copySequences, readSequences } from "./sequences.ts";
import { cancelled, throwIfCancelled } from "../../src/migrate/scratch.ts";

const BATCH = 2000;

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
