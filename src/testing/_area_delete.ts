/**
 * Deleting areas (issue 12, item 2): refused while they hold messages or files, or moving them
 * into another area: renumbering, read pointers, clashes, and posts racing the delete.
 *
 * @module
 */
import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

testCase(
  "messageAreas.delete() refuses an area with messages unless they move",
  async (s) => {
    const u = await s.users.create({ username: "poster", passwordHash: "h" });
    const a = await s.messageAreas.create({ tag: "A", name: "A" });
    const empty = await s.messageAreas.create({ tag: "E", name: "E" });
    await s.messages.post({
      areaId: a.id,
      fromUserId: u.id,
      subject: "s",
      body: "b",
    });
    const error = await rejectsKind(s.messageAreas.delete(a.id), "conflict");
    assert.match(error.message, /holds 1 messages/);
    await s.messageAreas.delete(empty.id);
    assert.equal(await s.messageAreas.get(empty.id), null);
    await rejectsKind(s.messageAreas.delete(empty.id), "not_found");
    await rejectsKind(
      s.messageAreas.delete(a.id, { moveTo: a.id }),
      "validation",
      "options.moveTo",
    );
    await rejectsKind(
      s.messageAreas.delete(a.id, { moveTo: 999 }),
      "constraint",
      "options.moveTo",
    );
    await rejectsKind(
      s.messageAreas.delete(a.id, { moveTo: 0 }),
      "validation",
      "options.moveTo",
    );
    await rejectsKind(
      s.messageAreas.delete(a.id, { move: 2 } as never),
      "validation",
      "options.move",
    );
    const mail = await s.messageAreas.create({
      tag: "MAIL",
      name: "Mail",
      kind: "private",
    });
    await rejectsKind(
      s.messageAreas.delete(a.id, { moveTo: mail.id }),
      "conflict",
      "options.moveTo",
    );
    assert.equal((await s.messageAreas.get(a.id))?.msgCount, 1);
  },
);

testCase(
  "messageAreas.delete() with moveTo renumbers the messages after the target's and carries pointers",
  async (s) => {
    const [u1, u2, u3] = [
      await s.users.create({ username: "one", passwordHash: "h" }),
      await s.users.create({ username: "two", passwordHash: "h" }),
      await s.users.create({ username: "three", passwordHash: "h" }),
    ];
    const from = await s.messageAreas.create({ tag: "FROM", name: "From" });
    const to = await s.messageAreas.create({ tag: "TO", name: "To" });
    const post = (areaId: number, subject: string, parentId?: number) =>
      s.messages.post({
        areaId,
        fromUserId: u1.id,
        subject,
        body: "b",
        parentId: parentId ?? null,
      });
    const t1 = await post(to.id, "t1");
    await post(to.id, "t2");
    const gone = await post(to.id, "t3");
    await s.messages.delete(gone.id); // the target's high-water mark is 3, its count 2
    const f1 = await post(from.id, "f1");
    const f2 = await post(from.id, "f2", f1.id);
    const f3 = await post(from.id, "f3");
    await s.messages.delete(f2.id);
    const f4 = await post(from.id, "f4", f1.id); // numbers 1, 3, 4 become 4, 5, 6
    // u1 read the target to its end and the source to 1; u2 has unread target messages and
    // read all of the source; u3 has no target pointer and read the source to 3.
    // (u1 wrote every message, so posting moved u1's pointers; set them as the case needs.)
    await s.reading.setPointer(u1.id, to.id, 3);
    await s.reading.setPointer(u1.id, from.id, 1);
    await s.reading.markRead(u2.id, to.id, 1);
    await s.reading.markRead(u2.id, from.id, 4);
    await s.reading.markRead(u3.id, from.id, 3);
    await s.messageAreas.delete(from.id, { moveTo: to.id });
    assert.equal(await s.messageAreas.get(from.id), null);
    const target = (await s.messageAreas.get(to.id))!;
    assert.equal(target.lastMsgNum, 6);
    assert.equal(target.msgCount, 5);
    const listed = await s.messages.list(to.id);
    assert.deepEqual(
      listed.map((m) => [m.subject, m.msgNum]),
      [["t1", 1], ["t2", 2], ["f1", 4], ["f3", 5], ["f4", 6]],
    );
    assert.equal((await s.messages.get(f3.id))?.areaId, to.id);
    // Threads keep their links.
    assert.equal((await s.messages.get(f4.id))?.parentId, f1.id);
    assert.equal((await s.messages.get(t1.id))?.msgNum, 1);
    const scan = (userId: number) => s.reading.pointer(userId, to.id);
    assert.equal(await scan(u1.id), 4, "carried: f1 (now 4) was read");
    assert.equal(await scan(u2.id), 1, "kept: t2 is still unread");
    assert.equal(await scan(u3.id), 0, "no pointer: the target had messages");
    // Posting continues after the moved messages.
    assert.equal((await post(to.id, "next")).msgNum, 7);
  },
);

testCase(
  "messageAreas.delete() into an area that never held a message carries every pointer",
  async (s) => {
    const u = await s.users.create({ username: "reader", passwordHash: "h" });
    const from = await s.messageAreas.create({ tag: "FROM", name: "From" });
    const to = await s.messageAreas.create({ tag: "TO", name: "To" });
    for (const subject of ["a", "b", "c"]) {
      // By no user: a reader's own messages are left out of the new-scan.
      await s.messages.post({
        areaId: from.id,
        fromName: "Writer",
        subject,
        body: "b",
      });
    }
    await s.reading.markRead(u.id, from.id, 2);
    await s.messageAreas.delete(from.id, { moveTo: to.id });
    const [entry] = await s.reading.newScan(u.id);
    assert.equal(entry?.area.id, to.id);
    assert.equal(entry?.lastRead, 2);
    assert.equal(entry?.unread, 1);
    assert.deepEqual(
      (await s.reading.readNext(u.id, to.id)).map((m) => m.subject),
      ["c"],
    );
  },
);

testCase(
  "messageAreas.delete() refuses a move that would repeat a FidoNet MSGID",
  async (s) => {
    const a = await s.messageAreas.create({
      tag: "A",
      name: "A",
      kind: "echomail",
    });
    const b = await s.messageAreas.create({
      tag: "B",
      name: "B",
      kind: "echomail",
    });
    for (const areaId of [a.id, b.id]) {
      await s.messages.post({
        areaId,
        fromName: "Remote",
        subject: "s",
        body: "b",
        ftnMsgid: "2:280/464 1",
      });
    }
    const error = await rejectsKind(
      s.messageAreas.delete(a.id, { moveTo: b.id }),
      "conflict",
      "options.moveTo",
    );
    assert.match(error.message, /2:280\/464 1/);
    assert.equal((await s.messageAreas.get(a.id))?.msgCount, 1);
    assert.equal((await s.messageAreas.get(b.id))?.msgCount, 1);
  },
);

testCase(
  "fileAreas.delete() refuses an area with files unless they move, and clashing names",
  async (s) => {
    const a = await s.fileAreas.create({ tag: "A", name: "A" });
    const b = await s.fileAreas.create({ tag: "B", name: "B" });
    const c = await s.fileAreas.create({ tag: "C", name: "C" });
    const doom = await s.files.add({
      areaId: a.id,
      filename: "DOOM.ZIP",
      size: 1,
    });
    await s.files.add({ areaId: a.id, filename: "QUAKE.ZIP", size: 2 });
    await s.files.add({ areaId: c.id, filename: "doom.zip", size: 3 });
    const error = await rejectsKind(s.fileAreas.delete(a.id), "conflict");
    assert.match(error.message, /holds 2 files/);
    await rejectsKind(
      s.fileAreas.delete(a.id, { moveTo: c.id }),
      "conflict",
      "options.moveTo",
    );
    await rejectsKind(
      s.fileAreas.delete(a.id, { moveTo: 404 }),
      "constraint",
      "options.moveTo",
    );
    assert.equal((await s.files.list(a.id)).length, 2);
    await s.fileAreas.delete(a.id, { moveTo: b.id });
    assert.equal(await s.fileAreas.get(a.id), null);
    assert.equal((await s.files.get(doom.id))?.areaId, b.id);
    assert.deepEqual(
      (await s.files.list(b.id)).map((f) => f.filename).sort(),
      ["DOOM.ZIP", "QUAKE.ZIP"],
    );
    await rejectsKind(s.fileAreas.delete(a.id), "not_found");
    const none = await s.fileAreas.create({ tag: "NONE", name: "None" });
    await s.fileAreas.delete(none.id, { moveTo: b.id });
    assert.deepEqual((await s.fileAreas.list()).map((x) => x.tag), ["B", "C"]);
  },
);

testCase(
  "messageAreas.delete() with moveTo while posts go into the area: no message is lost",
  async (s) => {
    const u = await s.users.create({ username: "poster", passwordHash: "h" });
    const from = await s.messageAreas.create({ tag: "FROM", name: "From" });
    const to = await s.messageAreas.create({ tag: "TO", name: "To" });
    await s.messages.post({
      areaId: to.id,
      fromUserId: u.id,
      subject: "t",
      body: "b",
    });
    const posts = Array.from({ length: 20 }, (_, i) =>
      s.messages.post({
        areaId: from.id,
        fromUserId: u.id,
        subject: `p${i}`,
        body: "b",
      }));
    const deleted = s.messageAreas.delete(from.id, { moveTo: to.id });
    const [deletion, ...results] = await Promise.allSettled([
      deleted,
      ...posts,
    ]);
    if (deletion!.status === "rejected") throw deletion!.reason;
    const posted = results.filter((r) => r.status === "fulfilled").length;
    for (const r of results) {
      if (r.status === "rejected") {
        assert.equal(r.reason.kind, "constraint", String(r.reason));
      }
    }
    const listed = await s.messages.list(to.id, { limit: 1000 });
    assert.equal(listed.length, posted + 1);
    assert.deepEqual(
      listed.map((m) => m.msgNum),
      listed.map((_, i) => i + 1),
    );
    const target = (await s.messageAreas.get(to.id))!;
    assert.equal(target.msgCount, posted + 1);
    assert.equal(target.lastMsgNum, posted + 1);
    assert.equal((await s.users.get(u.id))?.stats.posts, posted + 1);
  },
);
