/**
 * The SQL each benchmarked Storage operation runs, issued directly on a raw client: the baseline
 * the benchmarks compare the Storage with. The statement texts (portable, `?` placeholders, as
 * `src/ops/` writes them, with the column lists of `src/rows.ts`) and their parameters are
 * written once here; {@linkcode rawSqlite} runs them synchronously on a SQLite engine and
 * {@linkcode rawPostgres} asynchronously on a postgres.js client.
 *
 * @module
 */
import postgres from "postgres";
import { MESSAGE_COLUMNS, USER_COLUMNS } from "../src/rows.ts";
import { toDollar } from "../drivers/postgres/dialect.ts";
import type { MessageArea, Storage, User } from "../mod.ts";
import type { PgClient } from "../drivers/postgres/client.ts";

/** The body of every message the benchmarks post. */
export const BODY = "A message body of a typical length for a BBS post.\n"
  .repeat(8);

/** How many messages the benchmarks seed before timing. */
export const SEED = 2000;

/**
 * The Storage side of every benchmark's set-up: areas "GENERAL" (seeded with {@linkcode SEED}
 * messages, for reads) and "OTHER" (for posting), and their author.
 *
 * @param storage The storage.
 * @returns The two areas and the author.
 */
export async function seedStorage(
  storage: Storage,
): Promise<{ general: MessageArea; other: MessageArea; author: User }> {
  const general = await storage.messageAreas.create({
    tag: "GENERAL",
    name: "General",
  });
  const other = await storage.messageAreas.create({
    tag: "OTHER",
    name: "Other",
  });
  const author = await storage.users.create({
    username: "author",
    passwordHash: "h",
  });
  await storage.transaction(async (tx) => {
    for (let i = 0; i < SEED; i++) {
      await tx.messages.post({
        areaId: general.id,
        fromUserId: author.id,
        subject: `seed ${i}`,
        body: BODY,
      });
    }
  });
  return { general, other, author };
}

/** A message to post: what the benchmarks pass to `postMessage`. */
export interface RawMessage {
  areaId: number;
  authorId: number;
  subject: string;
  body: string;
}

/** A page of an area's messages, by message number. */
export interface RawPage {
  afterNum: number;
  limit: number;
}

/** The statements, with `?` placeholders. */
const SQL = {
  insertUser:
    `INSERT INTO users (username, username_key, password_hash, security_level, real_name, location, note,
       flags, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${USER_COLUMNS}`,
  insertArea:
    "INSERT INTO message_areas (tag, tag_key, name, kind, echo_tag, created_at) VALUES (?, ?, ?, 'local', NULL, ?) RETURNING id",
  userById: `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`,
  userByKey: `SELECT ${USER_COLUMNS} FROM users WHERE username_key = ?`,
  userName: "SELECT username, username_key FROM users WHERE id = ?",
  number:
    "UPDATE message_areas SET last_msg_num = last_msg_num + 1, msg_count = msg_count + 1 WHERE id = ? RETURNING last_msg_num",
  insertMessage:
    `INSERT INTO messages (area_id, msg_num, from_user_id, from_name, to_user_id, to_name, subject, body,
       parent_id, thread_root_id, ftn_msgid, ftn_reply, kludges, created_at, from_name_key, to_name_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${MESSAGE_COLUMNS}`,
  addPost: "UPDATE users SET posts = posts + 1 WHERE id = ?",
  // The author, caught up before, has read their own message (as messages.post does).
  catchUp:
    "UPDATE last_read SET last_read = ? WHERE user_id = ? AND area_id = ? AND last_read >= ?",
  list:
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE area_id = ? AND msg_num > ? AND id > ? ORDER BY msg_num LIMIT ?`,
} as const;
type Name = keyof typeof SQL;

/** The parameters of each statement, in placeholder order. */
const P = {
  insertUser: (name: string, now: number) => [
    name,
    name.toLowerCase(),
    "h",
    10,
    "",
    "",
    "",
    "",
    "active",
    now,
    now,
  ],
  insertArea: (tag: string, now: number) => [tag, tag.toLowerCase(), tag, now],
  insertMessage: (
    m: RawMessage,
    numbered: { num: unknown; name: unknown; key: unknown },
  ) => [
    m.areaId,
    numbered.num,
    m.authorId,
    numbered.name,
    null,
    "All",
    m.subject,
    m.body,
    null,
    null,
    null,
    null,
    "[]",
    Date.now(),
    numbered.key,
    "all",
  ],
  catchUp: (m: RawMessage, num: unknown) => [
    num,
    m.authorId,
    m.areaId,
    Number(num) - 1,
  ],
  list: (areaId: number, page: RawPage) => [
    areaId,
    page.afterNum,
    0,
    page.limit,
  ],
};

/** The benchmarked operations on a raw SQLite engine. */
export interface RawSqliteOperations {
  /** Creates a user; returns its id. */
  createUser(name: string): number;
  /** Creates a message area; returns its id. */
  createArea(tag: string): number;
  /** A user's row by id. */
  getUser(id: number): unknown;
  /** A user's row by folded name. */
  findUserByUsername(key: string): unknown;
  /** Numbers, inserts and counts a message and moves a caught-up author's pointer, in one transaction. */
  postMessage(m: RawMessage): unknown;
  /** A page of an area's messages. */
  listMessages(areaId: number, page: RawPage): unknown[];
}

/** The same operations on postgres.js: each answer a promise. */
export type RawPostgresOperations = {
  [K in keyof RawSqliteOperations]: (
    ...args: Parameters<RawSqliteOperations[K]>
  ) => Promise<ReturnType<RawSqliteOperations[K]>>;
};

/** A prepared statement of a raw SQLite engine, parameters by position. */
export interface RawStatement {
  /** The first row (an array or keyed by column name), or `undefined`. */
  get(params: unknown[]): unknown;
  /** All rows. */
  all(params: unknown[]): unknown[];
  /** Runs the statement. */
  run(params: unknown[]): unknown;
}

const first = (row: unknown) =>
  Array.isArray(row) ? row[0] : Object.values(row as object)[0];
const second = (row: unknown) =>
  Array.isArray(row) ? row[1] : Object.values(row as object)[1];

/**
 * The operations on a SQLite engine, each statement prepared once with `prepare`. Writes in a
 * transaction begin with `BEGIN IMMEDIATE`, as the SQLite driver's do.
 *
 * @param prepare Prepares one statement on the engine.
 * @returns The operations, answering synchronously.
 */
export function rawSqlite(
  prepare: (sql: string) => RawStatement,
): RawSqliteOperations {
  const s = Object.fromEntries(
    Object.entries(SQL).map(([name, text]) => [name, prepare(text)]),
  ) as Record<Name, RawStatement>;
  const begin = prepare("BEGIN IMMEDIATE");
  const commit = prepare("COMMIT");
  const rollback = prepare("ROLLBACK");
  return {
    createUser: (name) =>
      first(s.insertUser.get(P.insertUser(name, Date.now()))) as number,
    createArea: (tag) =>
      first(s.insertArea.get(P.insertArea(tag, Date.now()))) as number,
    getUser: (id) => s.userById.get([id]),
    findUserByUsername: (key) => s.userByKey.get([key]),
    postMessage(m) {
      begin.run([]);
      try {
        const author = s.userName.get([m.authorId]);
        const [name, key] = [first(author), second(author)];
        const num = first(s.number.get([m.areaId]));
        const row = s.insertMessage.get(
          P.insertMessage(m, { num, name, key }),
        );
        s.addPost.run([m.authorId]);
        s.catchUp.run(P.catchUp(m, num));
        commit.run([]);
        return row;
      } catch (error) {
        rollback.run([]);
        throw error;
      }
    },
    listMessages: (areaId, page) => s.list.all(P.list(areaId, page)),
  };
}

/** The statements with `$n` placeholders. */
const PG_SQL = Object.fromEntries(
  Object.entries(SQL).map(([name, text]) => [name, toDollar(text)]),
) as Record<Name, string>;

/**
 * A postgres.js client with the driver's type settings (int8 read as numbers), not fetching
 * types, quiet about notices.
 *
 * @param url The database URL.
 * @param max Connections; 1 (the default) for {@linkcode rawPostgres}'s `postMessage`.
 * @returns The client.
 */
export function rawPostgresClient(url: string, max = 1): postgres.Sql {
  return postgres(url, {
    max,
    fetch_types: false,
    onnotice: () => {},
    types: {
      bigint: { to: 20, from: [20], parse: Number, serialize: String },
    },
  }) as unknown as postgres.Sql;
}

/**
 * The operations on a postgres.js client, each statement prepared (once per connection, by
 * postgres.js), rows as arrays. `postMessage` sends `BEGIN` and `COMMIT` as simple queries, as
 * the PostgreSQL driver does, so the client must hold one connection (`max: 1`, or a reserved
 * one); the other operations run on any client.
 *
 * @param sql The client (seen through the driver's {@linkcode PgClient} interface).
 * @returns The operations, answering with promises.
 */
export function rawPostgres(sql: postgres.Sql): RawPostgresOperations {
  const client = sql as unknown as PgClient;
  const q = (name: Name, params: unknown[]) =>
    client.unsafe(PG_SQL[name], params, { prepare: true }).values();
  const one = async (name: Name, params: unknown[]) =>
    (await q(name, params))[0];
  return {
    createUser: async (name) =>
      first(await one("insertUser", P.insertUser(name, Date.now()))) as number,
    createArea: async (tag) =>
      first(await one("insertArea", P.insertArea(tag, Date.now()))) as number,
    getUser: (id) => one("userById", [id]),
    findUserByUsername: (key) => one("userByKey", [key]),
    async postMessage(m) {
      await client.unsafe("BEGIN");
      try {
        const author = await one("userName", [m.authorId]);
        const [name, key] = [first(author), second(author)];
        const num = first(await one("number", [m.areaId]));
        const row = await one(
          "insertMessage",
          P.insertMessage(m, { num, name, key }),
        );
        await q("addPost", [m.authorId]);
        await q("catchUp", P.catchUp(m, num));
        await client.unsafe("COMMIT");
        return row;
      } catch (error) {
        await client.unsafe("ROLLBACK");
        throw error;
      }
    },
    listMessages: (areaId, page) => q("list", P.list(areaId, page)),
  };
}
