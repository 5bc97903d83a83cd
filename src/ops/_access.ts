/**
 * Access and privacy: what a user may read and write, as `storage.as(userId)` and
 * `tx.as(userId)` see it.
 *
 * A viewer's operations run on a {@linkcode ViewerExecutor}: the executor of the storage (or of
 * the transaction) with the viewer's id beside it. Reads find it with {@linkcode viewerOf} and
 * filter in their queries, joining the viewer's row as `v` (so a change of level, flags or
 * status counts from the next call, and a limit counts readable rows only). Writes are checked
 * before they run by the guards of src/ops/_guards.ts.
 *
 * The rules, with V the viewer and an area's `access`:
 * - V is an area's sysop when V's level is at least its `sysopLevel`.
 * - An area is readable when V is its sysop, or V's level is at least `readLevel` and V holds
 *   every flag of `readFlags`; writable when V is its sysop, or it is readable and V's level is
 *   at least `writeLevel` and V holds every flag of `writeFlags` (a file area that takes no
 *   uploads is writable by its sysops alone); visible (listed, found by id or tag) when readable
 *   or not `hidden`.
 * - A message is readable when its area is, and, in a `"private"` area or when it is private
 *   (`Message.private`), when V wrote it, it is addressed to V, or V is the area's sysop. A file
 *   is readable when its area is.
 * - An anonymous message (`Message.anonymous`) shows other viewers than its author and the
 *   area's sysops `fromName` `"Anonymous"` and `fromUserId` `null` (src/ops/viewed.ts).
 *
 * Flags are compared as bit masks (`flag_mask`, `read_mask`, `write_mask`: A is 1 … Z is 2^25),
 * kept by the catalogue beside the flags they come from (0015_access_masks).
 *
 * @module
 */
import type { Executor, Queryable, Row, Sql } from "../driver.ts";

/**
 * An executor that runs a viewer's operations: the underlying executor's statements, with the
 * viewer's id for the operations to filter by.
 */
export class ViewerExecutor implements Executor {
  /** The executor the statements run on. */
  readonly inner: Executor;
  /** The viewer's user id. */
  readonly viewerId: number;
  /**
   * Runs a viewer's write in a transaction of its own (the storage's view); absent in a
   * transaction (`tx.as`), where the write runs on `inner`.
   */
  readonly transaction?: <T>(fn: (x: Executor) => Promise<T>) => Promise<T>;

  /**
   * @param inner The storage's or the transaction's executor.
   * @param viewerId The viewer's user id.
   * @param transaction How a write gets a transaction of its own, at the top level.
   */
  constructor(
    inner: Executor,
    viewerId: number,
    transaction?: <T>(fn: (x: Executor) => Promise<T>) => Promise<T>,
  ) {
    this.inner = inner;
    this.viewerId = viewerId;
    if (transaction) this.transaction = transaction;
  }

  all(q: Sql, params: readonly unknown[]): Promise<Row[]> | Row[] {
    return this.inner.all(q, params);
  }

  get(
    q: Sql,
    params: readonly unknown[],
  ): Promise<Row | undefined> | Row | undefined {
    return this.inner.get(q, params);
  }

  run(q: Sql, params: readonly unknown[]): Promise<number> | number {
    return this.inner.run(q, params);
  }

  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.inner.atomic(fn);
  }
}

/**
 * The viewer an operation runs for.
 *
 * @param x The operation's executor.
 * @returns The viewer's user id, or `undefined` for the system's view.
 */
export function viewerOf(x: Executor): number | undefined {
  return x instanceof ViewerExecutor ? x.viewerId : undefined;
}

/** The viewer's row, joined as `v`: `JOIN ${VIEWER} ON v.id = ?`. */
export const VIEWER = "users v";

/**
 * Whether the viewer (`v`) is the sysop of area `a`.
 *
 * @param a The area's alias.
 * @returns The SQL condition.
 */
export function isSysop(a: string): string {
  return `${a}.sysop_level <= v.security_level`;
}

/**
 * Whether the viewer (`v`) may read area `a` (message or file area).
 *
 * @param a The area's alias.
 * @returns The SQL condition.
 */
export function canReadArea(a: string): string {
  return `(${isSysop(a)} OR (${a}.read_level <= v.security_level AND ` +
    `(${a}.read_mask & v.flag_mask) = ${a}.read_mask))`;
}

/**
 * Whether the viewer (`v`) may see area `a`: read it, or it is not hidden.
 *
 * @param a The area's alias.
 * @returns The SQL condition.
 */
export function canSeeArea(a: string): string {
  return `(${a}.hidden = 0 OR ${canReadArea(a)})`;
}

/**
 * Whether the viewer (`v`) may read message `m` of message area `a`.
 *
 * @param m The message's alias.
 * @param a Its area's alias.
 * @returns The SQL condition.
 */
export function canReadMessage(m: string, a: string): string {
  return `(${canReadArea(a)} AND ${canReadIfReadable(m, a)})`;
}

/**
 * Whether the viewer (`v`) may read message `m` of area `a`, given that they may read the area:
 * it is neither in a private area nor private, or the viewer wrote it, it is addressed to them
 * or they are the area's sysop.
 *
 * @param m The message's alias.
 * @param a Its area's alias.
 * @returns The SQL condition.
 */
export function canReadIfReadable(m: string, a: string): string {
  return `((${a}.kind <> 'private' AND ${m}.private = 0) OR ${isSysop(a)} OR ` +
    `${m}.from_user_id = v.id OR ${m}.to_user_id = v.id)`;
}

/**
 * The private messages of area `a` the viewer (`v`) may not read, the area being public and
 * readable: 0 for its sysops, else a count on messages_private (`p.msg_num` may be narrowed by
 * `extra`).
 *
 * @param a The area's alias.
 * @param extra More conditions on `p`, ANDed (`""` for none).
 * @returns The SQL expression.
 */
export function hiddenPrivate(a: string, extra: string): string {
  return `CASE WHEN ${isSysop(a)} THEN 0 ELSE (SELECT count(*) FROM messages p
    WHERE p.area_id = ${a}.id AND p.private = 1
      AND (p.from_user_id IS NULL OR p.from_user_id <> v.id)
      AND (p.to_user_id IS NULL OR p.to_user_id <> v.id)${extra}) END`;
}

/** An area's access, as the guards read it. */
export interface AreaAccessRow {
  id: number;
  tag: string;
  kind?: string;
  readLevel: number;
  writeLevel: number;
  readMask: number;
  writeMask: number;
  hidden: boolean;
  sysopLevel: number;
  uploadsAllowed: boolean;
}

/** A viewer's row, as the guards read it. */
export interface ViewerRow {
  id: number;
  level: number;
  mask: number;
  status: string;
  lockedUntil: number | null;
  username: string;
}

/** The level of a board sysop: the highest. */
export const BOARD_SYSOP_LEVEL = 255;

/**
 * Whether a viewer may write nothing: banned, or locked (with no end, or an end to come).
 *
 * @param v The viewer.
 * @param now The time.
 * @returns Whether every write is refused.
 */
export function isBarred(v: ViewerRow, now: number): boolean {
  return v.status === "banned" ||
    (v.status === "locked" && (v.lockedUntil === null || v.lockedUntil > now));
}

/**
 * Whether a viewer is an area's sysop.
 *
 * @param v The viewer.
 * @param a The area.
 * @returns The answer.
 */
export function sysopOf(v: ViewerRow, a: AreaAccessRow): boolean {
  return v.level >= a.sysopLevel;
}

/**
 * Whether a viewer may read an area.
 *
 * @param v The viewer.
 * @param a The area.
 * @returns The answer.
 */
export function readable(v: ViewerRow, a: AreaAccessRow): boolean {
  return sysopOf(v, a) ||
    (v.level >= a.readLevel && (a.readMask & v.mask) === a.readMask);
}

/**
 * Whether a viewer may write in an area (post, or upload).
 *
 * @param v The viewer.
 * @param a The area.
 * @returns The answer.
 */
export function writable(v: ViewerRow, a: AreaAccessRow): boolean {
  return sysopOf(v, a) ||
    (readable(v, a) && a.uploadsAllowed && v.level >= a.writeLevel &&
      (a.writeMask & v.mask) === a.writeMask);
}

/**
 * Whether a viewer may see an area: read it, or it is not hidden.
 *
 * @param v The viewer.
 * @param a The area.
 * @returns The answer.
 */
export function visible(v: ViewerRow, a: AreaAccessRow): boolean {
  return !a.hidden || readable(v, a);
}
