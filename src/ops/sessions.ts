/**
 * Sessions: tokens (only their SHA-256 is stored), nodes, activity, expiry and who's online.
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { type Executor, sql } from "../driver.ts";
import type {
  NewSession,
  OnlineSession,
  Session,
  TouchOptions,
} from "../records.ts";
import { prefixed, SESSION_COLUMNS as SC, toSession } from "../rows.ts";
import * as S from "../schemas.ts";
import { id as idSchema, parse } from "../validate.ts";
import { mapError, missing, notFound, reword } from "./_errors.ts";
import { changeById } from "./_patch.ts";
import { SESSIONS } from "../tables/mod.ts";
import {
  checkReferences,
  type Reference,
  shareUser,
  userExists,
} from "./_references.ts";

/** A session token: 32 random bytes (256 bits), base64url without padding. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const Q = {
  freeNode: sql(
    "sessions.freeNode",
    "UPDATE sessions SET ended_at = ? WHERE node = ? AND ended_at IS NULL AND expires_at <= ?",
    true,
  ),
  insert: sql(
    "sessions.insert",
    `INSERT INTO sessions (user_id, token_hash, ip_address, node, activity, login_at, last_activity_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${SC}`,
    true,
  ),
  byTokenHash: sql(
    "sessions.byTokenHash",
    `SELECT ${SC} FROM sessions
     WHERE token_hash = ? AND ended_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`,
  ),
  touch: sql(
    "sessions.touch",
    "UPDATE sessions SET last_activity_at = ?, activity = coalesce(?, activity) WHERE id = ? AND ended_at IS NULL",
    true,
  ),
  end: sql(
    "sessions.end",
    "UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE id = ?",
    true,
  ),
  delete: sql("sessions.delete", "DELETE FROM sessions WHERE id = ?", true),
  online: sql(
    "sessions.online",
    `SELECT ${
      prefixed(SC, "s")
    }, u.username FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.ended_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > ?)
     ORDER BY s.node IS NULL, s.node, s.id`,
  ),
  purge: sql(
    "sessions.purge",
    "UPDATE sessions SET ended_at = ? WHERE ended_at IS NULL AND expires_at <= ?",
    true,
  ),
};

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * See `sessions.create`. Locks in the global order (mod.ts): with a node, the
 * user (shared, against its deletion) before the session that held the node.
 */
export async function createSession(
  x: Executor,
  input: NewSession,
): Promise<{ session: Session; token: string }> {
  const s = parse(S.newSession, input, "input", "sessions.create");
  const token = randomBytes(32).toString("base64url");
  const now = Date.now();
  const expires = s.ttlSeconds === undefined ? null : now + s.ttlSeconds * 1000;
  const references: Reference[] = [["userId", "user", userExists, s.userId]];
  const row = await checkReferences(
    x,
    "create session",
    references,
    () =>
      x.atomic(async (q) => {
        if (s.node !== null) {
          if (!await q.get(shareUser, [s.userId])) {
            throw missing("create session", "userId", "user", s.userId);
          }
          await q.run(Q.freeNode, [now, s.node, now]);
        }
        return await mapError(
          () =>
            q.get(Q.insert, [
              s.userId,
              hashToken(token),
              s.ipAddress,
              s.node,
              s.activity,
              now,
              now,
              expires,
            ]),
          reword(
            "conflict",
            "node",
            () =>
              `Node ${s.node} is in use by a live session: end it first or choose another node`,
          ),
        );
      }),
  );
  return { session: toSession(row!), token };
}

/** See `sessions.getByToken`. */
export async function getSessionByToken(
  x: Executor,
  token: string,
): Promise<Session | null> {
  parse(S.token, token, "token", "sessions.getByToken");
  // A token no session can have is looked up as the empty hash, which none has either, so a
  // closed storage still fails as unavailable.
  const hash = TOKEN.test(token) ? hashToken(token) : "";
  const row = await x.get(Q.byTokenHash, [hash, Date.now()]);
  return row ? toSession(row) : null;
}

/** See `sessions.touch`. */
export async function touchSession(
  x: Executor,
  id: number,
  options?: TouchOptions,
): Promise<void> {
  parse(idSchema, id, "id", "sessions.touch");
  const { activity } = parse(
    S.touchOptions,
    options,
    "options",
    "sessions.touch",
  );
  const changed = await x.run(Q.touch, [Date.now(), activity ?? null, id]);
  if (changed === 0) throw notFound("live session", id, "touch session");
}

/** See `sessions.end`. */
export function endSession(x: Executor, id: number): Promise<void> {
  return changeById(x, Q.end, [Date.now()], id, "session", "sessions.end");
}

/** See `sessions.delete`. */
export function deleteSession(x: Executor, id: number): Promise<void> {
  return changeById(x, Q.delete, [], id, "session", "sessions.delete");
}

/** See `sessions.listOnline`. */
export async function listOnline(x: Executor): Promise<OnlineSession[]> {
  const rows = await x.all(Q.online, [Date.now()]);
  return rows.map((row) => ({
    ...toSession(row),
    username: row[SESSIONS.selected.length] as string,
  }));
}

/** See `sessions.purgeExpired`. */
export async function purgeExpiredSessions(x: Executor): Promise<number> {
  const now = Date.now();
  return await x.run(Q.purge, [now, now]);
}
