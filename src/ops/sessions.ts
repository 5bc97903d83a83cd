/**
 * Sessions: tokens (only their SHA-256 is stored), nodes, activity, expiry and who's online.
 *
 * A session is live until it ends (`ended_at`) or lapses (`lapses_at`: the earlier of its fixed
 * expiry and its last activity plus its idle timeout; `sessions.touch` moves it on). A lapsed
 * session that nothing ended yet ended when it lapsed: reads leave it out, and whatever ends it
 * later (the purge, `end`, a create that wants its node) records that instant as its end.
 *
 * Every ending adds the session's length (login to end, whole seconds) to its user's
 * `time_online_seconds`, once: the statement that sets `ended_at` only takes sessions not yet
 * ended, and the user is locked first (the global lock order, mod.ts: users before sessions).
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { type NodeCrypto, nodeCrypto, sha256 } from "../node_crypto.ts";
import { dialectSql, type Executor, type Queryable, sql } from "../driver.ts";
import { StorageError } from "../errors.ts";
import type {
  EndAllOptions,
  NewSession,
  OnlineSession,
  Session,
  TouchOptions,
} from "../records.ts";
import { prefixed, SESSION_COLUMNS as SC, toSession } from "../rows.ts";
import * as S from "../schemas.ts";
import { parse, parseId } from "../validate.ts";
import { maxNodesOf } from "./_board.ts";
import { bumpDaily } from "./counters.ts";
import { dayIn, zoneOf } from "./_zone.ts";
import { missing, notFound } from "./_errors.ts";
import { mapRow } from "./_patch.ts";
import { SESSIONS } from "../tables/mod.ts";
import {
  checkReferences,
  lockUser,
  type Reference,
  shareUser,
  userExists,
} from "./_references.ts";

/** A session token: 32 random bytes (256 bits), base64url without padding. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Live: not ended, not lapsed (`?` now). */
const LIVE = "ended_at IS NULL AND (lapses_at IS NULL OR lapses_at > ?)";

/** Where a session ends when ended now (`?` now, twice): when it lapsed, if it has. */
const END_AT = "CASE WHEN lapses_at <= ? THEN lapses_at ELSE ? END";

/** The idle timeout in milliseconds, as a 64-bit integer on every dialect. */
const IDLE_MS = "idle_timeout_seconds * CAST(1000 AS BIGINT)";

const Q = {
  /** The lapsed session that still holds a node (its id and user), if any. */
  holder: sql(
    "sessions.nodeHolder",
    `SELECT id, user_id FROM sessions
     WHERE node = ? AND ended_at IS NULL AND lapses_at <= ?`,
  ),
  /**
   * The lowest node of `min`…`max` no live session holds, with the lapsed session that still
   * holds it, if any: `min` itself, the node after each held one, and each node a lapsed session
   * holds. Reads only the live sessions that hold a node (sessions_live_node and
   * sessions_live_node_lapse), at most one per node, whatever the table holds besides.
   */
  freeNode: sql(
    "sessions.freeNode",
    `SELECT c.node, h.id, h.user_id FROM (
       SELECT CAST(? AS INTEGER) AS node
       WHERE NOT EXISTS (SELECT 1 FROM sessions WHERE node = ? AND ended_at IS NULL)
       UNION ALL
       SELECT s.node + 1 FROM sessions s
       WHERE s.ended_at IS NULL AND s.node >= ? AND s.node < ?
         AND NOT EXISTS (SELECT 1 FROM sessions t WHERE t.node = s.node + 1 AND t.ended_at IS NULL)
       UNION ALL
       SELECT s.node FROM sessions s
       WHERE s.ended_at IS NULL AND s.node >= ? AND s.node <= ? AND s.lapses_at <= ?
     ) c LEFT JOIN sessions h ON h.node = c.node AND h.ended_at IS NULL
     ORDER BY c.node LIMIT 1`,
  ),
  /** Ends a lapsed session when it lapsed. */
  endLapsed: sql(
    "sessions.endLapsed",
    `UPDATE sessions SET ended_at = lapses_at
     WHERE id = ? AND ended_at IS NULL AND lapses_at <= ? RETURNING user_id, login_at, ended_at`,
    true,
  ),
  insert: sql(
    "sessions.insert",
    `INSERT INTO sessions (user_id, token_hash, ip_address, node, activity, login_at,
                           last_activity_at, expires_at, idle_timeout_seconds, lapses_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (node) WHERE ended_at IS NULL DO NOTHING RETURNING ${SC}`,
    true,
  ),
  byTokenHash: sql(
    "sessions.byTokenHash",
    `SELECT ${SC} FROM sessions WHERE token_hash = ? AND ${LIVE}`,
  ),
  touch: sql(
    "sessions.touch",
    `UPDATE sessions SET last_activity_at = ?, activity = coalesce(?, activity),
       lapses_at = CASE
         WHEN idle_timeout_seconds IS NULL THEN lapses_at
         WHEN expires_at IS NOT NULL AND expires_at < ? + ${IDLE_MS} THEN expires_at
         ELSE ? + ${IDLE_MS} END
     WHERE id = ? AND ${LIVE}`,
    true,
  ),
  userOf: sql(
    "sessions.userOf",
    "SELECT user_id FROM sessions WHERE id = ?",
  ),
  end: sql(
    "sessions.end",
    `UPDATE sessions SET ended_at = ${END_AT}
     WHERE id = ? AND ended_at IS NULL RETURNING user_id, login_at, ended_at`,
    true,
  ),
  endAll: sql(
    "sessions.endAll",
    `UPDATE sessions SET ended_at = ${END_AT}
     WHERE user_id = ? AND ended_at IS NULL AND id <> ?
     RETURNING user_id, login_at, ended_at, lapses_at`,
    true,
  ),
  ofUser: sql(
    "sessions.ofUser",
    `SELECT ${SC} FROM sessions WHERE user_id = ? AND ${LIVE} ORDER BY login_at, id`,
  ),
  delete: sql("sessions.delete", "DELETE FROM sessions WHERE id = ?", true),
  online: sql(
    "sessions.online",
    `SELECT ${
      prefixed(SC, "s")
    }, u.username FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.ended_at IS NULL AND (s.lapses_at IS NULL OR s.lapses_at > ?)
     ORDER BY s.node IS NULL, s.node, s.id`,
  ),
  purge: sql(
    "sessions.purge",
    `UPDATE sessions SET ended_at = lapses_at WHERE ended_at IS NULL AND lapses_at <= ?
     RETURNING user_id, login_at, ended_at`,
    true,
  ),
  /**
   * The users of the lapsed live sessions (`?` now), locked as a counter update does, by
   * ascending id (PostgreSQL: `FOR NO KEY UPDATE`; SQLite's one writer needs no row locks).
   */
  lockLapsedUsers: dialectSql("sessions.lockLapsedUsers"),
  credit: sql(
    "users.addTimeOnline",
    "UPDATE users SET time_online_seconds = time_online_seconds + ? WHERE id = ?",
    true,
  ),
};

/** The hash a session's token is stored and found by. */
function hashToken(crypto: NodeCrypto, token: string): string {
  return sha256(crypto, token, "hex");
}

/** Whole seconds from a login to an end (never below 0). */
function seconds(loginAt: unknown, endedAt: unknown): number {
  return Math.max(
    0,
    Math.floor(((endedAt as number) - (loginAt as number)) / 1000),
  );
}

/**
 * The time online of the sessions an operation ends: added to each user's `time_online_seconds`
 * as they end ({@linkcode Credits.add}), and to the daily `timeOnlineTodaySeconds` of the day
 * each ended in the board's time zone ({@linkcode Credits.today}), after the operation's other
 * writes (`user_counters` comes last in the lock order). A session is credited whole to the day
 * it ends, however long before midnight it began; one that ended on an earlier day (a session
 * that lapsed yesterday, ended by today's purge) counts to no day's counter.
 */
class Credits {
  /** Seconds by user, then by day of the end. */
  #days = new Map<number, Map<string, number>>();
  /**
   * @param zone The board's time zone, whose dates the daily counters count.
   * @param now The board's clock.
   */
  constructor(
    private readonly zone: string,
    readonly now: () => number,
  ) {}

  /**
   * Adds ended sessions' lengths to their users, one statement per user, by ascending id. Each
   * user must be locked already (the lock order: users before sessions).
   *
   * @param q Where to write.
   * @param rows Rows of `user_id, login_at, ended_at` of the sessions just ended.
   */
  async add(q: Queryable, rows: readonly unknown[][]): Promise<void> {
    const byUser = new Map<number, number>();
    for (const r of rows) {
      const user = r[0] as number;
      const length = seconds(r[1], r[2]);
      byUser.set(user, (byUser.get(user) ?? 0) + length);
      const days = this.#days.get(user) ?? new Map<string, number>();
      const day = dayIn(this.zone, r[2] as number);
      days.set(day, (days.get(day) ?? 0) + length);
      this.#days.set(user, days);
    }
    for (const user of [...byUser.keys()].sort((a, b) => a - b)) {
      const add = byUser.get(user)!;
      if (add > 0) await q.run(Q.credit, [add, user]);
    }
  }

  /** Adds what ended today to `timeOnlineTodaySeconds`, by ascending user id. */
  async today(q: Queryable): Promise<void> {
    const today = dayIn(this.zone, this.now());
    for (const user of [...this.#days.keys()].sort((a, b) => a - b)) {
      for (const [day, add] of this.#days.get(user)!) {
        if (add > 0 && day >= today) {
          await bumpDaily(q, day, user, "timeOnlineTodaySeconds", add);
        }
      }
    }
    this.#days.clear();
  }
}

/** `conflict` naming `node` when a numbered node is held by a live session. */
function nodeTaken(node: number): StorageError {
  return new StorageError(
    "conflict",
    `Node ${node} is in use by a live session: end it first or choose another node`,
    { field: "node" },
  );
}

/**
 * See `sessions.create`. Locks in the global order (mod.ts): the users, by ascending id (the
 * new session's, shared against its deletion, or locked as a counter update when `maxPerUser`
 * counts its sessions; and the user of a lapsed session that still holds the node taken, whose
 * time online its ending adds to); then the sessions (the oldest ended to make room, the lapsed
 * one ended, the new one).
 */
export async function createSession(
  x: Executor,
  input: NewSession,
): Promise<{ session: Session; token: string }> {
  const s = parse(S.newSession, input, "input", "sessions.create");
  const maxNodes = maxNodesOf(x);
  const crypto = await nodeCrypto();
  const token = crypto.randomBytes(32).toString("base64url");
  const now = nowOf(x);
  const expires = s.ttlSeconds === undefined ? null : now + s.ttlSeconds * 1000;
  const idle = s.idleTimeoutSeconds === undefined
    ? null
    : now + s.idleTimeoutSeconds * 1000;
  const lapses = idle === null
    ? expires
    : expires === null
    ? idle
    : Math.min(expires, idle);
  const references: Reference[] = [["userId", "user", userExists, s.userId]];
  const zone = zoneOf(x);
  const row = await checkReferences(
    x,
    "create session",
    references,
    () =>
      x.atomic(async (q) => {
        // Made in the block: a block run again starts with nothing credited.
        const credits = new Credits(zone, () => nowOf(x));
        const row = await make(q, credits);
        await credits.today(q);
        return row;
      }),
  );
  return { session: toSession(row!), token };

  async function make(q: Queryable, credits: Credits) {
    const locked = new Set<number>();
    let highest = 0;
    /** Locks a user (in ascending order: the caller sees to it); whether it exists. */
    const lock = async (user: number, share: boolean) => {
      locked.add(user);
      highest = Math.max(highest, user);
      return await q.get(share ? shareUser : lockUser, [user]) !==
        undefined;
    };
    const auto = s.node === "auto";
    /** The node to take and the lapsed session holding it, if any; null when all are taken. */
    const find = async (min: number) => {
      if (!auto) {
        const node = s.node as number;
        const h = await q.get(Q.holder, [node, now]);
        return {
          node,
          holder: h ? { id: h[0] as number, user: h[1] as number } : null,
        };
      }
      if (min > maxNodes) return null;
      const c = await q.get(Q.freeNode, [
        min,
        min,
        min,
        maxNodes,
        min,
        maxNodes,
        now,
      ]);
      if (!c) return null;
      return {
        node: c[0] as number,
        holder: c[1] === null || c[1] === undefined
          ? null
          : { id: c[1] as number, user: c[2] as number },
      };
    };
    // Users first, by ascending id: the new session's, and the holder of the node found.
    const limit = s.maxPerUser !== undefined;
    let found = s.node === null ? null : await find(1);
    if (s.node !== null || limit) {
      const holderUser = found?.holder?.user;
      const users = [...new Set([s.userId, holderUser ?? s.userId])]
        .sort((a, b) => a - b);
      for (const user of users) {
        const share = user === s.userId && !limit && user !== holderUser;
        if (!await lock(user, share) && user === s.userId) {
          throw missing("create session", "userId", "user", s.userId);
        }
      }
    }
    if (limit) {
      const live = await q.all(Q.ofUser, [s.userId, now]);
      const over = live.length - s.maxPerUser! + 1;
      if (over > 0 && s.onLimit !== "endOldest") {
        throw new StorageError(
          "conflict",
          `Cannot create session as user ${s.userId} has ${live.length} live ` +
            `session${
              live.length === 1 ? "" : "s"
            } and maxPerUser is ${s.maxPerUser}: ` +
            `end one (sessions.end, sessions.endAllForUser) or pass onLimit: "endOldest"`,
          { field: "maxPerUser" },
        );
      }
      const ended: unknown[][] = [];
      for (const r of live.slice(0, Math.max(0, over))) {
        const e = await q.get(Q.end, [now, now, r[0]]);
        if (e) ended.push(e);
      }
      await credits.add(q, ended);
      // An ended session may have held a lower node.
      if (ended.length > 0 && auto) found = await find(1);
    }
    if (s.node === null) return await insert(q, null);
    let min = 1;
    for (let attempt = 0; attempt <= maxNodes + 1; attempt++) {
      if (found === null) {
        throw new StorageError(
          "conflict",
          `Cannot create session as ${
            maxNodes === 1 ? "its one node is" : `all ${maxNodes} nodes are`
          } taken by live sessions: ` +
            `end one (sessions.end, sessions.purgeExpired), or open the storage with a ` +
            `larger maxNodes`,
          { field: "node" },
        );
      }
      const { node, holder } = found;
      if (holder !== null && !locked.has(holder.user)) {
        // Its user would have to be locked after a higher one: not taken, under the lock order.
        if (holder.user < highest) {
          if (!auto) throw nodeTaken(node);
          min = node + 1;
          found = await find(min);
          continue;
        }
        await lock(holder.user, false);
      }
      if (holder !== null) {
        const e = await q.get(Q.endLapsed, [holder.id, now]);
        if (e) await credits.add(q, [e]);
      }
      const row = await insert(q, node);
      if (row) return row;
      // Taken meanwhile by another session.
      if (!auto) throw nodeTaken(node);
      found = await find(min);
    }
    throw new StorageError(
      "conflict",
      `Cannot create session as every node found was taken meanwhile: try again`,
      { field: "node" },
    );
  }

  function insert(q: Queryable, node: number | null) {
    return q.get(Q.insert, [
      s.userId,
      hashToken(crypto, token),
      s.ipAddress,
      node,
      s.activity,
      now,
      now,
      expires,
      s.idleTimeoutSeconds ?? null,
      lapses,
    ]);
  }
}

/** See `sessions.getByToken`. */
export function getSessionByToken(
  x: Executor,
  token: string,
): Promise<Session | null> {
  // Not async, as byId in _patch.ts (a session is looked up on every request of a caller).
  try {
    // zod only for what is no string, to name it (a session is looked up on every request).
    if (typeof token !== "string") {
      parse(S.token, token, "token", "sessions.getByToken");
    }
    const crypto = nodeCrypto();
    return crypto instanceof Promise
      ? crypto.then((loaded) => lookUpToken(x, loaded, token))
      : lookUpToken(x, crypto, token);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The session of a token, once `node:crypto` is there. */
function lookUpToken(
  x: Executor,
  crypto: NodeCrypto,
  token: string,
): Promise<Session | null> {
  // A token no session can have is looked up as the empty hash, which none has either, so a
  // closed storage still fails as unavailable.
  const hash = TOKEN.test(token) ? hashToken(crypto, token) : "";
  return mapRow(x.get(Q.byTokenHash, [hash, nowOf(x)]), toSession);
}

/** See `sessions.touch`. */
export async function touchSession(
  x: Executor,
  id: number,
  options?: TouchOptions,
): Promise<void> {
  parseId(id, "id", "sessions.touch");
  const { activity } = parse(
    S.touchOptions,
    options,
    "options",
    "sessions.touch",
  );
  const now = nowOf(x);
  const changed = await x.run(Q.touch, [
    now,
    activity ?? null,
    now,
    now,
    id,
    now,
  ]);
  if (changed === 0) throw notFound("live session", id, "touch session");
}

/**
 * See `sessions.end`. Locks the session's user (its time online) before the session, as the
 * global lock order (mod.ts) puts them.
 */
export async function endSession(x: Executor, id: number): Promise<void> {
  parseId(id, "id", "sessions.end");
  const zone = zoneOf(x);
  await x.atomic(async (q) => {
    const credits = new Credits(zone, () => nowOf(x));
    await endLocked(q, id, "end session", credits);
    await credits.today(q);
  });
}

/**
 * Ends a session not yet ended, crediting its time online: its user locked first, then the
 * session (mod.ts's order). `not_found` when there is no such session.
 */
async function endLocked(
  q: Queryable,
  id: number,
  action: string,
  credits: Credits,
) {
  const owner = await q.get(Q.userOf, [id]);
  if (!owner) throw notFound("session", id, action);
  await q.get(lockUser, [owner[0]]);
  const now = credits.now();
  const e = await q.get(Q.end, [now, now, id]);
  if (e) await credits.add(q, [e]);
}

/**
 * See `sessions.delete`. A session not yet ended is ended first, as `sessions.end` ends it (its
 * time online counts), then removed: the user (locked) before the session, as mod.ts orders.
 */
export async function deleteSession(x: Executor, id: number): Promise<void> {
  parseId(id, "id", "sessions.delete");
  const zone = zoneOf(x);
  await x.atomic(async (q) => {
    const credits = new Credits(zone, () => nowOf(x));
    await endLocked(q, id, "delete session", credits);
    await q.run(Q.delete, [id]);
    await credits.today(q);
  });
}

/** See `sessions.listOnline`. */
export async function listOnline(x: Executor): Promise<OnlineSession[]> {
  const rows = await x.all(Q.online, [nowOf(x)]);
  return rows.map((row) => ({
    ...toSession(row),
    username: row[SESSIONS.selected.length] as string,
  }));
}

/** See `sessions.listForUser`. */
export async function listForUser(
  x: Executor,
  userId: number,
): Promise<Session[]> {
  parseId(userId, "userId", "sessions.listForUser");
  const rows = await x.all(Q.ofUser, [userId, nowOf(x)]);
  if (rows.length === 0 && !await x.get(userExists, [userId])) {
    throw notFound("user", userId, "list sessions");
  }
  return rows.map(toSession);
}

/**
 * See `sessions.endAllForUser`. Locks the user (its time online) before its sessions, as the
 * global lock order (mod.ts) puts them.
 */
export async function endAllForUser(
  x: Executor,
  userId: number,
  options?: EndAllOptions,
): Promise<number> {
  parseId(userId, "userId", "sessions.endAllForUser");
  const o = parse(
    S.endAllOptions,
    options,
    "options",
    "sessions.endAllForUser",
  );
  const zone = zoneOf(x);
  return await x.atomic(async (q) => {
    const credits = new Credits(zone, () => nowOf(x));
    if (!await q.get(lockUser, [userId])) {
      throw notFound("user", userId, "end sessions");
    }
    const now = nowOf(x);
    const rows = await q.all(Q.endAll, [now, now, userId, o.except ?? 0]);
    await credits.add(q, rows);
    await credits.today(q);
    // Those that had lapsed already ended then: counted as expired, not as ended here.
    return rows.filter((r) => r[3] === null || (r[3] as number) > now).length;
  });
}

/**
 * See `sessions.purgeExpired`. Locks the users of the sessions it ends by ascending id (their
 * time online), then the sessions, as the global lock order (mod.ts) puts them.
 */
export async function purgeExpiredSessions(x: Executor): Promise<number> {
  const now = nowOf(x);
  const zone = zoneOf(x);
  return await x.atomic(async (q) => {
    const credits = new Credits(zone, () => nowOf(x));
    await q.all(Q.lockLapsedUsers, [now]);
    const rows = await q.all(Q.purge, [now]);
    await credits.add(q, rows);
    await credits.today(q);
    return rows.length;
  });
}
