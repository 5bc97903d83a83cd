/**
 * *.DIR, the file listings (`ulfrec`, 146 bytes). Slot 0 is a header whose `blocks`
 * field counts the files; files are slots 1..N, newest first.
 *
 * @module
 */

import { plural } from "../../describe.ts";
import type { Impulse71Date } from "./dates.ts";
import { flagNames, RecordReader, sameName } from "./pascal.ts";
import { type DecodeContext, report, splitRecords } from "./problems.ts";

/** The size of a `.DIR` record. */
export const LISTING_SIZE = 146;

/** The `filestat` flags, by bit. */
export const FILE_FLAGS = [
  "unvalidated",
  "requestOnly",
  "resumeLater",
] as const;

/** One file of a listing. */
export interface Impulse71FileEntry {
  /** The `.DIR` slot (1..N; 1 is the newest upload). */
  slot: number;
  /** The DOS file name, spaces of the padded form removed (`SC-SRAD.ANS`). */
  fileName: string;
  /** One-line description; may carry trailing spaces and codes. */
  description: string;
  /** Long description from VERBOSE.DAT, lines joined by `\n`; `null` when none. */
  longDescription: string | null;
  /** `vpointer`: the VERBOSE.DAT record, −1 for none. */
  verbosePointer: number;
  /** Size in 128-byte blocks (rounded up), read as unsigned 16-bit. */
  blocks: number;
  /** The exact size of the file on disk when it was found in the area's download path. */
  size: number | null;
  /** Uploader's name as stored (upper-case snapshot); more trustworthy than the number. */
  uploaderName: string;
  /** Uploader's USER.LST slot at upload time (`owner`). */
  uploaderNumber: number;
  /** `uploaderNumber`, when the user now in that slot has `uploaderName`; else `null`. */
  uploader: number | null;
  /** Upload date. */
  uploadedOn: Impulse71Date;
  /** `daten`: days since 1985-01-01 (0 for 2000 on); prefer `uploadedOn`. */
  dayNumber: number;
  /** Cost in file points. */
  filePoints: number;
  /** Download count. */
  downloads: number;
  /** `filestat` flags that are set ({@linkcode FILE_FLAGS}). */
  flags: (typeof FILE_FLAGS)[number][];
  /** Whom the file is private for, when it is private; `null` otherwise. */
  privateFor: string | null;
}

/**
 * Decodes a `.DIR` listing; long descriptions and sizes are filled in later.
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @param users User names by slot, to link uploaders to the users now in their slots.
 * @returns The files, in listing order (newest first).
 */
export function decodeListing(
  bytes: Uint8Array,
  context: DecodeContext,
  users: ReadonlyMap<number, string>,
): Impulse71FileEntry[] {
  const records = splitRecords(bytes, LISTING_SIZE, context);
  const header = records[0];
  if (header === undefined) return [];
  const declared = new RecordReader(header, context, 0).u16(79);
  const present = records.length - 1;
  if (declared !== present) {
    report(
      context,
      "count_mismatch",
      0,
      `Header counts ${plural(declared, "file")} but ${
        plural(present, "record")
      } follow${present === 1 ? "s" : ""}: read ${Math.min(declared, present)}`,
    );
  }
  return records.slice(1, 1 + Math.min(declared, present)).map((
    record,
    index,
  ) =>
    decodeEntry(new RecordReader(record, context, index + 1), index + 1, users)
  );
}

function decodeEntry(
  r: RecordReader,
  slot: number,
  users: ReadonlyMap<number, string>,
): Impulse71FileEntry {
  const uploaderNumber = r.i16(81);
  const uploaderName = r.string(83, 36, "stowner");
  const current = users.get(uploaderNumber);
  const isPrivate = r.bool(136);
  return {
    slot,
    fileName: r.string(0, 12, "filename").replaceAll(" ", ""),
    description: r.string(13, 60, "description"),
    longDescription: null,
    verbosePointer: r.i32(131),
    blocks: r.u16(79),
    size: null,
    uploaderName,
    uploaderNumber,
    uploader: uploaderNumber > 0 && current !== undefined &&
        sameName(current, uploaderName)
      ? uploaderNumber
      : null,
    uploadedOn: r.date(120, "date"),
    dayNumber: r.i16(129),
    filePoints: r.i16(74),
    downloads: r.i16(76),
    flags: flagNames(r.set(135, 1), FILE_FLAGS),
    privateFor: isPrivate ? r.string(137, 8, "privfor") : null,
  };
}
