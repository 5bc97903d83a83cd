/**
 * `messages.trim` in batches (small ones here): threads that cross batches, a crash between
 * batches that leaves a consistent board (every batch whole), posting between batches (no
 * writer waits for the whole trim; what is posted meanwhile stays), and a viewer demoted between
 * batches (each batch checks the guard again). On SQLite, and on PostgreSQL when it runs.
 */
import assert from "node:assert/strict";
import { openStorage, type Storage } from "../mod.ts";
import { TRIM_BATCH, trimTuning } from "../src/ops/trim.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";
import { rejectsKind } from "../src/testing/_assert.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);

/** Everything that must hold of a board, trimmed or not. */
async function assertConsistent(s: Storage, areaId: number): Promise<void> {
  const all = await s.messages.list(areaId, { limit: 1000 });
  const area = (await s.messageAreas.get(areaId))!;
  assert.equal(area.msgCount, all.length, "the count is the messages there");
  const ids = new Set(all.map((m) => m.id));
  for (const m of all) {
    if (m.parentId !== null) {
      assert.ok(ids.has(m.parentId), `message ${m.id}'s parent is there`);
      const parent = all.find((p) => p.id === m.parentId)!;
      assert.equal(
        m.threadRootId,
        parent.threadRootId,
        `${m.id} in its thread`,
      );
    } else {
      assert.equal(m.threadRootId, m.id, `message ${m.id} is a root`);
    }
  }
  const behind = await s.reading.pointer(1, areaId);
  const first = all[0]?.msgNum ?? area.lastMsgNum + 1;
  assert.ok(behind >= first - 1, `the pointer ${behind} is past what went`);
}

/** An area of `n` messages: chains of three (root, reply, grandchild), one day apart each. */
async function board(s: Storage, n: number) {
  const reader = await s.users.create({
    username: "reader",
    passwordHash: "h",
  });
  const writer = await s.users.create({
    username: "writer",
    passwordHash: "h",
  });
  const area = await s.messageAreas.create({ tag: "A", name: "A" });
  let parent: number | null = null;
  for (let i = 0; i < n; i++) {
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: writer.id,
      subject: `#${i}`,
      body: "b",
      parentId: i % 3 === 0 ? null : parent,
      createdAt: new Date(T0 + i * DAY),
    });
    parent = m.id;
  }
  await s.reading.setPointer(reader.id, area.id, 0);
  return { area, reader, writer };
}

type Open = () => Promise<{ storage: Storage } & AsyncDisposable>;

const TARGETS: [string, Open | undefined][] = [
  ["sqlite", async () => {
    const storage = await openStorage("sqlite::memory:");
    return { storage, [Symbol.asyncDispose]: () => storage.close() };
  }],
  [
    "postgres",
    postgresMissing ? undefined : async () => {
      const db = await createDatabase("impulse_trim");
      const storage = await openStorage(db.url);
      return {
        storage,
        async [Symbol.asyncDispose]() {
          await storage.close();
          await db[Symbol.asyncDispose]();
        },
      };
    },
  ],
];

/** Runs `fn` with batches of `size` and `afterBatch`, restoring them after. */
async function tuned<T>(
  size: number,
  afterBatch: ((deleted: number) => Promise<void>) | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  trimTuning.batch = size;
  trimTuning.afterBatch = afterBatch;
  try {
    return await fn();
  } finally {
    trimTuning.batch = TRIM_BATCH;
    delete trimTuning.afterBatch;
  }
}

for (const [name, open] of TARGETS) {
  const test = (what: string, fn: (s: Storage) => Promise<void>) =>
    Deno.test({
      name: `[${name}] trim batches: ${what}`,
      ignore: open === undefined,
      async fn() {
        await using db = await open!();
        await fn(db.storage);
      },
    });

  test("threads crossing batches are re-rooted, counts and pointers right, in one call", async (s) => {
    const { area, reader } = await board(s, 20);
    const batches: number[] = [];
    const deleted = await tuned(
      4,
      (n) => Promise.resolve(void batches.push(n)),
      () => s.messages.trim(area.id, { keep: 7 }),
    );
    assert.equal(deleted, 13);
    assert.deepEqual(batches, [4, 4, 4, 1]);
    const left = await s.messages.list(area.id);
    assert.deepEqual(left.map((m) => m.msgNum), [
      14,
      15,
      16,
      17,
      18,
      19,
      20,
    ]);
    // 14 and 15 lost their chain's root (13); 15 follows 14.
    assert.equal(left[0]!.threadRootId, left[0]!.id);
    assert.equal(left[1]!.threadRootId, left[0]!.id);
    assert.equal(await s.reading.pointer(reader.id, area.id), 13);
    await assertConsistent(s, area.id);
  });

  test("a crash between batches leaves whole batches and a consistent board", async (s) => {
    const { area } = await board(s, 20);
    const crash = new Error("crash");
    let batches = 0;
    await assert.rejects(
      tuned(
        4,
        () => {
          if (++batches === 2) throw crash;
          return Promise.resolve();
        },
        () => s.messages.trim(area.id, { olderThan: new Date(T0 + 15 * DAY) }),
      ),
      (error) => error === crash,
    );
    assert.equal((await s.messages.list(area.id)).length, 12);
    await assertConsistent(s, area.id);
    // Run again, it finishes the work.
    assert.equal(
      await s.messages.trim(area.id, { olderThan: new Date(T0 + 15 * DAY) }),
      7,
    );
    await assertConsistent(s, area.id);
  });

  test("posting goes on between batches, and what is posted meanwhile stays", async (s) => {
    const { area, writer } = await board(s, 12);
    const posted: number[] = [];
    const deleted = await tuned(
      3,
      async () => {
        // An old date: a trim by age would take it, but it came after the trim began.
        const m = await s.messages.post({
          areaId: area.id,
          fromUserId: writer.id,
          subject: "meanwhile",
          body: "b",
          createdAt: new Date(T0),
        });
        posted.push(m.msgNum);
      },
      () => s.messages.trim(area.id, { olderThan: new Date(T0 + 9 * DAY) }),
    );
    assert.equal(deleted, 9);
    assert.ok(posted.length >= 3);
    const left = (await s.messages.list(area.id)).map((m) => m.msgNum);
    assert.deepEqual(left, [10, 11, 12, ...posted]);
    await assertConsistent(s, area.id);
  });

  test("through as(), a viewer demoted between batches trims no further", async (s) => {
    const { area } = await board(s, 12);
    const sysop = await s.users.create({
      username: "sysop",
      passwordHash: "h",
      securityLevel: 255,
    });
    const view = await s.as(sysop.id);
    let batches = 0;
    await rejectsKind(
      tuned(
        3,
        async () => {
          if (++batches === 1) {
            await s.users.update(sysop.id, { securityLevel: 10 });
          }
        },
        () => view.messages.trim(area.id, { keep: 0 }),
      ),
      "forbidden",
    );
    assert.equal((await s.messages.list(area.id)).length, 9);
    await assertConsistent(s, area.id);
  });
}
