import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

testCase(
  "messageAreas.create() stores an area with defaults and unique tags",
  async (s) => {
    const general = await s.messageAreas.create({
      tag: "General",
      name: "General chat",
    });
    assert.equal(general.kind, "local");
    assert.equal(general.echoTag, null);
    assert.equal(general.lastMsgNum, 0);
    assert.equal(general.msgCount, 0);
    const echo = await s.messageAreas.create({
      tag: "FIDO.DOOM",
      name: "Doom echo",
      kind: "echomail",
      echoTag: "DOOM",
    });
    assert.equal(echo.kind, "echomail");
    assert.equal(echo.echoTag, "DOOM");
    assert.deepEqual(await s.messageAreas.get(general.id), general);
    assert.deepEqual(await s.messageAreas.list(), [general, echo]);
    await rejectsKind(
      s.messageAreas.create({ tag: "GENERAL", name: "Again" }),
      "conflict",
    );
    await rejectsKind(
      s.messageAreas.create({ tag: "ｇｅｎｅｒａｌ", name: "Again" }),
      "conflict",
    );
    await rejectsKind(
      s.messageAreas.create({ tag: "has space", name: "x" }),
      "validation",
      "tag",
    );
    await rejectsKind(
      s.messageAreas.create({ tag: "X", name: "x", kind: "bbs" as never }),
      "validation",
      "kind",
    );
    await rejectsKind(
      s.messageAreas.create({ tag: "X", name: "" }),
      "validation",
      "name",
    );
    assert.equal(await s.messageAreas.get(999), null);
    assert.equal((await s.messageAreas.list()).length, 2);
  },
);

testCase(
  "fileAreas.create() stores an area with a unique tag",
  async (s) => {
    const utils = await s.fileAreas.create({ tag: "UTILS", name: "Utilities" });
    assert.deepEqual(await s.fileAreas.get(utils.id), utils);
    assert.deepEqual(await s.fileAreas.list(), [utils]);
    await rejectsKind(
      s.fileAreas.create({ tag: "utils", name: "Again" }),
      "conflict",
    );
    await rejectsKind(
      s.fileAreas.create({ tag: "X", name: "x", kind: "local" } as never),
      "validation",
      "kind",
    );
  },
);

testCase("messages and files must name an existing area", async (s) => {
  const user = await s.users.create({ username: "u", passwordHash: "h" });
  await rejectsKind(
    s.messages.post({
      areaId: 42,
      fromUserId: user.id,
      subject: "s",
      body: "b",
    }),
    "constraint",
    "areaId",
  );
  await rejectsKind(
    s.files.add({ areaId: 42, filename: "a.zip", size: 1 }),
    "constraint",
    "areaId",
  );
  assert.equal((await s.users.get(user.id))!.stats.posts, 0);
});

testCase(
  "messages are numbered 1, 2, 3 … per area and numbers are never reused",
  async (s) => {
    const a = await s.messageAreas.create({ tag: "A", name: "A" });
    const b = await s.messageAreas.create({ tag: "B", name: "B" });
    const user = await s.users.create({ username: "u", passwordHash: "h" });
    const post = (areaId: number) =>
      s.messages.post({ areaId, fromUserId: user.id, subject: "s", body: "b" });
    assert.deepEqual([
      (await post(a.id)).msgNum,
      (await post(a.id)).msgNum,
      (await post(b.id)).msgNum,
    ], [1, 2, 1]);
    const third = await post(a.id);
    assert.equal(third.msgNum, 3);
    await s.messages.delete(third.id);
    assert.equal((await post(a.id)).msgNum, 4);
    const area = (await s.messageAreas.get(a.id))!;
    assert.equal(area.lastMsgNum, 4);
    assert.equal(area.msgCount, 3);
    const numbers = await Promise.all(
      Array.from({ length: 50 }, () => post(b.id)),
    );
    assert.deepEqual(
      numbers.map((m) => m.msgNum).sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i + 2),
    );
    const page = await s.messages.list(b.id, { afterNum: 10, limit: 5 });
    assert.deepEqual(page.map((m) => m.msgNum), [11, 12, 13, 14, 15]);
    await rejectsKind(s.messages.delete(third.id), "not_found");
  },
);

testCase(
  "reading.markRead() moves forward only; reading.readNext() never moves the pointer",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const user = await s.users.create({
      username: "reader",
      passwordHash: "h",
    });
    const writer = await s.users.create({
      username: "writer",
      passwordHash: "h",
    });
    for (let i = 0; i < 10; i++) {
      await s.messages.post({
        areaId: area.id,
        fromUserId: writer.id,
        subject: `#${i + 1}`,
        body: "",
      });
    }
    assert.deepEqual(
      (await s.reading.readNext(user.id, area.id, { limit: 3 })).map((m) =>
        m.msgNum
      ),
      [1, 2, 3],
    );
    assert.deepEqual(
      (await s.reading.readNext(user.id, area.id, { limit: 3 })).map((m) =>
        m.msgNum
      ),
      [1, 2, 3],
    );
    assert.equal(await s.reading.markRead(user.id, area.id, 4), 4);
    assert.equal(await s.reading.markRead(user.id, area.id, 2), 4);
    assert.deepEqual(
      (await s.reading.readNext(user.id, area.id, { limit: 2 })).map((m) =>
        m.msgNum
      ),
      [5, 6],
    );
    assert.equal(
      await s.reading.markRead(user.id, area.id, 99),
      10,
      "clamped to the high-water mark",
    );
    assert.deepEqual(await s.reading.readNext(user.id, area.id), []);
    await rejectsKind(s.reading.markRead(user.id, 999, 1), "not_found");
    await rejectsKind(s.reading.markRead(999, area.id, 1), "not_found");
    // A reader who does not exist is not_found, as in newScan, not everything unread (the
    // outside attack's repro: readNext(999, …) returned the area's messages).
    await rejectsKind(s.reading.readNext(999, area.id), "not_found");
    const deleted = await s.users.create({
      username: "Gone",
      passwordHash: "h",
    });
    await s.users.delete(deleted.id);
    await rejectsKind(s.reading.readNext(deleted.id, area.id), "not_found");
    await rejectsKind(
      s.reading.markRead(user.id, area.id, -1),
      "validation",
      "msgNum",
    );
  },
);

testCase(
  "reading.newScan() lists areas above the pointer with unread counts",
  async (s) => {
    const a = await s.messageAreas.create({ tag: "A", name: "A" });
    const b = await s.messageAreas.create({ tag: "B", name: "B" });
    await s.messageAreas.create({ tag: "EMPTY", name: "Empty" });
    const mail = await s.messageAreas.create({
      tag: "MAIL",
      name: "Mail",
      kind: "private",
    });
    const user = await s.users.create({
      username: "reader",
      passwordHash: "h",
    });
    const other = await s.users.create({
      username: "other",
      passwordHash: "h",
    });
    for (let i = 0; i < 5; i++) {
      await s.messages.post({
        areaId: a.id,
        fromUserId: other.id,
        subject: "s",
        body: "",
      });
    }
    for (let i = 0; i < 2; i++) {
      await s.messages.post({
        areaId: b.id,
        fromUserId: other.id,
        subject: "s",
        body: "",
      });
    }
    await s.messages.post({
      areaId: mail.id,
      fromUserId: other.id,
      toUserId: user.id,
      subject: "s",
      body: "",
    });
    let scan = await s.reading.newScan(user.id);
    assert.deepEqual(scan.map((e) => [e.area.tag, e.unread, e.lastRead]), [[
      "A",
      5,
      0,
    ], ["B", 2, 0]]);
    await s.reading.markRead(user.id, a.id, 3);
    await s.reading.markRead(user.id, b.id, 2);
    scan = await s.reading.newScan(user.id);
    assert.deepEqual(scan.map((e) => [e.area.tag, e.unread, e.lastRead]), [[
      "A",
      2,
      3,
    ]]);
    assert.equal(scan[0]!.area.lastMsgNum, 5);
    await rejectsKind(s.reading.newScan(4242), "not_found");
    await s.users.delete(user.id);
    // other wrote every message, so posting moved their pointers and their own are left out.
    assert.deepEqual(await s.reading.newScan(other.id), []);
    await s.reading.setPointer(other.id, a.id, 0);
    await s.reading.setPointer(other.id, b.id, 0);
    assert.equal(
      (await s.reading.newScan(other.id, { includeOwn: true })).length,
      2,
    );
  },
);
