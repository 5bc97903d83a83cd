/**
 * The core of a FidoNet import: a base already read ({@linkcode FtnBase}, plain data) into an
 * area of a storage, in batches, each in one transaction. `import.ts` reads the files and calls
 * it; tests call it with bases they build.
 *
 * @module
 */
import { isStorageError, StorageError } from "../../errors.ts";
import type { Message, MessageAreaKind } from "../../records.ts";
import type { Storage } from "../../storage.ts";
import { echoArea } from "./area.ts";
import { type FtnUndelivered, toBoard, userNamed } from "./delivery.ts";
import {
  contentKey,
  duplicateOf,
  type Ops,
  type Placed,
  record,
  recordedOf,
  type RecordKey,
  recordKey,
  recordName,
} from "./duplicates.ts";
import { nodeCrypto } from "../../node_crypto.ts";
import { applyLastRead } from "./last_read.ts";
import { postingOrder } from "./order.ts";
import {
  dateUndated,
  type PreparedMessage,
  prepareMessage,
} from "./prepare.ts";
import type {
  FtnChange,
  FtnFallbackCount,
  FtnImportProgress,
  FtnImportReport,
  FtnSkip,
} from "./report.ts";
import type { DecodedFtnMessage } from "./text.ts";
import type { FtnBase, FtnRawMessage } from "./types.ts";

/** The kinds of area a base may come into: a local or private-mail area takes none. */
const FTN_KINDS: readonly MessageAreaKind[] = ["echomail", "netmail"];

/** The options of {@linkcode importFtnBase}, checked and with their defaults. */
export interface FtnBaseImportOptions {
  /** The base's path without extension, for the report. */
  path: string;
  /** The area's tag (and echo tag when it is created). */
  area: string;
  /** The default charset, for the report (`decode` applies it). */
  charset: string;
  /** The zone of dates without TZUTC. */
  timeZone: string;
  dryRun: boolean;
  /** Messages per transaction. */
  batchSize: number;
  onProgress?: (progress: FtnImportProgress) => void;
  /**
   * When the import began (`performance.now()`), reading the files included: the progress's
   * rate and time left count from it. Now by default.
   */
  startedAt?: number;
  /** Base user number → user id, for last-read records without a name CRC (Squish). */
  lastReadUsers?: ReadonlyMap<number, number>;
  /**
   * The board's own FidoNet addresses, in their plain form: a private message to one of them
   * goes to the user its To name names (see delivery.ts). None by default.
   */
  addresses?: ReadonlySet<string>;
  /** Decodes a message's text (text.ts's `decodeFtnMessage` with the default charset). */
  decode: (raw: FtnRawMessage) => DecodedFtnMessage;
  /**
   * The name CRCs a JAM last-read record may hold for a user name (the JAM CRC-32 of its bytes
   * A–Z lower-cased, in each encoding the base may have used).
   */
  nameCrcs: (name: string) => number[];
}

/** The state of a run, carried from batch to batch. */
interface Run {
  o: FtnBaseImportOptions;
  areaId: number | null;
  /** Whether this run made the area. */
  created: boolean;
  /** Base number → where it went (imported or found as a duplicate). */
  placed: Map<number, Placed>;
  msgids: Map<string, Placed>;
  contents: Map<string, Placed>;
  /** The roots this run posted with a REPLY (their ids), by REPLY: for counting adoptions. */
  waiting: Map<string, (number | null)[]>;
  skipped: FtnSkip[];
  imported: number;
  linked: number;
  /** Private messages to the board posted to a user of it, and those naming none. */
  delivered: number;
  undelivered: FtnUndelivered[];
  /** The changes to the maps since the batch began, to undo if its transaction runs again. */
  journal: Journal;
}

/**
 * Imports a base that was read into an area (found by tag, or created as an echomail area with
 * that echo tag): every live message not there yet, threads, then last-read pointers.
 *
 * @param base The base as read.
 * @param storage The target.
 * @param o The options.
 * @returns The report.
 */
export async function importFtnBase(
  base: FtnBase,
  storage: Storage,
  o: FtnBaseImportOptions,
): Promise<FtnImportReport> {
  const started = o.startedAt ?? performance.now();
  const changed: FtnChange[] = [];
  const skipped: FtnSkip[] = [];
  const live: PreparedMessage[] = [];
  for (const raw of base.messages) {
    if (raw.deleted) {
      skipped.push(
        skip(raw.number, "deleted", null, "the base marks it deleted"),
      );
      continue;
    }
    const p = prepareMessage(raw, o.decode(raw), { timeZone: o.timeZone });
    changed.push(...p.changes);
    live.push(p);
  }
  dateUndated(live);
  const lost = damaged(base);
  for (const [number, detail] of lost) {
    skipped.push(skip(number, "damaged", null, detail));
  }
  const existing = await storage.messageAreas.getByTag(o.area);
  if (existing !== null && !FTN_KINDS.includes(existing.kind)) {
    throw new StorageError(
      "validation",
      `Invalid importMessageBase options: options.area names a ${existing.kind} area ("${existing.tag}"), and FidoNet messages go only into an echomail or netmail area: give the tag of one, or a new tag (an echomail area is made for it)`,
      { field: "options.area" },
    );
  }
  const run: Run = {
    o,
    areaId: existing?.id ?? null,
    created: false,
    placed: new Map(),
    msgids: new Map(),
    contents: new Map(),
    waiting: new Map(),
    skipped,
    imported: 0,
    linked: 0,
    delivered: 0,
    undelivered: [],
    journal: new Journal(),
  };
  const order = postingOrder(live);
  const system = o.dryRun || order.length === 0
    ? "other"
    : await systemOf(storage);
  const postgres = system === "postgresql";
  let done = skipped.length;
  const total = base.messages.length + lost.size;
  for (let i = 0; i < order.length; i += o.batchSize) {
    const batch = order.slice(i, i + o.batchSize);
    if (o.dryRun) await importBatch(storage, run, batch);
    else {
      // On PostgreSQL a transaction may run again: each run of it starts from the state the
      // batch began with (the area made in it too).
      const start = mark(run);
      await storage.transaction(async (tx) => {
        restore(run, start);
        if (run.areaId === null) {
          ({ id: run.areaId, created: run.created } = await createArea(
            tx,
            o.area,
          ));
        }
        // Two imports into one area at once take turns by batch: the area's row, which each
        // post locks, is locked before the batch's duplicate checks, so they see what the
        // other's batch committed (a message without MSGID has no unique key to stop it).
        // SQLite has one writer at a time already.
        if (postgres) {
          await tx.sql("SELECT id FROM message_areas WHERE id = ? FOR UPDATE", [
            run.areaId,
          ]);
        }
        if (system === "sqlite") await deferSearch(tx);
        await importBatch(tx, run, batch);
        if (system === "sqlite") await indexDeferred(tx);
      });
    }
    run.journal.forget();
    if (i === 0 && postgres && order.length > o.batchSize) {
      await storage.sql("ANALYZE messages");
    }
    done += batch.length;
    progress(o, done, total, started);
  }
  if (order.length === 0) progress(o, done, total, started);
  const lastRead = await applyLastRead(storage, base, run, o);
  const skips = run.skipped.sort((a, b) => a.number - b.number);
  return {
    path: o.path,
    format: base.format,
    dryRun: o.dryRun,
    area: {
      tag: o.area,
      id: run.areaId,
      created: o.dryRun ? existing === null : run.created,
    },
    charset: o.charset,
    timeZone: o.timeZone,
    counts: { read: total, imported: run.imported, skipped: skips.length },
    skipped: skips,
    changed,
    linked: run.linked,
    fallbacks: fallbacks(live),
    replaced: live.reduce((n, m) => n + m.replaced, 0),
    lastRead,
    delivery: { delivered: run.delivered, undelivered: run.undelivered },
    problems: base.problems,
  };
}

/**
 * The storage's database system, as the import needs to know it: `"postgresql"`, where it locks
 * the area's row (see the batch loop) and has the planner count the messages again
 * (`ANALYZE messages`) after the first batch; `"sqlite"` with the package's schema, where a
 * batch indexes its messages for search at its end ({@linkcode deferSearch}); else `"other"`.
 *
 * PostgreSQL: the driver's prepared statements keep their generic plans: those made while the
 * table was nearly empty read the whole table, and kept as it grows, each lookup of a message by
 * MSGID took 1.2 ms at 4,000 messages, against 0.1 ms after an ANALYZE (which makes the server
 * plan them again). SQLite, which plans each statement once with what it finds, is left alone: a
 * statistics table there would change every statement's plan.
 */
async function systemOf(
  storage: Storage,
): Promise<"postgresql" | "sqlite" | "other"> {
  if (await answers(storage, "SELECT pg_catalog.pg_backend_pid()")) {
    return "postgresql";
  }
  return await answers(storage, "SELECT count(*) FROM messages_fts_deferred")
    ? "sqlite"
    : "other";
}

async function answers(storage: Storage, query: string): Promise<boolean> {
  try {
    await storage.sql(query);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts off indexing for search the messages the batch posts until {@linkcode indexDeferred}, in
 * the same transaction (SQLite; migration 0022). FTS5 writes a segment for each statement that
 * adds to its index, and merges them as they pile up: the insert and the end of its savepoint
 * took about 110 µs of a message's 250, where one statement for the batch takes 19 µs a message.
 * The import went from a median of 3,907 to 5,544 messages a second (`deno task bench:ftn`,
 * alternating with the code before, five rounds).
 */
export async function deferSearch(tx: Ops): Promise<void> {
  await tx.sql(
    "INSERT INTO messages_fts_deferred (after_id) SELECT coalesce(max(id), 0) FROM messages",
  );
}

/** Indexes the messages {@linkcode deferSearch} put off, as they now are, and ends the deferral. */
export async function indexDeferred(tx: Ops): Promise<void> {
  await tx.sql(
    `INSERT INTO messages_fts (rowid, subject, body)
     SELECT id, subject, body FROM messages
     WHERE id > (SELECT after_id FROM messages_fts_deferred)`,
  );
  await tx.sql("DELETE FROM messages_fts_deferred");
}

/** Where a run stood when a batch began: its counts and its area (the maps are journaled). */
interface Mark {
  areaId: number | null;
  created: boolean;
  imported: number;
  linked: number;
  skipped: number;
  delivered: number;
  undelivered: number;
}

function mark(run: Run): Mark {
  const { areaId, created, imported, linked, delivered } = run;
  return {
    areaId,
    created,
    imported,
    linked,
    skipped: run.skipped.length,
    delivered,
    undelivered: run.undelivered.length,
  };
}

/** Takes a run back to where it stood when the batch began (nothing to do on a first run). */
function restore(run: Run, start: Mark): void {
  run.journal.undo();
  run.areaId = start.areaId;
  run.created = start.created;
  run.imported = start.imported;
  run.linked = start.linked;
  run.skipped.length = start.skipped;
  run.delivered = start.delivered;
  run.undelivered.length = start.undelivered;
}

/**
 * The changes a batch made to the run's maps, each with how to undo it: a batch's transaction
 * that runs again undoes what its earlier run did (work in the size of the batch, where a copy
 * of the maps for each batch grew with the base).
 */
class Journal {
  #undo: (() => void)[] = [];

  /** Sets `key` in `map`, noting how to undo it. */
  set<K, V>(map: Map<K, V>, key: K, value: V): void {
    this.#undo.push(
      map.has(key)
        ? ((old) => () => map.set(key, old))(map.get(key) as V)
        : () => map.delete(key),
    );
    map.set(key, value);
  }

  /** Deletes `key` from `map`, noting how to undo it. */
  delete<K, V>(map: Map<K, V>, key: K): void {
    if (!map.has(key)) return;
    const old = map.get(key) as V;
    this.#undo.push(() => map.set(key, old));
    map.delete(key);
  }

  /** Undoes every change since the last `forget`, the latest first. */
  undo(): void {
    for (let change = this.#undo.pop(); change; change = this.#undo.pop()) {
      change();
    }
  }

  /** Keeps the changes made so far. */
  forget(): void {
    this.#undo.length = 0;
  }
}

/**
 * Creates the area as an echomail area, its echo tag the tag; one that another import (or the
 * board) made meanwhile is taken instead.
 */
async function createArea(
  tx: Ops,
  tag: string,
): Promise<{ id: number; created: boolean }> {
  const found = await tx.messageAreas.getByTag(tag);
  if (found !== null) return { id: found.id, created: false };
  try {
    return {
      id: (await tx.messageAreas.create(echoArea(tag))).id,
      created: true,
    };
  } catch (error) {
    if (!isStorageError(error, "conflict")) throw error;
    const made = await tx.messageAreas.getByTag(tag);
    if (made === null) throw error;
    return { id: made.id, created: false };
  }
}

/** Imports (or, in a dry run, checks) one batch of messages. */
async function importBatch(
  ops: Ops,
  run: Run,
  batch: PreparedMessage[],
): Promise<void> {
  const crypto = await nodeCrypto();
  const checked = batch.map((m) => {
    // Its content key, where the run keys it by content (see the map's update below).
    const content = m.ftnMsgid === null || run.o.dryRun ? contentKey(m) : null;
    return { m, content, key: recordKey(m, content, crypto) };
  });
  const recorded = run.areaId === null
    ? new Set<string>()
    : await recordedOf(ops, run.areaId, checked.map((c) => c.key));
  // What the area's record gains: the messages posted, and those found in the area that it
  // did not hold yet (brought in before it was kept, or posted by the board).
  const gained = new Map<string, RecordKey>();
  for (const { m, content, key } of checked) {
    const name = recordName(key);
    const dup = await duplicateOf(ops, run, m, content);
    if (dup !== null) {
      run.journal.set(run.placed, m.number, dup.placed);
      run.skipped.push(skip(m.number, dup.reason, dup.placed.id, dup.detail));
      if (!recorded.has(name)) gained.set(name, key);
      continue;
    }
    if (recorded.has(name)) {
      run.skipped.push(
        skip(
          m.number,
          "removed",
          null,
          "the area had it once, and it is not there as it came: deleted, trimmed, moved or edited since",
        ),
      );
      continue;
    }
    const parent = m.ftnReply === null && m.replyTo !== 0
      ? run.placed.get(m.replyTo)
      : undefined;
    const toUserId = toBoard(m, run.o.addresses)
      ? await deliver(ops, run, m)
      : null;
    const placed = run.o.dryRun
      ? { id: null, msgNum: null, parentId: null, threadRootId: null }
      : await post(ops, run.areaId!, m, parent?.id ?? null, toUserId);
    run.imported++;
    countLinks(run, m, placed, parent !== undefined);
    const where = { id: placed.id, msgNum: placed.msgNum };
    run.journal.set(run.placed, m.number, where);
    if (m.ftnMsgid !== null) run.journal.set(run.msgids, m.ftnMsgid, where);
    // A message without MSGID is checked against the area's messages by content, those of this
    // run with a MSGID included; a dry run, which posts nothing, keeps those in the map too.
    if (content !== null) run.journal.set(run.contents, content, where);
    gained.set(name, key);
  }
  if (!run.o.dryRun && gained.size > 0) {
    await record(ops, run.areaId!, [...gained.values()], Date.now());
  }
}

/** The user private mail to the board goes to, counted, or listed as naming none. */
async function deliver(
  ops: Ops,
  run: Run,
  m: PreparedMessage,
): Promise<number | null> {
  const user = await userNamed(ops, m.toName);
  if (user !== null) run.delivered++;
  else {
    run.undelivered.push({
      number: m.number,
      toName: m.toName,
      destAddr: m.destAddr!,
    });
  }
  return user;
}

async function post(
  ops: Ops,
  areaId: number,
  m: PreparedMessage,
  parentId: number | null,
  toUserId: number | null,
): Promise<Posted> {
  const message: Message = await ops.messages.post({
    areaId,
    fromName: m.fromName,
    toName: m.toName,
    toUserId,
    subject: m.subject,
    body: m.body,
    createdAt: m.createdAt,
    ftnMsgid: m.ftnMsgid,
    ftnReply: m.ftnReply,
    kludges: m.kludges,
    origAddr: m.origAddr,
    destAddr: m.destAddr,
    private: m.private,
    parentId,
    imported: true,
  });
  return {
    id: message.id,
    msgNum: message.msgNum,
    parentId: message.parentId,
    threadRootId: message.threadRootId,
  };
}

/** A message posted (a dry run's: all `null`). */
interface Posted extends Placed {
  parentId: number | null;
  threadRootId: number | null;
}

/**
 * Counts the links a post made: to its parent, and of the roots of this run that waited for its
 * MSGID (`messages.post` adopts each but one that is the new message's own root, which would
 * close a cycle). A dry run counts the parents it knows and every waiting root.
 */
function countLinks(
  run: Run,
  m: PreparedMessage,
  posted: Posted,
  byReplyTo: boolean,
): void {
  const dry = run.o.dryRun;
  const linked = dry
    ? byReplyTo || (m.ftnReply !== null && run.msgids.has(m.ftnReply))
    : posted.parentId !== null;
  if (linked) run.linked++;
  if (m.ftnMsgid !== null) {
    for (const orphan of run.waiting.get(m.ftnMsgid) ?? []) {
      if (dry || orphan !== posted.threadRootId) run.linked++;
    }
    run.journal.delete(run.waiting, m.ftnMsgid);
  }
  if (m.ftnReply !== null && !linked) {
    run.journal.set(run.waiting, m.ftnReply, [
      ...(run.waiting.get(m.ftnReply) ?? []),
      posted.id,
    ]);
  }
}

function skip(
  number: number,
  reason: FtnSkip["reason"],
  duplicateOf: number | null,
  detail: string,
): FtnSkip {
  return { number, reason, duplicateOf, detail };
}

/**
 * The messages the reader's problems name that it could not read (no message of the base has
 * their number), each with its first problem.
 */
function damaged(base: FtnBase): Map<number, string> {
  const present = new Set(base.messages.map((m) => m.number));
  const lost = new Map<number, string>();
  for (const { number, file, reason } of base.problems) {
    if (number === null || present.has(number) || lost.has(number)) continue;
    lost.set(number, `${file}: ${reason}`);
  }
  return lost;
}

/** The fallbacks of the messages, by kind then label. */
function fallbacks(messages: PreparedMessage[]): FtnFallbackCount[] {
  const counts = new Map<string, FtnFallbackCount>();
  for (const m of messages) {
    if (m.fallback === null) continue;
    const label = m.unknownLabel; // set for the fallbacks that have a label
    const key = `${m.fallback}\0${label ?? ""}`;
    const entry = counts.get(key) ??
      { kind: m.fallback, label, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) =>
    a.kind.localeCompare(b.kind) || (a.label ?? "").localeCompare(b.label ?? "")
  );
}

function progress(
  o: FtnBaseImportOptions,
  done: number,
  total: number,
  started: number,
): void {
  if (o.onProgress === undefined) return;
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0 ? done / seconds : 0;
  o.onProgress({
    done,
    total,
    rate,
    secondsLeft: rate > 0 ? (total - done) / rate : 0,
  });
}
