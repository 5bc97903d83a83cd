/**
 * The statements `copy` reads and writes a table with, built from the table's columns as the
 * databases describe them (see `plan.ts`), and the checksums it compares.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import {
  type Connection,
  type CopyColumn,
  CopyInvalidText,
  type CopyTable,
  type CopyTarget,
  type Row,
  type Sql,
  sql,
} from "../driver.ts";
import { StorageError } from "../errors.ts";

/** The comparison of one table after the copy. */
export interface TableReport {
  /** The table. */
  table: string;
  /** Rows in the source. */
  sourceRows: number;
  /** Rows in the target. */
  targetRows: number;
  /** The source's rows hashed, every column (see `checksum`). */
  sourceChecksum: string;
  /** The target's rows hashed, the same columns. */
  targetChecksum: string;
  /** Whether counts and checksums agree. */
  ok: boolean;
}

/** A table the copy moves: one both databases have, with the same columns. */
export interface Table {
  /** Its name. */
  name: string;
  /** Every column that holds data, sorted by name: read and written by name. */
  columns: readonly string[];
  /** The primary key it is read in order of. */
  key: readonly string[];
  /**
   * Columns pointing at rows of the same table not yet copied (a reply older than its parent,
   * after a FidoNet adoption): copied as NULL, then set once the whole table is in.
   */
  later: readonly string[];
  /** The table as the source describes it. */
  source: CopyTable;
  /** The table as the target describes it. */
  target: CopyTable;
}

/** Statements by text: a table's statements change when its columns do. */
const statements = new Map<string, Sql>();
function once(name: string, text: string, write = false): Sql {
  let statement = statements.get(text);
  if (!statement) statements.set(text, statement = sql(name, text, write));
  return statement;
}

/** A name as a quoted identifier (the same in both dialects). */
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const list = (names: readonly string[]) => names.map(quote).join(", ");

/**
 * The statement inserting `rows` rows of a table's columns, keeping the ids given.
 *
 * @param t The table.
 * @param rows How many rows one run inserts.
 * @param port The target's copy capability: its clause for taking explicit ids and its
 * parameters (see `CopyTarget`).
 * @returns The statement, prepared once per table, size and clause.
 */
export const insertOf = (t: Table, rows: number, port: CopyTarget) => {
  const row = `(${
    t.columns.map((c) => port.parameter(t.target.types[c]!)).join(", ")
  })`;
  return once(
    `copy.insert.${t.name}.${rows}`,
    `INSERT INTO ${quote(t.name)} (${list(t.columns)}) ${port.keepIds} VALUES ${
      Array(rows).fill(row).join(", ")
    }`,
    true,
  );
};
export const countOf = (t: string) =>
  once(`copy.count.${t}`, `SELECT count(*) FROM ${quote(t)}`);
export const clearOf = (t: string) =>
  once(`copy.clear.${t}`, `DELETE FROM ${quote(t)}`, true);
/** The statement reading a column's largest value. */
export const maxOf = (t: string, column: string) =>
  once(
    `copy.max.${t}`,
    // As text: an engine may read an integer beyond 2^53 rounded, or not at all.
    `SELECT CAST(max(${quote(column)}) AS TEXT) FROM ${quote(t)}`,
  );
/** The statement setting a deferred column of one row, found by its key. */
export const laterOf = (t: Table, column: string, port: CopyTarget) =>
  once(
    `copy.later.${t.name}.${column}`,
    `UPDATE ${quote(t.name)} SET ${quote(column)} = ${
      port.parameter(t.target.types[column]!)
    } WHERE ${
      t.key.map((k) => `${quote(k)} = ${port.parameter(t.target.types[k]!)}`)
        .join(" AND ")
    }`,
    true,
  );

/**
 * The statement surveying a table's values where the target keeps a limit (see `types.ts`): per
 * column of `lengths` its longest text, of `ranges` its least and greatest integer, of `nulls`
 * how many NULLs it holds, in that order.
 */
export function surveyOf(
  t: Table,
  columns: { lengths: string[]; ranges: string[]; nulls: string[] },
): Sql {
  const parts = [
    ...columns.lengths.map((c) => `max(length(${quote(c)}))`),
    // As text: an engine may read an integer beyond 2^53 rounded, or not at all.
    ...columns.ranges.flatMap((c) => [
      `CAST(min(${quote(c)}) AS TEXT)`,
      `CAST(max(${quote(c)}) AS TEXT)`,
    ]),
    ...columns.nulls.map((c) => `count(*) - count(${quote(c)})`),
  ];
  return once(
    `copy.survey.${t.name}`,
    `SELECT ${parts.join(", ")} FROM ${quote(t.name)}`,
  );
}

/** One database of a copy, with its copy capability. */
export interface Side {
  /** The connection. */
  connection: Connection;
  /** Its copy capability. */
  port: CopyTarget;
}

/** How one side reads a table's columns exactly (see `CopyTarget.exact`). */
function readers(side: Side, t: Table, described: CopyTable): CopyColumn[] {
  return t.columns.map((c) => side.port.exact(quote(c), described.types[c]!));
}

/** The statement reading a page of a table in key order, the first or one after a key. */
function pageOf(
  t: Table,
  columns: CopyColumn[],
  after: { port: CopyTarget; described: CopyTable } | undefined,
): Sql {
  const key = list(t.key);
  const where = after === undefined
    ? ""
    : `WHERE (${key}) > (${
      t.key.map((k) => after.port.parameter(after.described.types[k]!))
        .join(", ")
    }) `;
  return once(
    `copy.page.${t.name}`,
    `SELECT ${columns.flatMap((c) => c.select).join(", ")} FROM ${
      quote(t.name)
    } ${where}ORDER BY ${
      // Qualified: PostgreSQL would take a bare name for the output column of that name (an
      // integer read as text), and order by its text.
      t.key.map((k) => `${quote(t.name)}.${quote(k)}`).join(", ")} LIMIT ?`,
  );
}

/**
 * Reads a table in key order, a page at a time, every value exactly (see `CopyTarget.exact`).
 *
 * @param side The database.
 * @param t The table.
 * @param described The table as that database describes it.
 * @param size Rows per page.
 * @returns The pages, each non-empty, each row's values in the order of `t.columns`.
 * @throws {StorageError} `migration` when a key holds text that is not UTF-8 (no page can
 * follow it).
 */
export async function* pages(
  side: Side,
  t: Table,
  described: CopyTable,
  size: number,
): AsyncGenerator<Row[]> {
  const columns = readers(side, t, described);
  const at = t.key.map((k) => t.columns.indexOf(k));
  let after: unknown[] | undefined;
  for (;;) {
    const read = await side.connection.root.all(
      pageOf(
        t,
        columns,
        after === undefined ? undefined : { port: side.port, described },
      ),
      [...(after ?? []), size],
    );
    const rows = read.map((cells) => {
      let i = 0;
      return columns.map((c) => {
        const value = c.decode(cells, i);
        i += c.select.length;
        return value;
      });
    });
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = at.map((i) => rows[rows.length - 1]![i]);
    const bad = at.find((i) =>
      after![at.indexOf(i)] instanceof CopyInvalidText
    );
    if (bad !== undefined) {
      throw new StorageError(
        "migration",
        `Cannot copy table ${t.name} as its key column ${
          t.columns[bad]
        } holds text that is not valid UTF-8: change it in the source, then copy again`,
      );
    }
  }
}

/**
 * The values of a row where a key is wanted.
 *
 * @param t The table.
 * @param row A row of its columns.
 * @returns The row's key values.
 */
export function keyValues(t: Table, row: Row): unknown[] {
  return t.key.map((k) => row[t.columns.indexOf(k)]);
}

/**
 * A row as messages name it: by its key where every key value is an integer (an id), else by
 * its place in key order (a text key may be the very value at fault, and messages never show
 * one).
 *
 * @param t The table.
 * @param row A row of its columns.
 * @param position Its 1-based place in the table, in key order.
 * @returns `key (1)`, or `row 3 in key order`.
 */
export function rowShown(t: Table, row: Row, position: number): string {
  const key = keyValues(t, row);
  return key.every((v) => typeof v === "bigint" || Number.isInteger(v))
    ? `key (${key.join(", ")})`
    : `row ${position} in key order`;
}

/**
 * Counts and hashes a table's rows, every column, each value as read exactly (see
 * `CopyTarget.exact`): the SHA-256 of each row, summed modulo 2²⁵⁶. The sum does not depend on
 * the order rows come in, which the two databases may see differently (a text key under another
 * collation); a changed, missing or extra row changes it. Each value is hashed with its type
 * (an integer and a real of equal value differ, as do −0 and 0, NaN and NULL), so two values
 * compare equal only when they are the same.
 *
 * @param side The database.
 * @param table The table.
 * @param described The table as that database describes it.
 * @returns The row count and the sum, in hex.
 */
export async function checksum(
  side: Side,
  table: Table,
  described: CopyTable,
): Promise<{ rows: number; sum: string }> {
  const sum = new RowSum();
  for await (const page of pages(side, table, described, 1000)) {
    for (const row of page) sum.add(row);
  }
  return sum.result();
}

/** Counts and hashes rows already read (see {@linkcode checksum}). */
export function digest(rows: unknown[][]): { rows: number; sum: string } {
  const sum = new RowSum();
  for (const row of rows) sum.add(row.map((v) => v ?? null));
  return sum.result();
}

const MOD = 1n << 256n;

const hex = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

/**
 * A value as the checksum sees it: tagged with its type, numbers spelled so that −0, NaN and ±∞
 * stay apart from 0 and NULL (JSON spells them `0` and `null`), bytes as hex whichever class a
 * driver reads them as (SQLite's engines give a `Uint8Array`, postgres.js a `Buffer`).
 */
function tagged(value: unknown): unknown {
  switch (typeof value) {
    case "bigint":
      return { integer: String(value) };
    case "number":
      return { real: Object.is(value, -0) ? "-0" : String(value) };
  }
  if (value instanceof Uint8Array) return { bytes: hex(value) };
  if (value instanceof CopyInvalidText) {
    return { invalidText: hex(value.bytes) };
  }
  return value;
}

class RowSum {
  #rows = 0;
  #sum = 0n;
  add(row: Row): void {
    const text = JSON.stringify(row.map(tagged));
    const hex = createHash("sha256").update(text).digest("hex");
    this.#sum = (this.#sum + BigInt(`0x${hex}`)) % MOD;
    this.#rows++;
  }
  result(): { rows: number; sum: string } {
    return {
      rows: this.#rows,
      sum: this.#sum.toString(16).padStart(64, "0"),
    };
  }
}

/** Compares two counts and checksums. */
export function report(
  table: string,
  a: { rows: number; sum: string },
  b: { rows: number; sum: string },
): TableReport {
  return {
    table,
    sourceRows: a.rows,
    targetRows: b.rows,
    sourceChecksum: a.sum,
    targetChecksum: b.sum,
    ok: a.rows === b.rows && a.sum === b.sum,
  };
}
