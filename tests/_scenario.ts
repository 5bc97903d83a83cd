/**
 * One call of every operation, with realistic data: what the query-plan tests and the
 * benchmarks run.
 *
 * @module
 */
import { StorageError, type StorageOps } from "../mod.ts";

/**
 * Runs every operation of the contract at least once (most read paths twice: empty and full).
 *
 * @param s The operations.
 */
export async function everyOperation(s: StorageOps): Promise<void> {
  const area = await s.createMessageArea({
    tag: "GENERAL",
    name: "General",
    kind: "echomail",
    echoTag: "GEN",
  });
  const files = await s.createFileArea({ tag: "UTILS", name: "Utilities" });
  const alice = await s.createUser({
    username: "Alice",
    passwordHash: "h",
    flags: "A",
  });
  const bob = await s.createUser({ username: "Bob", passwordHash: "h" });
  await s.getMessageArea(area.id);
  await s.listMessageAreas();
  await s.getFileArea(files.id);
  await s.listFileAreas();
  await s.getUser(alice.id);
  await s.findUserByUsername("alice");
  await s.updateUser(alice.id, {
    username: "Alicia",
    realName: "Alice",
    lastLoginAt: new Date(),
  });
  await s.updateUser(alice.id, {});
  await s.incrementUserStats(alice.id, { logins: 1 });
  await s.recordLogin(alice.id);
  await s.lastCallers(5);
  const root = await s.postMessage({
    areaId: area.id,
    fromUserId: alice.id,
    subject: "Hello",
    body: "doom",
  });
  const reply = await s.postMessage({
    areaId: area.id,
    fromUserId: bob.id,
    toUserId: alice.id,
    parentId: root.id,
    subject: "Re: Hello",
    body: "quake",
  });
  await s.postMessage({
    areaId: area.id,
    fromName: "Remote",
    subject: "echo",
    body: "b",
    ftnMsgid: "1:1/1 a",
    ftnReply: "1:1/1 z",
  });
  await s.postMessage({
    areaId: area.id,
    fromName: "Remote",
    subject: "echo",
    body: "b",
    ftnMsgid: "1:1/1 z",
  });
  await s.getMessage(root.id);
  await s.listMessages(area.id, { afterNum: 1, limit: 10 });
  await s.updateMessage(reply.id, { body: "quake arena" });
  await s.getThread(reply.id);
  await s.listMailFor(alice.id);
  await s.findMessageByMsgid(area.id, "1:1/1 a");
  await s.markRead(bob.id, area.id, 1);
  await s.newScan(bob.id);
  await s.readNext(bob.id, area.id, { limit: 10 });
  await s.searchMessages("doom", { areaId: area.id });
  await s.searchMessages('"arena"');
  const file = await s.addFile({
    areaId: files.id,
    filename: "PKZ204G.EXE",
    size: 100,
    uploaderId: alice.id,
    sha256: "a".repeat(64),
  });
  const older = await s.addFile({
    areaId: files.id,
    filename: "ARJ.EXE",
    size: 100,
    uploadedAt: new Date(0),
  });
  // A file in an area that does not exist: the lookup naming the missing area runs too.
  await s.addFile({ areaId: files.id + 1000, filename: "LOST.ZIP", size: 1 })
    .then(
      () => Promise.reject(new Error("a file was added to a missing area")),
      (error: unknown) => {
        if (!(error instanceof StorageError) || error.field !== "areaId") {
          throw error;
        }
      },
    );
  await s.getFile(file.id);
  await s.listFiles(files.id);
  await s.listFiles(files.id, { before: file.id });
  await s.listNewFiles(new Date(Date.now() - 86_400_000));
  await s.findFilesByHash("a".repeat(64));
  await s.recordDownload(file.id, bob.id);
  await s.updateFile(file.id, { description: "PKZIP" });
  await s.updateFile(older.id, { filename: "ARJ241.EXE" });
  await s.searchFiles("pkzip", { areaId: files.id });
  await s.deleteFile(older.id);
  const { session, token } = await s.createSession({
    userId: bob.id,
    ipAddress: "::1",
    node: 1,
    ttlSeconds: 60,
  });
  await s.getSessionByToken(token);
  await s.touchSession(session.id, { activity: "Reading" });
  await s.listOnline();
  await s.purgeExpiredSessions();
  await s.endSession(session.id);
  await s.deleteSession(session.id);
  await s.deleteMessage(reply.id);
  await s.deleteUser(bob.id);
}
