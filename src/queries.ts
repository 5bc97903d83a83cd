/**
 * The SQL catalogue: every statement the operations run, written once in SQL that SQLite and
 * PostgreSQL both accept, with `?` placeholders. Drivers rewrite placeholders for their dialect.
 *
 * @module
 */
import { type Sql, sql } from "./driver.ts";
import {
  FILE_COLUMNS,
  MESSAGE_COLUMNS,
  SESSION_COLUMNS,
  USER_COLUMNS,
} from "./rows.ts";

const USER =
  "id, username, password_hash, security_level, logins, posts, uploads, downloads, " +
  "upload_bytes, download_bytes, last_login_at, created_at, updated_at";
const FILE =
  "id, area_id, filename, description, uploader_id, size, uploaded_at";
const MESSAGE =
  "id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at";
const SESSION = "id, user_id, ip_address, login_at, last_activity_at";

/** Users. */
export const users = {
  insert: sql(
    "users.insert",
    `INSERT INTO users (username, username_key, password_hash, security_level, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING ${USER}`,
    true,
  ),
  byId: sql("users.byId", `SELECT ${USER} FROM users WHERE id = ?`),
  byKey: sql("users.byKey", `SELECT ${USER} FROM users WHERE username_key = ?`),
  delete: sql("users.delete", "DELETE FROM users WHERE id = ?", true),
  increment: sql(
    "users.increment",
    `UPDATE users SET logins = logins + ?, posts = posts + ?, uploads = uploads + ?,
       downloads = downloads + ?, upload_bytes = upload_bytes + ?, download_bytes = download_bytes + ?
     WHERE id = ? RETURNING ${USER}`,
    true,
  ),
  addPost: sql(
    "users.addPost",
    "UPDATE users SET posts = posts + 1 WHERE id = ?",
    true,
  ),
  addUpload: sql(
    "users.addUpload",
    "UPDATE users SET uploads = uploads + 1, upload_bytes = upload_bytes + ? WHERE id = ?",
    true,
  ),
};

const PATCHABLE = [
  ["username", "username = ?, username_key = ?"],
  ["passwordHash", "password_hash = ?"],
  ["securityLevel", "security_level = ?"],
  ["lastLoginAt", "last_login_at = ?"],
] as const;

/** A field `updateUser` can change. */
export type PatchField = typeof PATCHABLE[number][0];

const updates = new Map<number, Sql>();

/**
 * The UPDATE statement for one combination of patched fields (at most 16, each prepared once).
 * Parameters: for each present field in the order username, passwordHash, securityLevel,
 * lastLoginAt its value(s) (username: name, key), then updated_at, then the id.
 *
 * @param present Which fields the patch has.
 * @returns The statement.
 */
export function updateUser(present: (field: PatchField) => boolean): Sql {
  let mask = 0;
  PATCHABLE.forEach(([field], bit) => {
    if (present(field)) mask |= 1 << bit;
  });
  let statement = updates.get(mask);
  if (!statement) {
    const sets = PATCHABLE.filter((_, bit) => mask & (1 << bit)).map((
      [, set],
    ) => set);
    statement = sql(
      `users.update.${mask}`,
      `UPDATE users SET ${
        [...sets, "updated_at = ?"].join(", ")
      } WHERE id = ? RETURNING ${USER}`,
      true,
    );
    updates.set(mask, statement);
  }
  return statement;
}

/** Files. */
export const files = {
  insert: sql(
    "files.insert",
    `INSERT INTO files (area_id, filename, description, uploader_id, size, uploaded_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING ${FILE}`,
    true,
  ),
  byId: sql("files.byId", `SELECT ${FILE} FROM files WHERE id = ?`),
  cursor: sql("files.cursor", "SELECT uploaded_at, id FROM files WHERE id = ?"),
  list: sql(
    "files.list",
    `SELECT ${FILE} FROM files WHERE area_id = ? ORDER BY uploaded_at DESC, id DESC LIMIT ?`,
  ),
  listBefore: sql(
    "files.listBefore",
    `SELECT ${FILE} FROM files WHERE area_id = ? AND (uploaded_at, id) < (?, ?)
     ORDER BY uploaded_at DESC, id DESC LIMIT ?`,
  ),
};

/** Messages. */
export const messages = {
  insert: sql(
    "messages.insert",
    `INSERT INTO messages (area_id, from_user_id, to_user_id, subject, body, parent_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${MESSAGE}`,
    true,
  ),
  byId: sql("messages.byId", `SELECT ${MESSAGE} FROM messages WHERE id = ?`),
  list: sql(
    "messages.list",
    `SELECT ${MESSAGE} FROM messages WHERE area_id = ? AND id > ? ORDER BY id LIMIT ?`,
  ),
  references: sql(
    "messages.references",
    `SELECT (SELECT count(*) FROM users WHERE id = ?) AS author,
            (SELECT count(*) FROM users WHERE id = ?) AS recipient,
            (SELECT count(*) FROM messages WHERE id = ?) AS parent`,
  ),
};

/** Sessions. */
export const sessions = {
  insert: sql(
    "sessions.insert",
    `INSERT INTO sessions (user_id, token_hash, ip_address, login_at, last_activity_at)
     VALUES (?, ?, ?, ?, ?) RETURNING ${SESSION}`,
    true,
  ),
  byTokenHash: sql(
    "sessions.byTokenHash",
    `SELECT ${SESSION} FROM sessions WHERE token_hash = ?`,
  ),
  touch: sql(
    "sessions.touch",
    "UPDATE sessions SET last_activity_at = ? WHERE id = ?",
    true,
  ),
  delete: sql("sessions.delete", "DELETE FROM sessions WHERE id = ?", true),
};
