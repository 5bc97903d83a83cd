/**
 * The tables `copy` moves, the statements it reads them with, and the checksums it compares.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type Connection, type Sql, sql } from "../driver.ts";

/** The comparison of one table after the copy. */
export interface TableReport {
  /** The table. */
  table: string;
  /** Rows in the source. */
  sourceRows: number;
  /** Rows in the target. */
  targetRows: number;
  /** SHA-256 over the source's rows, in key order. */
  sourceChecksum: string;
  /** SHA-256 over the target's rows, in key order. */
  targetChecksum: string;
  /** Whether counts and checksums agree. */
  ok: boolean;
}

/** A table the copy moves, with its columns in the order they are read and written. */
export interface Table {
  name: string;
  columns: readonly string[];
  /** The key it is read in order of (its first columns); `["id"]` unless given. */
  key?: readonly string[];
  /**
   * Columns that may point at rows of the same table not yet copied (a reply older than its
   * parent, after a FidoNet adoption): copied as NULL, then set once the whole table is in.
   */
  later?: readonly string[];
}

/** The package's tables, parents before children. */
// deno-fmt-ignore
export const TABLES: readonly Table[] = [
  {
    name: "users",
    columns: [
      "id", "username", "username_key", "password_hash", "security_level", "logins", "posts",
      "uploads", "downloads", "upload_bytes", "download_bytes", "last_login_at", "created_at",
      "updated_at", "real_name", "location", "note", "flags", "status",
    ],
  },
  {
    name: "message_areas",
    columns: [
      "id", "tag", "tag_key", "name", "kind", "echo_tag", "last_msg_num", "msg_count", "created_at",
    ],
  },
  { name: "file_areas", columns: ["id", "tag", "tag_key", "name", "created_at"] },
  {
    name: "files",
    columns: [
      "id", "area_id", "filename", "filename_key", "description", "uploader_id", "size", "sha256",
      "downloads", "uploaded_at",
    ],
  },
  {
    name: "messages",
    columns: [
      "id", "area_id", "msg_num", "from_user_id", "from_name", "to_user_id", "to_name", "subject",
      "body", "parent_id", "thread_root_id", "ftn_msgid", "ftn_reply", "kludges", "created_at",
    ],
    later: ["parent_id"],
  },
  {
    name: "sessions",
    columns: [
      "id", "user_id", "token_hash", "ip_address", "node", "activity", "login_at",
      "last_activity_at", "expires_at", "ended_at",
    ],
  },
  { name: "last_read", columns: ["user_id", "area_id", "last_read"], key: ["user_id", "area_id"] },
  { name: "logins", columns: ["id", "user_id", "username", "login_at"] },
];

/**
 * The key a table is read in order of.
 *
 * @param t The table.
 * @returns Its key columns.
 */
export function keyOf(t: Table): readonly string[] {
  return t.key ?? ["id"];
}

export const TRACKING = "impulse_migrations";
export const HISTORY = sql(
  "copy.history",
  "SELECT version, name, applied_at, duration_ms, status FROM impulse_migrations " +
    "WHERE migration_set = ? ORDER BY version",
);
export const OTHER_SETS = sql(
  "copy.otherSets",
  "SELECT DISTINCT migration_set FROM impulse_migrations WHERE migration_set <> ? ORDER BY 1",
);
export const CLEAR_HISTORY = sql(
  "copy.clearHistory",
  "DELETE FROM impulse_migrations WHERE migration_set = ?",
  true,
);
export const INSERT_HISTORY = sql(
  "copy.insertHistory",
  "INSERT INTO impulse_migrations (migration_set, version, name, checksum, applied_at, " +
    "duration_ms, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
  true,
);

const statements = new Map<string, Sql>();
function once(name: string, text: string, write = false): Sql {
  let statement = statements.get(name);
  if (!statement) statements.set(name, statement = sql(name, text, write));
  return statement;
}
/**
 * The statement inserting `rows` rows of a table's columns, keeping the ids given.
 *
 * @param t The table.
 * @param rows How many rows one run inserts.
 * @param keepIds The target dialect's clause for taking explicit ids (see `CopyTarget`).
 * @returns The statement, prepared once per table, size and clause.
 */
export const insertOf = (t: Table, rows: number, keepIds: string) => {
  const row = `(${t.columns.map(() => "?").join(", ")})`;
  return once(
    `copy.insert.${t.name}.${rows}${keepIds ? ".keep" : ""}`,
    `INSERT INTO ${t.name} (${t.columns.join(", ")}) ${keepIds} VALUES ${
      Array(rows).fill(row).join(", ")
    }`,
    true,
  );
};
export const countOf = (t: string) =>
  once(`copy.count.${t}`, `SELECT count(*) FROM ${t}`);
export const pageOf = (t: Table) => {
  const key = keyOf(t).join(", ");
  const after = keyOf(t).map(() => "?").join(", ");
  return once(
    `copy.page.${t.name}`,
    `SELECT ${
      t.columns.join(", ")
    } FROM ${t.name} WHERE (${key}) > (${after}) ORDER BY ${key} LIMIT ?`,
  );
};
/** The statement setting a deferred column of one row. */
export const laterOf = (t: Table, column: string) =>
  once(
    `copy.later.${t.name}.${column}`,
    `UPDATE ${t.name} SET ${column} = ? WHERE id = ?`,
    true,
  );
export const clearOf = (t: string) =>
  once(`copy.clear.${t}`, `DELETE FROM ${t}`, true);

/** Counts and hashes a table's rows, in key order. */
export async function checksum(
  c: Connection,
  table: Table,
): Promise<{ rows: number; sum: string }> {
  const hash = createHash("sha256");
  let rows = 0;
  for (let after: unknown[] = keyOf(table).map(() => 0);;) {
    const page = await c.root.all(pageOf(table), [...after, 1000]);
    if (page.length === 0) break;
    for (const row of page) hash.update(`${JSON.stringify(row)}\n`);
    rows += page.length;
    after = keyOf(table).map((_, i) => page[page.length - 1]![i]);
  }
  return { rows, sum: hash.digest("hex") };
}

/** Counts and hashes rows already read. */
export function digest(rows: unknown[][]): { rows: number; sum: string } {
  const hash = createHash("sha256");
  for (const row of rows) {
    hash.update(`${JSON.stringify(row.map((v) => v ?? null))}\n`);
  }
  return { rows: rows.length, sum: hash.digest("hex") };
}

/** Compares two counts and checksums. */
export function report(
  table: string,
  a: { rows: number; sum: string },
  b: { rows: number; sum: string },
): TableReport {
  return {
    table,
    sourceRows: a.rows,
    targetRows: b.rows,
    sourceChecksum: a.sum,
    targetChecksum: b.sum,
    ok: a.rows === b.rows && a.sum === b.sum,
  };
}
