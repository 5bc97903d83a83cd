/**
 * The sides of the peer benchmark: the same seven operations through the raw driver and the
 * package here, through Kysely (`_peers_kysely.ts`) and Drizzle (`_peers_drizzle.ts`), each on
 * the same database. Every side does the same logical work:
 * the same rows found by the same keys, the same columns read, the token hashed, the new-scan's
 * user checked and its unread counts computed, a post numbered, inserted and counted in one
 * transaction.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type postgres from "postgres";
import type { Storage } from "../mod.ts";
import { foldKey } from "../src/keys.ts";
import { SESSION_COLUMNS } from "../src/rows.ts";
import { toDollar } from "../drivers/postgres/dialect.ts";
import {
  BODY,
  type RawPostgresOperations,
  type RawSqliteOperations,
  type RawStatement,
} from "./_raw.ts";
import { AREA_COLS } from "./_peers_schema.ts";

/** The benchmarked operations, in table order. */
export const OPERATIONS = [
  "getUser",
  "findByUsername",
  "createUser",
  "postMessage",
  "list50",
  "newScan",
  "sessionByToken",
] as const;
/** One of {@linkcode OPERATIONS}. */
export type Operation = typeof OPERATIONS[number];

/** A side: each operation's `i`-th call (which picks its user, page or name from `i`). */
export type Side = Record<Operation, (i: number) => unknown>;

/** What the seeding made, for the operations to look up. */
export interface Fixture {
  /** Ids of the seeded users. */
  userIds: number[];
  /** Their usernames, as created. */
  usernames: string[];
  /** The area whose pages are listed. */
  listArea: number;
  /** How many whole pages of 50 it holds. */
  pages: number;
  /** The area posted to. */
  postArea: number;
  /** The author of the posts. */
  author: number;
  /** A user with pointers in some areas. */
  reader: number;
  /** The token of a live session. */
  token: string;
}

/** Messages per listed area page. */
export const PAGE = 50;

export const pick = <T>(xs: readonly T[], i: number): T =>
  xs[(i * 7919) % xs.length]!;
/** The number the `i`-th page starts after: the listed area's full pages in turn. */
export const afterNum = (i: number, fx: Fixture) => (i % fx.pages) * PAGE;
/** A session token's stored hash, as the package computes it. */
export const hashToken = (token: string) =>
  createHash("sha256").update(token).digest("hex");

/** The area columns and the pointer, own count and floor of one new-scan row. */
export interface ScanRow {
  last_msg_num: unknown;
  last_read: unknown;
  mine: unknown;
  floor: unknown;
}

/** The areas with unread messages, counted as the package counts them. */
export function unread<R extends ScanRow>(rows: readonly R[]) {
  const entries = [];
  for (const row of rows) {
    const n = Number(row.last_msg_num) -
      Math.max(Number(row.last_read), Number(row.floor)) - Number(row.mine);
    if (n > 0) entries.push({ area: row, lastRead: Number(row.last_read), n });
  }
  return entries;
}

/** A new-scan row read as an array (raw `node:sqlite`), by its columns. */
function scanRow(row: unknown[]): ScanRow {
  const n = AREA_COLS.length;
  return {
    last_msg_num: row[AREA_COLS.indexOf("last_msg_num")],
    last_read: row[n],
    mine: row[n + 1],
    floor: row[n + 2],
  };
}

/** The new-scan: the package's statement (`lastRead.newScan`), its own messages counted. */
const NEW_SCAN = `SELECT ${AREA_COLS.map((c) => `a.${c}`).join(", ")},
    coalesce(r.last_read, 0) AS last_read,
    (SELECT count(*) FROM messages o
     WHERE o.from_user_id = ? AND o.area_id = a.id AND o.msg_num > coalesce(r.last_read, 0)) AS mine,
    (SELECT coalesce(min(f.msg_num), a.last_msg_num + 1) - 1 FROM messages f
     WHERE f.area_id = a.id) AS floor
  FROM message_areas a LEFT JOIN last_read r ON r.user_id = ? AND r.area_id = a.id
  WHERE a.kind <> 'private' AND a.last_msg_num > coalesce(r.last_read, 0)
    AND coalesce(r.scanned, 1) = 1
  ORDER BY a.id`;
const USER_EXISTS = "SELECT id FROM users WHERE id = ?";
const BY_TOKEN = `SELECT ${SESSION_COLUMNS} FROM sessions
  WHERE token_hash = ? AND ended_at IS NULL AND (lapses_at IS NULL OR lapses_at > ?)`;

const message = (fx: Fixture) => ({
  areaId: fx.postArea,
  authorId: fx.author,
  subject: "Hello",
  body: BODY,
});

/**
 * The package's side.
 *
 * @param storage The storage.
 * @param fx The fixture.
 * @param prefix Starts the names of the users it creates.
 */
export function storageSide(
  storage: Storage,
  fx: Fixture,
  prefix: string,
): Side {
  return {
    getUser: (i) => storage.users.get(pick(fx.userIds, i)),
    findByUsername: (i) => storage.users.findByUsername(pick(fx.usernames, i)),
    createUser: (i) =>
      storage.users.create({ username: `${prefix}${i}`, passwordHash: "h" }),
    postMessage: () =>
      storage.messages.post({
        areaId: fx.postArea,
        fromUserId: fx.author,
        subject: "Hello",
        body: BODY,
      }),
    list50: (i) =>
      storage.messages.list(fx.listArea, {
        afterNum: afterNum(i, fx),
        limit: PAGE,
      }),
    newScan: () => storage.reading.newScan(fx.reader),
    sessionByToken: () => storage.sessions.getByToken(fx.token),
  };
}

/**
 * Raw `node:sqlite`: `bench/_raw.ts`'s statements, and the new-scan and token look-up here.
 *
 * @param raw The operations of `_raw.ts` on the connection.
 * @param prepare Prepares a statement on the same connection.
 * @param fx The fixture.
 * @param prefix Starts the names of the users it creates.
 */
export function rawSqliteSide(
  raw: RawSqliteOperations,
  prepare: (sql: string) => RawStatement,
  fx: Fixture,
  prefix: string,
): Side {
  const exists = prepare(USER_EXISTS);
  const scan = prepare(NEW_SCAN);
  const byToken = prepare(BY_TOKEN);
  return {
    getUser: (i) => raw.getUser(pick(fx.userIds, i)),
    findByUsername: (i) =>
      raw.findUserByUsername(foldKey(pick(fx.usernames, i))),
    createUser: (i) => raw.createUser(`${prefix}${i}`),
    postMessage: () => raw.postMessage(message(fx)),
    list50: (i) =>
      raw.listMessages(fx.listArea, { afterNum: afterNum(i, fx), limit: PAGE }),
    newScan() {
      if (!exists.get([fx.reader])) throw new Error("No reader");
      return unread(
        (scan.all([fx.reader, fx.reader]) as unknown[][]).map(scanRow),
      );
    },
    sessionByToken: () => byToken.get([hashToken(fx.token), Date.now()]),
  };
}

/**
 * Raw postgres.js: `bench/_raw.ts`'s statements, and the new-scan and token look-up here.
 *
 * @param raw The operations of `_raw.ts` on a one-connection client.
 * @param client That client.
 * @param fx The fixture.
 * @param prefix Starts the names of the users it creates.
 */
export function rawPostgresSide(
  raw: RawPostgresOperations,
  client: postgres.Sql,
  fx: Fixture,
  prefix: string,
): Side {
  const query = (text: string, params: unknown[]) =>
    client.unsafe(toDollar(text), params as never[], { prepare: true });
  return {
    getUser: (i) => raw.getUser(pick(fx.userIds, i)),
    findByUsername: (i) =>
      raw.findUserByUsername(foldKey(pick(fx.usernames, i))),
    createUser: (i) => raw.createUser(`${prefix}${i}`),
    postMessage: () => raw.postMessage(message(fx)),
    list50: (i) =>
      raw.listMessages(fx.listArea, { afterNum: afterNum(i, fx), limit: PAGE }),
    async newScan() {
      if ((await query(USER_EXISTS, [fx.reader])).length === 0) {
        throw new Error("No reader");
      }
      const rows = await query(NEW_SCAN, [fx.reader, fx.reader]);
      return unread(rows as unknown as ScanRow[]);
    },
    sessionByToken: async () =>
      (await query(BY_TOKEN, [hashToken(fx.token), Date.now()]))[0],
  };
}
