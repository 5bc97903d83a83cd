/**
 * Conformance cases of issue 13, item 3 (messages): `messages.getByNum`; the filters of
 * `messages.list` and `messages.search` (`fromName`, `toName` compared as usernames are,
 * `since`, `until`), with the other options and cursors; a tosser's export state (FidoNet
 * addresses, `listUnexported`, `markExported`); and all of it through `as()`. Written from the
 * issue's wording before the implementation.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Message, Repositories } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import { forbidden, member } from "./_access.ts";

const ids = (list: Message[]) => list.map((m) => m.id);

/** A board of named posts: Alice to Bob, Bob to All, a remote STRASSE to straße, at set times. */
async function board(s: Repositories) {
  const area = await s.messageAreas.create({ tag: "ECHO", name: "Echo" });
  const other = await s.messageAreas.create({ tag: "OTHER", name: "Other" });
  const alice = await member(s, "Alice");
  const bob = await member(s, "Bob");
  const post = (
    fields: Partial<Parameters<Repositories["messages"]["post"]>[0]>,
    at: number,
    areaId = area.id,
  ) =>
    s.messages.post({
      areaId,
      subject: "hello",
      body: "doom and quake",
      createdAt: new Date(at),
      ...fields,
    });
  const m1 = await post({ fromUserId: alice.id, toUserId: bob.id }, 1_000);
  const m2 = await post({ fromUserId: bob.id }, 2_000);
  const m3 = await post({ fromName: "STRASSE", toName: "straße" }, 3_000);
  const m4 = await post({ fromUserId: alice.id, toName: "All" }, 4_000);
  const m5 = await post({ fromUserId: alice.id, toUserId: bob.id }, 5_000);
  const elsewhere = await post(
    { fromUserId: alice.id, toUserId: bob.id },
    1_500,
    other.id,
  );
  return { area, other, alice, bob, m1, m2, m3, m4, m5, elsewhere };
}

testCase(
  "messages: getByNum() finds a message by its number in its area, null for a number not there",
  async (s) => {
    const b = await board(s);
    assert.deepEqual(await s.messages.getByNum(b.area.id, 3), b.m3);
    assert.deepEqual(await s.messages.getByNum(b.other.id, 1), b.elsewhere);
    assert.equal(await s.messages.getByNum(b.area.id, 6), null);
    assert.equal(await s.messages.getByNum(999, 1), null);
    await s.messages.delete(b.m2.id);
    // Numbers are never reused: the deleted one's number finds nothing.
    assert.equal(await s.messages.getByNum(b.area.id, 2), null);
    await rejectsKind(
      s.messages.getByNum(b.area.id, 0),
      "validation",
      "msgNum",
    );
    await rejectsKind(
      s.messages.getByNum(1.5 as number, 1),
      "validation",
      "areaId",
    );
  },
);

testCase(
  "messages: list() filters by fromName and toName as usernames compare, since and until included, with cursors and limit",
  async (s) => {
    const b = await board(s);
    const list = (o: Parameters<Repositories["messages"]["list"]>[1]) =>
      s.messages.list(b.area.id, o).then(ids);
    assert.deepEqual(
      await list({ fromName: "alice" }),
      ids([b.m1, b.m4, b.m5]),
    );
    assert.deepEqual(
      await list({ fromName: "ＡＬＩＣＥ" }),
      ids([b.m1, b.m4, b.m5]),
    );
    assert.deepEqual(await list({ toName: "BOB" }), ids([b.m1, b.m5]));
    // A full case fold: STRASSE and straße are one name, either way.
    assert.deepEqual(await list({ fromName: "straße" }), [b.m3.id]);
    assert.deepEqual(await list({ toName: "STRASSE" }), [b.m3.id]);
    assert.deepEqual(await list({ fromName: "alice", toName: "all" }), [
      b.m4.id,
    ]);
    assert.deepEqual(
      await list({ since: new Date(2_000), until: new Date(4_000) }),
      ids([b.m2, b.m3, b.m4]),
    );
    assert.deepEqual(await list({ since: new Date(4_001) }), [b.m5.id]);
    assert.deepEqual(await list({ until: new Date(1_999) }), [b.m1.id]);
    assert.deepEqual(
      await list({ fromName: "Alice", since: new Date(1_001) }),
      ids([b.m4, b.m5]),
    );
    assert.deepEqual(
      await list({ toName: "bob", until: new Date(4_999) }),
      [b.m1.id],
    );
    // With the cursors and the limit: a page, then the next.
    assert.deepEqual(
      await list({ fromName: "alice", limit: 2 }),
      ids([b.m1, b.m4]),
    );
    assert.deepEqual(
      await list({ fromName: "alice", afterNum: b.m4.msgNum, limit: 2 }),
      [b.m5.id],
    );
    assert.deepEqual(
      await list({ fromName: "alice", after: b.m1.id, limit: 1 }),
      [b.m4.id],
    );
    assert.deepEqual(await list({ toName: "bob", afterNum: 1 }), [b.m5.id]);
    assert.deepEqual(await list({ since: new Date(0), afterNum: 4 }), [
      b.m5.id,
    ]);
    // Nobody of that name: nothing (a name that is no valid username is only not found).
    assert.deepEqual(await list({ fromName: "Carol" }), []);
    assert.deepEqual(await list({ fromName: "¨" }), []);
    // The other area's message stays out.
    assert.ok(!(await list({ fromName: "alice" })).includes(b.elsewhere.id));
  },
);

testCase(
  "messages: list() and search() refuse bad filters as validation naming the field",
  async (s) => {
    const b = await board(s);
    const before = await s.messages.list(b.area.id);
    for (
      const run of [
        (o: object) => s.messages.list(b.area.id, o),
        (o: object) => s.messages.search("doom", o),
      ]
    ) {
      await rejectsKind(
        run({ since: new Date(2_000), until: new Date(1_000) }),
        "validation",
        "options.until",
      );
      await rejectsKind(
        run({ fromName: "" }),
        "validation",
        "options.fromName",
      );
      await rejectsKind(run({ toName: 7 }), "validation", "options.toName");
      await rejectsKind(
        run({ since: "yesterday" }),
        "validation",
        "options.since",
      );
      await rejectsKind(run({ fromname: "x" }), "validation");
    }
    // since = until: the one instant.
    assert.deepEqual(
      ids(
        await s.messages.list(b.area.id, {
          since: new Date(3_000),
          until: new Date(3_000),
        }),
      ),
      [b.m3.id],
    );
    assert.deepEqual(await s.messages.list(b.area.id), before);
  },
);

testCase(
  "messages: search() takes the same filters, with areaId and limit, best match still first",
  async (s) => {
    const b = await board(s);
    const search = (o: Parameters<Repositories["messages"]["search"]>[1]) =>
      s.messages.search("doom", o).then((l) => ids(l).sort((x, y) => x - y));
    assert.deepEqual(
      await search({ fromName: "ALICE" }),
      ids([b.m1, b.m4, b.m5, b.elsewhere]),
    );
    assert.deepEqual(
      await search({ fromName: "alice", areaId: b.area.id }),
      ids([b.m1, b.m4, b.m5]),
    );
    assert.deepEqual(await search({ toName: "strasse" }), [b.m3.id]);
    assert.deepEqual(
      await search({ toName: "bob", since: new Date(1_200) }),
      ids([b.m5, b.elsewhere]),
    );
    assert.deepEqual(
      await search({ since: new Date(2_000), until: new Date(3_000) }),
      ids([b.m2, b.m3]),
    );
    assert.deepEqual(
      await search({
        fromName: "alice",
        toName: "all",
        until: new Date(9_000),
      }),
      [b.m4.id],
    );
    assert.equal(
      (await s.messages.search("doom", { fromName: "alice", limit: 2 })).length,
      2,
    );
    assert.deepEqual(await search({ fromName: "nobody" }), []);
  },
);

testCase(
  "messages: getByNum(), list() and search() with filters through as() leave out what the viewer may not read",
  async (s) => {
    const b = await board(s);
    const carol = await member(s, "Carol");
    const hidden = await s.messageAreas.create({
      tag: "SECRET",
      name: "Secret",
      access: { readLevel: 200 },
    });
    const secret = await s.messages.post({
      areaId: hidden.id,
      fromUserId: b.alice.id,
      subject: "doom",
      body: "doom",
    });
    const mail = await s.messageAreas.create({
      tag: "MAIL",
      name: "Mail",
      kind: "private",
    });
    const toBob = await s.messages.post({
      areaId: mail.id,
      fromUserId: b.alice.id,
      toUserId: b.bob.id,
      subject: "doom",
      body: "doom",
    });
    const toCarol = await s.messages.post({
      areaId: mail.id,
      fromUserId: b.alice.id,
      toUserId: carol.id,
      subject: "doom",
      body: "doom",
    });
    const asBob = await s.as(b.bob.id);
    assert.equal(await asBob.messages.getByNum(hidden.id, 1), null);
    assert.deepEqual(await asBob.messages.getByNum(mail.id, 1), toBob);
    assert.equal(await asBob.messages.getByNum(mail.id, 2), null);
    assert.deepEqual(await asBob.messages.getByNum(b.area.id, 1), b.m1);
    assert.deepEqual(
      ids(await asBob.messages.list(mail.id, { fromName: "alice" })),
      [toBob.id],
    );
    assert.deepEqual(
      await asBob.messages.list(hidden.id, { fromName: "alice" }),
      [],
    );
    assert.deepEqual(
      ids(await asBob.messages.list(b.area.id, { fromName: "alice" })),
      ids([b.m1, b.m4, b.m5]),
    );
    const found = ids(
      await asBob.messages.search("doom", { fromName: "alice", limit: 100 }),
    );
    assert.ok(found.includes(toBob.id) && found.includes(b.m1.id));
    assert.ok(!found.includes(secret.id), "the hidden area's message");
    assert.ok(!found.includes(toCarol.id), "another's private message");
    // The system sees them all.
    const all = ids(await s.messages.search("doom", { fromName: "alice" }));
    assert.ok(all.includes(secret.id) && all.includes(toCarol.id));
  },
);

testCase(
  "messages: origAddr and destAddr are FidoNet addresses zone:net/node[.point], each part 0–65535, null when absent",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "FIDO", name: "Fido" });
    const base = {
      areaId: area.id,
      fromName: "Remote",
      subject: "s",
      body: "b",
    };
    const plain = await s.messages.post(base);
    assert.equal(plain.origAddr, null);
    assert.equal(plain.destAddr, null);
    assert.equal(plain.imported, false);
    assert.equal(plain.exportedAt, null);
    const addressed = await s.messages.post({
      ...base,
      origAddr: "2:280/464.1",
      destAddr: "65535:0/65535",
    });
    assert.equal(addressed.origAddr, "2:280/464.1");
    assert.equal(addressed.destAddr, "65535:0/65535");
    assert.deepEqual(await s.messages.get(addressed.id), addressed);
    // Kept in plain form: no leading zeros, and point 0 is the node itself.
    const padded = await s.messages.post({
      ...base,
      origAddr: "02:0280/0464.0",
      destAddr: null,
    });
    assert.equal(padded.origAddr, "2:280/464");
    assert.equal(padded.destAddr, null);
    for (
      const bad of [
        "2:280/65536",
        "65536:1/1",
        "2:280",
        "2/280:464",
        "2:280/464.",
        "2:280/464.70000",
        "-1:2/3",
        " 2:280/464",
        "2:280/464@fidonet",
        "",
        42,
      ]
    ) {
      await rejectsKind(
        s.messages.post({ ...base, origAddr: bad as string }),
        "validation",
        "origAddr",
      );
      await rejectsKind(
        s.messages.post({ ...base, destAddr: bad as string }),
        "validation",
        "destAddr",
      );
    }
    await rejectsKind(
      s.messages.post({ ...base, imported: "yes" as unknown as boolean }),
      "validation",
      "imported",
    );
    // Nothing was written by the refused posts.
    assert.equal((await s.messageAreas.get(area.id))?.msgCount, 3);
    assert.deepEqual(ids(await s.messages.list(area.id)), [
      plain.id,
      addressed.id,
      padded.id,
    ]);
  },
);

testCase(
  "messages: listUnexported() lists what was posted locally and not yet exported, in posting order; imported messages never",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "ECHO", name: "Echo" });
    const other = await s.messageAreas.create({ tag: "OTHER", name: "Other" });
    const alice = await member(s, "Alice");
    const post = (areaId: number, imported?: boolean, at?: number) =>
      s.messages.post({
        areaId,
        fromUserId: alice.id,
        subject: "s",
        body: "b",
        ...(imported === undefined ? {} : { imported }),
        // Posting order, not the time written, orders the queue.
        ...(at === undefined ? {} : { createdAt: new Date(at) }),
      });
    const l1 = await post(area.id, undefined, 9_000);
    const in1 = await post(area.id, true);
    const l2 = await post(area.id, false, 1_000);
    const o1 = await post(other.id);
    const l3 = await post(area.id);
    assert.equal(in1.imported, true);
    assert.deepEqual(await s.messages.listUnexported(area.id), [l1, l2, l3]);
    assert.deepEqual(ids(await s.messages.listUnexported(other.id)), [o1.id]);
    assert.deepEqual(
      ids(await s.messages.listUnexported(area.id, { limit: 2 })),
      ids([l1, l2]),
    );
    assert.deepEqual(await s.messages.listUnexported(999), []);
    await rejectsKind(
      s.messages.listUnexported(area.id, { limit: 0 }),
      "validation",
      "options.limit",
    );
    await rejectsKind(
      s.messages.listUnexported(0),
      "validation",
      "areaId",
    );
    // Deleted, it is no longer waiting.
    await s.messages.delete(l2.id);
    assert.deepEqual(ids(await s.messages.listUnexported(area.id)), [
      l1.id,
      l3.id,
    ]);
  },
);

testCase(
  "messages: markExported() marks once (idempotent), ignores unknown and imported ids, bounds the array",
  async (s) => {
    const area = await s.messageAreas.create({ tag: "ECHO", name: "Echo" });
    const post = (imported = false) =>
      s.messages.post({
        areaId: area.id,
        fromName: "Tosser",
        subject: "s",
        body: "b",
        imported,
      });
    const a = await post();
    const b = await post();
    const c = await post();
    const inbound = await post(true);
    const before = Date.now();
    assert.equal(
      await s.messages.markExported([a.id, b.id, b.id, 999_999, inbound.id]),
      2,
    );
    const after = Date.now();
    const marked = (await s.messages.get(a.id))!;
    assert.ok(marked.exportedAt instanceof Date);
    assert.ok(
      marked.exportedAt.getTime() >= before &&
        marked.exportedAt.getTime() <= after,
    );
    assert.equal((await s.messages.get(inbound.id))!.exportedAt, null);
    assert.deepEqual(ids(await s.messages.listUnexported(area.id)), [c.id]);
    // Again: nothing changes, the first export time stays.
    assert.equal(await s.messages.markExported([a.id, b.id]), 0);
    assert.deepEqual(await s.messages.get(a.id), marked);
    assert.equal(await s.messages.markExported([]), 0);
    // Only exportedAt changed.
    assert.deepEqual({ ...marked, exportedAt: null }, a);
    await rejectsKind(
      s.messages.markExported(
        Array.from({ length: 1001 }, (_, i) => i + 1),
      ),
      "validation",
      "ids",
    );
    await rejectsKind(
      s.messages.markExported([c.id, 0]),
      "validation",
      "ids.1",
    );
    await rejectsKind(
      s.messages.markExported(c.id as unknown as number[]),
      "validation",
      "ids",
    );
    // The refused calls marked nothing.
    assert.deepEqual(ids(await s.messages.listUnexported(area.id)), [c.id]);
    assert.equal(
      await s.messages.markExported(
        Array.from({ length: 1000 }, (_, i) => c.id + i),
      ),
      1,
    );
    assert.deepEqual(await s.messages.listUnexported(area.id), []);
  },
);

testCase(
  "messages: through as(), listUnexported() shows an area's queue to its sysops alone and markExported() needs them",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "ECHO",
      name: "Echo",
      access: { sysopLevel: 100 },
    });
    const hidden = await s.messageAreas.create({
      tag: "HIDDEN",
      name: "Hidden",
      access: { readLevel: 200, hidden: true },
    });
    const caller = await member(s, "Caller", 10);
    const tosser = await member(s, "Tosser", 100);
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: caller.id,
      subject: "s",
      body: "b",
    });
    const h = await s.messages.post({
      areaId: hidden.id,
      fromName: "x",
      subject: "s",
      body: "b",
    });
    const asCaller = await s.as(caller.id);
    const asTosser = await s.as(tosser.id);
    assert.deepEqual(await asCaller.messages.listUnexported(area.id), []);
    assert.deepEqual(await asTosser.messages.listUnexported(area.id), [m]);
    assert.deepEqual(await asTosser.messages.listUnexported(hidden.id), []);
    // Its author may read it, but is no sysop of the area.
    await forbidden(asCaller.messages.markExported([m.id]), area);
    assert.equal((await s.messages.get(m.id))!.exportedAt, null);
    // A message the viewer may not read is left alone, as a missing one is.
    assert.equal(await asTosser.messages.markExported([h.id, 999_999]), 0);
    assert.equal((await s.messages.get(h.id))!.exportedAt, null);
    assert.equal(await asTosser.messages.markExported([m.id]), 1);
    assert.deepEqual(await asTosser.messages.listUnexported(area.id), []);
    assert.ok((await s.messages.get(m.id))!.exportedAt instanceof Date);
  },
);
