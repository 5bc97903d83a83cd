import assert from "node:assert/strict";
import { conformance } from "./_targets.ts";
import { rejectsKind } from "./_assert.ts";

conformance(
  "createMessageArea() stores an area with defaults and unique tags",
  async (s) => {
    const general = await s.createMessageArea({
      tag: "General",
      name: "General chat",
    });
    assert.equal(general.kind, "local");
    assert.equal(general.echoTag, null);
    assert.equal(general.lastMsgNum, 0);
    assert.equal(general.msgCount, 0);
    const echo = await s.createMessageArea({
      tag: "FIDO.DOOM",
      name: "Doom echo",
      kind: "echomail",
      echoTag: "DOOM",
    });
    assert.equal(echo.kind, "echomail");
    assert.equal(echo.echoTag, "DOOM");
    assert.deepEqual(await s.getMessageArea(general.id), general);
    assert.deepEqual(await s.listMessageAreas(), [general, echo]);
    await rejectsKind(
      s.createMessageArea({ tag: "GENERAL", name: "Again" }),
      "conflict",
    );
    await rejectsKind(
      s.createMessageArea({ tag: "ｇｅｎｅｒａｌ", name: "Again" }),
      "conflict",
    );
    await rejectsKind(
      s.createMessageArea({ tag: "has space", name: "x" }),
      "validation",
      "tag",
    );
    await rejectsKind(
      s.createMessageArea({ tag: "X", name: "x", kind: "bbs" as never }),
      "validation",
      "kind",
    );
    await rejectsKind(
      s.createMessageArea({ tag: "X", name: "" }),
      "validation",
      "name",
    );
    assert.equal(await s.getMessageArea(999), null);
    assert.equal((await s.listMessageAreas()).length, 2);
  },
);

conformance("createFileArea() stores an area with a unique tag", async (s) => {
  const utils = await s.createFileArea({ tag: "UTILS", name: "Utilities" });
  assert.deepEqual(await s.getFileArea(utils.id), utils);
  assert.deepEqual(await s.listFileAreas(), [utils]);
  await rejectsKind(
    s.createFileArea({ tag: "utils", name: "Again" }),
    "conflict",
  );
  await rejectsKind(
    s.createFileArea({ tag: "X", name: "x", kind: "local" } as never),
    "validation",
    "kind",
  );
});

conformance("messages and files must name an existing area", async (s) => {
  const user = await s.createUser({ username: "u", passwordHash: "h" });
  await rejectsKind(
    s.postMessage({ areaId: 42, fromUserId: user.id, subject: "s", body: "b" }),
    "constraint",
    "areaId",
  );
  await rejectsKind(
    s.addFile({ areaId: 42, filename: "a.zip", size: 1 }),
    "constraint",
    "areaId",
  );
  assert.equal((await s.getUser(user.id))!.stats.posts, 0);
});

conformance(
  "messages are numbered 1, 2, 3 … per area and numbers are never reused",
  async (s) => {
    const a = await s.createMessageArea({ tag: "A", name: "A" });
    const b = await s.createMessageArea({ tag: "B", name: "B" });
    const user = await s.createUser({ username: "u", passwordHash: "h" });
    const post = (areaId: number) =>
      s.postMessage({ areaId, fromUserId: user.id, subject: "s", body: "b" });
    assert.deepEqual([
      (await post(a.id)).msgNum,
      (await post(a.id)).msgNum,
      (await post(b.id)).msgNum,
    ], [1, 2, 1]);
    const third = await post(a.id);
    assert.equal(third.msgNum, 3);
    await s.deleteMessage(third.id);
    assert.equal((await post(a.id)).msgNum, 4);
    const area = (await s.getMessageArea(a.id))!;
    assert.equal(area.lastMsgNum, 4);
    assert.equal(area.msgCount, 3);
    const numbers = await Promise.all(
      Array.from({ length: 50 }, () => post(b.id)),
    );
    assert.deepEqual(
      numbers.map((m) => m.msgNum).sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i + 2),
    );
    const page = await s.listMessages(b.id, { afterNum: 10, limit: 5 });
    assert.deepEqual(page.map((m) => m.msgNum), [11, 12, 13, 14, 15]);
    await rejectsKind(s.deleteMessage(third.id), "not_found");
  },
);

conformance(
  "markRead() moves forward only; readNext() never moves the pointer",
  async (s) => {
    const area = await s.createMessageArea({ tag: "A", name: "A" });
    const user = await s.createUser({ username: "reader", passwordHash: "h" });
    for (let i = 0; i < 10; i++) {
      await s.postMessage({
        areaId: area.id,
        fromUserId: user.id,
        subject: `#${i + 1}`,
        body: "",
      });
    }
    assert.deepEqual(
      (await s.readNext(user.id, area.id, { limit: 3 })).map((m) => m.msgNum),
      [1, 2, 3],
    );
    assert.deepEqual(
      (await s.readNext(user.id, area.id, { limit: 3 })).map((m) => m.msgNum),
      [1, 2, 3],
    );
    assert.equal(await s.markRead(user.id, area.id, 4), 4);
    assert.equal(await s.markRead(user.id, area.id, 2), 4);
    assert.deepEqual(
      (await s.readNext(user.id, area.id, { limit: 2 })).map((m) => m.msgNum),
      [5, 6],
    );
    assert.equal(
      await s.markRead(user.id, area.id, 99),
      10,
      "clamped to the high-water mark",
    );
    assert.deepEqual(await s.readNext(user.id, area.id), []);
    await rejectsKind(s.markRead(user.id, 999, 1), "not_found");
    await rejectsKind(s.markRead(999, area.id, 1), "not_found");
    await rejectsKind(s.markRead(user.id, area.id, -1), "validation", "msgNum");
  },
);

conformance(
  "newScan() lists areas above the pointer with unread counts",
  async (s) => {
    const a = await s.createMessageArea({ tag: "A", name: "A" });
    const b = await s.createMessageArea({ tag: "B", name: "B" });
    await s.createMessageArea({ tag: "EMPTY", name: "Empty" });
    const mail = await s.createMessageArea({
      tag: "MAIL",
      name: "Mail",
      kind: "private",
    });
    const user = await s.createUser({ username: "reader", passwordHash: "h" });
    const other = await s.createUser({ username: "other", passwordHash: "h" });
    for (let i = 0; i < 5; i++) {
      await s.postMessage({
        areaId: a.id,
        fromUserId: other.id,
        subject: "s",
        body: "",
      });
    }
    for (let i = 0; i < 2; i++) {
      await s.postMessage({
        areaId: b.id,
        fromUserId: other.id,
        subject: "s",
        body: "",
      });
    }
    await s.postMessage({
      areaId: mail.id,
      fromUserId: other.id,
      toUserId: user.id,
      subject: "s",
      body: "",
    });
    let scan = await s.newScan(user.id);
    assert.deepEqual(scan.map((e) => [e.area.tag, e.unread, e.lastRead]), [[
      "A",
      5,
      0,
    ], ["B", 2, 0]]);
    await s.markRead(user.id, a.id, 3);
    await s.markRead(user.id, b.id, 2);
    scan = await s.newScan(user.id);
    assert.deepEqual(scan.map((e) => [e.area.tag, e.unread, e.lastRead]), [[
      "A",
      2,
      3,
    ]]);
    assert.equal(scan[0]!.area.lastMsgNum, 5);
    await rejectsKind(s.newScan(4242), "not_found");
    await s.deleteUser(user.id);
    assert.equal((await s.newScan(other.id)).length, 2);
  },
);
