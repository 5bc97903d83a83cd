/**
 * A JAM message header and its text made into the readers' common form (types.ts): subfields
 * mapped to names, addresses and control lines, JAM times to wall-clock readings.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { FtnLocalTime, FtnRawMessage } from "./types.ts";
import type { JamHeader } from "./jam_header.ts";

/** JAM attribute bits the common form names (reference section 2.5). */
const PRIVATE = 0x4;
const DELETED = 0x80000000;

/** Subfield LoIDs with a field of their own (reference section 2.4). */
const OADDRESS = 0;
const DADDRESS = 1;
const SENDERNAME = 2;
const RECEIVERNAME = 3;
const SUBJECT = 6;

/**
 * The control line each kludge-bearing subfield becomes: the prefix before its data. Every
 * OADDRESS and DADDRESS is one too, where it stands: the first are also the message's addresses
 * (the import drops that line where it stores the address as written, and keeps it where it is
 * junk or more than the address); more are carbon copies.
 */
const CONTROL_PREFIXES: ReadonlyMap<number, Uint8Array> = new Map(
  ([
    [OADDRESS, "OADDRESS: "],
    [DADDRESS, "DADDRESS: "],
    [4, "MSGID: "],
    [5, "REPLY: "],
    [7, "PID: "],
    [8, "Via "],
    [2000, ""],
    [2001, "SEEN-BY: "],
    [2002, "PATH: "],
    [2003, "FLAGS "],
    [2004, "TZUTC: "],
  ] as const).map(([id, prefix]) => [id, new TextEncoder().encode(prefix)]),
);

/** Whether a header's Attribute has the DELETED bit. */
export function isDeleted(header: JamHeader): boolean {
  return (header.attribute & DELETED) !== 0;
}

/**
 * The message a header and its text make, without its reply list (the base's caller fills
 * `replies`, which needs the other headers).
 *
 * @param header The header, read by `readHeader`.
 * @param number The message's number.
 * @param jdt The whole `.jdt` file.
 * @param problem Where a text that lies outside `.jdt` is reported.
 * @returns The message; `null` when its text is not all in `.jdt`.
 */
export function toMessage(
  header: JamHeader,
  number: number,
  jdt: Uint8Array,
  problem: (offset: number, reason: string) => void,
): FtnRawMessage | null {
  // A deleted message is skipped whatever its text: one outside the file is no problem.
  const body = isDeleted(header)
    ? text(header, jdt, () => {}) ?? new Uint8Array()
    : text(header, jdt, problem);
  if (body === null) return null;
  const first = (id: number) =>
    header.subfields.find((subfield) => subfield.id === id)?.data;
  const orig = first(OADDRESS);
  const dest = first(DADDRESS);
  return {
    number,
    fromName: field(first(SENDERNAME)),
    toName: field(first(RECEIVERNAME)),
    subject: field(first(SUBJECT)),
    written: jamTime(header.dateWritten),
    arrived: jamTime(header.dateProcessed || header.dateReceived),
    attributes: header.attribute,
    private: (header.attribute & PRIVATE) !== 0,
    deleted: isDeleted(header),
    origAddr: orig === undefined ? null : latin1(field(orig)),
    destAddr: dest === undefined ? null : latin1(field(dest)),
    replyTo: header.replyTo,
    replies: [],
    control: header.subfields.flatMap(({ id, data }) => {
      const prefix = CONTROL_PREFIXES.get(id);
      return prefix === undefined ? [] : [controlLine(prefix, data)];
    }),
    text: body,
  };
}

/** The names of the subfields the common form reads, for reports. */
const SUBFIELD_NAMES: ReadonlyMap<number, string> = new Map([
  [OADDRESS, "OADDRESS"],
  [DADDRESS, "DADDRESS"],
  [SENDERNAME, "SENDERNAME"],
  [RECEIVERNAME, "RECEIVERNAME"],
  [4, "MSGID"],
  [5, "REPLYID"],
  [SUBJECT, "SUBJECT"],
  [7, "PID"],
  [8, "TRACE"],
  [2000, "FTSKLUDGE"],
  [2001, "SEENBY2D"],
  [2002, "PATH2D"],
  [2003, "FLAGS"],
  [2004, "TZUTCINFO"],
]);

/**
 * The subfields a message is read from that hold more than NUL padding after a NUL: each is
 * read up to its first NUL, and what follows is lost (a report says so).
 *
 * @param header The header.
 * @returns One sentence for each such subfield, in stored order.
 */
export function cutAtNul(header: JamHeader): string[] {
  return header.subfields.flatMap(({ id, data }) => {
    const name = SUBFIELD_NAMES.get(id);
    const nul = data.indexOf(0);
    if (name === undefined || nul === -1) return [];
    const after = data.subarray(nul);
    if (after.every((byte) => byte === 0)) return [];
    return [
      `the ${name} subfield holds bytes after a NUL; it is read up to the NUL (${after.length} bytes left out)`,
    ];
  });
}

/**
 * A JAM time as the wall-clock reading it counts: seconds since 1970 on the writer's local
 * clock, so decoded with UTC arithmetic.
 *
 * @param seconds The stored u32.
 * @returns The reading, or null for 0 ("not set").
 */
export function jamTime(seconds: number): FtnLocalTime | null {
  if (seconds === 0) return null;
  const date = new Date(seconds * 1000);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

/** A subfield's bytes up to its first NUL (subfields are not NUL-terminated, but some are). */
function field(data: Uint8Array | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array();
  const nul = data.indexOf(0);
  return data.slice(0, nul < 0 ? data.length : nul);
}

/** A control line: the prefix, then the data up to any NUL, less a leading ^A and line ends. */
function controlLine(prefix: Uint8Array, data: Uint8Array): Uint8Array {
  let value = field(data);
  let end = value.length;
  while (end > 0 && (value[end - 1] === 0x0d || value[end - 1] === 0x0a)) end--;
  value = value.subarray(value[0] === 0x01 ? 1 : 0, end);
  const line = new Uint8Array(prefix.length + value.length);
  line.set(prefix);
  line.set(value, prefix.length);
  return line;
}

/** Bytes as ISO-8859-1 (one code point per byte; WHATWG's "latin1" label is windows-1252). */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

/**
 * The message's TxtLen bytes at Offset in `.jdt`; `null` when they are not all in the file (the
 * message is left out, so that a run on the whole file imports it whole).
 */
function text(
  header: JamHeader,
  jdt: Uint8Array,
  problem: (offset: number, reason: string) => void,
): Uint8Array | null {
  const { textOffset: start, textLength: length } = header;
  if (length === 0) return new Uint8Array();
  if (start + length > jdt.length) {
    problem(
      start,
      `the text (${length} bytes at offset ${start}) runs past the end of the file (${jdt.length} bytes); the message is left out (run the import again once the file is whole)`,
    );
    return null;
  }
  return jdt.slice(start, start + length);
}
