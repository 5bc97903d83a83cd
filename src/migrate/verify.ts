/**
 * `migrate verify`: every down script checked on a scratch copy of the database, rows
 * included, and the report of what the check could not prove.
 *
 * @module
 */
import { StorageError } from "../errors.ts";
import type { Migration } from "./migration.ts";
import type { MigrationTarget } from "./target.ts";
import type { TrialReport } from "./trial.ts";

/** A column whose data no trial of `verify` could compare, and the migrations it was tried at. */
export interface UnprovenColumn {
  /** The table. */
  table: string;
  /** The column. */
  column: string;
  /** The versions whose down and up steps were tried while the column held no data. */
  versions: number[];
}

/** The outcome of `Migrator.verify()`. */
export interface VerifyReport {
  /**
   * Whether every down script restored the schema its up script started from, and every down
   * step followed by its up step gave back every row and column of the copy.
   */
  ok: boolean;
  /** How many migrations passed up → down → up. */
  migrations: number;
  /** What went wrong, naming the version; empty when `ok`. */
  problems: string[];
  /**
   * The columns that held no data (every value NULL, or no rows) when down and up steps were
   * tried: a loss of their data would not have shown.
   */
  empty: UnprovenColumn[];
  /** The versions whose down and up steps run without a transaction, so were not tried on rows. */
  untried: number[];
}

/** Called with each migration tried, and the trial (`null`: it could not be tried). */
export type TrialSeen = (
  migration: Migration,
  trial: TrialReport | null,
) => void;

/** What verification does on the scratch copy, through its runner. */
export interface ScratchSteps {
  /** Reverts every migration, trying each step on the rows. */
  descend(seen: TrialSeen): Promise<void>;
  /** Applies migrations up to `version`. */
  up(version: number): Promise<void>;
  /** Tries the newest migration's down and up steps on the rows, changing nothing. */
  rehearse(seen: TrialSeen): Promise<void>;
  /** Reverts the newest migration without trying it. */
  revert(): Promise<void>;
}

/**
 * Verifies a set on a scratch copy: reverts it to version 0, trying each step on the rows;
 * then for each migration in turn applies it, tries its down and up steps on the rows again,
 * reverts it, compares the schema with the one before it was applied, and applies it again.
 *
 * @param scratch The copy.
 * @param migrations The set.
 * @param steps The copy's runner.
 * @returns The report; the first problem ends the check.
 * @throws {StorageError} Any failure but a `migration` one, which the report holds.
 */
export async function verifyCopy(
  scratch: MigrationTarget,
  migrations: readonly Migration[],
  steps: ScratchSteps,
): Promise<VerifyReport> {
  const report: VerifyReport = {
    ok: false,
    migrations: 0,
    problems: [],
    empty: [],
    untried: [],
  };
  const seen: TrialSeen = (migration, trial) =>
    noteTrial(report, migration, trial);
  try {
    await steps.descend(seen);
    for (const migration of migrations) {
      const before = await scratch.schema();
      await steps.up(migration.version);
      await steps.rehearse(seen);
      await steps.revert();
      const diff = difference(before, await scratch.schema());
      if (diff) {
        report.problems.push(
          `Migration ${migration.version} (${migration.name}): its down script does not restore the schema: ${diff}`,
        );
        break;
      }
      await steps.up(migration.version);
      report.migrations++;
    }
  } catch (error) {
    if (!(error instanceof StorageError && error.kind === "migration")) {
      throw error;
    }
    report.problems.push(error.message);
  }
  report.ok = report.problems.length === 0;
  return report;
}

/**
 * Adds what one trial could not prove to the report: the columns that held no data (but for
 * the tables of data set aside by down scripts, which come and go with the versions).
 */
function noteTrial(
  report: VerifyReport,
  migration: Migration,
  trial: TrialReport | null,
): void {
  const version = migration.version;
  if (trial === null) {
    if (!report.untried.includes(version)) report.untried.push(version);
    return;
  }
  for (const { table, column } of trial.empty) {
    if (table.startsWith("impulse_aside_")) continue;
    let entry = report.empty.find((e) =>
      e.table === table && e.column === column
    );
    if (!entry) report.empty.push(entry = { table, column, versions: [] });
    if (!entry.versions.includes(version)) entry.versions.push(version);
  }
}

function difference(expected: string[], actual: string[]): string {
  const missing = expected.filter((line) => !actual.includes(line));
  const extra = actual.filter((line) => !expected.includes(line));
  const parts = [
    ...missing.map((line) => `missing ${line}`),
    ...extra.map((line) => `unexpected ${line}`),
  ];
  return parts.join("; ");
}
