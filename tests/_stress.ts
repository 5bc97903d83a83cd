/**
 * Sizes of the load, crash and fault suites: small enough for `deno task test` in CI, large
 * under `deno task stress` (`IMPULSE_STRESS=1`). Helpers for their child processes.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { connect } from "../src/connect.ts";
import * as V from "../src/validate.ts";
import { rawClient } from "./_postgres.ts";

/** Raw access to a database by URL, for checks after a crash or a fault. */
export interface Inspector {
  /** Rows of a query (portable SQL, `?` placeholders), keyed by column name. */
  all(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** The schema as the migration runner describes it (tracking table excluded). */
  schema(): Promise<string[]>;
}

/**
 * Opens a database by URL without migrating it, runs `fn`, and closes it.
 *
 * @param url The database URL.
 * @param fn The checks.
 * @returns What `fn` returned.
 */
export async function inspect<T>(
  url: string,
  fn: (db: Inspector) => Promise<T>,
): Promise<T> {
  const options = V.parse(V.openOptions, { migrate: "off" }, "options", "test");
  const connection = await connect(url, options);
  try {
    const target = connection.migrationTarget();
    return await fn({
      all: (text, params = []) =>
        target.transaction(async (q) =>
          (await q.all(text, params)).map((row) => ({ ...row }))
        ),
      schema: () => target.schema(),
    });
  } finally {
    await connection.close();
  }
}

/** Whether the long versions run (`IMPULSE_STRESS=1`, set by `deno task stress`). */
export const STRESS: boolean = Deno.env.get("IMPULSE_STRESS") === "1";

/**
 * A count for this run.
 *
 * @param ci The count under `deno task test`.
 * @param stress The count under `deno task stress`.
 * @returns One of them.
 */
export function sized(ci: number, stress: number): number {
  return STRESS ? stress : ci;
}

/**
 * Prints a line of figures, found again by `grep figures:` in the test output.
 *
 * @param test What produced them.
 * @param figures The figures.
 */
export function figures(test: string, figures: Record<string, unknown>): void {
  console.log(`figures: ${test}: ${JSON.stringify(figures)}`);
}

/**
 * Asserts that a SQLite file passes `PRAGMA integrity_check` and `foreign_key_check`.
 *
 * @param path The database file.
 * @throws {Error} Naming the problems.
 */
export function assertSqliteIntact(path: string): void {
  const db = new DatabaseSync(path);
  try {
    const integrity = db.prepare("PRAGMA integrity_check").all()
      .map((r) => String(r.integrity_check));
    if (integrity.join() !== "ok") {
      throw new Error(`integrity_check: ${integrity.join("; ")}`);
    }
    const keys = db.prepare("PRAGMA foreign_key_check").all();
    if (keys.length > 0) {
      throw new Error(`foreign_key_check: ${JSON.stringify(keys)}`);
    }
  } finally {
    db.close();
  }
}

/** The process-wide path of a test module (`new URL(name, import.meta.url)`). */
export function testPath(name: string): string {
  return new URL(name, import.meta.url).pathname;
}

/**
 * Reads a child's standard output line by line.
 *
 * @param stream The child's stdout.
 * @param onLine Called for each complete line.
 * @returns When the stream ends.
 */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let pending = "";
  for await (
    const chunk of stream.pipeThrough(new TextDecoderStream())
  ) {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) onLine(line);
  }
  if (pending !== "") onLine(pending);
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves once a child process has reached a database (the SQLite file exists; a PostgreSQL
 * backend of this package serves it), or `done` settles.
 *
 * @param url The database URL.
 * @param done The child's status: stop looking once it ended.
 */
export async function reached(
  url: string,
  done: Promise<unknown>,
): Promise<void> {
  let over = false;
  done.finally(() => over = true);
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).split("?")[0]!;
    while (!over) {
      try {
        await Deno.stat(path);
        return;
      } catch {
        await delay(2);
      }
    }
    return;
  }
  const admin = rawClient();
  const name = new URL(url).pathname.slice(1);
  try {
    while (!over) {
      const [row] = await admin`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = ${name} AND application_name = 'impulse-storage'`;
      if (row!.n > 0) return;
      await delay(5);
    }
  } finally {
    await admin.end();
  }
}
