/**
 * The sides of the peer benchmark: the same seven operations through the raw driver, the
 * package, Kysely and Drizzle, each on the same database. Every side does the same logical work:
 * the same rows found by the same keys, the same columns read, the token hashed, the new-scan's
 * user checked and its unread counts computed, a post numbered, inserted and counted in one
 * transaction.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import type postgres from "postgres";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Kysely,
  sql as ksql,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";
import { and, eq, gt, ne, sql as dsql } from "drizzle-orm";
import type { SqliteRemoteDatabase } from "drizzle-orm/sqlite-proxy";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
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
import {
  AREA_COLS,
  MESSAGE_COLS,
  type PeerDatabase,
  type pgTables,
  SESSION_COLS,
  type sqliteTables,
  USER_COLS,
} from "./_peers_schema.ts";

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
const PAGE = 50;

const pick = <T>(xs: readonly T[], i: number): T => xs[(i * 7919) % xs.length]!;
/** The number the `i`-th page starts after: the listed area's full pages in turn. */
const afterNum = (i: number, fx: Fixture) => (i % fx.pages) * PAGE;
const hashToken = (token: string) =>
  createHash("sha256").update(token).digest("hex");

/** The area columns and the pointer, own count and floor of one new-scan row. */
interface ScanRow {
  last_msg_num: unknown;
  last_read: unknown;
  mine: unknown;
  floor: unknown;
}

/** The areas with unread messages, counted as the package counts them. */
function unread<R extends ScanRow>(rows: readonly R[]) {
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

/** Kysely's SQLite driver, its transactions begun `IMMEDIATE` as the package's and raw's are. */
class ImmediateDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw("BEGIN IMMEDIATE"));
  }
}

/**
 * Kysely on `node:sqlite`: its `SqliteDialect` (written for better-sqlite3) driving the
 * connection through the small database interface it asks for, each statement prepared once and
 * kept, as the package and the raw side do; transactions begin `IMMEDIATE`.
 */
export class NodeSqliteDialect extends SqliteDialect {
  #config: SqliteDialectConfig;

  /** @param db The connection. */
  constructor(db: DatabaseSync) {
    const config = { database: kyselySqliteDatabase(db) };
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateDriver(this.#config);
  }
}

/** `node:sqlite` as Kysely's `SqliteDatabase`, statements prepared once and kept. */
function kyselySqliteDatabase(db: DatabaseSync) {
  type Statement = {
    reader: boolean;
    all(params: readonly unknown[]): unknown[];
    run(params: readonly unknown[]): {
      changes: number | bigint;
      lastInsertRowid: number | bigint;
    };
    iterate(params: readonly unknown[]): IterableIterator<unknown>;
  };
  const statements = new Map<string, Statement>();
  return {
    close: () => {},
    prepare(text: string): Statement {
      let statement = statements.get(text);
      if (statement === undefined) {
        const s = db.prepare(text);
        const p = (params: readonly unknown[]) => params as SQLInputValue[];
        statement = {
          reader: s.columns().length > 0,
          all: (params) => s.all(...p(params)),
          run: (params) => s.run(...p(params)),
          iterate: (params) => s.iterate(...p(params)),
        };
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * `node:sqlite` behind Drizzle's `sqlite-proxy` driver: Drizzle 0.45 has no node:sqlite driver,
 * and its better-sqlite3 driver imports the native `better-sqlite3` module when loaded (absent
 * here), so the proxy, Drizzle's documented way to any other SQLite client, takes each query,
 * run on statements prepared once and kept, rows as arrays as the proxy wants them.
 *
 * @param db The connection.
 * @returns The callback for `drizzle(callback)` of `drizzle-orm/sqlite-proxy`.
 */
export function drizzleSqliteProxy(db: DatabaseSync) {
  const statements = new Map<string, StatementSync>();
  const prepare = (text: string) => {
    let statement = statements.get(text);
    if (statement === undefined) {
      statement = db.prepare(text);
      // In node:sqlite since Node 24; Deno has it, its types not yet.
      (statement as StatementSync & { setReturnArrays(on: boolean): void })
        .setReturnArrays(true);
      statements.set(text, statement);
    }
    return statement;
  };
  // deno-lint-ignore require-await
  return async (
    text: string,
    params: unknown[],
    method: "run" | "all" | "values" | "get",
  ): Promise<{ rows: unknown[] }> => {
    const s = prepare(text);
    const p = params as SQLInputValue[];
    if (method === "run") {
      s.run(...p);
      return { rows: [] };
    }
    if (method === "get") return { rows: (s.get(...p) ?? []) as unknown[] };
    return { rows: s.all(...p) };
  };
}

/**
 * Kysely's side, on either dialect.
 *
 * @param db Kysely on the database.
 * @param fx The fixture.
 * @param prefix Starts the names of the users it creates.
 */
export function kyselySide(
  db: Kysely<PeerDatabase>,
  fx: Fixture,
  prefix: string,
): Side {
  const areaCols = AREA_COLS.map((c) => `a.${c}` as `a.${typeof c}`);
  return {
    getUser: (i) =>
      db.selectFrom("users").select(USER_COLS).where(
        "id",
        "=",
        pick(fx.userIds, i),
      ).executeTakeFirst(),
    findByUsername: (i) =>
      db.selectFrom("users").select(USER_COLS)
        .where("username_key", "=", foldKey(pick(fx.usernames, i)))
        .executeTakeFirst(),
    createUser(i) {
      const name = `${prefix}${i}`;
      const now = Date.now();
      return db.insertInto("users").values({
        username: name,
        username_key: foldKey(name),
        password_hash: "h",
        security_level: 10,
        real_name: "",
        location: "",
        note: "",
        flags: "",
        status: "active",
        created_at: now,
        updated_at: now,
      }).returning(USER_COLS).executeTakeFirstOrThrow();
    },
    postMessage: () =>
      db.transaction().execute(async (tx) => {
        const author = await tx.selectFrom("users").select("username")
          .where("id", "=", fx.author).executeTakeFirstOrThrow();
        const area = await tx.updateTable("message_areas")
          .set((eb) => ({
            last_msg_num: eb("last_msg_num", "+", 1),
            msg_count: eb("msg_count", "+", 1),
          }))
          .where("id", "=", fx.postArea).returning("last_msg_num")
          .executeTakeFirstOrThrow();
        const row = await tx.insertInto("messages").values({
          area_id: fx.postArea,
          msg_num: area.last_msg_num,
          from_user_id: fx.author,
          from_name: author.username,
          to_user_id: null,
          to_name: "All",
          subject: "Hello",
          body: BODY,
          parent_id: null,
          thread_root_id: null,
          ftn_msgid: null,
          ftn_reply: null,
          kludges: "[]",
          created_at: Date.now(),
        }).returning(MESSAGE_COLS).executeTakeFirstOrThrow();
        await tx.updateTable("users")
          .set((eb) => ({ posts: eb("posts", "+", 1) }))
          .where("id", "=", fx.author).execute();
        return row;
      }),
    list50: (i) =>
      db.selectFrom("messages").select(MESSAGE_COLS)
        .where("area_id", "=", fx.listArea)
        .where("msg_num", ">", afterNum(i, fx))
        .orderBy("msg_num").limit(PAGE).execute(),
    async newScan() {
      const user = await db.selectFrom("users").select("id")
        .where("id", "=", fx.reader).executeTakeFirst();
      if (user === undefined) throw new Error("No reader");
      const rows = await db.selectFrom("message_areas as a")
        .leftJoin(
          "last_read as r",
          (join) =>
            join.onRef("r.area_id", "=", "a.id").on(
              "r.user_id",
              "=",
              fx.reader,
            ),
        )
        .select(areaCols)
        .select([
          ksql<number>`coalesce(r.last_read, 0)`.as("last_read"),
          ksql<
            number
          >`(SELECT count(*) FROM messages o WHERE o.from_user_id = ${fx.reader}
            AND o.area_id = a.id AND o.msg_num > coalesce(r.last_read, 0))`.as(
            "mine",
          ),
          ksql<number>`(SELECT coalesce(min(f.msg_num), a.last_msg_num + 1) - 1
            FROM messages f WHERE f.area_id = a.id)`.as("floor"),
        ])
        .where("a.kind", "<>", "private")
        .where(ksql<boolean>`a.last_msg_num > coalesce(r.last_read, 0)`)
        .where(ksql<boolean>`coalesce(r.scanned, 1) = 1`)
        .orderBy("a.id").execute();
      return unread(rows);
    },
    sessionByToken: () =>
      db.selectFrom("sessions").select(SESSION_COLS)
        .where("token_hash", "=", hashToken(fx.token))
        .where("ended_at", "is", null)
        .where((eb) =>
          eb.or([
            eb("lapses_at", "is", null),
            eb("lapses_at", ">", Date.now()),
          ])
        ).executeTakeFirst(),
  };
}

/** The tables of one of Drizzle's dialects. */
type Tables = typeof sqliteTables | typeof pgTables;

/** Picks the named columns of a Drizzle table, for a select list. */
function columnsOf<T extends object, K extends keyof T>(
  table: T,
  names: readonly K[],
): Pick<T, K> {
  return Object.fromEntries(names.map((n) => [n, table[n]])) as Pick<T, K>;
}

/** A built Drizzle query as both dialects prepare it (SQLite ignores the name). */
interface Preparable {
  prepare(name: string): {
    execute(values: Record<string, unknown>): Promise<unknown>;
  };
}

/**
 * Drizzle's side. Its single statements are prepared once, with placeholders, as Drizzle's
 * documentation advises for hot paths: building a query costs far more than running it (about
 * 150 µs for `getUser` on SQLite here, against 9 µs prepared). The transaction builds its
 * statements on the transaction, as it must on PostgreSQL, where a query prepared on the
 * database would run on another pooled connection. The two dialects' builders are typed apart
 * but take the same calls, so the side is written once against the SQLite types.
 *
 * @param db Drizzle on the database (`sqlite-proxy` or `postgres-js`).
 * @param t The dialect's tables.
 * @param fx The fixture.
 * @param prefix Starts the names of the users it creates.
 * @param immediate Whether transactions begin `IMMEDIATE` (SQLite, as the package's do).
 */
export function drizzleSide(
  db: SqliteRemoteDatabase | PostgresJsDatabase,
  t: Tables,
  fx: Fixture,
  prefix: string,
  immediate: boolean,
): Side {
  const d = db as SqliteRemoteDatabase;
  const {
    users,
    messages,
    message_areas: areas,
    last_read: lastRead,
    sessions,
  } = t as typeof sqliteTables;
  let prepared = 0;
  const prepare = (query: unknown) => {
    const p = (query as Preparable).prepare(`peers_${++prepared}`);
    return async (values: Record<string, unknown>) =>
      await p.execute(values) as unknown[];
  };
  const first = async (rows: Promise<unknown[]>) => (await rows)[0];
  const $ = (name: string) => dsql.placeholder(name);
  const userCols = columnsOf(users, USER_COLS);
  const byId = prepare(
    d.select(userCols).from(users).where(eq(users.id, $("id"))),
  );
  const byKey = prepare(
    d.select(userCols).from(users).where(eq(users.username_key, $("key"))),
  );
  const insertUser = prepare(
    d.insert(users).values({
      username: $("name"),
      username_key: $("key"),
      password_hash: "h",
      security_level: 10,
      real_name: "",
      location: "",
      note: "",
      flags: "",
      status: "active",
      created_at: $("now"),
      updated_at: $("now"),
    }).returning(userCols),
  );
  const page = prepare(
    d.select(columnsOf(messages, MESSAGE_COLS)).from(messages).where(
      and(eq(messages.area_id, $("area")), gt(messages.msg_num, $("after"))),
    ).orderBy(messages.msg_num).limit(PAGE),
  );
  const exists = prepare(
    d.select({ id: users.id }).from(users).where(eq(users.id, $("id"))),
  );
  const scan = prepare(
    d.select({
      ...columnsOf(areas, AREA_COLS),
      last_read: dsql<number>`coalesce(${lastRead.last_read}, 0)`,
      mine: dsql<
        number
      >`(SELECT count(*) FROM messages o WHERE o.from_user_id = ${$("user")}
        AND o.area_id = ${areas.id} AND o.msg_num > coalesce(${lastRead.last_read}, 0))`,
      floor: dsql<
        number
      >`(SELECT coalesce(min(f.msg_num), ${areas.last_msg_num} + 1) - 1
        FROM messages f WHERE f.area_id = ${areas.id})`,
    }).from(areas)
      .leftJoin(
        lastRead,
        and(eq(lastRead.user_id, $("user")), eq(lastRead.area_id, areas.id)),
      )
      .where(and(
        ne(areas.kind, "private"),
        gt(areas.last_msg_num, dsql`coalesce(${lastRead.last_read}, 0)`),
        dsql`coalesce(${lastRead.scanned}, 1) = 1`,
      )).orderBy(areas.id),
  );
  const byToken = prepare(
    d.select(columnsOf(sessions, SESSION_COLS)).from(sessions).where(and(
      eq(sessions.token_hash, $("hash")),
      dsql`${sessions.ended_at} IS NULL`,
      dsql`(${sessions.lapses_at} IS NULL OR ${sessions.lapses_at} > ${
        $("now")
      })`,
    )),
  );
  return {
    getUser: (i) => first(byId({ id: pick(fx.userIds, i) })),
    findByUsername: (i) =>
      first(byKey({ key: foldKey(pick(fx.usernames, i)) })),
    createUser(i) {
      const name = `${prefix}${i}`;
      return first(insertUser({ name, key: foldKey(name), now: Date.now() }));
    },
    postMessage: () =>
      d.transaction(async (tx) => {
        const [author] = await tx.select({ username: users.username })
          .from(users).where(eq(users.id, fx.author));
        const [area] = await tx.update(areas).set({
          last_msg_num: dsql`${areas.last_msg_num} + 1`,
          msg_count: dsql`${areas.msg_count} + 1`,
        }).where(eq(areas.id, fx.postArea))
          .returning({ num: areas.last_msg_num });
        const [row] = await tx.insert(messages).values({
          area_id: fx.postArea,
          msg_num: area!.num,
          from_user_id: fx.author,
          from_name: author!.username,
          to_user_id: null,
          to_name: "All",
          subject: "Hello",
          body: BODY,
          parent_id: null,
          thread_root_id: null,
          ftn_msgid: null,
          ftn_reply: null,
          kludges: "[]",
          created_at: Date.now(),
        }).returning(columnsOf(messages, MESSAGE_COLS));
        await tx.update(users).set({ posts: dsql`${users.posts} + 1` })
          .where(eq(users.id, fx.author));
        return row;
      }, immediate ? { behavior: "immediate" } : undefined),
    list50: (i) => page({ area: fx.listArea, after: afterNum(i, fx) }),
    async newScan() {
      if ((await exists({ id: fx.reader })).length === 0) {
        throw new Error("No reader");
      }
      return unread(await scan({ user: fx.reader }) as ScanRow[]);
    },
    sessionByToken: () =>
      first(byToken({ hash: hashToken(fx.token), now: Date.now() })),
  };
}
