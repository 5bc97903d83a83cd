/**
 * Reads the tracking rows of one migration set, refusing a corrupt row as `migration` (naming
 * the tracking table, the set and the column), never as `internal`. Internal.
 *
 * @module
 */
import type { NamedRow } from "../driver.ts";
import { StorageError } from "../errors.ts";
import type { AppliedMigration } from "./plan.ts";
import type { MigrationQuery } from "./target.ts";

/** The table that tracks applied migrations. */
export const TRACKING_TABLE = "impulse_migrations";

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
