/**
 * What opening waits for, written from the README ("Options", "Migrations") and
 * docs/guarantees.md ("Bounded waits"): `openStorage` with nothing to migrate waits for no lock;
 * `migrate: "check"` only reads (no write lock, no journal-mode change); where `openStorage` has
 * to migrate, it waits for another process's migration (or write lock) at most
 * `acquireTimeoutMs`, and the `migrate` command at most `--lock-timeout` (60 s by default).
 * SQLite on both engines, with the lock held by another process, and PostgreSQL, with the
 * migration lock held by another session.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStorage } from "../mod.ts";
import { LOCK_KEYS } from "../drivers/postgres/migration_target.ts";
import { rejectsKind } from "./_assert.ts";
import { holdLock } from "./_lock_holder.ts";
import { runMigrate } from "./_migrate.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";
import { assertTimedOut, FILE_TARGETS, filePath, timed } from "./_waits.ts";
import type { Fresh } from "./_targets.ts";

/** The database file's bytes and its `-wal`'s (empty when missing). */
async function bytes(path: string): Promise<[Uint8Array, Uint8Array]> {
  const read = (p: string) => Deno.readFile(p).catch(() => new Uint8Array());
  return [await read(path), await read(`${path}-wal`)];
}

/** Bytes 18 and 19 of the header: 1 for a rollback journal, 2 for WAL. */
async function journalBytes(path: string): Promise<number[]> {
  const header = (await Deno.readFile(path)).subarray(18, 20);
  return [...header];
}

/** Turns the database into rollback-journal mode, as a file restored by another tool may be. */
function toRollbackJournal(path: string): void {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA journal_mode = DELETE");
  } finally {
    db.close();
  }
}

for (const target of FILE_TARGETS) {
  const test = (name: string, fn: (fresh: Fresh) => Promise<void>) =>
    Deno.test({
      name: `[${target.name}] ${name}`,
      ignore: target.ignore !== undefined,
      async fn() {
        await using fresh = await target.fresh();
        await fn(fresh);
      },
    });

  test(
    "openStorage() with nothing to migrate waits for no lock: up and check open while another process holds the write lock (the issue's repro)",
    async (fresh) => {
      await (await fresh.open()).close();
      const path = filePath(fresh);
      await using _holder = await holdLock(path);
      const before = await bytes(path);
      const took: string[] = [];
      for (const migrate of ["check", "up"] as const) {
        const started = performance.now();
        await using s = await fresh.open({ migrate, acquireTimeoutMs: 300 });
        took.push(`${migrate} ${Math.round(performance.now() - started)} ms`);
        assert.deepEqual(await s.messageAreas.list(), []);
      }
      assert.deepEqual(await bytes(path), before, "nothing was written");
      console.log(
        `figures: opened under another process's write lock: ${
          took.join(", ")
        }`,
      );
    },
  );

  test(
    'migrate: "check" changes nothing: a rollback-journal database is refused as migration and stays one; "up" switches it to WAL',
    async (fresh) => {
      await (await fresh.open()).close();
      const path = filePath(fresh);
      toRollbackJournal(path);
      assert.deepEqual(await journalBytes(path), [1, 1]);
      const before = await Deno.readFile(path);
      const error = await rejectsKind(
        fresh.open({ migrate: "check" }),
        "migration",
      );
      assert.match(error.message, /journal mode "delete".*WAL/);
      assert.deepEqual(await Deno.readFile(path), before);
      // Another process's write lock does not make it wait either.
      {
        await using _holder = await holdLock(path, "rollback");
        await rejectsKind(
          fresh.open({ migrate: "check", acquireTimeoutMs: 300 }),
          "migration",
        );
        // Switching needs the whole database: opening for use waits at most acquireTimeoutMs.
        assertTimedOut(
          await timed(() => fresh.open({ acquireTimeoutMs: 300 })),
          300,
          "openStorage() switching to WAL",
        );
      }
      assert.deepEqual(await Deno.readFile(path), before);
      await (await fresh.open()).close();
      assert.deepEqual(await journalBytes(path), [2, 2]);
      await (await fresh.open({ migrate: "check" })).close();
    },
  );

  test(
    "where openStorage() must migrate, it waits for another process's write lock at most acquireTimeoutMs",
    async (fresh) => {
      // A database without tables, in WAL mode: every migration is pending.
      await (await fresh.open({ migrate: "off" })).close();
      await using _holder = await holdLock(filePath(fresh));
      const outcome = await timed(() => fresh.open({ acquireTimeoutMs: 300 }));
      const error = assertTimedOut(outcome, 300, "openStorage() migrating");
      assert.match(error.message, /migrat/);
      console.log(
        `figures: migrating behind another process: timeout after ${
          Math.round(outcome.ms)
        } ms (acquireTimeoutMs 300)`,
      );
    },
  );

  test(
    "migrate up waits for another process's write lock at most --lock-timeout",
    async (fresh) => {
      await (await fresh.open({ migrate: "off" })).close();
      await using _holder = await holdLock(filePath(fresh));
      const started = performance.now();
      const run = await runMigrate([
        "up",
        "--db",
        fresh.url,
        "--lock-timeout",
        "300",
      ]);
      const ms = performance.now() - started;
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /300 ms.*another process/s);
      assert.ok(ms < 20_000, `the command ran ${ms} ms`);
    },
  );
}

Deno.test({
  name:
    "[postgres] openStorage() with nothing to migrate waits for no lock; where it must migrate, it waits at most acquireTimeoutMs naming the holder",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_open_wait");
    await (await openStorage(db.url)).close();
    await using empty = await createDatabase("impulse_open_wait");
    const admin = rawClient(db.url);
    const other = rawClient(empty.url);
    try {
      // Another set's slow migration holds the migration lock of each database.
      await admin`SELECT pg_advisory_lock(${LOCK_KEYS[0]}, ${LOCK_KEYS[1]})`;
      await other`SELECT pg_advisory_lock(${LOCK_KEYS[0]}, ${LOCK_KEYS[1]})`;
      const took: string[] = [];
      for (const migrate of ["check", "up"] as const) {
        const started = performance.now();
        await using s = await openStorage(db.url, {
          migrate,
          acquireTimeoutMs: 300,
        });
        took.push(`${migrate} ${Math.round(performance.now() - started)} ms`);
        assert.deepEqual(await s.messageAreas.list(), []);
      }
      const { error, ms } = await timed(() =>
        openStorage(empty.url, { acquireTimeoutMs: 300 })
      );
      assert.ok(
        error instanceof Error && "kind" in error && error.kind === "timeout",
        `expected timeout, got ${error}`,
      );
      assert.ok(ms >= 270 && ms < 2800, `waited ${ms} ms`);
      assert.match(error.message, /300 ms.*migration lock.*backend pid \d+/);
      console.log(
        `figures: opened while another session held the migration lock: ${
          took.join(", ")
        }; ` +
          `migrating behind it: timeout after ${Math.round(ms)} ms`,
      );
      const run = await runMigrate([
        "up",
        "--db",
        empty.url,
        "--lock-timeout",
        "300",
      ]);
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /300 ms.*migration lock/);
    } finally {
      await admin.end();
      await other.end();
    }
  },
});
