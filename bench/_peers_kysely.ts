/**
 * Kysely's side of the peer benchmark, on either dialect, and Kysely on `node:sqlite`.
 *
 * @module
 */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
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
import { foldKey } from "../src/keys.ts";
import { BODY } from "./_raw.ts";
import {
  AREA_COLS,
  MESSAGE_COLS,
  type PeerDatabase,
  SESSION_COLS,
  USER_COLS,
} from "./_peers_schema.ts";
import {
  afterNum,
  type Fixture,
  hashToken,
  PAGE,
  pick,
  type Side,
  unread,
} from "./_peers_sides.ts";

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
        const author = await tx.selectFrom("users")
          .select(["username", "username_key"])
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
          from_name_key: author.username_key,
          to_name_key: "all",
        }).returning(MESSAGE_COLS).executeTakeFirstOrThrow();
        await tx.updateTable("users")
          .set((eb) => ({ posts: eb("posts", "+", 1) }))
          .where("id", "=", fx.author).execute();
        // The author, caught up before, has read their own message.
        await tx.updateTable("last_read").set({ last_read: area.last_msg_num })
          .where("user_id", "=", fx.author).where("area_id", "=", fx.postArea)
          .where("last_read", ">=", area.last_msg_num - 1).execute();
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
