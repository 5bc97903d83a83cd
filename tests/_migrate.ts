/**
 * Helpers of the migration and CLI tests: migration sets in temp dirs, raw SQL on a database
 * by URL, the persistent targets, and running the CLI as a process.
 *
 * @module
 */
import { connect } from "../src/connect.ts";
import * as V from "../src/validate.ts";
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

/**
 * Runs one SQL query on a database by URL, in a transaction of its own, and closes it.
 *
 * @param url The database URL.
 * @param text Portable SQL with `?` placeholders.
 * @param params Its parameters.
 * @returns The rows, keyed by column name.
 */
export async function sqlQuery(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const options = V.parse(V.openOptions, { migrate: "off" }, "options", "test");
  const connection = await connect(url, options);
  try {
    const rows = await connection.migrationTarget().transaction((q) =>
      q.all(text, params)
    );
    return rows.map((row) => ({ ...row }));
  } finally {
    await connection.close();
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
    env: { NO_COLOR: "1", ...options.env },
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
