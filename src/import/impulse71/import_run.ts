/**
 * The state one import shares between its steps.
 *
 * @module
 */

import { StorageError } from "../../errors.ts";
import type { Repositories } from "../../storage.ts";
import type { Impulse71ImportKind, Tally } from "./import_report.ts";
import type { Fitted } from "./import_text.ts";
import type { Impulse71Install } from "./read_impulse71.ts";

/** Where a record is, for the report. */
export interface Where {
  /** The file, relative to the install directory. */
  file: string | null;
  /** The record (slot) in it. */
  record: number | null;
}

/** A message area written, and where its messages went. */
export interface ImportedBase {
  /** The area's id. */
  areaId: number;
  /** The messages written, by ascending number, with their dates. */
  posted: { msgNum: number; at: Date }[];
}

/** What the steps of an import share. */
export interface ImportRun {
  /** The operations, inside the import's transaction. */
  tx: Repositories;
  /** The decoded install. */
  install: Impulse71Install;
  /** Counts and findings. */
  tally: Tally;
  /** Whether orphan bases and listings are imported. */
  includeOrphans: boolean;
  /** The import's start, for dates nothing else gives. */
  now: Date;
  /** Impulse user number → id of the user written. */
  users: Map<number, number>;
  /** Board number → the area written and its message numbers. */
  boards: Map<number, ImportedBase>;
}

/**
 * Notes the changes a fitted value carries against a record, and returns the value.
 *
 * @param run The import.
 * @param kind The kind of record.
 * @param where The record.
 * @param fitted The value and its changes.
 * @returns The value.
 */
export function fit<T>(
  run: ImportRun,
  kind: Impulse71ImportKind,
  where: Where,
  fitted: Fitted<T>,
): T {
  for (const change of fitted.changes) run.tally.change(kind, where, change);
  return fitted.value;
}

/**
 * Runs one write; a `validation` error (a value the store refuses) skips the record with
 * its message as the reason and returns `undefined`. Other errors end the import.
 *
 * @param run The import.
 * @param kind The kind of record.
 * @param where The record.
 * @param write The write.
 * @returns What the write returned, or `undefined` when the record was skipped.
 */
export async function tryWrite<T>(
  run: ImportRun,
  kind: Impulse71ImportKind,
  where: Where,
  write: () => Promise<T>,
): Promise<T | undefined> {
  try {
    const written = await write();
    run.tally.imported(kind);
    return written;
  } catch (error) {
    if (!(error instanceof StorageError) || error.kind !== "validation") {
      throw error;
    }
    run.tally.skip(kind, where, `${error.message}: skipped`);
    return undefined;
  }
}
