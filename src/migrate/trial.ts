/**
 * The trial of a down step: inside the step's own transaction, under a savepoint that is rolled
 * back after, copy every table into a temporary snapshot, run the down script and then the up
 * script, and compare every row and column with the snapshot, by primary key (as bags of rows
 * where a table has none), in SQL (so a large table never loads into memory). Values are
 * compared in their exact forms, never by a column's own collation or equality: a value that
 * comes back equal only to those is a loss. The snapshot keeps values in a form of the
 * database's own types (PostgreSQL: text), so a down script may drop a type of the caller's.
 * The id high-water marks are compared too, exactly. What the rollback does not undo
 * (PostgreSQL's sequences) is put back after it.
 *
 * @module
 */
import { StorageError } from "../errors.ts";
import type { Migration } from "./migration.ts";
import { runCode } from "./notes.ts";
import type { MigrationQuery, MigrationTarget, TableShape } from "./target.ts";

/** Data that a down step followed by its up step would not give back. */
export interface Loss {
  /** The table. */
  table: string;
  /** The column, or `null` for whole rows (rows added, ids handed out again). */
  column: string | null;
  /** How many rows. */
  rows: number;
  /** What happens to them. */
  how: "changed" | "gone" | "dropped" | "added" | "ids";
}

/** A column that held no data when a trial ran, so its round trip was not proven. */
export interface EmptyColumn {
  /** The table. */
  table: string;
  /** The column. */
  column: string;
}

/** The outcome of a trial. */
export interface TrialReport {
  /** What would not come back; empty when the round trip is lossless. */
  losses: Loss[];
  /** Why the up script failed after the down script, if it did. */
  failure: string | null;
  /** The columns that held no data (all NULL, or no rows). */
  empty: EmptyColumn[];
}

const SAVEPOINT = "impulse_trial";

/**
 * Tries a down step and its up step on `q`'s transaction and rolls both back.
 *
 * @param target The database (its tables and dialect).
 * @param q The transaction the down step runs in.
 * @param migration The migration to revert.
 * @param set The set's name (the migration's code keeps its notes under it).
 * @returns What would not come back, and which columns were empty.
 * @throws {StorageError} `migration` when the down script (or the down code) itself fails.
 */
export async function tryRoundTrip(
  target: MigrationTarget,
  q: MigrationQuery,
  migration: Migration,
  set: string,
): Promise<TrialReport> {
  const restore = await target.saveSequences(q);
  await q.exec(`SAVEPOINT ${SAVEPOINT}`);
  try {
    const tables = await target.tables(q);
    const marks = await target.highWaterMarks(q);
    const counts: number[][] = [];
    for (const [i, table] of tables.entries()) {
      await takeSnapshot(target, q, snap(i), table);
      counts.push(await nonNull(q, snap(i), table.columns));
    }
    const empty = tables.flatMap((table, i) =>
      table.columns.filter((_, c) => counts[i]![c + 1] === 0)
        .map((column) => ({ table: table.name, column }))
    );
    const failure = await downThenUp(q, migration, set);
    if (failure !== null) return { losses: [], failure, empty };
    const after = new Map((await target.tables(q)).map((t) => [t.name, t]));
    const losses: Loss[] = [];
    for (const [i, table] of tables.entries()) {
      const shape = after.get(table.name);
      losses.push(...await compare(target, q, i, table, counts[i]!, shape));
    }
    losses.push(...lowered(marks, await target.highWaterMarks(q)));
    return { losses, failure: null, empty };
  } finally {
    await q.exec(
      `ROLLBACK TO SAVEPOINT ${SAVEPOINT}; RELEASE SAVEPOINT ${SAVEPOINT}`,
    );
    // Sequences are not rolled back: what the trial took or set is put back by hand.
    await restore();
  }
}

/**
 * Runs the down script and code, then the up script and code; returns why the up step failed,
 * or `null`.
 *
 * @throws {StorageError} `migration` when the down step fails.
 */
async function downThenUp(
  q: MigrationQuery,
  migration: Migration,
  set: string,
): Promise<string | null> {
  try {
    await q.exec(migration.down);
  } catch (error) {
    throw new StorageError(
      "migration",
      `Migration ${migration.version} (${migration.name}) failed down: ${
        detail(error)
      }: nothing was reverted`,
      { version: migration.version, cause: error },
    );
  }
  await runCode(q, set, migration, "down");
  try {
    await q.exec(migration.up);
    await runCode(q, set, migration, "up");
    return null;
  } catch (error) {
    return detail(error);
  }
}

/** Copies the table's values, as {@linkcode MigrationTarget.kept} keeps them, into `snapshot`. */
async function takeSnapshot(
  target: MigrationTarget,
  q: MigrationQuery,
  snapshot: string,
  table: TableShape,
): Promise<void> {
  const kept = table.columns.map((c) =>
    `${target.kept(quote(c))} AS ${quote(c)}`
  );
  await q.exec(
    `CREATE TEMP TABLE ${snapshot} AS SELECT ${kept.join(", ")} FROM ${
      ref(table)
    }`,
  );
}

/** The row count, then each column's count of values that are not NULL. */
async function nonNull(
  q: MigrationQuery,
  table: string,
  columns: readonly string[],
): Promise<number[]> {
  const counted = ["count(*)", ...columns.map((c) => `count(${quote(c)})`)];
  const [row] = await q.all(
    `SELECT ${counted.map((e, i) => `${e} AS n${i}`).join(", ")} FROM ${table}`,
  );
  return counted.map((_, i) => Number(row?.[`n${i}`] ?? 0));
}

/** What of one table's snapshot the table after the round trip does not hold. */
async function compare(
  target: MigrationTarget,
  q: MigrationQuery,
  i: number,
  before: TableShape,
  counts: readonly number[],
  after: TableShape | undefined,
): Promise<Loss[]> {
  const dropped: Loss[] = before.columns.flatMap((column, c) =>
    counts[c + 1]! > 0 && !after?.columns.includes(column)
      ? [{ table: before.name, column, rows: counts[c + 1]!, how: "dropped" }]
      : []
  );
  if (!after) return dropped;
  const common = before.columns.filter((c) => after.columns.includes(c));
  if (common.length === 0) return dropped;
  const keyed = before.key.length > 0 &&
    before.key.every((k) => after.columns.includes(k));
  const found = keyed
    ? await byKey(target, q, snap(i), before, common)
    : await asBags(target, q, snap(i), before, common);
  return [...dropped, ...found];
}

/** Rows gone, values changed and rows added, matching rows by primary key. */
async function byKey(
  target: MigrationTarget,
  q: MigrationQuery,
  snapshot: string,
  table: TableShape,
  common: readonly string[],
): Promise<Loss[]> {
  const name = ref(table);
  const on = table.key.map((k) =>
    target.matches(`s.${quote(k)}`, `t.${quote(k)}`)
  ).join(" AND ");
  const gone = `t.${quote(table.key[0]!)} IS NULL`;
  const sums = common.flatMap((c, i) => {
    const [s, t] = [`s.${quote(c)}`, `t.${quote(c)}`];
    return [
      `sum(CASE WHEN ${gone} AND ${s} IS NOT NULL THEN 1 ELSE 0 END) AS g${i}`,
      `sum(CASE WHEN NOT ${gone} AND ${
        target.differs(s, t)
      } THEN 1 ELSE 0 END) AS c${i}`,
    ];
  });
  const [row] = await q.all(
    `SELECT count(*) AS n, sum(CASE WHEN ${gone} THEN 1 ELSE 0 END) AS gone, ${
      sums.join(", ")
    } FROM ${snapshot} s LEFT JOIN ${name} t ON ${on}`,
  );
  // Keys are unique on both sides: the rows added are those left after the ones matched.
  const [now] = await q.all(`SELECT count(*) AS n FROM ${name}`);
  const matched = Number(row?.n ?? 0) - Number(row?.gone ?? 0);
  const added = Number(now?.n ?? 0) - matched;
  const losses: Loss[] = [];
  for (const [i, column] of common.entries()) {
    const gone = Number(row?.[`g${i}`] ?? 0);
    const changed = Number(row?.[`c${i}`] ?? 0);
    if (gone > 0) {
      losses.push({ table: table.name, column, rows: gone, how: "gone" });
    }
    if (changed > 0) {
      losses.push({ table: table.name, column, rows: changed, how: "changed" });
    }
  }
  if (added > 0) {
    losses.push({ table: table.name, column: null, rows: added, how: "added" });
  }
  return losses;
}

/** Rows of a table without a usable key, compared as bags of rows of equal exact forms. */
async function asBags(
  target: MigrationTarget,
  q: MigrationQuery,
  snapshot: string,
  shape: TableShape,
  common: readonly string[],
): Promise<Loss[]> {
  const table = shape.name;
  const forms = common.flatMap((c) => target.exact(quote(c)));
  // Grouped by position: a name could be a column's of the table.
  const columns = forms.map((e, i) => `${e} AS impulse_e${i}`).join(", ");
  const positions = forms.map((_, i) => i + 1).join(", ");
  const bag = (from: string) =>
    `SELECT ${columns}, count(*) AS impulse_n FROM ${from} GROUP BY ${positions}`;
  const differ = async (a: string, b: string) => {
    const [row] = await q.all(
      `SELECT coalesce(sum(impulse_n), 0) AS n FROM (${bag(a)} EXCEPT ${
        bag(b)
      }) AS d`,
    );
    return Number(row?.n ?? 0);
  };
  const gone = await differ(snapshot, ref(shape));
  const added = await differ(ref(shape), snapshot);
  return [
    ...(gone > 0
      ? [{ table, column: null, rows: gone, how: "gone" as const }]
      : []),
    ...(added > 0
      ? [{ table, column: null, rows: added, how: "added" as const }]
      : []),
  ];
}

/** The high-water marks that went down: ids that would be handed out again. */
function lowered(
  before: ReadonlyMap<string, bigint>,
  after: ReadonlyMap<string, bigint>,
): Loss[] {
  return [...before].flatMap(([table, mark]) => {
    const now = after.get(table) ?? 0n;
    return now < mark
      ? [{ table, column: null, rows: Number(mark - now), how: "ids" as const }]
      : [];
  });
}

function snap(i: number): string {
  return `impulse_trial_${i}`;
}

/** How SQL names a table. */
function ref(table: TableShape): string {
  return table.ref ?? quote(table.name);
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function detail(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
