/**
 * Crashes during `deno task migrate up`: the command is killed with SIGKILL at random moments,
 * on the package's own migrations and on a slow set of a caller's whose steps each take a while
 * (so most kills land inside a migration). Afterwards the tracking table names whole versions
 * only, the schema is exactly the schema of that version, and a re-run finishes the job.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openMigrator } from "../src/migrate/mod.ts";
import { spawnMigrate, tempSet } from "./_migrate.ts";
import { figures, inspect, reached, sized } from "./_stress.ts";
import { random } from "./_stress_worker.ts";
import { type Target, TARGETS } from "./_targets.ts";

const TRIALS = sized(20, 100);

/** SQLite file (built-in engine) and PostgreSQL: the FFI engine runs the same runner. */
const CRASH_TARGETS = TARGETS.filter((t) =>
  t.name === "sqlite-file" || t.name === "postgres"
);

/**
 * Runs the command and kills it `killAfterMs` after it reached the database; returns whether it
 * finished first.
 */
async function killedRun(url: string, args: string[], killAfterMs: number) {
  const child = spawnMigrate(args);
  const output = Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  await reached(url, child.status);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = await Promise.race([
    child.status,
    new Promise<undefined>((resolve) =>
      timer = setTimeout(() => resolve(undefined), killAfterMs)
    ),
  ]);
  clearTimeout(timer);
  if (status === undefined) {
    try {
      child.kill("SIGKILL");
    } catch {
      // It ended meanwhile.
    }
  }
  const final = await child.status;
  const [stdout, stderr] = await output;
  assert.ok(
    final.signal === "SIGKILL" || final.code === 0,
    `migrate up failed by itself (${final.code}): ${stdout}${stderr}`,
  );
  return final.signal === "SIGKILL" ? "killed" : "finished";
}

/** The tracking rows of a set as versions, asserting each is applied. */
async function tracked(url: string, set: string): Promise<number[]> {
  const rows = await inspect(url, (db) =>
    db.all(
      "SELECT version, status FROM impulse_migrations WHERE migration_set = ? ORDER BY version",
      [set],
    )).catch((error) => {
      // Killed before the tracking table was made.
      if (
        /impulse_migrations|no such table|does not exist/.test(String(error))
      ) {
        return [];
      }
      throw error;
    });
  for (const row of rows) {
    assert.equal(row.status, "applied", `version ${row.version}`);
  }
  return rows.map((row) => Number(row.version));
}

/** How long the migrations of a whole run take, measured in-process. */
async function migrationMs(target: Target, dir?: string): Promise<number> {
  await using scratch = await target.fresh();
  await using migrator = await openMigrator(scratch.url, dir ? { dir } : {});
  const started = performance.now();
  await migrator.up();
  return performance.now() - started;
}

/**
 * Kills `migrate up` `trials` times at random moments within `spanMs` of its reaching the
 * database, two kills per fresh
 * database (the second lands on a re-run), checking after each; then a re-run in-process must
 * finish. Returns where the kills left the database.
 */
async function crashTrials(
  target: Target,
  trials: number,
  spanMs: number,
  args: (url: string) => string[],
  check: (url: string, versions: number[]) => Promise<void>,
  seed: number,
): Promise<Record<string, number>> {
  const rnd = random(seed);
  const landed: Record<string, number> = {};
  for (let trial = 0; trial < trials; trial += 2) {
    await using fresh = await target.fresh();
    const argv = args(fresh.url);
    const set = argv.includes("--dir") ? "app" : "impulse";
    for (const _ of [1, 2]) {
      const outcome = await killedRun(
        fresh.url,
        argv,
        rnd() * (spanMs * 1.5 + 100),
      );
      const versions = await tracked(fresh.url, set);
      assert.deepEqual(
        versions,
        versions.map((_, i) => i + 1),
        "whole versions from 1",
      );
      await check(fresh.url, versions);
      const key = outcome === "finished" ? "finished" : `at ${versions.length}`;
      landed[key] = (landed[key] ?? 0) + 1;
    }
    const dirAt = argv.indexOf("--dir");
    await using migrator = await openMigrator(
      fresh.url,
      dirAt < 0 ? {} : { dir: argv[dirAt + 1] },
    );
    await migrator.up();
    const versions = await tracked(fresh.url, set);
    assert.equal(
      versions.length,
      migrator.migrations.length,
      "the re-run finished",
    );
    await check(fresh.url, versions);
  }
  return landed;
}

/** The schema at each version of the package's set, from a scratch database. */
async function referenceSchemas(target: Target): Promise<string[][]> {
  await using scratch = await target.fresh();
  await using migrator = await openMigrator(scratch.url);
  await migrator.up();
  const schemas: string[][] = [];
  for (let v = migrator.migrations.length; v >= 0; v--) {
    await migrator.to(v);
    schemas[v] = await inspect(scratch.url, (db) => db.schema());
  }
  return schemas;
}

for (const target of CRASH_TARGETS) {
  Deno.test({
    name:
      `[${target.name}] migrate up killed ${TRIALS} times at random moments leaves a whole version whose schema is exact; a re-run finishes`,
    ignore: target.ignore !== undefined,
    async fn() {
      const schemas = await referenceSchemas(target);
      const args = (url: string) => ["up", "--db", url];
      const spanMs = await migrationMs(target);
      const landed = await crashTrials(
        target,
        TRIALS,
        spanMs,
        args,
        async (url, versions) => {
          assert.deepEqual(
            await inspect(url, (db) => db.schema()),
            schemas[versions.length],
            `the schema is version ${versions.length}'s`,
          );
        },
        7,
      );
      figures(`crash migrate [${target.name}]`, {
        trials: TRIALS,
        migrationsMs: Math.round(spanMs),
        landed,
      });
    },
  });
}

/** A caller's set whose steps each fill a table: slow enough for kills inside a step. */
function slowSet(steps: number, rows: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let k = 1; k <= steps; k++) {
    const name = String(k).padStart(4, "0");
    files[`${name}_step${k}.up.sql`] =
      `CREATE TABLE step${k} (n INTEGER NOT NULL, pad TEXT NOT NULL);\n` +
      `INSERT INTO step${k} (n, pad) SELECT n, repeat('x', 40) FROM generate_series(1, ${rows}) AS g (n);\n` +
      (k > 1 ? `ALTER TABLE step${k - 1} ADD COLUMN later${k} INTEGER;\n` : "");
    files[`${name}_step${k}.down.sql`] =
      (k > 1 ? `ALTER TABLE step${k - 1} DROP COLUMN later${k};\n` : "") +
      `DROP TABLE step${k};\n`;
  }
  return files;
}

/** SQLite has no generate_series without an extension: a recursive CTE says the same. */
function forSqlite(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => [
      name,
      text.replace(
        /INSERT INTO (\w+) \(n, pad\) SELECT n, repeat\('x', 40\) FROM generate_series\(1, (\d+)\) AS g \(n\);/,
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < $2) " +
          "INSERT INTO $1 (n, pad) SELECT n, printf('%40s', 'x') FROM g;",
      ),
    ]),
  );
}

const STEPS = 5;
const ROWS = 60_000;
const SLOW_TRIALS = sized(10, 50);

for (const target of CRASH_TARGETS) {
  Deno.test({
    name:
      `[${target.name}] migrate up of a slow set killed ${SLOW_TRIALS} times mid-migration keeps whole steps only; a re-run finishes`,
    ignore: target.ignore !== undefined,
    async fn() {
      const files = slowSet(STEPS, ROWS);
      await using set = await tempSet(
        target.name.startsWith("sqlite") ? forSqlite(files) : files,
      );
      const args = (url: string) => ["up", "--db", url, "--dir", set.dir];
      const spanMs = await migrationMs(target, set.dir);
      const landed = await crashTrials(
        target,
        SLOW_TRIALS,
        spanMs,
        args,
        (url, versions) =>
          inspect(url, async (db) => {
            for (let k = 1; k <= STEPS; k++) {
              const present = await db.all(`SELECT count(*) AS n FROM step${k}`)
                .then((r) => Number(r[0]!.n), () => undefined);
              assert.equal(
                present,
                k <= versions.length ? ROWS : undefined,
                `step${k} at version ${versions.length}`,
              );
              if (k < STEPS) {
                const column = await db.all(
                  `SELECT later${k + 1} FROM step${k} LIMIT 1`,
                ).then(() => true, () => false);
                assert.equal(column, k + 1 <= versions.length, `later${k + 1}`);
              }
            }
          }),
        11,
      );
      figures(`crash migrate slow set [${target.name}]`, {
        trials: SLOW_TRIALS,
        migrationsMs: Math.round(spanMs),
        landed,
      });
    },
  });
}
