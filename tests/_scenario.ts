/**
 * One call of every operation, with realistic data: what the query-plan tests and the
 * benchmarks run.
 *
 * @module
 */
import { type Repositories, StorageError } from "../mod.ts";

/**
 * Runs every operation of the contract at least once (most read paths twice: empty and full).
 *
 * @param s The operations.
 */
export async function everyOperation(s: Repositories): Promise<void> {
  const area = await s.messageAreas.create({
    tag: "GENERAL",
    name: "General",
    kind: "echomail",
    echoTag: "GEN",
  });
  const files = await s.fileAreas.create({ tag: "UTILS", name: "Utilities" });
  const alice = await s.users.create({
    username: "Alice",
    passwordHash: "h",
    flags: "A",
  });
  const bob = await s.users.create({ username: "Bob", passwordHash: "h" });
  await s.messageAreas.get(area.id);
  await s.messageAreas.list();
  await s.fileAreas.get(files.id);
  await s.fileAreas.list();
  await s.users.get(alice.id);
  await s.users.findByUsername("alice");
  await s.users.update(alice.id, {
    username: "Alicia",
    realName: "Alice",
    lastLoginAt: new Date(),
  });
  await s.users.update(alice.id, {});
  await s.users.incrementStats(alice.id, { logins: 1 });
  await s.users.recordLogin(alice.id);
  await s.callers.recent(5);
  const root = await s.messages.post({
    areaId: area.id,
    fromUserId: alice.id,
    subject: "Hello",
    body: "doom",
  });
  const reply = await s.messages.post({
    areaId: area.id,
    fromUserId: bob.id,
    toUserId: alice.id,
    parentId: root.id,
    subject: "Re: Hello",
    body: "quake",
  });
  await s.messages.post({
    areaId: area.id,
    fromName: "Remote",
    subject: "echo",
    body: "b",
    ftnMsgid: "1:1/1 a",
    ftnReply: "1:1/1 z",
  });
  await s.messages.post({
    areaId: area.id,
    fromName: "Remote",
    subject: "echo",
    body: "b",
    ftnMsgid: "1:1/1 z",
  });
  await s.messages.get(root.id);
  await s.messages.list(area.id, { afterNum: 1, limit: 10 });
  await s.messages.update(reply.id, { body: "quake arena" });
  await s.messages.thread(reply.id);
  await s.mail.listFor(alice.id);
  await s.mail.inbox(alice.id);
  await s.mail.inbox(alice.id, { unreadOnly: true, after: 1_000_000 });
  await s.mail.sent(bob.id, { after: 1_000_000 });
  await s.mail.unreadCount(alice.id);
  await s.mail.toName("alice");
  await s.mail.toName("alice", { areaIds: [area.id], after: 1 });
  const letter = await s.messages.post({
    areaId: area.id,
    fromUserId: bob.id,
    toUserId: alice.id,
    subject: "letter",
    body: "b",
    private: true,
  });
  await s.mail.markReceived(letter.id, alice.id);
  // Not the addressee: the statement that tells forbidden from missing.
  await s.mail.markReceived(letter.id, bob.id).catch(() => {});
  await s.messages.findByMsgid(area.id, "1:1/1 a");
  await s.reading.markRead(bob.id, area.id, 1);
  await s.reading.newScan(bob.id);
  await s.reading.readNext(bob.id, area.id, { limit: 10 });
  await s.reading.readNext(bob.id, area.id, { includeOwn: true });
  await s.reading.newScan(bob.id, { includeOwn: true });
  await s.reading.pointer(bob.id, area.id);
  await s.reading.setPointer(bob.id, area.id, 1);
  await s.reading.setScanned(bob.id, area.id, true);
  await s.reading.setPointersByDate(bob.id, new Date());
  await s.reading.setPointersByDate(bob.id, new Date(), { areaIds: [area.id] });
  await s.messages.search("doom", { areaId: area.id });
  await s.messages.search("doom", {
    areaId: area.id,
    fromName: "sysop",
    toName: "All",
    since: new Date(0),
    until: new Date(),
  });
  await s.messages.getByNum(area.id, 1);
  await s.messages.list(area.id, { fromName: "sysop", limit: 10 });
  await s.messages.list(area.id, { toName: "all", since: new Date(0) });
  await s.messages.list(area.id, { since: new Date(0), until: new Date() });
  const queue = await s.messages.listUnexported(area.id, { limit: 10 });
  await s.messages.markExported(queue.map((m) => m.id));
  await s.messages.search('"arena"');
  const file = await s.files.add({
    areaId: files.id,
    filename: "PKZ204G.EXE",
    size: 100,
    uploaderId: alice.id,
    sha256: "a".repeat(64),
  });
  const older = await s.files.add({
    areaId: files.id,
    filename: "ARJ.EXE",
    size: 100,
    uploadedAt: new Date(0),
  });
  // A file in an area that does not exist: the lookup naming the missing area runs too.
  await s.files.add({ areaId: files.id + 1000, filename: "LOST.ZIP", size: 1 })
    .then(
      () => Promise.reject(new Error("a file was added to a missing area")),
      (error: unknown) => {
        if (!(error instanceof StorageError) || error.field !== "areaId") {
          throw error;
        }
      },
    );
  await s.files.get(file.id);
  await s.files.list(files.id);
  await s.files.list(files.id, { before: file.id });
  await everyFileOrder(s, files.id);
  await s.fileAreas.stats();
  const moving = await s.files.add({
    areaId: files.id,
    filename: "MOVE.ZIP",
    size: 1,
  });
  const elsewhere = await s.fileAreas.create({ tag: "ELSEWHERE", name: "E" });
  await s.files.move(moving.id, elsewhere.id);
  await s.files.delete(moving.id);
  await s.fileAreas.delete(elsewhere.id);
  await s.files.listNew(new Date(Date.now() - 86_400_000));
  await s.files.findByHash("a".repeat(64));
  await s.files.recordDownload(file.id, bob.id);
  await s.files.update(file.id, { description: "PKZIP" });
  await s.files.update(older.id, { filename: "ARJ241.EXE" });
  await s.files.search("pkzip", { areaId: files.id });
  await s.files.delete(older.id);
  const { session, token } = await s.sessions.create({
    userId: bob.id,
    ipAddress: "::1",
    node: 1,
    ttlSeconds: 60,
  });
  await s.sessions.getByToken(token);
  await s.sessions.touch(session.id, { activity: "Reading" });
  await s.sessions.listOnline();
  await s.sessions.purgeExpired();
  // Nodes and sessions: the lowest free node, a user's limit, an idle timeout; once it has
  // lapsed, the next "auto" create takes its node, ending it as of its idle end.
  await s.sessions.create({
    userId: bob.id,
    ipAddress: "::1",
    node: "auto",
    idleTimeoutSeconds: 1,
    maxPerUser: 5,
    onLimit: "endOldest",
  });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await s.sessions.create({ userId: alice.id, ipAddress: "::1", node: "auto" });
  await s.sessions.listForUser(bob.id);
  await s.sessions.endAllForUser(alice.id, { except: session.id });
  await s.settings.set("board.name", "Scenario");
  await s.settings.set("board.nodes", 4);
  await s.settings.get("board.name");
  await s.settings.list("board.");
  await s.settings.list("\u{10ffff}");
  await s.settings.increment("stats.calls");
  await s.settings.delete("board.name");
  await s.events.append({
    kind: "login",
    userId: bob.id,
    sessionId: session.id,
    data: { node: 1 },
  });
  await s.events.append({ kind: "file.upload", userId: alice.id });
  // An event of a session that does not exist: the lookup naming it runs too.
  await s.events.append({ kind: "login", sessionId: session.id + 1000 }).then(
    () => Promise.reject(new Error("an event named a missing session")),
    (error: unknown) => {
      if (!(error instanceof StorageError) || error.field !== "sessionId") {
        throw error;
      }
    },
  );
  const since = new Date(Date.now() - 86_400_000);
  await s.events.list();
  await s.events.list({ kind: "login", after: since });
  await s.events.list({ userId: bob.id, before: new Date() });
  await s.events.list({ kind: "login", userId: bob.id });
  await s.events.count();
  await s.events.count({ kind: "login" });
  await s.events.count({ userId: bob.id });
  await s.events.count({ kind: "login", userId: bob.id });
  await s.events.top({ kind: "login" });
  await s.events.top({ kind: "login", after: since });
  await s.events.prune({ olderThan: since });
  await s.events.prune({ olderThan: since, keep: 1 });
  await s.sessions.end(session.id);
  await userAdministration(s, bob.id);
  await s.sessions.delete(session.id);
  await s.messages.delete(reply.id);
  await trimming(s, alice.id);
  await areaAdministration(s, alice.id, bob.id, files.id);
  await s.users.delete(bob.id);
}

/**
 * Trims that take messages, by number, by date and by the areas' settings: a thread whose root
 * goes (its reply re-rooted, the grandchild following), a reader's pointer moved past the gap.
 */
async function trimming(s: Repositories, userId: number): Promise<void> {
  const area = await s.messageAreas.create({
    tag: "TRIMMED",
    name: "Trimmed",
    maxMessages: 2,
    maxAgeDays: 30,
  });
  const post = (parentId?: number, daysAgo = 0) =>
    s.messages.post({
      areaId: area.id,
      fromUserId: userId,
      subject: "Trim",
      body: "old",
      createdAt: new Date(Date.now() - daysAgo * 86_400_000),
      ...(parentId === undefined ? {} : { parentId }),
    });
  const root = await post(undefined, 60);
  const reply = await post(root.id);
  await post(reply.id);
  for (let i = 0; i < 4; i++) await post();
  await s.reading.setPointer(userId, area.id, 0);
  await s.messages.trim(area.id, { keep: 5 });
  await s.messages.trim(area.id, { olderThan: new Date(Date.now() - 1000) });
  await post(undefined, 40);
  await s.messages.trimAll();
  await s.reading.newScan(userId);
}

/** Every shape of `users.list` and `users.count`, failed logins, properties and logins. */
async function userAdministration(s: Repositories, id: number): Promise<void> {
  for (
    const orderBy of ["username", "id", "createdAt", "lastLoginAt"] as const
  ) {
    for (const descending of [false, true]) {
      const first = await s.users.list({ orderBy, descending, limit: 1 });
      await s.users.list({ orderBy, descending, limit: 1, after: first.next! });
    }
  }
  const filter = { query: "li", status: "active", minLevel: 0 } as const;
  await s.users.list(filter);
  await s.users.count();
  await s.users.count(filter);
  await s.users.recordFailedLogin(id, { maxAttempts: 1, lockForSeconds: 60 });
  await s.users.setProps(id, {
    email: "bob@example.org",
    long: "x".repeat(300),
  });
  await s.users.setProps(id, { long: null });
  await s.users.getProps(id);
  await s.users.incrementCounter(id, "door.runs");
  await s.users.incrementCounter(id, "points", 5, { daily: true });
  await s.users.counters(id);
  await s.users.findByProp("email", "bob@example.org");
  await s.users.logins(id, { before: new Date(), limit: 10 });
}

/** The area editor: look-up by tag, settings, order, deleting with and without a move. */
async function areaAdministration(
  s: Repositories,
  reader: number,
  other: number,
  fileAreaId: number,
): Promise<void> {
  const old = await s.messageAreas.create({ tag: "OLD", name: "Old" });
  const empty = await s.messageAreas.create({ tag: "EMPTY", name: "Empty" });
  const busy = await s.messageAreas.create({ tag: "BUSY", name: "Busy" });
  for (const areaId of [old.id, old.id, busy.id]) {
    await s.messages.post({
      areaId,
      fromUserId: reader,
      subject: "s",
      body: "b",
    });
  }
  await s.reading.markRead(reader, old.id, 1);
  await s.reading.markRead(other, old.id, 2);
  await s.reading.markRead(reader, busy.id, 1);
  await s.messageAreas.getByTag("old");
  await s.messageAreas.update(old.id, { kind: "echomail", tag: "OLDER" });
  await s.messageAreas.update(old.id, { access: { readLevel: 10 } });
  await s.messageAreas.update(old.id, {});
  await s.messageAreas.reorder((await s.messageAreas.list()).map((a) => a.id));
  // Into an area that never held a message (pointers carried), then into one that did.
  await s.messageAreas.delete(old.id, { moveTo: empty.id });
  await s.messageAreas.delete(empty.id, { moveTo: busy.id });
  const spare = await s.messageAreas.create({ tag: "SPARE", name: "Spare" });
  await s.messageAreas.delete(spare.id);
  const more = await s.fileAreas.create({ tag: "MORE", name: "More" });
  await s.files.add({ areaId: more.id, filename: "MORE.ZIP", size: 1 });
  await s.fileAreas.getByTag("more");
  await s.fileAreas.update(more.id, { uploadsAllowed: false });
  await s.fileAreas.update(more.id, {});
  await s.fileAreas.reorder([more.id, fileAreaId]);
  await s.fileAreas.delete(more.id, { moveTo: fileAreaId });
}

/**
 * Runs every read of a viewer (`storage.as`) and a guarded write of each kind, on a board of a
 * private area, a flagged area and a file area: what the query-plan tests explain for the
 * statements only a viewer runs. Runs after {@linkcode everyOperation} on the same database.
 *
 * @param s The operations (the system's view).
 * @param as The same operations as a user sees them.
 */
export async function everyViewedOperation(
  s: Repositories,
  as: (userId: number) => Promise<Repositories>,
): Promise<void> {
  const sysop = await s.users.create({
    username: "Viewer Sysop",
    passwordHash: "h",
    securityLevel: 255,
  });
  const caller = await s.users.create({
    username: "Viewer Caller",
    passwordHash: "h",
    flags: "B",
  });
  const mail = await s.messageAreas.create({
    tag: "VMAIL",
    name: "Mail",
    kind: "private",
  });
  const flagged = await s.messageAreas.create({
    tag: "VFLAG",
    name: "Flagged",
    access: { readFlags: "B", hidden: true },
  });
  const uploads = await s.fileAreas.create({ tag: "VUP", name: "Uploads" });
  const you = await as(caller.id);
  const boss = await as(sysop.id);
  const note = await you.messages.post({
    areaId: mail.id,
    fromUserId: caller.id,
    toUserId: sysop.id,
    subject: "Hello",
    body: "doom",
  });
  const post = await you.messages.post({
    areaId: flagged.id,
    fromUserId: caller.id,
    subject: "Flagged",
    body: "doom",
  });
  await you.messages.update(post.id, { body: "quake" });
  // Links made as a viewer: a reply by id, a FidoNet reply by MSGID, an orphan adopted.
  await you.messages.post({
    areaId: mail.id,
    fromUserId: caller.id,
    toUserId: sysop.id,
    parentId: note.id,
    subject: "Re: Hello",
    body: "doom",
  });
  await you.messages.post({
    areaId: flagged.id,
    fromUserId: caller.id,
    subject: "Early reply",
    body: "doom",
    ftnReply: "1:2/3 v1",
  });
  await you.messages.post({
    areaId: flagged.id,
    fromUserId: caller.id,
    subject: "Parent",
    body: "doom",
    ftnMsgid: "1:2/3 v1",
  });
  const anonymous = await s.messageAreas.create({
    tag: "VANON",
    name: "Anonymous",
    anonymous: "forced",
  });
  const unsigned = await boss.messages.post({
    areaId: anonymous.id,
    fromUserId: sysop.id,
    subject: "Guess who",
    body: "doom",
  });
  // Another's anonymous message: the viewer's sysop status in its area is asked.
  await you.messages.get(unsigned.id);
  await boss.messages.markExported([note.id, post.id]);
  for (const viewer of [you, boss]) {
    await viewer.messageAreas.get(mail.id);
    await viewer.messageAreas.getByTag("VFLAG");
    await viewer.messageAreas.list();
    await viewer.fileAreas.get(uploads.id);
    await viewer.fileAreas.getByTag("VUP");
    await viewer.fileAreas.list();
    await viewer.messages.get(note.id);
    await viewer.messages.list(mail.id);
    await viewer.messages.list(flagged.id);
    await viewer.messages.thread(note.id);
    await viewer.messages.findByMsgid(flagged.id, "1:2/3 abc");
    await viewer.messages.search("doom");
    await viewer.messages.search("doom", {
      fromName: "you",
      since: new Date(0),
    });
    await viewer.messages.getByNum(mail.id, 1);
    await viewer.messages.list(mail.id, { fromName: "you" });
    await viewer.messages.list(flagged.id, { toName: "all" });
    await viewer.messages.listUnexported(flagged.id);
    await viewer.mail.listFor(sysop.id);
    await viewer.mail.inbox(sysop.id);
    await viewer.mail.inbox(sysop.id, { unreadOnly: true });
    await viewer.mail.sent(caller.id);
    await viewer.mail.unreadCount(sysop.id);
    await viewer.mail.toName("Viewer Sysop");
    await viewer.mail.toName("Viewer Sysop", { areaIds: [mail.id] });
    await viewer.reading.newScan(caller.id);
    await viewer.reading.readNext(caller.id, mail.id);
    await viewer.reading.readNext(caller.id, flagged.id);
    await viewer.reading.readNext(caller.id, mail.id, { includeOwn: true });
  }
  await boss.mail.markReceived(note.id, sysop.id);
  await you.reading.markRead(caller.id, flagged.id, 1);
  await you.reading.setPointer(caller.id, mail.id, 1);
  await you.reading.setPointersByDate(caller.id, new Date());
  await you.reading.setPointersByDate(caller.id, new Date(), {
    areaIds: [mail.id],
  });
  await you.users.setProps(caller.id, { theme: "dark" });
  await you.users.getProps(sysop.id);
  await you.users.incrementCounter(caller.id, "door.runs");
  await you.users.counters(caller.id);
  await you.users.counters(sysop.id);
  await you.users.logins(sysop.id);
  await boss.messageAreas.update(flagged.id, { description: "Flags" });
  await boss.fileAreas.update(uploads.id, { description: "Up" });
  const { session } = await s.sessions.create({
    userId: caller.id,
    ipAddress: "192.0.2.9",
  });
  await you.sessions.touch(session.id);
  await you.events.append({ kind: "door.run", userId: caller.id });
  const upload = await you.files.add({
    areaId: uploads.id,
    uploaderId: caller.id,
    filename: "VIEWED.ZIP",
    size: 1,
  });
  await you.files.recordDownload(upload.id, caller.id);
  await you.files.update(upload.id, { description: "Viewed" });
  await you.messages.delete(post.id);
  await boss.messages.trim(flagged.id, { keep: 1 });
  await boss.messages.trimAll();
}

/**
 * Files as a user sees them (`as()`): each read's viewer statement runs, on an area the user
 * may read (by level and flag) beside one they may not, and the user's own upload is edited,
 * downloaded and deleted through the guards.
 *
 * @param s The operations, as the system.
 * @param as The operations as a user.
 */
export async function viewedFiles(
  s: Repositories,
  as: (userId: number) => Repositories,
): Promise<void> {
  const open = await s.fileAreas.create({
    tag: "VIEWED",
    name: "Viewed",
    access: { readLevel: 10, readFlags: "B" },
  });
  const closed = await s.fileAreas.create({
    tag: "CLOSED",
    name: "Closed",
    access: { readLevel: 200 },
  });
  const user = await s.users.create({
    username: "Viewer",
    passwordHash: "h",
    securityLevel: 20,
    flags: "AB",
  });
  const file = await s.files.add({
    areaId: open.id,
    filename: "VIEWED.ZIP",
    description: "viewed archive",
    size: 1,
    sha256: "b".repeat(64),
  });
  await s.files.add({
    areaId: closed.id,
    filename: "CLOSED.ZIP",
    description: "closed archive",
    size: 1,
    sha256: "b".repeat(64),
  });
  const v = as(user.id);
  await v.files.get(file.id);
  await v.files.list(open.id);
  await v.files.list(open.id, { before: file.id });
  await s.files.add({ areaId: open.id, filename: "MORE.ZIP", size: 2 });
  await everyFileOrder(v, open.id);
  await v.fileAreas.stats();
  await v.files.listNew(new Date(Date.now() - 86_400_000));
  await v.files.findByHash("b".repeat(64));
  await v.files.search("archive");
  await v.files.search("archive", { areaId: open.id });
  const own = await v.files.add({
    areaId: open.id,
    filename: "OWN.ZIP",
    size: 1,
    uploaderId: user.id,
  });
  await v.files.update(own.id, { description: "mine" });
  await v.files.recordDownload(own.id, user.id);
  await v.files.delete(own.id);
}

/**
 * Every shape of an area's file list (each order, both ways, first page and after a cursor, with
 * and without unavailable files) and of its count. The area must hold two files or more.
 */
export async function everyFileOrder(
  s: Repositories,
  areaId: number,
): Promise<void> {
  for (const orderBy of ["uploadedAt", "name", "size", "downloads"] as const) {
    for (const descending of [false, true]) {
      for (const includeUnavailable of [false, true]) {
        const first = await s.files.page(areaId, {
          orderBy,
          descending,
          includeUnavailable,
          limit: 1,
        });
        if (first.next === null) throw new Error("the area has one file");
        await s.files.list(areaId, {
          orderBy,
          descending,
          includeUnavailable,
          after: first.next,
        });
      }
    }
  }
  await s.files.count(areaId);
  await s.files.count(areaId, { includeUnavailable: true });
  await everyFileFind(s, areaId);
}

/**
 * `files.find` in each of its statement shapes: a pattern with a literal prefix (a range of the
 * name key index) or none, a page after a cursor, an uploader, areas, unavailable files.
 */
export async function everyFileFind(
  s: Repositories,
  areaId: number,
): Promise<void> {
  for (const includeUnavailable of [false, true]) {
    for (const pattern of [undefined, "*", "*.ZIP", "A*.ZIP", "A", "A?"]) {
      const first = await s.files.findPage({
        pattern,
        includeUnavailable,
        limit: 1,
      });
      if (first.next !== null) {
        await s.files.find({
          pattern,
          includeUnavailable,
          after: first.next,
          limit: 1,
        });
      }
    }
  }
  await s.files.find({ pattern: "A*", uploaderId: 1, minSize: 1 });
  await s.files.find({ pattern: "*", maxSize: 1, until: new Date() });
  await s.files.find({ areaIds: [areaId], since: new Date(0) });
  await s.files.find({ pattern: "A*", areaIds: [areaId], uploaderId: 1 });
}
