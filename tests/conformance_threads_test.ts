import assert from "node:assert/strict";
import { conformance } from "./_targets.ts";
import { rejectsKind } from "./_assert.ts";
import type { StorageOps } from "../mod.ts";

async function setup(s: StorageOps) {
  const area = await s.createMessageArea({
    tag: "ECHO",
    name: "Echo",
    kind: "echomail",
    echoTag: "ECHO",
  });
  const user = await s.createUser({ username: "Sysop", passwordHash: "h" });
  return { area, user };
}

conformance(
  "names default to the users' names and are kept exactly as given",
  async (s) => {
    const { area, user } = await setup(s);
    const to = await s.createUser({ username: "Reader", passwordHash: "h" });
    const local = await s.postMessage({
      areaId: area.id,
      fromUserId: user.id,
      toUserId: to.id,
      subject: "s",
      body: "",
    });
    assert.equal(local.fromName, "Sysop");
    assert.equal(local.toName, "Reader");
    const all = await s.postMessage({
      areaId: area.id,
      fromUserId: user.id,
      subject: "s",
      body: "",
    });
    assert.equal(all.toName, "All");
    const remote = await s.postMessage({
      areaId: area.id,
      fromName: "  Joe Q. Random  ",
      toName: "sysop",
      subject: "s",
      body: "",
    });
    assert.equal(remote.fromUserId, null);
    assert.equal(remote.fromName, "  Joe Q. Random  ");
    assert.equal(remote.toName, "sysop");
    assert.equal((await s.getUser(user.id))!.stats.posts, 2);
    await rejectsKind(
      s.postMessage({ areaId: area.id, subject: "s", body: "" }),
      "validation",
      "fromUserId",
    );
    await rejectsKind(
      s.postMessage({
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

conformance(
  "getThread() lists the root first, then every reply in posting order",
  async (s) => {
    const { area, user } = await setup(s);
    const post = (parentId: number | null, subject: string) =>
      s.postMessage({
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
    assert.deepEqual((await s.getThread(root.id)).map((m) => m.subject), [
      "root",
      "r1",
      "r2",
      "r3",
    ]);
    assert.deepEqual((await s.getThread(r2.id)).map((m) => m.subject), [
      "root",
      "r1",
      "r2",
      "r3",
    ]);
    assert.deepEqual((await s.getThread(other.id)).map((m) => m.id), [
      other.id,
    ]);
    assert.deepEqual(await s.getThread(9999), []);
    await s.deleteMessage(r1.id);
    assert.equal((await s.getMessage(r2.id))!.parentId, null);
    assert.deepEqual((await s.getThread(root.id)).map((m) => m.subject), [
      "root",
      "r2",
      "r3",
    ]);
    void r3;
  },
);

conformance("listMailFor() lists messages addressed to a user", async (s) => {
  const { area, user } = await setup(s);
  const mail = await s.createMessageArea({
    tag: "MAIL",
    name: "Mail",
    kind: "private",
  });
  const bob = await s.createUser({ username: "bob", passwordHash: "h" });
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) {
    const m = await s.postMessage({
      areaId: i % 2 ? mail.id : area.id,
      fromUserId: user.id,
      toUserId: i % 3 === 2 ? user.id : bob.id,
      subject: `${i}`,
      body: "",
    });
    if (i % 3 !== 2) ids.push(m.id);
  }
  assert.deepEqual((await s.listMailFor(bob.id)).map((m) => m.id), ids);
  assert.deepEqual(
    (await s.listMailFor(bob.id, { after: ids[1]!, limit: 1 })).map((m) =>
      m.id
    ),
    [ids[2]],
  );
  assert.deepEqual(await s.listMailFor(4242), []);
});

conformance(
  "FidoNet MSGIDs are unique per area and kludges round-trip exactly",
  async (s) => {
    const { area } = await setup(s);
    const other = await s.createMessageArea({ tag: "OTHER", name: "Other" });
    const kludges = [
      { name: "MSGID", value: "2:280/464 5c3b1e2a" },
      { name: "PID", value: "Impulse 7.1" },
      { name: "TZUTC", value: "0100" },
      { name: "SEEN-BY", value: "280/464 465 5020/1042" },
      { name: "SEEN-BY", value: "280/1 2" },
      { name: "PATH", value: "280/464 5020/1042" },
      { name: "Via", value: "  spaced \x1b[0m value  " },
    ];
    const m = await s.postMessage({
      areaId: area.id,
      fromName: "Remote",
      subject: "s",
      body: "b",
      ftnMsgid: "2:280/464 5c3b1e2a",
      kludges,
    });
    assert.deepEqual(m.kludges, kludges);
    assert.deepEqual((await s.getMessage(m.id))!.kludges, kludges);
    assert.deepEqual(
      await s.findMessageByMsgid(area.id, "2:280/464 5c3b1e2a"),
      m,
    );
    assert.equal(
      await s.findMessageByMsgid(other.id, "2:280/464 5c3b1e2a"),
      null,
    );
    await rejectsKind(
      s.postMessage({
        areaId: area.id,
        fromName: "R",
        subject: "dup",
        body: "",
        ftnMsgid: "2:280/464 5c3b1e2a",
      }),
      "conflict",
      "ftnMsgid",
    );
    const elsewhere = await s.postMessage({
      areaId: other.id,
      fromName: "R",
      subject: "same id, other area",
      body: "",
      ftnMsgid: "2:280/464 5c3b1e2a",
    });
    assert.equal(elsewhere.msgNum, 1);
    assert.equal((await s.getMessageArea(area.id))!.msgCount, 1);
    await rejectsKind(
      s.postMessage({
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

conformance(
  "ftnReply links to a known parent and a late parent adopts its replies",
  async (s) => {
    const { area } = await setup(s);
    const post = (
      subject: string,
      ftnMsgid: string | null,
      ftnReply: string | null,
    ) =>
      s.postMessage({
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
    assert.equal((await s.getMessage(early.id))!.parentId, root.id);
    assert.equal((await s.getMessage(earlyChild.id))!.threadRootId, root.id);
    assert.deepEqual((await s.getThread(root.id)).map((m) => m.subject), [
      "root",
      "re: root",
      "re: re: root",
    ]);
    const late = await post("late reply", "1:1/1 d", "1:1/1 a");
    assert.equal(late.parentId, root.id);
    assert.equal(late.threadRootId, root.id);
  },
);

conformance("a reply link that would close a cycle is not made", async (s) => {
  const { area } = await setup(s);
  const x = await s.postMessage({
    areaId: area.id,
    fromName: "R",
    subject: "x",
    body: "",
    ftnMsgid: "1:1/1 x",
    ftnReply: "1:1/1 y",
  });
  const y = await s.postMessage({
    areaId: area.id,
    fromName: "R",
    subject: "y",
    body: "",
    ftnMsgid: "1:1/1 y",
    ftnReply: "1:1/1 x",
  });
  assert.equal(y.parentId, x.id);
  assert.equal(
    (await s.getMessage(x.id))!.parentId,
    null,
    "x is not adopted by its own reply",
  );
  assert.deepEqual((await s.getThread(x.id)).map((m) => m.subject), ["x", "y"]);
});

conformance("updateMessage() edits subject and body", async (s) => {
  const { area, user } = await setup(s);
  const m = await s.postMessage({
    areaId: area.id,
    fromUserId: user.id,
    subject: "typo",
    body: "old",
  });
  const edited = await s.updateMessage(m.id, { subject: "fixed" });
  assert.equal(edited.subject, "fixed");
  assert.equal(edited.body, "old");
  assert.equal((await s.updateMessage(m.id, { body: "new" })).body, "new");
  assert.deepEqual(await s.updateMessage(m.id, {}), await s.getMessage(m.id));
  await rejectsKind(s.updateMessage(999, { body: "x" }), "not_found");
  await rejectsKind(
    s.updateMessage(m.id, { areaId: 2 } as never),
    "validation",
    "areaId",
  );
});
