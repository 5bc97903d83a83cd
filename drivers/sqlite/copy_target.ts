/**
 * Copying from and into SQLite. The database is the file the connection opened, whatever path
 * led there (a symlink, a hard link, `..`): its device and inode say which. Tables come from
 * `pragma_table_list` (virtual tables and their shadow tables, such as the FTS5 index, are left
 * out: the target rebuilds them itself), columns from `pragma_table_xinfo` (generated columns
 * left out), foreign keys from `pragma_foreign_key_list`. An `INTEGER PRIMARY KEY
 * AUTOINCREMENT` takes the ids given; its high-water mark is its row in `sqlite_sequence`.
 *
 * @module
 */
import {
  type CopyColumn,
  CopyInvalidText,
  type CopyReference,
  type CopyTable,
  type CopyTarget,
  type CopyType,
  type Queryable,
  runtime,
  type Sql,
  sql,
} from "../../driver.ts";

const TABLES = sql(
  "copy.sqlite.tables",
  "SELECT t.name, s.sql, t.strict FROM pragma_table_list AS t JOIN sqlite_schema AS s ON s.name = t.name " +
    "WHERE t.schema = 'main' AND t.type = 'table' AND t.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " +
    "ORDER BY t.name",
);
const COLUMNS = sql(
  "copy.sqlite.columns",
  'SELECT name, type, pk, hidden, "notnull" FROM pragma_table_xinfo(?) ORDER BY cid',
);
const REFERENCES = sql(
  "copy.sqlite.references",
  'SELECT id, "table", "from" FROM pragma_foreign_key_list(?) ORDER BY id, seq',
);
const SEQUENCE = sql(
  "copy.sqlite.sequence",
  "SELECT CAST(seq AS TEXT) FROM sqlite_sequence WHERE name = ?",
);
const SET_SEQUENCE = sql(
  "copy.sqlite.setSequence",
  "UPDATE sqlite_sequence SET seq = ? WHERE name = ?",
  true,
);
const ADD_SEQUENCE = sql(
  "copy.sqlite.addSequence",
  "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
  true,
);

/** What the SQLite copy target needs of its connection. */
export interface SqliteCopySource {
  /** The file path, or `:memory:`. */
  readonly path: string;
  /** Its top-level executor. */
  readonly root: Queryable;
  /** Whether its engine binds a number with no fractional part as an INTEGER. */
  readonly integralAsInteger: boolean;
}

/**
 * The copy capability of one SQLite connection.
 *
 * @param connection The connection.
 * @returns Its copy target.
 */
export function sqliteCopyTarget(connection: SqliteCopySource): CopyTarget {
  const memory = `sqlite memory ${crypto.randomUUID()}`;
  return {
    keepIds: "",
    async identity() {
      if (connection.path === ":memory:") return memory;
      const { dev, ino } = await runtime.stat(connection.path);
      if (ino !== null) return `sqlite file ${dev}:${ino}`;
      return `sqlite file ${await runtime.realPath(connection.path)}`;
    },
    async tables() {
      const tables: CopyTable[] = [];
      for (
        const [name, text, strict] of await connection.root.all(TABLES, [])
      ) {
        tables.push(
          await describe(connection.root, {
            name: String(name),
            text: String(text),
            strict: Number(strict) === 1,
          }),
        );
      }
      return tables;
    },
    async misfits(table, columns) {
      const checked = columns.filter((c) => STORED[table.types[c]!.kind]);
      if (checked.length === 0) return {};
      const row = await connection.root.get(misfitsOf(table, checked), []);
      return Object.fromEntries(
        checked.map((c, i) => [c, Number(row?.[i] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
    },
    exact,
    parameter: () => "?",
    refuses(value, type) {
      if (typeof value !== "number") return undefined;
      if (Number.isNaN(value)) return "NaN, which SQLite stores as NULL";
      // Only a column of BLOB affinity keeps a real as it is; the others turn −0 into 0.
      const keeps = type.kind === "any" || type.kind === "blob";
      if (Object.is(value, -0) && !keeps) {
        return "-0, which SQLite stores as 0 in this column";
      }
      if (
        keeps && connection.integralAsInteger && Number.isSafeInteger(value)
      ) {
        return "a real with no fractional part, which this database's engine (FFI) writes as " +
          "an integer into this column: copy into it with the built-in engine";
      }
      return undefined;
    },
    async highWater(table) {
      const row = await connection.root.get(SEQUENCE, [table.name]);
      return BigInt(String(row?.[0] ?? 0));
    },
    async continueIds(tx, table, highWater) {
      if (await tx.run(SET_SEQUENCE, [highWater, table.name]) === 0) {
        await tx.run(ADD_SEQUENCE, [table.name, highWater]);
      }
    },
  };
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Text from its bytes, or what says they are not UTF-8. */
function text(bytes: unknown): unknown {
  if (bytes == null) return null;
  try {
    return utf8.decode(bytes as Uint8Array);
  } catch {
    return new CopyInvalidText(bytes as Uint8Array);
  }
}

const integer = (digits: unknown) =>
  digits == null ? null : BigInt(digits as string);

/**
 * Reads a column by its storage class: an integer as its decimal text (the engines read one
 * beyond 2^53 as a rounded number or not at all), text as its bytes (the built-in engine cuts
 * text at a NUL, and both turn bytes that are not UTF-8 into U+FFFD), anything else as it is.
 * A column of a `STRICT` table holds values of its kind only (or NULL), so its kind says how;
 * any other column is read with the storage class of each value.
 */
function exact(column: string, type: CopyType): CopyColumn {
  if (!type.loose && type.kind === "integer") {
    return {
      select: [`CAST(${column} AS TEXT)`],
      decode: (c, at) => integer(c[at]),
    };
  }
  if (!type.loose && type.kind === "text") {
    return {
      select: [`CAST(${column} AS BLOB)`],
      decode: (c, at) => text(c[at]),
    };
  }
  if (!type.loose) {
    return {
      select: [column],
      decode: (c, at) => c[at] ?? null,
    };
  }
  return {
    select: [
      `typeof(${column})`,
      `CASE typeof(${column}) WHEN 'integer' THEN CAST(${column} AS TEXT) ` +
      `WHEN 'text' THEN CAST(${column} AS BLOB) ELSE ${column} END`,
    ],
    decode(cells, at) {
      const value = cells[at + 1];
      switch (cells[at]) {
        case "integer":
          return integer(value);
        case "text":
          return text(value);
        default:
          return value ?? null;
      }
    },
  };
}

/** The storage classes (`typeof`) a value of each kind may have; other kinds take any. */
const STORED: Readonly<Record<string, string>> = {
  integer: "'integer'",
  real: "'real', 'integer'",
  text: "'text'",
  blob: "'blob'",
};

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const misfitStatements = new Map<string, Sql>();

/** Counts, per column, the values whose storage class is not of the column's kind. */
function misfitsOf(table: CopyTable, columns: readonly string[]): Sql {
  const text = `SELECT ${
    columns.map((c) =>
      `coalesce(sum(typeof(${quote(c)}) NOT IN ('null', ${
        STORED[table.types[c]!.kind]
      })), 0)`
    ).join(", ")
  } FROM ${quote(table.name)}`;
  let statement = misfitStatements.get(text);
  if (!statement) {
    statement = sql(`copy.sqlite.misfits.${table.name}`, text);
    misfitStatements.set(text, statement);
  }
  return statement;
}

/**
 * A column's type: its kind by SQLite's affinity rules (§3.1 of "Datatypes In SQLite": `INT`
 * in the declared type makes an integer, then `CHAR`, `CLOB` or `TEXT` a text, `BLOB` a blob,
 * `REAL`, `FLOA` or `DOUB` a real, no type at all `any`, anything else numeric affinity, which
 * `BOOLEAN`, `DATETIME` and `JSON` columns have). A column of a table that is not `STRICT`, or
 * of type `ANY`, takes values of any kind.
 */
function typeOf(
  declared: string,
  { strict, notNull }: { strict: boolean; notNull: boolean },
): CopyType {
  const t = declared.toUpperCase();
  const kind = t.includes("INT")
    ? "integer"
    : /CHAR|CLOB|TEXT/.test(t)
    ? "text"
    : t.includes("BLOB")
    ? "blob"
    : /REAL|FLOA|DOUB/.test(t)
    ? "real"
    : t === "" || (strict && t === "ANY")
    ? "any"
    : "numeric affinity";
  return { declared, kind, notNull, loose: !strict || kind === "any" };
}

/** Describes one table from its pragmas, its `CREATE TABLE` text and whether it is `STRICT`. */
async function describe(
  root: Queryable,
  { name, text, strict }: { name: string; text: string; strict: boolean },
): Promise<CopyTable> {
  const columns = await root.all(COLUMNS, [name]);
  const key = columns.filter((c) => Number(c[2]) > 0)
    .sort((a, b) => Number(a[2]) - Number(b[2])).map((c) => String(c[0]));
  const references = new Map<number, CopyReference & { columns: string[] }>();
  for (const [id, parent, column] of await root.all(REFERENCES, [name])) {
    const reference = references.get(Number(id)) ??
      { columns: [], table: String(parent) };
    reference.columns.push(String(column));
    references.set(Number(id), reference);
  }
  // Only an INTEGER PRIMARY KEY declared AUTOINCREMENT keeps a high-water mark of its own.
  const rowid = key.length === 1 &&
    columns.some((c) => c[0] === key[0] && /^integer$/i.test(String(c[1])));
  const stored = columns.filter((c) => Number(c[3]) === 0);
  return {
    name,
    columns: stored.map((c) => String(c[0])),
    types: Object.fromEntries(
      stored.map((c) => [
        String(c[0]),
        typeOf(String(c[1] ?? ""), { strict, notNull: Number(c[4]) === 1 }),
      ]),
    ),
    key,
    ...(rowid && /\bAUTOINCREMENT\b/i.test(text)
      ? { generatedId: key[0] }
      : {}),
    references: [...references.values()],
  };
}
