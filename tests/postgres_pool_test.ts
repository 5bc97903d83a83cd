/**
 * The PostgreSQL pool's pipelined reads: the catalogue's reads share connections, as postgres.js
 * pipelines them, but never one a transaction holds; a read that finds every connection held
 * alone waits at most its deadline; reads sent together on a connection that breaks are retried
 * and answer; the watchdog's timer, left armed between statements, ends with the storage.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => open = resolve);
  return { opened, open };
}

Deno.test({
  name:
    "[postgres] reads beside an open transaction never run inside it, and answer while it stays open",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using s = await openStorage(db.url, { postgres: { poolSize: 2 } });
    const user = await s.users.create({
      username: "before",
      passwordHash: "h",
    });
    const { opened, open } = gate();
    const renamed = gate();
    const tx = s.transaction(async (t) => {
      await t.users.update(user.id, { username: "during" });
      renamed.open();
      await opened;
    });
    await renamed.opened;
    // The transaction holds one connection; the reads share the other.
    const names = await Promise.all(
      Array.from({ length: 12 }, () => s.users.get(user.id)),
    );
    assert.deepEqual(
      names.map((u) => u?.username),
      Array(12).fill("before"),
    );
    open();
    await tx;
    assert.equal((await s.users.get(user.id))?.username, "during");
  },
});

Deno.test({
  name:
    "[postgres] a read waits at most its deadline when the transaction holds every connection",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await using s = await openStorage(db.url, {
      acquireTimeoutMs: 300,
      postgres: { poolSize: 1 },
    });
    const user = await s.users.create({ username: "held", passwordHash: "h" });
    const { opened, open } = gate();
    const started = gate();
    // One transaction at a time holds the write gate: with one connection, it holds them all.
    const held = s.transaction(async (t) => {
      await t.users.get(user.id);
      started.open();
      await opened;
    });
    await started.opened;
    const at = performance.now();
    const error = await s.users.get(user.id).then(() => null, (e) => e);
    const waited = performance.now() - at;
    open();
    await held;
    assert.ok(error instanceof StorageError, String(error));
    assert.equal(error.kind, "timeout");
    assert.match(error.message, /all 1 connections of the pool are busy/);
    assert.ok(waited >= 250 && waited < 1500, `waited ${waited} ms`);
    // The connections are free again.
    assert.equal((await s.users.get(user.id))?.username, "held");
  },
});

Deno.test({
  name:
    "[postgres] reads pipelined on one connection that is terminated are retried and all answer",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const url = new URL(db.url);
    url.searchParams.set("application_name", "impulse_pool_test");
    await using s = await openStorage(url.toString(), {
      postgres: { poolSize: 1 },
    });
    const user = await s.users.create({ username: "piped", passwordHash: "h" });
    // A lock on the table keeps the reads sent, waiting on the one connection, until it ends.
    const admin = rawClient(db.url);
    try {
      const locked = gate();
      const done = admin.begin(async (sql) => {
        await sql`LOCK TABLE users IN ACCESS EXCLUSIVE MODE`;
        locked.open();
        await pause(300);
        await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'impulse_pool_test'`;
      });
      await locked.opened;
      const reads = Array.from({ length: 8 }, () => s.users.get(user.id));
      await done;
      const users = await Promise.all(reads);
      assert.deepEqual(users.map((u) => u?.username), Array(8).fill("piped"));
    } finally {
      await admin.end();
    }
  },
});

Deno.test({
  name:
    "[postgres] a process exits at once after close(): no watchdog timer outlives the storage",
  ignore,
  async fn() {
    await using db = await createDatabase();
    const script = `
      import { openStorage } from ${
      JSON.stringify(import.meta.resolve("../mod.ts"))
    };
      const s = await openStorage(${JSON.stringify(db.url)});
      const user = await s.users.create({ username: "exits", passwordHash: "h" });
      await Promise.all([s.users.get(user.id), s.users.get(user.id)]);
      await s.close();
    `;
    const started = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        "--config",
        new URL("../deno.json", import.meta.url).pathname,
        script,
      ],
      stdout: "null",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const killer = setTimeout(() => child.kill(), 20_000);
    const { code, stderr } = await child.output();
    clearTimeout(killer);
    const tookMs = performance.now() - started;
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    // The watchdog's window is statementTimeoutMs (60 s) plus 2 s: a timer left armed would
    // keep the process alive that long.
    assert.ok(tookMs < 15_000, `exited after ${tookMs} ms`);
  },
});
