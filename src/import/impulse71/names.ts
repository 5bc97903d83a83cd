/**
 * NAMES.LST, the name lookup index (`smalrec`, 40 bytes). It is derived data and is only
 * checked against USER.LST, never imported.
 *
 * @module
 */

import { RecordReader, sameName } from "./pascal.ts";
import { type DecodeContext, report, splitRecords } from "./problems.ts";

/** The size of a NAMES.LST record. */
export const NAME_SIZE = 40;

/** One NAMES.LST entry. Its `deleted` byte is never set reliably and is not read. */
export interface Impulse71NameEntry {
  /** The record number; unlike USER.LST, record 0 is a real entry. */
  record: number;
  /** Upper-case handle. */
  name: string;
  /** The USER.LST slot it names (0 for abandoned applications). */
  userNumber: number;
}

/**
 * Decodes NAMES.LST.
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @returns Every entry, in file order.
 */
export function decodeNames(
  bytes: Uint8Array,
  context: DecodeContext,
): Impulse71NameEntry[] {
  return splitRecords(bytes, NAME_SIZE, context).map((record, index) => {
    const r = new RecordReader(record, context, index);
    return {
      record: index,
      name: r.string(0, 36, "name"),
      userNumber: r.i16(38),
    };
  });
}

/**
 * Checks the index against the users: entries naming no user, duplicates, and entries whose
 * name differs from the user in the slot they name are reported.
 *
 * @param entries The decoded index.
 * @param users The user names by slot number.
 * @param context The file (NAMES.LST) and the problem list.
 */
export function checkNames(
  entries: readonly Impulse71NameEntry[],
  users: ReadonlyMap<number, string>,
  context: DecodeContext,
): void {
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const key = `${entry.name.toUpperCase()}\u0000${entry.userNumber}`;
    const first = seen.get(key);
    const user = users.get(entry.userNumber);
    if (entry.userNumber <= 0) {
      report(
        context,
        "junk_index_entry",
        entry.record,
        `Entry names no user (number ${entry.userNumber}, an abandoned application): "${entry.name}"`,
      );
    } else if (first !== undefined) {
      report(
        context,
        "junk_index_entry",
        entry.record,
        `Entry duplicates record ${first}: "${entry.name}" → ${entry.userNumber}`,
      );
    } else if (user === undefined) {
      report(
        context,
        "index_mismatch",
        entry.record,
        `Entry names user ${entry.userNumber}, whom USER.LST does not hold: "${entry.name}"`,
      );
    } else if (!sameName(user, entry.name)) {
      report(
        context,
        "index_mismatch",
        entry.record,
        `Entry "${entry.name}" names user ${entry.userNumber}, who is "${user}"`,
      );
    }
    if (first === undefined) seen.set(key, entry.record);
  }
}
