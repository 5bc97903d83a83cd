/**
 * The steps of a migration run: applying one migration, reverting one, and reverting after a
 * trial of each step on the rows (see `trial.ts`). Each step is one transaction with its
 * tracking row, unless the script runs without a transaction. Internal: `Migrator` runs them
 * under the target's lock.
 *
 * @module
 */
import { StorageError } from "../errors.ts";
import {
  checkedStatus,
  DELETE_APPLIED,
  INSERT_APPLIED,
  MARK_APPLIED,
  MARK_RUNNING,
  readStatus,
  trackingRow,
} from "./applied.ts";
import { isNoTransaction } from "./no_transaction.ts";
import type { Migration, MigrationNote } from "./migration.ts";
import { runCode } from "./notes.ts";
import type { MigrationStatus } from "./plan.ts";
import { refuseLoss, refuseUntried } from "./refusal.ts";
import type { MigrationTarget } from "./target.ts";
import { tryRoundTrip } from "./trial.ts";
import type { TrialSeen } from "./verify.ts";

/** One migration applied or reverted. */
export interface MigrationStep {
  /** The version. */
  version: number;
  /** The name. */
  name: string;
  /** `up` or `down`. */
  direction: "up" | "down";
  /** How long it took, in milliseconds. */
  durationMs: number;
  /** What the migration's code found that needs a person (empty for most migrations). */
  notes: MigrationNote[];
  /**
   * The backup copy of the database file written before a forced down run (SQLite only), on
   * the run's first step.
   */
  backup?: string;
}

/** One migration set on one database: what every step works on. */
export interface SetRun {
  /** The database. */
  readonly target: MigrationTarget;
  /** The set's migrations, sorted by version. */
  readonly migrations: readonly Migration[];
  /** The set's name. */
  readonly set: string;
  /** How long to wait for writers to leave the tables a down step covers. */
  readonly lockTimeoutMs: number;
}

/**
 * The newest applied version in a status report, or 0.
 *
 * @param status The report.
 * @returns The version.
 */
export function newest(status: readonly MigrationStatus[]): number {
  return status.reduce(
    (max, line) => line.state === "pending" ? max : Math.max(max, line.version),
    0,
  );
}

/**
 * Applies one migration, unless another process applied it meanwhile.
 *
 * @param run The set and database.
 * @param migration The migration.
 * @returns The step, or `null` when it was no longer pending.
 */
export async function applyStep(
  run: SetRun,
  migration: Migration,
): Promise<MigrationStep | null> {
  const outside = isNoTransaction(migration.up);
  const started = performance.now();
  let notes: MigrationNote[] = [];
  const claimed = await withVersion(
    migration,
    "up",
    () =>
      run.target.transaction(async (q) => {
        const status = await checkedStatus(q, run.migrations, run.set);
        const line = status.find((l) => l.version === migration.version);
        if (line?.state !== "pending") return false;
        if (outside) {
          await q.run(
            INSERT_APPLIED,
            trackingRow(run.set, migration, 0, "running"),
          );
          return true;
        }
        await runScript(q.exec.bind(q), migration, "up", true);
        notes = await runCode(q, run.set, migration, "up");
        await q.run(
          INSERT_APPLIED,
          trackingRow(run.set, migration, elapsed(started), "applied"),
        );
        return true;
      }),
  );
  if (!claimed) return null;
  if (outside) {
    await runScript(
      (s) => run.target.execScript(s),
      migration,
      "up",
      false,
    );
    await run.target.transaction((q) =>
      q.run(MARK_APPLIED, [elapsed(started), run.set, migration.version])
    );
  }
  return step(migration, "up", started, notes);
}

/**
 * Reverts the newest applied migration above `floor`, untried (a forced run).
 *
 * @param run The set and database.
 * @param floor The version that stays.
 * @returns The step, or `null` when nothing above `floor` is applied.
 */
export async function revertStep(
  run: SetRun,
  floor: number,
): Promise<MigrationStep | null> {
  const started = performance.now();
  let outside = false;
  let target: Migration | undefined;
  let notes: MigrationNote[] = [];
  const reverted = await run.target.transaction(async (q) => {
    const status = await checkedStatus(q, run.migrations, run.set);
    const top = status.findLast((line) => line.state === "applied");
    if (!top || top.version <= floor) return null;
    const migration = run.migrations.find((m) => m.version === top.version)!;
    target = migration;
    outside = isNoTransaction(migration.down);
    if (outside) {
      // Marked running until the script ends, so an interruption is refused, not forgotten.
      await q.run(MARK_RUNNING, [run.set, migration.version]);
      return migration;
    }
    await run.target.excludeWriters(q, run.lockTimeoutMs);
    await runScript(q.exec.bind(q), migration, "down", true);
    notes = await runCode(q, run.set, migration, "down");
    await q.run(DELETE_APPLIED, [run.set, migration.version]);
    return migration;
  }).catch((error) => {
    throw target ? versioned(target, "down", error) : error;
  });
  if (!reverted) return null;
  if (outside) {
    await runScript(
      (s) => run.target.execScript(s),
      reverted,
      "down",
      false,
    );
    await run.target.transaction((q) =>
      q.run(DELETE_APPLIED, [run.set, reverted.version])
    );
  }
  return step(reverted, "down", started, notes);
}

/**
 * Reverts up to `steps` migrations above `floor` in one transaction, trying each first (see
 * `Migrator.down`); with `rehearse`, only tries the newest and changes nothing.
 *
 * @param run The set and database.
 * @param steps How many to revert.
 * @param floor The version that stays.
 * @param seen Told each trial's outcome (verify's report).
 * @param rehearse Only try the newest step.
 * @returns The steps taken.
 * @throws {StorageError} `migration` when a step would lose data or cannot be tried.
 */
export async function downTried(
  run: SetRun,
  steps: number,
  floor: number,
  seen?: TrialSeen,
  rehearse = false,
): Promise<MigrationStep[]> {
  const taken: MigrationStep[] = [];
  let current: Migration | undefined;
  await run.target.transaction(async (q) => {
    const status = await checkedStatus(q, run.migrations, run.set);
    const plan = status.filter((l) =>
      l.state === "applied" && l.version > floor
    )
      .reverse().slice(0, steps);
    // Before the first trial: no row another session commits meanwhile escapes the trial's
    // snapshot or what a down script sets aside, and no trial sees rows come and go.
    if (plan.length > 0) {
      await run.target.excludeWriters(q, run.lockTimeoutMs);
    }
    for (const line of plan) {
      const started = performance.now();
      const migration = run.migrations.find((m) => m.version === line.version)!;
      current = migration;
      if (isNoTransaction(migration.down) || isNoTransaction(migration.up)) {
        if (rehearse) return seen?.(migration, null);
        throw refuseUntried(run.set, migration);
      }
      const trial = await tryRoundTrip(run.target, q, migration, run.set);
      seen?.(migration, trial);
      if (trial.losses.length > 0 || trial.failure !== null) {
        throw refuseLoss(run.set, migration, trial);
      }
      if (rehearse) return;
      await runScript(
        q.exec.bind(q),
        migration,
        "down",
        true,
        plan[0]!.version,
      );
      const notes = await runCode(q, run.set, migration, "down");
      await q.run(DELETE_APPLIED, [run.set, migration.version]);
      taken.push(step(migration, "down", started, notes));
    }
  }).catch((error) => {
    throw current ? versioned(current, "down", error) : error;
  });
  return taken;
}

/**
 * Reverts every migration one step at a time, trying each on the rows; a step that runs
 * without a transaction is reverted untried (and reported so).
 *
 * @param run The set and database.
 * @param seen Told each trial's outcome.
 */
export async function descend(run: SetRun, seen: TrialSeen): Promise<void> {
  for (;;) {
    const status = await run.target.read((q) =>
      readStatus(q, run.migrations, run.set)
    );
    const top = newest(status);
    const migration = run.migrations.find((m) => m.version === top);
    if (!migration) return;
    const untried = isNoTransaction(migration.down) ||
      isNoTransaction(migration.up);
    if (untried) seen(migration, null);
    const taken = untried
      ? await revertStep(run, 0)
      : (await downTried(run, 1, 0, seen))[0];
    if (!taken) return;
  }
}

/**
 * The name a backup copy gets after the database file's name: the set, the version it was at
 * and the time, such as `before-down-impulse-0009-20250101T120000000Z`.
 *
 * @param set The set's name.
 * @param version The version the database is at.
 * @returns The label.
 */
export function backupLabel(set: string, version: number): string {
  const time = new Date().toISOString().replace(/[-:.]/g, "");
  return `before-down-${set}-${String(version).padStart(4, "0")}-${time}`;
}

function step(
  migration: Migration,
  direction: "up" | "down",
  started: number,
  notes: MigrationNote[],
): MigrationStep {
  return {
    version: migration.version,
    name: migration.name,
    direction,
    durationMs: elapsed(started),
    notes,
  };
}

async function runScript(
  exec: (script: string) => Promise<void>,
  migration: Migration,
  direction: "up" | "down",
  transactional: boolean,
  stays?: number,
): Promise<void> {
  try {
    await exec(direction === "up" ? migration.up : migration.down);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const outcome = !transactional
      ? "it ran without a transaction, so what ran before the failure stays: " +
        "it is marked interrupted until you check it by hand"
      : stays === undefined
      ? "the database stays at the version before it"
      : `nothing was reverted: the database stays at version ${stays}`;
    throw new StorageError(
      "migration",
      `Migration ${migration.version} (${migration.name}) failed ${direction}: ${detail}: ${outcome}`,
      { version: migration.version, cause: error },
    );
  }
}

/**
 * Runs a step, naming its migration in a `migration` error that does not name one yet (such as
 * a foreign key check failing at commit).
 */
async function withVersion<T>(
  migration: Migration,
  direction: "up" | "down",
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw versioned(migration, direction, error);
  }
}

function versioned(
  migration: Migration,
  direction: "up" | "down",
  error: unknown,
): unknown {
  if (
    !(error instanceof StorageError) || error.kind !== "migration" ||
    error.version !== undefined
  ) {
    return error;
  }
  return new StorageError(
    "migration",
    `Migration ${migration.version} (${migration.name}) failed ${direction}: ${error.message}: ` +
      "the database stays at the version before it",
    { version: migration.version, cause: error },
  );
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
