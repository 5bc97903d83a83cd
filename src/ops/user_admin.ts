/**
 * User administration: listing and counting users (keyset pages with an opaque cursor), failed
 * logins and locks, and each user's login history (read from `sessions`).
 *
 * The login history is the sessions table itself: a session is a login (its `login_at`, node,
 * address and id), `sessions.end` keeps its row with `ended_at`, and an expired session ended
 * when it expired (`lapses_at`: its fixed expiry, or its last activity plus its idle timeout,
 * whichever came first), purged or not. Nothing is written twice, so the history cannot
 * disagree with the sessions; `sessions.delete` removes a login from it, and a user's deletion
 * removes all of theirs (their sessions go with them).
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { Buffer } from "node:buffer";
import { type NodeCrypto, nodeCrypto, sha256 } from "../node_crypto.ts";
import { type Executor, type Sql, sql } from "../driver.ts";
import { StorageError } from "../errors.ts";
import { foldKey } from "../keys.ts";
import type {
  FailedLoginOptions,
  ListUsersOptions,
  LoginRecord,
  LoginsOptions,
  User,
  UserFilter,
  UserPage,
} from "../records.ts";
import { toUser, USER_COLUMNS as U } from "../rows.ts";
import * as S from "../schemas_users.ts";
import { USERS } from "../tables/mod.ts";
import { parse, parseId } from "../validate.ts";
import { notFound } from "./_errors.ts";
import { userExists } from "./_references.ts";
import { keysetPage } from "./_page.ts";

type Order = ListUsersOptions["orderBy"] & string;
type ParsedFilter = ReturnType<typeof S.userFilter.parse>;

/** Each order's key expression; an index serves each (0011_user_admin). */
const KEY: Record<Order, string> = {
  username: "username_key",
  id: "id",
  createdAt: "created_at",
  // Below every date (±8.64e15 ms): users who never logged in come first.
  lastLoginAt: "coalesce(last_login_at, -9007199254740991)",
};

/** The status a user reads as: a lock whose end has passed reads as active. */
const READ_STATUS =
  "(CASE WHEN status = 'locked' AND locked_until <= ? THEN 'active' ELSE status END)";

/** The WHERE conditions of a filter and their parameters; the bits say which are there. */
function conditions(
  f: ParsedFilter,
  now: number,
): { mask: number; where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  let mask = 0;
  if (f.query !== undefined && f.query !== "") {
    mask |= 1;
    const pattern = `%${foldKey(f.query).replace(/[\\%_]/g, "\\$&")}%`;
    where.push(
      "(username_key LIKE ? ESCAPE '\\' OR real_name_key LIKE ? ESCAPE '\\')",
    );
    params.push(pattern, pattern);
  }
  if (f.status !== undefined) {
    mask |= 2;
    where.push(`${READ_STATUS} = ?`);
    params.push(now, f.status);
  }
  if (f.minLevel !== undefined) {
    mask |= 4;
    where.push("security_level >= ?");
    params.push(f.minLevel);
  }
  return { mask, where, params };
}

const statements = new Map<string, Sql>();

/** A statement built once per shape (filters, order, direction, cursor), then reused. */
function cached(name: string, text: () => string): Sql {
  let q = statements.get(name);
  if (!q) statements.set(name, q = sql(name, text()));
  return q;
}

function whereOf(where: string[]): string {
  return where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`;
}

/**
 * A cursor: the order, the last user's key and id, and a check of them. It holds no direction:
 * listed the other way, the same cursor gives the users before it (the previous page, nearest
 * first).
 */
function cursorOf(
  crypto: NodeCrypto,
  order: Order,
  key: unknown,
  id: number,
): string {
  const payload = JSON.stringify([order, key, id]);
  const check = sha256(crypto, payload, "base64url");
  return `${Buffer.from(payload).toString("base64url")}.${check.slice(0, 12)}`;
}

function badCursor(why: string): StorageError {
  return new StorageError(
    "validation",
    `Invalid users.list input: options.after ${why}: pass the next cursor of a page listed with the same orderBy`,
    { field: "options.after" },
  );
}

/** The key and id a cursor holds, checked against the order it must come from. */
function readCursor(
  crypto: NodeCrypto,
  cursor: string,
  order: Order,
): [key: unknown, id: number] {
  const [payload, check, ...rest] = cursor.split(".");
  let decoded: unknown;
  try {
    const text = Buffer.from(payload ?? "", "base64url").toString("utf8");
    const expected = sha256(crypto, text, "base64url");
    if (rest.length > 0 || check !== expected.slice(0, 12)) {
      throw badCursor("is not a cursor of users.list (altered or made up)");
    }
    decoded = JSON.parse(text);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw badCursor("is not a cursor of users.list");
  }
  const [o, key, id, ...more] = Array.isArray(decoded) ? decoded : [];
  if (more.length > 0) throw badCursor("is not a cursor of users.list");
  if (o !== order) {
    throw badCursor(`comes from a list by ${String(o).slice(0, 20)}`);
  }
  const keyOk = order === "username"
    ? typeof key === "string"
    : Number.isSafeInteger(key);
  if (!keyOk || !Number.isSafeInteger(id) || (id as number) < 1) {
    throw badCursor("is not a cursor of users.list");
  }
  return [key, id as number];
}

/** See `users.list`. */
export async function listUsers(
  x: Executor,
  options?: ListUsersOptions,
): Promise<UserPage> {
  const o = parse(S.listUsersOptions, options, "options", "users.list");
  const crypto = await nodeCrypto(); // for the cursors
  const order = o.orderBy as Order;
  const now = nowOf(x);
  const { mask, where, params } = conditions(o, now);
  const key = KEY[order];
  const dir = o.descending ? "DESC" : "ASC";
  if (o.after !== undefined) {
    const [k, id] = readCursor(crypto, o.after, order);
    const cmp = o.descending ? "<" : ">";
    if (order === "id") {
      where.push(`id ${cmp} ?`);
      params.push(id);
    } else {
      // The range on the key alone lets every dialect search the index (a row value over an
      // expression does not); the rest picks the rows after the cursor among equal keys.
      where.push(`${key} ${cmp}= ? AND (${key} ${cmp} ? OR id ${cmp} ?)`);
      params.push(k, k, id);
    }
  }
  const name = `users.list.${order}.${dir}.${mask}${
    o.after === undefined ? "" : ".after"
  }`;
  const q = cached(
    name,
    () =>
      `SELECT ${U}, ${key} AS sort_key FROM users${
        whereOf(where)
      } ORDER BY ${key} ${dir}, id ${dir} LIMIT ?`,
  );
  const rows = await x.all(q, [...params, o.limit + 1]);
  const { page, last } = keysetPage(rows, o.limit);
  return {
    users: page.map((r) => toUser(r, now)),
    next: last
      ? cursorOf(crypto, order, last[USERS.selected.length], last[0] as number)
      : null,
  };
}

/** See `users.count`. */
export async function countUsers(
  x: Executor,
  filter?: UserFilter,
): Promise<number> {
  const f = parse(S.userFilter, filter, "filter", "users.count");
  const { mask, where, params } = conditions(f, nowOf(x));
  const q = cached(
    `users.count.${mask}`,
    () => `SELECT count(*) FROM users${whereOf(where)}`,
  );
  const row = await x.get(q, params);
  return Number(row![0]);
}

/** The reason a lock by `recordFailedLogin` gives. */
export const FAILED_LOGINS_REASON = "Too many failed logins";

// `?1` now: a lock that has ended counts as no lock (the count starts again at 1).
const ENDED = "(status = 'locked' AND locked_until <= ?)";
const COUNT = `(CASE WHEN ${ENDED} THEN 1 ELSE failed_logins + 1 END)`;
const LOCKS = `((status = 'active' OR ${ENDED}) AND ${COUNT} >= ?)`;

const Q = {
  failed: sql(
    "users.failedLogin",
    `UPDATE users SET
       status = CASE WHEN ${LOCKS} THEN 'locked' WHEN ${ENDED} THEN 'active' ELSE status END,
       status_reason = CASE WHEN ${LOCKS} THEN ? WHEN ${ENDED} THEN NULL ELSE status_reason END,
       locked_until = CASE WHEN ${LOCKS} THEN ? WHEN ${ENDED} THEN NULL ELSE locked_until END,
       failed_logins = ${COUNT}
     WHERE id = ? RETURNING ${U}`,
    true,
  ),
  logins: sql(
    "users.logins",
    `SELECT login_at, coalesce(ended_at, CASE WHEN lapses_at <= ? THEN lapses_at END), node,
            ip_address, id
     FROM sessions WHERE user_id = ? AND login_at < ?
     ORDER BY login_at DESC, id DESC LIMIT ?`,
  ),
};

/** See `users.recordFailedLogin`. */
export async function recordFailedLogin(
  x: Executor,
  id: number,
  options: FailedLoginOptions,
): Promise<User> {
  parseId(id, "id", "users.recordFailedLogin");
  const o = parse(
    S.failedLoginOptions,
    options,
    "options",
    "users.recordFailedLogin",
  );
  const now = nowOf(x);
  const locks = [now, now, o.maxAttempts];
  const row = await x.get(Q.failed, [
    ...locks,
    now,
    ...locks,
    FAILED_LOGINS_REASON,
    now,
    ...locks,
    now + o.lockForSeconds * 1000,
    now,
    now,
    id,
  ]);
  if (!row) throw notFound("user", id, "record failed login");
  return toUser(row, now);
}

/** See `users.logins`. */
export async function listLogins(
  x: Executor,
  id: number,
  options?: LoginsOptions,
): Promise<LoginRecord[]> {
  parseId(id, "id", "users.logins");
  const o = parse(S.loginsOptions, options, "options", "users.logins");
  const before = o.before?.getTime() ?? Number.MAX_SAFE_INTEGER;
  const rows = await x.all(Q.logins, [nowOf(x), id, before, o.limit]);
  if (rows.length === 0 && !await x.get(userExists, [id])) {
    throw notFound("user", id, "list logins");
  }
  return rows.map((r) => ({
    at: new Date(r[0] as number),
    endedAt: r[1] === null ? null : new Date(r[1] as number),
    node: r[2] as number | null,
    ipAddress: r[3] as string,
    sessionId: r[4] as number,
  }));
}
