/**
 * What `copy` moves, derived from both databases' own description of their schema (see
 * `CopyTarget.tables`), not from a list of its own: every table both have, every column that
 * holds data, parents before children. Nothing is declared here because everything a copy needs
 * is in the schema: the columns, the primary key to read in order of, the foreign keys that
 * order the tables and the self-references to set last, the generated ids, the computed columns
 * to leave to the target (such as PostgreSQL's search `tsvector` or SQLite's FTS5 index), the
 * column types (`types.ts`). A column a migration adds is copied without editing anything; one
 * only one database has, or one whose types differ, stops the copy before it writes a row.
 *
 * @module
 */
import { plural } from "../describe.ts";
import type { CopyTable } from "../driver.ts";
import { StorageError } from "../errors.ts";
import { TRACKING_TABLE } from "../migrate/applied.ts";
import { CATALOGUE, type Table as Catalogued } from "../tables/mod.ts";
import { countOf, type Side, type Table } from "./tables.ts";
import { exactProblems, kindProblems, valueProblems } from "./types.ts";

export type { Side } from "./tables.ts";

/**
 * Compares the two schemas and orders the tables.
 *
 * @param source The database copied from.
 * @param target The database copied into, migrated already.
 * @param catalogue The package's tables (`src/tables/`): each column not marked `copy: false`
 *   must be on both sides; those marked so are left out.
 * @returns The tables to copy, parents before children.
 * @throws {StorageError} `migration` naming every table and column the copy could not carry: a
 * table or column of the package (the catalogue) that either database lacks, a column only one
 * database has, a table holding rows that only one has or that has no primary
 * key, a column whose types differ in kind (naming both), a column holding values the target's
 * could not take (too long, out of range, NULL, of another kind) or would store as something
 * else (text that is not UTF-8, NaN or −0 into SQLite, text with a NUL into PostgreSQL), naming
 * the rows by key; or tables whose foreign keys form a cycle.
 */
export async function planCopy(
  source: Side,
  target: Side,
  catalogue: readonly Catalogued[] = CATALOGUE,
): Promise<Table[]> {
  const from = await described(source);
  const to = await described(target);
  const problems: string[] = [
    ...uncarried(catalogue, from, "source"),
    ...uncarried(catalogue, to, "target"),
  ];
  const left = leftOut(catalogue);
  /** Values the target would store as something else: each says what to change. */
  const inexact: string[] = [];
  const shared: Table[] = [];
  for (const [name, s] of from) {
    const t = to.get(name);
    if (!t) {
      await alone(source, s, "is in the source but not the target", problems);
      continue;
    }
    const differences = [
      ...missing(s, t, "source", "target"),
      ...missing(t, s, "target", "source"),
      ...kindProblems(s, t),
    ];
    problems.push(...differences);
    if (s.key.length === 0) {
      await alone(source, s, "has no primary key", problems);
      await alone(target, t, "has no primary key in the target", problems);
      continue;
    }
    shared.push(table(s, t, left.get(name)));
    if (differences.length === 0) {
      problems.push(...await valueProblems(source, shared.at(-1)!));
      inexact.push(...await exactProblems(source, target, shared.at(-1)!));
    }
  }
  for (const [name, t] of to) {
    if (!from.has(name)) {
      await alone(target, t, "is in the target but not the source", problems);
    }
  }
  if (problems.length + inexact.length > 0) {
    const advice = problems.length > 0
      ? ": give both the same tables, columns and column types (with migrations of your " +
        "own), then copy again"
      : ", then copy again";
    throw new StorageError(
      "migration",
      `Cannot copy as the target cannot take the source as it is: ${
        [...problems, ...inexact].join("; ")
      }${advice}`,
    );
  }
  return ordered(shared);
}

/** The tables of a database by name, the tracking table aside (its history is copied apart). */
async function described(side: Side): Promise<Map<string, CopyTable>> {
  const tables = await side.port.tables();
  return new Map(
    tables.filter((t) => t.name !== TRACKING_TABLE).map((t) => [t.name, t]),
  );
}

/** Notes a table that cannot be copied, if it holds rows. */
async function alone(
  side: Side,
  t: CopyTable,
  why: string,
  problems: string[],
): Promise<void> {
  const row = await side.connection.root.get(countOf(t.name), []);
  const rows = Number(row?.[0] ?? 0);
  if (rows > 0) {
    problems.push(`table ${t.name} (${plural(rows, "row")}) ${why}`);
  }
}

function missing(
  a: CopyTable,
  b: CopyTable,
  here: string,
  there: string,
): string[] {
  return a.columns.filter((c) => !b.columns.includes(c)).map((c) =>
    `column ${a.name}.${c} is in the ${here} but not the ${there}`
  );
}

/**
 * The package's columns the copy must carry (every column of the catalogue not marked
 * `copy: false`) that a database does not describe as holding data: a database not at the
 * package's schema, or a driver that takes a stored column for a computed one.
 */
function uncarried(
  catalogue: readonly Catalogued[],
  tables: Map<string, CopyTable>,
  side: string,
): string[] {
  const problems: string[] = [];
  for (const t of catalogue) {
    const described = tables.get(t.name);
    for (const c of t.columns) {
      if (t.spec.columns[c]!.copy === false) continue;
      if (!described) {
        problems.push(`table ${t.name} of the package is not in the ${side}`);
        break;
      }
      if (!described.columns.includes(c)) {
        problems.push(
          `column ${t.name}.${c} of the package is not in the ${side}`,
        );
      }
    }
  }
  return problems;
}

/** The columns of the catalogue marked `copy: false`, by table: the target's default fills them. */
function leftOut(
  catalogue: readonly Catalogued[],
): Map<string, Set<string>> {
  return new Map(
    catalogue.map((t) => [
      t.name,
      new Set(t.columns.filter((c) => t.spec.columns[c]!.copy === false)),
    ]),
  );
}

function table(
  s: CopyTable,
  t: CopyTable,
  left = new Set<string>(),
): Table {
  const later = new Set<string>();
  for (const reference of [...s.references, ...t.references]) {
    if (reference.table !== s.name) continue;
    for (const column of reference.columns) later.add(column);
  }
  return {
    name: s.name,
    // By name: the checksums then agree whichever dialect laid the columns out.
    columns: s.columns.filter((c) => !left.has(c)).sort(),
    key: s.key,
    later: s.columns.filter((c) =>
      later.has(c) && !s.key.includes(c) && !left.has(c)
    ),
    source: s,
    target: t,
  };
}

/** Parents before children (by both databases' foreign keys), in waves, by name within one. */
function ordered(tables: Table[]): Table[] {
  const parents = new Map(tables.map((t) => [t.name, new Set<string>()]));
  for (const t of tables) {
    for (const r of [...t.source.references, ...t.target.references]) {
      if (r.table !== t.name && parents.has(r.table)) {
        parents.get(t.name)!.add(r.table);
      }
    }
  }
  const done: Table[] = [];
  while (parents.size > 0) {
    const ready = [...parents].filter(([, p]) => p.size === 0)
      .map(([name]) => name).sort();
    if (ready.length === 0) {
      throw new StorageError(
        "migration",
        `Cannot copy as the foreign keys of these tables form a cycle: ${
          [...parents.keys()].sort().join(", ")
        }: copy them yourself`,
      );
    }
    for (const name of ready) {
      parents.delete(name);
      for (const p of parents.values()) p.delete(name);
      done.push(tables.find((t) => t.name === name)!);
    }
  }
  return done;
}
