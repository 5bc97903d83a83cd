/**
 * The statements whose SQL is SQLite's own: full-text search on FTS5 (each takes the core's
 * parameters, `[terms, areaId | null, limit]`, and binds its own), and the reads that lock rows
 * on other databases (SQLite's one writer needs no row locks). The core fills in the select
 * list, `{select:<alias>}`, from the statement's declaration.
 *
 * @module
 */
import type { DialectStatement } from "../../driver.ts";

/**
 * An FTS5 query matching every term: each term becomes a quoted phrase (so no user text is
 * ever query syntax), and phrases side by side are ANDed.
 *
 * @param terms The terms, as the core split them.
 * @returns The MATCH expression.
 */
export function fts5Query(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(" ");
}

const search = (params: readonly unknown[]) => {
  const [terms, areaId, limit] = params;
  return [fts5Query(terms as string[]), areaId, areaId, limit];
};

/**
 * Whether the viewer (`v`) may read file area `a`: its sysop, or of its read level with every
 * flag it needs (the rule of src/ops/_access.ts, `canReadArea`, written out: a driver imports
 * only the driver entry).
 */
const CAN_READ_AREA =
  "(a.sysop_level <= v.security_level OR (a.read_level <= v.security_level AND " +
  "(a.read_mask & v.flag_mask) = a.read_mask))";

/** SQLite's text of each dialect statement, by name. */
export const STATEMENTS: Readonly<Record<string, DialectStatement>> = {
  "messages.search": {
    text:
      `SELECT {select:m} FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
      WHERE messages_fts MATCH ? AND (? IS NULL OR m.area_id = ?)
      ORDER BY bm25(messages_fts, 4.0, 1.0), m.id DESC LIMIT ?`,
    bind: search,
  },
  "files.search": {
    text:
      `SELECT {select:f} FROM files_fts JOIN files f ON f.id = files_fts.rowid
      WHERE files_fts MATCH ? AND (? IS NULL OR f.area_id = ?)
      ORDER BY bm25(files_fts, 4.0, 1.0), f.id DESC LIMIT ?`,
    bind: search,
  },
  // files.search as a viewer: the core's parameters, then the viewer's id.
  "files.searchAs": {
    text:
      `SELECT {select:f} FROM files_fts JOIN files f ON f.id = files_fts.rowid
      JOIN file_areas a ON a.id = f.area_id JOIN users v ON v.id = ?
      WHERE files_fts MATCH ? AND (? IS NULL OR f.area_id = ?) AND ${CAN_READ_AREA}
      ORDER BY bm25(files_fts, 4.0, 1.0), f.id DESC LIMIT ?`,
    bind: (params) => [params[3], ...search(params)],
  },
  "users.lock": {
    text: "SELECT username FROM users WHERE id = ?",
    bind: (params) => [...params],
  },
  "messageAreas.lock": {
    text:
      "SELECT last_msg_num, msg_count, kind FROM message_areas WHERE id = ?",
    bind: (params) => [...params],
  },
  "fileAreas.lock": {
    text: "SELECT id FROM file_areas WHERE id = ?",
    bind: (params) => [...params],
  },
  "users.share": {
    text: "SELECT username FROM users WHERE id = ?",
    bind: (params) => [...params],
  },
};
