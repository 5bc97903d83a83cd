/**
 * What of a PostgreSQL database a down step must give back: the tables and sequences of every
 * schema but the system ones (`pg_catalog`, `information_schema`, `pg_toast*`, `pg_temp*`: every
 * `pg_` name is reserved to the system) that the role may use, not only those of its current
 * schema, as a migration set may keep its tables anywhere. The runner's tracking and notes tables
 * are left out, in any schema.
 *
 * A table is covered when the role may read it and change its rows (`UPDATE`, `DELETE` or
 * `TRUNCATE`; an owner may): a table it may only read, its migrations cannot empty either, and
 * another session's writes to it could not be held back for the trial. Losses name a table of the
 * current schema plainly (`notes`) and any other by schema (`other.notes`).
 *
 * @module
 */
import type { MigrationQuery, TableShape } from "../../driver.ts";

/**
 * The condition that a schema is covered.
 *
 * @param n The alias of `pg_namespace`.
 * @returns SQL.
 */
export function coveredSchema(n: string): string {
  return `${n}.nspname NOT LIKE 'pg\\_%' AND ${n}.nspname <> 'information_schema' ` +
    `AND has_schema_privilege(${n}.oid, 'USAGE')`;
}

/**
 * A relation's name as losses show it: plain in the current schema, else `schema.name`.
 *
 * @param n The alias of its `pg_namespace` row.
 * @param c The alias of its `pg_class` row.
 * @returns SQL.
 */
export function shownName(n: string, c: string): string {
  return `CASE WHEN ${n}.nspname = current_schema() THEN ${c}.relname ` +
    `ELSE ${n}.nspname || '.' || ${c}.relname END`;
}

/**
 * A relation's name as SQL takes it: `"schema"."name"`.
 *
 * @param n The alias of its `pg_namespace` row.
 * @param c The alias of its `pg_class` row.
 * @returns SQL.
 */
export function sqlName(n: string, c: string): string {
  return `format('%I.%I', ${n}.nspname, ${c}.relname)`;
}

/** The condition that a table (alias `c`, schema alias `n`) holds rows the runner compares. */
function coveredTable(writable: boolean): string {
  return `c.relkind IN ('r', 'p') AND ${coveredSchema("n")} ` +
    `AND c.relname NOT IN ('impulse_migrations', 'impulse_migration_notes') ` +
    `AND has_table_privilege(c.oid, 'SELECT')` +
    (writable
      ? ` AND has_table_privilege(c.oid, 'UPDATE, DELETE, TRUNCATE')`
      : "");
}

const TABLES = (writable: boolean) => `
  SELECT ${shownName("n", "c")} AS tbl, ${
  sqlName("n", "c")
} AS ref, a.attname AS col,
         coalesce(k.pos, 0) AS key_pos
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
  LEFT JOIN LATERAL (
    SELECT u.pos FROM unnest(i.indkey) WITH ORDINALITY AS u (attnum, pos)
    WHERE u.attnum = a.attnum
  ) k ON true
  WHERE ${coveredTable(writable)} AND a.attgenerated = ''
  ORDER BY 1, a.attnum`;

/** Options of {@linkcode describeTables}. */
export interface DescribeTablesOptions {
  /**
   * Only the tables whose rows the role may change (what a down step's trial covers); by
   * default every table it may read (what `migrate verify` copies).
   */
  writable?: boolean;
}

/**
 * The tables that hold rows of their own (see the module doc), with their stored columns
 * (generated ones left out) and primary keys.
 *
 * @param q Queries inside a transaction.
 * @param options Whether only the tables the role may change.
 * @returns The tables, by name.
 */
export async function describeTables(
  q: MigrationQuery,
  options: DescribeTablesOptions = {},
): Promise<TableShape[]> {
  const tables = new Map<string, TableShape & { positions: number[] }>();
  for (const r of await q.all(TABLES(options.writable ?? false))) {
    const name = String(r.tbl);
    const table = tables.get(name) ??
      { name, ref: String(r.ref), columns: [], key: [], positions: [] };
    tables.set(name, table);
    table.columns.push(String(r.col));
    const position = Number(r.key_pos);
    if (position > 0) {
      table.key.push(String(r.col));
      table.positions.push(position);
    }
  }
  return [...tables.values()].map(({ name, ref, columns, key, positions }) => ({
    name,
    ref,
    columns,
    key: key.map((column, i) => [positions[i]!, column] as const)
      .sort((a, b) => a[0] - b[0]).map(([, column]) => column),
  }));
}

const LOCKABLE = `
  SELECT ${sqlName("n", "c")} AS ref FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND ${coveredSchema("n")}
    AND has_table_privilege(c.oid, 'SELECT')
    AND has_table_privilege(c.oid, 'UPDATE, DELETE, TRUNCATE')
  ORDER BY c.oid`;

/**
 * The tables that a down step holds against writers: those its trial covers, with the
 * runner's own tracking and notes tables.
 *
 * @param q Queries inside a transaction.
 * @returns Their names as SQL takes them.
 */
export async function lockableTables(q: MigrationQuery): Promise<string[]> {
  return (await q.all(LOCKABLE)).map((r) => String(r.ref));
}

const FOREIGN_KEYS = `
  SELECT ${shownName("cn", "c")} AS child, ${shownName("pn", "p")} AS parent
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_namespace cn ON cn.oid = c.relnamespace
  JOIN pg_class p ON p.oid = k.confrelid
  JOIN pg_namespace pn ON pn.oid = p.relnamespace
  WHERE k.contype = 'f'`;

/**
 * Orders tables so that every table comes after the tables its foreign keys refer to (tables
 * in a cycle of references keep their order among themselves).
 *
 * @param q Queries inside a transaction.
 * @param tables The tables.
 * @returns The same tables, parents first.
 */
export async function parentsFirst(
  q: MigrationQuery,
  tables: readonly TableShape[],
): Promise<TableShape[]> {
  const parents = new Map<string, Set<string>>();
  for (const { child, parent } of await q.all(FOREIGN_KEYS)) {
    if (child === parent) continue;
    const set = parents.get(String(child)) ?? new Set<string>();
    parents.set(String(child), set.add(String(parent)));
  }
  const ordered: TableShape[] = [];
  const placed = new Set<string>();
  let left = [...tables];
  while (left.length > 0) {
    const ready = left.filter((t) =>
      [...parents.get(t.name) ?? []].every((p) =>
        placed.has(p) || !left.some((o) => o.name === p)
      )
    );
    const next = ready.length > 0 ? ready : [left[0]!];
    for (const t of next) placed.add(t.name);
    ordered.push(...next);
    left = left.filter((t) => !placed.has(t.name));
  }
  return ordered;
}
