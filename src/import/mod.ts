/**
 * Imports of boards run by older BBS software: Impulse 7.1 (1998), with
 * {@linkcode importImpulse71} or `deno task import-impulse71`, and FidoNet message bases in the
 * JAM and Squish formats, with {@linkcode importMessageBase} or `deno task import-ftn` (see
 * "FidoNet message bases" below).
 *
 * ```ts ignore
 * import { openStorage, verifyPassword } from "@impulse/storage";
 * import { importImpulse71 } from "@impulse/storage/import";
 *
 * await using storage = await openStorage("sqlite:./data/board.db");
 * const report = await importImpulse71("/bbs/imp", storage, { timeZone: "America/Chicago" });
 * for (const skip of report.skipped) console.log(skip.kind, skip.file, skip.reason);
 * const sysop = await storage.users.findByUsername("sysop");
 * console.log(await verifyPassword("flare", sysop!.passwordHash)); // the old password, any case
 * ```
 *
 * ## What comes across
 *
 * - **Users** (USER.LST slots 1..n): name (as stored, upper case), real name, city/state as
 *   `location`, the SysOp's note, security level, AR flags A–Z, first call as `createdAt`,
 *   last call as `lastLoginAt`, and counters set to USER.LST's: calls as `logins`, public
 *   posts as `posts`, uploads, downloads, and kilobytes × 1024 as bytes. Deleted accounts,
 *   slot 0 (scratch) and a second user of one name are skipped.
 * - **Ban state**: a locked-out account (USER.LST's `lockedout` flag) is `banned`, with a
 *   `statusReason` naming where it came from and the lockout file Impulse showed, e.g.
 *   `Locked out in Impulse 7.1 (USER.LST lockedout flag; lockout file "BADGUY" shown at
 *   logon)`, and no `lockedUntil`: Impulse's lockout lasted until the SysOp lifted it.
 *   Every other account is `active`; security level 0 is only a level (Impulse let such a
 *   caller on). A deleted account is skipped even when locked out, as Impulse let anyone
 *   sign up with a deleted user's name.
 * - Not carried from USER.LST: phone, street, zip, birthday, sex, colours, time-bank data,
 *   the lockout file's text (only its name, in the reason), failed logon counts, and the
 *   `ac` restrictions (may not post, e-mail, page the SysOp, …), which the store has no
 *   place for.
 * - **Passwords** are never stored in clear: each becomes an scrypt PHC string marked
 *   `ci=1`, which `verifyPassword` checks case-insensitively, as Impulse did.
 * - **Boards** become message areas tagged with the board's file name (`BS`), echomail for
 *   echomail boards, with their live messages in slot order: subject, text (lines joined by
 *   `\n`), date, replies linked to their parent. Authors and addressees are linked to the
 *   users they name when the user now in that slot has that name; otherwise the message
 *   keeps the name from its header, without Impulse's ` #<user number>`. Anonymous posts
 *   show what Impulse showed callers (`Anonymous`, …) and are linked to no user.
 * - **E-mail** (the `EMAIL` base) becomes the private area `EMAIL`, one message per copy.
 * - **File areas** (tag: the listing's file name) with their entries, oldest first:
 *   filename, the one-line description, the VERBOSE.DAT long description as the DIZ text
 *   (`diz`), size (the file's own when it is in the area's download directory, else
 *   blocks × 128), uploader, upload date; a request-only file is `offline`. Base 0 only when
 *   it lists files.
 * - **Area settings and access** (BOARDS.DAT, UPLOADS.DAT), areas in their order: a board's
 *   conference name, `maxmsgs` as `maxMessages`, origin line and anonymous setting; a file
 *   area's download path as `storagePath`; for both, `acs` as `readLevel`, `postacs` or
 *   `ulacs` as `writeLevel`, and `hidden` unless the area was visible without access. Only
 *   a condition that is a security level (`s30`; empty is 0) is translated; any other
 *   closes the area at level 255, reported as a change.
 * - **Last callers** (LASTON.DAT), in order. Impulse kept no call times: a user's newest
 *   call on the list takes their last-call date (never later than the call after it), the
 *   others the time of the call after them.
 * - **Last-read pointers** (ZSCAN.DAT): at the newest imported message posted at or before
 *   the user's read point in each board; a board the user left out of new-scan (`mzscan`) is
 *   left out of theirs (`reading.setScanned`). The file bases' scan set has no counterpart.
 *
 * Skipped, each with its reason in the report: deleted and unvalidated messages, junk index
 * entries, headers no index slot uses, unvalidated, unfinished and private files, and,
 * unless `includeOrphans` is set, message bases and listings no board or area refers to.
 *
 * ## Text, colour and MCI codes
 *
 * Text is decoded from code page 437 and stored as it was: Impulse colour codes (0x03 and a
 * digit), pipe codes (`|07`), MCI codes (`|DT`) and ANSI escapes stay in subjects, message
 * text, descriptions and notes, for the BBS to render. The store takes no NUL in text, so a
 * NUL becomes a space; names shown on one line (area names, real names, locations, names on
 * messages) take no control characters, so colour codes are removed there. Every such
 * change is listed in the report's `changed`.
 *
 * ## Dates
 *
 * `MM/DD/YY` years below {@linkcode YEAR_PIVOT} (80) are 20YY, the rest 19YY. Impulse stored
 * wall-clock time without a zone: dates are read in `timeZone` (UTC by default, which keeps
 * the digits). A record without a readable date takes its neighbour's, and is listed in
 * `changed`.
 *
 * ## Running it twice
 *
 * The whole import is one transaction: if anything fails, the target is left as it was. A
 * target that already holds a user name or area tag of the install is refused with a
 * `conflict` error naming them, so importing the same install twice imports it once.
 *
 * ## FidoNet message bases
 *
 * ```ts ignore
 * import { openStorage } from "@impulse/storage";
 * import { importMessageBase } from "@impulse/storage/import";
 *
 * await using storage = await openStorage("sqlite:./data/board.db");
 * const report = await importMessageBase("/fido/msgbase/ru.golded", storage, {
 *   area: "RU.GOLDED",
 *   charset: "CP866",
 * });
 * for (const skip of report.skipped) console.log(skip.number, skip.reason);
 * ```
 *
 * {@linkcode importMessageBase} takes a JAM (`.jhr`, `.jdt`, `.jdx`, `.jlr`) or Squish
 * (`.sqd`, `.sqi`, `.sql`) base by its path without extension into the area tagged `area`
 * (made as an echomail area with that echo tag when there is none). Every live message not in
 * the area yet is posted with `imported: true`: names, subject, text, the date written, MSGID
 * as `ftnMsgid`, REPLY as `ftnReply`, every other kludge in order (SEEN-BY and PATH too), the
 * private flag and the orig/dest addresses that are FidoNet addresses (a zone above 32767 is
 * junk some JAM writers leave: left out, reported). Text is decoded by the CHRS kludge, else
 * by `charset` (CP437 by default; each fallback counted). Replies link to their parents by
 * MSGID/REPLY in any order, else by the base's own reply links; a REPLY to a message not in the
 * area stays a root with its `ftnReply`. A message whose MSGID the area holds, or without a
 * MSGID whose names, subject, date and text a message of the area has, is skipped and listed:
 * running the import again adds nothing. Dates with a TZUTC kludge are that instant; without
 * one they are read in `timeZone` (UTC by default, which keeps the digits as written). JAM
 * last-read records move the pointers of the users whose names give their CRC; Squish records
 * (numbers only) need `lastReadUsers`. See the README's "Importing FidoNet message bases".
 *
 * @module
 */

export {
  importImpulse71,
  type ImportImpulse71Options,
} from "./impulse71/import.ts";
export type {
  Impulse71ImportCount,
  Impulse71ImportFinding,
  Impulse71ImportKind,
  Impulse71ImportProgress,
  Impulse71ImportReport,
} from "./impulse71/import_report.ts";
export type {
  Impulse71Problem,
  Impulse71ProblemKind,
} from "./impulse71/problems.ts";
export { YEAR_PIVOT } from "./impulse71/dates.ts";
export {
  importMessageBase,
  type ImportMessageBaseOptions,
} from "./ftn/import.ts";
export type {
  FtnChange,
  FtnFallbackCount,
  FtnImportProgress,
  FtnImportReport,
  FtnSkip,
  FtnSkipReason,
  FtnUnmatchedLastRead,
} from "./ftn/report.ts";
export type { FtnReadProblem } from "./ftn/types.ts";
export type { FtnUndelivered } from "./ftn/delivery.ts";
