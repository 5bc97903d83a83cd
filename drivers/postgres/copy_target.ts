/**
 * Copying into PostgreSQL: rows keep their ids through `OVERRIDING SYSTEM VALUE` (the ids are
 * `generated always as identity`), and each identity sequence is moved past the largest id.
 *
 * @module
 */
import { type CopyTarget, type Sql, sql } from "../../src/driver.ts";
import { quoteIdent } from "./migration_target.ts";

const resets = new Map<string, Sql>();

/** The copy capability of the PostgreSQL driver. */
export const postgresCopyTarget: CopyTarget = {
  keepIds: "OVERRIDING SYSTEM VALUE",
  resetIds(table, idColumn) {
    const key = `${table}.${idColumn}`;
    let statement = resets.get(key);
    if (!statement) {
      const t = quoteIdent(table);
      const c = quoteIdent(idColumn);
      const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
      statement = sql(
        `copy.resetIds.${table}`,
        `SELECT setval(pg_get_serial_sequence(${literal(t)}, ${
          literal(idColumn)
        }),
           coalesce(max(${c}), 0) + 1, false) FROM ${t}`,
        true,
      );
      resets.set(key, statement);
    }
    return [statement];
  },
};
