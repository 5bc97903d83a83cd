/**
 * Moving a board from one database to another (SQLite to PostgreSQL, or back): every row of the
 * package's tables (see `TABLES`) with its id, in batches inside transactions, the package's
 * migration history, and a closing comparison of row counts and checksums per table.
 *
 * Driver-agnostic: what differs between databases (inserting explicit ids, moving id generators
 * past them) comes from each driver's {@linkcode CopyTarget}.
 *
 * @module
 */
import { manifest } from "../../migrations/mod.ts";
import { connect } from "../connect.ts";
import type { Connection, CopyTarget } from "../driver.ts";
import {
  checksum,
  CLEAR_HISTORY,
  clearOf,
  countOf,
  digest,
  HISTORY,
  INSERT_HISTORY,
  insertOf,
  keyOf,
  laterOf,
  OTHER_SETS,
  pageOf,
  report,
  type Table,
  type TableReport,
  TABLES,
  TRACKING,
} from "./tables.ts";

export type { TableReport } from "./tables.ts";
import { StorageError } from "../errors.ts";
import { redactUrl } from "../redact.ts";
import { Migrator, OWN_SET } from "../migrate/migrator.ts";
import * as V from "../validate.ts";

/** Options of {@linkcode copyDatabase}. */
export interface CopyOptions {
  /** Replace the rows of a target that already holds data. */
  force?: boolean;
  /** Rows per batch (one transaction each): 1–2000, defaults to 500. */
  batchSize?: number;
  /** Called after each batch. */
  onProgress?: (table: string, copied: number, total: number) => void;
}

/** The outcome of {@linkcode copyDatabase}. */
export interface CopyReport {
  /** Whether every table arrived identical. */
  ok: boolean;
  /** One comparison per table, the migration history last. */
  tables: TableReport[];
  /** Migration sets of the caller's own that were not copied (their tables are not known). */
  skippedSets: string[];
}

/**
 * Copies every row of the package's tables from one database to another, keeping ids.
 *
 * The source must be at the newest schema; the target is migrated to it first. A target that
 * already holds rows is refused unless `force` is set, which deletes them first. Stop the board
 * while copying: the closing comparison fails if the source changed meanwhile.
 *
 * @param from The source URL.
 * @param to The target URL.
 * @param options Force, batch size and progress.
 * @returns The per-table comparison.
 * @throws {StorageError} `validation` for a bad URL or option; `conflict` when the target holds
 * data and `force` is not set; `migration` when the source is not at the newest schema.
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
  if (from === to) {
    throw new StorageError(
      "validation",
      `Cannot copy a database onto itself: ${redactUrl(from)}`,
      { field: "to" },
    );
  }
  const open = V.parse(V.openOptions, { migrate: "off" }, "options", "copy");
  // The source is only read: never created, opened read-only (SQLite), never written.
  await using source = disposable(
    await connect(from, { ...open, readOnly: true }),
  );
  await using target = disposable(await connect(to, open));
  const writer = target.copyTarget?.();
  if (!writer) {
    throw new StorageError(
      "validation",
      `Cannot copy into ${redactUrl(to)}: its driver does not support copying`,
    );
  }
  await assertCurrent(source, from);
  await new Migrator(target.migrationTarget(), manifest[target.dialect] ?? [])
    .up();
  await prepareTarget(target, options.force ?? false, to);
  for (const table of TABLES) {
    await copyTable(source, target, writer, table, batch, options.onProgress);
  }
  const history = await copyHistory(source, target);
  const tables: TableReport[] = [];
  for (const table of TABLES) tables.push(await compare(source, target, table));
  tables.push(history);
  const skippedSets = (await source.root.all(OTHER_SETS, [OWN_SET])).map((r) =>
    String(r[0])
  );
  return { ok: tables.every((t) => t.ok), tables, skippedSets };
}

function disposable(c: Connection): Connection & AsyncDisposable {
  return Object.assign(c, { [Symbol.asyncDispose]: () => c.close() });
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
  force: boolean,
  url: string,
): Promise<void> {
  const held: string[] = [];
  for (const table of TABLES) {
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
    for (const table of [...TABLES].reverse()) {
      await tx.run(clearOf(table.name), []);
    }
  });
}

async function copyTable(
  source: Connection,
  target: Connection,
  writer: CopyTarget,
  table: Table,
  batch: number,
  onProgress: CopyOptions["onProgress"],
): Promise<void> {
  const total = Number(
    (await source.root.get(countOf(table.name), []))?.[0] ?? 0,
  );
  const key = keyOf(table);
  const later = (table.later ?? []).map((column) =>
    table.columns.indexOf(column)
  );
  let after: unknown[] = key.map(() => 0);
  let copied = 0;
  onProgress?.(table.name, 0, total);
  for (;;) {
    const rows = await source.root.all(pageOf(table), [...after, batch]);
    if (rows.length === 0) break;
    const insert = insertOf(table, rows.length, writer.keepIds);
    const values = rows.flatMap((row) =>
      row.map((value, i) => later.includes(i) ? null : value)
    );
    await target.transaction(async (tx) => await tx.run(insert, values));
    after = key.map((_, i) => rows[rows.length - 1]![i]);
    copied += rows.length;
    onProgress?.(table.name, copied, Math.max(total, copied));
  }
  for (const index of later) {
    await copyLater(source, target, table, index, batch);
  }
  if (key.length !== 1 || key[0] !== "id") return;
  const resets = writer.resetIds(table.name, "id");
  if (resets.length > 0) {
    await target.transaction(async (tx) => {
      for (const reset of resets) await tx.all(reset, []);
    });
  }
}

/** Sets a deferred column (see {@linkcode Table.later}) once every row of the table is in. */
async function copyLater(
  source: Connection,
  target: Connection,
  table: Table,
  index: number,
  batch: number,
): Promise<void> {
  const update = laterOf(table, table.columns[index]!);
  for (let after = 0;;) {
    const rows = await source.root.all(pageOf(table), [after, batch]);
    if (rows.length === 0) break;
    await target.transaction(async (tx) => {
      for (const row of rows) {
        if (row[index] !== null) await tx.run(update, [row[index], row[0]]);
      }
    });
    after = Number(rows[rows.length - 1]![0]);
  }
}

/** Copies the package's migration history, each checksum taken from the target's own script. */
async function copyHistory(
  source: Connection,
  target: Connection,
): Promise<TableReport> {
  const rows = await source.root.all(HISTORY, [OWN_SET]);
  const scripts = new Map(
    (manifest[target.dialect] ?? []).map((m) => [m.version, m]),
  );
  await target.transaction(async (tx) => {
    await tx.run(CLEAR_HISTORY, [OWN_SET]);
    for (const [version, name, appliedAt, durationMs, status] of rows) {
      const script = scripts.get(Number(version));
      if (!script || script.name !== name) {
        throw new StorageError(
          "migration",
          `Cannot copy the migration history: version ${version} (${name}) has no script for ` +
            `${target.dialect}`,
          { version: Number(version) },
        );
      }
      const row = [
        OWN_SET,
        version,
        name,
        script.checksum,
        appliedAt,
        durationMs,
        status,
      ];
      await tx.run(INSERT_HISTORY, row);
    }
  });
  const [a, b] = [
    await source.root.all(HISTORY, [OWN_SET]),
    await target.root.all(HISTORY, [OWN_SET]),
  ];
  return report(TRACKING, digest(a), digest(b));
}

async function compare(
  source: Connection,
  target: Connection,
  table: Table,
): Promise<TableReport> {
  return report(
    table.name,
    await checksum(source, table),
    await checksum(target, table),
  );
}
