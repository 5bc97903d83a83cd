/**
 * Conformance cases of trimming (issue 13, item 3): `messages.trim` by `keep`, `olderThan` and
 * both, numbers never reused, threads re-rooted (a reply of a trimmed message becomes a root, its
 * replies follow), counts and last-read pointers kept right, the search index, `trimAll` by the
 * areas' `maxMessages` and `maxAgeDays`, validation, and who may trim through `storage.as()`.
 * Written from the issue's wording before the implementation.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Message, Repositories } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import { forbidden, member } from "./_access.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);

/** Posts `n` messages in an area, the i-th created at T0 + i days. */
async function posts(
  s: Repositories,
  areaId: number,
  fromUserId: number,
  n: number,
  first = 0,
): Promise<Message[]> {
  const list: Message[] = [];
  for (let i = first; i < first + n; i++) {
    list.push(
      await s.messages.post({
        areaId,
        fromUserId,
        subject: `post ${i}`,
        body: `word${i} body`,
        createdAt: new Date(T0 + i * DAY),
      }),
    );
  }
  return list;
}

const nums = (list: { msgNum: number }[]) => list.map((m) => m.msgNum);

async function remaining(s: Repositories, areaId: number): Promise<number[]> {
  return nums(await s.messages.list(areaId, { limit: 1000 }));
}

testCase(
  "trim: keep keeps the newest N by number, returns how many went, and numbers are never reused",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const other = await s.messageAreas.create({ tag: "B", name: "B" });
    const u = await member(s, "writer");
    await posts(s, area.id, u.id, 10);
    await posts(s, other.id, u.id, 3);
    assert.equal(await s.messages.trim(area.id, { keep: 4 }), 6);
    assert.deepEqual(await remaining(s, area.id), [7, 8, 9, 10]);
    const a = await s.messageAreas.get(area.id);
    assert.equal(a?.msgCount, 4);
    assert.equal(a?.lastMsgNum, 10);
    // Another area is untouched.
    assert.deepEqual(await remaining(s, other.id), [1, 2, 3]);
    assert.equal((await s.messageAreas.get(other.id))?.msgCount, 3);
    // Nothing more to go: 0; keeping more than there are: 0.
    assert.equal(await s.messages.trim(area.id, { keep: 4 }), 0);
    assert.equal(await s.messages.trim(area.id, { keep: 100 }), 0);
    // A post after the trim takes the next number, not a freed one.
    const next = await s.messages.post({
      areaId: area.id,
      fromUserId: u.id,
      subject: "after",
      body: "b",
    });
    assert.equal(next.msgNum, 11);
    // keep 0 empties the area; numbering still goes on.
    assert.equal(await s.messages.trim(area.id, { keep: 0 }), 5);
    assert.deepEqual(await remaining(s, area.id), []);
    assert.equal((await s.messageAreas.get(area.id))?.msgCount, 0);
    const later = await s.messages.post({
      areaId: area.id,
      fromUserId: u.id,
      subject: "later",
      body: "b",
    });
    assert.equal(later.msgNum, 12);
    assert.equal((await s.messageAreas.get(area.id))?.msgCount, 1);
  },
);

testCase(
  "trim: olderThan deletes what was created before it; with keep, what either says goes",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const u = await member(s, "writer");
    await posts(s, area.id, u.id, 10); // created T0 … T0 + 9 days
    // Exactly at olderThan stays.
    assert.equal(
      await s.messages.trim(area.id, { olderThan: new Date(T0 + 3 * DAY) }),
      3,
    );
    assert.deepEqual(await remaining(s, area.id), [4, 5, 6, 7, 8, 9, 10]);
    // Both: keep 5 would delete 4 and 5, olderThan day 6 would delete 4…6: 4, 5, 6 go.
    assert.equal(
      await s.messages.trim(area.id, {
        keep: 5,
        olderThan: new Date(T0 + 6 * DAY),
      }),
      3,
    );
    assert.deepEqual(await remaining(s, area.id), [7, 8, 9, 10]);
    // Both again, where keep says more: keep 2 deletes 7 and 8; olderThan nothing.
    assert.equal(
      await s.messages.trim(area.id, { keep: 2, olderThan: new Date(T0) }),
      2,
    );
    assert.deepEqual(await remaining(s, area.id), [9, 10]);
    assert.equal((await s.messageAreas.get(area.id))?.msgCount, 2);
    // Messages not in number order by date: only the old ones go, wherever they are.
    const mixed = await s.messageAreas.create({ tag: "M", name: "M" });
    for (const day of [5, 1, 7, 2, 9]) {
      await s.messages.post({
        areaId: mixed.id,
        fromUserId: u.id,
        subject: `day ${day}`,
        body: "b",
        createdAt: new Date(T0 + day * DAY),
      });
    }
    assert.equal(
      await s.messages.trim(mixed.id, { olderThan: new Date(T0 + 6 * DAY) }),
      3,
    );
    assert.deepEqual(await remaining(s, mixed.id), [3, 5]);
    assert.equal((await s.messageAreas.get(mixed.id))?.msgCount, 2);
  },
);

testCase(
  "trim: neither keep nor olderThan, or bad input, is validation and deletes nothing; a missing area is not_found",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const u = await member(s, "writer");
    await posts(s, area.id, u.id, 3);
    await rejectsKind(s.messages.trim(area.id, {}), "validation", "options");
    await rejectsKind(
      s.messages.trim(area.id, undefined as never),
      "validation",
      "options",
    );
    await rejectsKind(
      s.messages.trim(area.id, { keep: -1 }),
      "validation",
      "options.keep",
    );
    await rejectsKind(
      s.messages.trim(area.id, { keep: 1.5 }),
      "validation",
      "options.keep",
    );
    await rejectsKind(
      s.messages.trim(area.id, { olderThan: new Date(NaN) }),
      "validation",
      "options.olderThan",
    );
    await rejectsKind(
      s.messages.trim(area.id, { keep: 1, extra: 1 } as never),
      "validation",
      "options.extra",
    );
    await rejectsKind(
      s.messages.trim(0, { keep: 1 }),
      "validation",
      "areaId",
    );
    await rejectsKind(s.messages.trim(999, { keep: 1 }), "not_found");
    assert.deepEqual(await remaining(s, area.id), [1, 2, 3]);
    assert.equal((await s.messageAreas.get(area.id))?.msgCount, 3);
  },
);

testCase(
  "trim: a reply whose parent went becomes the root of its thread, and its replies follow it",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const u = await member(s, "writer");
    const post = (day: number, parentId?: number) =>
      s.messages.post({
        areaId: area.id,
        fromUserId: u.id,
        subject: `day ${day}`,
        body: "b",
        createdAt: new Date(T0 + day * DAY),
        ...(parentId === undefined ? {} : { parentId }),
      });
    // root (day 0) ─ a (day 1) ─ a1 (day 5) ─ a11 (day 6)
    //              └ b (day 4) ─ b1 (day 2, old: goes) ─ b11 (day 7)
    //                          └ b2 (day 8)
    const root = await post(0);
    const a = await post(1, root.id);
    const b = await post(4, root.id);
    const b1 = await post(2, b.id);
    const a1 = await post(5, a.id);
    const a11 = await post(6, a1.id);
    const b11 = await post(7, b1.id);
    const b2 = await post(8, b.id);
    const other = await post(3); // a thread of its own, old: goes
    // root2 (old: goes) ─ mid (deleted before) ─ leaf: leaf lost its parent to
    // messages.delete and is still in root2's thread; when root2 goes, leaf is a root.
    const root2 = await post(2.5);
    const mid = await post(9, root2.id);
    const leaf = await post(10, mid.id);
    await s.messages.delete(mid.id);
    assert.equal(
      await s.messages.trim(area.id, { olderThan: new Date(T0 + 3.5 * DAY) }),
      5,
    );
    assert.equal((await s.messages.get(leaf.id))?.threadRootId, leaf.id);
    assert.deepEqual((await s.messages.thread(leaf.id)).map((m) => m.id), [
      leaf.id,
    ]);
    const get = async (m: Message) => (await s.messages.get(m.id))!;
    // b: its parent went; it is a root, b2 follows it.
    assert.equal((await get(b)).parentId, null);
    assert.equal((await get(b)).threadRootId, b.id);
    assert.equal((await get(b2)).threadRootId, b.id);
    assert.equal((await get(b2)).parentId, b.id);
    // a1 (parent a went) is a root; a11, its grandchild line, follows.
    assert.equal((await get(a1)).parentId, null);
    assert.equal((await get(a1)).threadRootId, a1.id);
    assert.equal((await get(a11)).threadRootId, a1.id);
    assert.equal((await get(a11)).parentId, a1.id);
    // b11 (parent b1 went) is a root of its own.
    assert.equal((await get(b11)).parentId, null);
    assert.equal((await get(b11)).threadRootId, b11.id);
    assert.equal(await s.messages.get(other.id), null);
    // Threads read from any of their messages.
    assert.deepEqual((await s.messages.thread(a11.id)).map((m) => m.id), [
      a1.id,
      a11.id,
    ]);
    assert.deepEqual((await s.messages.thread(b2.id)).map((m) => m.id), [
      b.id,
      b2.id,
    ]);
    assert.deepEqual((await s.messages.thread(b11.id)).map((m) => m.id), [
      b11.id,
    ]);
    // The old root's thread holds nothing any more.
    assert.deepEqual(await s.messages.thread(root.id), []);
    // A reply to a new root joins its thread.
    const c = await s.messages.post({
      areaId: area.id,
      fromUserId: u.id,
      subject: "c",
      body: "b",
      parentId: a11.id,
    });
    assert.equal(c.threadRootId, a1.id);
  },
);

testCase(
  "trim: last-read pointers, new-scan counts and the search index stay right",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const writer = await member(s, "writer");
    const behind = await member(s, "behind");
    const middle = await member(s, "middle");
    const ahead = await member(s, "ahead");
    await posts(s, area.id, writer.id, 10);
    await s.reading.setPointer(middle.id, area.id, 7);
    await s.reading.setPointer(ahead.id, area.id, 10);
    await s.reading.setPointer(behind.id, area.id, 2);
    assert.equal(await s.messages.trim(area.id, { keep: 5 }), 5);
    // Behind: the freed numbers are skipped (no message is marked read that is there).
    assert.equal(await s.reading.pointer(behind.id, area.id), 5);
    assert.deepEqual(
      nums(await s.reading.readNext(behind.id, area.id, { limit: 100 })),
      [6, 7, 8, 9, 10],
    );
    const scan = await s.reading.newScan(behind.id);
    assert.deepEqual(scan.map((e) => [e.area.id, e.unread, e.lastRead]), [[
      area.id,
      5,
      5,
    ]]);
    // A user with no pointer at all: unread counts what is there.
    const fresh = await member(s, "fresh");
    assert.deepEqual((await s.reading.newScan(fresh.id)).map((e) => e.unread), [
      5,
    ]);
    // Pointers above what went stay.
    assert.equal(await s.reading.pointer(middle.id, area.id), 7);
    assert.equal(await s.reading.pointer(ahead.id, area.id), 10);
    assert.deepEqual(await s.reading.newScan(ahead.id), []);
    // A trim that leaves a gap in the middle (by date) moves only pointers below it.
    const gap = await s.messageAreas.create({ tag: "G", name: "G" });
    for (const day of [9, 1, 2, 9]) {
      await s.messages.post({
        areaId: gap.id,
        fromUserId: writer.id,
        subject: "g",
        body: "b",
        createdAt: new Date(T0 + day * DAY),
      });
    }
    await s.reading.setPointer(behind.id, gap.id, 1);
    await s.reading.setPointer(middle.id, gap.id, 0);
    assert.equal(
      await s.messages.trim(gap.id, { olderThan: new Date(T0 + 5 * DAY) }),
      2,
    );
    assert.equal(await s.reading.pointer(behind.id, gap.id), 3);
    assert.equal(await s.reading.pointer(middle.id, gap.id), 0);
    assert.deepEqual(
      nums(await s.reading.readNext(middle.id, gap.id, { limit: 100 })),
      [1, 4],
    );
    // The search index forgets what went.
    assert.deepEqual(await s.messages.search("word1"), []);
    assert.equal((await s.messages.search("word7")).length, 1);
  },
);

testCase(
  "trim: trimAll applies each area's maxMessages and maxAgeDays and answers what went per area",
  async (s) => {
    const u = await member(s, "writer");
    const byCount = await s.messageAreas.create({
      tag: "C",
      name: "C",
      maxMessages: 3,
    });
    const byAge = await s.messageAreas.create({
      tag: "D",
      name: "D",
      maxAgeDays: 30,
    });
    const both = await s.messageAreas.create({
      tag: "E",
      name: "E",
      maxMessages: 4,
      maxAgeDays: 30,
    });
    const none = await s.messageAreas.create({ tag: "N", name: "N" });
    await posts(s, byCount.id, u.id, 5);
    const now = Date.now();
    const at = (areaId: number, daysAgo: number) =>
      s.messages.post({
        areaId,
        fromUserId: u.id,
        subject: "s",
        body: "b",
        createdAt: new Date(now - daysAgo * DAY),
      });
    for (const d of [40, 31, 29, 1]) await at(byAge.id, d);
    for (const d of [40, 20, 10, 5, 4, 3]) await at(both.id, d);
    await posts(s, none.id, u.id, 5);
    assert.deepEqual(await s.messages.trimAll(), [
      { areaId: byCount.id, deleted: 2 },
      { areaId: byAge.id, deleted: 2 },
      { areaId: both.id, deleted: 2 },
    ]);
    assert.deepEqual(await remaining(s, byCount.id), [3, 4, 5]);
    assert.deepEqual(await remaining(s, byAge.id), [3, 4]);
    assert.deepEqual(await remaining(s, both.id), [3, 4, 5, 6]);
    assert.deepEqual(await remaining(s, none.id), [1, 2, 3, 4, 5]);
    // Again: nothing more goes, each area still answered.
    assert.deepEqual(await s.messages.trimAll(), [
      { areaId: byCount.id, deleted: 0 },
      { areaId: byAge.id, deleted: 0 },
      { areaId: both.id, deleted: 0 },
    ]);
  },
);

testCase(
  "trim: through as(), trim needs the area's sysop and trimAll a board sysop; nothing goes otherwise",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "A",
      name: "A",
      maxMessages: 1,
      access: { sysopLevel: 100 },
    });
    const hidden = await s.messageAreas.create({
      tag: "H",
      name: "H",
      access: { readLevel: 200, hidden: true, sysopLevel: 200 },
    });
    const caller = await member(s, "caller", 10);
    const areaSysop = await member(s, "areasysop", 100);
    const sysop = await member(s, "sysop", 255);
    await posts(s, area.id, caller.id, 4);
    await posts(s, hidden.id, sysop.id, 2);
    const asCaller = await s.as(caller.id);
    const asAreaSysop = await s.as(areaSysop.id);
    await forbidden(asCaller.messages.trim(area.id, { keep: 1 }), area);
    await forbidden(
      asAreaSysop.messages.trim(hidden.id, { keep: 0 }),
      hidden,
      true,
    );
    await forbidden(asCaller.messages.trimAll());
    await forbidden(asAreaSysop.messages.trimAll());
    assert.deepEqual(await remaining(s, area.id), [1, 2, 3, 4]);
    assert.deepEqual(await remaining(s, hidden.id), [1, 2]);
    // The area's sysop may trim it; a missing area is not_found for them too.
    assert.equal(await asAreaSysop.messages.trim(area.id, { keep: 2 }), 2);
    await rejectsKind(asAreaSysop.messages.trim(999, { keep: 1 }), "not_found");
    // A banned sysop trims nothing.
    await s.users.update(areaSysop.id, {
      status: "banned",
      statusReason: "Spam",
    });
    await forbidden(asAreaSysop.messages.trim(area.id, { keep: 0 }));
    assert.deepEqual(await remaining(s, area.id), [3, 4]);
    // The board sysop may run trimAll, in a transaction too (tx.as).
    await s.transaction(async (tx) => {
      const asSysop = await tx.as(sysop.id);
      assert.deepEqual(await asSysop.messages.trimAll(), [
        { areaId: area.id, deleted: 1 },
      ]);
    });
    assert.deepEqual(await remaining(s, area.id), [4]);
  },
);
