import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { seedAreas } from "./_fixtures.ts";
import { sql } from "../src/driver.ts";
import * as V from "../src/validate.ts";
import { PostgresConnection } from "../drivers/postgres/connection.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

function withApp(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set("application_name", name);
  return u.toString();
}

/** Ends every backend of `app` on the test server; returns how many. */
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

Deno.test({
  name:
    "[postgres] the pool recovers after the server ends its connections mid-workload",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const app = `impulse-fault-${crypto.randomUUID().slice(0, 8)}`;
    await using s = await openStorage(withApp(db.url, app), {
      postgres: { poolSize: 4 },
    });
    await seedAreas(s, 2);
    const authors = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        s.users.create({ username: `author${i}`, passwordHash: "h" })
      ),
    );
    const failures: StorageError[] = [];
    let done = 0;
    let doneAfterKills = 0;
    let killed = false;
    // Bounded in time; on a slow machine it runs until enough calls followed the kills.
    const stopAt = Date.now() + 1500;
    const hardStop = Date.now() + 30_000;
    const going = () =>
      Date.now() < hardStop && (Date.now() < stopAt || doneAfterKills < 50);
    const worker = async (n: number) => {
      for (let i = 0; going(); i++) {
        const author = authors[(n + i) % 4]!;
        try {
          if (i % 7 === 6) {
            await s.transaction(async (tx) => {
              await tx.messages.post({
                areaId: 2,
                fromUserId: author.id,
                subject: "t",
                body: "b",
              });
              await tx.users.get(author.id);
            });
          } else if (i % 3 === 0) {
            await s.messages.post({
              areaId: 1,
              fromUserId: author.id,
              subject: "s",
              body: "b",
            });
          } else if (i % 3 === 1) await s.users.get(author.id);
          else await s.messages.list(1, { limit: 20 });
          done++;
          if (killed) doneAfterKills++;
        } catch (error) {
          assert.ok(
            error instanceof StorageError && error.kind === "unavailable",
            String(error),
          );
          failures.push(error);
        }
      }
    };
    const workload = Promise.all(
      Array.from({ length: 16 }, (_, n) => worker(n)),
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(await terminate(app) > 0, "the pool had open connections to end");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await terminate(app);
    killed = true;
    await workload;
    assert.ok(
      doneAfterKills >= 50,
      `the workload went on: ${done} calls, ${doneAfterKills} after the kills, ${failures.length} failed`,
    );
    for (const error of failures) {
      assert.match(error.message, /unknown|broke|PostgreSQL/);
    }
    // Later operations succeed, and every message that exists was counted to its author.
    for (let i = 0; i < 20; i++) {
      await s.messages.post({
        areaId: 2,
        fromUserId: authors[0]!.id,
        subject: "s",
        body: "b",
      });
    }
    let counted = 0;
    for (const author of authors) {
      counted += (await s.users.get(author.id))!.stats.posts;
    }
    let stored = 0;
    for (const area of [1, 2]) {
      for (let after = 0;;) {
        const page = await s.messages.list(area, { after, limit: 1000 });
        if (page.length === 0) break;
        stored += page.length;
        after = page.at(-1)!.id;
      }
    }
    assert.equal(counted, stored);
  },
});

Deno.test({
  name: "[postgres] transaction() runs the callback again after a deadlock",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using one = await openStorage(db.url);
    await using two = await openStorage(db.url, { migrate: "off" });
    const a = await one.users.create({ username: "a", passwordHash: "h" });
    const b = await one.users.create({ username: "b", passwordHash: "h" });
    let attempts = 0;
    let arrived = 0;
    let go!: () => void;
    const both = new Promise<void>((resolve) => go = resolve);
    const cross = (s: typeof one, first: number, second: number) =>
      s.transaction(async (tx) => {
        attempts++;
        await tx.users.incrementStats(first, { logins: 1 });
        if (++arrived === 2) go();
        await both;
        await tx.users.incrementStats(second, { logins: 1 });
      });
    await Promise.all([cross(one, a.id, b.id), cross(two, b.id, a.id)]);
    assert.ok(attempts >= 3, `one transaction ran again: ${attempts} attempts`);
    assert.equal((await one.users.get(a.id))!.stats.logins, 2);
    assert.equal((await one.users.get(b.id))!.stats.logins, 2);
  },
});

const SERIALIZABLE = sql(
  "test.serializable",
  "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
);
const COUNT = sql("test.count", "SELECT count(*) FROM users");
const INSERT = sql(
  "test.insert",
  "INSERT INTO users (username, username_key, password_hash, created_at, updated_at) " +
    "VALUES (?, ?, 'h', 0, 0)",
  true,
);

Deno.test({
  name:
    "[postgres] transaction() runs the callback again after a serialization failure",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await (await openStorage(db.url)).close();
    const options = V.parse(
      V.openOptions,
      { migrate: "off" },
      "options",
      "test",
    );
    await using one = disposable(
      await PostgresConnection.open(db.url, options),
    );
    await using two = disposable(
      await PostgresConnection.open(db.url, options),
    );
    let attempts = 0;
    let arrived = 0;
    let go!: () => void;
    const both = new Promise<void>((resolve) => go = resolve);
    const writeCount = (c: PostgresConnection, name: string) =>
      c.transaction(async (tx) => {
        attempts++;
        await tx.run(SERIALIZABLE, []);
        const n = (await tx.get(COUNT, []))![0];
        if (++arrived === 2) go();
        await both;
        await tx.run(INSERT, [`${name}${n}`, `${name}${n}`]);
      });
    await Promise.all([writeCount(one, "one"), writeCount(two, "two")]);
    assert.ok(attempts >= 3, `one transaction ran again: ${attempts} attempts`);
    assert.equal((await one.root.get(COUNT, []))![0], 2);
  },
});

const SLOW_WRITE = sql("test.slowWrite", "SELECT pg_sleep(0.4)", true);
const SLOW_READ = sql("test.slowRead", "SELECT pg_sleep(0.4)");

Deno.test({
  name:
    "[postgres] a write whose connection broke fails saying its outcome is unknown; a read is retried",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const app = `impulse-drop-${crypto.randomUUID().slice(0, 8)}`;
    const options = V.parse(
      V.openOptions,
      { migrate: "off" },
      "options",
      "test",
    );
    await using c = disposable(
      await PostgresConnection.open(withApp(db.url, app), options),
    );
    const write = c.statement(SLOW_WRITE, []).then(
      () => null,
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await terminate(app);
    const error = await write;
    assert.ok(
      error instanceof StorageError && error.kind === "unavailable",
      String(error),
    );
    assert.match(error.message, /outcome of test\.slowWrite is unknown/);
    const read = c.statement(SLOW_READ, []);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await terminate(app);
    assert.equal((await read).length, 1);
  },
});

function disposable(
  c: PostgresConnection,
): PostgresConnection & AsyncDisposable {
  return Object.assign(c, { [Symbol.asyncDispose]: () => c.close() });
}
