/**
 * UPLOADS.DAT, the file areas (`ulrec`, 237 bytes). Record k is file base k; base 0 is
 * the hidden installer base.
 *
 * @module
 */

import { flagNames, RecordReader, withSecret } from "./pascal.ts";
import { type DecodeContext, splitRecords } from "./problems.ts";

/** The size of an UPLOADS.DAT record. */
export const FILE_AREA_SIZE = 237;

/** The `fbstat` flags, by bit. */
export const FILE_AREA_FLAGS = [
  "noRatio",
  "visibleWithoutAccess",
  "listingInDownloadPath",
  "isDirectory",
  "gifSpecs",
  "netLinked",
] as const;

/** A file area as UPLOADS.DAT describes it. */
export interface Impulse71FileAreaRecord {
  /** The base number, which is the record number; base 0 is hidden from users. */
  number: number;
  /** Whether users never saw this base (base 0). */
  hidden: boolean;
  /** Area title. */
  name: string;
  /** Base name of the `.DIR` listing, upper case; a natural tag. */
  fileName: string;
  /** DOS directory of the files themselves (may be drive-relative, like `C:DLOADS\`). */
  downloadPath: string;
  /** DOS upload directory. */
  uploadPath: string;
  /** Maximum files. */
  maxFiles: number;
  /** Area password, clear text; non-enumerable. Empty when none. */
  readonly password: string;
  /** Preferred archive type (0 = none). */
  archiveType: number;
  /** Archive comment type. */
  commentType: number;
  /** `fbdepth`. */
  depth: number;
  /** `fbstat` flags that are set ({@linkcode FILE_AREA_FLAGS}). */
  flags: (typeof FILE_AREA_FLAGS)[number][];
  /** List/download access condition, raw ACS text. */
  acs: string;
  /** Upload access condition. */
  uploadAcs: string;
  /** Who may see uploader names. */
  nameAcs: string;
  /** Stable id across re-ordering. */
  permanentIndex: number;
  /** Conference slot in FCONF.DAT. */
  conference: number;
}

/**
 * Decodes UPLOADS.DAT.
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @returns Every base, base 0 included, in number order.
 */
export function decodeFileAreas(
  bytes: Uint8Array,
  context: DecodeContext,
): Impulse71FileAreaRecord[] {
  return splitRecords(bytes, FILE_AREA_SIZE, context).map((record, index) => {
    const r = new RecordReader(record, context, index);
    const area = {
      number: index,
      hidden: index === 0,
      name: r.string(0, 40, "name"),
      fileName: r.string(41, 12, "filename").trim().toUpperCase(),
      downloadPath: r.string(54, 40, "dlpath"),
      uploadPath: r.string(95, 40, "ulpath"),
      maxFiles: r.i16(136),
      archiveType: r.u8(159),
      commentType: r.u8(160),
      depth: r.i16(161),
      flags: flagNames(r.set(163, 1), FILE_AREA_FLAGS),
      acs: r.string(164, 20, "acs"),
      uploadAcs: r.string(185, 20, "ulacs"),
      nameAcs: r.string(206, 20, "nameacs"),
      permanentIndex: r.i32(227),
      conference: r.u8(231),
    };
    return withSecret(area, "password", r.string(138, 20, "password"));
  });
}
