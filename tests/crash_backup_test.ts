/**
 * A crash while `migrate down --force` writes its backup copy (issue 10, item 5), from the
 * promise: the path the CLI prints names a whole copy, so a file by a backup's final name exists
 * only once the copy is complete. The command is killed with SIGKILL while it copies a database
 * of some 160 MB; afterwards either no file has a backup's final name, or that file opens and
 * holds every row. Nothing was reverted. A leftover `.partial` is never reported as the backup,
 * and the next forced down (not killed) removes it and works.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStorage } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { tempDir } from "./_cli.ts";
import { runMigrate, spawnMigrate, trackedVersions } from "./_migrate.ts";
import { assertSqliteIntact, delay, figures, sized } from "./_stress.ts";

/** Filler rows of 4000 random bytes: some 160 MB, which the copy takes about half a second for. */
const FILLER_ROWS = 40_000;
/** Where in the copy each kill lands: a fraction of the database's size copied. */
const KILL_AT = [0.05, 0.3, 0.6, 0.9].slice(0, sized(4, 4));

const FINAL = /^board\.db\.before-down-impulse-\d{4}-\d{8}T\d{9}Z$/;
const PARTIAL = /^board\.db\.before-down-.*\.partial/;

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${dir}`)) names.push(entry.name);
  return names.sort();
}

/** The size of the backup being written (final name or `.partial`), or 0. */
async function copied(dir: string): Promise<number> {
  let size = 0;
  for (const name of await entries(dir)) {
    if (FINAL.test(name) || /\.partial$/.test(name)) {
      try {
        size = Math.max(size, (await Deno.stat(`${dir}/${name}`)).size);
      } catch (error) {
        // Renamed to its final name, or a leftover removed, between the listing and the stat.
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
  }
  return size;
}

/** A board of users, messages and a large table of filler, at the newest version. */
async function bigBoard(dir: string): Promise<{ users: number; size: number }> {
  const url = `sqlite:${dir}/board.db`;
  {
    await using storage = await openStorage(url);
    for (let i = 0; i < 50; i++) {
      await storage.users.create({
        username: `user${i}`,
        passwordHash: `hash-${i}`,
      });
    }
  }
  const db = new DatabaseSync(`${dir}/board.db`);
  try {
    db.exec(
      `CREATE TABLE filler (id INTEGER PRIMARY KEY, b BLOB NOT NULL);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${FILLER_ROWS})
       INSERT INTO filler (b) SELECT randomblob(4000) FROM n;
       PRAGMA wal_checkpoint(TRUNCATE);`,
    );
  } finally {
    db.close();
  }
  return { users: 50, size: (await Deno.stat(`${dir}/board.db`)).size };
}

/** Asserts a backup file is a whole copy: intact, with every filler row and user. */
function assertWhole(path: string, users: number): void {
  assertSqliteIntact(path);
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const [f] = db.prepare(
      "SELECT count(*) AS n, sum(length(b)) AS bytes FROM filler",
    ).all();
    assert.equal(Number(f!.n), FILLER_ROWS, `${path}: filler rows`);
    assert.equal(Number(f!.bytes), FILLER_ROWS * 4000, `${path}: filler bytes`);
    const [u] = db.prepare("SELECT count(*) AS n FROM users").all();
    assert.equal(Number(u!.n), users, `${path}: users`);
  } finally {
    db.close();
  }
}

Deno.test("migrate down --force killed while it writes its backup leaves no file by a backup's name but a whole copy", async () => {
  await using dir = await tempDir("impulse-crash-backup-");
  const url = `sqlite:${dir}/board.db`;
  const { users, size } = await bigBoard(dir);
  const versions = await trackedVersions(url, "impulse");
  const outcomes: string[] = [];
  for (const fraction of KILL_AT) {
    const child = spawnMigrate(["down", "--force", "--db", url]);
    const output = Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    let over = false;
    child.status.finally(() => over = true);
    while (!over && await copied(dir) < size * fraction) await delay(1);
    try {
      child.kill("SIGKILL");
    } catch {
      // It ended meanwhile.
    }
    const status = await child.status;
    const [stdout, stderr] = await output;
    if (status.signal !== "SIGKILL") {
      // It finished before the kill: a whole backup, and one step reverted. Put it back.
      assert.equal(status.code, 0, `${stdout}${stderr}`);
      outcomes.push("finished");
      break;
    }
    const finals = (await entries(dir)).filter((name) => FINAL.test(name));
    for (const name of finals) assertWhole(`${dir}/${name}`, users);
    outcomes.push(
      `${fraction}: ${finals.length} whole, ${
        (await entries(dir)).filter((n) => PARTIAL.test(n)).length
      } partial`,
    );
    // Nothing was reverted: the backup comes first.
    assert.deepEqual(await trackedVersions(url, "impulse"), versions);
    assertSqliteIntact(`${dir}/board.db`);
  }
  figures("crash during backup", { size, outcomes });
  assert.ok(
    outcomes.some((o) => o.includes("partial") && !o.endsWith(" 0 partial")),
    `no kill landed mid-copy: ${outcomes.join("; ")}`,
  );

  // A forced down that is not killed: it removes what killed tries left, writes a whole copy
  // and reports it, and reverts one step.
  const run = await runMigrate(["down", "--force", "--json", "--db", url]);
  assert.equal(run.code, 0, run.stderr);
  const { backup } = JSON.parse(run.stdout) as { backup: string };
  assert.match(backup.slice(backup.lastIndexOf("/") + 1), FINAL);
  assertWhole(backup, users);
  assert.deepEqual(
    (await entries(dir)).filter((name) => PARTIAL.test(name)),
    [],
    "a .partial was left after a whole backup",
  );
  const after = await trackedVersions(url, "impulse");
  assert.ok(after.length < versions.length, "nothing was reverted");
});

Deno.test("a leftover .partial is never reported as the backup, and a forced down removes it", async () => {
  await using dir = await tempDir("impulse-crash-backup-");
  const url = `sqlite:${dir}/board.db`;
  {
    await using migrator = await openMigrator(url);
    await migrator.up();
  }
  const stale =
    `${dir}/board.db.before-down-impulse-0010-20000101T000000000Z.partial`;
  await Deno.writeFile(stale, new Uint8Array(4096));
  await Deno.writeFile(`${stale}-journal`, new Uint8Array(512));
  const run = await runMigrate(["down", "--force", "--json", "--db", url]);
  assert.equal(run.code, 0, run.stderr);
  const { backup } = JSON.parse(run.stdout) as { backup: string };
  assert.ok(!backup.endsWith(".partial"), backup);
  assertSqliteIntact(backup);
  const left = await entries(dir);
  assert.deepEqual(left.filter((name) => PARTIAL.test(name)), [], `${left}`);
});
