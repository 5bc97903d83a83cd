/**
 * The contract between the driver-agnostic core and a driver. A driver turns a URL into a
 * {@linkcode Connection}: something that runs named SQL statements, transactions and
 * migrations. The core never learns which database it talks to.
 *
 * @module
 */
import { StorageError } from "./errors.ts";
import type { ParsedOpenOptions } from "./validate.ts";
import type { MigrationTarget } from "./migrate/target.ts";
import type { OptionsSchema } from "./options_schema.ts";

/** A result row: its values in select-list order (see `src/rows.ts`). */
export type Row = unknown[];

/** A result row keyed by column name (migration queries). */
export type NamedRow = Record<string, unknown>;

/** A value or a promise of it: the SQLite engines answer synchronously. */
export type Awaitable<T> = T | Promise<T>;

/**
 * A SQL statement of the catalogue: portable text with `?` placeholders, written once. Drivers
 * prepare it once per connection (keyed by `id`) and may rewrite its text for their dialect.
 */
export interface Sql {
  /** A small integer, unique per statement, for statement caches. */
  readonly id: number;
  /** A name for overrides and query-plan tests, like `users.byId`. */
  readonly name: string;
  /** The SQL text with `?` placeholders. */
  readonly text: string;
  /** Whether the statement writes (and so needs the writer). */
  readonly write: boolean;
  /**
   * Whether each dialect supplies its own text for this statement, keyed by `name` (full-text
   * search). The driver may then also rewrite the parameters.
   */
  readonly dialect: boolean;
  /**
   * For a dialect statement that returns records: the select list the core reads its rows by
   * (`id, area_id, …`), which the driver's text names as `{select:<alias>}` (see
   * {@linkcode dialectStatement}); empty otherwise.
   */
  readonly select: string;
  /**
   * For a dialect statement that reads for a viewer (`storage.as(userId)`): the condition of
   * what the viewer may read, which the driver's text names as `{where}` (see
   * {@linkcode dialectStatement}). It names the driver's aliases `m` (a message) or `f` (a file),
   * `a` (its area) and `v` (the viewer's `users` row, which the driver's text joins by the id the
   * core passes). A message search (`messages.search`, `messages.searchAs`) also puts the
   * caller's filters there (the author's and the recipient's name keys, a time range): the
   * condition's `?` placeholders take the core's parameters after the statement's own, in
   * order, and the driver binds them where its text has `{where}`. Absent otherwise.
   */
  readonly where?: string;
  /**
   * Whether the statement is the application's (`storage.sql`): text of the caller's, not of the
   * catalogue, so its `id` (-1) identifies nothing. A driver must not cache anything for it by
   * `id`, and should not keep a prepared statement per distinct text without bound. Its rows are
   * read by column name ({@linkcode Queryable.rows}). Absent for the catalogue's statements.
   */
  readonly app?: boolean;
  /**
   * For the application's statement: whether it is an `INSERT`, `UPDATE`, `DELETE`, `REPLACE`,
   * `MERGE` or a `WITH` (which may end in one of them), whose changed rows the driver reports
   * ({@linkcode Queryable.rows}). Absent otherwise.
   */
  readonly changes?: boolean;
}

let nextSqlId = 0;
const catalogue: Sql[] = [];

/**
 * Every statement declared so far (the query-plan tests check each one).
 *
 * @returns The statements, in declaration order.
 */
export function declaredStatements(): readonly Sql[] {
  return catalogue;
}

function declare(statement: Sql): Sql {
  catalogue.push(Object.freeze(statement));
  return statement;
}

/**
 * Declares a statement of the catalogue.
 *
 * @param name A unique name.
 * @param text Portable SQL with `?` placeholders.
 * @param write Whether the statement writes.
 * @returns The statement.
 */
export function sql(name: string, text: string, write = false): Sql {
  return declare({
    id: nextSqlId++,
    name,
    text: text.trim().replace(/\s+/g, " "),
    write,
    dialect: false,
    select: "",
  });
}

/**
 * A statement of the application's (`storage.sql`), made per call and not declared in the
 * catalogue (see {@linkcode Sql.app}).
 *
 * @param text The application's SQL, with `?` placeholders.
 * @param write Whether it may write (it then goes through the storage's writer).
 * @param changes Whether it changes rows the driver counts (see {@linkcode Sql.changes}).
 * @returns The statement.
 */
export function appSql(
  text: string,
  write: boolean,
  changes = false,
): Sql {
  return Object.freeze({
    id: -1,
    name: "storage.sql",
    text,
    write,
    dialect: false,
    select: "",
    app: true,
    ...(changes ? { changes } : {}),
  });
}

/** Options of {@linkcode dialectSql}. */
export interface DialectSqlOptions {
  /** Whether the statement writes; `false` by default. */
  write?: boolean;
  /** The select list its rows are read by (see {@linkcode Sql.select}). */
  select?: string;
  /** The condition put in place of `{where}` (see {@linkcode Sql.where}). */
  where?: string;
}

/**
 * Declares a statement whose text each driver supplies (see {@linkcode Sql.dialect}).
 *
 * @param name A unique name; drivers look their text up by it.
 * @param options Whether it writes, and the select list its rows are read by.
 * @returns The statement.
 */
export function dialectSql(name: string, options: DialectSqlOptions = {}): Sql {
  return declare({
    id: nextSqlId++,
    name,
    text: "",
    write: options.write ?? false,
    dialect: true,
    select: options.select ?? "",
    ...(options.where === undefined ? {} : { where: options.where }),
  });
}

/** A driver's own text for a dialect statement (see {@linkcode Sql.dialect}). */
export interface DialectStatement {
  /** The SQL text, in the driver's placeholder style. */
  text: string;
  /** Turns the core's parameters into the statement's. */
  bind(params: readonly unknown[]): unknown[];
}

const filled = new WeakMap<DialectStatement, Map<number, DialectStatement>>();

/**
 * A driver's text for a dialect statement, with the statement's select list (see
 * {@linkcode Sql.select}) in place of each `{select:<alias>}`, every column prefixed by the
 * alias: the core decides which columns a record is read from, the driver only where they go.
 *
 * @param statements The driver's dialect statements, by name.
 * @param q The statement.
 * @param driver The driver's name, for the message.
 * @returns The driver's statement.
 * @throws {StorageError} `internal` when the driver has none of that name (a bug).
 *
 * @example
 * ```ts
 * import { dialectStatement, type Sql } from "@impulse/storage/driver";
 * import assert from "node:assert/strict";
 *
 * const q = { id: 0, name: "notes.search", text: "", write: false, dialect: true, select: "id, body" } satisfies Sql;
 * const statements = { "notes.search": { text: "SELECT {select:n} FROM notes n", bind: (p: readonly unknown[]) => [...p] } };
 * assert.equal(dialectStatement(statements, q, "Example").text, "SELECT n.id, n.body FROM notes n");
 * ```
 */
export function dialectStatement(
  statements: Readonly<Record<string, DialectStatement>>,
  q: Sql,
  driver: string,
): DialectStatement {
  const statement = statements[q.name];
  if (!statement) {
    throw new StorageError(
      "internal",
      `The ${driver} driver has no text for statement ${q.name}`,
    );
  }
  if (
    !statement.text.includes("{select:") && !statement.text.includes("{where}")
  ) {
    return statement;
  }
  let byId = filled.get(statement);
  if (!byId) filled.set(statement, byId = new Map());
  let done = byId.get(q.id);
  if (!done) {
    const text = statement.text.replace(
      /\{select:([A-Za-z_][A-Za-z0-9_]*)\}/g,
      (_, alias: string) =>
        q.select.split(", ").map((column) => `${alias}.${column}`).join(", "),
    ).replaceAll("{where}", q.where ?? "TRUE");
    byId.set(q.id, done = { text, bind: statement.bind });
  }
  return done;
}

/** Runs statements on one connection, in order. */
export interface Queryable {
  /** All rows of a query. */
  all(q: Sql, params: readonly unknown[]): Awaitable<Row[]>;
  /** The first row of a query, or `undefined`. */
  get(q: Sql, params: readonly unknown[]): Awaitable<Row | undefined>;
  /** Runs a statement and returns how many rows it changed. */
  run(q: Sql, params: readonly unknown[]): Awaitable<number>;
  /**
   * All rows of a statement of the application's ({@linkcode Sql.app}), keyed by column name.
   * A write (`q.write`) goes through the storage's writer, as the core's writes do. Absent when
   * the driver does not run the application's SQL (`storage.sql` then fails as `unavailable`).
   * For a write, the array may carry `changed`: how many rows the statement inserted, updated
   * or deleted (SQLite's `changes()` where {@linkcode Sql.changes}, PostgreSQL's command count),
   * which the query log reports; without it, the rows returned count.
   */
  rows?(
    q: Sql,
    params: readonly unknown[],
  ): Awaitable<NamedRow[] & { changed?: number }>;
}

/**
 * Where operations run. At the top level a driver routes reads and writes itself and makes each
 * statement atomic; inside a transaction everything goes to the transaction's connection.
 *
 * The core uses a transaction's executor (see {@linkcode Connection.transaction}) one statement
 * at a time: it issues a statement or an `atomic` block only once everything it issued before on
 * that executor has settled, and an operation that fails has already settled its own `atomic`
 * block (or its single statement) before the next operation starts. So a driver needs no queue of
 * its own there, and one savepoint name serves every `atomic` block of a transaction (they never
 * nest or overlap). A failing statement or `atomic` block must undo only itself and leave the
 * transaction usable.
 */
export interface Executor extends Queryable {
  /**
   * Runs several statements atomically: in a transaction of their own at the top level, inline
   * inside a transaction.
   */
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
}

/** An open database connection (or pool) of one driver. */
export interface Connection {
  /** The dialect's name; selects the migration folder (`sqlite`, `postgres`). */
  readonly dialect: string;
  /** The top-level executor. */
  readonly root: Executor;
  /**
   * The database the connection is to, as OpenTelemetry's `db.namespace` names it in the spans of
   * its statements (docs/tracing.md): PostgreSQL's database name, a SQLite file's path. Absent
   * when there is none to give (an in-memory database).
   */
  readonly namespace?: string;
  /**
   * Runs `fn` in one transaction on its own executor: commit on resolve, rollback and rethrow on
   * throw.
   *
   * The core keeps these rules (src/transaction.ts), so drivers may rely on them: `fn` settles
   * only after every statement it issued on the executor has settled (the storage's handle
   * finishes the operations its caller left running before it lets `fn` settle), it issues one
   * statement at a time (see {@linkcode Executor}), and it never uses the executor after `fn`
   * settled. A driver should still refuse work on an executor whose transaction ended (as
   * `unavailable`), so that no statement can ever run outside the transaction.
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /** The connection's migration target. */
  migrationTarget(): MigrationTarget;
  /** Closes every handle; idempotent. */
  close(): Promise<void>;
  /**
   * Closes a connection whose open failed after it connected (bringing the schema up to date
   * failed), taking back what the open created (a new database file, its directories) when
   * nothing else uses it. Absent: `close()` is called instead.
   */
  abandon?(): Promise<void>;
  /** Bulk copying with ids kept (`deno task copy`), from or into this database; absent if the driver cannot take part. */
  copyTarget?(): CopyTarget;
}

/** A table as `copy` finds it in a database's own schema (see {@linkcode CopyTarget.tables}). */
export interface CopyTable {
  /** The table's name. */
  readonly name: string;
  /** Its columns that hold data, in table order; columns the database computes are left out. */
  readonly columns: readonly string[];
  /** Its primary key's columns, in key order; empty when it has none. */
  readonly key: readonly string[];
  /**
   * The column whose values the database generates when an insert gives none (an identity or
   * serial column, an `INTEGER PRIMARY KEY AUTOINCREMENT`), if any.
   */
  readonly generatedId?: string;
  /** Its foreign keys: the referencing columns and the table they point at. */
  readonly references: readonly CopyReference[];
  /** The type of each column of {@linkcode CopyTable.columns}, by name. */
  readonly types: Readonly<Record<string, CopyType>>;
}

/**
 * A column's type as `copy` compares it: a kind both dialects share where they have one, and the
 * limits a value must keep (length, range, NULL). A value passes unchanged only between columns
 * of one kind.
 */
export interface CopyType {
  /** The type as the database declares it: `boolean`, `character varying(10)`, `INTEGER`. */
  readonly declared: string;
  /**
   * Its kind: `integer`, `real`, `text`, `blob` or `boolean` where the type is one of those
   * (SQLite's by its affinity: `INT` in the name is an integer …), else a name of its own
   * (PostgreSQL's type with its modifiers, `numeric(10,2)`, `jsonb`, `timestamp with time
   * zone`; SQLite's `numeric affinity` and `any`, a column without a type).
   */
  readonly kind: string;
  /** At most this many characters (PostgreSQL's `varchar(n)`, `char(n)`). */
  readonly maxLength?: number;
  /** Integers up to this, and down to −1 − this (PostgreSQL's `smallint`, `integer`). */
  readonly maxInteger?: number;
  /** Whether the column refuses NULL. */
  readonly notNull: boolean;
  /** Whether its reals are single precision (PostgreSQL's `real`): fewer than a `number` holds. */
  readonly single?: boolean;
  /**
   * Whether the column takes a value of another kind as it is: SQLite's columns, but for
   * `STRICT` tables, keep any value (an integer column may hold text).
   */
  readonly loose: boolean;
}

/** A foreign key of a {@linkcode CopyTable}. */
export interface CopyReference {
  /** The referencing columns. */
  readonly columns: readonly string[];
  /** The table they point at. */
  readonly table: string;
}

/**
 * What `copy` needs of a database, as source or target, that differs between dialects: what the
 * connection points at, the tables with their columns as the database itself describes them,
 * taking the ids given on insert, and the id generators' high-water marks.
 */
export interface CopyTarget {
  /**
   * What an INSERT needs between its column list and `VALUES` to keep the ids given: empty
   * where the database takes them as they are (SQLite), `OVERRIDING SYSTEM VALUE` for
   * PostgreSQL's `generated always` identities.
   */
  readonly keepIds: string;
  /**
   * What the connection points at, however its URL was spelled: equal for two connections to
   * the same database (the same file; the same server, database and schema), different
   * otherwise. Reads only.
   */
  identity(): Promise<string>;
  /**
   * Every table of the database that holds rows of its own, as the database describes it:
   * views, virtual tables and their shadow tables, and the database's own tables left out.
   */
  tables(): Promise<CopyTable[]>;
  /**
   * How many values of each of the given columns are not of their column's kind (see
   * {@linkcode CopyType.loose}): none where the database keeps only values of a column's type.
   * Reads only.
   *
   * @param table A table of this database.
   * @param columns Some of its columns.
   * @returns The count per column, for those that hold any.
   */
  misfits(
    table: CopyTable,
    columns: readonly string[],
  ): Promise<Record<string, number>>;
  /**
   * How `copy` reads a column of this database exactly: the select-list expressions that read it
   * (given the column as a quoted identifier) and how to turn what they return into its value.
   * Every integer comes back as a `bigint`, whatever its size; a real as a `number` (NaN, ±∞ and
   * −0 kept); text as a `string` with every character (NUL included), or a
   * {@linkcode CopyInvalidText} when its bytes are not UTF-8; bytes as a `Uint8Array`; values of
   * other kinds as the driver reads them.
   *
   * @param column The column, quoted.
   * @param type Its type.
   */
  exact(column: string, type: CopyType): CopyColumn;
  /**
   * Where a statement of `copy` takes a value read by {@linkcode CopyTarget.exact} for a column
   * of this database: `?`, or an expression around it that turns the value's text into the
   * column's type (PostgreSQL's kinds read as text).
   *
   * @param type The type of the column the value is written into or compared with.
   * @returns SQL text holding one `?`.
   */
  parameter(type: CopyType): string;
  /**
   * Why this database cannot keep a value in a column of a type exactly as it was read (see
   * {@linkcode CopyTarget.exact}): what it would store instead. Checked before anything is
   * written.
   *
   * @param value A value read exactly from the source.
   * @param type The type of the column of this database that would take it.
   * @returns A reason naming what the value is (never the value itself), or `undefined`.
   */
  refuses(value: unknown, type: CopyType): string | undefined;
  /**
   * The highest id the table's generator has handed out (deleted rows included), or 0.
   *
   * @param table A table of this database with a {@linkcode CopyTable.generatedId}.
   */
  highWater(table: CopyTable): Promise<bigint>;
  /**
   * Makes the table's generator hand out `highWater + 1` next, whatever it handed out before.
   *
   * @param tx The transaction to run in.
   * @param table A table of this database with a {@linkcode CopyTable.generatedId}.
   * @param highWater The highest id that must never be handed out again.
   */
  continueIds(
    tx: Queryable,
    table: CopyTable,
    highWater: bigint,
  ): Promise<void>;
}

/** How `copy` reads one column exactly (see {@linkcode CopyTarget.exact}). */
export interface CopyColumn {
  /** The select-list expressions, in order. */
  readonly select: readonly string[];
  /**
   * The column's value from what they returned.
   *
   * @param cells A row of the select list.
   * @param at Where this column's expressions start in it.
   */
  decode(cells: readonly unknown[], at: number): unknown;
}

/** Text as `copy` read it when its bytes are not UTF-8: no string can hold it. */
export class CopyInvalidText {
  /** The text's bytes. */
  readonly bytes: Uint8Array;
  /**
   * Holds text that could not be decoded.
   *
   * @param bytes The text's bytes.
   */
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

/**
 * The open options a driver's {@linkcode Driver.connect} receives: the core's, with every
 * default applied, and the driver's own section, parsed by its {@linkcode Driver.options}.
 */
export interface ConnectOptions<O = unknown> extends ParsedOpenOptions {
  /** The driver's section of the open options (`options.<name>`), parsed; absent when not given. */
  driver?: O;
}

/**
 * A database driver: what a driver module exports as `driver`, and what
 * `openStorage(url, { drivers: [driver] })` takes. `openStorage` consults the drivers it is given
 * (by URL scheme) before the built-in ones.
 */
export interface Driver<O = unknown, N extends string = string> {
  /**
   * The driver's name: the key of its section of the open options (`sqlite`, `postgres`), and
   * how messages name it. A lowercase identifier, not one of the core's option names.
   */
  readonly name: N;
  /** The URL schemes it opens, lowercase with their colon: `["postgres:", "postgresql:"]`. */
  readonly schemes: readonly string[];
  /** Validates its section of the open options; absent when it takes none. */
  readonly options?: OptionsSchema<O>;
  /**
   * Opens a connection for a URL of the driver's schemes.
   *
   * @param url The URL (validated by the driver).
   * @param options The parsed open options, its own section as `driver`.
   */
  connect(url: string, options: ConnectOptions<O>): Promise<Connection>;
}
