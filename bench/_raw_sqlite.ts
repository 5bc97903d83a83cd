/**
 * The SQL each benchmarked Storage operation runs, issued directly on a raw SQLite engine: the
 * baseline the benchmarks compare the Storage with. Kept beside the operations' own column lists
 * so both sides run the same statements.
 *
 * @module
 */
import { MESSAGE_COLUMNS, USER_COLUMNS } from "../src/rows.ts";

/** A prepared statement of a raw engine, parameters by position. */
export interface RawStatement {
  get(params: unknown[]): unknown;
  all(params: unknown[]): unknown[];
  run(params: unknown[]): unknown;
}

/** The benchmarked operations, on a raw engine. */
export interface RawOperations {
  /** Creates a user; returns its id. */
  createUser(name: string): number;
  /** Creates a message area; returns its id. */
  createArea(tag: string): number;
  getUser(id: number): unknown;
  findUserByUsername(key: string): unknown;
  postMessage(
    areaId: number,
    authorId: number,
    subject: string,
    body: string,
  ): unknown;
  listMessages(areaId: number, afterNum: number, limit: number): unknown[];
}

/**
 * Prepares the operations' statements with `prepare` (one engine's raw statements).
 *
 * @param prepare Prepares one statement.
 * @returns The operations.
 */
export function rawOperations(
  prepare: (sql: string) => RawStatement,
): RawOperations {
  const s = {
    insertUser: prepare(
      `INSERT INTO users (username, username_key, password_hash, security_level, real_name, location, note,
         flags, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${USER_COLUMNS}`,
    ),
    insertArea: prepare(
      "INSERT INTO message_areas (tag, tag_key, name, kind, echo_tag, created_at) VALUES (?, ?, ?, 'local', NULL, ?) RETURNING id",
    ),
    userById: prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`),
    userByKey: prepare(
      `SELECT ${USER_COLUMNS} FROM users WHERE username_key = ?`,
    ),
    begin: prepare("BEGIN IMMEDIATE"),
    commit: prepare("COMMIT"),
    userName: prepare("SELECT username FROM users WHERE id = ?"),
    number: prepare(
      "UPDATE message_areas SET last_msg_num = last_msg_num + 1, msg_count = msg_count + 1 WHERE id = ? RETURNING last_msg_num",
    ),
    insertMessage: prepare(
      `INSERT INTO messages (area_id, msg_num, from_user_id, from_name, to_user_id, to_name, subject, body,
         parent_id, thread_root_id, ftn_msgid, ftn_reply, kludges, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${MESSAGE_COLUMNS}`,
    ),
    addPost: prepare("UPDATE users SET posts = posts + 1 WHERE id = ?"),
    list: prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE area_id = ? AND msg_num > ? AND id > ? ORDER BY msg_num LIMIT ?`,
    ),
  };
  const first = (row: unknown) =>
    Array.isArray(row) ? row[0] : Object.values(row as object)[0];
  return {
    createUser(name) {
      const t = Date.now();
      return first(
        s.insertUser.get([
          name,
          name.toLowerCase(),
          "h",
          10,
          "",
          "",
          "",
          "",
          "active",
          t,
          t,
        ]),
      ) as number;
    },
    createArea(tag) {
      return first(
        s.insertArea.get([tag, tag.toLowerCase(), tag, Date.now()]),
      ) as number;
    },
    getUser: (id) => s.userById.get([id]),
    findUserByUsername: (key) => s.userByKey.get([key]),
    postMessage(areaId, authorId, subject, body) {
      s.begin.run([]);
      const name = first(s.userName.get([authorId]));
      const num = first(s.number.get([areaId]));
      const row = s.insertMessage.get([
        areaId,
        num,
        authorId,
        name,
        null,
        "All",
        subject,
        body,
        null,
        null,
        null,
        null,
        "[]",
        Date.now(),
      ]);
      s.addPost.run([authorId]);
      s.commit.run([]);
      return row;
    },
    listMessages: (areaId, afterNum, limit) =>
      s.list.all([areaId, afterNum, 0, limit]),
  };
}
