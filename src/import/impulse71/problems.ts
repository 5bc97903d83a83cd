/**
 * The findings a decode reports instead of failing: every record skipped and everything
 * odd, each with the file, the record and a reason.
 *
 * @module
 */
import { plural } from "../../describe.ts";

/**
 * What kind of finding a problem is.
 *
 * - `missing_file`: a file the install refers to is not on disk.
 * - `path_fallback`: a STATUS.DAT path did not map onto the install; a default folder was used.
 * - `ignored_file`: a file Impulse 7.1 never opens (the stale `DATA/EMAIL.*`).
 * - `truncated_file`: the file size is not a whole number of records; the tail was ignored.
 * - `scratch_record`: USER.LST slot 0, scratch space rather than a user.
 * - `clamped_string`: a `string[N]` length byte above N; the text was cut to N bytes.
 * - `unparseable_date`: a date that does not read as a calendar date; the raw text is kept.
 * - `junk_index_entry`: an index entry that names nothing (NAMES.LST `NEW USER` → 0,
 *   duplicates, a `.MIX` slot whose header pointer misses the `.BRD`).
 * - `index_mismatch`: a NAMES.LST entry whose name differs from the USER.LST slot it names.
 * - `deleted_message`: a message whose exist flag is clear; skipped.
 * - `orphan_header`: a `.BRD` header that no `.MIX` slot refers to (an aborted post).
 * - `corrupt_text`: a message text block that breaks off; the lines before the break are kept.
 * - `dangling_reply`: a reply whose parent is not among the live messages.
 * - `orphan_base`: a `.MIX`/`.BRD` pair no board refers to.
 * - `orphan_listing`: a `.DIR` listing no file area refers to.
 * - `count_mismatch`: a `.DIR` header count that differs from its records.
 * - `bad_pointer`: a VERBOSE.DAT pointer outside the file or at a free record.
 * - `shared_pointer`: a VERBOSE.DAT record several file entries point at; the latest
 *   upload keeps it, older entries lose it (their pointer is stale).
 * - `missing_conference`: a board or file area in a conference slot that is blank.
 * - `unmapped_scan`: a ZSCAN.DAT slot for a user number USER.LST does not hold.
 */
export type Impulse71ProblemKind =
  | "missing_file"
  | "path_fallback"
  | "ignored_file"
  | "truncated_file"
  | "scratch_record"
  | "clamped_string"
  | "unparseable_date"
  | "junk_index_entry"
  | "index_mismatch"
  | "deleted_message"
  | "orphan_header"
  | "corrupt_text"
  | "dangling_reply"
  | "orphan_base"
  | "orphan_listing"
  | "count_mismatch"
  | "bad_pointer"
  | "shared_pointer"
  | "missing_conference"
  | "unmapped_scan";

/** One finding: what, where, and why. */
export interface Impulse71Problem {
  /** What kind of finding this is. */
  kind: Impulse71ProblemKind;
  /** The file, relative to the install directory, as it is spelled on disk. */
  file: string;
  /** The 0-based record (slot) in `file`, or `null` when the finding is about the whole file. */
  record: number | null;
  /** For findings inside a `.BRD`: the byte offset of the header concerned. */
  offset?: number;
  /** What was found and what was done about it. */
  reason: string;
}

/** Where a decoder is and where it reports; shared by every decoder of one read. */
export interface DecodeContext {
  /** The file being decoded, relative to the install directory. */
  file: string;
  /** The IANA time zone in which packed stamps and dates are read (`"UTC"` by default). */
  timeZone: string;
  /** The list findings are appended to. */
  problems: Impulse71Problem[];
}

/**
 * Appends a finding about `context.file` to `context.problems`.
 *
 * @param context The file and the problem list.
 * @param kind The kind of finding.
 * @param record The record concerned, or `null` for the whole file.
 * @param reason What was found and what was done.
 */
export function report(
  context: DecodeContext,
  kind: Impulse71ProblemKind,
  record: number | null,
  reason: string,
): void {
  context.problems.push({ kind, file: context.file, record, reason });
}

/**
 * Splits a file into whole records, reporting a tail that is not a whole record.
 *
 * @param bytes The file contents.
 * @param size The record size in bytes.
 * @param context The file and the problem list.
 * @returns A view of each whole record, in file order.
 */
export function splitRecords(
  bytes: Uint8Array,
  size: number,
  context: DecodeContext,
): Uint8Array[] {
  const count = Math.floor(bytes.length / size);
  const tail = bytes.length - count * size;
  if (tail > 0) {
    report(
      context,
      "truncated_file",
      null,
      `File size ${bytes.length} is not a multiple of the ${size}-byte record: ignored the last ${
        plural(tail, "byte")
      }`,
    );
  }
  return Array.from(
    { length: count },
    (_, index) => bytes.subarray(index * size, (index + 1) * size),
  );
}
