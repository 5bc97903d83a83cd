/**
 * The transaction handle under concurrent use (issue 10, item 1): operations called on one `tx`
 * without awaiting each other run one at a time in call order, and a failing one undoes only
 * itself.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Message, Storage } from "../../mod.ts";
import { assertCountersAgree, kindOf } from "./_counters.ts";
import { seedAreas } from "./_fixtures.ts";
import { testCase } from "./_case.ts";

for (const failFirst of [false, true]) {
  testCase(
    `two concurrent messages.post calls on one handle, one failing${
      failFirst ? " (called first)" : ""
    }: the acknowledged one is present and the counters agree`,
    async (s) => {
      await seedAreas(s, 1);
      const author = await s.users.create({
        username: "author",
        passwordHash: "h",
      });
      await s.messages.post({
        areaId: 1,
        fromUserId: author.id,
        subject: "first",
        body: "b",
        ftnMsgid: "1:2/3 0001",
      });
      const good = {
        areaId: 1,
        fromUserId: author.id,
        subject: "good",
        body: "b",
      };
      // Fails late, at the insert, after numbering the message in the area.
      const bad = { ...good, subject: "dup", ftnMsgid: "1:2/3 0001" };
      const outcomes = await s.transaction((tx) =>
        Promise.allSettled(
          failFirst
            ? [tx.messages.post(bad), tx.messages.post(good)]
            : [tx.messages.post(good), tx.messages.post(bad)],
        )
      );
      const [ok, failed] = failFirst
        ? [outcomes[1]!, outcomes[0]!]
        : [outcomes[0]!, outcomes[1]!];
      assert.equal(kindOf(failed), "conflict");
      assert.equal(ok.status, "fulfilled", kindOf(ok));
      const posted = ok.value;
      assert.deepEqual(await s.messages.get(posted.id), posted);
      assert.deepEqual(
        (await s.messages.list(1)).map((m) => m.subject),
        ["first", "good"],
      );
      assert.equal((await s.users.get(author.id))!.stats.posts, 2);
      await assertCountersAgree(s, [1]);
    },
  );
}

/** A small board: two users, a message with a FidoNet id, a file, a session on node 5. */
async function board(s: Storage) {
  await seedAreas(s, 2);
  const u1 = await s.users.create({ username: "one", passwordHash: "h" });
  const u2 = await s.users.create({ username: "two", passwordHash: "h" });
  await s.messages.post({
    areaId: 1,
    fromUserId: u1.id,
    subject: "seed",
    body: "b",
    ftnMsgid: "1:1/1 0001",
  });
  const file = await s.files.add({
    areaId: 1,
    filename: "A.ZIP",
    size: 100,
    uploaderId: u1.id,
  });
  await s.sessions.create({ userId: u2.id, ipAddress: "192.0.2.1", node: 5 });
  return { u1: u1.id, u2: u2.id, file: file.id };
}

testCase(
  "concurrent operations of many kinds on one handle, some failing: each failure undoes only itself",
  async (s) => {
    const b = await board(s);
    const post = (subject: string, extra: object = {}) => ({
      areaId: 1,
      fromUserId: b.u1,
      subject,
      body: "b",
      ...extra,
    });
    const missing = 999_999;
    const calls: [string, (tx: Storage) => Promise<unknown>][] = [
      ["ok", (tx) => tx.messages.post(post("p1"))],
      [
        "conflict",
        (tx) => tx.messages.post(post("dup", { ftnMsgid: "1:1/1 0001" })),
      ],
      [
        "ok",
        (tx) =>
          tx.files.add({
            areaId: 1,
            filename: "B.ZIP",
            size: 7,
            uploaderId: b.u1,
          }),
      ],
      ["ok", (tx) => tx.files.recordDownload(b.file, b.u2)],
      // Counts the file's download, then finds no user: both must be undone.
      ["not_found", (tx) => tx.files.recordDownload(b.file, missing)],
      [
        "constraint",
        (tx) => tx.messages.post(post("orphan", { parentId: missing })),
      ],
      [
        "conflict",
        (tx) =>
          tx.files.add({
            areaId: 1,
            filename: "a.zip",
            size: 9,
            uploaderId: b.u1,
          }),
      ],
      ["ok", (tx) => tx.messages.post(post("p2"))],
      ["ok", (tx) => tx.users.recordLogin(b.u1)],
      ["not_found", (tx) => tx.users.recordLogin(missing)],
      [
        "conflict",
        (tx) =>
          tx.sessions.create({ userId: b.u1, ipAddress: "192.0.2.2", node: 5 }),
      ],
      [
        "ok",
        (tx) =>
          tx.sessions.create({ userId: b.u1, ipAddress: "192.0.2.3", node: 6 }),
      ],
      ["constraint", (tx) => tx.users.incrementStats(b.u2, { logins: -1 })],
      ["ok", (tx) => tx.users.incrementStats(b.u2, { logins: 3 })],
      [
        "conflict",
        (tx) => tx.users.create({ username: "ONE", passwordHash: "h" }),
      ],
      ["ok", (tx) => tx.files.recordDownload(b.file, b.u2)],
      ["not_found", (tx) => tx.messages.delete(missing)],
      ["ok", (tx) => tx.messages.post(post("p3"))],
    ];
    const outcomes = await s.transaction((tx) =>
      Promise.allSettled(calls.map(([, call]) => call(tx as Storage)))
    );
    assert.deepEqual(outcomes.map(kindOf), calls.map(([kind]) => kind));
    const value = (i: number) =>
      (outcomes[i] as PromiseFulfilledResult<unknown>).value;
    for (const i of [0, 7, 17]) {
      const m = value(i) as Message;
      assert.deepEqual(await s.messages.get(m.id), m);
    }
    assert.deepEqual(
      (await s.messages.list(1)).map((m) => [m.subject, m.msgNum]),
      [["seed", 1], ["p1", 2], ["p2", 3], ["p3", 4]],
    );
    assert.deepEqual(
      (await s.files.list(1)).map((f) => [f.filename, f.downloads]).sort(),
      [["A.ZIP", 2], ["B.ZIP", 0]],
    );
    const [u1, u2] = [(await s.users.get(b.u1))!, (await s.users.get(b.u2))!];
    assert.equal(u1.stats.logins, 1);
    assert.deepEqual((await s.callers.recent()).map((c) => c.userId), [b.u1]);
    assert.deepEqual(
      [u2.stats.logins, u2.stats.downloads, u2.stats.downloadBytes],
      [3, 2, 200],
    );
    assert.deepEqual(
      (await s.sessions.listOnline()).map((o) => [o.username, o.node]).sort(),
      [["one", 6], ["two", 5]],
    );
    await assertCountersAgree(s, [1, 2]);
  },
);

testCase(
  "operations on one handle run one at a time in call order, each seeing the ones before",
  async (s) => {
    await seedAreas(s, 1);
    const user = await s.users.create({
      username: "before",
      passwordHash: "h",
    });
    const settled: number[] = [];
    const results = await s.transaction((tx) => {
      const calls: Promise<unknown>[] = [
        tx.messages.post({
          areaId: 1,
          fromUserId: user.id,
          subject: "a",
          body: "b",
        }),
        tx.messages.list(1),
        tx.users.update(user.id, { username: "after" }),
        tx.users.findByUsername("after"),
        tx.users.create({ username: "new", passwordHash: "h" }),
        tx.users.get(user.id),
        tx.messages.post({
          areaId: 1,
          fromUserId: user.id,
          subject: "c",
          body: "b",
        }),
        tx.messages.list(1),
        tx.users.findByUsername("new"),
      ];
      calls.forEach((call, i) => call.finally(() => settled.push(i)));
      return Promise.all(calls);
    });
    assert.deepEqual(settled, results.map((_, i) => i));
    const [a, afterA, , found, created, renamed, c, afterC, foundNew] =
      results as [
        Message,
        Message[],
        unknown,
        unknown,
        unknown,
        unknown,
        Message,
        Message[],
        unknown,
      ];
    assert.deepEqual(afterA.map((m) => m.id), [a.id]);
    assert.equal((found as { id: number })?.id, user.id);
    assert.equal((renamed as { username: string }).username, "after");
    assert.deepEqual(foundNew, created);
    assert.deepEqual([a.msgNum, c.msgNum], [1, 2]);
    assert.deepEqual(afterC.map((m) => m.subject), ["a", "c"]);
    assert.equal((await s.users.get(user.id))!.stats.posts, 2);
  },
);
