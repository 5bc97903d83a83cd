/**
 * VERBOSE.DAT, the long file descriptions (`verbrec`, 1020 bytes: 20 × `string[50]`).
 *
 * @module
 */

import { plural } from "../../describe.ts";
import type { Impulse71FileEntry } from "./file_listing.ts";
import { RecordReader } from "./pascal.ts";
import {
  type DecodeContext,
  type Impulse71Problem,
  report,
  splitRecords,
} from "./problems.ts";

/** The size of a VERBOSE.DAT record. */
export const VERBOSE_SIZE = 1020;

/** Lines a record holds. */
const LINES = 20;

/**
 * Decodes VERBOSE.DAT. A record's description is its lines up to the first empty one (all
 * 20 when none is empty; a description never runs on into the next record); what follows
 * the first empty line is garbage and is not read.
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @returns Per record, the description (lines right-trimmed, joined by `\n`), or `null`
 *   for a free record (first line empty).
 */
export function decodeVerbose(
  bytes: Uint8Array,
  context: DecodeContext,
): (string | null)[] {
  return splitRecords(bytes, VERBOSE_SIZE, context).map((record, index) => {
    const r = new RecordReader(record, context, index);
    const lines: string[] = [];
    for (let line = 0; line < LINES; line++) {
      const text = r.string(line * 51, 50, `line ${line + 1}`);
      if (text === "") break;
      lines.push(text.trimEnd());
    }
    return lines.length === 0 ? null : lines.join("\n").trimEnd();
  });
}

/**
 * Gives each entry the description its `vpointer` names. Pointers outside the file or at
 * a free record are reported against the listing and leave the description `null`.
 *
 * @param entries A listing's entries; changed in place.
 * @param verbose The decoded VERBOSE.DAT, or `null` when the file is missing.
 * @param context The listing file and the problem list.
 */
export function attachLongDescriptions(
  entries: Impulse71FileEntry[],
  verbose: readonly (string | null)[] | null,
  context: DecodeContext,
): void {
  for (const entry of entries) {
    const pointer = entry.verbosePointer;
    if (pointer === -1) continue;
    const found = verbose?.[pointer];
    if (pointer >= 0 && found !== undefined && found !== null) {
      entry.longDescription = found;
      continue;
    }
    const why = verbose === null
      ? "VERBOSE.DAT is missing"
      : pointer < 0 || pointer >= verbose.length
      ? `VERBOSE.DAT holds ${plural(verbose.length, "record")}`
      : "that record is free";
    report(
      context,
      "bad_pointer",
      entry.slot,
      `Long description pointer of "${entry.fileName}" is ${pointer}, but ${why}: no long description`,
    );
  }
}

/**
 * Settles long descriptions that several entries point at. VERBOSE.DAT reuses a record
 * only once its owner's file is gone, so among the entries sharing a record the ones
 * uploaded last own it: older entries lose the description (their pointer is stale);
 * entries of the same date (a copied listing) or without a readable date keep it. Every
 * sharing entry is reported.
 *
 * @param listings Each listing's report name and entries (after
 *   {@linkcode attachLongDescriptions}); changed in place.
 * @param problems Where to report.
 */
export function settleSharedPointers(
  listings: readonly { file: string; entries: readonly Impulse71FileEntry[] }[],
  problems: Impulse71Problem[],
): void {
  const sharers = new Map<
    number,
    { file: string; entry: Impulse71FileEntry }[]
  >();
  for (const { file, entries } of listings) {
    for (const entry of entries) {
      if (entry.longDescription === null) continue;
      const list = sharers.get(entry.verbosePointer) ?? [];
      list.push({ file, entry });
      sharers.set(entry.verbosePointer, list);
    }
  }
  for (const [pointer, list] of sharers) {
    if (list.length < 2) continue;
    const newest = list.map(({ entry }) => entry.uploadedOn.date ?? "")
      .reduce((a, b) => (a > b ? a : b));
    for (const { file, entry } of list) {
      const others = list.filter((other) => other.entry !== entry)
        .map((other) =>
          `${other.file} slot ${other.entry.slot} "${other.entry.fileName}"`
        )
        .join(", ");
      const date = entry.uploadedOn.date;
      const stale = date !== null && date < newest;
      if (stale) entry.longDescription = null;
      problems.push({
        kind: "shared_pointer",
        file,
        record: entry.slot,
        reason:
          `Long description ${pointer} of "${entry.fileName}" is also pointed at by ${others}: ${
            stale ? "dropped here, as a later upload reused the record" : "kept"
          }`,
      });
    }
  }
}
