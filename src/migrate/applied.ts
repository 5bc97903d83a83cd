/**
 * The tracking table: its statements, and the status of one migration set as a transaction
 * sees it. Reads refuse a corrupt row as `migration` (naming the tracking table, the set and
 * the column), never as `internal`. Internal.
 *
 * @module
 */
import type { NamedRow } from "../driver.ts";
import { StorageError } from "../errors.ts";
import type { Migration } from "./migration.ts";
import {
  type AppliedMigration,
  assertMigratable,
  type MigrationStatus,
  migrationStatus,
} from "./plan.ts";
import type { MigrationQuery } from "./target.ts";

/** The table that tracks applied migrations. */
export const TRACKING_TABLE = "impulse_migrations";

const TRACKING = `CREATE TABLE IF NOT EXISTS ${TRACKING_TABLE} (
  migration_set TEXT NOT NULL,
  version BIGINT NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'applied',
  PRIMARY KEY (migration_set, version)
)`;
/** Records a migration: set, version, name, checksum, applied_at, duration_ms, status. */
export const INSERT_APPLIED = `INSERT INTO ${TRACKING_TABLE} ` +
  "(migration_set, version, name, checksum, applied_at, duration_ms, status) VALUES (?, ?, ?, ?, ?, ?, ?)";
/** Marks a running migration applied: duration_ms, set, version. */
export const MARK_APPLIED =
  `UPDATE ${TRACKING_TABLE} SET status = 'applied', duration_ms = ? ` +
  "WHERE migration_set = ? AND version = ?";
/** Marks a migration running (a down step without a transaction): set, version. */
export const MARK_RUNNING =
  `UPDATE ${TRACKING_TABLE} SET status = 'running' WHERE migration_set = ? AND version = ?`;
/** Forgets a reverted migration: set, version. */
export const DELETE_APPLIED =
  `DELETE FROM ${TRACKING_TABLE} WHERE migration_set = ? AND version = ?`;

/**
 * The status of a set as `q` sees it, creating nothing: every migration pending when the
 * tracking table is missing.
 *
 * @param q The query handle.
 * @param migrations The set's migrations.
 * @param set The set's name.
 * @returns One line per version.
 */
export async function readStatus(
  q: MigrationQuery,
  migrations: readonly Migration[],
  set: string,
): Promise<MigrationStatus[]> {
  return migrationStatus(
    migrations,
    await q.hasTable(TRACKING_TABLE) ? await readApplied(q, set) : [],
  );
}

/**
 * The status of a set inside a migrating transaction: the tracking table is created when
 * missing (only then: on a current database `up` only reads), and an unsafe state is refused.
 *
 * @param q The transaction's query handle.
 * @param migrations The set's migrations.
 * @param set The set's name.
 * @returns One line per version.
 * @throws {StorageError} `migration` when the state is unsafe.
 */
export async function checkedStatus(
  q: MigrationQuery,
  migrations: readonly Migration[],
  set: string,
): Promise<MigrationStatus[]> {
  if (!await q.hasTable(TRACKING_TABLE)) await q.exec(TRACKING);
  const status = migrationStatus(migrations, await readApplied(q, set));
  assertMigratable(status, set);
  return status;
}

/**
 * The tracking row of a migration, for {@linkcode INSERT_APPLIED}.
 *
 * @param set The set's name.
 * @param migration The migration.
 * @param durationMs How long it took.
 * @param status `applied` or `running`.
 * @returns The statement's parameters.
 */
export function trackingRow(
  set: string,
  migration: Migration,
  durationMs: number,
  status: string,
): unknown[] {
  return [
    set,
    migration.version,
    migration.name,
    migration.checksum,
    Date.now(),
    durationMs,
    status,
  ];
}

// The numbers are read as text, so a value beyond JavaScript's safe integers reaches the
// checks below instead of failing in the driver.
const SELECT_APPLIED =
  "SELECT CAST(version AS TEXT) AS version, name, checksum, " +
  "CAST(applied_at AS TEXT) AS applied_at, CAST(duration_ms AS TEXT) AS duration_ms, status " +
  `FROM ${TRACKING_TABLE} WHERE migration_set = ? ORDER BY ${TRACKING_TABLE}.version`;

/** The largest time a `Date` holds, in milliseconds either side of 1970. */
const MAX_TIME = 8.64e15;

/**
 * The applied (or running) migrations of `set`, by version.
 *
 * @param q The query handle.
 * @param set The set's name.
 * @returns The rows.
 * @throws {StorageError} `migration` when a row holds a version, time or duration that is not
 * a whole number in range: the tracking table is corrupt.
 */
export async function readApplied(
  q: MigrationQuery,
  set: string,
): Promise<AppliedMigration[]> {
  return (await q.all(SELECT_APPLIED, [set])).map((row: NamedRow) => {
    const version = whole(row.version, 1, Number.MAX_SAFE_INTEGER);
    if (version === undefined) throw corrupt(set, "a row", "version");
    const appliedAt = whole(row.applied_at, -MAX_TIME, MAX_TIME);
    if (appliedAt === undefined) {
      throw corrupt(set, `the row of version ${version}`, "applied_at");
    }
    const durationMs = whole(row.duration_ms, 0, Number.MAX_SAFE_INTEGER);
    if (durationMs === undefined) {
      throw corrupt(set, `the row of version ${version}`, "duration_ms");
    }
    return {
      version,
      name: String(row.name),
      checksum: String(row.checksum),
      appliedAt: new Date(appliedAt),
      durationMs,
      status: row.status === "running" ? "running" : "applied",
    };
  });
}

/** The integer `value` spells, when it is one within [min, max]. */
function whole(value: unknown, min: number, max: number): number | undefined {
  if (typeof value !== "string" || !/^-?\d{1,16}$/.test(value)) {
    return undefined;
  }
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

function corrupt(set: string, which: string, column: string): StorageError {
  return new StorageError(
    "migration",
    `The migration tracking table ${TRACKING_TABLE} is corrupt: in set "${set}", ${which} ` +
      `holds a value in column ${column} that is not a whole number in range: repair or delete that row by ` +
      "hand (or restore a backup) before migrating",
  );
}
