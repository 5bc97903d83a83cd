/**
 * Pure planning: compares a migration set with what the tracking table says was applied, and
 * refuses the states that cannot be migrated safely.
 *
 * @module
 */
import { StorageError } from "../errors.ts";
import type { Migration } from "./migration.ts";

/** A row of the tracking table. */
export interface AppliedMigration {
  /** The version. */
  version: number;
  /** The name it had when applied. */
  name: string;
  /** The checksum of the up script that was applied. */
  checksum: string;
  /** When it was applied. */
  appliedAt: Date;
  /** How long applying it took, in milliseconds. */
  durationMs: number;
  /** `running` while a `-- no-transaction` migration runs (or after it was interrupted). */
  status: "applied" | "running";
}

/**
 * The state of one migration:
 * `applied`; `pending`; `changed` (applied, but its up file was edited since);
 * `missing` (applied, but absent from the set); `interrupted` (a `-- no-transaction` migration
 * that did not finish).
 */
export type MigrationState =
  | "applied"
  | "pending"
  | "changed"
  | "missing"
  | "interrupted";

/** One line of a migration status report. */
export interface MigrationStatus {
  /** The version. */
  version: number;
  /** The name. */
  name: string;
  /** The state. */
  state: MigrationState;
  /** When it was applied, if it was. */
  appliedAt: Date | null;
  /** How long it took, if applied. */
  durationMs: number | null;
  /**
   * Whether the applied checksum matches the file, or is an earlier one the file accepts
   * (`null` when not applied or missing).
   */
  checksumOk: boolean | null;
}

/**
 * Lists every migration of the set and of the tracking table with its state, by version.
 *
 * @param source The migration set.
 * @param applied The tracking table's rows for the set.
 * @returns One line per version.
 */
export function migrationStatus(
  source: readonly Migration[],
  applied: readonly AppliedMigration[],
): MigrationStatus[] {
  const done = new Map(applied.map((row) => [row.version, row]));
  const lines: MigrationStatus[] = source.map((m) => {
    const row = done.get(m.version);
    if (!row) {
      return {
        version: m.version,
        name: m.name,
        state: "pending",
        appliedAt: null,
        durationMs: null,
        checksumOk: null,
      };
    }
    // The file's checksum, or an earlier one the file accepts (its `-- accepts checksum` lines).
    const checksumOk = row.checksum === m.checksum ||
      (m.acceptedChecksums ?? []).includes(row.checksum);
    const state = row.status === "running"
      ? "interrupted"
      : checksumOk
      ? "applied"
      : "changed";
    return {
      version: m.version,
      name: m.name,
      state,
      appliedAt: row.appliedAt,
      durationMs: row.durationMs,
      checksumOk,
    };
  });
  const known = new Set(source.map((m) => m.version));
  for (const row of applied) {
    if (known.has(row.version)) continue;
    lines.push({
      version: row.version,
      name: row.name,
      state: "missing",
      appliedAt: row.appliedAt,
      durationMs: row.durationMs,
      checksumOk: null,
    });
  }
  return lines.sort((a, b) => a.version - b.version);
}

/**
 * Throws on the first state that makes migrating unsafe: an edited applied file, an applied
 * version missing from the set, an interrupted migration, or a pending migration older than an
 * applied one.
 *
 * @param status The lines of {@linkcode migrationStatus}.
 * @param setName The set's name, for messages.
 * @throws {StorageError} `migration`, naming the version.
 */
export function assertMigratable(
  status: readonly MigrationStatus[],
  setName: string,
): void {
  const fail = (line: MigrationStatus, message: string): never => {
    throw new StorageError(
      "migration",
      `Migration ${line.version} (${line.name}) of set "${setName}" ${message}`,
      { version: line.version },
    );
  };
  for (const line of status) {
    if (line.state === "changed") {
      fail(
        line,
        "was edited after it was applied: restore the applied file and add a new migration for the change",
      );
    }
    if (line.state === "missing") {
      fail(
        line,
        "is applied to the database but is not in the migration source: use the code that applied it, or revert it with that code first",
      );
    }
    if (line.state === "interrupted") {
      fail(
        line,
        "ran without a transaction and did not finish: check its effect by hand and finish or undo it, then delete its row from impulse_migrations (it is then pending)",
      );
    }
  }
  // Only after the checks above: an applied version missing from the source is the better
  // message than the pending versions below it.
  const newestApplied = status.reduce(
    (max, line) => line.state === "pending" ? max : Math.max(max, line.version),
    0,
  );
  const early = status.find((line) =>
    line.state === "pending" && line.version < newestApplied
  );
  if (early) {
    fail(
      early,
      `is pending but the newer migration ${newestApplied} is already applied: renumber it above ${newestApplied}`,
    );
  }
}
