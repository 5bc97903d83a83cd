/**
 * Conformance cases of access through `as()`, continued: what a viewer may change (edits,
 * marking read, area administration, the board's and their own records), barred users, changes
 * that count from the next call, and `tx.as()`.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { StorageError, User } from "../../mod.ts";
import { ManualClock, testCase } from "./_case.ts";

const clock = new ManualClock();
import { rejectsKind } from "./_assert.ts";
import { forbidden, ids, member } from "./_access.ts";
testCase(
  "access: levels compare inclusively: readLevel, writeLevel and sysopLevel reached exactly",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "EDGE",
      name: "Edge",
      access: { readLevel: 30, writeLevel: 40, sysopLevel: 60 },
    });
    const author = await member(s, "author", 0);
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      subject: "s",
      body: "b",
    });
    const rows: [number, boolean, boolean, boolean][] = [
      // level, reads, posts, edits another's message (area sysop)
      [29, false, false, false],
      [30, true, false, false],
      [39, true, false, false],
      [40, true, true, false],
      [59, true, true, false],
      [60, true, true, true],
    ];
    for (const [level, reads, posts, edits] of rows) {
      const u = await member(s, `level${level}`, level);
      const v = await s.as(u.id);
      assert.equal(
        (await v.messages.get(m.id))?.id,
        reads ? m.id : undefined,
        `level ${level} reads`,
      );
      const post = v.messages.post({
        areaId: area.id,
        fromUserId: u.id,
        subject: `${level}`,
        body: "b",
      });
      if (posts) await post;
      else await forbidden(post, area);
      const edit = v.messages.update(m.id, { body: `edited by ${level}` });
      if (edits) await edit;
      else await rejectsKind(edit, reads ? "forbidden" : "not_found");
    }
    assert.equal((await s.messages.get(m.id))!.body, "edited by 60");
  },
);

testCase(
  "access: messages.update and delete take the author or the area's sysop; an unreadable message is not_found",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "A",
      name: "A",
      access: { sysopLevel: 100 },
    });
    const high = await s.messageAreas.create({
      tag: "HIGH",
      name: "High",
      access: { readLevel: 50 },
    });
    const alice = await member(s, "alice", 60);
    const bob = await member(s, "bob", 10);
    const mod = await member(s, "mod", 100);
    const post = (areaId: number, from: User, subject: string) =>
      s.messages.post({ areaId, fromUserId: from.id, subject, body: "b" });
    const a1 = await post(area.id, alice, "alice 1");
    const a2 = await post(area.id, alice, "alice 2");
    const b1 = await post(area.id, bob, "bob 1");
    const hidden = await post(high.id, alice, "high");
    const vb = await s.as(bob.id);
    await forbidden(vb.messages.update(a1.id, { subject: "mine now" }));
    await forbidden(vb.messages.delete(a1.id));
    await rejectsKind(
      vb.messages.update(hidden.id, { subject: "x" }),
      "not_found",
    );
    await rejectsKind(vb.messages.delete(hidden.id), "not_found");
    assert.deepEqual(await s.messages.get(a1.id), a1);
    assert.deepEqual(await s.messages.get(hidden.id), hidden);
    assert.equal((await s.messageAreas.get(area.id))!.msgCount, 3);
    assert.equal(
      (await vb.messages.update(b1.id, { subject: "bob edited" })).subject,
      "bob edited",
    );
    await vb.messages.delete(b1.id);
    const vm = await s.as(mod.id);
    assert.equal(
      (await vm.messages.update(a1.id, { body: "moderated" })).body,
      "moderated",
    );
    await vm.messages.delete(a2.id);
    assert.deepEqual(ids(await s.messages.list(area.id)), [a1.id]);
    // The author edits their own, in an area they read.
    const va = await s.as(alice.id);
    assert.equal(
      (await va.messages.update(hidden.id, { subject: "mine" })).subject,
      "mine",
    );
  },
);

testCase(
  "access: files.update, delete and recordDownload: the uploader or the area's sysop, the viewer's own download",
  async (s) => {
    const area = await s.fileAreas.create({
      tag: "F",
      name: "F",
      access: { sysopLevel: 100 },
    });
    const high = await s.fileAreas.create({
      tag: "HIGH",
      name: "High",
      access: { readLevel: 50 },
    });
    const alice = await member(s, "alice", 60);
    const bob = await member(s, "bob", 10);
    const mod = await member(s, "mod", 100);
    const add = (areaId: number, filename: string, uploaderId: number) =>
      s.files.add({ areaId, filename, size: 1000, uploaderId });
    const a1 = await add(area.id, "A1.ZIP", alice.id);
    const a2 = await add(area.id, "A2.ZIP", alice.id);
    const b1 = await add(area.id, "B1.ZIP", bob.id);
    const hidden = await add(high.id, "H.ZIP", alice.id);
    const vb = await s.as(bob.id);
    await forbidden(vb.files.update(a1.id, { description: "mine" }));
    await forbidden(vb.files.delete(a1.id));
    await rejectsKind(
      vb.files.update(hidden.id, { description: "x" }),
      "not_found",
    );
    await rejectsKind(vb.files.delete(hidden.id), "not_found");
    await forbidden(vb.files.recordDownload(a1.id, alice.id));
    // A file the viewer cannot read: refused, as not_found or forbidden (the decisions name
    // neither for recordDownload), and not counted.
    const refused = await kindOf(vb.files.recordDownload(hidden.id, bob.id));
    assert.ok(["not_found", "forbidden"].includes(refused), refused);
    assert.deepEqual(await s.files.get(a1.id), a1);
    assert.deepEqual(await s.files.get(hidden.id), hidden);
    assert.deepEqual((await s.users.get(bob.id))!.stats, b1Stats(bob));
    assert.deepEqual((await s.users.get(alice.id))!.stats.downloads, 0);
    assert.equal((await vb.files.recordDownload(a1.id, bob.id)).downloads, 1);
    assert.equal((await s.users.get(bob.id))!.stats.downloads, 1);
    assert.equal(
      (await vb.files.update(b1.id, { description: "bob's" })).description,
      "bob's",
    );
    await vb.files.delete(b1.id);
    const vm = await s.as(mod.id);
    assert.equal(
      (await vm.files.update(a1.id, { description: "moderated" })).description,
      "moderated",
    );
    await vm.files.delete(a2.id);
    assert.deepEqual(ids(await s.files.list(area.id)), [a1.id]);
  },
);

/** bob's stats after uploading one file of 1000 bytes. */
function b1Stats(bob: User) {
  return { ...bob.stats, uploads: 1, uploadBytes: 1000 };
}

/** The kind a promise rejects with, or "fulfilled". */
export async function kindOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "fulfilled";
  } catch (error) {
    return (error as StorageError).kind ?? String(error);
  }
}

testCase(
  "access: reading.markRead moves only the viewer's own pointer, in an area they read",
  async (s) => {
    const open = await s.messageAreas.create({ tag: "OPEN", name: "Open" });
    const high = await s.messageAreas.create({
      tag: "HIGH",
      name: "High",
      access: { readLevel: 50 },
    });
    const alice = await member(s, "alice", 60);
    const bob = await member(s, "bob", 10);
    // Written by a third user: posting moves a caught-up author's own pointer.
    const carol = await member(s, "carol", 60);
    for (const areaId of [open.id, open.id, high.id]) {
      await s.messages.post({
        areaId,
        fromUserId: carol.id,
        subject: "s",
        body: "b",
      });
    }
    const vb = await s.as(bob.id);
    await forbidden(vb.reading.markRead(alice.id, open.id, 2));
    await forbidden(vb.reading.markRead(bob.id, high.id, 1));
    assert.deepEqual(
      (await s.reading.newScan(alice.id)).map((e) => e.lastRead),
      [0, 0],
    );
    assert.deepEqual(
      (await s.reading.newScan(bob.id)).map((e) => [e.area.tag, e.lastRead]),
      [["OPEN", 0], ["HIGH", 0]],
    );
    assert.equal(await vb.reading.markRead(bob.id, open.id, 2), 2);
    assert.deepEqual(
      (await s.reading.newScan(bob.id)).map((e) => e.area.tag),
      ["HIGH"],
    );
  },
);

testCase(
  "access: area administration needs the sysop of every area involved",
  async (s) => {
    const mod = await member(s, "mod", 100);
    const boss = await member(s, "boss", 255);
    const vm = await s.as(mod.id);
    const vb = await s.as(boss.id);
    for (
      const repo of [
        "messageAreas",
        "fileAreas",
      ] as const
    ) {
      const areas = vm[repo];
      const system = s[repo];
      const top = await system.create({ tag: `${repo}-TOP`, name: "Top" });
      const before = await system.list();
      // create: of the new area's sysopLevel, 255 by default.
      await forbidden(areas.create({ tag: `${repo}-X`, name: "X" }));
      await forbidden(
        areas.create({
          tag: `${repo}-X`,
          name: "X",
          access: { sysopLevel: 101 },
        }),
      );
      assert.deepEqual(await system.list(), before);
      const mine = await areas.create({
        tag: `${repo}-MINE`,
        name: "Mine",
        access: { sysopLevel: 100 },
      });
      const spare = await areas.create({
        tag: `${repo}-SPARE`,
        name: "Spare",
        access: { sysopLevel: 50 },
      });
      // update: of the area as it is and as it will be.
      await forbidden(areas.update(top.id, { description: "d" }));
      await forbidden(
        areas.update(mine.id, { access: { sysopLevel: 200 } }),
      );
      await forbidden(
        areas.update(mine.id, { name: "Renamed", access: { sysopLevel: 101 } }),
      );
      assert.deepEqual(await system.get(mine.id), mine);
      assert.deepEqual(await system.get(top.id), top);
      assert.equal(
        (await areas.update(mine.id, { description: "d" })).description,
        "d",
      );
      // delete: of the area and of moveTo.
      await forbidden(areas.delete(top.id));
      await forbidden(areas.delete(spare.id, { moveTo: top.id }));
      assert.equal((await system.get(spare.id))?.id, spare.id);
      // reorder: of every area.
      const order = ids(await system.list()).reverse();
      await forbidden(areas.reorder(order));
      assert.deepEqual(
        ids(await system.list()),
        [...order].reverse(),
        "order unchanged",
      );
      await areas.delete(spare.id, { moveTo: mine.id });
      assert.equal(await system.get(spare.id), null);
      // The board sysop administers every area; once every area is the mod's, so does the mod.
      await vb[repo].update(top.id, { access: { sysopLevel: 90 } });
      await areas.reorder([mine.id, top.id]);
      assert.deepEqual(ids(await system.list()), [mine.id, top.id]);
      await areas.delete(top.id);
      assert.deepEqual(ids(await system.list()), [mine.id]);
      await vb[repo].update(mine.id, { access: { sysopLevel: 255 } });
      await forbidden(areas.delete(mine.id));
      await vb[repo].delete(mine.id);
      assert.deepEqual(await system.list(), []);
    }
  },
);

testCase(
  "access: users, sessions, settings, events and callers writes need a board sysop, but for the viewer's own account",
  async (s) => {
    const me = await member(s, "me", 254);
    const other = await member(s, "other", 10);
    const boss = await member(s, "boss", 255);
    const v = await s.as(me.id);
    const vb = await s.as(boss.id);
    const mine = await s.sessions.create({
      userId: me.id,
      ipAddress: "192.0.2.1",
    });
    const theirs = await s.sessions.create({
      userId: other.id,
      ipAddress: "192.0.2.2",
    });
    await s.settings.set("board.name", "Board");
    await s.events.append({ kind: "seed" });
    const state = async () => ({
      users: (await s.users.list({ orderBy: "id" })).users,
      props: await Promise.all(
        [me, other, boss].map((u) => s.users.getProps(u.id)),
      ),
      online: await s.sessions.listOnline(),
      settings: await s.settings.list(),
      events: await s.events.list(),
      callers: await s.callers.recent(),
      logins: await s.users.logins(me.id),
    });
    const before = await state();
    const refused: [string, () => Promise<unknown>][] = [
      [
        "users.create",
        () => v.users.create({ username: "new", passwordHash: "h" }),
      ],
      ["users.update other", () => v.users.update(other.id, { realName: "x" })],
      ["users.delete other", () => v.users.delete(other.id)],
      ["users.delete self", () => v.users.delete(me.id)],
      [
        "users.incrementStats",
        () => v.users.incrementStats(me.id, { logins: 1 }),
      ],
      ["users.recordLogin", () => v.users.recordLogin(me.id)],
      [
        "users.recordFailedLogin",
        () =>
          v.users.recordFailedLogin(other.id, {
            maxAttempts: 3,
            lockForSeconds: 60,
          }),
      ],
      ["users.setProps other", () => v.users.setProps(other.id, { a: 1 })],
      [
        "callers.add",
        () => v.callers.add({ username: "old", loginAt: new Date(0) }),
      ],
      [
        "sessions.create",
        () => v.sessions.create({ userId: me.id, ipAddress: "192.0.2.3" }),
      ],
      ["sessions.touch other", () => v.sessions.touch(theirs.session.id)],
      ["sessions.end other", () => v.sessions.end(theirs.session.id)],
      ["sessions.delete", () => v.sessions.delete(mine.session.id)],
      ["sessions.purgeExpired", () => v.sessions.purgeExpired()],
      ["settings.set", () => v.settings.set("board.name", "Mine")],
      ["settings.delete", () => v.settings.delete("board.name")],
      ["settings.increment", () => v.settings.increment("calls")],
      [
        "events.append other",
        () => v.events.append({ kind: "x", userId: other.id }),
      ],
      ["events.prune", () => v.events.prune({ keep: 0 })],
    ];
    for (const [what, work] of refused) {
      const kind = await kindOf(work());
      assert.equal(kind, "forbidden", `${what}: ${kind}`);
    }
    assert.deepEqual(await state(), before, "nothing was written");
    // The viewer's own account.
    assert.deepEqual(await v.users.setProps(me.id, { theme: "dark" }), {
      theme: "dark",
    });
    await v.sessions.touch(mine.session.id, { activity: "Reading" });
    assert.equal(
      (await s.sessions.listOnline()).find((o) => o.id === mine.session.id)
        ?.activity,
      "Reading",
    );
    await v.sessions.end(mine.session.id);
    assert.equal(await s.sessions.getByToken(mine.token), null);
    assert.equal(
      (await v.events.append({ kind: "mine", userId: me.id })).userId,
      me.id,
    );
    // An event about no one, or naming another user's session, is the board's: refused.
    await forbidden(v.events.append({ kind: "anon" }));
    await forbidden(
      v.events.append({
        kind: "x",
        userId: me.id,
        sessionId: theirs.session.id,
      }),
    );
    // The board sysop does all of it.
    const made = await vb.users.create({ username: "new", passwordHash: "h" });
    await vb.users.update(other.id, { realName: "Other" });
    await vb.users.incrementStats(other.id, { logins: 1 });
    await vb.users.recordLogin(boss.id);
    await vb.users.recordFailedLogin(other.id, {
      maxAttempts: 3,
      lockForSeconds: 60,
    });
    await vb.users.setProps(other.id, { a: 1 });
    await vb.callers.add({ username: "old", loginAt: new Date(0) });
    const session = await vb.sessions.create({
      userId: other.id,
      ipAddress: "192.0.2.9",
    });
    await vb.sessions.touch(theirs.session.id);
    await vb.sessions.end(theirs.session.id);
    await vb.sessions.delete(session.session.id);
    await vb.sessions.purgeExpired();
    await vb.settings.set("board.name", "Boss");
    await vb.settings.increment("calls");
    assert.equal(await vb.settings.delete("board.name"), true);
    await vb.events.append({ kind: "x", userId: other.id });
    await vb.events.prune({ keep: 1 });
    await vb.users.delete(made.id);
    assert.equal(await s.users.get(made.id), null);
    assert.equal((await s.users.get(other.id))!.realName, "Other");
    assert.equal(await s.settings.get("calls"), 1);
    assert.equal(await s.events.count(), 1);
  },
);

testCase(
  "access: users.update of the viewer's own account: profile fields yes; level, flags and status need a board sysop",
  async (s) => {
    const me = await member(s, "me", 100, "A");
    const boss = await member(s, "boss", 255);
    const v = await s.as(me.id);
    const refused = [
      { securityLevel: 255 },
      { securityLevel: 100 },
      { flags: "AZ" },
      { status: "active" as const },
      { status: "banned" as const, statusReason: "self" },
      { statusReason: "why" },
      { lockedUntil: null },
      { realName: "Sneaky", securityLevel: 101 },
    ];
    for (const patch of refused) {
      const kind = await kindOf(v.users.update(me.id, patch));
      assert.equal(kind, "forbidden", `${JSON.stringify(patch)}: ${kind}`);
    }
    assert.deepEqual(await s.users.get(me.id), me, "nothing was written");
    const changed = await v.users.update(me.id, {
      username: "Me2",
      passwordHash: "h2",
      realName: "Real",
      location: "Here",
      note: "Note",
    });
    assert.deepEqual(
      [
        changed.username,
        changed.passwordHash,
        changed.realName,
        changed.location,
        changed.note,
      ],
      ["Me2", "h2", "Real", "Here", "Note"],
    );
    assert.equal(changed.securityLevel, 100);
    const vb = await s.as(boss.id);
    const raised = await vb.users.update(me.id, {
      securityLevel: 200,
      flags: "B",
    });
    assert.deepEqual([raised.securityLevel, raised.flags], [200, "B"]);
    // The board sysop on their own account too.
    assert.equal((await vb.users.update(boss.id, { flags: "Z" })).flags, "Z");
  },
);

testCase(
  "access: another user's properties and logins are hidden unless the viewer is a board sysop",
  async (s) => {
    const me = await member(s, "me", 254);
    const other = await member(s, "other", 10);
    const boss = await member(s, "boss", 255);
    await s.users.setProps(me.id, { team: "red", mine: true });
    await s.users.setProps(other.id, { team: "red", secret: "x" });
    const { session } = await s.sessions.create({
      userId: other.id,
      ipAddress: "192.0.2.7",
    });
    await s.sessions.create({ userId: me.id, ipAddress: "192.0.2.8" });
    const v = await s.as(me.id);
    assert.deepEqual(await v.users.getProps(other.id), {});
    assert.deepEqual(await v.users.getProps(me.id), {
      team: "red",
      mine: true,
    });
    assert.deepEqual(ids(await v.users.findByProp("team", "red")), [me.id]);
    assert.deepEqual(await v.users.findByProp("secret", "x"), []);
    assert.deepEqual(await v.users.logins(other.id), []);
    assert.equal((await v.users.logins(me.id)).length, 1);
    // The rest of a user is the system's view, but for another user's password hash.
    assert.deepEqual(await v.users.get(other.id), {
      ...(await s.users.get(other.id))!,
      passwordHash: "",
    });
    assert.equal((await v.users.get(me.id))!.passwordHash, "h");
    assert.ok(
      (await v.users.list()).users.every((u) =>
        u.passwordHash === (u.id === me.id ? "h" : "")
      ),
    );
    const vb = await s.as(boss.id);
    assert.deepEqual(await vb.users.getProps(other.id), {
      team: "red",
      secret: "x",
    });
    assert.deepEqual(ids(await vb.users.findByProp("team", "red")), [
      me.id,
      other.id,
    ]);
    assert.deepEqual(
      (await vb.users.logins(other.id)).map((l) => l.sessionId),
      [session.id],
    );
  },
);

testCase(
  "access: banned and locked users get forbidden on every write; a lock that has ended does not bar",
  async (s) => {
    clock.reset();
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    const files = await s.fileAreas.create({ tag: "F", name: "F" });
    const u = await member(s, "user", 10);
    const seed = await s.messages.post({
      areaId: area.id,
      fromUserId: u.id,
      subject: "seed",
      body: "b",
    });
    const { session } = await s.sessions.create({
      userId: u.id,
      ipAddress: "192.0.2.1",
    });
    const v = await s.as(u.id);
    let n = 0;
    const writes = (): (() => Promise<unknown>)[] => {
      n++;
      return [
        () =>
          v.messages.post({
            areaId: area.id,
            fromUserId: u.id,
            subject: `s${n}`,
            body: "b",
          }),
        () => v.messages.update(seed.id, { body: `edit ${n}` }),
        () =>
          v.files.add({
            areaId: files.id,
            filename: `F${n}.ZIP`,
            size: 1,
            uploaderId: u.id,
          }),
        () => v.reading.markRead(u.id, area.id, 1),
        () => v.users.setProps(u.id, { n }),
        () => v.users.update(u.id, { realName: `Name ${n}` }),
        () => v.events.append({ kind: "walk", userId: u.id }),
        () => v.sessions.touch(session.id, { activity: `a${n}` }),
      ];
    };
    const state = async () => ({
      messages: await s.messages.list(area.id),
      files: await s.files.list(files.id),
      scan: await s.reading.newScan(u.id),
      props: await s.users.getProps(u.id),
      events: await s.events.list(),
      online: await s.sessions.listOnline(),
    });
    const bars = [
      { status: "banned" as const, statusReason: "Abuse" },
      {
        status: "locked" as const,
        statusReason: "Cooling off",
        lockedUntil: new Date(Date.now() + 3_600_000),
      },
      { status: "locked" as const, statusReason: "Until unlocked" },
    ];
    for (const bar of bars) {
      await s.users.update(u.id, bar);
      const before = await state();
      const user = await s.users.get(u.id);
      for (const [i, work] of writes().entries()) {
        const kind = await kindOf(work());
        assert.equal(
          kind,
          "forbidden",
          `${bar.statusReason}: write ${i}: ${kind}`,
        );
      }
      assert.deepEqual(await state(), before);
      assert.deepEqual(await s.users.get(u.id), user);
      // Reads still answer.
      assert.deepEqual(await v.messages.get(seed.id), before.messages[0]);
      assert.deepEqual(
        ids(await v.messages.list(area.id)),
        ids(before.messages),
      );
    }
    // A lock that has ended reads as active, and bars nothing.
    const until = new Date(Date.now() + 1_000);
    await s.users.update(u.id, {
      status: "locked",
      statusReason: "Short",
      lockedUntil: until,
    });
    await forbidden(v.users.setProps(u.id, { short: true }));
    clock.advance(1_001);
    for (const work of writes()) await work();
    assert.equal((await s.messages.list(area.id)).length, 2);
    // Active and unvalidated users write.
    await s.users.update(u.id, { status: "unvalidated" });
    for (const work of writes()) await work();
    assert.equal((await s.messages.list(area.id)).length, 3);
  },
  { clock: clock.read },
);

testCase(
  "access: a change of level, flags or status takes effect on the next call of an existing as() handle",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "CLUB",
      name: "Club",
      access: { readLevel: 50, writeFlags: "W" },
    });
    const lounge = await s.messageAreas.create({
      tag: "LOUNGE",
      name: "Hidden lounge",
      access: { readLevel: 50, hidden: true },
    });
    const author = await member(s, "author", 0);
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      subject: "s",
      body: "b",
    });
    const u = await member(s, "user", 10);
    const v = await s.as(u.id);
    const post = () =>
      v.messages.post({
        areaId: area.id,
        fromUserId: u.id,
        subject: "mine",
        body: "b",
      });
    assert.equal(await v.messages.get(m.id), null);
    assert.deepEqual(ids(await v.messageAreas.list()), [area.id]);
    await s.users.update(u.id, { securityLevel: 50 });
    assert.deepEqual(await v.messages.get(m.id), m);
    assert.deepEqual(ids(await v.messageAreas.list()), [area.id, lounge.id]);
    await forbidden(post(), area);
    await s.users.update(u.id, { flags: "W" });
    const mine = await post();
    await s.users.update(u.id, { status: "banned", statusReason: "Spam" });
    await forbidden(post());
    await forbidden(v.messages.delete(mine.id));
    assert.deepEqual(await v.messages.get(mine.id), mine, "still reads");
    await s.users.update(u.id, { status: "active" });
    await post();
    await s.users.update(u.id, { securityLevel: 49 });
    assert.equal(await v.messages.get(m.id), null);
    assert.equal(await v.messageAreas.get(lounge.id), null);
    await forbidden(post(), area);
    assert.equal((await s.messageAreas.get(area.id))!.msgCount, 3);
    // The area's own access changes take effect too.
    await s.messageAreas.update(area.id, { access: { readLevel: 0 } });
    assert.deepEqual(await v.messages.get(m.id), m);
  },
);

testCase(
  "access: tx.as() runs in the transaction: sees its writes, commits and rolls back with it",
  async (s) => {
    const area = await s.messageAreas.create({
      tag: "GATED",
      name: "Gated",
      access: { readLevel: 50, writeLevel: 50 },
    });
    const author = await member(s, "author", 100);
    const m = await s.messages.post({
      areaId: area.id,
      fromUserId: author.id,
      subject: "s",
      body: "b",
    });
    const u = await member(s, "user", 10);
    // Rolled back: a user, a level and a post made in the transaction, seen through tx.as().
    await assert.rejects(
      s.transaction(async (tx) => {
        await rejectsKind(tx.as(0), "validation", "userId");
        await rejectsKind(tx.as(4242), "not_found");
        const v = await tx.as(u.id);
        assert.equal(await v.messages.get(m.id), null);
        await forbidden(
          v.messages.post({
            areaId: area.id,
            fromUserId: u.id,
            subject: "no",
            body: "b",
          }),
          area,
        );
        // tx itself stays the system's view.
        assert.deepEqual(await tx.messages.get(m.id), m);
        await tx.users.update(u.id, { securityLevel: 50 });
        assert.deepEqual(await v.messages.get(m.id), m);
        await v.messages.post({
          areaId: area.id,
          fromUserId: u.id,
          subject: "in tx",
          body: "b",
        });
        const newcomer = await tx.users.create({
          username: "newcomer",
          passwordHash: "h",
          securityLevel: 50,
        });
        const nv = await tx.as(newcomer.id);
        assert.deepEqual(
          (await nv.messages.list(area.id)).map((x) => x.subject),
          ["s", "in tx"],
        );
        throw new Error("roll back");
      }),
      /roll back/,
    );
    assert.equal((await s.users.get(u.id))!.securityLevel, 10);
    assert.equal(await s.users.findByUsername("newcomer"), null);
    assert.deepEqual(ids(await s.messages.list(area.id)), [m.id]);
    assert.equal((await s.users.get(u.id))!.stats.posts, 0);
    // Committed: what tx.as() wrote stays; a forbidden call caught inside writes nothing.
    const posted = await s.transaction(async (tx) => {
      await tx.users.update(u.id, { securityLevel: 50 });
      const v = await tx.as(u.id);
      const mine = await v.messages.post({
        areaId: area.id,
        fromUserId: u.id,
        subject: "committed",
        body: "b",
      });
      await forbidden(
        v.messages.post({
          areaId: area.id,
          fromUserId: author.id,
          subject: "as author",
          body: "b",
        }),
      );
      await forbidden(v.settings.set("k", 1));
      return mine;
    });
    assert.deepEqual(await s.messages.get(posted.id), posted);
    assert.deepEqual(
      (await s.messages.list(area.id)).map((x) => x.subject),
      ["s", "committed"],
    );
    assert.equal(await s.settings.get("k"), null);
    assert.equal((await s.users.get(author.id))!.stats.posts, 1);
  },
);
