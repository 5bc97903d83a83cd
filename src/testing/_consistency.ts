/**
 * Cases that hold a driver to what it keeps and what it reads back: every kind of record
 * survives reopening a persistent database, and every read sees the writes before it (a driver
 * that caches a statement's rows, or drops a table's rows, fails here).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Repositories, Storage } from "../../mod.ts";
import { testCase } from "./_case.ts";

const HASH = "ab".repeat(32);

/** A small board with a record of every kind; returns what it wrote, for reading back. */
async function smallBoard(s: Repositories) {
  const sysop = await s.users.create({
    username: "sysop",
    passwordHash: "h1",
    realName: "Sys Op",
  });
  const caller = await s.users.create({
    username: "caller",
    passwordHash: "h2",
  });
  await s.users.incrementStats(caller.id, { posts: 2, uploadBytes: 10 });
  await s.users.recordLogin(caller.id);
  const echo = await s.messageAreas.create({
    tag: "FIDO",
    name: "Fido echo",
    kind: "echomail",
    echoTag: "FIDO.ECHO",
  });
  const privateArea = await s.messageAreas.create({
    tag: "MAIL",
    name: "Mail",
    kind: "private",
  });
  const root = await s.messages.post({
    areaId: echo.id,
    fromUserId: sysop.id,
    toName: "All",
    subject: "Welcome",
    body: "Hello, board",
    ftnMsgid: "1:2/3 0001",
    kludges: [{ name: "PID", value: "test 1" }],
  });
  await s.messages.post({
    areaId: echo.id,
    fromUserId: caller.id,
    toUserId: sysop.id,
    subject: "Re: Welcome",
    body: "Thanks",
    parentId: root.id,
  });
  await s.messages.post({
    areaId: privateArea.id,
    fromUserId: sysop.id,
    toUserId: caller.id,
    subject: "Your account",
    body: "Validated",
  });
  await s.reading.markRead(caller.id, echo.id, 1);
  const fileArea = await s.fileAreas.create({ tag: "UTIL", name: "Utilities" });
  const file = await s.files.add({
    areaId: fileArea.id,
    filename: "PKZ204G.EXE",
    description: "PKZIP",
    uploaderId: sysop.id,
    size: 202574,
    sha256: HASH,
  });
  await s.files.recordDownload(file.id, caller.id);
  const { token } = await s.sessions.create({
    userId: caller.id,
    ipAddress: "192.0.2.7",
    node: 1,
    activity: "Reading mail",
  });
  await s.callers.add({
    username: "old caller",
    loginAt: new Date("1996-03-04T05:06:07Z"),
  });
  await s.users.setProps(caller.id, {
    email: "caller@example.org",
    ansi: true,
  });
  await s.users.update(sysop.id, {
    status: "banned",
    statusReason: "Testing bans",
  });
  await s.users.recordFailedLogin(caller.id, {
    maxAttempts: 5,
    lockForSeconds: 60,
  });
  await s.settings.set("board.name", { name: "The Board", nodes: [1, 2] });
  await s.settings.increment("calls.total", 3);
  await s.events.append({
    kind: "file.upload",
    userId: caller.id,
    data: { file: "PKZ204G.EXE" },
  });
  await s.events.append({ kind: "login", userId: caller.id });
  return { sysop, caller, echo, privateArea, fileArea, file, token };
}

type Board = Awaited<ReturnType<typeof smallBoard>>;

/** Everything the board holds, read through every kind of read. */
async function everything(s: Storage, b: Board) {
  return {
    users: [await s.users.get(b.sysop.id), await s.users.get(b.caller.id)],
    byName: await s.users.findByUsername("CALLER"),
    messageAreas: await s.messageAreas.list(),
    echo: await s.messages.list(b.echo.id),
    private: await s.messages.list(b.privateArea.id),
    thread: (await s.messages.thread(1)).map((m) => m.id),
    byMsgid: (await s.messages.findByMsgid(b.echo.id, "1:2/3 0001"))?.id,
    search: (await s.messages.search("board")).map((m) => m.id),
    mail: (await s.mail.listFor(b.caller.id)).map((m) => m.id),
    newScan: await s.reading.newScan(b.caller.id, { includeOwn: true }),
    fileAreas: await s.fileAreas.list(),
    files: await s.files.list(b.fileArea.id),
    byHash: (await s.files.findByHash(HASH)).map((f) => f.id),
    fileSearch: (await s.files.search("pkzip")).map((f) => f.id),
    session: await s.sessions.getByToken(b.token),
    online: (await s.sessions.listOnline()).map((o) => o.id),
    callers: await s.callers.recent(),
    userList: await s.users.list(),
    userCount: await s.users.count({ status: "banned" }),
    props: await s.users.getProps(b.caller.id),
    byProp: (await s.users.findByProp("email", "caller@example.org")).map((
      u,
    ) => u.id),
    logins: await s.users.logins(b.caller.id),
    areaByTag: await s.messageAreas.getByTag("fido"),
    fileAreaByTag: await s.fileAreas.getByTag("util"),
    settings: await s.settings.list(),
    setting: await s.settings.get("calls.total"),
    events: await s.events.list(),
    eventCount: await s.events.count({ userId: b.caller.id }),
    top: await s.events.top({ kind: "login" }),
  };
}

testCase(
  "every kind of record survives closing and reopening a persistent database, read by every read; an in-memory one starts empty",
  async (s, { capabilities, database }) => {
    const board = await smallBoard(s);
    const before = await everything(s, board);
    // The board is whole before the reopen: each read found what was written.
    assert.equal(before.echo.length, 2);
    assert.equal(before.private.length, 1);
    assert.equal(before.files.length, 1);
    assert.ok(before.session);
    assert.equal(before.callers.length, 2);
    assert.ok(before.newScan.length > 0);
    assert.equal(before.settings.length, 2);
    assert.equal(before.events.length, 2);
    assert.equal(before.logins.length, 1);
    assert.deepEqual(before.byProp, [board.caller.id]);
    await s.close();
    if (capabilities.persistent) {
      // Twice: a driver may lose rows on a later reopen only.
      for (let reopen = 1; reopen <= 2; reopen++) {
        await using again = await database.open();
        assert.deepEqual(
          await everything(again, board),
          before,
          `after reopening ${reopen} time(s)`,
        );
      }
    } else {
      await using again = await database.open();
      assert.deepEqual(await again.messageAreas.list(), []);
      assert.deepEqual(await again.fileAreas.list(), []);
      assert.equal(await again.users.get(board.caller.id), null);
    }
  },
);

testCase(
  "every read sees the write just before it: lookups and lists read before and after each write",
  async (s) => {
    // Each read runs once before the write it must see, so rows kept from the first read show.
    const user = await s.users.create({ username: "alice", passwordHash: "h" });
    assert.equal(await s.users.findByUsername("carol"), null);
    await s.users.create({ username: "carol", passwordHash: "h" });
    assert.equal((await s.users.findByUsername("carol"))?.username, "carol");
    assert.equal((await s.users.findByUsername("ALICE"))?.id, user.id);
    await s.users.update(user.id, { username: "alicia" });
    assert.equal(await s.users.findByUsername("alice"), null);
    assert.equal((await s.users.findByUsername("alicia"))?.id, user.id);
    assert.equal((await s.users.get(user.id))?.username, "alicia");
    await s.users.delete(user.id);
    assert.equal(await s.users.findByUsername("alicia"), null);
    assert.equal(await s.users.get(user.id), null);

    assert.deepEqual(await s.messageAreas.list(), []);
    const area = await s.messageAreas.create({ tag: "A", name: "A" });
    assert.equal((await s.messageAreas.list()).length, 1);
    const mailArea = await s.messageAreas.create({
      tag: "M",
      name: "M",
      kind: "private",
    });
    assert.equal((await s.messageAreas.list()).length, 2);
    assert.equal((await s.messageAreas.get(area.id))?.msgCount, 0);

    const carol = (await s.users.findByUsername("carol"))!;
    assert.deepEqual(await s.messages.list(area.id), []);
    assert.equal(await s.messages.findByMsgid(area.id, "1:1/1 1"), null);
    assert.deepEqual(await s.messages.search("zebra"), []);
    assert.deepEqual(await s.mail.listFor(carol.id), []);
    assert.deepEqual(await s.reading.newScan(carol.id), []);
    const m = await s.messages.post({
      areaId: area.id,
      fromName: "Bob",
      subject: "zebra",
      body: "stripes",
      ftnMsgid: "1:1/1 1",
    });
    assert.equal((await s.messages.list(area.id)).length, 1);
    assert.equal((await s.messages.findByMsgid(area.id, "1:1/1 1"))?.id, m.id);
    assert.deepEqual((await s.messages.search("zebra")).map((x) => x.id), [
      m.id,
    ]);
    assert.equal((await s.reading.newScan(carol.id)).length, 1);
    assert.equal((await s.messageAreas.get(area.id))?.msgCount, 1);
    await s.messages.update(m.id, { subject: "okapi" });
    assert.deepEqual(await s.messages.search("zebra"), []);
    assert.equal((await s.messages.get(m.id))?.subject, "okapi");
    await s.reading.markRead(carol.id, area.id, m.msgNum);
    assert.deepEqual(await s.reading.newScan(carol.id), []);
    await s.messages.delete(m.id);
    assert.deepEqual(await s.messages.list(area.id), []);
    assert.equal(await s.messages.findByMsgid(area.id, "1:1/1 1"), null);
    const letter = await s.messages.post({
      areaId: mailArea.id,
      fromName: "Bob",
      toUserId: carol.id,
      subject: "hi",
      body: "x",
    });
    assert.deepEqual((await s.mail.listFor(carol.id)).map((x) => x.id), [
      letter.id,
    ]);

    assert.deepEqual(await s.fileAreas.list(), []);
    const files = await s.fileAreas.create({ tag: "F", name: "F" });
    assert.equal((await s.fileAreas.list()).length, 1);
    const since = new Date(Date.now() - 60_000);
    assert.deepEqual(await s.files.list(files.id), []);
    assert.deepEqual(await s.files.listNew(since), []);
    assert.deepEqual(await s.files.findByHash(HASH), []);
    const f = await s.files.add({
      areaId: files.id,
      filename: "A.ZIP",
      size: 1,
      sha256: HASH,
    });
    assert.equal((await s.files.list(files.id)).length, 1);
    assert.equal((await s.files.listNew(since)).length, 1);
    assert.deepEqual((await s.files.findByHash(HASH)).map((x) => x.id), [f.id]);
    await s.files.recordDownload(f.id, carol.id);
    assert.equal((await s.files.get(f.id))?.downloads, 1);
    assert.equal((await s.users.get(carol.id))?.stats.downloads, 1);
    await s.files.delete(f.id);
    assert.deepEqual(await s.files.findByHash(HASH), []);
    assert.deepEqual(await s.files.listNew(since), []);

    assert.deepEqual(await s.sessions.listOnline(), []);
    const { session, token } = await s.sessions.create({
      userId: carol.id,
      ipAddress: "192.0.2.1",
      node: 2,
    });
    assert.equal((await s.sessions.getByToken(token))?.id, session.id);
    assert.deepEqual((await s.sessions.listOnline()).map((o) => o.id), [
      session.id,
    ]);
    await s.sessions.end(session.id);
    assert.equal(await s.sessions.getByToken(token), null);
    assert.deepEqual(await s.sessions.listOnline(), []);

    assert.deepEqual(await s.callers.recent(), []);
    await s.users.recordLogin(carol.id);
    assert.deepEqual((await s.callers.recent()).map((c) => c.username), [
      "carol",
    ]);

    const names = async () =>
      (await s.users.list()).users.map((u) => u.username);
    assert.deepEqual(await names(), ["carol"]);
    assert.equal(await s.users.count(), 1);
    await s.users.create({ username: "dave", passwordHash: "h" });
    assert.deepEqual(await names(), ["carol", "dave"]);
    assert.equal(await s.users.count(), 2);
    assert.equal((await s.users.logins(carol.id)).length, 1);
    await s.sessions.create({ userId: carol.id, ipAddress: "192.0.2.3" });
    assert.equal((await s.users.logins(carol.id)).length, 2);
    assert.deepEqual(await s.users.getProps(carol.id), {});
    assert.deepEqual(await s.users.findByProp("email", "c@example.org"), []);
    await s.users.setProps(carol.id, { email: "c@example.org" });
    assert.deepEqual(await s.users.getProps(carol.id), {
      email: "c@example.org",
    });
    assert.deepEqual(
      (await s.users.findByProp("email", "c@example.org")).map((u) => u.id),
      [carol.id],
    );
    assert.equal(await s.messageAreas.getByTag("B"), null);
    await s.messageAreas.create({ tag: "B", name: "B" });
    assert.equal((await s.messageAreas.getByTag("b"))?.tag, "B");

    assert.deepEqual(await s.settings.list(), []);
    assert.equal(await s.settings.get("k"), null);
    await s.settings.set("k", 1);
    assert.deepEqual((await s.settings.list()).map((x) => x.key), ["k"]);
    assert.equal(await s.settings.get("k"), 1);
    await s.settings.increment("k");
    assert.equal(await s.settings.get("k"), 2);
    const kinds = { kind: "door.run", userId: carol.id } as const;
    assert.deepEqual(await s.events.list(kinds), []);
    assert.deepEqual(await s.events.top({ kind: "door.run" }), []);
    assert.equal(await s.events.count(kinds), 0);
    await s.events.append(kinds);
    assert.equal((await s.events.list(kinds)).length, 1);
    assert.equal((await s.events.list()).length, 1);
    assert.deepEqual(await s.events.top({ kind: "door.run" }), [
      { userId: carol.id, count: 1 },
    ]);
    assert.equal(await s.events.count(kinds), 1);
    await s.events.prune({ keep: 0 });
    assert.deepEqual(await s.events.list(kinds), []);
  },
);
