/**
 * Whether the target can take every value `copy` would write into it, decided before it writes
 * a row: the two databases' column types are compared (kinds both dialects share, see
 * {@linkcode CopyType}) and, where the target keeps a limit the source does not (a kind SQLite
 * does not enforce, a length, an integer range, NOT NULL), the source's values are surveyed.
 * A value that still cannot be written (the source changed meanwhile, a constraint of the
 * target's own) fails naming the table, and the column where one value is at fault.
 *
 * @module
 */
import {
  CopyInvalidText,
  type CopyTable,
  type CopyType,
  type Row,
} from "../driver.ts";
import { StorageError } from "../errors.ts";
import { characters, describe, plural } from "../describe.ts";
import { pages, rowShown, type Side, surveyOf, type Table } from "./tables.ts";

/** A type as messages show it: its declared name, and its kind where the name hides it. */
function shown(t: CopyType): string {
  const declared = t.declared === "" ? "a column without a type" : t.declared;
  return declared.toLowerCase().startsWith(t.kind)
    ? declared
    : `${declared} (${t.kind})`;
}

/**
 * The columns whose kinds differ between the two databases.
 *
 * @param s The table as the source describes it.
 * @param t The table as the target describes it.
 * @returns One problem per column, naming the table, the column and both types.
 */
export function kindProblems(s: CopyTable, t: CopyTable): string[] {
  return s.columns.filter((c) => c in t.types).flatMap((c) => {
    const [from, to] = [s.types[c]!, t.types[c]!];
    return from.kind === to.kind ? [] : [
      `column ${s.name}.${c} is ${shown(from)} in the source but ${
        shown(to)
      } in the target`,
    ];
  });
}

/**
 * Surveys the source's values where the target keeps a limit the source does not.
 *
 * @param source The database copied from.
 * @param table A table whose columns have the same kinds on both sides.
 * @returns One problem per column holding a value the target cannot take.
 */
export async function valueProblems(
  source: Side,
  table: Table,
): Promise<string[]> {
  const pairs = table.columns.map((c) =>
    [c, table.source.types[c]!, table.target.types[c]!] as const
  );
  const wider = (s?: number, t?: number) =>
    t !== undefined && (s === undefined || s > t);
  const survey = {
    lengths: pairs.filter(([, s, t]) => wider(s.maxLength, t.maxLength)),
    ranges: pairs.filter(([, s, t]) => wider(s.maxInteger, t.maxInteger)),
    nulls: pairs.filter(([, s, t]) => t.notNull && !s.notNull),
  };
  const loose = pairs.filter(([, s, t]) => s.loose && !t.loose)
    .map(([c]) => c);
  const problems: string[] = [];
  const misfits = loose.length === 0
    ? {}
    : await source.port.misfits(table.source, loose);
  for (const [column, n] of Object.entries(misfits)) {
    problems.push(
      `column ${table.name}.${column} holds ${n} value(s) in the source that are not ${
        table.target.types[column]!.kind
      } (SQLite keeps any value in any column), which the target's ${
        table.target.types[column]!.declared
      } cannot take`,
    );
  }
  const names = {
    lengths: survey.lengths.map(([c]) => c),
    ranges: survey.ranges.map(([c]) => c),
    nulls: survey.nulls.map(([c]) => c),
  };
  if (Object.values(names).every((list) => list.length === 0)) return problems;
  const row = await source.connection.root.get(surveyOf(table, names), []);
  const values = row ?? [];
  let at = 0;
  for (const [c, , t] of survey.lengths) {
    const longest = values[at++];
    if (longest != null && Number(longest) > t.maxLength!) {
      problems.push(
        `column ${table.name}.${c} holds text of up to ${
          plural(Number(longest), "character")
        } in the source, ` +
          `which the target's ${t.declared} cannot take (at most ${t.maxLength})`,
      );
    }
  }
  for (const [c, , t] of survey.ranges) {
    const [least, most] = [values[at++], values[at++]];
    const limit = BigInt(t.maxInteger!);
    if (
      least != null &&
      (BigInt(least as string) < -1n - limit || BigInt(most as string) > limit)
    ) {
      problems.push(
        `column ${table.name}.${c} holds integers from ${least} to ${most} in the source, ` +
          `which the target's ${t.declared} cannot take (${
            -1 - t.maxInteger!
          } to ${t.maxInteger})`,
      );
    }
  }
  for (const [c, , t] of survey.nulls) {
    const nulls = Number(values[at++] ?? 0);
    if (nulls > 0) {
      problems.push(
        `column ${table.name}.${c} holds ${nulls} NULL(s) in the source, which the ` +
          `target's ${t.declared} NOT NULL cannot take`,
      );
    }
  }
  return problems;
}

/** Rows named per column in a refusal; the rest are counted. */
const NAMED_ROWS = 3;

/**
 * Reads every value of a table exactly (see `CopyTarget.exact`) and finds those the copy could
 * not carry as they are: text that is not UTF-8 (no string holds it), and values the target
 * would store as something else (see `CopyTarget.refuses`: NaN or −0 into SQLite, text with a
 * NUL into PostgreSQL).
 *
 * @param source The database copied from.
 * @param target The database copied into.
 * @param table A table whose columns have the same kinds on both sides.
 * @returns One problem per column and reason, naming the rows by key (never a value).
 */
export async function exactProblems(
  source: Side,
  target: Side,
  table: Table,
): Promise<string[]> {
  const found = new Map<string, { rows: string[]; count: number }>();
  const types = table.columns.map((c) => table.target.types[c]!);
  let position = 0;
  for await (const page of pages(source, table, table.source, 1000)) {
    for (const row of page) {
      position++;
      row.forEach((value, i) => {
        const why = value instanceof CopyInvalidText
          ? "text that is not valid UTF-8, which no database of the copy can take as it is"
          : target.port.refuses(value, types[i]!);
        if (why === undefined) return;
        const at = `${table.columns[i]}\0${why}`;
        const entry = found.get(at) ?? { rows: [], count: 0 };
        if (entry.count++ < NAMED_ROWS) {
          entry.rows.push(rowShown(table, row, position));
        }
        found.set(at, entry);
      });
    }
  }
  return [...found].map(([at, { rows, count }]) => {
    const [column, why] = at.split("\0");
    const more = count > rows.length ? ` and ${count - rows.length} more` : "";
    return `column ${table.name}.${column} holds, in ${
      plural(count, "row")
    } of the source (${
      rows.join(", ")
    }${more}), ${why}: change those values in the source`;
  });
}

/** A value as messages show it: its type and size, never its text. */
function shownValue(value: unknown): string {
  return typeof value === "boolean" || typeof value === "bigint"
    ? `a ${typeof value}`
    : value instanceof Uint8Array
    ? plural(value.length, "byte")
    : describe(value);
}

/** Whether the target's column takes a value as the source's driver read it. */
function fits(value: unknown, t: CopyType): boolean {
  if (value === null || value === undefined) return !t.notNull;
  if (t.loose) {
    return ["number", "bigint", "string"].includes(typeof value) ||
      value instanceof Uint8Array;
  }
  switch (t.kind) {
    case "integer":
      if (typeof value !== "bigint" && !Number.isSafeInteger(value)) {
        return false;
      }
      return t.maxInteger === undefined ||
        (-1n - BigInt(t.maxInteger) <= BigInt(value as number) &&
          BigInt(value as number) <= BigInt(t.maxInteger));
    case "real":
      return typeof value === "number";
    case "text":
      return typeof value === "string" &&
        (t.maxLength === undefined || characters(value) <= t.maxLength);
    case "blob":
      return value instanceof Uint8Array;
    case "boolean":
      return typeof value === "boolean";
    default:
      return true; // kinds of one dialect, copied between databases of that dialect as text
  }
}

/**
 * The error for a batch the target refused: what was at fault, and what is in the target.
 *
 * @param table The table.
 * @param rows The batch, as read from the source.
 * @param copied How many of the table's rows are in the target already.
 * @param error What writing the batch threw.
 * @returns A `migration` error naming the column and the row when one value is at fault; else
 * the error as it was (its kind kept), naming the table and the rows.
 */
export function unwritable(
  table: Table,
  rows: readonly Row[],
  copied: number,
  error: unknown,
): StorageError {
  const already =
    `${
      plural(copied, "row")
    } of ${table.name}, and every table copied before it, ` +
    `are in the target already`;
  for (const [at, row] of rows.entries()) {
    const i = table.columns.findIndex((c, i) =>
      !fits(row[i], table.target.types[c]!)
    );
    if (i < 0) continue;
    const type = table.target.types[table.columns[i]!]!;
    return new StorageError(
      "migration",
      `Cannot copy table ${table.name}: column ${
        table.columns[i]
      } of the row with ${rowShown(table, row, copied + at + 1)} holds ${
        shownValue(row[i])
      }, which the target's ${
        shown(type)
      } cannot take: ${already}: give the target the source's column types, then copy again ` +
        `with --force`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError(
    error instanceof StorageError ? error.kind : "internal",
    `Cannot copy table ${table.name} (rows with ${
      rowShown(table, rows[0]!, copied + 1)
    } to ${
      rowShown(table, rows.at(-1)!, copied + rows.length)
    }): ${detail}: ${already}: fix the cause, then copy again with --force`,
    { cause: error },
  );
}
