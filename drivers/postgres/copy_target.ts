/**
 * Copying from and into PostgreSQL. The database is named by facts every role may read, the
 * same whatever host name, port spelling, user or parameters the URL gave: the postmaster's start
 * time (to the microsecond) and port, the database's oid and the schema the copy works in
 * (`pg_control_system()`'s system identifier is left out: it can be revoked from one role and
 * not another, which would make one database look like two). Tables, columns (generated ones
 * such as the search `tsvector` left out), primary keys and foreign keys come from the catalogs
 * of the current schema. Rows keep their ids through `OVERRIDING SYSTEM VALUE` (the ids are
 * `generated always as identity`); an identity's high-water mark is its sequence's last value.
 *
 * @module
 */
import {
  type CopyColumn,
  type CopyReference,
  type CopyTable,
  type CopyTarget,
  type CopyType,
  type Queryable,
  type Sql,
  sql,
  StorageError,
} from "../../driver.ts";
import { quoteIdent } from "./migration_target.ts";

const IDENTITY = sql(
  "copy.pg.identity",
  "SELECT (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::bigint::text, " +
    "current_setting('port'), " +
    "(SELECT oid FROM pg_database WHERE datname = current_database())::text, current_schema()",
);
const COLUMNS = sql(
  "copy.pg.columns",
  `SELECT c.relname, a.attname, a.attgenerated <> '',
     pg_get_serial_sequence(quote_ident(c.relname), a.attname),
     coalesce(array_position(string_to_array(i.indkey::text, ' ')::int2[], a.attnum), 0),
     format_type(a.atttypid, a.atttypmod), b.typname,
     CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END,
     format_type(b.oid, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END),
     a.attnotnull OR (t.typtype = 'd' AND t.typnotnull)
   FROM pg_class c
   JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
   JOIN pg_type t ON t.oid = a.atttypid
   JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
   LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
   WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
     AND NOT c.relispartition
   ORDER BY c.relname, a.attnum`,
);
const REFERENCES = sql(
  "copy.pg.references",
  `SELECT c.relname, k.oid::text, f.relname, a.attname
   FROM pg_constraint k
   JOIN pg_class c ON c.oid = k.conrelid
   JOIN pg_class f ON f.oid = k.confrelid
   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
   WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace
   ORDER BY c.relname, k.oid, array_position(k.conkey, a.attnum)`,
);
const SEQUENCE = sql(
  "copy.pg.sequence",
  "SELECT pg_get_serial_sequence(?, ?)",
);
const CONTINUE = sql(
  "copy.pg.continueIds",
  "SELECT setval(pg_get_serial_sequence(?, ?), ?, ?)",
  true,
);

/** Reading a sequence's last value, by sequence (its name is part of the text). */
const lastValues = new Map<string, Sql>();

/**
 * The copy capability of one PostgreSQL connection.
 *
 * @param root The connection's top-level executor.
 * @returns Its copy target.
 */
export function postgresCopyTarget(root: Queryable): CopyTarget {
  return {
    keepIds: "OVERRIDING SYSTEM VALUE",
    async identity() {
      const row = await root.get(IDENTITY, []);
      return `postgres ${row!.map(String).join(" ")}`;
    },
    async tables() {
      const tables = new Map<string, Building>();
      for (
        const [name, column, computed, sequence, key, ...type] of await root
          .all(COLUMNS, [])
      ) {
        const table = building(tables, String(name));
        if (!computed) {
          table.columns.push(String(column));
          table.types[String(column)] = typeOf(type);
        }
        if (Number(key) > 0) table.keyAt.push([Number(key), String(column)]);
        if (sequence !== null) table.generatedId ??= String(column);
      }
      await addReferences(root, tables);
      return [...tables.values()].map(finish);
    },
    misfits() {
      return Promise.resolve({}); // PostgreSQL keeps only values of a column's type
    },
    exact,
    parameter(type) {
      return SHARED.has(type.kind)
        ? "?"
        : `CAST(CAST(? AS text) AS ${type.declared})`;
    },
    refuses(value, type) {
      if (typeof value === "string" && value.includes("\0")) {
        return "text with a NUL character, which PostgreSQL cannot store";
      }
      return type.single && typeof value === "number" &&
          !Number.isNaN(value) && Math.fround(value) !== value
        ? `a real that this column's ${type.declared} (single precision) would round`
        : undefined;
    },
    async highWater(table) {
      const [sequence] = await root.get(SEQUENCE, [
        quoteIdent(table.name),
        table.generatedId,
      ]) ?? [];
      if (typeof sequence !== "string") {
        throw new StorageError(
          "internal",
          `Cannot read the high-water mark of ${table.name}: it has no identity sequence`,
        );
      }
      let statement = lastValues.get(sequence);
      if (!statement) {
        statement = sql(
          `copy.pg.lastValue.${sequence}`,
          `SELECT (CASE WHEN is_called THEN last_value ELSE last_value - 1 END)::text FROM ${sequence}`,
        );
        lastValues.set(sequence, statement);
      }
      return BigInt(String((await root.get(statement, []))?.[0] ?? 0));
    },
    async continueIds(tx, table, highWater) {
      const params = [
        quoteIdent(table.name),
        table.generatedId,
        highWater > 1n ? highWater : 1n,
        highWater > 0n,
      ];
      await tx.all(CONTINUE, params);
    },
  };
}

/** The kinds postgres.js reads exactly (integers once read as text); others are read as text. */
const SHARED = new Set(["integer", "real", "text", "blob", "boolean"]);

/**
 * Reads integers as their decimal text (the driver reads int8 as a number, exact only up to
 * 2^53); a single precision real as the double it equals (its shortest text is another
 * number); reals, text, bytes and booleans as the driver reads them (PostgreSQL keeps only valid
 * text, without NUL); every other kind as its text, which the target takes back through a cast
 * (see `parameter`): postgres.js would read timestamps and dates as a `Date` (to the millisecond,
 * and not at all beyond its range or at ±infinity), and parse json (losing duplicate keys and
 * spacing) and jsonb (rounding numbers beyond a double). A `timestamptz` is spelled in UTC, so
 * two sessions in other time zones read an instant alike.
 */
function exact(column: string, type: CopyType): CopyColumn {
  if (type.kind === "integer") {
    return {
      select: [`${column}::text`],
      decode: (cells, at) =>
        cells[at] == null ? null : BigInt(cells[at] as string),
    };
  }
  if (SHARED.has(type.kind)) {
    // A real (float4) as the double it is: its shortest text is another number.
    const select = type.single ? `${column}::float8` : column;
    return { select: [select], decode: (cells, at) => cells[at] ?? null };
  }
  return {
    select: [textOf(column, type.kind)],
    decode: (cells, at) => cells[at] ?? null,
  };
}

/** A time to the microsecond, with its era: `2024-01-02 04:05:06.123456 AD`. */
const TIME = "'YYYY-MM-DD HH24:MI:SS.US BC'";

/**
 * A column's text. Timestamps and dates are spelled whatever the session's `DateStyle` (year
 * first, which every `DateStyle` reads back alike) and a `timestamptz` in UTC whatever its
 * `TimeZone`, so two sessions set otherwise read a value alike; ±infinity as it is.
 */
function textOf(column: string, kind: string): string {
  const finite = (text: string) =>
    `CASE WHEN isfinite(${column}) THEN ${text} ELSE ${column}::text END`;
  if (/^timestamp\b.* with time zone$/.test(kind)) {
    return finite(
      `to_char(${column} AT TIME ZONE 'UTC', ${TIME}) || ' +00'`,
    );
  }
  if (/^timestamp\b[^[]*$/.test(kind)) {
    return finite(`to_char(${column}, ${TIME})`);
  }
  if (kind === "date") {
    // Not to_char: it reads a date as a timestamp, whose range is narrower. Nor lpad alone: it
    // cuts what is longer than its width (a year of 5874897).
    const part = (field: string, width: number) => {
      const digits = `abs(extract(${field} FROM ${column}))::text`;
      return `lpad(${digits}, greatest(${width}, length(${digits})), '0')`;
    };
    return finite(
      `${part("year", 4)} || '-' || ${part("month", 2)} || '-' || ${
        part("day", 2)
      } || CASE WHEN extract(year FROM ${column}) < 0 THEN ' BC' ELSE '' END`,
    );
  }
  return `${column}::text`;
}

/**
 * The kinds of the base types both dialects share (see {@linkcode CopyType.kind}); any other
 * type is a kind of its own, named with its modifiers (`numeric(10,2)`, `timestamp(3) with time
 * zone`, `jsonb`, `integer[]`), as its text is carried only into a column of that very type.
 */
const KINDS: Readonly<Record<string, string>> = {
  int2: "integer",
  int4: "integer",
  int8: "integer",
  float4: "real",
  float8: "real",
  text: "text",
  varchar: "text",
  bpchar: "text",
  name: "text",
  citext: "text",
  bytea: "blob",
  bool: "boolean",
};

/** Integers up to these, by base type. */
const MAX_INTEGER: Readonly<Record<string, number>> = {
  int2: 32_767,
  int4: 2_147_483_647,
};

/**
 * A column's type, from its declared name, its base type (a domain's type underneath), the base
 * type's modifier (`varchar(n)` and `char(n)` hold n + 4), the base type with its modifier as
 * PostgreSQL spells it, and whether it refuses NULL.
 */
function typeOf(
  [declared, base, modifier, baseType, notNull]: unknown[],
): CopyType {
  const name = String(base);
  const length = (name === "varchar" || name === "bpchar") &&
      Number(modifier) > 4
    ? { maxLength: Number(modifier) - 4 }
    : {};
  const range = name in MAX_INTEGER ? { maxInteger: MAX_INTEGER[name]! } : {};
  const single = name === "float4" ? { single: true } : {};
  return {
    declared: String(declared),
    kind: KINDS[name] ?? String(baseType),
    ...length,
    ...range,
    ...single,
    notNull: notNull === true,
    loose: false,
  };
}

interface Building {
  name: string;
  columns: string[];
  types: Record<string, CopyType>;
  keyAt: [number, string][];
  generatedId?: string;
  references: CopyReference[];
}

/** Adds each table's foreign keys, one reference per constraint. */
async function addReferences(
  root: Queryable,
  tables: Map<string, Building>,
): Promise<void> {
  const references = new Map<string, { columns: string[]; table: string }>();
  for (const [name, id, parent, column] of await root.all(REFERENCES, [])) {
    let reference = references.get(String(id));
    if (!reference) {
      reference = { columns: [], table: String(parent) };
      references.set(String(id), reference);
      building(tables, String(name)).references.push(reference);
    }
    reference.columns.push(String(column));
  }
}

function building(tables: Map<string, Building>, name: string): Building {
  let table = tables.get(name);
  if (!table) {
    table = { name, columns: [], types: {}, keyAt: [], references: [] };
    tables.set(name, table);
  }
  return table;
}

function finish(table: Building): CopyTable {
  return {
    name: table.name,
    columns: table.columns,
    types: table.types,
    key: table.keyAt.sort((a, b) => a[0] - b[0]).map(([, column]) => column),
    ...(table.generatedId === undefined
      ? {}
      : { generatedId: table.generatedId }),
    references: table.references,
  };
}
