/**
 * What the FidoNet message-base readers (jam.ts, squish.ts) give the import: each message as the
 * base stores it, before any decoding. Text stays bytes here, because its code page is known only
 * once the kludges are read (text.ts decodes it).
 *
 * @module
 */

/** A date as the base stores it: the writer's wall clock, no zone (read with UTC arithmetic). */
export interface FtnLocalTime {
  /** Full year, e.g. 1994. */
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
  /** 0–23. */
  hour: number;
  /** 0–59. */
  minute: number;
  /** 0–59. */
  second: number;
}

/** One message of a base, as stored. */
export interface FtnRawMessage {
  /** Its number in the base (JAM MessageNumber; Squish UMSGID). */
  number: number;
  /** From name, To name and subject: the field's bytes up to its first NUL. */
  fromName: Uint8Array;
  toName: Uint8Array;
  subject: Uint8Array;
  /** When written, and when it arrived or was read here (null when the base says "not set"). */
  written: FtnLocalTime | null;
  arrived: FtnLocalTime | null;
  /** The attribute bits as stored, and the format they are in. */
  attributes: number;
  /** True for the bits that mean the same in both formats. */
  private: boolean;
  deleted: boolean;
  /**
   * Originating and destination addresses as the base holds them, as text
   * (`zone:net/node[.point]`, JAM's OADDRESS/DADDRESS subfields as stored, Squish's binary
   * NETADDR formatted); null when the base has none. Not validated: JAM writers put junk here.
   */
  origAddr: string | null;
  destAddr: string | null;
  /** The base's own reply links: the parent's number (0 when none) and the answers' numbers. */
  replyTo: number;
  replies: number[];
  /**
   * The message's control lines in stored order, each without its leading ^A and without line
   * ends, as bytes: e.g. `MSGID: 2:5020/1 1a2b3c4d`, `PID: GoldED 2.50`, `SEEN-BY: 5020/1 2`.
   * A JAM reader builds them from the subfields (4 → `MSGID: `, 5 → `REPLY: `, 7 → `PID: `,
   * 8 → `Via `, 2000 → the buffer itself, 2001 → `SEEN-BY: `, 2002 → `PATH: `, 2003 → `FLAGS `,
   * 2004 → `TZUTC: `); a Squish reader splits its control area at ^A. Kludge lines found inside
   * the text are not moved here: text.ts takes them out of `text`.
   */
  control: Uint8Array[];
  /** The message text as stored (CR line ends, maybe soft CRs, SEEN-BY/PATH lines, ^A lines). */
  text: Uint8Array;
}

/** One last-read record of a base (JAM `.jlr`, Squish `.sql`). */
export interface FtnLastRead {
  /** The reader's name hash or CRC as stored (JAM: UserCRC); null when the format keeps none. */
  nameCrc: number | null;
  /** The writer's user number (JAM UserID; Squish: the record's position). */
  userNumber: number;
  /** The last message read (a message number of the base), and the highest read (JAM only). */
  lastRead: number;
  highRead: number | null;
}

/** A problem the reader met and stepped over, for the import's report. */
export interface FtnReadProblem {
  /** The file it is in, e.g. `general.jhr`. */
  file: string;
  /** Where: a byte offset in that file. */
  offset: number;
  /** The message number it concerns, when known. */
  number: number | null;
  /** What was wrong and what the reader did, in one sentence. */
  reason: string;
}

/** A whole base as read. */
export interface FtnBase {
  /** `jam` or `squish`. */
  format: "jam" | "squish";
  /** Messages in number order; deleted messages are included (with `deleted: true`). */
  messages: FtnRawMessage[];
  lastRead: FtnLastRead[];
  problems: FtnReadProblem[];
}
