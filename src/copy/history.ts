/**
 * The migration history in a copy: the package's own set comes along, each checksum taken from
 * the target's own script; sets of the caller's own are only compared.
 *
 * @module
 */
import { manifest } from "../../migrations/mod.ts";
import { type Connection, sql } from "../driver.ts";
import { StorageError } from "../errors.ts";
import { TRACKING_TABLE } from "../migrate/applied.ts";
import { OWN_SET } from "../migrate/migrator.ts";
import { digest, report, type TableReport } from "./tables.ts";

const HISTORY = sql(
  "copy.history",
  "SELECT version, name, applied_at, duration_ms, status FROM impulse_migrations " +
    "WHERE migration_set = ? ORDER BY version",
);
const OTHER_SETS = sql(
  "copy.otherSets",
  "SELECT DISTINCT migration_set FROM impulse_migrations WHERE migration_set <> ? ORDER BY 1",
);
const CLEAR_HISTORY = sql(
  "copy.clearHistory",
  "DELETE FROM impulse_migrations WHERE migration_set = ?",
  true,
);
const INSERT_HISTORY = sql(
  "copy.insertHistory",
  "INSERT INTO impulse_migrations (migration_set, version, name, checksum, applied_at, " +
    "duration_ms, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
  true,
);

/** Copies the package's migration history, each checksum taken from the target's own script. */
export async function copyHistory(
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
  return report(TRACKING_TABLE, digest(a), digest(b));
}

/**
 * Migration sets of the caller's own whose history the target does not have as the source
 * does: their tables are copied like the package's, their history is not (their scripts are
 * not known here).
 */
export async function otherSets(
  source: Connection,
  target: Connection,
): Promise<string[]> {
  const sets = await source.root.all(OTHER_SETS, [OWN_SET]);
  const skipped: string[] = [];
  for (const [set] of sets) {
    const a = await source.root.all(HISTORY, [set]);
    const b = await target.root.all(HISTORY, [set]);
    const versions = (rows: unknown[][]) =>
      JSON.stringify(rows.map(([v, name]) => [Number(v), name]));
    if (versions(a) !== versions(b)) skipped.push(String(set));
  }
  return skipped;
}
