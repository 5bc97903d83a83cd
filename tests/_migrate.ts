/**
 * Helpers of the migration and CLI tests: migration sets in temp dirs, raw SQL on a database
 * by URL, snapshots of every row, the persistent targets, and running the CLI as a process.
 *
 * @module
 */
import assert from "node:assert/strict";
import { manifest } from "../migrations/mod.ts";
import { connect } from "../src/connect.ts";
import type { Migration } from "../src/migrate/mod.ts";
import * as V from "../src/validate.ts";
import type { Output } from "../src/cli/mod.ts";
import { type Fresh, type Target, TARGETS } from "./_targets.ts";

/** A migration set written to a temp dir; removed on dispose. */
export interface TempSet extends AsyncDisposable {
  /** The directory. */
  dir: string;
  /** Writes (or overwrites) files of the set, by name relative to `dir`. */
  write(files: Record<string, string>): Promise<void>;
  /** Removes files of the set. */
  remove(...names: string[]): Promise<void>;
}

/**
 * Writes a migration set into a fresh temp dir.
 *
 * @param files File names (relative, sub-folders allowed) and their text.
 * @returns The set.
 */
export async function tempSet(files: Record<string, string>): Promise<TempSet> {
  const dir = await Deno.makeTempDir({ prefix: "impulse-set-" });
  const set: TempSet = {
    dir,
    async write(more) {
      for (const [name, text] of Object.entries(more)) {
        const path = `${dir}/${name}`;
        await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), {
          recursive: true,
        });
        await Deno.writeTextFile(path, text);
      }
    },
    async remove(...names) {
      for (const name of names) await Deno.remove(`${dir}/${name}`);
    },
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
  await set.write(files);
  return set;
}

/** Raw SQL on one database, inside one transaction. */
export interface SqlSession {
  /** The dialect: `sqlite` or `postgres`. */
  readonly dialect: string;
  /**
   * Runs a statement and returns its rows.
   *
   * @param text Portable SQL with `?` placeholders.
   * @param params Its parameters.
   * @returns The rows, keyed by column name.
   */
  all(
    text: string,
    params?: readonly unknown[],
  ): Promise<Record<string, unknown>[]>;
}

/**
 * Opens a database by URL (without migrating it), runs `fn` in one transaction of its own and
 * closes it.
 *
 * @param url The database URL.
 * @param fn The work: commits when it resolves, rolls back when it throws.
 * @returns What `fn` returned.
 */
export async function withSql<T>(
  url: string,
  fn: (sql: SqlSession) => Promise<T>,
): Promise<T> {
  const options = V.parse(V.openOptions, { migrate: "off" }, "options", "test");
  const connection = await connect(url, options);
  try {
    const target = connection.migrationTarget();
    return await target.transaction((q) =>
      fn({
        dialect: target.dialect,
        all: async (text, params = []) =>
          (await q.all(text, params)).map((row) => ({ ...row })),
      })
    );
  } finally {
    await connection.close();
  }
}

/**
 * Runs one SQL query on a database by URL, in a transaction of its own, and closes it.
 *
 * @param url The database URL.
 * @param text Portable SQL with `?` placeholders.
 * @param params Its parameters.
 * @returns The rows, keyed by column name.
 */
export function sqlQuery(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  return withSql(url, (sql) => sql.all(text, params));
}

/**
 * The package's own migrations for the dialect of a database URL, as the manifest embeds them.
 *
 * @param url The database URL.
 * @returns The migrations, sorted by version.
 */
export function ownMigrations(url: string): readonly Migration[] {
  return manifest[url.startsWith("sqlite:") ? "sqlite" : "postgres"]!;
}

/** Every row of every data table of a database, by table name. */
export type Snapshot = Record<string, Record<string, unknown>[]>;

const LIST_TABLES: Record<string, string> = {
  sqlite:
    "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'",
  postgres:
    "SELECT table_name AS name, '' AS sql FROM information_schema.tables " +
    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
};

/**
 * Reads every row of every table but the runner's tracking and notes tables (and SQLite's virtual tables with their
 * shadow tables, which hold an index of other tables' rows, not rows of their own).
 *
 * @param url The database URL.
 * @returns The rows by table, in no particular order; the tables the database has, and no more.
 */
export function snapshot(url: string): Promise<Snapshot> {
  return withSql(url, async (sql) => {
    const listed = await sql.all(LIST_TABLES[sql.dialect]!);
    const virtual = listed.filter((row) =>
      /^CREATE VIRTUAL TABLE/i.test(String(row.sql))
    ).map((row) => String(row.name));
    const tables = listed.map((row) => String(row.name)).filter((name) =>
      !name.startsWith("impulse_migration") &&
      !virtual.some((v) => name === v || name.startsWith(`${v}_`))
    ).sort();
    const snapshot: Snapshot = {};
    for (const table of tables) {
      snapshot[table] = await sql.all(`SELECT * FROM ${table}`);
    }
    return snapshot;
  });
}

/**
 * The rows of a table as arrays of the given columns' values, sorted (numbers as numbers, `null`
 * first), so rows ordered by a leading `id` come out in id order.
 *
 * @param rows The rows.
 * @param columns The columns, in the order wanted.
 * @returns One array per row.
 */
export function pick(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
): unknown[][] {
  return rows.map((row) => columns.map((column) => row[column]))
    .sort(compareRows);
}

function compareRows(a: unknown[], b: unknown[]): number {
  for (const [i, x] of a.entries()) {
    const y = b[i];
    if (x === y) continue;
    if (x === null || x === undefined) return -1;
    if (y === null || y === undefined) return 1;
    if (typeof x === "number" && typeof y === "number") return x - y;
    const [s, t] = [String(x), String(y)];
    if (s !== t) return s < t ? -1 : 1;
  }
  return 0;
}

/**
 * Asserts that a migration step kept every row of every table it kept, with the same values in
 * every column it kept. Going up it must keep every table and column too; going down it may
 * drop some (the caller says which tables must go).
 *
 * @param before The snapshot before the step.
 * @param after The snapshot after it.
 * @param direction `up` or `down`.
 * @param step Names the step in failure messages.
 */
export function assertRowsKept(
  before: Snapshot,
  after: Snapshot,
  direction: "up" | "down",
  step: string,
): void {
  for (const [table, rows] of Object.entries(before)) {
    const kept = after[table];
    if (kept === undefined) {
      assert.equal(direction, "down", `${step} dropped table ${table}`);
      continue;
    }
    // Sorted, the id first: rows then line up by id, and a diff shows the one that changed.
    const columns = Object.keys(rows[0] ?? {}).sort((a, b) =>
      a === "id" ? -1 : b === "id" ? 1 : a < b ? -1 : a > b ? 1 : 0
    );
    const still = new Set(Object.keys(kept[0] ?? {}));
    const common = columns.filter((column) => still.has(column));
    if (direction === "up" && kept.length > 0) {
      assert.deepEqual(common, columns, `${step} dropped columns of ${table}`);
    }
    assert.deepEqual(
      pick(kept, common),
      pick(rows, common),
      `${step} changed the rows of ${table}`,
    );
  }
}

/**
 * The tracking rows of one set: `[version, status]` pairs, ascending.
 *
 * @param url The database URL.
 * @param set The set's name.
 * @returns The pairs.
 */
export async function trackedVersions(
  url: string,
  set: string,
): Promise<[number, string][]> {
  const rows = await sqlQuery(
    url,
    "SELECT version, status FROM impulse_migrations WHERE migration_set = ? ORDER BY version",
    [set],
  );
  return rows.map((row) => [Number(row.version), String(row.status)]);
}

/** The targets whose database outlives a connection: the ones a migration test can reopen. */
export const PERSISTENT: readonly Target[] = TARGETS.filter((target) =>
  target.capabilities.persistent
);

/**
 * Registers one `Deno.test` per persistent target, with a fresh database.
 *
 * @param name The behaviour, like `Migrator.up() refuses an edited applied file`.
 * @param fn The test.
 */
export function persistentTest(
  name: string,
  fn: (fresh: Fresh, target: Target) => Promise<void>,
): void {
  for (const target of PERSISTENT) {
    Deno.test({
      name: `[${target.name}] ${name}`,
      ignore: target.ignore !== undefined,
      async fn() {
        await using fresh = await target.fresh();
        await fn(fresh, target);
      },
    });
  }
}

/** What a finished CLI process printed. */
export interface CliRun {
  /** The exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

const CLI = new URL("../src/cli/mod.ts", import.meta.url).pathname;

/** The permissions of `deno task migrate`, read from deno.json so the two cannot drift. */
const CLI_PERMISSIONS: string[] = (() => {
  const config = JSON.parse(
    Deno.readTextFileSync(new URL("../deno.json", import.meta.url)),
  );
  return String(config.tasks.migrate).split(/\s+/).filter((arg) =>
    arg.startsWith("--allow-")
  );
})();

/** How to run the CLI process. */
export interface MigrateProcessOptions {
  /** The working directory. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/**
 * Starts `deno run src/cli/mod.ts migrate …` as a process.
 *
 * @param args The arguments after `migrate`.
 * @param options The working directory and extra environment.
 * @returns The child process, with piped output.
 */
export function spawnMigrate(
  args: string[],
  options: MigrateProcessOptions = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...CLI_PERMISSIONS,
      CLI,
      "migrate",
      ...args,
    ],
    cwd: options.cwd,
    // The database comes from --db or options.env, never from the shell running the tests
    // (CI often sets DATABASE_URL): an empty variable counts as unset.
    env: {
      NO_COLOR: "1",
      IMPULSE_DATABASE_URL: "",
      DATABASE_URL: "",
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * Runs `deno run src/cli/mod.ts migrate …` to the end.
 *
 * @param args The arguments after `migrate`.
 * @param options The working directory and extra environment.
 * @returns Its exit code and output.
 */
export async function runMigrate(
  args: string[],
  options: MigrateProcessOptions = {},
): Promise<CliRun> {
  const { code, stdout, stderr } = await spawnMigrate(args, options).output();
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

/**
 * An output that keeps what `main()` prints.
 *
 * @param json Whether `--json` was given.
 * @returns The output and what it kept: text lines, error lines and JSON values.
 */
export function capture(json = false): {
  out: Output;
  lines: string[];
  errors: string[];
  data: unknown[];
} {
  const lines: string[] = [];
  const errors: string[] = [];
  const data: unknown[] = [];
  const out: Output = {
    json,
    text: (line) => void lines.push(line),
    data: (value) => void data.push(JSON.parse(JSON.stringify(value))),
    error: (line) => void errors.push(line),
    progress: () => {},
  };
  return { out, lines, errors, data };
}
