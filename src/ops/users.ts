/**
 * Users: accounts, counters, logins and last callers.
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { bumpDaily } from "./counters.ts";
import { today } from "./_zone.ts";
import { type Executor, sql } from "../driver.ts";
import type {
  LastCaller,
  NewLastCaller,
  NewUser,
  User,
  UserPatch,
  UserStats,
} from "../records.ts";
import {
  CALLER_COLUMNS,
  toCaller,
  toUser,
  USER_COLUMNS as U,
} from "../rows.ts";
import * as S from "../schemas.ts";
import { characters } from "../describe.ts";
import { KEY_GROWTH } from "../keys.ts";
import { invalidField, parse, parseId } from "../validate.ts";
import { foldKey } from "../keys.ts";
import { isStorageError, StorageError } from "../errors.ts";
import { mapError, missing, notFound, reword } from "./_errors.ts";
import { byId, changeById, mapRow, PatchStatements } from "./_patch.ts";
import { userExists } from "./_references.ts";
import { USERS } from "../tables/mod.ts";
import { insertOf, patchSetsOf } from "../tables/table.ts";

type ParsedNewUser = ReturnType<typeof S.newUser.parse>;

/** Every column of the create input, then the operation's own. */
const insert = insertOf<ParsedNewUser>(USERS, ["created_at", "updated_at"]);

const Q = {
  insert: sql("users.insert", insert.text, true),
  byId: sql("users.byId", `SELECT ${U} FROM users WHERE id = ?`),
  byKey: sql("users.byKey", `SELECT ${U} FROM users WHERE username_key = ?`),
  delete: sql("users.delete", "DELETE FROM users WHERE id = ?", true),
  increment: sql(
    "users.increment",
    `UPDATE users SET logins = logins + ?, posts = posts + ?, uploads = uploads + ?,
       downloads = downloads + ?, upload_bytes = upload_bytes + ?, download_bytes = download_bytes + ?
     WHERE id = ? RETURNING ${U}`,
    true,
  ),
  login: sql(
    "users.login",
    `UPDATE users SET logins = logins + 1, last_login_at = ?, failed_logins = 0 WHERE id = ?
     RETURNING ${U}`,
    true,
  ),
  recordLogin: sql(
    "logins.insert",
    "INSERT INTO logins (user_id, username, login_at) VALUES (?, ?, ?)",
    true,
  ),
  lastCallers: sql(
    "logins.latest",
    `SELECT ${CALLER_COLUMNS} FROM logins ORDER BY login_at DESC, id DESC LIMIT ?`,
  ),
};

const update = new PatchStatements<UserPatch>(
  "users.update",
  USERS.name,
  patchSetsOf<UserPatch>(USERS),
  // A status of "active" or "unvalidated" (first parameter 1) starts failed logins again.
  `, failed_logins = CASE WHEN ? = 1 THEN 0 ELSE failed_logins END, updated_at = ?
   WHERE id = ? RETURNING ${U}`,
);

/**
 * Printable ASCII of 1–30 characters: every such string is a valid spelling, so lookups by one
 * skip the schema (most of the cost of a lookup beyond the query itself); every other value is
 * validated in full.
 */
const PLAIN_NAME = /^[ -~]{1,30}$/;

/** The longest text looked up: a spelling of a 30-character name (see `S.usernameSpelling`). */
const LOOKUP_MAX = 30 * KEY_GROWTH;

/**
 * Text within a lookup's length that no name can be: empty, or holding a NUL or a lone
 * surrogate (no name holds either). It is looked up as any other text and not found, rather than
 * refused: only a value that is not text, or text too long to be any spelling, is `validation`.
 */
function noName(s: string): boolean {
  return (s === "" || s.includes("\0") || !s.isWellFormed()) &&
    s.length <= 2 * LOOKUP_MAX && characters(s) <= LOOKUP_MAX;
}

/** See `users.create`. */
export async function createUser(x: Executor, input: NewUser): Promise<User> {
  const u = parse(S.newUser, input, "input", "users.create");
  const now = nowOf(x);
  if (u.lockedUntil !== null && u.lockedUntil.getTime() <= now) {
    throw invalidField(
      u.lockedUntil,
      "lockedUntil",
      S.LOCKED_UNTIL_PAST,
      "users.create",
    );
  }
  const created = u.createdAt?.getTime() ?? now;
  const row = await mapError(
    () => x.get(Q.insert, insert.params(u, [created, created])),
    nameTaken(u.username),
  );
  return toUser(row!, now);
}

/** See `users.get`. */
export function getUser(x: Executor, id: number): Promise<User | null> {
  return byId(x, Q.byId, id, "users.get", (r) => toUser(r, nowOf(x)));
}

/** See `users.findByUsername`. */
export function findUserByUsername(
  x: Executor,
  username: string,
): Promise<User | null> {
  // Not async, as byId (see there).
  try {
    return mapRow(
      x.get(Q.byKey, [lookupKey(username)]),
      (r) => toUser(r, nowOf(x)),
    );
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The key `users.findByUsername` looks a spelling up by (see `Users.findByUsername`). */
function lookupKey(username: string): string {
  // Printable ASCII: its key is its lower case (see foldKey).
  if (typeof username === "string" && PLAIN_NAME.test(username)) {
    return username.toLowerCase();
  }
  if (typeof username === "string" && noName(username)) {
    // No name has it: looked up as the empty key, which no name has either, so a closed
    // storage still fails as unavailable.
    return "";
  }
  return foldKey(
    parse(S.usernameSpelling, username, "username", "users.findByUsername"),
  );
}

/** See `users.update`. */
export async function updateUser(
  x: Executor,
  id: number,
  patch: UserPatch,
): Promise<User> {
  parseId(id, "id", "users.update");
  const p = parse(S.userPatch, patch, "patch", "users.update");
  const now = nowOf(x);
  if (p.lockedUntil != null && p.lockedUntil.getTime() <= now) {
    throw invalidField(
      p.lockedUntil,
      "lockedUntil",
      S.LOCKED_UNTIL_PAST,
      "users.update",
    );
  }
  const lifted = p.status === "active" || p.status === "unvalidated";
  if (p.status !== undefined) {
    // A new status replaces the old one's reason and end (see `UserPatch`).
    p.lockedUntil = p.status === "locked" ? p.lockedUntil ?? null : null;
    if (lifted) p.statusReason = null;
  }
  const set = update.bind(p);
  const row = set === null ? await x.get(Q.byId, [id]) : await mapError(
    () => x.get(set.statement, [...set.params, lifted ? 1 : 0, now, id]),
    (error) =>
      statusUnfit(
        id,
        p,
        p.username === undefined ? error : nameTaken(p.username)(error),
      ),
  );
  if (!row) throw notFound("user", id, "update user");
  return toUser(row, now);
}

/** See `users.delete`. */
export function deleteUser(x: Executor, id: number): Promise<void> {
  return changeById(x, Q.delete, [], id, "user", "users.delete");
}

/** See `users.incrementStats`. */
export async function incrementUserStats(
  x: Executor,
  id: number,
  delta: Partial<UserStats>,
): Promise<User> {
  parseId(id, "id", "users.incrementStats");
  const d = parse(S.statsDelta, delta, "delta", "users.incrementStats");
  const params = [
    d.logins,
    d.posts,
    d.uploads,
    d.downloads,
    d.uploadBytes,
    d.downloadBytes,
  ].map((v) => v ?? 0);
  const row = await mapError(
    () => x.get(Q.increment, [...params, id]),
    reword(
      "constraint",
      undefined,
      () =>
        `Cannot change the stats of user ${id} as a counter would leave 0..2^53-1`,
    ),
  );
  if (!row) throw notFound("user", id, "increment user stats");
  return toUser(row, nowOf(x));
}

/** See `users.recordLogin`. */
export async function recordLogin(x: Executor, id: number): Promise<User> {
  parseId(id, "id", "users.recordLogin");
  const now = nowOf(x);
  const day = today(x, now);
  return await x.atomic(async (q) => {
    const row = await q.get(Q.login, [now, id]);
    if (!row) throw notFound("user", id, "record login");
    const user = toUser(row, now);
    await q.run(Q.recordLogin, [id, user.username, now]);
    await bumpDaily(q, day, id, "callsToday", 1);
    return user;
  });
}

/** See `callers.recent`. */
export async function lastCallers(
  x: Executor,
  limit?: number,
): Promise<LastCaller[]> {
  const n = parse(S.callersLimit, limit, "limit", "callers.recent");
  return (await x.all(Q.lastCallers, [n])).map(toCaller);
}

/** See `callers.add`. */
export async function addLastCaller(
  x: Executor,
  input: NewLastCaller,
): Promise<LastCaller> {
  const c = parse(S.newLastCaller, input, "input", "callers.add");
  return await x.atomic(async (q) => {
    if (c.userId !== null && !await q.get(userExists, [c.userId])) {
      throw missing("add last caller", "userId", "user", c.userId);
    }
    await q.run(Q.recordLogin, [c.userId, c.username, c.loginAt.getTime()]);
    return { userId: c.userId, username: c.username, loginAt: c.loginAt };
  });
}

/**
 * A reason or lock end set alone on a user whose status takes none (the schema's CHECKs refuse
 * it): `validation` naming the field.
 */
function statusUnfit(id: number, p: UserPatch, error: unknown): unknown {
  if (!isStorageError(error, "constraint") || p.status !== undefined) {
    return error;
  }
  const field = p.statusReason !== undefined ? "statusReason" : "lockedUntil";
  if (p[field] === undefined) return error;
  return new StorageError(
    "validation",
    `Invalid users.update input: ${field} can be set alone only on a ${
      field === "statusReason" ? "banned or locked user" : "locked user"
    }, and user ${id} is not one: set status in the same patch`,
    { field, cause: error },
  );
}

function nameTaken(username: string): (error: unknown) => unknown {
  return reword(
    "conflict",
    "username",
    () =>
      `Username is taken: "${username}": names compare case-insensitively; choose another`,
  );
}
