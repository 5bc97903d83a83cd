/**
 * What the migration runner reads of a SQLite schema: a stable description for `migrate
 * verify`, the tables whose rows a down step must keep, and the id high-water marks.
 *
 * @module
 */
import type { MigrationQuery, TableShape } from "../../driver.ts";

/**
 * Objects on tables of the runner's own: the tracking and notes tables and the data set aside
 * by down scripts.
 */
const NOT_OWN =
  "tbl_name NOT IN ('impulse_migrations', 'impulse_migration_notes') " +
  "AND tbl_name NOT LIKE 'impulse\\_aside\\_%' ESCAPE '\\'";

/**
 * Describes the schema, one line per object, sorted: the tracking and notes tables and the
 * tables set aside by down scripts (with their indexes) excluded.
 *
 * @param q Queries inside a transaction.
 * @returns The lines.
 */
export async function describeSchema(q: MigrationQuery): Promise<string[]> {
  const rows = await q.all(
    "SELECT type, name, tbl_name, sql FROM sqlite_schema " +
      `WHERE name NOT LIKE 'sqlite_%' AND ${NOT_OWN} ORDER BY type, name`,
  );
  return rows.map((row) =>
    `${row.type} ${row.name} on ${row.tbl_name}: ${normalise(String(row.sql))}`
  );
}

/**
 * The tables that hold rows of their own: the ordinary and virtual tables of the main database,
 * without the tracking and notes tables, SQLite's internal tables, the shadow tables that hold
 * a virtual table's index (compared through the virtual table instead: their bytes change when
 * it is rebuilt), and full-text indexes of other tables (an FTS table with `content=` naming a
 * table, such as the package's own search index, which the database derives from that table),
 * and `messages_fts_deferred`, which holds a row only inside the transaction that writes it.
 * A virtual table is read through itself, keyed by its `rowid`. Columns SQLite computes are left
 * out, as are a virtual table's hidden columns.
 *
 * @param q Queries inside a transaction.
 * @returns The tables, by name.
 */
export async function describeTables(q: MigrationQuery): Promise<TableShape[]> {
  const listed = await q.all(
    "SELECT l.name, l.type, s.sql FROM pragma_table_list AS l " +
      "JOIN sqlite_schema AS s ON s.name = l.name AND s.type = 'table' " +
      "WHERE l.schema = 'main' AND l.type IN ('table', 'virtual') " +
      "AND l.name NOT LIKE 'sqlite_%' " +
      "AND l.name NOT IN ('impulse_migrations', 'impulse_migration_notes', " +
      "'messages_fts_deferred') ORDER BY l.name",
  );
  const tables: TableShape[] = [];
  for (const { name, type, sql } of listed) {
    const virtual = type === "virtual";
    if (virtual && indexesOthers(String(sql))) continue;
    const columns = await q.all(
      "SELECT name, pk FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid",
      [name],
    );
    const names = columns.map((c) => String(c.name));
    tables.push({
      name: String(name),
      columns: virtual ? ["rowid", ...names] : names,
      key: virtual ? ["rowid"] : columns.filter((c) => Number(c.pk) > 0)
        .sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => String(c.name)),
    });
  }
  return tables;
}

/**
 * Whether a virtual table is a full-text index of another table (FTS3, FTS4 and FTS5's
 * `content=` option naming a table): its rows are that table's.
 */
function indexesOthers(sql: string): boolean {
  const content =
    /\bcontent\s*=\s*('(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[^\s,)]+)/i
      .exec(sql)?.[1];
  return content !== undefined && !/^(''|""|``|\[\])$/.test(content);
}

/**
 * The AUTOINCREMENT high-water marks, by table.
 *
 * @param q Queries inside a transaction.
 * @returns The highest id each table has handed out.
 */
export async function highWaterMarks(
  q: MigrationQuery,
): Promise<Map<string, bigint>> {
  const [present] = await q.all(
    "SELECT count(*) AS n FROM sqlite_schema WHERE name = 'sqlite_sequence'",
  );
  if (Number(present?.n) === 0) return new Map();
  // As text: a mark above 2^53 has no JavaScript number of its own.
  const rows = await q.all(
    "SELECT name, CAST(CAST(seq AS INTEGER) AS TEXT) AS seq FROM sqlite_sequence",
  );
  return new Map(
    rows.map((row) => [String(row.name), BigInt(String(row.seq ?? 0))]),
  );
}

/**
 * SQL text as SQLite stores it, made comparable: a table renamed by ALTER TABLE gets its name
 * quoted, and whitespace is whatever the script had.
 */
function normalise(sql: string): string {
  return sql.replace(/"(\w+)"/g, "$1").replace(/\s+/g, " ").replace(/\( /g, "(")
    .replace(/ \)/g, ")").trim();
}
