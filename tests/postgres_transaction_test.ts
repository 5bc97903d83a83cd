/**
 * PostgreSQL transactions and idle connections: a connection in use is never closed for
 * idleness; `transaction()` runs its callback again only after a serialization failure or a
 * deadlock, a bounded number of times within the call's deadline; a lost connection fails the
 * call once.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { sql } from "../src/driver.ts";
import { PostgresConnection } from "../drivers/postgres/connection.ts";
import * as V from "../src/validate.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

function withApp(url: string, app: string): string {
  const u = new URL(url);
  u.searchParams.set("application_name", app);
  return u.toString();
}

/** The backends of `app` on the test server (their pids). */
async function backends(app: string): Promise<number[]> {
  const admin = rawClient();
  try {
    const rows = await admin`SELECT pid FROM pg_stat_activity
      WHERE application_name = ${app} AND pid <> pg_backend_pid()`;
    return rows.map((row) => Number(row.pid));
  } finally {
    await admin.end();
  }
}

async function terminate(app: string): Promise<number> {
  const admin = rawClient();
  try {
    const rows =
      await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = ${app} AND pid <> pg_backend_pid()`;
    return rows.length;
  } finally {
    await admin.end();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test({
  name:
    "[postgres] a transaction idle longer than idleTimeoutMs commits once, with all its writes",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using s = await openStorage(db.url, {
      postgres: { idleTimeoutMs: 100 },
    });
    let runs = 0;
    const ids = await s.transaction(async (tx) => {
      runs++;
      const a = await tx.users.create({
        username: `a${runs}`,
        passwordHash: "h",
      });
      await pause(600); // six times idleTimeoutMs with the transaction open
      const b = await tx.users.create({
        username: `b${runs}`,
        passwordHash: "h",
      });
      await pause(600);
      return [a.id, b.id];
    });
    assert.equal(runs, 1, "the callback ran once");
    for (const id of ids) {
      assert.ok(await s.users.get(id), `user ${id} is there`);
    }
    assert.equal(await s.users.findByUsername("a2"), null);
  },
});

Deno.test({
  name:
    "[postgres] the pool closes connections idle longer than idleTimeoutMs, and opens them again on demand",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const app = `impulse-idle-${crypto.randomUUID().slice(0, 8)}`;
    await using s = await openStorage(withApp(db.url, app), {
      postgres: { idleTimeoutMs: 200, poolSize: 3 },
    });
    const user = await s.users.create({ username: "a", passwordHash: "h" });
    // Three connections busy at once, so the pool opens all of them.
    await s.transaction(() =>
      Promise.all([s.users.get(user.id), s.users.get(user.id)])
    );
    assert.ok((await backends(app)).length >= 2, "connections were open");
    const quiet = Date.now() + 10_000;
    while ((await backends(app)).length > 0 && Date.now() < quiet) {
      await pause(100);
    }
    assert.deepEqual(await backends(app), [], "idle connections were closed");
    assert.equal((await s.users.get(user.id))?.username, "a");
    assert.equal((await backends(app)).length, 1, "one connection came back");
  },
});

Deno.test({
  name:
    "[postgres] a transaction whose connection is lost fails once as unavailable, says it was rolled back, and is not run again",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const app = `impulse-lost-${crypto.randomUUID().slice(0, 8)}`;
    await using s = await openStorage(withApp(db.url, app));
    let runs = 0;
    const error = await s.transaction(async (tx) => {
      runs++;
      await tx.users.create({ username: `lost${runs}`, passwordHash: "h" });
      assert.ok(await terminate(app) > 0, "the connection was ended");
      await pause(100);
      await tx.users.create({ username: `after${runs}`, passwordHash: "h" });
    }).then(() => null, (e: unknown) => e);
    assert.equal(runs, 1, "the callback ran once");
    assert.ok(
      error instanceof StorageError && error.kind === "unavailable",
      String(error),
    );
    assert.match(error.message, /rolled back/);
    assert.equal(await s.users.findByUsername("lost1"), null);
    assert.equal(await s.users.findByUsername("lost2"), null);
    // The storage goes on.
    await s.users.create({ username: "later", passwordHash: "h" });
  },
});

const SERIALIZATION_FAILURE = sql(
  "test.serializationFailure",
  "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = '40001'; END $$",
  true,
);

function parsed(options: Record<string, unknown>) {
  return V.parse(V.openOptions, options, "options", "test");
}

Deno.test({
  name:
    "[postgres] transaction() re-runs a callback that keeps failing to serialize at most retry.attempts times",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const c = await PostgresConnection.open(
      db.url,
      parsed({ migrate: "off", retry: { attempts: 4 } }),
    );
    try {
      let runs = 0;
      const error = await c.transaction(async (tx) => {
        runs++;
        await tx.run(SERIALIZATION_FAILURE, []);
      }).then(() => null, (e: unknown) => e);
      assert.equal(runs, 4);
      assert.ok(
        error instanceof StorageError && error.kind === "unavailable",
        String(error),
      );
      assert.match(error.message, /after 4 attempts/);
    } finally {
      await c.close();
    }
  },
});

Deno.test({
  name:
    "[postgres] transaction() stops re-running a callback when the call's deadline (acquireTimeoutMs) has passed",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const c = await PostgresConnection.open(
      db.url,
      parsed({
        migrate: "off",
        acquireTimeoutMs: 300,
        retry: { attempts: 1000, baseDelayMs: 20, maxDelayMs: 40 },
      }),
    );
    try {
      let runs = 0;
      const started = Date.now();
      const error = await c.transaction(async (tx) => {
        runs++;
        await tx.run(SERIALIZATION_FAILURE, []);
      }).then(() => null, (e: unknown) => e);
      const took = Date.now() - started;
      assert.ok(
        error instanceof StorageError && error.kind === "timeout",
        String(error),
      );
      assert.ok(runs > 1 && runs < 1000, `${runs} runs`);
      assert.ok(took < 300 + 1500, `gave up after ${took} ms`);
      assert.match(error.message, /300 ms/);
    } finally {
      await c.close();
    }
  },
});
