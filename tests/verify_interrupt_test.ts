/**
 * `migrate verify` interrupted, from its promise: its scratch copy holds everything the
 * database holds, so on SQLite it lives in a directory of its own, mode 0700, its files 0600
 * (even under umask 000); Ctrl-C (SIGINT) or SIGTERM mid-check removes the copy (the file with
 * its -wal and -shm, or PostgreSQL's scratch database) and exits promptly, non-zero, saying so.
 * `Migrator.verify({ signal })` cancels the same way for an embedder.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { isStorageError } from "../mod.ts";
import { manifest } from "../migrations/mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { tempDir } from "./_cli.ts";
import { trackedVersions } from "./_migrate.ts";
import {
  createDatabase,
  POSTGRES_URL,
  postgresMissing,
  rawClient,
} from "./_postgres.ts";
import { delay, figures } from "./_stress.ts";

const CLI = new URL("../src/cli/mod.ts", import.meta.url).pathname;
const FLAGS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net",
  "--allow-sys",
  "--allow-ffi",
];
/** How long the process may take to exit after the signal (it stops at its next statement). */
const PROMPT_MS = 5000;
const EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** `deno task migrate verify --db <url>` under umask 000, with its own TMPDIR. */
function spawnVerify(url: string, tmp: string): Deno.ChildProcess {
  return new Deno.Command("sh", {
    args: [
      "-c",
      'umask 000; exec "$@"',
      "sh",
      Deno.execPath(),
      "run",
      ...FLAGS,
      CLI,
      "migrate",
      "verify",
      "--db",
      url,
    ],
    env: { NO_COLOR: "1", TMPDIR: tmp },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function list(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

/** The scratch directory in `tmp` once the check works on its copy, or `null` if the run ended. */
async function scratchInUse(
  tmp: string,
  done: () => boolean,
): Promise<string | null> {
  while (!done()) {
    for (const name of await list(tmp).catch(() => [] as string[])) {
      if (!name.startsWith("impulse-verify-")) continue;
      const files = await list(`${tmp}/${name}`).catch(() => [] as string[]);
      // The -wal appears once the check works on the copy (after it was written).
      if (files.includes("scratch.db-wal")) return `${tmp}/${name}`;
    }
    await delay(5);
  }
  return null;
}

/** A SQLite board at the newest version with a table of filler rows, so verify takes seconds. */
async function sqliteBoard(dir: string, rows: number): Promise<string> {
  const url = `sqlite:${dir}/board.db`;
  {
    await using migrator = await openMigrator(url);
    await migrator.up();
  }
  const db = new DatabaseSync(`${dir}/board.db`);
  try {
    db.exec(
      `CREATE TABLE filler (id INTEGER PRIMARY KEY, b BLOB NOT NULL);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
       INSERT INTO filler (b) SELECT randomblob(1000) FROM n;
       PRAGMA wal_checkpoint(TRUNCATE);`,
    );
  } finally {
    db.close();
  }
  return url;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`[sqlite] ${signal} during migrate verify removes the private scratch copy and exits promptly`, async () => {
    await using dir = await tempDir("impulse-verify-int-");
    await using tmp = await tempDir("impulse-verify-tmp-");
    const url = await sqliteBoard(`${dir}`, 30_000);
    const versions = await trackedVersions(url, "impulse");
    const beside = await list(`${dir}`);
    const child = spawnVerify(url, `${tmp}`);
    const output = Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    let over = false;
    child.status.finally(() => over = true);
    const scratch = await scratchInUse(`${tmp}`, () => over);
    if (!scratch) {
      assert.fail(`verify ended first: ${(await output).join("")}`);
    }

    // While it runs: the directory is its owner's alone, and so is every file in it.
    assert.equal((await Deno.stat(scratch)).mode! & 0o777, 0o700);
    const files = await list(scratch);
    assert.ok(files.includes("scratch.db"), `${files}`);
    assert.ok(files.includes("scratch.db-shm"), `${files}`);
    for (const name of files) {
      const mode: number = (await Deno.stat(`${scratch}/${name}`)).mode! &
        0o777;
      assert.equal(mode, 0o600, `${name} is ${mode.toString(8)}`);
    }

    const sent = performance.now();
    child.kill(signal);
    const status = await child.status;
    const exitMs = Math.round(performance.now() - sent);
    const [stdout, stderr] = await output;
    figures(`verify ${signal} (sqlite)`, { exitMs });
    assert.equal(status.code, EXIT[signal], `${stdout}${stderr}`);
    assert.match(
      stderr,
      new RegExp(
        `^error: Verify was cancelled: interrupted by ${signal}: its scratch copy was removed and the database was not changed\\n$`,
      ),
    );
    assert.ok(exitMs < PROMPT_MS, `${exitMs} ms to exit`);
    assert.deepEqual(await list(`${tmp}`), [], "the scratch copy was left");
    assert.deepEqual(await trackedVersions(url, "impulse"), versions);
    assert.deepEqual(await list(`${dir}`), beside);
  });
}

/** The scratch databases of `name` on the server. */
async function scratchDatabases(name: string): Promise<string[]> {
  const admin = rawClient();
  try {
    const rows = await admin`SELECT datname FROM pg_database
      WHERE datname LIKE ${`${name.slice(0, 40)}_verify_%`}`;
    return rows.map((row) => String(row.datname));
  } finally {
    await admin.end();
  }
}

/** A PostgreSQL board at the newest version with `rows` users (which its scratch copy gets). */
async function postgresBoard(url: string, rows: number): Promise<void> {
  {
    await using migrator = await openMigrator(url);
    await migrator.up();
  }
  const sql = rawClient(url);
  try {
    await sql.unsafe(
      `INSERT INTO users (username, username_key, password_hash, created_at, updated_at)
       SELECT 'user' || i, 'user' || i, repeat(md5(i::text), 3), i, i
       FROM generate_series(1, ${rows}) i`,
    );
  } finally {
    await sql.end();
  }
}

/** The newest version tracked in the scratch database, or `null` while it has none. */
async function scratchVersion(scratch: string): Promise<number | null> {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${scratch}`;
  const sql = rawClient(url.toString());
  try {
    const [row] =
      await sql`SELECT max(version)::int AS v FROM impulse_migrations`;
    return row!.v;
  } catch {
    return null;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

const PHASES = {
  /** While the scratch database is built and its rows copied. */
  building: () => delay(300),
  /**
   * Once it was built to the newest version and its first step reverted: its rows are copied
   * and steps are being tried on them.
   */
  trying: async (scratch: string, over: () => boolean) => {
    const top = manifest.postgres!.at(-1)!.version;
    let built = false;
    while (!over()) {
      const version = await scratchVersion(scratch);
      if (version === top) built = true;
      else if (built && version !== null) return;
      await delay(10);
    }
  },
};

for (
  const [signal, phase] of [
    ["SIGINT", "building"],
    ["SIGTERM", "building"],
    ["SIGINT", "trying"],
    ["SIGTERM", "trying"],
  ] as const
) {
  Deno.test({
    name:
      `[postgres] ${signal} during migrate verify (${phase}) drops the scratch database and exits promptly`,
    ignore: postgresMissing !== undefined,
    async fn() {
      await using database = await createDatabase();
      await using tmp = await tempDir("impulse-verify-tmp-");
      await postgresBoard(database.url, 20_000);
      const versions = await trackedVersions(database.url, "impulse");
      const child = spawnVerify(database.url, `${tmp}`);
      const output = Promise.all([
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
      ]);
      let over = false;
      child.status.finally(() => over = true);
      let scratch: string | undefined;
      while (!over && scratch === undefined) {
        [scratch] = await scratchDatabases(database.name);
        await delay(10);
      }
      await PHASES[phase](scratch!, () => over);
      if (over) assert.fail(`verify ended first: ${(await output).join("")}`);
      const sent = performance.now();
      child.kill(signal);
      const status = await child.status;
      const exitMs = Math.round(performance.now() - sent);
      const [stdout, stderr] = await output;
      figures(`verify ${signal} (postgres, ${phase})`, { exitMs });
      assert.equal(status.code, EXIT[signal], `${stdout}${stderr}`);
      assert.match(
        stderr,
        new RegExp(`^error: Verify was cancelled: interrupted by ${signal}: `),
      );
      assert.ok(exitMs < PROMPT_MS, `${exitMs} ms to exit`);
      assert.deepEqual(await scratchDatabases(database.name), []);
      assert.deepEqual(
        await trackedVersions(database.url, "impulse"),
        versions,
      );
    },
  });
}

Deno.test("[sqlite] Migrator.verify({ signal }) cancelled mid-check rejects as unavailable and removes its scratch copy", async () => {
  await using dir = await tempDir("impulse-verify-int-");
  await using tmp = await tempDir("impulse-verify-tmp-");
  const url = await sqliteBoard(`${dir}`, 10_000);
  const before = Deno.env.get("TMPDIR");
  Deno.env.set("TMPDIR", `${tmp}`);
  try {
    await using migrator = await openMigrator(url, { readOnly: true });
    const controller = new AbortController();
    let seen: string | null = null;
    const watch = (async () => {
      seen = await scratchInUse(`${tmp}`, () => controller.signal.aborted);
      controller.abort(new Error("the board is shutting down"));
    })();
    await assert.rejects(
      migrator.verify({ signal: controller.signal }),
      (error) =>
        isStorageError(error, "unavailable") &&
        /^Verify was cancelled: the board is shutting down: its scratch copy was removed/
          .test(error.message),
    );
    await watch;
    assert.ok(seen, "the scratch copy was never seen");
    assert.deepEqual(await list(`${tmp}`), []);
  } finally {
    if (before === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", before);
  }
});

Deno.test("Migrator.verify() with a signal already fired creates nothing; a wrong signal is a validation error", async () => {
  await using tmp = await tempDir("impulse-verify-tmp-");
  await using dir = await tempDir("impulse-verify-int-");
  const before = Deno.env.get("TMPDIR");
  Deno.env.set("TMPDIR", `${tmp}`);
  try {
    await using migrator = await openMigrator(`sqlite:${dir}/board.db`);
    await migrator.up();
    await assert.rejects(
      migrator.verify({ signal: AbortSignal.abort(new Error("stop")) }),
      (error) => isStorageError(error, "unavailable"),
    );
    await assert.rejects(
      migrator.verify({ signal: "stop" as unknown as AbortSignal }),
      (error) =>
        isStorageError(error, "validation") && error.field === "options.signal",
    );
    assert.deepEqual(await list(`${tmp}`), []);
  } finally {
    if (before === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", before);
  }
});

Deno.test({
  name:
    "[postgres] Migrator.verify({ signal }) cancelled mid-check drops its scratch database",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using database = await createDatabase();
    await postgresBoard(database.url, 5_000);
    await using migrator = await openMigrator(database.url, { readOnly: true });
    const controller = new AbortController();
    const watch = (async () => {
      while ((await scratchDatabases(database.name)).length === 0) {
        if (controller.signal.aborted) return;
        await delay(10);
      }
      controller.abort(new Error("stop"));
    })();
    await assert.rejects(
      migrator.verify({ signal: controller.signal }),
      (error) => isStorageError(error, "unavailable"),
    );
    await watch;
    assert.deepEqual(await scratchDatabases(database.name), []);
  },
});

Deno.test({
  name:
    "[postgres] Migrator.verify({ signal }) cancelled while rows are copied into the scratch database rejects once, with nothing left uncaught",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using database = await createDatabase();
    await postgresBoard(database.url, 100_000);
    await using migrator = await openMigrator(database.url, { readOnly: true });
    const controller = new AbortController();
    const admin = rawClient();
    let copying = false;
    const watch = (async () => {
      // The scratch database's COPY of a table's rows: cancel in the middle of it.
      while (!controller.signal.aborted) {
        const rows = await admin`
          SELECT 1 FROM pg_stat_activity
          WHERE datname LIKE ${`${database.name.slice(0, 40)}_verify_%`}
            AND query LIKE 'COPY %'`;
        if (rows.length > 0) {
          copying = true;
          controller.abort(new Error("stop"));
        }
        await delay(2);
      }
    })();
    try {
      await assert.rejects(
        migrator.verify({ signal: controller.signal }),
        (error) => isStorageError(error, "unavailable"),
      );
      controller.abort(new Error("done"));
      await watch;
    } finally {
      await admin.end();
    }
    assert.ok(copying, "the cancel came while rows were copied");
    // An error left on the COPY stream would surface as an uncaught error about now.
    await delay(200);
    assert.deepEqual(await scratchDatabases(database.name), []);
  },
});
