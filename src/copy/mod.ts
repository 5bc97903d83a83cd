/**
 * Moving a board from one database to another (SQLite to PostgreSQL, or back): every row of
 * every table both databases have, with its id, in batches inside transactions, the id
 * generators' high-water marks, the package's migration history, and a closing comparison of
 * row counts and checksums per table over every column.
 *
 * What is copied comes from the two databases' own schemas (see `plan.ts`), and the guard
 * against copying a database onto itself compares what the URLs point at, not their text.
 * Driver-agnostic: what differs between databases comes from each driver's
 * {@linkcode CopyTarget}.
 *
 * @module
 */
import { manifest } from "../../migrations/mod.ts";
import { assertDriversDistinct, connect, driverList } from "../connect.ts";
import type { AnyDriver } from "../storage.ts";
import type { Connection, CopyTarget } from "../driver.ts";
import { StorageError } from "../errors.ts";
import { redactUrl } from "../redact.ts";
import { Migrator } from "../migrate/migrator.ts";
import * as V from "../validate.ts";
import { planCopy, type Side } from "./plan.ts";
import { unwritable } from "./types.ts";
import { copyHistory, otherSets } from "./history.ts";
import {
  checksum,
  clearOf,
  countOf,
  insertOf,
  keyValues,
  laterOf,
  maxOf,
  pages,
  report,
  type Table,
  type TableReport,
} from "./tables.ts";

export type { TableReport } from "./tables.ts";

/** Options of {@linkcode copyDatabase}. */
export interface CopyOptions {
  /** Replace the rows of a target that already holds data. */
  force?: boolean;
  /** Rows per batch (one transaction each): 1–2000, defaults to 500. */
  batchSize?: number;
  /** Called after each batch. */
  onProgress?: (table: string, copied: number, total: number) => void;
  /**
   * Drivers of your own, consulted by URL scheme (for both URLs) before the built-in ones, as
   * `openStorage`'s `drivers` (each with its options' defaults). A driver without a copy
   * target cannot take part: `copy` refuses it.
   */
  drivers?: readonly AnyDriver[];
}

/** The outcome of {@linkcode copyDatabase}. */
export interface CopyReport {
  /** Whether every table arrived identical. */
  ok: boolean;
  /** One comparison per table, the migration history last. */
  tables: TableReport[];
  /**
   * Migration sets of the caller's own whose history the target does not have as the source
   * does: their tables were copied like the package's, their history was not (run their
   * migrations on the target).
   */
  skippedSets: string[];
}

/**
 * Copies every row of every table from one database to another, keeping ids.
 *
 * The source must be at the newest schema; the target is migrated to it first. Both must then
 * have the same tables and columns (those of the package, and any of your own): the copy carries
 * every column that holds data, and refuses, before writing a row, a column or a table holding
 * rows that only one of them has. A target that already holds rows is refused unless `force`
 * is set, which deletes them first. The target's ids continue after the highest the source ever
 * handed out. Stop the board while copying: the closing comparison fails if the source changed
 * meanwhile.
 *
 * @param from The source URL.
 * @param to The target URL.
 * @param options Force, batch size and progress.
 * @returns The per-table comparison.
 * @throws {StorageError} `validation` for a bad URL or option, or two URLs that point at the
 * same database (however spelled: checked as soon as both are open, before a row is read or
 * anything is written, `force` or not);
 * `conflict` when the target holds data and `force` is not set; `migration` when the source is
 * not at the newest schema, either lacks a table or column of the package's own, the two
 * schemas differ (naming each table and column, and both
 * types of a column whose kinds differ) or the source holds values the target's columns cannot
 * take (too long, out of range, NULL, of another kind) or would store as something else (text
 * that is not UTF-8, text with a NUL into PostgreSQL, NaN or −0 into SQLite: named by table,
 * column and row key, never by value), all before a row is written. Every other value is carried
 * exactly (integers of any size as `bigint`s), and the closing checksums hash each with its type. A batch the
 * target still refuses fails naming the table, the column and row at fault where one is, and
 * how much of the table the target holds already.
 */
export async function copyDatabase(
  from: string,
  to: string,
  options: CopyOptions = {},
): Promise<CopyReport> {
  const batch = options.batchSize ?? 500;
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > 2000) {
    throw new StorageError(
      "validation",
      `Invalid copy option: batchSize must be an integer from 1 to 2000: got ${batch}`,
      { field: "batchSize" },
    );
  }
  const open = V.parse(V.openOptions, { migrate: "off" }, "options", "copy");
  const drivers = V.parse(driverList, options.drivers, "drivers", "copy") ??
    [];
  assertDriversDistinct(drivers, "copy");
  // The source is only read: never created, opened read-only (SQLite), never written. (No
  // `await using` in library code: Node 22 cannot parse it.)
  const source = await connect(from, { ...open, readOnly: true }, { drivers });
  try {
    const target = await connect(to, open, { drivers });
    try {
      return await copyBetween(source, target, { from, to, batch, options });
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/** The copy once both databases are open. */
async function copyBetween(
  source: Connection,
  target: Connection,
  { from, to, batch, options }: {
    from: string;
    to: string;
    batch: number;
    options: CopyOptions;
  },
): Promise<CopyReport> {
  const reader = side(source, from);
  const writer = side(target, to);
  await assertDistinct(reader.port, writer.port, from, to);
  await assertCurrent(source, from);
  await new Migrator(target.migrationTarget(), manifest[target.dialect] ?? [])
    .up();
  const tables = await planCopy(reader, writer);
  await prepareTarget(target, tables, options.force ?? false, to);
  for (const table of tables) {
    await copyTable(reader, writer, table, batch, options.onProgress);
  }
  const history = await copyHistory(source, target);
  const reports: TableReport[] = [];
  for (const table of tables) {
    reports.push(await compare(reader, writer, table));
  }
  reports.push(history);
  return {
    ok: reports.every((t) => t.ok),
    tables: reports,
    skippedSets: await otherSets(source, target),
  };
}

function side(connection: Connection, url: string): Side {
  const port = connection.copyTarget?.();
  if (!port) {
    throw new StorageError(
      "validation",
      `Cannot copy with ${redactUrl(url)}: its driver does not support copying`,
    );
  }
  return { connection, port };
}

/** Refuses two URLs that point at one database, before a row is read or anything written. */
async function assertDistinct(
  a: CopyTarget,
  b: CopyTarget,
  from: string,
  to: string,
): Promise<void> {
  if (await a.identity() !== await b.identity()) return;
  throw new StorageError(
    "validation",
    `Cannot copy a database onto itself: ${redactUrl(from)} (from) and ${
      redactUrl(to)
    } (to) point at the same database: copy into another database`,
    { field: "to" },
  );
}

async function assertCurrent(source: Connection, url: string): Promise<void> {
  const migrator = new Migrator(
    source.migrationTarget(),
    manifest[source.dialect] ?? [],
  );
  const behind = (await migrator.status()).filter((line) =>
    line.state !== "applied"
  );
  if (behind.length > 0) {
    throw new StorageError(
      "migration",
      `Cannot copy from ${redactUrl(url)} as its schema is not current: ${
        behind[0]!.version
      } ` +
        `(${behind[0]!.name}) is ${
          behind[0]!.state
        }: run \`deno task migrate --db <source>\` first`,
      { version: behind[0]!.version },
    );
  }
}

async function prepareTarget(
  target: Connection,
  tables: readonly Table[],
  force: boolean,
  url: string,
): Promise<void> {
  const held: string[] = [];
  for (const table of tables) {
    const n = Number(
      (await target.root.get(countOf(table.name), []))?.[0] ?? 0,
    );
    if (n > 0) held.push(`${table.name} ${n}`);
  }
  if (held.length === 0) return;
  if (!force) {
    throw new StorageError(
      "conflict",
      `Refusing to copy into ${redactUrl(url)} as it already holds data: ${
        held.join(", ")
      } rows: ` +
        `pass --force to replace it`,
    );
  }
  await target.transaction(async (tx) => {
    for (const table of [...tables].reverse()) {
      await tx.run(clearOf(table.name), []);
    }
  });
}

/** Parameters one INSERT may carry: under SQLite's and PostgreSQL's limits. */
const MAX_PARAMETERS = 30_000;

async function copyTable(
  source: Side,
  target: Side,
  table: Table,
  batch: number,
  onProgress: CopyOptions["onProgress"],
): Promise<void> {
  const total = Number(
    (await source.connection.root.get(countOf(table.name), []))?.[0] ?? 0,
  );
  const later = table.later.map((column) => table.columns.indexOf(column));
  const perInsert = Math.max(
    1,
    Math.floor(MAX_PARAMETERS / table.columns.length),
  );
  let copied = 0;
  onProgress?.(table.name, 0, total);
  for await (const read of pages(source, table, table.source, batch)) {
    const rows = read.map((row) =>
      row.map((value, i) => later.includes(i) ? null : value)
    );
    await target.connection.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += perInsert) {
        const chunk = rows.slice(i, i + perInsert);
        const insert = insertOf(table, chunk.length, target.port);
        await tx.run(insert, chunk.flat());
      }
    }).catch((error) => {
      throw unwritable(table, rows, copied, error);
    });
    copied += rows.length;
    onProgress?.(table.name, copied, Math.max(total, copied));
  }
  for (const column of table.later) {
    await copyLater(source, target, table, column, batch);
  }
  await continueIds(source, target, table);
}

/** Sets a deferred column (see {@linkcode Table.later}) once every row of the table is in. */
async function copyLater(
  source: Side,
  target: Side,
  table: Table,
  column: string,
  batch: number,
): Promise<void> {
  const index = table.columns.indexOf(column);
  const update = laterOf(table, column, target.port);
  for await (const rows of pages(source, table, table.source, batch)) {
    await target.connection.transaction(async (tx) => {
      for (const row of rows) {
        if (row[index] === null) continue;
        await tx.run(update, [row[index], ...keyValues(table, row)]);
      }
    });
  }
}

/**
 * Makes the target's generated ids continue after the highest the source ever handed out: its
 * generator's high-water mark (deleted rows count), or its largest id where it has none.
 */
async function continueIds(
  source: Side,
  target: Side,
  table: Table,
): Promise<void> {
  const column = table.target.generatedId;
  if (column === undefined) return;
  const largest = await source.connection.root.get(
    maxOf(table.name, column),
    [],
  );
  const mark = table.source.generatedId === undefined
    ? 0n
    : await source.port.highWater(table.source);
  const most = BigInt(String(largest?.[0] ?? 0));
  const highWater = most > mark ? most : mark;
  await target.connection.transaction((tx) =>
    target.port.continueIds(tx, table.target, highWater)
  );
}

async function compare(
  source: Side,
  target: Side,
  table: Table,
): Promise<TableReport> {
  return report(
    table.name,
    await checksum(source, table, table.source),
    await checksum(target, table, table.target),
  );
}
