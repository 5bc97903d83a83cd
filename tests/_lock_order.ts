/**
 * The workload of the lock-order test (postgres_lock_order_test.ts): one step per operation
 * that changes more than one row, a ledger of what was acknowledged, and the checks that every
 * acknowledged write is there.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, type Storage, StorageError } from "../mod.ts";
import { rawClient } from "./_postgres.ts";

/** The deadline of every call of the workload, in ms. */
export const ACQUIRE_MS = 1000;
/** What a call may take beyond its deadline: its statements' own time on a loaded machine. */
export const MARGIN_MS = 2000;

/** What the workload was told succeeded, per hot user index. */
export interface Ledger {
  posts: number[];
  logins: number[];
  downloads: number[];
  uploads: number[];
  /** Subjects of messages that must be there, and of those deleted. */
  messages: Set<string>;
  deleted: Set<string>;
  files: Set<string>;
  calls: number;
  timeouts: number;
  unexpected: string[];
  overdue: string[];
  worstMs: number;
}

/** The hot rows every loop works on. */
export interface Board {
  area: number;
  fileArea: number;
  users: number[];
  hotFile: number;
  /** Messages posted to be deleted, which other loops reply to meanwhile. */
  roots: number[];
}

/** Runs one call of the storage, timing it on its own. */
export type Call = <T>(work: () => Promise<T>) => Promise<T>;

/** One step of a loop: calls on `s` for hot users `u` and `v`, each timed by `call`. */
export type Step = (
  s: Storage,
  key: string,
  u: number,
  v: number,
  call: Call,
) => Promise<void>;

/** One step per kind of multi-row write; `u` and `v` are hot-user indexes. */
export function steps(board: Board, ledger: Ledger, callerTx: Step): Step[] {
  const id = (u: number) => board.users[u]!;
  return [
    callerTx,
    async (s, key, u, v, call) => {
      await call(() =>
        s.messages.post({
          areaId: board.area,
          fromUserId: id(u),
          toUserId: id(v),
          subject: key,
          body: "b",
        })
      );
      ledger.posts[u]!++;
      ledger.messages.add(key);
    },
    async (s, _key, u, _v, call) => {
      await call(() => s.files.recordDownload(board.hotFile, id(u)));
      ledger.downloads[u]!++;
    },
    async (s, _key, u, _v, call) => {
      // Names that loops running at the same moment share: their inserts wait for each other.
      const filename = sharedName();
      const added = await call(() =>
        s.files.add({
          areaId: board.fileArea,
          filename,
          size: 10,
          uploaderId: id(u),
        })
      ).then(() => true, taken);
      if (!added) return;
      ledger.uploads[u]!++;
      ledger.files.add(filename);
    },
    async (s, _key, u, _v, call) => {
      const filename = sharedName();
      const added = await call(() =>
        s.transaction(async (tx) => {
          await tx.users.incrementStats(id(u), { logins: 1 });
          // Holding the user a moment, so that an upload of the same name comes in between.
          await new Promise((resolve) => setTimeout(resolve, 10));
          await tx.files.add({
            areaId: board.fileArea,
            filename,
            size: 10,
            uploaderId: id(u),
          });
        })
      ).then(() => true, taken);
      if (!added) return;
      ledger.logins[u]!++;
      ledger.uploads[u]!++;
      ledger.files.add(filename);
    },
    async (s, _key, u, _v, call) => {
      await call(() =>
        s.transaction(async (tx) => {
          await tx.users.incrementStats(id(u), { logins: 1 });
          await tx.files.recordDownload(board.hotFile, id(u));
        })
      );
      ledger.logins[u]!++;
      ledger.downloads[u]!++;
    },
    async (s, key, u, _v, call) => {
      const m = await call(() =>
        s.messages.post({
          areaId: board.area,
          fromUserId: id(u),
          subject: key,
          body: "b",
        })
      );
      ledger.posts[u]!++;
      ledger.messages.add(key);
      board.roots.push(m.id);
      await call(() => s.messages.delete(m.id));
      ledger.messages.delete(key);
      ledger.deleted.add(key);
    },
    async (s, key, u, _v, call) => {
      // A reply to a message another loop is deleting: its parent may be gone.
      const parentId = board.roots.at(-1);
      if (parentId === undefined) return;
      const posted = await call(() =>
        s.messages.post({
          areaId: board.area,
          fromUserId: id(u),
          parentId,
          subject: key,
          body: "b",
        })
      ).then(() => true, (error) => {
        if (error instanceof StorageError && error.field === "parentId") {
          return false;
        }
        throw error;
      });
      if (!posted) return;
      ledger.posts[u]!++;
      ledger.messages.add(key);
    },
    async (s, key, u, _v, call) => {
      const node = 1 + Number(key.replace(/\D+/g, "")) % 50;
      const created = await call(() =>
        s.sessions.create({ userId: id(u), ipAddress: "::1", node })
      ).catch((error) => {
        // Another loop holds the node: not what this test is about.
        if (error instanceof StorageError && error.kind === "conflict") {
          return null;
        }
        throw error;
      });
      if (created) await call(() => s.sessions.end(created.session.id));
    },
    async (s, key, _u, _v, call) => {
      // A reply that comes before its parent, then the parent, which adopts it.
      for (const [msgid, reply] of [[`${key}r`, key], [key, null]]) {
        await call(() =>
          s.messages.post({
            areaId: board.area,
            fromName: "Remote",
            subject: msgid!,
            body: "b",
            ftnMsgid: msgid,
            ftnReply: reply,
          })
        );
        ledger.messages.add(msgid!);
      }
    },
  ];
}

/** A file name shared by the calls of the same 40 ms. */
function sharedName(): string {
  return `DUP${Math.floor(performance.now() / 40)}.ZIP`;
}

/** `false` for a name taken by another loop; any other failure goes on. */
function taken(error: unknown): false {
  if (error instanceof StorageError && error.kind === "conflict") return false;
  throw error;
}

/** Runs one step, timing each of its calls and sorting its failure. */
export async function runStep(
  ledger: Ledger,
  what: string,
  step: (call: Call) => Promise<void>,
) {
  const call: Call = async (work) => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      const took = performance.now() - started;
      ledger.calls++;
      ledger.worstMs = Math.max(ledger.worstMs, took);
      if (took > ACQUIRE_MS + MARGIN_MS) {
        ledger.overdue.push(`${what} took ${Math.round(took)} ms`);
      }
    }
  };
  try {
    await step(call);
  } catch (error) {
    if (error instanceof StorageError && error.kind === "timeout") {
      ledger.timeouts++;
    } else ledger.unexpected.push(`${what}: ${error}`);
  }
}

/** The deadlocks PostgreSQL has counted in database `db` so far. */
export async function deadlocks(db: string): Promise<number> {
  const admin = rawClient();
  try {
    await admin`SELECT pg_stat_clear_snapshot()`;
    const [row] =
      await admin`SELECT deadlocks FROM pg_stat_database WHERE datname = ${db}`;
    return Number(row?.deadlocks ?? 0);
  } finally {
    await admin.end();
  }
}

/** Creates the hot rows: a message area, a file area, three users and a file. */
export async function setUp(url: string): Promise<Board> {
  await using s = await openStorage(url);
  const area = await s.messageAreas.create({ tag: "HOT", name: "Hot" });
  const fileArea = await s.fileAreas.create({ tag: "HOTF", name: "Hot files" });
  const users: number[] = [];
  for (let i = 0; i < 3; i++) {
    users.push(
      (await s.users.create({ username: `hot${i}`, passwordHash: "h" })).id,
    );
  }
  const file = await s.files.add({
    areaId: fileArea.id,
    filename: "HOT.ZIP",
    size: 10,
  });
  return {
    area: area.id,
    fileArea: fileArea.id,
    users,
    hotFile: file.id,
    roots: [],
  };
}

/** Asserts that every acknowledged write is there and every counter matches the ledger. */
export async function check(
  url: string,
  board: Board,
  ledger: Ledger,
): Promise<void> {
  await using s = await openStorage(url, { migrate: "off" });
  let downloads = 0;
  for (const [u, userId] of board.users.entries()) {
    const { stats } = (await s.users.get(userId))!;
    assert.equal(stats.posts, ledger.posts[u], `posts of hot${u}`);
    assert.equal(stats.logins, ledger.logins[u], `logins of hot${u}`);
    assert.equal(stats.downloads, ledger.downloads[u], `downloads of hot${u}`);
    assert.equal(stats.uploads, ledger.uploads[u], `uploads of hot${u}`);
    downloads += ledger.downloads[u]!;
  }
  assert.equal((await s.files.get(board.hotFile))!.downloads, downloads);
  const subjects = new Set<string>();
  for (let after = 0;;) {
    const page = await s.messages.list(board.area, { after, limit: 1000 });
    if (page.length === 0) break;
    for (const m of page) subjects.add(m.subject);
    after = page.at(-1)!.id;
  }
  for (const key of ledger.messages) {
    assert.ok(subjects.has(key), `message ${key}`);
  }
  for (const key of ledger.deleted) {
    assert.ok(!subjects.has(key), `deleted ${key}`);
  }
  assert.equal((await s.messageAreas.get(board.area))!.msgCount, subjects.size);
  const files = new Set(
    (await s.files.list(board.fileArea, { limit: 1000 })).map((f) =>
      f.filename
    ),
  );
  for (const key of ledger.files) assert.ok(files.has(key), `file ${key}`);
}
