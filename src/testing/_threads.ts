import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import type { Repositories } from "../../mod.ts";

async function setup(s: Repositories) {
  const area = await s.messageAreas.create({
    tag: "ECHO",
    name: "Echo",
    kind: "echomail",
    echoTag: "ECHO",
  });
  const user = await s.users.create({ username: "Sysop", passwordHash: "h" });
  return { area, user };
}

testCase(
  "names default to the users' names and are kept exactly as given",
  async (s) => {
    const { area, user } = await setup(s);
    const to = await s.users.create({ username: "Reader", passwordHash: "h" });
    const local = await s.messages.post({
      areaId: area.id,
      fromUserId: user.id,
      toUserId: to.id,
      subject: "s",
      body: "",
    });
    assert.equal(local.fromName, "Sysop");
    assert.equal(local.toName, "Reader");
    const all = await s.messages.post({
      areaId: area.id,
      fromUserId: user.id,
      subject: "s",
      body: "",
    });
    assert.equal(all.toName, "All");
    const remote = await s.messages.post({
      areaId: area.id,
      fromName: "  Joe Q. Random  ",
      toName: "sysop",
      subject: "s",
      body: "",
    });
    assert.equal(remote.fromUserId, null);
    assert.equal(remote.fromName, "  Joe Q. Random  ");
    assert.equal(remote.toName, "sysop");
    assert.equal((await s.users.get(user.id))!.stats.posts, 2);
    await rejectsKind(
      s.messages.post({ areaId: area.id, subject: "s", body: "" }),
      "validation",
      "fromUserId",
    );
    await rejectsKind(
      s.messages.post({
        areaId: area.id,
        fromName: "x".repeat(37),
        subject: "s",
        body: "",
      }),
      "validation",
      "fromName",
    );
  },
);

testCase(
  "messages.thread() lists the root first, then every reply in posting order",
  async (s) => {
    const { area, user } = await setup(s);
    const post = (parentId: number | null, subject: string) =>
      s.messages.post({
        areaId: area.id,
        fromUserId: user.id,
        parentId,
        subject,
        body: "",
      });
    const root = await post(null, "root");
    const r1 = await post(root.id, "r1");
    const other = await post(null, "other");
    const r2 = await post(r1.id, "r2");
    const r3 = await post(root.id, "r3");
    assert.equal(root.threadRootId, root.id);
    assert.equal(r2.threadRootId, root.id);
    assert.deepEqual((await s.messages.thread(root.id)).map((m) => m.subject), [
      "root",
      "r1",
      "r2",
      "r3",
    ]);
    assert.deepEqual((await s.messages.thread(r2.id)).map((m) => m.subject), [
      "root",
      "r1",
      "r2",
      "r3",
    ]);
    assert.deepEqual((await s.messages.thread(other.id)).map((m) => m.id), [
      other.id,
    ]);
    assert.deepEqual(await s.messages.thread(9999), []);
    await s.messages.delete(r1.id);
    assert.equal((await s.messages.get(r2.id))!.parentId, null);
    assert.deepEqual((await s.messages.thread(root.id)).map((m) => m.subject), [
      "root",
      "r2",
      "r3",
    ]);
    void r3;
  },
);

testCase("mail.listFor() lists messages addressed to a user", async (s) => {
  const { area, user } = await setup(s);
  const mail = await s.messageAreas.create({
    tag: "MAIL",
    name: "Mail",
    kind: "private",
  });
  const bob = await s.users.create({ username: "bob", passwordHash: "h" });
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) {
    const m = await s.messages.post({
      areaId: i % 2 ? mail.id : area.id,
      fromUserId: user.id,
      toUserId: i % 3 === 2 ? user.id : bob.id,
      subject: `${i}`,
      body: "",
    });
    if (i % 3 !== 2) ids.push(m.id);
  }
  assert.deepEqual((await s.mail.listFor(bob.id)).map((m) => m.id), ids);
  assert.deepEqual(
    (await s.mail.listFor(bob.id, { after: ids[1]!, limit: 1 })).map((m) =>
      m.id
    ),
    [ids[2]],
  );
  assert.deepEqual(await s.mail.listFor(4242), []);
});

testCase(
  "FidoNet MSGIDs are unique per area and kludges round-trip exactly",
  async (s) => {
    const { area } = await setup(s);
    const other = await s.messageAreas.create({ tag: "OTHER", name: "Other" });
    const kludges = [
      { name: "MSGID", value: "2:280/464 5c3b1e2a" },
      { name: "PID", value: "Impulse 7.1" },
      { name: "TZUTC", value: "0100" },
      { name: "SEEN-BY", value: "280/464 465 5020/1042" },
      { name: "SEEN-BY", value: "280/1 2" },
      { name: "PATH", value: "280/464 5020/1042" },
      { name: "Via", value: "  spaced \x1b[0m value  " },
    ];
    const m = await s.messages.post({
      areaId: area.id,
      fromName: "Remote",
      subject: "s",
      body: "b",
      ftnMsgid: "2:280/464 5c3b1e2a",
      kludges,
    });
    assert.deepEqual(m.kludges, kludges);
    assert.deepEqual((await s.messages.get(m.id))!.kludges, kludges);
    assert.deepEqual(
      await s.messages.findByMsgid(area.id, "2:280/464 5c3b1e2a"),
      m,
    );
    assert.equal(
      await s.messages.findByMsgid(other.id, "2:280/464 5c3b1e2a"),
      null,
    );
    await rejectsKind(
      s.messages.post({
        areaId: area.id,
        fromName: "R",
        subject: "dup",
        body: "",
        ftnMsgid: "2:280/464 5c3b1e2a",
      }),
      "conflict",
      "ftnMsgid",
    );
    const elsewhere = await s.messages.post({
      areaId: other.id,
      fromName: "R",
      subject: "same id, other area",
      body: "",
      ftnMsgid: "2:280/464 5c3b1e2a",
    });
    assert.equal(elsewhere.msgNum, 1);
    assert.equal((await s.messageAreas.get(area.id))!.msgCount, 1);
    await rejectsKind(
      s.messages.post({
        areaId: area.id,
        fromName: "R",
        subject: "",
        body: "",
        kludges: [{ name: "X" }] as never,
      }),
      "validation",
      "kludges.0.value",
    );
  },
);

testCase(
  "ftnReply links to a known parent and a late parent adopts its replies",
  async (s) => {
    const { area } = await setup(s);
    const post = (
      subject: string,
      ftnMsgid: string | null,
      ftnReply: string | null,
    ) =>
      s.messages.post({
        areaId: area.id,
        fromName: "R",
        subject,
        body: "",
        ftnMsgid,
        ftnReply,
      });
    const early = await post("re: root", "1:1/1 b", "1:1/1 a");
    const earlyChild = await post("re: re: root", "1:1/1 c", "1:1/1 b");
    assert.equal(early.parentId, null);
    assert.equal(earlyChild.parentId, early.id);
    assert.equal(earlyChild.threadRootId, early.id);
    const root = await post("root", "1:1/1 a", null);
    assert.equal((await s.messages.get(early.id))!.parentId, root.id);
    assert.equal((await s.messages.get(earlyChild.id))!.threadRootId, root.id);
    assert.deepEqual((await s.messages.thread(root.id)).map((m) => m.subject), [
      "root",
      "re: root",
      "re: re: root",
    ]);
    const late = await post("late reply", "1:1/1 d", "1:1/1 a");
    assert.equal(late.parentId, root.id);
    assert.equal(late.threadRootId, root.id);
  },
);

testCase("a reply link that would close a cycle is not made", async (s) => {
  const { area } = await setup(s);
  const x = await s.messages.post({
    areaId: area.id,
    fromName: "R",
    subject: "x",
    body: "",
    ftnMsgid: "1:1/1 x",
    ftnReply: "1:1/1 y",
  });
  const y = await s.messages.post({
    areaId: area.id,
    fromName: "R",
    subject: "y",
    body: "",
    ftnMsgid: "1:1/1 y",
    ftnReply: "1:1/1 x",
  });
  assert.equal(y.parentId, x.id);
  assert.equal(
    (await s.messages.get(x.id))!.parentId,
    null,
    "x is not adopted by its own reply",
  );
  assert.deepEqual((await s.messages.thread(x.id)).map((m) => m.subject), [
    "x",
    "y",
  ]);
});

testCase("messages.update() edits subject and body", async (s) => {
  const { area, user } = await setup(s);
  const m = await s.messages.post({
    areaId: area.id,
    fromUserId: user.id,
    subject: "typo",
    body: "old",
  });
  const edited = await s.messages.update(m.id, { subject: "fixed" });
  assert.equal(edited.subject, "fixed");
  assert.equal(edited.body, "old");
  assert.equal((await s.messages.update(m.id, { body: "new" })).body, "new");
  assert.deepEqual(
    await s.messages.update(m.id, {}),
    await s.messages.get(m.id),
  );
  await rejectsKind(s.messages.update(999, { body: "x" }), "not_found");
  await rejectsKind(
    s.messages.update(m.id, { areaId: 2 } as never),
    "validation",
    "areaId",
  );
});
