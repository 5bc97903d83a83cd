/**
 * The statements whose SQL is PostgreSQL's own: full-text search on the generated `search`
 * tsvector columns (each takes the core's parameters, `[terms, areaId | null, limit]`), and
 * reads that lock the rows they return. The core fills in the select list, `{select:<alias>}`,
 * from the statement's declaration. A viewer's search (`searchAs`, for `storage.as()`) takes the
 * viewer's id after them, joins the area as `a` and the viewer as `v`, and the core fills in what
 * the viewer may read, `{where}`. A message search's `{where}` also holds the core's filters,
 * whose `?` parameters the core passes after all of those.
 *
 * @module
 */
import {
  type DialectStatement,
  dialectStatement,
  type Sql,
} from "../../driver.ts";
import type { PgClient, PgQuery } from "./client.ts";
import { dollarText, toDollar } from "./dialect.ts";

/**
 * A tsquery matching every term as a phrase, built by the server from the terms (so no user
 * text is ever query syntax). ASCII punctuation splits words as it does in the indexed text;
 * terms without words are dropped; no words at all gives NULL, which matches nothing.
 */
const QUERY =
  `(SELECT to_tsquery('simple', string_agg('(' || phrase::text || ')', ' & '))
  FROM (SELECT phraseto_tsquery('simple', regexp_replace(term, '[!-/:-@\\[-\`{-~]+', ' ', 'g')) AS phrase
        FROM json_array_elements_text(?::json) AS term) AS terms
  WHERE numnode(phrase) > 0)`;

// The text keeps `?` placeholders: the core's condition, `{where}`, may hold its own, and the
// whole is numbered once filled in (pgText).
const search = (table: string, alias: string) =>
  `SELECT {select:${alias}} FROM ${table} ${alias}, ${QUERY} AS q (query)
   WHERE ${alias}.search @@ q.query AND (?::bigint IS NULL OR ${alias}.area_id = ?::bigint)
     AND {where}
   ORDER BY ts_rank(${alias}.search, q.query) DESC, ${alias}.id DESC LIMIT ?`;

// postgres.js serialises the array for the json parameter the server describes. The parameters
// of the core's condition (a message search's filters) follow the core's own.
const bindSearch = (params: readonly unknown[]) => {
  const [terms, areaId, limit, ...filter] = params;
  return [terms, areaId, areaId, ...filter, limit];
};

// A viewer's search (`as()`): joined with the area and the viewer, and the core's condition of
// what the viewer may read, `{where}`.
const searchAs = (table: string, alias: string, areas: string) =>
  `SELECT {select:${alias}} FROM ${table} ${alias}
     JOIN ${areas} a ON a.id = ${alias}.area_id JOIN users v ON v.id = ?::bigint,
     ${QUERY} AS q (query)
   WHERE ${alias}.search @@ q.query AND (?::bigint IS NULL OR ${alias}.area_id = ?::bigint)
     AND {where}
   ORDER BY ts_rank(${alias}.search, q.query) DESC, ${alias}.id DESC LIMIT ?`;

const bindSearchAs = (params: readonly unknown[]) => {
  const [terms, areaId, limit, viewer, ...filter] = params;
  return [viewer, terms, areaId, areaId, ...filter, limit];
};

const STATEMENTS: Readonly<Record<string, DialectStatement>> = {
  "messages.searchAs": {
    text: searchAs("messages", "m", "message_areas"),
    bind: bindSearchAs,
  },
  "messages.search": {
    text: search("messages", "m"),
    bind: bindSearch,
  },
  "files.search": {
    text: search("files", "f"),
    bind: bindSearch,
  },
  "files.searchAs": {
    text: searchAs("files", "f", "file_areas"),
    bind: bindSearchAs,
  },
  "users.lock": {
    text: "SELECT username FROM users WHERE id = $1 FOR NO KEY UPDATE",
    bind: (params) => [...params],
  },
  "messageAreas.lock": {
    text:
      "SELECT last_msg_num, msg_count, kind FROM message_areas WHERE id = $1 FOR UPDATE",
    bind: (params) => [...params],
  },
  "fileAreas.lock": {
    text: "SELECT id FROM file_areas WHERE id = $1 FOR UPDATE",
    bind: (params) => [...params],
  },
  "sessions.lockLapsedUsers": {
    text:
      "SELECT id FROM users WHERE id IN (SELECT user_id FROM sessions WHERE ended_at IS NULL AND lapses_at <= $1) ORDER BY id FOR NO KEY UPDATE",
    bind: (params) => [...params],
  },
  "users.share": {
    text: "SELECT username FROM users WHERE id = $1 FOR KEY SHARE",
    bind: (params) => [...params],
  },
};

function dialect(q: Sql): DialectStatement {
  return dialectStatement(STATEMENTS, q, "PostgreSQL");
}

/**
 * The PostgreSQL text of a statement, with `$n` placeholders.
 *
 * @param q The statement.
 * @returns Its text.
 */
export function pgText(q: Sql): string {
  // The application's text (storage.sql) changes from call to call: rewritten each time, never
  // cached by id.
  if (q.app) return toDollar(q.text);
  // A dialect statement's text is numbered once the core's condition is in it (cached by id).
  return dollarText(q.id, q.dialect ? dialect(q).text : q.text);
}

/**
 * Sends a statement on a client: the catalogue's prepared (postgres.js keeps one per text and
 * connection, a bounded set) with rows as arrays; the application's (`storage.sql`, any text)
 * unprepared, as an unnamed statement, so that no prepared statement is kept per distinct
 * text, with rows keyed by column name.
 *
 * @param client The client.
 * @param q The statement.
 * @param params The core's parameters.
 * @returns The query.
 */
export function pgQuery(
  client: PgClient,
  q: Sql,
  params: readonly unknown[],
): PgQuery {
  if (q.app) return client.unsafe(pgText(q), [...params], UNPREPARED);
  return client.unsafe(pgText(q), pgParams(q, params), PREPARED).values();
}

// postgres.js copies the options it is given: one object serves every statement.
const PREPARED = { prepare: true };
const UNPREPARED = { prepare: false };

/**
 * The parameters a statement binds, from the core's.
 *
 * @param q The statement.
 * @param params The core's parameters.
 * @returns What to bind.
 */
export function pgParams(q: Sql, params: readonly unknown[]): unknown[] {
  return (q.dialect ? dialect(q).bind(params) : params) as unknown[];
}
