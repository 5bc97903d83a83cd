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
}

/** The package's tables, parents before children. */
// deno-fmt-ignore
export const TABLES: readonly Table[] = [
  {
    name: "users",
    columns: [
      "id", "username", "username_key", "password_hash", "security_level", "logins", "posts",
      "uploads", "downloads", "upload_bytes", "download_bytes", "last_login_at", "created_at",
      "updated_at",
    ],
  },
  {
    name: "files",
    columns: [
      "id", "area_id", "filename", "description", "uploader_id", "size", "uploaded_at",
    ],
  },
  {
    name: "messages",
    columns: [
      "id", "area_id", "from_user_id", "to_user_id", "subject", "body", "parent_id",
      "created_at",
    ],
  },
  {
    name: "sessions",
    columns: [
      "id", "user_id", "token_hash", "ip_address", "login_at", "last_activity_at",
    ],
  },
];

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
export const countOf = (t: string) =>
  once(`copy.count.${t}`, `SELECT count(*) FROM ${t}`);
export const pageOf = (t: Table) =>
  once(
    `copy.page.${t.name}`,
    `SELECT ${
      t.columns.join(", ")
    } FROM ${t.name} WHERE id > ? ORDER BY id LIMIT ?`,
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
  for (let after = 0;;) {
    const page = await c.root.all(pageOf(table), [after, 1000]);
    if (page.length === 0) break;
    for (const row of page) hash.update(`${JSON.stringify(row)}\n`);
    rows += page.length;
    after = Number(page[page.length - 1]![0]);
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
