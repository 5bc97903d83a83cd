/**
 * Plain SQL on a test database behind the storage's back, for what the API cannot do: emptying
 * every table between property-test sequences, and fingerprinting every table to prove that a
 * failed call wrote nothing. Available for databases another connection can reach (SQLite
 * files, PostgreSQL); `undefined` for in-memory SQLite.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { rawClient } from "./_postgres.ts";

/** Every table of the schema, children first. */
export const TABLES: readonly string[] = [
  "sessions",
  "logins",
  "last_read",
  "messages",
  "files",
  "message_areas",
  "file_areas",
  "users",
];

/** A connection of its own to a test database. */
export interface Raw {
  /** Deletes every row of every table (ids keep growing). */
  empty(): Promise<void>;
  /** Row counts, id high-water marks and sums over every column of every table, as text. */
  fingerprint(): Promise<string>;
  /** Closes the connection. */
  [Symbol.asyncDispose](): Promise<void>;
}

const len = (columns: string[]) =>
  columns.map((c) => `coalesce(length(${c}), 0)`).join(" + ");

/** Per table: what a write to any of its columns changes. Same SQL on both dialects. */
const MEASURES: Record<string, string[]> = {
  users: [
    "logins + posts + uploads + downloads",
    "upload_bytes",
    "download_bytes",
    "security_level + coalesce(last_login_at, 0) + updated_at + created_at",
    len([
      "username",
      "username_key",
      "password_hash",
      "real_name",
      "location",
      "note",
      "flags",
      "status",
    ]),
  ],
  messages: [
    "msg_num + area_id + coalesce(parent_id, 0) + coalesce(thread_root_id, 0) + created_at",
    "coalesce(from_user_id, 0) + coalesce(to_user_id, 0)",
    len([
      "from_name",
      "to_name",
      "subject",
      "body",
      "ftn_msgid",
      "ftn_reply",
      "kludges",
    ]),
  ],
  message_areas: [
    "last_msg_num + msg_count",
    len(["tag", "tag_key", "name", "kind", "echo_tag"]),
  ],
  file_areas: [len(["tag", "tag_key", "name"])],
  files: [
    "size + downloads + area_id + coalesce(uploader_id, 0) + uploaded_at",
    len(["filename", "filename_key", "description", "sha256"]),
  ],
  sessions: [
    "coalesce(ended_at, 0) + last_activity_at + coalesce(expires_at, 0) + coalesce(node, 0)",
    len(["ip_address", "activity", "token_hash"]),
  ],
  last_read: ["last_read + user_id + area_id"],
  logins: ["coalesce(user_id, 0) + login_at", len(["username"])],
};

const FINGERPRINT = `SELECT ${
  TABLES.flatMap((t) => [
    `(SELECT count(*) FROM ${t})`,
    `(SELECT coalesce(max(${
      t === "last_read" ? "last_read" : "id"
    }), 0) FROM ${t})`,
    ...MEASURES[t]!.map((m) => `(SELECT coalesce(sum(${m}), 0) FROM ${t})`),
  ]).map((e, i) => `${e} AS c${i}`).join(", ")
}`;

const EMPTY = TABLES.map((t) => `DELETE FROM ${t};`).join("\n");

/**
 * Opens a raw connection to the database of a storage URL.
 *
 * @param url A test target's URL.
 * @returns The connection, or `undefined` for in-memory SQLite.
 */
export function openRaw(url: string): Raw | undefined {
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length).replace(/\?.*$/, "");
    if (path === ":memory:") return undefined;
    const db = new DatabaseSync(path);
    db.exec("PRAGMA busy_timeout = 5000");
    const fingerprint = db.prepare(FINGERPRINT);
    return {
      empty: () => Promise.resolve(db.exec(EMPTY)),
      fingerprint: () =>
        Promise.resolve(Object.values(fingerprint.get()!).join(",")),
      [Symbol.asyncDispose]: () => Promise.resolve(db.close()),
    };
  }
  const sql = rawClient(url);
  return {
    async empty() {
      await sql.unsafe(EMPTY);
    },
    async fingerprint() {
      const [row] = await sql.unsafe(FINGERPRINT, [], { prepare: true });
      return Object.values(row!).map(String).join(",");
    },
    [Symbol.asyncDispose]: () => sql.end(),
  };
}
