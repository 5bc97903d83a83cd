/**
 * What an import of a FidoNet message base reports: counts, every message skipped and every
 * value changed to fit, with its reason, the charset fallbacks, the last-read records and the
 * reader's problems.
 *
 * @module
 */
import type { FtnUndelivered } from "./delivery.ts";
import type { FtnReadProblem } from "./types.ts";

/** Why a message of the base was not imported. */
export type FtnSkipReason =
  /** The base marks it deleted. */
  | "deleted"
  /** The area (or an earlier message of the base) already holds its MSGID. */
  | "duplicate-msgid"
  /**
   * It has no MSGID, and the area (or an earlier message of the base) already holds a message
   * with the same from and to names, subject, date and text.
   */
  | "duplicate-content"
  /**
   * The base's files name it (an index record, a header) but it could not be read whole: its
   * text is not all in the file, or its header is unreadable. Listed among the problems too; a
   * run on the repaired base imports it.
   */
  | "damaged"
  /**
   * The area had it once (the import brought it in, or found it there), and it is not there as
   * it came: deleted, trimmed, moved to another area, or (without MSGID) edited since. The
   * area's record of what came in (`ftn_imported`) keeps it from coming back on the next poll.
   */
  | "removed";

/** One message skipped. */
export interface FtnSkip {
  /** Its number in the base. */
  number: number;
  /** Why. */
  reason: FtnSkipReason;
  /** The message it duplicates (its id in the storage), when there is one there. */
  duplicateOf: number | null;
  /** One sentence for people. */
  detail: string;
}

/** One value changed so that the storage takes it (the message is imported with it). */
export interface FtnChange {
  /** The message's number in the base. */
  number: number;
  /** The field: `fromName`, `toName`, `subject`, `body`, `ftnMsgid`, `createdAt`, … */
  field: string;
  /** What was changed and why. */
  reason: string;
}

/** How many messages fell back to the default charset, by kind and CHRS label. */
export interface FtnFallbackCount {
  /**
   * `missing`: no CHRS/CHARSET kludge; `unknown`: a label not supported; `ibmpc`: `IBMPC`;
   * `invalid`: bytes the named set cannot hold (UTF-8 that is not, ASCII with bytes above 0x7F).
   */
  kind: "missing" | "unknown" | "ibmpc" | "invalid";
  /** The label as the kludge gave it (`unknown` and `invalid`), else `null`. */
  label: string | null;
  /** How many messages. */
  count: number;
}

/** A last-read record that set no pointer. */
export interface FtnUnmatchedLastRead {
  /** The record's user number as stored. */
  userNumber: number;
  /** The record's name CRC as stored (JAM), or `null` (Squish keeps none). */
  nameCrc: number | null;
  /** The message number it had read up to. */
  lastRead: number;
  /** Why no pointer was set. */
  reason: string;
}

/** The outcome of an import of a FidoNet message base. */
export interface FtnImportReport {
  /** The base, by its path without extension. */
  path: string;
  /** `jam` or `squish`. */
  format: "jam" | "squish";
  /** Whether this was a dry run (nothing written). */
  dryRun: boolean;
  /**
   * The area: its tag, its id (`null` in a dry run that would create it), and whether the import
   * made it (in a dry run: would make it).
   */
  area: { tag: string; id: number | null; created: boolean };
  /** The default charset the import used (canonical name). */
  charset: string;
  /** The time zone of dates without TZUTC. */
  timeZone: string;
  /**
   * Messages of the base (those it names but could not be read whole included, as skips),
   * imported (or, in a dry run, to import) and skipped.
   */
  counts: { read: number; imported: number; skipped: number };
  /** Every message skipped, in base order. */
  skipped: FtnSkip[];
  /** Every value changed to fit, in base order. */
  changed: FtnChange[];
  /** Replies linked to a parent of this base or of the area (by REPLY or the base's links). */
  linked: number;
  /** Messages decoded with the default charset, by kind and label. */
  fallbacks: FtnFallbackCount[];
  /** NUL characters in the texts, which the store takes nowhere: each became a space. */
  replaced: number;
  /** Last-read records read, pointers set (moved forward), and the records that set none. */
  lastRead: { read: number; set: number; unmatched: FtnUnmatchedLastRead[] };
  /**
   * Private messages to the board's own `addresses`: how many went to the user their To name
   * names (posted with that user as `toUserId`), and those that name no user of the board.
   */
  delivery: { delivered: number; undelivered: FtnUndelivered[] };
  /** What the reader met in the files and stepped over. */
  problems: FtnReadProblem[];
}

/** How far an import is. */
export interface FtnImportProgress {
  /** Messages handled (imported or skipped) so far. */
  done: number;
  /** Messages in the base. */
  total: number;
  /** Messages handled per second since the import began. */
  rate: number;
  /** Seconds left at that rate (0 when done). */
  secondsLeft: number;
}
