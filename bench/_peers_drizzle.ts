/**
 * Drizzle's side of the peer benchmark, on either dialect, and Drizzle on `node:sqlite`.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import { and, eq, gt, gte, ne, sql as dsql } from "drizzle-orm";
import type { SqliteRemoteDatabase } from "drizzle-orm/sqlite-proxy";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { foldKey } from "../src/keys.ts";
import { BODY } from "./_raw.ts";
import {
  AREA_COLS,
  MESSAGE_COLS,
  type pgTables,
  SESSION_COLS,
  type sqliteTables,
  USER_COLS,
} from "./_peers_schema.ts";
import {
  afterNum,
  type Fixture,
  hashToken,
  PAGE,
  pick,
  type ScanRow,
  type Side,
  unread,
} from "./_peers_sides.ts";

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
        const [author] = await tx.select({
          username: users.username,
          key: users.username_key,
        }).from(users).where(eq(users.id, fx.author));
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
          from_name_key: author!.key,
          to_name_key: "all",
        }).returning(columnsOf(messages, MESSAGE_COLS));
        await tx.update(users).set({ posts: dsql`${users.posts} + 1` })
          .where(eq(users.id, fx.author));
        // The author, caught up before, has read their own message.
        await tx.update(lastRead).set({ last_read: area!.num })
          .where(and(
            eq(lastRead.user_id, fx.author),
            eq(lastRead.area_id, fx.postArea),
            gte(lastRead.last_read, area!.num - 1),
          ));
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
