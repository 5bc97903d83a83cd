/**
 * The sequences of a PostgreSQL database as the migration runner sees them: every sequence of
 * the schemas it covers (see `coverage.ts`), owned by a column (serial, identity) or standing
 * alone. Each has a key: the table that owns it (`table.column` when the table owns several), or
 * its own name; plain in the current schema, else `schema.name`.
 *
 * A sequence's state is read as text (`last_value` may pass 2^53) and compared as a `bigint`. Its
 * high-water mark is the last value handed out (0 when none was), negated for a sequence that
 * counts down, so a mark that went down is always one whose ids would be handed out again.
 *
 * PostgreSQL never rolls a sequence back: `nextval` and `setval` in a savepoint that is rolled
 * back stay. So a trial reads every state first and puts back, with `setval`, each one it
 * changed. Writers of the covered tables wait meanwhile (see `fence.ts`); a session that calls
 * `nextval` itself, on no table, is not held back, and one that did so during a trial would
 * have its value handed out again once the trial's change is put back.
 *
 * @module
 */
import type { MigrationQuery } from "../../driver.ts";
import { coveredSchema, shownName, sqlName } from "./coverage.ts";

/** One sequence and its state. */
export interface SequenceState {
  /** Its name as SQL takes it: `"schema"."name"`. */
  ref: string;
  /** What its high-water mark is keyed by (see the module doc). */
  key: string;
  /** `last_value`, as text. */
  last: string;
  /** `is_called`. */
  called: boolean;
  /** Whether it counts down. */
  descending: boolean;
}

const SEQUENCES = `
  SELECT ${sqlName("n", "s")} AS ref, ${shownName("n", "s")} AS seq,
         CASE WHEN t.oid IS NULL THEN NULL ELSE ${
  shownName("tn", "t")
} END AS tbl,
         a.attname AS col, p.seqincrement < 0 AS descending
  FROM pg_class s
  JOIN pg_namespace n ON n.oid = s.relnamespace
  JOIN pg_sequence p ON p.seqrelid = s.oid
  LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
    AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_class t ON t.oid = d.refobjid
  LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
  WHERE s.relkind = 'S' AND ${coveredSchema("n")}
    AND CASE WHEN s.relkind = 'S' THEN has_sequence_privilege(s.oid, 'SELECT') END
  ORDER BY 1`;

/**
 * Every sequence the runner covers, with its state, in two statements.
 *
 * @param q Queries inside a transaction.
 * @returns The sequences, by their SQL names.
 */
export async function readSequences(
  q: MigrationQuery,
): Promise<SequenceState[]> {
  const found = await q.all(SEQUENCES);
  if (found.length === 0) return [];
  const owners = new Map<string, number>();
  for (const { tbl } of found) {
    if (tbl !== null) {
      owners.set(String(tbl), (owners.get(String(tbl)) ?? 0) + 1);
    }
  }
  const states = await q.all(
    found.map((r, i) =>
      `SELECT ${i} AS i, last_value::text AS last, is_called AS called FROM ${r.ref}`
    ).join(" UNION ALL "),
  );
  const byIndex = new Map(states.map((r) => [Number(r.i), r]));
  return found.map((r, i) => {
    const tbl = r.tbl === null ? null : String(r.tbl);
    return {
      ref: String(r.ref),
      key: tbl === null
        ? String(r.seq)
        : owners.get(tbl)! > 1
        ? `${tbl}.${r.col}`
        : tbl,
      last: String(byIndex.get(i)?.last),
      called: byIndex.get(i)?.called === true,
      descending: r.descending === true,
    };
  });
}

/**
 * The id high-water marks (see the module doc).
 *
 * @param q Queries inside a transaction.
 * @returns The marks, by key.
 */
export async function highWaterMarks(
  q: MigrationQuery,
): Promise<Map<string, bigint>> {
  return new Map((await readSequences(q)).map((s) => [s.key, mark(s)]));
}

function mark(s: SequenceState): bigint {
  const last = BigInt(s.last);
  // Not yet called: `last` is the first value to hand out, one step past the last handed out.
  const handed = s.called ? last : last + (s.descending ? 1n : -1n);
  return s.descending ? -handed : handed;
}

/**
 * Reads every sequence's state, to put back after a trial.
 *
 * @param q Queries inside the trial's transaction.
 * @returns Puts back each sequence that still exists and whose state changed.
 */
export async function saveSequences(
  q: MigrationQuery,
): Promise<() => Promise<void>> {
  const saved = await readSequences(q);
  return async () => {
    if (saved.length === 0) return;
    const now = new Map((await readSequences(q)).map((s) => [s.ref, s]));
    for (const s of saved) {
      const current = now.get(s.ref);
      if (current) await moveTo(q, current, s);
    }
  };
}

/**
 * Gives each sequence of a copy the state of the source's sequence of the same key.
 *
 * @param q Queries inside a transaction on the copy.
 * @param source The source's sequences, as {@linkcode readSequences} read them.
 */
export async function copySequences(
  q: MigrationQuery,
  source: readonly SequenceState[],
): Promise<void> {
  const wanted = new Map(source.map((s) => [s.key, s]));
  for (const s of await readSequences(q)) {
    const from = wanted.get(s.key);
    if (from) await moveTo(q, s, from);
  }
}

/** Sets sequence `s` to the state of `to` (its last value and whether it was called), if it differs. */
async function moveTo(
  q: MigrationQuery,
  s: SequenceState,
  to: SequenceState,
): Promise<void> {
  if (s.last === to.last && s.called === to.called) return;
  await q.all("SELECT setval(?::regclass, ?::bigint, ?)", [
    s.ref,
    to.last,
    to.called,
  ]);
}
