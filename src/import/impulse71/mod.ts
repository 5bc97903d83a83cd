/**
 * Decodes an Impulse 7.1 BBS install (Borland Pascal typed files, 1998) into plain data,
 * for the importer to write through the Storage API. Nothing here writes anywhere.
 *
 * ```ts ignore
 * import { readImpulse71 } from "./mod.ts";
 *
 * const install = await readImpulse71("/bbs/imp", { timeZone: "America/Los_Angeles" });
 * for (const problem of install.problems) console.log(problem.kind, problem.file, problem.reason);
 * ```
 *
 * ## What is decoded
 *
 * `STATUS.DAT` (the data and message paths, mapped onto the install directory by their last
 * component and matched case-insensitively, falling back to `DATA/` and `MSGS/`), `USER.LST`
 * (slots 1..n; slot 0 is scratch), `NAMES.LST` (only checked against the users),
 * `BOARDS.DAT` with each board's `*.MIX` index and `*.BRD` headers and text, the `EMAIL`
 * base, `UPLOADS.DAT` with each area's `*.DIR` listing and `VERBOSE.DAT` long descriptions,
 * `LASTON.DAT`, `MCONF.DAT`/`FCONF.DAT` and `ZSCAN.DAT`. Bases and listings on disk that no
 * control file names are decoded as orphans. Every record skipped and everything odd
 * (deleted messages, junk index entries, orphan headers, bad or stale pointers,
 * unparseable dates, clamped strings, …) is listed in `problems` with its file, record and
 * reason; damaged data never throws.
 *
 * Passwords (users, boards, file areas) are decoded in clear text, upper case, as
 * non-enumerable properties: logging or `JSON.stringify` never shows them. Hash them.
 *
 * ## Text, colour and MCI codes
 *
 * All text is decoded from code page 437 with a full 256-entry table. Control bytes stay
 * the characters they are: Impulse colour codes (0x03 then a digit) stay `"\x03"` plus the
 * digit, ANSI escapes keep their ESC, NUL stays NUL (phone separators excepted, which
 * become `-`). Pipe colour codes (`|07`) and MCI codes (`|DT`) are plain text and are kept
 * as written. Nothing is stripped or expanded; rendering is the reader's business.
 *
 * ## Dates
 *
 * `MM/DD/YY` strings take a two-digit-year pivot of {@linkcode YEAR_PIVOT}: `YY < 80` is
 * 20YY, otherwise 19YY (the installer writes `01/01/80`). Text that is no valid date (free
 * birthdays such as `33/33/33`) is kept in `raw` with `date` `null`, and reported. The
 * `daten` day numbers of listings are kept but not trusted (they are 0 from 2000 on).
 *
 * Impulse stored local wall-clock time with no zone. Both dates and packed stamps are read
 * in the IANA time zone given as `timeZone` (default `"UTC"`, which keeps the wall-clock
 * digits unchanged in the resulting instants); each stamp also keeps its `wallClock` text.
 *
 * @module
 */

export { decodeCp437, encodeCp437 } from "./cp437.ts";
export {
  type Impulse71Date,
  type Impulse71Stamp,
  parseDateText,
  YEAR_PIVOT,
} from "./dates.ts";
export type { Impulse71Problem, Impulse71ProblemKind } from "./problems.ts";
export {
  type Impulse71Install,
  type Impulse71Sources,
  readImpulse71,
  type ReadImpulse71Options,
} from "./read_impulse71.ts";
export { FILE_LIST_COLUMNS, type Impulse71User, USER_FLAGS } from "./users.ts";
export { BOARD_FLAGS, type Impulse71BoardRecord } from "./boards.ts";
export type {
  Impulse71BaseFiles,
  Impulse71Board,
  Impulse71Mail,
  Impulse71OrphanBase,
} from "./read_messages.ts";
export {
  type Impulse71Message,
  type Impulse71MessageBase,
  MESSAGE_FLAGS,
} from "./message_base.ts";
export type { Impulse71Party } from "./brd.ts";
export { FILE_AREA_FLAGS, type Impulse71FileAreaRecord } from "./file_areas.ts";
export type {
  Impulse71FileArea,
  Impulse71OrphanListing,
} from "./read_files.ts";
export { FILE_FLAGS, type Impulse71FileEntry } from "./file_listing.ts";
export type { Impulse71LastCaller } from "./last_callers.ts";
export type { Impulse71LastRead, Impulse71ScanState } from "./scan_state.ts";
export type { Impulse71Conference } from "./conferences.ts";
export type { Impulse71System } from "./status.ts";
