/**
 * Migration code and its notes: running a migration's {@linkcode MigrationCode} in the step's
 * transaction, and keeping what it noted in `impulse_migration_notes` beside the tracking table,
 * so notes of a migration that `openStorage` applied can still be read afterwards
 * (`Migrator.notes()`, `deno task migrate status`).
 *
 * The notes table exists once a migration with code has been applied by this runner (it is
 * created in that migration's transaction), so it is read only when one is applied: a database
 * without such a migration never gets the table.
 *
 * @module
 */
import { StorageError } from "../errors.ts";
import type { Migration, MigrationNote } from "./migration.ts";
import type { MigrationQuery } from "./target.ts";

/** A note kept for an applied migration. */
export interface KeptNote extends MigrationNote {
  /** The version of the migration that wrote it. */
  version: number;
}

/** The name of the notes table (left out of schema descriptions, like the tracking table). */
export const NOTES_TABLE = "impulse_migration_notes";

const CREATE = `CREATE TABLE IF NOT EXISTS ${NOTES_TABLE} (
  migration_set TEXT NOT NULL,
  version BIGINT NOT NULL,
  position BIGINT NOT NULL,
  table_name TEXT NOT NULL,
  row_ids TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (migration_set, version, position)
)`;
const INSERT = `INSERT INTO ${NOTES_TABLE} ` +
  "(migration_set, version, position, table_name, row_ids, message) VALUES (?, ?, ?, ?, ?, ?)";
const DELETE =
  `DELETE FROM ${NOTES_TABLE} WHERE migration_set = ? AND version = ?`;
const SELECT =
  `SELECT version, table_name, row_ids, message FROM ${NOTES_TABLE} ` +
  "WHERE migration_set = ? ORDER BY version, position";

/**
 * Runs a migration's code for one direction (nothing when it has none), inside the step's
 * transaction, and keeps or drops its notes: applying keeps the up notes, reverting drops them.
 *
 * @param q The step's transaction.
 * @param set The set's name.
 * @param migration The migration.
 * @param direction `up` (after the up script) or `down` (after the down script).
 * @returns The notes of this run.
 * @throws {StorageError} `migration` naming the version when the code fails.
 */
export async function runCode(
  q: MigrationQuery,
  set: string,
  migration: Migration,
  direction: "up" | "down",
): Promise<MigrationNote[]> {
  if (!migration.code) return [];
  let notes: MigrationNote[];
  try {
    notes = await migration.code[direction](q);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StorageError(
      "migration",
      `Migration ${migration.version} (${migration.name}) failed ${direction} in its code: ` +
        `${detail}: the database stays at the version before it`,
      { version: migration.version, cause: error },
    );
  }
  await q.exec(CREATE);
  await q.run(DELETE, [set, migration.version]);
  if (direction === "up") {
    for (const [position, note] of notes.entries()) {
      await q.run(INSERT, [
        set,
        migration.version,
        position,
        note.table,
        JSON.stringify(note.ids),
        note.message,
      ]);
    }
  }
  return notes;
}

/**
 * The notes kept for the applied migrations of a set.
 *
 * @param q A transaction.
 * @param set The set's name.
 * @returns The notes, by version and in the order they were made.
 */
export async function readNotes(
  q: MigrationQuery,
  set: string,
): Promise<KeptNote[]> {
  return (await q.all(SELECT, [set])).map((row) => ({
    version: Number(row.version),
    table: String(row.table_name),
    ids: JSON.parse(String(row.row_ids)) as number[],
    message: String(row.message),
  }));
}
