/**
 * A statement's own time is bounded too (docs/guarantees.md "Bounded waits"): the server ends a
 * statement that runs past `statementTimeoutMs` (`timeout`), a connection that owes a reply and
 * stays silent 2 s longer is closed (`unavailable`, saying no reply came), and a failure after
 * the deadline says how long the call really took. An administrator's `pg_cancel_backend` is
 * `unavailable`, not `timeout`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, type Storage, StorageError } from "../mod.ts";
import {
  createDatabase,
  POSTGRES_URL,
  postgresMissing,
  rawClient,
} from "./_postgres.ts";
import { StallProxy } from "./_stall_proxy.ts";
import { within } from "./_within.ts";

const ignore = postgresMissing !== undefined;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How a call ended, and after how long; a call still waiting after 20 s fails the test. */
async function outcome(
  work: () => Promise<unknown>,
): Promise<{ error: StorageError; ms: number }> {
  const started = performance.now();
  try {
    await within(work, String(work), 20_000);
  } catch (error) {
    assert.ok(error instanceof StorageError, String(error));
    return { error, ms: performance.now() - started };
  }
  assert.fail(`expected a failure: ${work}`);
}

function proxyTo(url: string): StallProxy {
  const { hostname, port } = new URL(url);
  return new StallProxy({ hostname, port: Number(port || 5432) });
}

Deno.test({
  name:
    "[postgres] calls on a connection that goes silent fail within statementTimeoutMs plus 2 s, new connections within connectTimeoutMs, and the storage recovers",
  ignore,
  async fn() {
    await using db = await createDatabase();
    {
      await using s = await openStorage(db.url);
      const user = await s.users.create({
        username: "seed",
        passwordHash: "h",
      });
      await s.messageAreas.create({ tag: "GEN", name: "General" });
      assert.equal(user.id, 1);
    }
    await using proxy = proxyTo(POSTGRES_URL);
    const statementTimeoutMs = 500;
    const connectTimeoutMs = 1500;
    const s = await openStorage(proxy.url(db.url), {
      migrate: "off",
      acquireTimeoutMs: 1000,
      postgres: { statementTimeoutMs, connectTimeoutMs, poolSize: 3 },
    });
    try {
      await silentCalls(s, proxy, statementTimeoutMs, connectTimeoutMs);
    } finally {
      // Whatever still waits on the proxy ends with its connections.
      proxy.cut();
      await s.close();
    }
  },
});

async function silentCalls(
  s: Storage,
  proxy: StallProxy,
  statementTimeoutMs: number,
  connectTimeoutMs: number,
): Promise<void> {
  // Three connections, each established.
  await Promise.all([s.users.get(1), s.users.get(1), s.users.get(1)]);
  assert.equal(proxy.connections, 3);
  proxy.stalled = true;
  const bound = statementTimeoutMs + 2000;
  const calls: [string, () => Promise<unknown>, RegExp][] = [
    ["users.get", () => s.users.get(1), /Cannot reach PostgreSQL/],
    [
      "users.incrementStats",
      () => s.users.incrementStats(1, { logins: 1 }),
      /outcome of users.increment is unknown/,
    ],
    [
      "messages.post",
      () =>
        s.messages.post({ areaId: 1, fromUserId: 1, subject: "s", body: "b" }),
      /was rolled back, and nothing of it was committed/,
    ],
  ];
  const outcomes = await Promise.all(calls.map(([, work]) => outcome(work)));
  outcomes.forEach(({ error, ms }, i) => {
    const [what, , says] = calls[i]!;
    assert.equal(error.kind, "unavailable", `${what}: ${error.message}`);
    assert.match(error.message, says, what);
    assert.match(error.message, /no reply came for 2500 ms/, what);
    assert.ok(ms >= bound - 100, `${what} gave up early: ${ms} ms`);
    assert.ok(ms < bound + 3000, `${what} waited ${ms} ms`);
  });
  // A new connection through the silent network: its login never completes.
  const { error, ms } = await outcome(() => s.users.get(1));
  assert.match(error.message, /connecting took longer than connectTimeoutMs/);
  assert.ok(ms < connectTimeoutMs + 3000, `waited ${ms} ms`);
  console.log(
    `figures: silent connections: calls failed after ${
      outcomes.map(({ ms }) => Math.round(ms)).join(", ")
    } ms (bound ${bound} ms); a new connection after ${Math.round(ms)} ms`,
  );
  proxy.stalled = false;
  assert.equal((await s.users.get(1))?.username, "seed");
}

Deno.test({
  name:
    "[postgres] a call that gives up after its deadline says how long it really took and why",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using proxy = proxyTo(POSTGRES_URL);
    {
      await using s = await openStorage(db.url);
      await s.users.create({ username: "seed", passwordHash: "h" });
    }
    await using s = await openStorage(proxy.url(db.url), {
      migrate: "off",
      acquireTimeoutMs: 300,
      postgres: { connectTimeoutMs: 1500, poolSize: 1 },
    });
    await s.users.get(1);
    // The connection ends; the next one reaches a host that never answers.
    proxy.stallNew = true;
    proxy.cut();
    await pause(100);
    const { error, ms } = await outcome(() => s.users.get(1));
    assert.equal(error.kind, "timeout", error.message);
    const reported = Number(/ in (\d+) ms/.exec(error.message)?.[1]);
    assert.ok(reported >= 1400, `reports ${reported} ms: ${error.message}`);
    assert.ok(Math.abs(reported - ms) < 200, `reports ${reported}, took ${ms}`);
    assert.match(error.message, /acquireTimeoutMs \(300 ms\) had passed/);
    assert.match(error.message, /connecting took longer than connectTimeoutMs/);
    assert.doesNotMatch(error.message, /Timed out after 300 ms/);
  },
});

Deno.test({
  name:
    "[postgres] a server that closes every connection before the login ends the call within connectTimeoutMs, with paced attempts",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using proxy = proxyTo(POSTGRES_URL);
    proxy.closeNew = true;
    const connectTimeoutMs = 1000;
    const { error, ms } = await outcome(() =>
      openStorage(proxy.url(db.url), {
        migrate: "off",
        acquireTimeoutMs: 300,
        postgres: { connectTimeoutMs },
      })
    );
    assert.ok(["unavailable", "timeout"].includes(error.kind), error.message);
    assert.match(error.message, /connectTimeoutMs/);
    assert.ok(ms < connectTimeoutMs + 3000, `waited ${ms} ms`);
    assert.ok(proxy.accepted < 60, `${proxy.accepted} connection attempts`);
    console.log(
      `figures: closing server: failed after ${
        Math.round(ms)
      } ms, ${proxy.accepted} attempts`,
    );
  },
});

/** Holds user 1's row from another session until released. */
async function holdRow(url: string): Promise<() => Promise<void>> {
  const sql = rawClient(url);
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let held!: () => void;
  const holding = new Promise<void>((resolve) => held = resolve);
  const done = sql.begin(async (tx) => {
    await tx`SELECT id FROM users WHERE id = 1 FOR UPDATE`;
    held();
    await released;
  });
  await holding;
  return async () => {
    release();
    await done;
    await sql.end();
  };
}

async function seeded(
  url: string,
  options: Parameters<typeof openStorage>[1],
): Promise<Storage> {
  const s = await openStorage(url, options);
  if (!await s.users.get(1)) {
    await s.users.create({ username: "seed", passwordHash: "h" });
  }
  return s;
}

Deno.test({
  name:
    "[postgres] a statement that runs past statementTimeoutMs fails as timeout; a row lock past acquireTimeoutMs too",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using s = await seeded(db.url, {
      acquireTimeoutMs: 10_000,
      postgres: { statementTimeoutMs: 700 },
    });
    let release = await holdRow(db.url);
    const slow = await outcome(() => s.users.incrementStats(1, { logins: 1 }));
    await release();
    assert.equal(slow.error.kind, "timeout", slow.error.message);
    assert.match(slow.error.message, /statement timeout.*statementTimeoutMs/);
    assert.ok(slow.ms < 5000, `waited ${slow.ms} ms`);
    await using quick = await seeded(db.url, {
      migrate: "off",
      acquireTimeoutMs: 500,
    });
    release = await holdRow(db.url);
    const locked = await outcome(() =>
      quick.users.incrementStats(1, { logins: 1 })
    );
    await release();
    assert.equal(locked.error.kind, "timeout", locked.error.message);
    assert.match(locked.error.message, /55P03/);
    assert.equal((await s.users.get(1))?.stats.logins, 0);
  },
});

Deno.test({
  name:
    "[postgres] a statement an administrator cancels (pg_cancel_backend) is unavailable, and a transaction's callback runs once",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const url = `${db.url}?application_name=impulse_cancel_test`;
    await using s = await seeded(url, { acquireTimeoutMs: 10_000 });
    const admin = rawClient(db.url);
    try {
      const cancel = async () => {
        for (let i = 0; i < 100; i++) {
          await pause(100);
          const [row] = await admin`
            SELECT count(pg_cancel_backend(pid))::int AS n FROM pg_stat_activity
            WHERE application_name = 'impulse_cancel_test' AND wait_event_type = 'Lock'`;
          if (row!.n > 0) return;
        }
      };
      let release = await holdRow(db.url);
      const [single] = await Promise.all([
        outcome(() => s.users.incrementStats(1, { logins: 1 })),
        cancel(),
      ]);
      await release();
      assert.equal(single.error.kind, "unavailable", single.error.message);
      assert.match(single.error.message, /user request.*pg_cancel_backend/);
      let runs = 0;
      release = await holdRow(db.url);
      const [inTx] = await Promise.all([
        outcome(() =>
          s.transaction(async (tx) => {
            runs++;
            await tx.users.incrementStats(1, { logins: 1 });
          })
        ),
        cancel(),
      ]);
      await release();
      assert.equal(inTx.error.kind, "unavailable", inTx.error.message);
      assert.equal(runs, 1);
      assert.equal((await s.users.get(1))?.stats.logins, 0);
    } finally {
      await admin.end();
    }
  },
});
