/**
 * A board where every column of every table holds data other than its default, written through
 * the Storage API (and SQL where the API cannot reach), for the tests that prove a migration
 * step gives back every row and column; and the check, read from the real schema, that no
 * column is left empty, so a column added later without test data fails those tests.
 *
 * @module
 */
import { openStorage } from "../mod.ts";
import { sqlQuery, withSql } from "./_migrate.ts";

/** Access settings none of which is the default. */
const ACCESS = {
  readLevel: 10,
  writeLevel: 20,
  readFlags: "A",
  writeFlags: "BC",
  hidden: true,
  sysopLevel: 250,
};

/** What the tests look up on a full board. */
export interface FullBoard {
  /** A locked user (profile fields filled, a reason, a lock end). */
  lockedUserId: number;
  /** An active user with a live session, a failed login and properties. */
  activeUserId: number;
  /** A banned user (with a reason, a failed login and a long property). */
  bannedUserId: number;
  /** The message area (echomail) and file area. */
  areaId: number;
  fileAreaId: number;
  /** Session tokens: live (with a node), ended, expired, and one of the locked user. */
  tokens: { live: string; ended: string; expired: string; locked: string };
}

/**
 * Fills a database at the newest version so that every column of every table holds some value
 * that is neither NULL nor its default. The newest user, message, file, session, login, event and
 * area of each kind are deleted again, so every id high-water mark lies above the highest id.
 *
 * @param url The database URL (migrated to the newest version).
 * @returns Ids and tokens.
 */
export async function fillBoard(url: string): Promise<FullBoard> {
  await using s = await openStorage(url, { migrate: "check" });
  const area = await s.messageAreas.create({
    tag: "FIDO.TEST",
    name: "FidoNet test echo",
    kind: "echomail",
    echoTag: "TEST",
    description: "Tests of the FidoNet echo",
    position: 5,
    conference: "FidoNet",
    maxMessages: 1000,
    maxAgeDays: 365,
    origin: "The Full Board (2:280/464)",
    anonymous: "allowed",
    access: ACCESS,
  });
  const fileArea = await s.fileAreas.create({
    tag: "UTILS",
    name: "Utilities",
    description: "DOS utilities",
    position: 6,
    storagePath: "/srv/bbs/files/utils",
    maxFileSize: 10_000_000,
    uploadsAllowed: false,
    access: ACCESS,
  });
  const created = new Date(Date.UTC(1995, 3, 1));
  const locked = await s.users.create({
    username: "Locked Lou",
    passwordHash: "$argon2id$lou",
    securityLevel: 5,
    realName: "Lou Locke",
    location: "Springfield",
    note: "Locked for spamming",
    flags: "AB",
    status: "locked",
    statusReason: "Spamming",
    lockedUntil: new Date(Date.UTC(2999, 0, 1)),
    createdAt: created,
  });
  const banned = await s.users.create({
    username: "Banned Bill",
    passwordHash: "$argon2id$bill",
    realName: "Bill Bänned",
  });
  await s.users.update(banned.id, {
    status: "banned",
    statusReason: "Abuse of the chat",
  });
  await s.users.recordFailedLogin(banned.id, {
    maxAttempts: 3,
    lockForSeconds: 60,
  });
  const active = await s.users.create({
    username: "Active Ann",
    passwordHash: "$argon2id$ann",
    securityLevel: 200,
    realName: "Ann Active",
    location: "Shelbyville",
    note: "Co-sysop",
    flags: "Z",
    createdAt: created,
  });
  // A name whose key the folds of versions 9 and 10 spell differently ("straße", "strasse").
  await s.users.create({
    username: "Straße Sam",
    passwordHash: "$argon2id$sam",
  });
  await s.users.incrementStats(active.id, {
    uploads: 1,
    downloads: 2,
    uploadBytes: 300,
    downloadBytes: 400,
  });
  await s.users.recordLogin(active.id);
  await s.users.recordLogin(locked.id);
  await s.users.recordFailedLogin(active.id, {
    maxAttempts: 5,
    lockForSeconds: 60,
  });
  await s.users.setProps(active.id, {
    email: "ann@example.org",
    colors: { menu: "cyan", pager: [1, 2] },
  });
  await s.users.setProps(banned.id, { email: "x".repeat(300) });
  await s.users.incrementCounter(active.id, "door.runs", 3);
  await s.users.incrementCounter(active.id, "points", 7, { daily: true });
  const root = await s.messages.post({
    areaId: area.id,
    fromUserId: active.id,
    toUserId: locked.id,
    subject: "Welcome",
    body: "Hello from the test echo",
    ftnMsgid: "2:280/464 5c3b1e2a",
    kludges: [{ name: "PID", value: "Impulse 7.1" }],
  });
  await s.messages.post({
    areaId: area.id,
    fromName: "Remote Rita",
    toName: "Active Ann",
    subject: "Re: Welcome",
    body: "Thanks",
    parentId: root.id,
    ftnMsgid: "2:280/465 00000001",
    ftnReply: root.ftnMsgid,
    kludges: [{ name: "TZUTC", value: "0100" }],
    private: true,
    anonymous: true,
    origAddr: "2:280/465",
    destAddr: "2:280/464.1",
    imported: true,
  });
  // Exported by the tosser (root), and one still waiting.
  await s.messages.markExported([root.id]);
  await s.messages.post({
    areaId: area.id,
    fromUserId: active.id,
    subject: "Waiting",
    body: "Not yet tossed",
  });
  // A letter of a private area (mail), received.
  const email = await s.messageAreas.create({
    tag: "EMAIL",
    name: "E-mail",
    kind: "private",
  });
  const letter = await s.messages.post({
    areaId: email.id,
    fromUserId: active.id,
    toUserId: locked.id,
    // Not ASCII: the key mail.toName finds it by is computed by 0019's code step.
    toName: "Loü Straße",
    subject: "Your account",
    body: "Call me",
  });
  await s.mail.markReceived(letter.id, locked.id);
  const file = await s.files.add({
    areaId: fileArea.id,
    filename: "PKZ204G.EXE",
    description: "PKZIP 2.04g",
    uploaderId: active.id,
    size: 202574,
    sha256: "ab".repeat(32),
    uploadedAt: created,
    diz: "PKZIP v2.04g\r\nThe archiver",
    storagePath: "/srv/bbs/files/utils/pkz204g.exe",
    offline: true,
    scanStatus: "pending",
  });
  await s.files.recordDownload(file.id, locked.id);
  await s.reading.markRead(active.id, area.id, 1);
  await s.reading.setScanned(active.id, area.id, false);
  const live = await s.sessions.create({
    userId: active.id,
    ipAddress: "10.0.0.1",
    node: 1,
    activity: "Reading mail",
  });
  const ended = await s.sessions.create({
    userId: active.id,
    ipAddress: "::1",
  });
  await s.sessions.end(ended.session.id);
  const expired = await s.sessions.create({
    userId: active.id,
    ipAddress: "10.0.0.2",
    ttlSeconds: 60,
  });
  const ofLocked = await s.sessions.create({
    userId: locked.id,
    ipAddress: "10.0.0.3",
    node: 2,
    idleTimeoutSeconds: 3600,
  });
  await s.settings.set("board.name", { name: "Full Board", nodes: [1, 2] });
  await s.settings.increment("stats.calls", 7);
  await s.events.append({
    kind: "file.upload",
    userId: active.id,
    sessionId: live.session.id,
    data: { file: "PKZ204G.EXE" },
  });
  await s.events.append({ kind: "system.start" });
  const goneEvent = await s.events.append({ kind: "door.run", data: "LORD" });
  // Gone again, so that each high-water mark lies above the highest id left.
  const gone = await s.users.create({ username: "Gone", passwordHash: "x" });
  await s.users.recordLogin(gone.id);
  await s.sessions.create({ userId: gone.id, ipAddress: "10.0.0.4" });
  const goneMessage = await s.messages.post({
    areaId: area.id,
    fromName: "Spammer",
    subject: "Buy",
    body: "spam",
  });
  await s.messages.delete(goneMessage.id);
  // The FidoNet import's record of a message it brought in, deleted since (ftn_imported).
  await s.sql(
    "INSERT INTO ftn_imported (area_id, kind, key, imported_at) VALUES (?, ?, ?, ?)",
    [area.id, "msgid", "2:5020/1 0badf00d", Date.now()],
  );
  const goneFile = await s.files.add({
    areaId: fileArea.id,
    filename: "X",
    size: 1,
  });
  await s.files.delete(goneFile.id);
  await s.users.delete(gone.id);
  const goneArea = await s.messageAreas.create({ tag: "GONE", name: "Gone" });
  const goneFileArea = await s.fileAreas.create({ tag: "GONE", name: "Gone" });
  await withSql(url, async (sql) => {
    await sql.all("DELETE FROM message_areas WHERE id = ?", [goneArea.id]);
    await sql.all("DELETE FROM file_areas WHERE id = ?", [goneFileArea.id]);
    await sql.all("DELETE FROM logins WHERE user_id IS NULL");
    await sql.all("DELETE FROM events WHERE id = ?", [goneEvent.id]);
    // Expired a minute ago, as if its time had run out.
    await sql.all(
      "UPDATE sessions SET expires_at = ?, lapses_at = ? WHERE id = ?",
      [Date.now() - 60_000, Date.now() - 60_000, expired.session.id],
    );
    // An hour online, as if its sessions had lasted that long.
    await sql.all(
      "UPDATE users SET time_online_seconds = 3600 WHERE id = ?",
      [active.id],
    );
  });
  return {
    lockedUserId: locked.id,
    activeUserId: active.id,
    bannedUserId: banned.id,
    areaId: area.id,
    fileAreaId: fileArea.id,
    tokens: {
      live: live.token,
      ended: ended.token,
      expired: expired.token,
      locked: ofLocked.token,
    },
  };
}

const COLUMNS: Record<string, string> = {
  sqlite: `SELECT t.name AS tbl, c.name AS col, c.dflt_value AS dflt
    FROM sqlite_schema t JOIN pragma_table_info(t.name) c
    WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite%' AND t.sql NOT LIKE 'CREATE VIRTUAL%'
    ORDER BY t.name, c.cid`,
  postgres:
    `SELECT table_name AS tbl, column_name AS col, column_default AS dflt
    FROM information_schema.columns WHERE table_schema = current_schema()
    ORDER BY table_name, ordinal_position`,
};

/**
 * The columns of the real schema that hold no value other than NULL and their default, as
 * `table.column` (the runner's own tables, `impulse_*`, and SQLite's full-text index tables
 * left out).
 *
 * @param url The database URL.
 * @returns The columns; empty when every column holds data.
 */
export async function emptyColumns(url: string): Promise<string[]> {
  const dialect = url.startsWith("sqlite:") ? "sqlite" : "postgres";
  const listed = await sqlQuery(url, COLUMNS[dialect]!);
  const virtual = (await sqlQuery(
    url,
    dialect === "sqlite"
      ? "SELECT name FROM sqlite_schema WHERE sql LIKE 'CREATE VIRTUAL%'"
      : "SELECT NULL AS name WHERE false",
  )).map((r) => String(r.name));
  const empty: string[] = [];
  for (const { tbl, col, dflt } of listed) {
    const table = String(tbl);
    // The runner's own tables: tracking, notes, data set aside by down scripts.
    if (table.startsWith("impulse_")) continue;
    if (virtual.some((v) => table.startsWith(`${v}_`))) continue;
    const other = dflt === null ? "" : ` AND "${col}" <> (${dflt})`;
    const [row] = await sqlQuery(
      url,
      `SELECT count(*) AS n FROM "${table}" WHERE "${col}" IS NOT NULL${other}`,
    );
    if (Number(row!.n) === 0) empty.push(`${table}.${col}`);
  }
  return empty;
}
