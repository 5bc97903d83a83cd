/**
 * Valid arguments for every operation of the contract, on a small board: what the tests that
 * walk every method (closing, detached methods) call.
 *
 * @module
 */
import type { Repositories } from "../mod.ts";
import type { OperationName } from "../src/ops/mod.ts";

/** Valid arguments for every operation, given the ids of a small board. */
export function everyCall(ids: {
  user: number;
  area: number;
  fileArea: number;
  message: number;
  file: number;
  session: number;
  token: string;
}): Record<OperationName, unknown[]> {
  const when = new Date(1_700_000_000_000);
  return {
    "users.create": [{ username: "late", passwordHash: "h" }],
    "users.get": [ids.user],
    "users.findByUsername": ["sysop"],
    "users.update": [ids.user, { securityLevel: 20 }],
    "users.delete": [ids.user],
    "users.incrementStats": [ids.user, { logins: 1 }],
    "users.recordLogin": [ids.user],
    "users.list": [{ query: "sys", limit: 5 }],
    "users.count": [{ minLevel: 0 }],
    "users.recordFailedLogin": [ids.user, {
      maxAttempts: 5,
      lockForSeconds: 60,
    }],
    "users.getProps": [ids.user],
    "users.setProps": [ids.user, { email: "sysop@example.org" }],
    "users.findByProp": ["email", "sysop@example.org"],
    "users.incrementCounter": [ids.user, "door.runs", 2, { daily: true }],
    "users.counters": [ids.user],
    "users.logins": [ids.user, { limit: 5 }],
    "callers.recent": [5],
    "callers.add": [{ username: "Caller", loginAt: when }],
    "messageAreas.create": [{ tag: "LATE", name: "Late" }],
    "messageAreas.get": [ids.area],
    "messageAreas.list": [],
    "messageAreas.getByTag": ["general"],
    "messageAreas.update": [ids.area, { description: "d" }],
    // The area "messageAreas.create" made (the next id), moved into the board's.
    "messageAreas.delete": [ids.area + 1, { moveTo: ids.area }],
    // Before the deletions (detached_test runs them last): the board's area and "LATE".
    "messageAreas.reorder": [[ids.area + 1, ids.area]],
    "fileAreas.create": [{ tag: "LATE", name: "Late" }],
    "fileAreas.get": [ids.fileArea],
    "fileAreas.list": [],
    "fileAreas.getByTag": ["uploads"],
    "fileAreas.update": [ids.fileArea, { description: "d" }],
    "fileAreas.delete": [ids.fileArea + 1, { moveTo: ids.fileArea }],
    "fileAreas.reorder": [[ids.fileArea + 1, ids.fileArea]],
    "messages.post": [{
      areaId: ids.area,
      fromUserId: ids.user,
      subject: "s",
      body: "b",
    }],
    "messages.get": [ids.message],
    "messages.list": [ids.area, { limit: 10 }],
    "messages.update": [ids.message, { body: "edited" }],
    "messages.delete": [ids.message],
    "messages.thread": [ids.message],
    "messages.trim": [ids.area, { keep: 1000 }],
    "messages.trimAll": [],
    "mail.listFor": [ids.user],
    "mail.inbox": [ids.user, { unreadOnly: true, limit: 5 }],
    "mail.sent": [ids.user, { limit: 5 }],
    "mail.unreadCount": [ids.user],
    "mail.markReceived": [ids.message, ids.user],
    "mail.toName": ["sysop", { areaIds: [ids.area] }],
    "messages.findByMsgid": [ids.area, "1:2/3 abcd"],
    "reading.markRead": [ids.user, ids.area, 1],
    "reading.pointer": [ids.user, ids.area],
    "reading.setPointer": [ids.user, ids.area, 0],
    "reading.setPointersByDate": [ids.user, when, { areaIds: [ids.area] }],
    "reading.setScanned": [ids.user, ids.area, false],
    "reading.newScan": [ids.user],
    "reading.readNext": [ids.user, ids.area, { limit: 5 }],
    "messages.search": ["hello"],
    "messages.getByNum": [ids.area, 1],
    "messages.listUnexported": [ids.area, { limit: 5 }],
    "messages.markExported": [[ids.message]],
    "files.add": [{ areaId: ids.fileArea, filename: "LATE.ZIP", size: 1 }],
    "files.get": [ids.file],
    "files.list": [ids.fileArea],
    "files.page": [ids.fileArea, { orderBy: "downloads" }],
    "files.count": [ids.fileArea],
    "files.find": [{ pattern: "*.ZIP" }],
    "files.findPage": [{ areaIds: [ids.fileArea], limit: 1 }],
    "files.move": [ids.file, ids.fileArea],
    "fileAreas.stats": [],
    "files.listNew": [when],
    "files.findByHash": ["ab".repeat(32)],
    "files.recordDownload": [ids.file, ids.user],
    "files.update": [ids.file, { description: "d" }],
    "files.delete": [ids.file],
    "files.search": ["zip"],
    "sessions.create": [{ userId: ids.user, ipAddress: "192.0.2.1" }],
    "sessions.getByToken": [ids.token],
    "sessions.touch": [ids.session],
    "sessions.end": [ids.session],
    "sessions.delete": [ids.session],
    "sessions.listOnline": [],
    "sessions.purgeExpired": [],
    "sessions.listForUser": [ids.user],
    "sessions.endAllForUser": [ids.user, { except: ids.session }],
    "settings.get": ["board.name"],
    "settings.set": ["board.name", { name: "Late" }],
    "settings.delete": ["board.name"],
    "settings.list": ["board."],
    "settings.increment": ["stats.calls", 2],
    "events.append": [{ kind: "file.upload", userId: ids.user, data: [1] }],
    "events.list": [{ kind: "file.upload", limit: 5 }],
    "events.count": [{ userId: ids.user }],
    "events.top": [{ kind: "file.upload" }],
    "events.prune": [{ keep: 10 }],
  };
}

/**
 * A small board: a user, a message area with a message, a file area with a file, a session.
 *
 * @param s Where to create it.
 * @returns The ids (and the session's token) for {@linkcode everyCall}.
 */
export async function smallBoard(s: Repositories) {
  const user = await s.users.create({ username: "sysop", passwordHash: "h" });
  const area = await s.messageAreas.create({ tag: "GENERAL", name: "General" });
  const fileArea = await s.fileAreas.create({ tag: "UTILS", name: "Utils" });
  const message = await s.messages.post({
    areaId: area.id,
    fromUserId: user.id,
    subject: "hello",
    body: "world",
  });
  const file = await s.files.add({
    areaId: fileArea.id,
    filename: "A.ZIP",
    size: 10,
  });
  const { session, token } = await s.sessions.create({
    userId: user.id,
    ipAddress: "192.0.2.1",
  });
  return {
    user: user.id,
    area: area.id,
    fileArea: fileArea.id,
    message: message.id,
    file: file.id,
    session: session.id,
    token,
  };
}
