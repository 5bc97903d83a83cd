/**
 * A PostgreSQL down step loses nothing that another session commits while it runs (the board
 * stays online): every row a writer was told is written is there after the step and its up
 * step, tried or forced, and no step is refused for rows a writer added meanwhile. Writers of
 * the tables wait while the step runs (readers go on); a table whose lock cannot be had in time
 * fails the step as `timeout`, naming the session that holds it, with nothing reverted.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openMigrator } from "../src/migrate/mod.ts";
import { sleep } from "../src/retry.ts";
import { rejectsKind } from "./_assert.ts";
import { sqlQuery, tempSet, trackedVersions } from "./_migrate.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

/**
 * A log that no step touches, and notes whose down step sets them aside before dropping the
 * table, taking a while as a large table's copy would; the up step restores them.
 */
const SET = {
  "0001_log.up.sql":
    "CREATE TABLE log (id BIGINT PRIMARY KEY, body TEXT NOT NULL);\n",
  "0001_log.down.sql": "DROP TABLE log;\n",
  "0002_notes.up.sql":
    "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL);\n" +
    "CREATE TABLE IF NOT EXISTS impulse_aside_0002_notes (LIKE notes);\n" +
    "INSERT INTO notes SELECT * FROM impulse_aside_0002_notes;\n" +
    "DROP TABLE impulse_aside_0002_notes;\n",
  "0002_notes.down.sql":
    "CREATE TABLE impulse_aside_0002_notes AS SELECT * FROM notes;\n" +
    "SELECT pg_sleep(0.3);\n" +
    "DROP TABLE notes;\n",
};

/** A session inserting rows into one table in a loop, keeping the ids it was told are written. */
interface Writer {
  /** The ids acknowledged so far. */
  acked: number[];
  /** Stops the loop and closes the session; returns the ids acknowledged. */
  stop(): Promise<number[]>;
}

function writer(url: string, table: string, firstId: number): Writer {
  const sql = rawClient(url);
  const acked: number[] = [];
  let running = true;
  let id = firstId;
  const loop = (async () => {
    while (running) {
      const next = ++id;
      try {
        await sql.unsafe(
          `INSERT INTO ${table} (id, body) VALUES ($1, 'written meanwhile')`,
          [next],
        );
        acked.push(next);
      } catch {
        await sleep(2); // The table is gone while the version is below it.
      }
    }
  })();
  return {
    acked,
    async stop() {
      running = false;
      await loop;
      await sql.end();
      return acked;
    },
  };
}

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await sleep(5);
  }
}

async function ids(url: string, table: string): Promise<Set<number>> {
  const rows = await sqlQuery(url, `SELECT id FROM ${table}`);
  return new Set(rows.map((row) => Number(row.id)));
}

function missing(acked: readonly number[], present: Set<number>): number[] {
  return acked.filter((id) => !present.has(id));
}

for (const force of [false, true]) {
  Deno.test({
    name: `[postgres] Migrator.down(${
      force ? "{ force: true }" : ""
    }) then up() keeps every row another session committed meanwhile${
      force ? "" : ", and refuses nothing for rows it added"
    }`,
    ignore,
    async fn() {
      await using db = await createDatabase();
      await using set = await tempSet(SET);
      await using migrator = await openMigrator(db.url, { dir: set.dir });
      await migrator.up();
      await sqlQuery(
        db.url,
        "INSERT INTO notes SELECT i, 'before' FROM generate_series(1, 200) i",
      );
      const notes = writer(db.url, "notes", 1_000_000);
      const log = writer(db.url, "log", 0);
      try {
        for (let round = 0; round < 3; round++) {
          const [n, l] = [notes.acked.length, log.acked.length];
          await until(
            "both writers wrote",
            () => notes.acked.length > n + 5 && log.acked.length > l + 5,
          );
          const down = await migrator.down({ force });
          assert.deepEqual(down.map((s) => s.version), [2]);
          const l2 = log.acked.length;
          await until("the log writer wrote", () => log.acked.length > l2 + 5);
          assert.deepEqual((await migrator.up()).map((s) => s.version), [2]);
        }
      } finally {
        await Promise.all([notes.stop(), log.stop()]);
      }
      assert.ok(notes.acked.length > 20, "the notes writer wrote");
      assert.deepEqual(missing(notes.acked, await ids(db.url, "notes")), []);
      assert.deepEqual(missing(log.acked, await ids(db.url, "log")), []);
      assert.equal((await ids(db.url, "notes")).size, 200 + notes.acked.length);
    },
  });
}

Deno.test({
  name:
    "[postgres] Migrator.down() fails as timeout when a table stays locked by a writer, naming the session, and reverts nothing",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using set = await tempSet(SET);
    {
      await using migrator = await openMigrator(db.url, { dir: set.dir });
      await migrator.up();
    }
    await sqlQuery(db.url, "INSERT INTO notes VALUES (1, 'kept')");
    // A writer's transaction left open: it holds its lock on log until it commits.
    const sql = rawClient(db.url);
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => commit = resolve);
    let pid: unknown;
    const holding = sql.begin(async (tx) => {
      await tx`SET LOCAL application_name = 'busy_writer'`;
      [{ pid }] = await tx`SELECT pg_backend_pid() AS pid`;
      await tx`INSERT INTO log VALUES (1, 'open transaction')`;
      await committed;
    });
    try {
      await until("the writer holds its lock", () => pid !== undefined);
      await sleep(20);
      await using migrator = await openMigrator(db.url, {
        dir: set.dir,
        lockTimeoutMs: 400,
      });
      const started = performance.now();
      const error = await rejectsKind(migrator.down(), "timeout");
      const took = performance.now() - started;
      assert.ok(took >= 350 && took < 5000, `waited ${took} ms`);
      assert.match(error.message, new RegExp(`pid ${pid}\\b`));
      assert.match(error.message, /"busy_writer"/);
      assert.match(error.message, /\blog\b/);
      assert.match(error.message, /nothing was reverted/);
      assert.deepEqual(await trackedVersions(db.url, "app"), [
        [1, "applied"],
        [2, "applied"],
      ]);
      assert.deepEqual([...await ids(db.url, "notes")], [1]);
      commit();
      await holding;
      assert.deepEqual((await migrator.down()).map((s) => s.version), [2]);
    } finally {
      commit();
      await holding.catch(() => {});
      await sql.end();
    }
  },
});

Deno.test({
  name:
    "[postgres] while Migrator.down() runs, readers of the tables go on and writers wait",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using set = await tempSet(SET);
    await using migrator = await openMigrator(db.url, { dir: set.dir });
    await migrator.up();
    await sqlQuery(db.url, "INSERT INTO log VALUES (1, 'read meanwhile')");
    const sql = rawClient(db.url);
    try {
      const down = migrator.down();
      // The down step sleeps 0.3 s twice (trial and step), holding its locks.
      const locked = () =>
        sql`SELECT count(*)::int AS n FROM pg_locks
          WHERE relation = 'log'::regclass AND mode = 'ExclusiveLock' AND granted`;
      const deadline = Date.now() + 5000;
      while ((await locked())[0]?.n !== 1) {
        assert.ok(Date.now() < deadline, "the down step never locked log");
        await sleep(5);
      }
      const started = performance.now();
      const [row] = await sql`SELECT body FROM log WHERE id = 1`;
      const took = performance.now() - started;
      assert.equal(row?.body, "read meanwhile");
      assert.ok(took < 150, `the read waited ${took} ms`);
      const blocked = await sql.begin(async (tx) => {
        await tx`SET LOCAL lock_timeout = 50`;
        await tx`INSERT INTO log VALUES (2, 'waits')`;
      }).then(() => null, (error) => error.code);
      assert.equal(blocked, "55P03", "a writer waits for the down step");
      assert.deepEqual((await down).map((s) => s.version), [2]);
    } finally {
      await sql.end();
    }
  },
});

Deno.test({
  name:
    "[postgres] Migrator.down() gives way to a writer's transaction that would deadlock with it, and then goes on",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using set = await tempSet(SET);
    await using migrator = await openMigrator(db.url, { dir: set.dir });
    await migrator.up();
    // The writer holds notes, then writes to log, which the down step locks first (older).
    const sql = rawClient(db.url);
    let holding = false;
    const written = sql.begin(async (tx) => {
      await tx`INSERT INTO notes VALUES (500, 'spanning')`;
      holding = true;
      const deadline = Date.now() + 5000;
      while (
        (await tx`SELECT count(*)::int AS n FROM pg_locks
          WHERE relation = 'log'::regclass AND mode = 'ExclusiveLock' AND granted`)[
          0
        ]
          ?.n !== 1
      ) {
        assert.ok(Date.now() < deadline, "the down step never locked log");
        await sleep(5);
      }
      await tx`INSERT INTO log VALUES (500, 'spanning')`;
    });
    try {
      await until("the writer holds notes", () => holding);
      const down = await migrator.down();
      await written;
      assert.deepEqual(down.map((s) => s.version), [2]);
      assert.deepEqual((await migrator.up()).map((s) => s.version), [2]);
      assert.deepEqual([...await ids(db.url, "notes")], [500]);
      assert.deepEqual([...await ids(db.url, "log")], [500]);
    } finally {
      await written.catch(() => {});
      await sql.end();
    }
  },
});
