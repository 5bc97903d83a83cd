/**
 * Copying into SQLite: an `INTEGER PRIMARY KEY AUTOINCREMENT` column takes the ids given, and
 * SQLite moves its `sqlite_sequence` past them by itself.
 *
 * @module
 */
import { type CopyTarget, type Sql, sql } from "../../src/driver.ts";

const inserts = new Map<string, Sql>();

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The copy capability of the SQLite driver. */
export const sqliteCopyTarget: CopyTarget = {
  insertWithIds(table, columns, rows) {
    const key = `${table}(${columns.join(",")})x${rows}`;
    let statement = inserts.get(key);
    if (!statement) {
      const row = `(${columns.map(() => "?").join(", ")})`;
      statement = sql(
        `copy.insert.${table}`,
        `INSERT INTO ${quote(table)} (${
          columns.map(quote).join(", ")
        }) VALUES ${Array(rows).fill(row).join(", ")}`,
        true,
      );
      inserts.set(key, statement);
    }
    return statement;
  },
  resetIds: () => [],
};
