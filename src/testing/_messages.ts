import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { seedAreas } from "./_fixtures.ts";
import { rejectsKind } from "./_assert.ts";

testCase(
  "messages.post() stores the message and counts the author's post",
  async (s) => {
    await seedAreas(s);
    const author = await s.users.create({
      username: "author",
      passwordHash: "h",
    });
    const reader = await s.users.create({
      username: "reader",
      passwordHash: "h",
    });
    const body =
      "Line one\r\n\x03\x05colour\x1b[0m |07pipe |DT mci\n\tünïcødé 🚀";
    const root = await s.messages.post({
      areaId: 2,
      fromUserId: author.id,
      subject: "Hello",
      body,
    });
    assert.equal(root.areaId, 2);
    assert.equal(root.fromUserId, author.id);
    assert.equal(root.toUserId, null);
    assert.equal(root.parentId, null);
    assert.equal(root.body, body);
    assert.deepEqual(await s.messages.get(root.id), root);
    const reply = await s.messages.post({
      areaId: 2,
      fromUserId: reader.id,
      toUserId: author.id,
      subject: "Re: Hello",
      body: "hi",
      parentId: root.id,
    });
    assert.equal(reply.parentId, root.id);
    assert.equal(reply.toUserId, author.id);
    assert.equal((await s.users.get(author.id))!.stats.posts, 1);
    assert.equal((await s.users.get(reader.id))!.stats.posts, 1);
  },
);

testCase(
  "messages.post() refuses missing references and names the field",
  async (s) => {
    await seedAreas(s);
    const author = await s.users.create({
      username: "author",
      passwordHash: "h",
    });
    const base = { areaId: 1, subject: "s", body: "b" };
    await rejectsKind(
      s.messages.post({ ...base, fromUserId: 99 }),
      "constraint",
      "fromUserId",
    );
    await rejectsKind(
      s.messages.post({ ...base, fromUserId: author.id, toUserId: 99 }),
      "constraint",
      "toUserId",
    );
    await rejectsKind(
      s.messages.post({ ...base, fromUserId: author.id, parentId: 99 }),
      "constraint",
      "parentId",
    );
    assert.equal((await s.users.get(author.id))!.stats.posts, 0);
    assert.deepEqual(await s.messages.list(1), []);
  },
);

testCase(
  "messages.post() validates its input and writes nothing on failure",
  async (s) => {
    await seedAreas(s);
    const author = await s.users.create({
      username: "author",
      passwordHash: "h",
    });
    const ok = { areaId: 1, fromUserId: author.id, subject: "s", body: "b" };
    const bad: Array<[unknown, string]> = [
      [{ ...ok, subject: "x".repeat(73) }, "subject"],
      [{ ...ok, subject: 5 }, "subject"],
      [{ ...ok, body: "a\0b" }, "body"],
      [{ ...ok, body: "\udc00" }, "body"],
      [{ ...ok, body: undefined }, "body"],
      [{ ...ok, areaId: "1" }, "areaId"],
      [{ ...ok, fromUserId: null }, "fromUserId"],
      [{ ...ok, parentId: 0 }, "parentId"],
      [{ ...ok, sender: "x" }, "sender"],
    ];
    for (const [input, field] of bad) {
      await rejectsKind(s.messages.post(input as never), "validation", field);
    }
    assert.equal(
      (await s.messages.post({ ...ok, subject: "x".repeat(72) })).subject
        .length,
      72,
    );
    assert.equal((await s.users.get(author.id))!.stats.posts, 1);
  },
);

testCase(
  "messages.list() lists by ascending id after a cursor",
  async (s) => {
    await seedAreas(s);
    const author = await s.users.create({
      username: "author",
      passwordHash: "h",
    });
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const areaId = i % 3 === 0 ? 5 : 6;
      const m = await s.messages.post({
        areaId,
        fromUserId: author.id,
        subject: `#${i}`,
        body: "",
      });
      if (areaId === 5) ids.push(m.id);
    }
    assert.deepEqual((await s.messages.list(5)).map((m) => m.id), ids);
    assert.deepEqual(
      (await s.messages.list(5, { after: ids[3]!, limit: 2 })).map((m) => m.id),
      ids.slice(4, 6),
    );
    assert.deepEqual(await s.messages.list(5, { after: ids.at(-1)! }), []);
    assert.deepEqual(await s.messages.list(404), []);
    await rejectsKind(
      s.messages.list(5, { after: -1 }),
      "validation",
      "options.after",
    );
    await rejectsKind(
      s.messages.list(5, { limit: 5000 }),
      "validation",
      "options.limit",
    );
    await rejectsKind(
      s.messages.list(5, null as never),
      "validation",
      "options",
    );
    assert.equal((await s.users.get(author.id))!.stats.posts, 30);
  },
);

testCase("dates round-trip with millisecond precision", async (s) => {
  await seedAreas(s);
  const user = await s.users.create({ username: "time", passwordHash: "h" });
  for (
    const when of [
      new Date(0),
      new Date(Date.UTC(1998, 7, 11, 21, 53, 42, 580)),
      new Date(-1),
    ]
  ) {
    const updated = await s.users.update(user.id, { lastLoginAt: when });
    assert.equal(updated.lastLoginAt?.getTime(), when.getTime());
    assert.equal(
      (await s.users.get(user.id))!.lastLoginAt?.getTime(),
      when.getTime(),
    );
  }
});
