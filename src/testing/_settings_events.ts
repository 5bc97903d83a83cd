/**
 * Settings and the event log (issue 12, items 5 and 6): values read back exactly, bounds refused
 * with nothing written, atomic increments, filters, ranking, pruning, and what deleting a user or
 * a session does to its events.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { JsonValue, Storage } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

/** Waits long enough for the clock to move on (event times are milliseconds). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

testCase(
  "settings.set() and get() give back every JSON value exactly",
  async (s) => {
    const values: JsonValue[] = [
      "",
      "any Unicode: é ß 😀 \u202e \u0000 NUL \ud800 lone surrogate \u2028",
      0,
      -1.5,
      0.1 + 0.2,
      1e300,
      -Number.MAX_VALUE,
      Number.MIN_VALUE,
      2 ** 60,
      true,
      false,
      [],
      {},
      [1, [2, [3, null]], { a: "b" }],
      {
        z: 1,
        a: 2,
        "10": 3,
        "": 4,
        ["__proto__"]: { evil: true },
        "é": [null],
      },
    ];
    for (const [i, value] of values.entries()) {
      const set = await s.settings.set(`k${i}`, value);
      assert.deepStrictEqual(set.value, value, `set ${i}`);
      assert.deepStrictEqual(await s.settings.get(`k${i}`), value, `get ${i}`);
    }
    // Object keys keep their order, and "__proto__" stays an own key.
    const last = await s.settings.get(`k${values.length - 1}`) as Record<
      string,
      JsonValue
    >;
    assert.deepEqual(Object.keys(last), ["10", "z", "a", "", "__proto__", "é"]);
    assert.equal(Object.getPrototypeOf(last), Object.prototype);
    // Setting again replaces; a key not set reads as null.
    await s.settings.set("k0", { replaced: true });
    assert.deepStrictEqual(await s.settings.get("k0"), { replaced: true });
    assert.equal(await s.settings.get("never set"), null);
  },
);

testCase(
  "settings.delete() removes a key and says whether it was set",
  async (s) => {
    await s.settings.set("motd", "Welcome");
    assert.equal(await s.settings.delete("motd"), true);
    assert.equal(await s.settings.get("motd"), null);
    assert.equal(await s.settings.delete("motd"), false);
    assert.deepEqual(await s.settings.list(), []);
  },
);

testCase(
  "settings.list() gives the keys under a prefix in code-point order",
  async (s) => {
    const keys = [
      "board.name",
      "board.limits.daily",
      "board",
      "boarz",
      "board/",
      "b\ud7ff",
      "b\ue000",
      "b\u{10ffff}",
      "b\u{10ffff}x",
      "Board",
      "é",
      "😀",
    ];
    for (const key of keys) await s.settings.set(key, key.length);
    const codePoint = (a: string, b: string) => {
      const x = [...a].map((c) => c.codePointAt(0)!);
      const y = [...b].map((c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        if (x[i] !== y[i]) return x[i]! - y[i]!;
      }
      return x.length - y.length;
    };
    const sorted = [...keys].sort(codePoint);
    const listed = async (prefix?: string) =>
      (await s.settings.list(prefix)).map((setting) => setting.key);
    assert.deepEqual(await listed(), sorted);
    assert.deepEqual(await listed(""), sorted);
    for (
      const prefix of [
        "board",
        "board.",
        "b",
        "b\ud7ff",
        "b\u{10ffff}",
        "B",
        "x",
      ]
    ) {
      assert.deepEqual(
        await listed(prefix),
        sorted.filter((k) => k.startsWith(prefix)),
        `prefix ${JSON.stringify(prefix)}`,
      );
    }
    const [first] = await s.settings.list("board.name");
    assert.equal(first?.value, 10);
    assert.ok(first?.updatedAt instanceof Date);
  },
);

testCase(
  "settings refuse keys and values out of bounds, writing nothing",
  async (s) => {
    for (const key of ["", "x".repeat(65), "a\u0000b", "\ud800"]) {
      await rejectsKind(s.settings.set(key, 1), "validation", "key");
      await rejectsKind(s.settings.get(key), "validation", "key");
      await rejectsKind(s.settings.increment(key), "validation", "key");
      await rejectsKind(s.settings.delete(key), "validation", "key");
    }
    // 64 characters, counted as code points, is the most a key holds.
    await s.settings.set("😀".repeat(64), 1);
    await rejectsKind(s.settings.list("x".repeat(65)), "validation", "prefix");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const holey = [1, , 3];
    let deep: unknown = 1;
    for (let i = 0; i < 65; i++) deep = [deep];
    const refused: [unknown, string][] = [
      [null, "value"],
      [undefined, "value"],
      [-0, "value"],
      [NaN, "value"],
      [Infinity, "value"],
      [10n, "value"],
      [() => 1, "value"],
      [new Date(0), "value"],
      [new Map(), "value"],
      [{ a: undefined }, "value.a"],
      [{ a: [1, -Infinity] }, "value.a.1"],
      [{ a: Symbol("s") }, "value.a"],
      [cyclic, "value.self"],
      [holey, "value.1"],
      [deep, ["value", ...Array(64).fill("0")].join(".")],
      ["x".repeat(65_535), "value"],
      [["é".repeat(32_767)], "value"],
      [{ long: "é".repeat(32_768) }, "value.long"],
      [["é".repeat(16_000), "é".repeat(16_000), "é".repeat(1_000)], "value"],
    ];
    for (const [value, field] of refused) {
      await rejectsKind(
        s.settings.set("k", value as JsonValue),
        "validation",
        field,
      );
    }
    assert.deepEqual((await s.settings.list()).map((x) => x.key), [
      "😀".repeat(64),
    ]);
    // 64 KiB of JSON text exactly (UTF-8 bytes) is the most a value holds.
    const most = "x".repeat(65_534);
    await s.settings.set("k", most);
    assert.equal(await s.settings.get("k"), most);
  },
);

testCase(
  "settings.increment() counts from 0 and refuses a key holding no number",
  async (s) => {
    assert.equal(await s.settings.increment("calls"), 1);
    assert.equal(await s.settings.increment("calls"), 2);
    assert.equal(await s.settings.increment("calls", 40), 42);
    assert.equal(await s.settings.increment("calls", -2.5), 39.5);
    assert.equal(await s.settings.get("calls"), 39.5);
    await s.settings.set("name", "Board");
    const error = await rejectsKind(
      s.settings.increment("name"),
      "conflict",
      "key",
    );
    assert.match(error.message, /key "name" holds a string, not a number/);
    assert.equal(await s.settings.get("name"), "Board");
    await s.settings.set("big", Number.MAX_VALUE);
    await rejectsKind(
      s.settings.increment("big", Number.MAX_VALUE),
      "validation",
      "by",
    );
    assert.equal(await s.settings.get("big"), Number.MAX_VALUE);
    for (const by of [NaN, Infinity, "1", null]) {
      await rejectsKind(
        s.settings.increment("calls", by as number),
        "validation",
        "by",
      );
    }
    assert.equal(await s.settings.get("calls"), 39.5);
    // A refused increment of a missing key leaves it missing.
    await rejectsKind(s.settings.increment("none", NaN), "validation", "by");
    assert.equal(await s.settings.get("none"), null);
  },
);

testCase(
  "settings.increment() loses no increment under concurrency",
  async (s) => {
    await s.settings.set("mixed", 0);
    const results = await Promise.all(
      Array.from(
        { length: 300 },
        (_, i) => s.settings.increment(i % 2 === 0 ? "calls" : "mixed", 1),
      ),
    );
    assert.equal(await s.settings.get("calls"), 150);
    assert.equal(await s.settings.get("mixed"), 150);
    // Each increment saw its own total: no two returned the same number for a key.
    const calls = results.filter((_, i) => i % 2 === 0).sort((a, b) => a - b);
    assert.deepEqual(calls, Array.from({ length: 150 }, (_, i) => i + 1));
  },
);

testCase(
  "tx.settings and tx.events are undone with their transaction",
  async (s) => {
    await s.settings.set("kept", 1);
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.settings.set("kept", 2);
        await tx.settings.increment("calls");
        await tx.events.append({ kind: "login" });
        assert.equal(await tx.settings.get("kept"), 2);
        assert.equal(await tx.events.count(), 1);
        throw new Error("roll back");
      }),
      /roll back/,
    );
    assert.equal(await s.settings.get("kept"), 1);
    assert.equal(await s.settings.get("calls"), null);
    assert.equal(await s.events.count(), 0);
    await s.transaction(async (tx) => {
      await tx.settings.increment("calls", 2);
      await tx.events.append({ kind: "login", data: { ok: true } });
    });
    assert.equal(await s.settings.get("calls"), 2);
    assert.deepEqual((await s.events.list())[0]?.data, { ok: true });
  },
);

/** Two users, a session of the first, and events spread over time. */
async function eventBoard(s: Storage) {
  const alice = await s.users.create({ username: "Alice", passwordHash: "h" });
  const bob = await s.users.create({ username: "Bob", passwordHash: "h" });
  const { session } = await s.sessions.create({
    userId: alice.id,
    ipAddress: "192.0.2.1",
  });
  const first = await s.events.append({
    kind: "login",
    userId: alice.id,
    sessionId: session.id,
  });
  await tick();
  const upload = await s.events.append({
    kind: "file.upload",
    userId: bob.id,
    data: { file: "DOOM.ZIP", bytes: 2_400_000 },
  });
  await tick();
  const door = await s.events.append({
    kind: "door.run",
    userId: alice.id,
    sessionId: session.id,
    data: "LORD",
  });
  await tick();
  const system = await s.events.append({ kind: "system.start" });
  return { alice, bob, session, first, upload, door, system };
}

testCase(
  "events.append() stores an event and list() gives it back, newest first",
  async (s) => {
    const { alice, bob, session, first, upload, door, system } =
      await eventBoard(s);
    assert.deepEqual(
      [first.kind, first.userId, first.sessionId, first.data],
      ["login", alice.id, session.id, null],
    );
    assert.deepEqual(upload.data, { file: "DOOM.ZIP", bytes: 2_400_000 });
    assert.ok(first.at instanceof Date && first.at <= door.at);
    assert.ok(upload.id > first.id);
    assert.deepEqual(await s.events.list(), [system, door, upload, first]);
    assert.deepEqual(await s.events.list({ limit: 2 }), [system, door]);
    assert.deepEqual(await s.events.list({ userId: alice.id }), [door, first]);
    assert.deepEqual(await s.events.list({ kind: "file.upload" }), [upload]);
    assert.deepEqual(
      await s.events.list({ kind: "door.run", userId: alice.id }),
      [door],
    );
    assert.deepEqual(
      await s.events.list({ kind: "door.run", userId: bob.id }),
      [],
    );
    // after and before are exclusive.
    assert.deepEqual(
      await s.events.list({ after: first.at, before: system.at }),
      [door, upload],
    );
    assert.deepEqual(await s.events.list({ before: first.at }), []);
    assert.equal(await s.events.count(), 4);
    assert.equal(await s.events.count({ userId: alice.id }), 2);
    assert.equal(await s.events.count({ kind: "login", userId: alice.id }), 1);
    assert.equal(await s.events.count({ after: upload.at }), 2);
    assert.equal(await s.events.count({ kind: "nothing" }), 0);
  },
);

testCase(
  "events.append() refuses a bad kind, bad data or a reference to nothing, writing nothing",
  async (s) => {
    for (
      const kind of [
        "",
        "Login",
        "file..upload",
        ".x",
        "x.",
        "1x",
        "file upload",
        "x".repeat(65),
      ]
    ) {
      await rejectsKind(s.events.append({ kind }), "validation", "kind");
      await rejectsKind(s.events.list({ kind }), "validation", "options.kind");
    }
    await s.events.append({ kind: `a.b_2.${"c".repeat(58)}` });
    await rejectsKind(
      s.events.append({ kind: "x", data: { at: new Date() } as never }),
      "validation",
      "data.at",
    );
    await rejectsKind(
      s.events.append({ kind: "x", data: "x".repeat(70_000) }),
      "validation",
      "data",
    );
    await rejectsKind(
      s.events.append({ kind: "x", userId: 999 }),
      "constraint",
      "userId",
    );
    await rejectsKind(
      s.events.append({ kind: "x", sessionId: 999 }),
      "constraint",
      "sessionId",
    );
    await rejectsKind(
      s.events.append({ kind: "x", extra: 1 } as never),
      "validation",
      "extra",
    );
    await rejectsKind(
      s.events.list({ limit: 0 }),
      "validation",
      "options.limit",
    );
    await rejectsKind(
      s.events.count({ after: new Date(NaN) }),
      "validation",
      "filter.after",
    );
    assert.equal(await s.events.count(), 1);
  },
);

testCase(
  "events.top() ranks users by a kind's events, ties by user id",
  async (s) => {
    const users = [];
    for (const name of ["Ann", "Ben", "Cat", "Dan"]) {
      users.push(await s.users.create({ username: name, passwordHash: "h" }));
    }
    const [ann, ben, cat, dan] = users.map((u) => u.id) as [
      number,
      number,
      number,
      number,
    ];
    const post = (userId: number | null) =>
      s.events.append({ kind: "message.post", userId });
    await post(cat);
    await post(ben);
    await post(dan);
    await post(null);
    await post(null);
    await post(null);
    await s.events.append({ kind: "login", userId: ann });
    await tick();
    const since = new Date();
    await tick();
    await post(cat);
    await post(ann);
    await post(ann);
    assert.deepEqual(
      await s.events.top({ kind: "message.post" }),
      [
        { userId: cat, count: 2 },
        { userId: ann, count: 2 },
        { userId: ben, count: 1 },
        { userId: dan, count: 1 },
      ].sort((a, b) => b.count - a.count || a.userId - b.userId),
    );
    assert.deepEqual(
      await s.events.top({ kind: "message.post", limit: 1 }),
      [{ userId: Math.min(ann, cat), count: 2 }],
    );
    assert.deepEqual(
      await s.events.top({ kind: "message.post", after: since }),
      [{ userId: ann, count: 2 }, { userId: cat, count: 1 }],
    );
    assert.deepEqual(await s.events.top({ kind: "login" }), [
      { userId: ann, count: 1 },
    ]);
    assert.deepEqual(await s.events.top({ kind: "file.upload" }), []);
    await rejectsKind(
      s.events.top({} as never),
      "validation",
      "options.kind",
    );
  },
);

testCase(
  "events.prune() removes events older than a time or beyond the newest few",
  async (s) => {
    const made = [];
    for (let i = 0; i < 6; i++) {
      made.push(await s.events.append({ kind: "tick", data: i }));
      await tick();
    }
    const ids = async () => (await s.events.list()).map((e) => e.data);
    await rejectsKind(s.events.prune({}), "validation", "options");
    await rejectsKind(
      s.events.prune({ keep: -1 }),
      "validation",
      "options.keep",
    );
    assert.equal(await s.events.count(), 6);
    // Older than the third event: the first two go.
    assert.equal(await s.events.prune({ olderThan: made[2]!.at }), 2);
    assert.deepEqual(await ids(), [5, 4, 3, 2]);
    // Both: only what is older and beyond the newest three.
    assert.equal(await s.events.prune({ olderThan: made[5]!.at, keep: 3 }), 1);
    assert.deepEqual(await ids(), [5, 4, 3]);
    assert.equal(await s.events.prune({ olderThan: made[4]!.at, keep: 1 }), 1);
    assert.deepEqual(await ids(), [5, 4]);
    assert.equal(await s.events.prune({ keep: 5 }), 0);
    assert.equal(await s.events.prune({ keep: 1 }), 1);
    assert.deepEqual(await ids(), [5]);
    assert.equal(await s.events.prune({ keep: 0 }), 1);
    assert.equal(await s.events.count(), 0);
    assert.equal(await s.events.prune({ keep: 0 }), 0);
  },
);

testCase(
  "events keep their rows when their user or session is deleted, without the reference",
  async (s) => {
    const { alice, bob, session, first, upload, door } = await eventBoard(s);
    await s.sessions.delete(session.id);
    assert.deepEqual(
      (await s.events.list({ userId: alice.id })).map((e) => e.sessionId),
      [null, null],
    );
    await s.users.delete(alice.id);
    assert.deepEqual(await s.events.list({ userId: alice.id }), []);
    const all = await s.events.list();
    assert.equal(all.length, 4);
    assert.deepEqual(
      all.filter((e) => e.id === first.id || e.id === door.id).map((e) => [
        e.userId,
        e.sessionId,
      ]),
      [[null, null], [null, null]],
    );
    assert.deepEqual(all.find((e) => e.id === upload.id), upload);
    assert.equal(await s.events.count({ userId: bob.id }), 1);
  },
);
