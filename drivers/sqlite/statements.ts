/**
 * The statements whose SQL is SQLite's own: full-text search on FTS5 (each takes the core's
 * parameters, `[terms, areaId | null, limit]`, and binds its own), and the reads that lock rows
 * on other databases (SQLite's one writer needs no row locks). The core fills in the select
 * list, `{select:<alias>}`, from the statement's declaration. A viewer's search (`searchAs`, for
 * `storage.as()`) takes the viewer's id after them, joins the area as `a` and the viewer as `v`,
 * and the core fills in what the viewer may read, `{where}`. A message search's `{where}` also
 * holds the core's filters, whose `?` parameters the core passes after all of those.
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

/** SQLite's text of each dialect statement, by name. */
export const STATEMENTS: Readonly<Record<string, DialectStatement>> = {
  // The core's filters (fromName, toName, since, until), `{where}`: their parameters follow the
  // core's own.
  "messages.search": {
    text:
      `SELECT {select:m} FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
      WHERE messages_fts MATCH ? AND (? IS NULL OR m.area_id = ?) AND {where}
      ORDER BY bm25(messages_fts, 4.0, 1.0), m.id DESC LIMIT ?`,
    bind: (params) => {
      const [terms, areaId, limit, ...filter] = params;
      return [fts5Query(terms as string[]), areaId, areaId, ...filter, limit];
    },
  },
  // A viewer's search (`as()`): the core's condition of what the viewer may read and its
  // filters, `{where}`, whose parameters follow the viewer's id.
  "messages.searchAs": {
    text:
      `SELECT {select:m} FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
      JOIN message_areas a ON a.id = m.area_id JOIN users v ON v.id = ?
      WHERE messages_fts MATCH ? AND (? IS NULL OR m.area_id = ?) AND {where}
      ORDER BY bm25(messages_fts, 4.0, 1.0), m.id DESC LIMIT ?`,
    bind: (params) => {
      const [terms, areaId, limit, viewer, ...filter] = params;
      return [
        viewer,
        fts5Query(terms as string[]),
        areaId,
        areaId,
        ...filter,
        limit,
      ];
    },
  },
  "files.search": {
    text:
      `SELECT {select:f} FROM files_fts JOIN files f ON f.id = files_fts.rowid
      WHERE files_fts MATCH ? AND (? IS NULL OR f.area_id = ?)
      ORDER BY bm25(files_fts, 4.0, 1.0), f.id DESC LIMIT ?`,
    bind: search,
  },
  // A viewer's search (`as()`), as messages.searchAs.
  "files.searchAs": {
    text:
      `SELECT {select:f} FROM files_fts JOIN files f ON f.id = files_fts.rowid
      JOIN file_areas a ON a.id = f.area_id JOIN users v ON v.id = ?
      WHERE files_fts MATCH ? AND (? IS NULL OR f.area_id = ?) AND {where}
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
  "sessions.lockLapsedUsers": {
    text:
      "SELECT id FROM users WHERE id IN (SELECT user_id FROM sessions WHERE ended_at IS NULL AND lapses_at <= ?) ORDER BY id",
    bind: (params) => [...params],
  },
  "users.share": {
    text: "SELECT username FROM users WHERE id = ?",
    bind: (params) => [...params],
  },
};
