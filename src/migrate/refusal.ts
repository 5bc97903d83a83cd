/**
 * The refusals of a down step: one that would lose data, naming each table and column and how
 * many rows, and one that cannot be tried first.
 *
 * @module
 */
import { plural } from "../describe.ts";
import { StorageError } from "../errors.ts";
import type { Migration } from "./migration.ts";
import type { Loss, TrialReport } from "./trial.ts";

/**
 * Describes losses for a message: each table and column with its rows.
 *
 * @param losses The losses.
 * @returns One phrase per loss, joined by `; `.
 */
function describeLosses(losses: readonly Loss[]): string {
  const rows = (n: number) => plural(n, "row");
  return losses.map((l) => {
    const where = l.column === null ? l.table : `${l.table}.${l.column}`;
    switch (l.how) {
      case "changed":
        return `${where}: ${rows(l.rows)} changed`;
      case "gone":
        return `${where}: ${rows(l.rows)} gone`;
      case "dropped":
        return `${where}: dropped with the data of ${rows(l.rows)}`;
      case "added":
        return `${where}: ${rows(l.rows)} added`;
      case "ids":
        return `${where}: its last ${
          plural(l.rows, "id")
        } would be handed out again`;
    }
  }).join("; ");
}

const FORCE =
  "pass --force (API: { force: true }) to revert it anyway: a SQLite database is first " +
  "copied beside its file";

/**
 * The refusal of a down step that cannot be tried, as it runs without a transaction.
 *
 * @param set The set's name.
 * @param migration The migration.
 * @returns The error (`migration`).
 */
export function refuseUntried(set: string, migration: Migration): StorageError {
  return new StorageError(
    "migration",
    `Cannot revert migration ${migration.version} (${migration.name}) of set "${set}" without ` +
      "force: it runs without a transaction, so its down and up steps cannot be tried first " +
      `to show that they keep every row: nothing was reverted: check it by hand, then ${FORCE}`,
    { version: migration.version },
  );
}

/**
 * The refusal of a down step whose up step would not give back what it removes.
 *
 * @param set The set's name.
 * @param migration The migration.
 * @param trial Its trial.
 * @returns The error (`migration`), naming each table and column and how many rows.
 */
export function refuseLoss(
  set: string,
  migration: Migration,
  trial: TrialReport,
): StorageError {
  const [what, fix] = trial.failure !== null
    ? [
      `its up script fails after its down script: ${trial.failure}`,
      "make the down script undo all that the up script does",
    ]
    : [
      `its up step would not give back what its down step removes: ${
        describeLosses(trial.losses)
      }`,
      "make the down script set that data aside for the up script to restore",
    ];
  return new StorageError(
    "migration",
    `Cannot revert migration ${migration.version} (${migration.name}) of set "${set}" as ` +
      `${what}: nothing was reverted: ${fix}, or ${FORCE}`,
    { version: migration.version },
  );
}
