/**
 * Whether a message of a base is already in its area, or earlier in the same import: the same
 * MSGID (the area's unique index), or for a message without one the same from and to names,
 * subject, date and text, and for a private one the same destination (the messages of the area
 * with that date, on the index `messages (area_id, created_at, msg_num)`).
 *
 * @module
 */
import type { Repositories, TransactionOps } from "../../storage.ts";
import { type NodeCrypto, sha256 } from "../../node_crypto.ts";
import type { PreparedMessage } from "./prepare.ts";

/** The operations the import uses: a storage's, or a transaction's. */
export type Ops = Repositories & { sql: TransactionOps["sql"] };

/** Where a message of the base went: the storage's id and number (a dry run's are `null`). */
export interface Placed {
  /** The message's id. */
  id: number | null;
  /** Its number in the area. */
  msgNum: number | null;
}

/** What the import has placed so far, and its area (`null` while there is none). */
export interface Seen {
  /** The area's id. */
  areaId: number | null;
  /** The messages placed so far by MSGID. */
  msgids: ReadonlyMap<string, Placed>;
  /** The messages without MSGID placed so far, by {@linkcode contentKey}. */
  contents: ReadonlyMap<string, Placed>;
}

/**
 * The key of a message without MSGID: its names, subject, date and text, and for a private
 * message its destination too (the same letter to a namesake at another node is another letter;
 * echomail's destinations vary with the path it came by, and are left out).
 */
export function contentKey(m: PreparedMessage): string {
  const key = [m.fromName, m.toName, m.subject, m.createdAt.getTime(), m.body];
  return JSON.stringify(m.private ? [...key, m.destAddr] : key);
}

/** The message one duplicates, and why. */
export interface Duplicate {
  placed: Placed;
  reason: "duplicate-msgid" | "duplicate-content";
  /** One sentence for people. */
  detail: string;
}

/**
 * The message of the area (or of this run) this one duplicates: the same MSGID; for a message
 * without one, the same names, subject, date and text (looked up on the area's date index).
 */
export async function duplicateOf(
  ops: Ops,
  run: Seen,
  m: PreparedMessage,
  content: string | null,
): Promise<Duplicate | null> {
  if (m.ftnMsgid !== null) {
    const detail = () =>
      `its MSGID is already in the area: ${JSON.stringify(m.ftnMsgid)}`;
    const seen = run.msgids.get(m.ftnMsgid);
    if (seen !== undefined) {
      return { placed: seen, reason: "duplicate-msgid", detail: detail() };
    }
    if (run.areaId === null) return null;
    const found = await ops.messages.findByMsgid(run.areaId, m.ftnMsgid);
    if (found === null) return null;
    return {
      placed: { id: found.id, msgNum: found.msgNum },
      reason: "duplicate-msgid",
      detail: detail(),
    };
  }
  const detail =
    "it has no MSGID, and the area holds a message with the same names, subject, date and text";
  const seen = run.contents.get(content ?? contentKey(m));
  if (seen !== undefined) {
    return { placed: seen, reason: "duplicate-content", detail };
  }
  if (run.areaId === null) return null;
  const rows = await ops.sql<Record<string, unknown>>(
    `SELECT id, msg_num, from_name, to_name, subject, body, dest_addr FROM messages
     WHERE area_id = ? AND created_at = ?`,
    [run.areaId, m.createdAt.getTime()],
  );
  const same = rows.find((r) =>
    r.from_name === m.fromName && r.to_name === m.toName &&
    r.subject === m.subject && r.body === m.body &&
    (!m.private || (r.dest_addr ?? null) === m.destAddr)
  );
  if (same === undefined) return null;
  return {
    placed: { id: Number(same.id), msgNum: Number(same.msg_num) },
    reason: "duplicate-content",
    detail,
  };
}

/**
 * A message's row in `ftn_imported` (migration 0023), the area's record of what the import
 * brought in, which outlives the message: its MSGID, or for a message without one the SHA-256 of
 * its {@linkcode contentKey}.
 */
export interface RecordKey {
  kind: "msgid" | "content";
  key: string;
}

/**
 * The key of a message in `ftn_imported`.
 *
 * @param m The message.
 * @param content Its {@linkcode contentKey}, when the caller has it.
 * @param crypto `node:crypto`, as `nodeCrypto()` gives it.
 * @returns The key.
 */
export function recordKey(
  m: PreparedMessage,
  content: string | null,
  crypto: NodeCrypto,
): RecordKey {
  if (m.ftnMsgid !== null) return { kind: "msgid", key: m.ftnMsgid };
  return {
    kind: "content",
    key: sha256(crypto, content ?? contentKey(m), "hex"),
  };
}

/** A key as one string, for sets. */
export function recordName(k: RecordKey): string {
  return `${k.kind} ${k.key}`;
}

/** Rows per statement that reads or writes `ftn_imported` (four parameters a row at most). */
const ROWS = 1000;

/**
 * Which of these keys the area's record holds (as {@linkcode recordName}s), whether or not the
 * messages are still there.
 */
export async function recordedOf(
  ops: Ops,
  areaId: number,
  keys: readonly RecordKey[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += ROWS) {
    const chunk = keys.slice(i, i + ROWS);
    const rows = await ops.sql<{ kind: string; key: string }>(
      `SELECT kind, key FROM ftn_imported WHERE area_id = ? AND key IN (${
        chunk.map(() => "?").join(", ")
      })`,
      [areaId, ...chunk.map((k) => k.key)],
    );
    for (const row of rows) found.add(recordName(row as RecordKey));
  }
  return found;
}

/** Adds these keys to the area's record (those it holds already stay as they are). */
export async function record(
  ops: Ops,
  areaId: number,
  keys: readonly RecordKey[],
  at: number,
): Promise<void> {
  for (let i = 0; i < keys.length; i += ROWS) {
    const chunk = keys.slice(i, i + ROWS);
    await ops.sql(
      `INSERT INTO ftn_imported (area_id, kind, key, imported_at) VALUES ${
        chunk.map(() => "(?, ?, ?, ?)").join(", ")
      } ON CONFLICT DO NOTHING`,
      chunk.flatMap((k) => [areaId, k.kind, k.key, at]),
    );
  }
}
