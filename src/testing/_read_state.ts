/**
 * Conformance cases of read state (issue 13, item 1): a user's pointer read and set either way,
 * pointers set by date, the new-scan selection, the reader's own messages left out of the
 * new-scan and of reading on, and posting that moves a caught-up author's pointer.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Repositories } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import { forbidden, member } from "./_access.ts";

/** Posts `n` messages by `fromUserId` in an area, at the times given (ms), or now. */
async function posts(
  s: Repositories,
  areaId: number,
  fromUserId: number,
  n: number,
  at?: (i: number) => number,
): Promise<number[]> {
  const nums: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = await s.messages.post({
      areaId,
      fromUserId,
      subject: `#${i}`,
      body: "b",
      ...(at ? { createdAt: new Date(at(i)) } : {}),
    });
    nums.push(m.msgNum);
  }
  return nums;
}

const nums = (list: { msgNum: number }[]) => list.map((m) => m.msgNum);

testCase(
  "read state: reading.pointer() reads and setPointer() moves either way, clamped to 0…high-water",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const reader = await member(s, "reader");
    const writer = await member(s, "writer");
    await posts(s, area.id, writer.id, 5);
    assert.equal(await s.reading.pointer(reader.id, area.id), 0);
    assert.equal(await s.reading.setPointer(reader.id, area.id, 4), 4);
    assert.equal(await s.reading.pointer(reader.id, area.id), 4);
    // Back: a message read becomes unread again (markRead never moves back).
    assert.equal(await s.reading.setPointer(reader.id, area.id, 2), 2);
    assert.equal(await s.reading.pointer(reader.id, area.id), 2);
    assert.deepEqual(nums(await s.reading.readNext(reader.id, area.id)), [
      3,
      4,
      5,
    ]);
    assert.equal(await s.reading.setPointer(reader.id, area.id, 99), 5);
    assert.equal(await s.reading.setPointer(reader.id, area.id, -3), 0);
    assert.equal(await s.reading.pointer(reader.id, area.id), 0);
    await rejectsKind(s.reading.pointer(reader.id, 999), "not_found");
    await rejectsKind(s.reading.pointer(999, area.id), "not_found");
    await rejectsKind(s.reading.setPointer(reader.id, 999, 1), "not_found");
    await rejectsKind(s.reading.setPointer(999, area.id, 1), "not_found");
    await rejectsKind(
      s.reading.setPointer(reader.id, area.id, 1.5),
      "validation",
      "msgNum",
    );
    await rejectsKind(
      s.reading.pointer(0, area.id),
      "validation",
      "userId",
    );
    assert.equal(await s.reading.pointer(reader.id, area.id), 0);
  },
);

testCase(
  "read state: setPointersByDate() sets each pointer to the last message posted before the date",
  async (s) => {
    const a = await s.messageAreas.create({ tag: "A", name: "A" });
    const b = await s.messageAreas.create({ tag: "B", name: "B" });
    const empty = await s.messageAreas.create({ tag: "E", name: "E" });
    const reader = await member(s, "reader");
    const writer = await member(s, "writer");
    const day = 86_400_000;
    // A: days 1…5; B: days 3, 1 (imported out of order), 6.
    await posts(s, a.id, writer.id, 5, (i) => (i + 1) * day);
    await posts(s, b.id, writer.id, 3, (i) => [3, 1, 6][i]! * day);
    await s.reading.setPointer(reader.id, empty.id, 0);
    assert.equal(
      await s.reading.setPointersByDate(reader.id, new Date(3 * day + 1)),
      3,
    );
    assert.equal(await s.reading.pointer(reader.id, a.id), 3);
    // The last posted before the date (day 3: number 1), not the highest number before it.
    assert.equal(await s.reading.pointer(reader.id, b.id), 1);
    assert.equal(await s.reading.pointer(reader.id, empty.id), 0);
    // Strictly before: a message posted at the date is new.
    await s.reading.setPointersByDate(reader.id, new Date(3 * day));
    assert.equal(await s.reading.pointer(reader.id, a.id), 2);
    assert.equal(await s.reading.pointer(reader.id, b.id), 2);
    // Only the areas named; the others keep their pointers.
    assert.equal(
      await s.reading.setPointersByDate(reader.id, new Date(0), {
        areaIds: [a.id],
      }),
      1,
    );
    assert.equal(await s.reading.pointer(reader.id, a.id), 0);
    assert.equal(await s.reading.pointer(reader.id, b.id), 2);
    // Forward past everything.
    await s.reading.setPointersByDate(reader.id, new Date(100 * day), {
      areaIds: [a.id, b.id],
    });
    assert.equal(await s.reading.pointer(reader.id, a.id), 5);
    assert.equal(await s.reading.pointer(reader.id, b.id), 3);
    // A missing area: not_found, and nothing set.
    await rejectsKind(
      s.reading.setPointersByDate(reader.id, new Date(0), {
        areaIds: [a.id, 999],
      }),
      "not_found",
    );
    assert.equal(await s.reading.pointer(reader.id, a.id), 5);
    await rejectsKind(
      s.reading.setPointersByDate(999, new Date(0)),
      "not_found",
    );
    await rejectsKind(
      s.reading.setPointersByDate(reader.id, "yesterday" as never),
      "validation",
      "date",
    );
    await rejectsKind(
      s.reading.setPointersByDate(reader.id, new Date(0), {
        areaIds: [0],
      }),
      "validation",
      "options.areaIds.0",
    );
    assert.equal(await s.reading.pointer(reader.id, a.id), 5);
  },
);

testCase(
  "read state: setScanned() leaves an area out of the new-scan and puts it back, pointer kept",
  async (s) => {
    const a = await s.messageAreas.create({ tag: "A", name: "A" });
    const b = await s.messageAreas.create({ tag: "B", name: "B" });
    const reader = await member(s, "reader");
    const writer = await member(s, "writer");
    await posts(s, a.id, writer.id, 3);
    await posts(s, b.id, writer.id, 2);
    const tags = async () =>
      (await s.reading.newScan(reader.id)).map((e) => e.area.tag);
    assert.deepEqual(await tags(), ["A", "B"], "every area is scanned");
    await s.reading.setScanned(reader.id, a.id, false);
    assert.deepEqual(await tags(), ["B"]);
    assert.equal(await s.reading.pointer(reader.id, a.id), 0);
    // Another user's new-scan is their own.
    const other = await member(s, "other");
    assert.deepEqual(
      (await s.reading.newScan(other.id)).map((e) => e.area.tag),
      ["A", "B"],
    );
    await s.reading.markRead(reader.id, a.id, 1);
    await s.reading.setScanned(reader.id, a.id, false);
    assert.deepEqual(await tags(), ["B"]);
    await s.reading.setScanned(reader.id, a.id, true);
    const scan = await s.reading.newScan(reader.id);
    assert.deepEqual(scan.map((e) => [e.area.tag, e.lastRead, e.unread]), [
      ["A", 1, 2],
      ["B", 0, 2],
    ]);
    // Reading on in an area left out works as ever.
    await s.reading.setScanned(reader.id, b.id, false);
    assert.deepEqual(nums(await s.reading.readNext(reader.id, b.id)), [1, 2]);
    await rejectsKind(s.reading.setScanned(reader.id, 999, true), "not_found");
    await rejectsKind(s.reading.setScanned(999, a.id, true), "not_found");
    await rejectsKind(
      s.reading.setScanned(reader.id, a.id, "no" as never),
      "validation",
      "scanned",
    );
    assert.deepEqual(await tags(), ["A"]);
  },
);

testCase(
  "read state: newScan() and readNext() leave out the reader's own messages unless includeOwn",
  async (s) => {
    const a = await s.messageAreas.create({ tag: "A", name: "A" });
    const mine = await s.messageAreas.create({ tag: "MINE", name: "Mine" });
    const reader = await member(s, "reader");
    const writer = await member(s, "writer");
    // A: 1 writer, 2 reader, 3 writer, 4 reader (the reader not caught up: pointer stays 0).
    for (const by of [writer, reader, writer, reader]) {
      await s.messages.post({
        areaId: a.id,
        fromUserId: by.id,
        subject: by.username,
        body: "b",
      });
    }
    await posts(s, mine.id, writer.id, 1);
    await s.reading.setPointer(reader.id, mine.id, 0);
    await posts(s, mine.id, reader.id, 2);
    assert.equal(await s.reading.pointer(reader.id, a.id), 0);
    assert.deepEqual(nums(await s.reading.readNext(reader.id, a.id)), [1, 3]);
    assert.deepEqual(
      nums(await s.reading.readNext(reader.id, a.id, { includeOwn: true })),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      nums(await s.reading.readNext(reader.id, a.id, { limit: 1 })),
      [1],
    );
    let scan = await s.reading.newScan(reader.id);
    assert.deepEqual(scan.map((e) => [e.area.tag, e.lastRead, e.unread]), [
      ["A", 0, 2],
      ["MINE", 0, 1],
    ]);
    scan = await s.reading.newScan(reader.id, { includeOwn: true });
    assert.deepEqual(scan.map((e) => [e.area.tag, e.lastRead, e.unread]), [
      ["A", 0, 4],
      ["MINE", 0, 3],
    ]);
    // Above the pointer only: after reading 1, one other message and one own remain.
    await s.reading.markRead(reader.id, mine.id, 1);
    scan = await s.reading.newScan(reader.id);
    assert.deepEqual(scan.map((e) => e.area.tag), ["A"], "only own left");
    assert.deepEqual(nums(await s.reading.readNext(reader.id, mine.id)), []);
    await s.reading.markRead(reader.id, a.id, 2);
    scan = await s.reading.newScan(reader.id);
    assert.deepEqual(scan.map((e) => [e.area.tag, e.lastRead, e.unread]), [
      ["A", 2, 1],
    ]);
    // Messages of no user (imported) are never the reader's own.
    await s.messages.post({
      areaId: a.id,
      fromName: "Remote",
      subject: "echo",
      body: "b",
    });
    assert.deepEqual(nums(await s.reading.readNext(reader.id, a.id)), [3, 5]);
    await rejectsKind(
      s.reading.readNext(reader.id, a.id, { includeOwn: "yes" as never }),
      "validation",
      "options.includeOwn",
    );
    await rejectsKind(
      s.reading.newScan(reader.id, { includeOwn: 1 as never }),
      "validation",
      "options.includeOwn",
    );
  },
);

testCase(
  "read state: posting moves the author's pointer past their message only when caught up",
  async (s) => {
    const a = await s.messageAreas.create({ tag: "A", name: "A" });
    const author = await member(s, "author");
    const writer = await member(s, "writer");
    const post = (by: number) =>
      s.messages.post({
        areaId: a.id,
        fromUserId: by,
        subject: "s",
        body: "b",
      });
    // The first message of an area: caught up at 0.
    await post(author.id);
    assert.equal(await s.reading.pointer(author.id, a.id), 1);
    await post(author.id);
    assert.equal(await s.reading.pointer(author.id, a.id), 2);
    await post(writer.id);
    assert.equal(await s.reading.pointer(author.id, a.id), 2);
    // Not caught up (3 unread): the pointer stays.
    await post(author.id);
    assert.equal(await s.reading.pointer(author.id, a.id), 2);
    await s.reading.markRead(author.id, a.id, 4);
    await post(author.id);
    assert.equal(await s.reading.pointer(author.id, a.id), 5);
    // Another user's pointer is not moved.
    assert.equal(await s.reading.pointer(writer.id, a.id), 0);
    // A newcomer to an area with messages is not caught up.
    const b = await s.messageAreas.create({ tag: "B", name: "B" });
    await posts(s, b.id, writer.id, 2);
    await posts(s, b.id, author.id, 1);
    assert.equal(await s.reading.pointer(author.id, b.id), 0);
    // Inside a transaction that fails, the pointer goes back with the message.
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.messages.post({
          areaId: a.id,
          fromUserId: author.id,
          subject: "s",
          body: "b",
        });
        assert.equal(await tx.reading.pointer(author.id, a.id), 6);
        throw new Error("roll back");
      }),
      /roll back/,
    );
    assert.equal(await s.reading.pointer(author.id, a.id), 5);
  },
);

testCase(
  "read state: through as(), pointers are the viewer's own, in areas they may read",
  async (s) => {
    const open = await s.messageAreas.create({ tag: "OPEN", name: "Open" });
    const closed = await s.messageAreas.create({
      tag: "CLOSED",
      name: "Closed",
      access: { readLevel: 100 },
    });
    const hidden = await s.messageAreas.create({
      tag: "HIDDEN",
      name: "Hidden",
      access: { readLevel: 100, hidden: true },
    });
    const me = await member(s, "me");
    const other = await member(s, "other");
    const sysop = await member(s, "sysop", 255);
    for (const area of [open, closed, hidden]) {
      await posts(s, area.id, sysop.id, 3, (i) => (i + 1) * 1000);
    }
    const as = await s.as(me.id);
    assert.equal(await as.reading.setPointer(me.id, open.id, 2), 2);
    assert.equal(await as.reading.pointer(me.id, open.id), 2);
    await as.reading.setScanned(me.id, open.id, false);
    assert.deepEqual(await as.reading.newScan(me.id), []);
    await as.reading.setScanned(me.id, open.id, true);
    // Another user's pointers: neither read nor moved.
    await forbidden(as.reading.pointer(other.id, open.id));
    await forbidden(as.reading.setPointer(other.id, open.id, 1));
    await forbidden(as.reading.setScanned(other.id, open.id, false));
    await forbidden(as.reading.setPointersByDate(other.id, new Date()));
    // Areas the viewer may not read: refused, a hidden one by its id alone.
    await forbidden(as.reading.pointer(me.id, closed.id), closed);
    await forbidden(as.reading.setPointer(me.id, closed.id, 1), closed);
    await forbidden(
      as.reading.setScanned(me.id, hidden.id, false),
      hidden,
      true,
    );
    await forbidden(
      as.reading.setPointersByDate(me.id, new Date(), {
        areaIds: [open.id, hidden.id],
      }),
      hidden,
      true,
    );
    // Every area: those the viewer may read alone.
    assert.equal(await as.reading.setPointersByDate(me.id, new Date(2500)), 1);
    assert.equal(await s.reading.pointer(me.id, open.id), 2);
    assert.equal(await s.reading.pointer(me.id, closed.id), 0);
    assert.equal(await s.reading.pointer(me.id, hidden.id), 0);
    assert.equal(await s.reading.pointer(other.id, open.id), 0);
    // The sysop reads and sets their own anywhere.
    const boss = await s.as(sysop.id);
    assert.equal(await boss.reading.setPointer(sysop.id, closed.id, 1), 1);
    assert.equal(
      await boss.reading.setPointersByDate(sysop.id, new Date(0)),
      3,
    );
  },
);

testCase(
  "read state: through as(), a private area's pointer is clamped to the messages the viewer may read",
  async (s) => {
    const mail = await s.messageAreas.create({
      tag: "MAIL",
      name: "Mail",
      kind: "private",
    });
    const me = await member(s, "me");
    const other = await member(s, "other");
    const third = await member(s, "third");
    // 1 to me, 2 and 3 between others (not mine to see), all at 1000 ms steps.
    for (const [from, to] of [[other, me], [other, third], [third, other]]) {
      await s.messages.post({
        areaId: mail.id,
        fromUserId: from!.id,
        toUserId: to!.id,
        subject: "s",
        body: "b",
        createdAt: new Date(1000),
      });
    }
    const as = await s.as(me.id);
    // The area's high-water mark (3) is not revealed: the pointer stops at my last, 1.
    assert.equal(await as.reading.setPointer(me.id, mail.id, 99), 1);
    assert.equal(await as.reading.markRead(me.id, mail.id, 99), 1);
    await as.reading.setPointer(me.id, mail.id, 0);
    await as.reading.setPointersByDate(me.id, new Date(5000));
    assert.equal(await as.reading.pointer(me.id, mail.id), 1);
    // The system's view sets it to the area's last message.
    await s.reading.setPointersByDate(me.id, new Date(5000));
    assert.equal(await s.reading.pointer(me.id, mail.id), 3);
    // Reading on in a private area: messages to me, not my own unless asked.
    await s.reading.setPointer(me.id, mail.id, 0);
    await s.messages.post({
      areaId: mail.id,
      fromUserId: me.id,
      toUserId: other.id,
      subject: "s",
      body: "b",
    });
    assert.deepEqual(nums(await as.reading.readNext(me.id, mail.id)), [1]);
    assert.deepEqual(
      nums(await as.reading.readNext(me.id, mail.id, { includeOwn: true })),
      [1, 4],
    );
  },
);
