/**
 * `Migrator.verify({ signal })` on PostgreSQL, cancelled while a statement runs on its scratch
 * database: the statement is cancelled at once (not left to finish), the run rejects as
 * `unavailable` and the scratch database is dropped.
 *
 * @module
 */
import assert from "node:assert/strict";
import { isStorageError } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { tempSet } from "./_migrate.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";
import { delay } from "./_stress.ts";

/** How long the down step's one statement would run if nobody cancelled it. */
const SLEEP_S = 30;

/** Whether a statement of the set's down step runs in a scratch database of `name`. */
async function sleeping(name: string): Promise<boolean> {
  const admin = rawClient();
  try {
    const rows = await admin`SELECT 1 FROM pg_stat_activity
      WHERE datname LIKE ${`${name.slice(0, 40)}_verify_%`}
        AND query LIKE '%pg_sleep%' AND state = 'active'`;
    return rows.length > 0;
  } finally {
    await admin.end();
  }
}

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

Deno.test({
  name:
    "[postgres] Migrator.verify({ signal }) cancels the statement running on its scratch database and drops it",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using database = await createDatabase();
    await using set = await tempSet({
      "0001_create_slow.up.sql":
        "CREATE TABLE slow (id integer PRIMARY KEY);\n",
      "0001_create_slow.down.sql":
        `SELECT pg_sleep(${SLEEP_S});\nDROP TABLE slow;\n`,
    });
    await using migrator = await openMigrator(database.url, { dir: set.dir });
    await migrator.up();
    const controller = new AbortController();
    let sent = 0;
    const watch = (async () => {
      while (!controller.signal.aborted) {
        if (await sleeping(database.name)) {
          sent = performance.now();
          controller.abort(new Error("the board is shutting down"));
        } else await delay(20);
      }
    })();
    const run = migrator.verify({ signal: controller.signal });
    // Whatever the run does, the watch stops with it.
    run.catch(() => {}).finally(() => controller.abort(new Error("over")));
    await assert.rejects(
      run,
      (error) =>
        isStorageError(error, "unavailable") &&
        /^Verify was cancelled: the board is shutting down: /.test(
          error.message,
        ),
    );
    const ms = performance.now() - sent;
    await watch;
    assert.ok(sent > 0, "the down step was never seen running");
    assert.ok(ms < (SLEEP_S * 1000) / 3, `${Math.round(ms)} ms to stop`);
    assert.deepEqual(await scratchDatabases(database.name), []);
  },
});
