/**
 * A small in-memory model of what the Storage contract lets a caller observe, for the
 * model-based property tests (`model_test.ts`). The model holds the records exactly as the
 * operations must return them; {@linkcode assertMatches} reads the whole observable state back
 * through the public API and compares.
 *
 * The model never predicts ids or "now" timestamps: it takes them from the storage's answer,
 * after checking that an id is fresh and a timestamp fell within the call.
 *
 * @module
 */
import { caseFold } from "unicode-case-folding";
import assert from "node:assert/strict";
import type {
  AreaAccess,
  FileArea,
  FileEntry,
  LastCaller,
  Message,
  MessageArea,
  NewScanEntry,
  OnlineSession,
  Repositories,
  Session,
  User,
  UserStats,
} from "../src/storage.ts";

/** A message as stored: `storedRoot` is the raw thread root (`null` for a root). */
export interface MMessage extends Message {
  /** The stored thread root id, `null` for a root. */
  storedRoot: number | null;
}

/** A session with the token it was handed out with. */
export interface MSession extends Session {
  /** The token returned by `sessions.create`. */
  token: string;
}

/** The tables whose ids the model checks for freshness. */
export type Table =
  | "users"
  | "areas"
  | "fileAreas"
  | "messages"
  | "files"
  | "sessions";

/** The observable state. Plain data: `structuredClone` copies it for transactions. */
export interface Model {
  /** Users by id. */
  users: Map<number, User>;
  /** Message areas by id. */
  areas: Map<number, MessageArea>;
  /** File areas by id. */
  fileAreas: Map<number, FileArea>;
  /** Messages by id. */
  messages: Map<number, MMessage>;
  /** Files by id. */
  files: Map<number, FileEntry>;
  /** Sessions by id (ended ones stay until deleted). */
  sessions: Map<number, MSession>;
  /** Last-read pointers by `userId:areaId`; a missing pointer reads as 0. */
  lastRead: Map<string, number>;
  /** Logins in the order they were recorded. */
  logins: LastCaller[];
  /** Ids that existed once and were deleted, to check they stay gone. */
  gone: {
    users: number[];
    messages: number[];
    files: number[];
    sessions: number[];
  };
  /** Tokens of sessions that were deleted (with their user or alone). */
  deadTokens: string[];
  /** The largest id committed per table: a new id must be above it. */
  maxId: Record<Table, number>;
}

/** @returns An empty model. */
export function emptyModel(): Model {
  return {
    users: new Map(),
    areas: new Map(),
    fileAreas: new Map(),
    messages: new Map(),
    files: new Map(),
    sessions: new Map(),
    lastRead: new Map(),
    logins: [],
    gone: { users: [], messages: [], files: [], sessions: [] },
    deadTokens: [],
    maxId: {
      users: 0,
      areas: 0,
      fileAreas: 0,
      messages: 0,
      files: 0,
      sessions: 0,
    },
  };
}

/**
 * The key a username or tag is unique by: Unicode's compatibility caseless match (D146), a full
 * case fold and NFKC, twice.
 */
export function nameKey(name: string): string {
  const once = caseFold(name.normalize("NFD")).normalize("NFKD");
  return caseFold(once).normalize("NFKC");
}

/** The key a file name is unique by in its area: ASCII letters lower-cased. */
export function fileKey(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Checks that a new id is fresh (above every id committed before) and records it.
 *
 * @param m The model.
 * @param table The table.
 * @param id The id the storage returned.
 */
export function takeId(m: Model, table: Table, id: number): void {
  assert.ok(
    Number.isSafeInteger(id) && id > m.maxId[table],
    `a new ${table} id is above ${m.maxId[table]}: got ${id}`,
  );
  m.maxId[table] = id;
}

/**
 * Checks that a "now" timestamp fell within the call.
 *
 * @param what What the timestamp is, for the message.
 * @param value The timestamp.
 * @param from `Date.now()` before the call.
 * @param to `Date.now()` after the call.
 */
export function assertWithin(
  what: string,
  value: Date | null,
  from: number,
  to: number,
): void {
  const t = value?.getTime() ?? NaN;
  assert.ok(from <= t && t <= to, `${what} ${t} lies in [${from}, ${to}]`);
}

/**
 * Whether adding `delta` to a user's counters would take one out of 0..2^53-1 (the database
 * refuses it as a `constraint`).
 */
export function overflows(user: User, delta: Partial<UserStats>): boolean {
  return Object.entries(delta).some(([k, d]) => {
    const value = user.stats[k as keyof UserStats] + d;
    return value < 0 || value > Number.MAX_SAFE_INTEGER;
  });
}

/** The message as `messages.get` returns it. */
export function messageView(m: MMessage): Message {
  const { storedRoot: _, ...message } = m;
  return message;
}

/** The session as the API returns it. */
export function sessionView(s: MSession): Session {
  const { token: _, ...session } = s;
  return session;
}

/** The pointer of a user in an area (0 when never set). */
export function pointer(m: Model, userId: number, areaId: number): number {
  return m.lastRead.get(`${userId}:${areaId}`) ?? 0;
}

/** What `reading.newScan(userId)` must return. */
export function expectedNewScan(m: Model, userId: number): NewScanEntry[] {
  return [...m.areas.values()]
    .filter((a) => a.kind !== "private")
    .sort((a, b) => a.id - b.id)
    .map((area) => ({ area, lastRead: pointer(m, userId, area.id) }))
    .map(({ area, lastRead }) => ({
      area,
      // The user's own messages above the pointer are not news to them, nor are the numbers
      // below the area's lowest message (none holds a message any more).
      unread: area.lastMsgNum -
        Math.max(
          lastRead,
          (areaMessages(m, area.id)[0]?.msgNum ?? area.lastMsgNum + 1) - 1,
        ) -
        areaMessages(m, area.id).filter((x) =>
          x.msgNum > lastRead && x.fromUserId === userId
        ).length,
      lastRead,
    }))
    .filter(({ unread }) => unread > 0);
}

/** Messages of an area by number. */
export function areaMessages(m: Model, areaId: number): MMessage[] {
  return [...m.messages.values()].filter((x) => x.areaId === areaId)
    .sort((a, b) => a.msgNum - b.msgNum);
}

/** What `messages.thread(id)` must return. */
export function expectedThread(m: Model, id: number): Message[] {
  const first = m.messages.get(id);
  const rootId = first ? first.threadRootId : id;
  const root = m.messages.get(rootId);
  const replies = [...m.messages.values()]
    .filter((x) => x.storedRoot === rootId)
    .sort((a, b) => a.id - b.id);
  return [...(root && first ? [root] : []), ...replies].map(messageView);
}

/** Whether a session is live: not ended, not expired (the shortest time to live is an hour). */
export function live(s: Session): boolean {
  return s.endedAt === null &&
    (s.expiresAt === null || s.expiresAt.getTime() > Date.now());
}

/** What `sessions.listOnline()` must return. */
export function expectedOnline(m: Model): OnlineSession[] {
  return [...m.sessions.values()].filter(live)
    .sort((a, b) => (a.node ?? Infinity) - (b.node ?? Infinity) || a.id - b.id)
    .map((s) => ({
      ...sessionView(s),
      username: m.users.get(s.userId)!.username,
    }));
}

/** What `callers.recent(1000)` must return: newest first, later ones first on a tie. */
export function expectedCallers(m: Model): LastCaller[] {
  return [...m.logins].reverse()
    .sort((a, b) => b.loginAt.getTime() - a.loginAt.getTime());
}

/** Files of an area, newest first by (upload time, id). */
export function areaFiles(m: Model, areaId: number): FileEntry[] {
  return [...m.files.values()].filter((f) => f.areaId === areaId)
    .sort((a, b) =>
      b.uploadedAt.getTime() - a.uploadedAt.getTime() || b.id - a.id
    );
}

const byId = <T extends { id: number }>(map: Map<number, T>) =>
  [...map.values()].sort((a, b) => a.id - b.id);

/**
 * Reads the whole observable state through `ops` and compares it with the model.
 *
 * @param m The model.
 * @param ops The storage (or a transaction's handle).
 * @param when Where the check runs, for messages.
 */
export async function assertMatches(
  m: Model,
  ops: Repositories,
  when: string,
): Promise<void> {
  const checks: Promise<void>[] = [];
  const same = <T>(what: string, work: Promise<T>, expected: T) =>
    checks.push(
      work.then((actual) =>
        assert.deepStrictEqual(actual, expected, `${when}: ${what}`)
      ),
    );
  for (const user of m.users.values()) {
    same(`users.get(${user.id})`, ops.users.get(user.id), user);
    same(
      `reading.newScan(${user.id})`,
      ops.reading.newScan(user.id),
      expectedNewScan(m, user.id),
    );
    same(
      `mail.listFor(${user.id})`,
      ops.mail.listFor(user.id, { limit: 1000 }),
      byId(m.messages).filter((x) => x.toUserId === user.id).map(messageView),
    );
  }
  for (const id of m.gone.users) {
    same(`users.get(${id})`, ops.users.get(id), null);
  }
  same("messageAreas.list()", ops.messageAreas.list(), byId(m.areas));
  same("fileAreas.list()", ops.fileAreas.list(), byId(m.fileAreas));
  for (const area of m.areas.values()) {
    same(
      `messages.list(${area.id})`,
      ops.messages.list(area.id, { limit: 1000 }),
      areaMessages(m, area.id).map(messageView),
    );
  }
  for (const message of m.messages.values()) {
    if (message.storedRoot !== null) continue;
    same(
      `messages.thread(${message.id})`,
      ops.messages.thread(message.id),
      expectedThread(m, message.id),
    );
  }
  for (const id of m.gone.messages) {
    same(`messages.get(${id})`, ops.messages.get(id), null);
  }
  for (const area of m.fileAreas.values()) {
    same(
      `files.list(${area.id})`,
      ops.files.list(area.id, { limit: 1000 }),
      areaFiles(m, area.id),
    );
  }
  for (const id of m.gone.files) {
    same(`files.get(${id})`, ops.files.get(id), null);
  }
  for (const s of m.sessions.values()) {
    same(
      `sessions.getByToken(<session ${s.id}>)`,
      ops.sessions.getByToken(s.token),
      live(s) ? sessionView(s) : null,
    );
  }
  for (const token of m.deadTokens) {
    same(
      "sessions.getByToken(<deleted>)",
      ops.sessions.getByToken(token),
      null,
    );
  }
  same("sessions.listOnline()", ops.sessions.listOnline(), expectedOnline(m));
  same("callers.recent(1000)", ops.callers.recent(1000), expectedCallers(m));
  await Promise.all(checks);
}

/** Reads every page of a list, `limit` at a time, each page starting after the last record. */
async function pages<T>(
  read: (last: T | undefined) => Promise<T[]>,
  limit: number,
): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const page = await read(all.at(-1));
    assert.ok(page.length <= limit, `a page holds at most ${limit}`);
    all.push(...page);
    if (page.length < limit) return all;
  }
}

/**
 * The checks too slow for every step, run at the end of each sequence and inside transactions:
 * paging by every cursor (ties in upload times included), the thread of every message (deleted
 * ones too), the finders, `reading.readNext`, `files.listNew` and search.
 *
 * @param m The model.
 * @param ops The storage (or a transaction's handle).
 * @param when Where the check runs, for messages.
 * @param since A time for `files.listNew` (records at exactly that time are not new).
 */
export async function assertPaging(
  m: Model,
  ops: Repositories,
  when: string,
  since: Date,
): Promise<void> {
  const same = (what: string, actual: unknown, expected: unknown) =>
    assert.deepStrictEqual(actual, expected, `${when}: ${what}`);
  for (const area of m.areas.values()) {
    const all = areaMessages(m, area.id).map(messageView);
    same(
      `messages.list(${area.id}) by afterNum, 2 a page`,
      await pages(
        (last: Message | undefined) =>
          ops.messages.list(area.id, { afterNum: last?.msgNum ?? 0, limit: 2 }),
        2,
      ),
      all,
    );
    same(
      `messages.list(${area.id}) by after, 3 a page`,
      await pages(
        (last: Message | undefined) =>
          ops.messages.list(area.id, { after: last?.id ?? 0, limit: 3 }),
        3,
      ),
      all,
    );
    for (const user of m.users.values()) {
      const at = pointer(m, user.id, area.id);
      same(
        `reading.readNext(${user.id}, ${area.id})`,
        await ops.reading.readNext(user.id, area.id, { limit: 2 }),
        all.filter((x) => x.msgNum > at && x.fromUserId !== user.id).slice(
          0,
          2,
        ),
      );
    }
  }
  for (const id of [...m.messages.keys(), ...m.gone.messages]) {
    same(
      `messages.thread(${id})`,
      await ops.messages.thread(id),
      expectedThread(m, id),
    );
  }
  for (const x of m.messages.values()) {
    if (x.ftnMsgid === null) continue;
    same(
      `messages.findByMsgid(${x.areaId}, ${x.ftnMsgid})`,
      await ops.messages.findByMsgid(x.areaId, x.ftnMsgid),
      messageView(x),
    );
  }
  for (const user of m.users.values()) {
    same(
      `mail.listFor(${user.id}), 2 a page`,
      await pages(
        (last: Message | undefined) =>
          ops.mail.listFor(user.id, { after: last?.id ?? 0, limit: 2 }),
        2,
      ),
      [...m.messages.values()].filter((x) => x.toUserId === user.id)
        .sort((a, b) => a.id - b.id).map(messageView),
    );
  }
  for (const area of m.fileAreas.values()) {
    same(
      `files.list(${area.id}), 2 a page`,
      await pages(
        (last: FileEntry | undefined) =>
          ops.files.list(
            area.id,
            last ? { before: last.id, limit: 2 } : { limit: 2 },
          ),
        2,
      ),
      areaFiles(m, area.id),
    );
  }
  const files = [...m.files.values()];
  for (const sha256 of new Set(files.map((f) => f.sha256))) {
    if (sha256 === null) continue;
    same(
      `files.findByHash(${sha256})`,
      await ops.files.findByHash(sha256.toUpperCase()),
      files.filter((f) => f.sha256 === sha256).sort((a, b) => a.id - b.id),
    );
  }
  same(
    `files.listNew(${since.toISOString()})`,
    await ops.files.listNew(since, { limit: 1000 }),
    files.filter((f) => f.uploadedAt > since)
      .sort((a, b) =>
        b.uploadedAt.getTime() - a.uploadedAt.getTime() || b.id - a.id
      ),
  );
  same(
    "callers.recent(2)",
    await ops.callers.recent(2),
    expectedCallers(m).slice(0, 2),
  );
  await assertSearch(m, ops, when);
}

const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u);

/**
 * Search finds exactly the records holding a word (as sets: ranking is the databases' own), so
 * the full-text indexes follow posts, edits and deletes.
 */
async function assertSearch(m: Model, ops: Repositories, when: string) {
  const ids = (records: { id: number }[]) =>
    records.map((r) => r.id).sort((a, b) => a - b);
  for (const word of ["hello", "text", "body", "edited"]) {
    const holders = [...m.messages.values()]
      .filter((x) => [...words(x.subject), ...words(x.body)].includes(word));
    assert.deepStrictEqual(
      ids(await ops.messages.search(word, { limit: 1000 })),
      ids(holders),
      `${when}: messages.search(${word})`,
    );
    for (const area of m.areas.values()) {
      assert.deepStrictEqual(
        ids(await ops.messages.search(word, { areaId: area.id, limit: 1000 })),
        ids(holders.filter((x) => x.areaId === area.id)),
        `${when}: messages.search(${word}, area ${area.id})`,
      );
    }
  }
  for (const word of ["doom", "zip", "shareware"]) {
    const holders = [...m.files.values()]
      .filter((f) =>
        [...words(f.filename), ...words(f.description)].includes(word)
      );
    assert.deepStrictEqual(
      ids(await ops.files.search(word, { limit: 1000 })),
      ids(holders),
      `${when}: files.search(${word})`,
    );
  }
}

/**
 * The settings every new area has by default: an empty description, the position after every
 * area there is, and the default access.
 *
 * @param areas The areas of the same sort the model holds.
 * @returns The settings.
 */
export function areaDefaults(areas: Iterable<{ position: number }>): {
  description: string;
  position: number;
  access: AreaAccess;
} {
  let last = 0;
  for (const area of areas) last = Math.max(last, area.position);
  return {
    description: "",
    position: last + 1,
    access: {
      readLevel: 0,
      writeLevel: 0,
      readFlags: "",
      writeFlags: "",
      hidden: false,
      sysopLevel: 255,
    },
  };
}
