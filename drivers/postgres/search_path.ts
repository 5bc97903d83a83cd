/**
 * The board lives in one schema: the first schema of the role's `search_path` it may use
 * (`current_schema()`), where migrations create its tables and where `copy` and `migrate verify`
 * look for them. PostgreSQL silently skips a schema on the path that the role may not use, so a
 * missing `USAGE` grant would make the board's tables vanish and `migrate: "up"` build a second,
 * empty board (a shadow board) in the next schema. Opening therefore checks, in one query, that:
 *
 * - every schema the path names that exists is one the role may use (else `forbidden`, naming
 *   `USAGE` on the schema and the `GRANT`);
 * - the board the path finds (its `impulse_migrations` table) is in `current_schema()` (else
 *   `unavailable`: new tables would go elsewhere, and `copy` would not see the board);
 * - when the path finds no board, no schema the role may use holds one (else `unavailable`: the
 *   path misses it, and `up` would start a shadow board).
 *
 * @module
 */
import { sql, StorageError } from "../../driver.ts";
import type { PostgresConnection } from "./connection.ts";

const CHECK = sql(
  "pg.search_path",
  `SELECT current_setting('search_path'), current_user, current_schema(),
    (SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass('impulse_migrations')),
    (SELECT coalesce(json_agg(nspname ORDER BY nspname), '[]')::text FROM pg_namespace
      WHERE NOT has_schema_privilege(oid, 'USAGE')),
    (SELECT coalesce(json_agg(DISTINCT n.nspname), '[]')::text FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = 'impulse_migrations' AND c.relkind IN ('r', 'p')
        AND has_schema_privilege(n.oid, 'USAGE'))`,
);

/** What the check reads. */
export interface SearchPathFacts {
  /** `search_path` as set. */
  path: string;
  /** The role. */
  role: string;
  /** The first schema of the path the role may use; `null` when there is none. */
  first: string | null;
  /** The schema of the board the path finds, if any. */
  board: string | null;
  /** Schemas the role may not use. */
  unusable: string[];
  /** Schemas the role may use that hold a board. */
  boards: string[];
}

/**
 * Checks that the role's `search_path` leads to one board it can use (see the module doc).
 *
 * @param connection The connection, before anything else runs on it.
 * @throws {StorageError} `forbidden` for a schema on the path without `USAGE`; `unavailable`
 * when the board is not in the first schema, or elsewhere than the path leads.
 */
export async function checkSearchPath(
  connection: PostgresConnection,
): Promise<void> {
  const [row] = await connection.statement(CHECK, []);
  const [path, role, first, board, unusable, boards] = row as unknown[];
  const problem = searchPathProblem({
    path: String(path),
    role: String(role),
    first: first === null ? null : String(first),
    board: board === null ? null : String(board),
    unusable: JSON.parse(String(unusable)),
    boards: JSON.parse(String(boards)),
  }, connection.settings.where);
  if (problem) throw problem;
}

/**
 * What is wrong with a role's path, if anything.
 *
 * @param facts What the check read.
 * @param where The server, for messages.
 * @returns The error to throw, or `null`.
 */
export function searchPathProblem(
  facts: SearchPathFacts,
  where: string,
): StorageError | null {
  const { path, role, first, board } = facts;
  const named = searchPathSchemas(path, role);
  const blocked = named.find((schema) => facts.unusable.includes(schema));
  const setPath = (schema: string) =>
    `ALTER ROLE ${ident(role)} SET search_path = ${
      ident(schema)
    }, then open again`;
  if (blocked !== undefined) {
    return new StorageError(
      "forbidden",
      `Cannot open storage at ${where} as the database role lacks a privilege: it needs USAGE ` +
        `on schema ${blocked}, which its search_path (${path}) names: PostgreSQL skips such a ` +
        `schema silently, so the board's tables there would not be found and new ones would be ` +
        `made elsewhere: GRANT USAGE ON SCHEMA ${ident(blocked)} TO ${
          ident(role)
        } ` +
        `(or take the schema out of the role's search_path)`,
    );
  }
  if (board !== null && board !== first) {
    return new StorageError(
      "unavailable",
      `Cannot open storage at ${where} as the board's tables are in schema ${board}, but the ` +
        `role's search_path (${path}) puts schema ${first} first, where new tables would be ` +
        `made: ${setPath(board)}`,
    );
  }
  const elsewhere = facts.boards.filter((schema) => schema !== first);
  if (board === null && elsewhere.length > 0) {
    return new StorageError(
      "unavailable",
      `Cannot open storage at ${where} as a board exists in schema ${
        elsewhere[0]
      }, which the ` +
        `role's search_path (${path}) does not lead to: opening would not find it (or would ` +
        `start a second, empty board): ${setPath(elsewhere[0]!)}`,
    );
  }
  return null;
}

/**
 * The schemas a `search_path` setting names, as PostgreSQL reads it: comma-separated
 * identifiers, double-quoted ones taken as written (`""` for a quote), others folded to lower
 * case, each cut to 63 bytes; `$user` stands for the role; `pg_temp` is left out.
 *
 * @param setting The setting (`bbs, "$user", public`).
 * @param role The current role.
 * @returns The schema names, in order.
 */
export function searchPathSchemas(setting: string, role: string): string[] {
  const names: string[] = [];
  const item = /\s*(?:"((?:[^"]|"")*)"|([^\s,"]+))\s*(?:,|$)/y;
  let match: RegExpExecArray | null;
  while (item.lastIndex < setting.length && (match = item.exec(setting))) {
    const name = match[1] !== undefined
      ? match[1].replaceAll('""', '"')
      : match[2]!.replace(/[A-Z]+/g, (s) => s.toLowerCase());
    const schema = name === "$user" ? role : cut(name);
    if (!schema.startsWith("pg_temp")) names.push(schema);
  }
  return names;
}

/** A name cut to PostgreSQL's 63 bytes, whole characters only. */
function cut(name: string): string {
  const bytes = new TextEncoder().encode(name);
  if (bytes.length <= 63) return name;
  return new TextDecoder().decode(bytes.slice(0, 63)).replace(/\uFFFD+$/, "");
}

/** An identifier as SQL needs it. */
function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name)
    ? name
    : `"${name.replaceAll('"', '""')}"`;
}
