/**
 * Conformance cases of access through `as()`: the walk of every operation through a banned board
 * sysop.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Repositories, User } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { operation, type OperationName, OPERATIONS } from "../ops/mod.ts";
import { ids, member } from "./_access.ts";
import { kindOf } from "./_access_writes.ts";
/** The board the walk runs on. */
interface WalkBoard {
  s: Repositories;
  /** The viewer: a board sysop (level 255), banned. */
  boss: User;
  other: User;
  areaId: number;
  fileAreaId: number;
  messageId: number;
  fileId: number;
  sessionId: number;
  token: string;
  next(): number;
}

/** One operation of the walk: a read or a write, and valid arguments for it. */
interface WalkStep {
  write: boolean;
  args(b: WalkBoard): unknown[] | Promise<unknown[]>;
}

const SHA = "cd".repeat(32);

/** A new area (with `maxMessages`) holding two messages, for a trim to take. */
async function trimmable(b: WalkBoard, maxMessages: number | null) {
  const n = b.next();
  const area = await b.s.messageAreas.create({
    tag: `TRIM${n}`,
    name: "Trim",
    maxMessages,
  });
  for (const subject of ["one", "two"]) {
    await b.s.messages.post({
      areaId: area.id,
      fromUserId: b.other.id,
      subject,
      body: "trim",
    });
  }
  return area;
}

/**
 * Every operation, read or write by its name, with arguments a board sysop may use. Typed by
 * `OperationName`: an operation added to the contract does not compile until it is listed here.
 */
const WALK: Record<OperationName, WalkStep> = {
  "users.create": {
    write: true,
    args: (b) => [{ username: `new${b.next()}`, passwordHash: "h" }],
  },
  "users.get": { write: false, args: (b) => [b.other.id] },
  "users.findByUsername": { write: false, args: () => ["other"] },
  "users.update": {
    write: true,
    args: (b) => [b.boss.id, { realName: `Boss ${b.next()}` }],
  },
  "users.delete": {
    write: true,
    args: async (b) => [(await member(b.s, `victim${b.next()}`)).id],
  },
  "users.incrementStats": {
    write: true,
    args: (b) => [b.boss.id, { logins: 1 }],
  },
  "users.recordLogin": { write: true, args: (b) => [b.boss.id] },
  "users.list": { write: false, args: () => [{ orderBy: "id" }] },
  "users.count": { write: false, args: () => [{}] },
  "users.recordFailedLogin": {
    write: true,
    args: (b) => [b.other.id, { maxAttempts: 100, lockForSeconds: 60 }],
  },
  "users.getProps": { write: false, args: (b) => [b.other.id] },
  "users.setProps": { write: true, args: (b) => [b.boss.id, { n: b.next() }] },
  "users.findByProp": { write: false, args: () => ["team", "red"] },
  "users.incrementCounter": {
    write: true,
    args: (b) => [b.boss.id, "door.runs", 1, { daily: true }],
  },
  "users.counters": { write: false, args: (b) => [b.other.id] },
  "users.logins": { write: false, args: (b) => [b.other.id] },
  "callers.recent": { write: false, args: () => [] },
  "callers.add": {
    write: true,
    args: (b) => [{ username: `old${b.next()}`, loginAt: new Date(0) }],
  },
  "messageAreas.create": {
    write: true,
    args: (b) => [{ tag: `MA${b.next()}`, name: "New" }],
  },
  "messageAreas.get": { write: false, args: (b) => [b.areaId] },
  "messageAreas.getByTag": { write: false, args: () => ["WALK"] },
  "messageAreas.list": { write: false, args: () => [] },
  "messageAreas.update": {
    write: true,
    args: (b) => [b.areaId, { description: `d${b.next()}` }],
  },
  "messageAreas.delete": {
    write: true,
    args: async (b) => [
      (await b.s.messageAreas.create({ tag: `DM${b.next()}`, name: "Doomed" }))
        .id,
    ],
  },
  "messageAreas.reorder": {
    write: true,
    args: async (b) => [ids(await b.s.messageAreas.list()).reverse()],
  },
  "messages.post": {
    write: true,
    args: (b) => [{
      areaId: b.areaId,
      fromUserId: b.boss.id,
      subject: `post ${b.next()}`,
      body: "walk",
    }],
  },
  "messages.get": { write: false, args: (b) => [b.messageId] },
  "messages.list": { write: false, args: (b) => [b.areaId] },
  "messages.update": {
    write: true,
    args: (b) => [b.messageId, { body: `edit ${b.next()}` }],
  },
  "messages.delete": {
    write: true,
    args: async (b) => [
      (await b.s.messages.post({
        areaId: b.areaId,
        fromUserId: b.other.id,
        subject: "doomed",
        body: "b",
      })).id,
    ],
  },
  "messages.thread": { write: false, args: (b) => [b.messageId] },
  "messages.trim": {
    write: true,
    args: async (b) => [(await trimmable(b, null)).id, { keep: 0 }],
  },
  "messages.trimAll": {
    write: true,
    args: async (b) => {
      await trimmable(b, 1);
      return [];
    },
  },
  "messages.findByMsgid": {
    write: false,
    args: (b) => [b.areaId, "1:2/3 0001"],
  },
  "messages.search": { write: false, args: () => ["walk"] },
  "messages.getByNum": { write: false, args: (b) => [b.areaId, 1] },
  "messages.listUnexported": { write: false, args: (b) => [b.areaId] },
  "messages.markExported": { write: true, args: (b) => [[b.messageId]] },
  "reading.markRead": {
    write: true,
    args: (b) => [b.boss.id, b.areaId, 1],
  },
  "reading.pointer": { write: false, args: (b) => [b.boss.id, b.areaId] },
  "reading.setPointer": {
    write: true,
    args: (b) => [b.boss.id, b.areaId, 0],
  },
  "reading.setPointersByDate": {
    write: true,
    args: (b) => [b.boss.id, new Date(), { areaIds: [b.areaId] }],
  },
  "reading.setScanned": {
    write: true,
    args: (b) => [b.boss.id, b.areaId, true],
  },
  "reading.newScan": { write: false, args: (b) => [b.boss.id] },
  "reading.readNext": { write: false, args: (b) => [b.boss.id, b.areaId] },
  "mail.listFor": { write: false, args: (b) => [b.other.id] },
  "mail.inbox": { write: false, args: (b) => [b.other.id] },
  "mail.sent": { write: false, args: (b) => [b.other.id] },
  "mail.unreadCount": { write: false, args: (b) => [b.other.id] },
  "mail.toName": { write: false, args: () => ["OTHER"] },
  "mail.markReceived": {
    write: true,
    args: async (b) => [
      (await b.s.messages.post({
        areaId: b.areaId,
        fromUserId: b.other.id,
        toUserId: b.boss.id,
        subject: `letter ${b.next()}`,
        body: "walk",
      })).id,
      b.boss.id,
    ],
  },
  "fileAreas.create": {
    write: true,
    args: (b) => [{ tag: `FA${b.next()}`, name: "New" }],
  },
  "fileAreas.get": { write: false, args: (b) => [b.fileAreaId] },
  "fileAreas.getByTag": { write: false, args: () => ["FWALK"] },
  "fileAreas.stats": { write: false, args: () => [] },
  "fileAreas.list": { write: false, args: () => [] },
  "fileAreas.update": {
    write: true,
    args: (b) => [b.fileAreaId, { description: `d${b.next()}` }],
  },
  "fileAreas.delete": {
    write: true,
    args: async (b) => [
      (await b.s.fileAreas.create({ tag: `DF${b.next()}`, name: "Doomed" })).id,
    ],
  },
  "fileAreas.reorder": {
    write: true,
    args: async (b) => [ids(await b.s.fileAreas.list()).reverse()],
  },
  "files.add": {
    write: true,
    args: (b) => [{
      areaId: b.fileAreaId,
      filename: `N${b.next()}.ZIP`,
      size: 5,
      uploaderId: b.boss.id,
    }],
  },
  "files.get": { write: false, args: (b) => [b.fileId] },
  "files.list": { write: false, args: (b) => [b.fileAreaId] },
  "files.page": {
    write: false,
    args: (b) => [b.fileAreaId, { orderBy: "downloads" }],
  },
  "files.count": { write: false, args: (b) => [b.fileAreaId] },
  "files.find": { write: false, args: () => [{ pattern: "*.zip" }] },
  "files.findPage": {
    write: false,
    args: (b) => [{ areaIds: [b.fileAreaId], limit: 1 }],
  },
  "files.move": {
    write: true,
    args: async (b) => [
      (await b.s.files.add({
        areaId: b.fileAreaId,
        filename: `MOVE${b.next()}.ZIP`,
        size: 1,
      })).id,
      b.fileAreaId,
    ],
  },
  "files.listNew": { write: false, args: () => [new Date(0)] },
  "files.findByHash": { write: false, args: () => [SHA] },
  "files.recordDownload": {
    write: true,
    args: (b) => [b.fileId, b.boss.id],
  },
  "files.update": {
    write: true,
    args: (b) => [b.fileId, { description: `walk ${b.next()}` }],
  },
  "files.delete": {
    write: true,
    args: async (b) => [
      (await b.s.files.add({
        areaId: b.fileAreaId,
        filename: `D${b.next()}.ZIP`,
        size: 1,
      })).id,
    ],
  },
  "files.search": { write: false, args: () => ["walk"] },
  "sessions.create": {
    write: true,
    args: (b) => [{ userId: b.boss.id, ipAddress: "192.0.2.50" }],
  },
  "sessions.getByToken": { write: false, args: (b) => [b.token] },
  "sessions.touch": {
    write: true,
    args: (b) => [b.sessionId, { activity: `a${b.next()}` }],
  },
  "sessions.end": {
    write: true,
    args: async (b) => [
      (await b.s.sessions.create({
        userId: b.other.id,
        ipAddress: "192.0.2.60",
      })).session.id,
    ],
  },
  "sessions.delete": {
    write: true,
    args: async (b) => [
      (await b.s.sessions.create({
        userId: b.other.id,
        ipAddress: "192.0.2.61",
      })).session.id,
    ],
  },
  "sessions.listOnline": { write: false, args: () => [] },
  "sessions.listForUser": { write: false, args: (b) => [b.other.id] },
  "sessions.endAllForUser": { write: true, args: (b) => [b.other.id] },
  "sessions.purgeExpired": { write: true, args: () => [] },
  "settings.get": { write: false, args: () => ["board.name"] },
  "settings.set": {
    write: true,
    args: (b) => [`key${b.next()}`, "value"],
  },
  "settings.delete": {
    write: true,
    args: async (b) => {
      const key = `gone${b.next()}`;
      await b.s.settings.set(key, 1);
      return [key];
    },
  },
  "settings.list": { write: false, args: () => [] },
  "settings.increment": { write: true, args: () => ["calls"] },
  "events.append": {
    write: true,
    args: (b) => [{ kind: "walk", userId: b.boss.id }],
  },
  "events.list": { write: false, args: () => [] },
  "events.count": { write: false, args: () => [] },
  "events.top": { write: false, args: () => [{ kind: "walk" }] },
  "events.prune": { write: true, args: () => [{ keep: 1 }] },
};

/** Everything the board holds, read as the system. */
async function everything(s: Repositories) {
  const users = (await s.users.list({ orderBy: "id", limit: 1000 })).users;
  const messageAreas = await s.messageAreas.list();
  const fileAreas = await s.fileAreas.list();
  return {
    users,
    props: await Promise.all(users.map((u) => s.users.getProps(u.id))),
    counters: await Promise.all(users.map((u) => s.users.counters(u.id))),
    logins: await Promise.all(users.map((u) => s.users.logins(u.id))),
    scans: await Promise.all(users.map((u) => s.reading.newScan(u.id))),
    messageAreas,
    messages: await Promise.all(
      messageAreas.map((a) => s.messages.list(a.id, { limit: 1000 })),
    ),
    fileAreas,
    files: await Promise.all(
      fileAreas.map((a) => s.files.list(a.id, { limit: 1000 })),
    ),
    online: await s.sessions.listOnline(),
    settings: await s.settings.list(),
    events: await s.events.list({ limit: 1000 }),
    callers: await s.callers.recent(1000),
  };
}

testCase(
  "access: walk: through as() of a banned board sysop every write is forbidden and writes nothing, every read answers as the system; unbanned, every write goes through",
  async (s) => {
    assert.deepEqual(
      Object.keys(WALK).sort(),
      [...OPERATIONS].sort(),
      "the walk lists every operation",
    );
    const boss = await member(s, "boss", 255);
    const other = await member(s, "other", 10);
    const area = await s.messageAreas.create({ tag: "WALK", name: "Walk" });
    const fileArea = await s.fileAreas.create({ tag: "FWALK", name: "Walk" });
    const message = await s.messages.post({
      areaId: area.id,
      fromUserId: other.id,
      toUserId: other.id,
      subject: "walk",
      body: "walk",
      ftnMsgid: "1:2/3 0001",
    });
    await s.messages.post({
      areaId: area.id,
      fromUserId: boss.id,
      parentId: message.id,
      subject: "re: walk",
      body: "walk",
    });
    const file = await s.files.add({
      areaId: fileArea.id,
      filename: "WALK.ZIP",
      description: "walk",
      size: 10,
      sha256: SHA,
      uploaderId: other.id,
    });
    const { session, token } = await s.sessions.create({
      userId: boss.id,
      ipAddress: "192.0.2.1",
    });
    await s.sessions.create({ userId: other.id, ipAddress: "192.0.2.2" });
    await s.users.setProps(other.id, { team: "red" });
    await s.users.setProps(boss.id, { team: "red" });
    await s.users.incrementCounter(other.id, "points", 5);
    await s.settings.set("board.name", "Walk");
    await s.events.append({ kind: "walk", userId: other.id });
    await s.users.update(boss.id, { status: "banned", statusReason: "Walk" });
    let n = 0;
    const board: WalkBoard = {
      s,
      boss,
      other,
      areaId: area.id,
      fileAreaId: fileArea.id,
      messageId: message.id,
      fileId: file.id,
      sessionId: session.id,
      token,
      next: () => ++n,
    };
    const view = await s.as(boss.id);
    const writes = OPERATIONS.filter((op) => WALK[op].write);
    const reads = OPERATIONS.filter((op) => !WALK[op].write);
    assert.deepEqual([writes.length, reads.length], [44, 48]);
    for (const op of writes) {
      const args = await WALK[op].args(board);
      const before = await everything(s);
      const kind = await kindOf(operation(view, op)(...args));
      assert.equal(kind, "forbidden", `${op} as a banned user: ${kind}`);
      assert.deepEqual(await everything(s), before, `${op} wrote nothing`);
    }
    for (const op of reads) {
      const args = await WALK[op].args(board);
      const expected = await operation(s, op)(...args);
      let got: unknown;
      try {
        got = await operation(view, op)(...args);
      } catch (error) {
        assert.fail(`${op} as a banned board sysop: ${error}`);
      }
      assert.deepEqual(got, expected, `${op} answers as the system`);
    }
    // Unbanned, the same handle does every write (so the walk's arguments are valid, and what
    // refused them above was the ban).
    await s.users.update(boss.id, { status: "active" });
    for (const op of writes) {
      const args = await WALK[op].args(board);
      try {
        await operation(view, op)(...args);
      } catch (error) {
        assert.fail(`${op} as an active board sysop: ${error}`);
      }
    }
  },
);
