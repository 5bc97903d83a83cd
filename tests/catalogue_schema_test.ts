/**
 * The table catalogue (`src/tables/`) against the schema the migrations build, on every
 * dialect: each table and column the migration runner describes (`MigrationTarget.schema()`)
 * must be declared, and each declared one must exist. What the database computes is left out by
 * the catalogue's own `computed` entries (PostgreSQL's search `tsvector` columns, SQLite's FTS5
 * index tables and their shadow tables), so nothing is excluded here by a list of its own.
 *
 * @module
 */
import assert from "node:assert/strict";
import { CATALOGUE, type Table } from "../src/tables/mod.ts";
import { inspect, type Inspector } from "./_stress.ts";
import { TARGETS } from "./_targets.ts";

type Dialect = "sqlite" | "postgres";

/** The tables and their columns, as the migration runner describes the schema. */
async function described(
  db: Inspector,
  dialect: Dialect,
): Promise<Map<string, string[]>> {
  const lines = await db.schema();
  const tables = new Map<string, string[]>();
  if (dialect === "postgres") {
    // `column users.id #1: bigint not null generated always as identity`
    for (const line of lines) {
      const column = /^column (\w+)\.(\w+) #/.exec(line);
      if (!column) continue;
      const [, table, name] = column;
      tables.set(table!, [...tables.get(table!) ?? [], name!]);
    }
    return tables;
  }
  // `table users on users: CREATE TABLE users (…)`: SQLite's description is each table's SQL;
  // its columns are read from the same database's table_xinfo.
  for (const line of lines) {
    const table = /^table (\w+) on /.exec(line)?.[1];
    if (table === undefined) continue;
    const columns = await db.all(
      "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid",
      [table],
    );
    tables.set(table, columns.map((c) => String(c.name)));
  }
  return tables;
}

/** Whether the database computes a table from a declared one (SQLite's FTS5 index). */
function computedTable(name: string, dialect: Dialect): boolean {
  return CATALOGUE.some((t) => {
    const prefix = t.spec.computed?.tables?.[dialect];
    return prefix !== undefined &&
      (name === prefix || name.startsWith(`${prefix}_`));
  });
}

/**
 * Every difference between the catalogue and a schema, one line each.
 *
 * @param catalogue The declared tables.
 * @param schema The schema's tables and columns.
 * @param dialect Its dialect, for the computed entries and the messages.
 * @returns The differences; empty when they agree.
 */
function differences(
  catalogue: readonly Table[],
  schema: Map<string, string[]>,
  dialect: Dialect,
): string[] {
  const found: string[] = [];
  const declared = new Map(catalogue.map((t) => [t.name, t]));
  for (const t of catalogue) {
    const columns = schema.get(t.name);
    if (!columns) {
      found.push(
        `table ${t.name} is in the catalogue but not the ${dialect} schema`,
      );
      continue;
    }
    const computed = t.spec.computed?.columns?.[dialect] ?? [];
    for (const c of t.columns) {
      if (!columns.includes(c)) {
        found.push(
          `column ${t.name}.${c} is in the catalogue but not the ${dialect} schema`,
        );
      }
    }
    for (const c of columns) {
      if (!t.columns.includes(c) && !computed.includes(c)) {
        found.push(
          `column ${t.name}.${c} is in the ${dialect} schema but not the catalogue`,
        );
      }
    }
  }
  for (const name of schema.keys()) {
    if (!declared.has(name) && !computedTable(name, dialect)) {
      found.push(
        `table ${name} is in the ${dialect} schema but not the catalogue`,
      );
    }
  }
  return found;
}

for (const target of TARGETS.filter((t) => t.capabilities.persistent)) {
  Deno.test({
    name:
      `[${target.name}] the table catalogue declares every table and column the migrations build, and no other`,
    ignore: target.ignore !== undefined,
    async fn() {
      await using fresh = await target.fresh();
      await (await fresh.open()).close();
      const dialect: Dialect = target.name === "postgres"
        ? "postgres"
        : "sqlite";
      const schema = await inspect(fresh.url, (db) => described(db, dialect));
      assert.ok(schema.size > 0, "the schema lists no table");
      assert.deepEqual(differences(CATALOGUE, schema, dialect), []);
    },
  });
}

Deno.test("differences() names a column only one side has, and where", () => {
  const schema = new Map(
    CATALOGUE.map((t) => [t.name, [...t.columns]] as [string, string[]]),
  );
  schema.get("users")!.push("shoe_size");
  schema.set("files", schema.get("files")!.filter((c) => c !== "sha256"));
  assert.deepEqual(differences(CATALOGUE, schema, "sqlite"), [
    "column users.shoe_size is in the sqlite schema but not the catalogue",
    "column files.sha256 is in the catalogue but not the sqlite schema",
  ]);
});
