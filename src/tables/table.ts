/**
 * How a table is declared (see `mod.ts` for the declarations) and what is derived from a
 * declaration: the select list, the row mapper, the SET clauses of a patch and the column list of
 * an insert. Everything is derived once, at module load; a mapper reads the positions computed
 * then, never a number written by hand.
 *
 * @module
 */
import type { Row } from "../driver.ts";

/** How a column's value travels between the database and a record. */
export type Codec =
  /** A number, as the database gives it. */
  | "integer"
  /** A string. */
  | "text"
  /**
   * A boolean, stored as the integer 0 or 1 on every dialect (a PostgreSQL `boolean` parameter
   * would read the 1 as false through postgres.js, which serialises only `true` as true).
   */
  | "boolean"
  /** A `Date`, stored as epoch milliseconds. */
  | "date"
  /** Any JSON value, stored as its text. */
  | "json";

/** One column of a table. */
export interface Column {
  /**
   * The record field it maps to: a property (`username`) or one level nested
   * (`stats.logins`). Omitted when no record shows the column (keys, token hashes).
   */
  readonly field?: string;
  /** How its value travels. */
  readonly codec: Codec;
  /** Whether it may hold NULL (read as `null`). */
  readonly nullable?: boolean;
  /** Whether the record's patch (`users.update`, `files.update`) may set it. */
  readonly patch?: boolean;
  /** Whether the record's create input sets it (by its `field`). */
  readonly create?: boolean;
  /**
   * Whether `copy` must carry it: by default every column is carried; `false` leaves it out of
   * the copy (the target's default fills it) and out of the closing checksums.
   */
  readonly copy?: boolean;
  /**
   * The column holds a key the code computes from another column whenever that one is written
   * (`username_key` from `username`): the other column's name and the function.
   */
  readonly keyOf?: {
    readonly column: string;
    readonly fold: (s: string) => string | number;
  };
  /** NULL reads as this other column's value (`thread_root_id` NULL means the message's own id). */
  readonly nullReadsAs?: string;
}

/** A table as declared. */
export interface TableSpec {
  /** Its columns by name, in the order of the select list. */
  readonly columns: Readonly<Record<string, Column>>;
  /** Whether the database generates its ids (an `id` identity or AUTOINCREMENT column). */
  readonly generatedId: boolean;
  /**
   * What the database computes from this table's rows, which the catalogue does not declare:
   * columns per dialect (PostgreSQL's search `tsvector`) and tables (SQLite's FTS5 index and its
   * shadow tables, named by prefix).
   */
  readonly computed?: {
    readonly columns?: Readonly<Record<string, readonly string[]>>;
    readonly tables?: Readonly<Record<string, string>>;
  };
}

/** A declared table with what is derived from it. */
export interface Table<S extends TableSpec = TableSpec> {
  /** The table's name. */
  readonly name: string;
  /** The declaration. */
  readonly spec: S;
  /** Every column's name, in declaration order. */
  readonly columns: readonly string[];
  /** The columns a record shows, in select-list order. */
  readonly selected: readonly string[];
  /** The select list (`id, username, …`). */
  readonly select: string;
}

/**
 * Declares a table.
 *
 * @param name The table's name.
 * @param spec Its columns and what the database computes.
 * @returns The table.
 */
export function table<const S extends TableSpec>(
  name: string,
  spec: S,
): Table<S> {
  const columns = Object.keys(spec.columns);
  const selected = columns.filter((c) => spec.columns[c]!.field !== undefined);
  return { name, spec, columns, selected, select: selected.join(", ") };
}

/** The record fields of a declaration: a nested field's first part. */
export type Fields<S extends TableSpec> = {
  [C in keyof S["columns"]]: S["columns"][C] extends { field: infer F }
    ? F extends `${infer Head}.${string}` ? Head : F
    : never;
}[keyof S["columns"]];

/** The nested fields under `P` (`stats` → `logins | posts …`). */
export type Nested<S extends TableSpec, P extends string> = {
  [C in keyof S["columns"]]: S["columns"][C] extends { field: infer F }
    ? F extends `${P}.${infer Rest}` ? Rest : never
    : never;
}[keyof S["columns"]];

/** A field's top-level key: a nested field's first part (`access.readLevel` → `access`). */
type Head<F> = F extends `${infer H}.${string}` ? H : F;

/** The fields a patch may set (a nested field by its first part). */
export type Patchable<S extends TableSpec> = {
  [C in keyof S["columns"]]: S["columns"][C] extends
    { field: infer F; patch: true } ? Head<F> : never;
}[keyof S["columns"]];

/** The fields a create input sets (a nested field by its first part). */
export type Creatable<S extends TableSpec> = {
  [C in keyof S["columns"]]: S["columns"][C] extends
    { field: infer F; create: true } ? Head<F> : never;
}[keyof S["columns"]];

/**
 * The value of a field of a record: a property (`name`) or one level nested (`access.hidden`;
 * `undefined` when the outer object is missing).
 *
 * @param record The record, a create input or a patch.
 * @param field The field.
 * @returns Its value.
 */
export function valueAt(record: object, field: string): unknown {
  const dot = field.indexOf(".");
  const r = record as Record<string, unknown>;
  if (dot < 0) return r[field];
  const outer = r[field.slice(0, dot)] as Record<string, unknown> | undefined;
  return outer?.[field.slice(dot + 1)];
}

/** A field name the generated mapper may hold: an identifier, nothing to evaluate. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The expression reading one column of row `r`, decoded, as JavaScript source. */
function readOf(table: Table, name: string, at: number): string {
  const column = table.spec.columns[name]!;
  const v = `r[${at}]`;
  if (column.nullReadsAs !== undefined) {
    const other = table.selected.indexOf(column.nullReadsAs);
    if (other < 0) {
      throw new TypeError(
        `Column ${table.name}.${name} reads NULL as ${column.nullReadsAs}, which is not selected`,
      );
    }
    return `(${v} ?? r[${other}])`;
  }
  const orNull = (read: string) =>
    column.nullable ? `(${v} === null ? null : ${read})` : read;
  switch (column.codec) {
    case "integer":
    case "text":
      return v;
    case "boolean":
      return orNull(`(${v} === true || ${v} === 1)`);
    case "date":
      return orNull(`new Date(${v})`);
    case "json":
      // An empty list is the common case (kludges): no parse.
      return `(${v} === null ? null : ${v} === "[]" ? [] : JSON.parse(${v}))`;
  }
}

/**
 * A column's value as the database takes it from a record's value.
 *
 * @param column The column.
 * @returns The encoder.
 */
export function encoder(column: Column): (value: unknown) => unknown {
  switch (column.codec) {
    case "integer":
    case "text":
      return (v) => v;
    case "boolean":
      return (v) => v === null || v === undefined ? null : v ? 1 : 0;
    case "date":
      return (v) =>
        v === null || v === undefined ? null : (v as Date).getTime();
    case "json":
      return (v) => v === null || v === undefined ? null : JSON.stringify(v);
  }
}

/**
 * The row mapper of a table: a row of its select list (and any columns after it) as its record.
 *
 * The mapper is generated once, as the object literal one would write by hand (`{ id: r[0],
 * createdAt: new Date(r[11]) … }`), from the declaration alone: a literal builds the record
 * several times faster than a loop over the columns (each record then has one shape), and
 * mapping is on every read's hot path. The source holds only the declaration's field names
 * (checked to be identifiers) and positions, no value from outside.
 *
 * @param table The table.
 * @returns The mapper.
 */
export function mapperOf<T>(table: Table): (row: Row) => T {
  const top: [key: string, source: string][] = [];
  const groups = new Map<string, string[]>();
  table.selected.forEach((name, at) => {
    const field = table.spec.columns[name]!.field!;
    const [key, nested, ...rest] = field.split(".");
    if (
      rest.length > 0 || !IDENTIFIER.test(key!) ||
      (nested !== undefined && !IDENTIFIER.test(nested))
    ) {
      throw new TypeError(
        `Column ${table.name}.${name} maps to a field that is not a name or name.name: ${field}`,
      );
    }
    const read = readOf(table, name, at);
    if (nested === undefined) {
      top.push([key!, read]);
      return;
    }
    let group = groups.get(key!);
    if (!group) {
      groups.set(key!, group = []);
      top.push([key!, ""]);
    }
    group.push(`${nested}: ${read}`);
  });
  const fields = top.map(([key, read]) =>
    `${key}: ${read || `{ ${groups.get(key)!.join(", ")} }`}`
  );
  return new Function("r", `return { ${fields.join(", ")} };`) as (
    row: Row,
  ) => T;
}

/**
 * The columns of a table written with `field` (the column itself, then any key computed from it)
 * and how their values come from a record holding that field.
 *
 * @param table The table.
 * @param name The column the field maps to.
 * @returns The columns, and their values from a record: as an array, or written onto one.
 */
export function writesOf(
  table: Table,
  name: string,
): {
  columns: string[];
  values: (record: Record<string, unknown>) => unknown[];
  write: (record: Record<string, unknown>, into: unknown[]) => void;
} {
  const column = table.spec.columns[name]!;
  const field = column.field!;
  const encode = encoder(column);
  const keys = table.columns.filter((c) =>
    table.spec.columns[c]!.keyOf?.column === name
  );
  const folds = keys.map((c) => table.spec.columns[c]!.keyOf!.fold);
  const write = (record: Record<string, unknown>, into: unknown[]) => {
    const value = valueAt(record, field);
    into.push(encode(value));
    for (const fold of folds) into.push(fold(value as string));
  };
  return {
    columns: [name, ...keys],
    values: (record) => {
      const values: unknown[] = [];
      write(record, values);
      return values;
    },
    write,
  };
}

/**
 * The SET clauses of a table's patch, one per field a patch may set, in declaration order (a key
 * computed from the field is set beside it): what `PatchStatements` takes.
 *
 * @param table The table.
 * @returns Each field, its clause and its parameters from the patch.
 */
export function patchSetsOf<P>(
  table: Table,
): [
  field: keyof P & string,
  clause: string,
  values: (patch: P) => unknown[],
][] {
  return table.columns.filter((c) => table.spec.columns[c]!.patch === true)
    .map((name) => {
      const writes = writesOf(table, name);
      return [
        table.spec.columns[name]!.field as keyof P & string,
        writes.columns.map((c) => `${c} = ?`).join(", "),
        writes.values as (patch: P) => unknown[],
      ];
    });
}

/** An INSERT of the columns a create input sets, then those its operation adds. */
export interface Insert<I> {
  /** `INSERT INTO … (…) VALUES (?, …) RETURNING <select list>`. */
  readonly text: string;
  /**
   * The parameters.
   *
   * @param input The parsed create input.
   * @param after The values of the operation's own columns, in order.
   */
  params(input: I, after: readonly unknown[]): unknown[];
}

/**
 * The INSERT of a table's create input (its columns marked `create`, with the keys computed from
 * them), then `after`, the columns the operation fills itself (`created_at`).
 *
 * @param table The table.
 * @param after The operation's own columns.
 * @returns The statement's text and how its parameters come from the input.
 */
export function insertOf<I>(table: Table, after: readonly string[]): Insert<I> {
  const writes = table.columns.filter((c) =>
    table.spec.columns[c]!.create === true
  ).map((c) => writesOf(table, c));
  const columns = [...writes.flatMap((w) => w.columns), ...after];
  return {
    text: `INSERT INTO ${table.name} (${columns.join(", ")}) VALUES (${
      columns.map(() => "?").join(", ")
    }) RETURNING ${table.select}`,
    // Written into one array: an insert's parameters are made on every create.
    params(input, tail) {
      const params: unknown[] = [];
      for (const w of writes) w.write(input as Record<string, unknown>, params);
      for (const value of tail) params.push(value);
      return params;
    },
  };
}
