/**
 * Valid arguments for every operation of the contract, on a small board: what the tests that
 * walk every method (closing, detached methods) call.
 *
 * @module
 */
import type { StorageOps } from "../mod.ts";

/** Valid arguments for every operation, given the ids of a small board. */
export function everyCall(ids: {
  user: number;
  area: number;
  fileArea: number;
  message: number;
  file: number;
  session: number;
  token: string;
}): Record<keyof StorageOps, unknown[]> {
  const when = new Date(1_700_000_000_000);
  return {
    createUser: [{ username: "late", passwordHash: "h" }],
    getUser: [ids.user],
    findUserByUsername: ["sysop"],
    updateUser: [ids.user, { securityLevel: 20 }],
    deleteUser: [ids.user],
    incrementUserStats: [ids.user, { logins: 1 }],
    recordLogin: [ids.user],
    lastCallers: [5],
    addLastCaller: [{ username: "Caller", loginAt: when }],
    createMessageArea: [{ tag: "LATE", name: "Late" }],
    getMessageArea: [ids.area],
    listMessageAreas: [],
    createFileArea: [{ tag: "LATE", name: "Late" }],
    getFileArea: [ids.fileArea],
    listFileAreas: [],
    postMessage: [{
      areaId: ids.area,
      fromUserId: ids.user,
      subject: "s",
      body: "b",
    }],
    getMessage: [ids.message],
    listMessages: [ids.area, { limit: 10 }],
    updateMessage: [ids.message, { body: "edited" }],
    deleteMessage: [ids.message],
    getThread: [ids.message],
    listMailFor: [ids.user],
    findMessageByMsgid: [ids.area, "1:2/3 abcd"],
    markRead: [ids.user, ids.area, 1],
    newScan: [ids.user],
    readNext: [ids.user, ids.area, { limit: 5 }],
    searchMessages: ["hello"],
    addFile: [{ areaId: ids.fileArea, filename: "LATE.ZIP", size: 1 }],
    getFile: [ids.file],
    listFiles: [ids.fileArea],
    listNewFiles: [when],
    findFilesByHash: ["ab".repeat(32)],
    recordDownload: [ids.file, ids.user],
    updateFile: [ids.file, { description: "d" }],
    deleteFile: [ids.file],
    searchFiles: ["zip"],
    createSession: [{ userId: ids.user, ipAddress: "192.0.2.1" }],
    getSessionByToken: [ids.token],
    touchSession: [ids.session],
    endSession: [ids.session],
    deleteSession: [ids.session],
    listOnline: [],
    purgeExpiredSessions: [],
  };
}

/**
 * A small board: a user, a message area with a message, a file area with a file, a session.
 *
 * @param s Where to create it.
 * @returns The ids (and the session's token) for {@linkcode everyCall}.
 */
export async function smallBoard(s: StorageOps) {
  const user = await s.createUser({ username: "sysop", passwordHash: "h" });
  const area = await s.createMessageArea({ tag: "GENERAL", name: "General" });
  const fileArea = await s.createFileArea({ tag: "UTILS", name: "Utils" });
  const message = await s.postMessage({
    areaId: area.id,
    fromUserId: user.id,
    subject: "hello",
    body: "world",
  });
  const file = await s.addFile({
    areaId: fileArea.id,
    filename: "A.ZIP",
    size: 10,
  });
  const { session, token } = await s.createSession({
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
