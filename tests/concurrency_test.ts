import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStorage, StorageError } from "../mod.ts";
import { conformance } from "./_targets.ts";
import { seedAreas } from "./_fixtures.ts";

conformance("hundreds of concurrent callers lose no increment", async (s) => {
  await seedAreas(s);
  const user = await s.users.create({ username: "hot", passwordHash: "h" });
  const work = Array.from({ length: 400 }, (_, i) => {
    switch (i % 4) {
      case 0:
        return s.users.incrementStats(user.id, { logins: 1, downloadBytes: 3 });
      case 1:
        return s.messages.post({
          areaId: 1,
          fromUserId: user.id,
          subject: `${i}`,
          body: "b",
        });
      case 2:
        return s.transaction(async (tx) => {
          await tx.users.incrementStats(user.id, { logins: 1 });
          await tx.files.add({
            areaId: 1,
            filename: `f${i}`,
            size: 10,
            uploaderId: user.id,
          });
        });
      default:
        return s.users.get(user.id);
    }
  });
  await Promise.all(work);
  const stats = (await s.users.get(user.id))!.stats;
  assert.equal(stats.logins, 200);
  assert.equal(stats.downloadBytes, 300);
  assert.equal(stats.posts, 100);
  assert.equal(stats.uploads, 100);
  assert.equal(stats.uploadBytes, 1000);
  assert.equal((await s.messages.list(1, { limit: 1000 })).length, 100);
});

conformance(
  "rolled-back transactions leak nothing into concurrent callers",
  async (s) => {
    await seedAreas(s);
    const user = await s.users.create({ username: "iso", passwordHash: "h" });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        s.transaction(async (tx) => {
          await tx.users.incrementStats(user.id, { logins: 1 });
          await tx.messages.post({
            areaId: 2,
            fromUserId: user.id,
            subject: `${i}`,
            body: "b",
          });
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (i % 2 === 1) throw new Error(`rollback ${i}`);
        })),
    );
    assert.equal(outcomes.filter((o) => o.status === "rejected").length, 50);
    const after = (await s.users.get(user.id))!;
    assert.equal(after.stats.logins, 50);
    assert.equal(after.stats.posts, 50);
    const subjects = (await s.messages.list(2, { limit: 1000 })).map((m) =>
      Number(m.subject)
    );
    assert.equal(subjects.length, 50);
    assert.ok(subjects.every((n) => n % 2 === 0));
  },
);

conformance(
  "a transaction waits for the writes running when it asks, not for a stream of later ones",
  async (s) => {
    const user = await s.users.create({ username: "busy", passwordHash: "h" });
    // Eight callers writing back to back for up to 3 s: the storage never runs out of writes.
    // They let timers run now and then (SQLite answers at once, so they would never wait).
    const deadline = Date.now() + 3000;
    let stop = false;
    const writers = Array.from({ length: 8 }, async () => {
      let n = 0;
      while (!stop && Date.now() < deadline) {
        await s.users.incrementStats(user.id, { logins: 1 });
        if (++n % 10 === 0) await new Promise((r) => setTimeout(r, 0));
      }
      return n;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await s.transaction(async (tx) => {
      await tx.users.incrementStats(user.id, { posts: 1 });
    });
    const left = deadline - Date.now();
    stop = true;
    const logins = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
    assert.ok(
      left > 0,
      "the transaction got its turn while the writes went on",
    );
    assert.deepEqual(
      [
        (await s.users.get(user.id))!.stats.logins,
        (await s.users.get(user.id))!.stats.posts,
      ],
      [logins, 1],
    );
  },
  { acquireTimeoutMs: 10_000 },
);

Deno.test("two processes writing one SQLite file lose nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-procs-" });
  try {
    const url = `sqlite:${dir}/board.db`;
    const userId = await (async () => {
      await using s = await openStorage(url);
      await s.messageAreas.create({ tag: "M1", name: "Shared area" });
      return (await s.users.create({ username: "shared", passwordHash: "h" }))
        .id;
    })();
    const rounds = 400;
    const children = Array.from(
      { length: 2 },
      () =>
        new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            new URL("./_worker.ts", import.meta.url).pathname,
            url,
            String(userId),
            String(rounds),
          ],
          stdout: "piped",
          stderr: "piped",
        }).output(),
    );
    const results = await Promise.all(children);
    for (const result of results) {
      assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
    }
    const reports = results.map((r) =>
      JSON.parse(new TextDecoder().decode(r.stdout))
    );
    await using s = await openStorage(url, { migrate: "check" });
    const stats = (await s.users.get(userId))!.stats;
    const posts = reports.reduce((sum, r) => sum + r.posts, 0);
    assert.equal(stats.posts, posts);
    assert.equal(stats.logins, 2 * (rounds / 4) * 3);
    assert.equal((await s.messages.list(1, { limit: 1000 })).length, posts);
    await s.close();
    const db = new DatabaseSync(`${dir}/board.db`);
    try {
      assert.deepEqual(
        db.prepare("PRAGMA integrity_check").all().map((r) =>
          r.integrity_check
        ),
        ["ok"],
      );
      assert.deepEqual(db.prepare("PRAGMA foreign_key_check").all(), []);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a writer held by another connection is waited for; one held past acquireTimeoutMs ends as timeout", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-busy-" });
  try {
    const url = `sqlite:${dir}/board.db`;
    await using s = await openStorage(url, {
      acquireTimeoutMs: 200,
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    const holder = new DatabaseSync(`${dir}/board.db`);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const error = await s.users.create({
        username: "blocked",
        passwordHash: "h",
      }).catch((e) => e);
      assert.ok(
        error instanceof StorageError && error.kind === "timeout",
        String(error),
      );
      assert.match(error.message, /200 ms.*write lock/);
      assert.equal(await s.users.findByUsername("blocked"), null);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    assert.ok(await s.users.create({ username: "later", passwordHash: "h" }));
    // Held for a moment only, the writer is waited for: the write retries until it is free.
    await using patient = await openStorage(url);
    const brief = new DatabaseSync(`${dir}/board.db`);
    brief.exec("BEGIN IMMEDIATE");
    const released = new Promise((resolve) =>
      setTimeout(() => resolve(brief.exec("ROLLBACK")), 100)
    );
    try {
      const user = await patient.users.create({
        username: "patient",
        passwordHash: "h",
      });
      assert.equal((await s.users.get(user.id))?.username, "patient");
    } finally {
      await released;
      brief.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
