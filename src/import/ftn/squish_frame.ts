/**
 * One Squish frame read from the `.sqd` bytes: its header (section 3.3) and, for a normal frame,
 * its message (XMSG, control area and text; sections 3.4–3.7). Used by squish.ts.
 *
 * @module
 */

import type { FtnLocalTime, FtnRawMessage } from "./types.ts";
import {
  ATTR_MSGUID,
  ATTR_PRIVATE,
  BASE_HEADER_SIZE,
  FRAME,
  FRAME_HEADER_SIZE,
  FRAME_ID,
  NAME_SIZE,
  REPLY_SLOTS,
  SUBJECT_SIZE,
  XMSG,
  XMSG_SIZE,
} from "./_squish_layout.ts";

/** A frame header as stored, with the offset it was read at. */
export interface SquishFrame {
  /** Where the frame starts in the `.sqd`. */
  offset: number;
  next: number;
  prev: number;
  frameLength: number;
  msgLength: number;
  clen: number;
  type: number;
}

/** A message read from a normal frame, before the reader gives it its number. */
export interface SquishFrameMessage {
  /** The message, with `number` still 0. */
  message: FtnRawMessage;
  /** The XMSG umsgid when the MSGUID attribute says it is valid and it is not 0; else null. */
  umsgid: number | null;
  /** Things wrong inside the message that did not stop its reading, one sentence each. */
  notes: string[];
}

/**
 * Reads the frame header at `offset`.
 *
 * @param sqd The whole `.sqd` file.
 * @param offset Where the frame should start.
 * @returns The header, or why there is no frame there (one sentence).
 */
export function readFrame(
  sqd: Uint8Array,
  offset: number,
): SquishFrame | string {
  if (offset < BASE_HEADER_SIZE || offset + FRAME_HEADER_SIZE > sqd.length) {
    return `frame offset ${offset} is outside the file's frames (${BASE_HEADER_SIZE} to ${sqd.length} bytes)`;
  }
  const view = viewOf(sqd);
  const id = view.getUint32(offset + FRAME.id, true);
  if (id !== FRAME_ID) {
    return `no frame id at offset ${offset} (found 0x${
      id.toString(16).padStart(8, "0")
    })`;
  }
  return {
    offset,
    next: view.getUint32(offset + FRAME.next, true),
    prev: view.getUint32(offset + FRAME.prev, true),
    frameLength: view.getUint32(offset + FRAME.frameLength, true),
    msgLength: view.getUint32(offset + FRAME.msgLength, true),
    clen: view.getUint32(offset + FRAME.clen, true),
    type: view.getUint16(offset + FRAME.type, true),
  };
}

/**
 * Reads the message of a normal frame.
 *
 * @param sqd The whole `.sqd` file.
 * @param frame Its header, from {@linkcode readFrame}.
 * @returns The message, or why it cannot be read (one sentence).
 */
export function readFrameMessage(
  sqd: Uint8Array,
  frame: SquishFrame,
): SquishFrameMessage | string {
  const start = frame.offset + FRAME_HEADER_SIZE;
  if (frame.msgLength < XMSG_SIZE) {
    return `msg_length ${frame.msgLength} is shorter than the ${XMSG_SIZE}-byte message header`;
  }
  if (frame.msgLength > frame.frameLength) {
    return `msg_length ${frame.msgLength} is larger than frame_length ${frame.frameLength}`;
  }
  if (start + frame.msgLength > sqd.length) {
    return `the message (${frame.msgLength} bytes from offset ${start}) runs past the end of the file (${sqd.length} bytes)`;
  }
  if (frame.clen > frame.msgLength - XMSG_SIZE) {
    return `clen ${frame.clen} is larger than the ${
      frame.msgLength - XMSG_SIZE
    } bytes after the message header`;
  }
  const view = viewOf(sqd);
  const notes: string[] = [];
  const u32 = (at: number) => view.getUint32(start + at, true);
  const attributes = u32(XMSG.attr);
  const stored = u32(XMSG.umsgid);
  const replies: number[] = [];
  for (let slot = 0; slot < REPLY_SLOTS; slot++) {
    const reply = u32(XMSG.replies + 4 * slot);
    if (reply !== 0) replies.push(reply);
  }
  const control = start + XMSG_SIZE;
  const text = control + frame.clen;
  const message: FtnRawMessage = {
    number: 0,
    fromName: field(sqd, start + XMSG.from, NAME_SIZE),
    toName: field(sqd, start + XMSG.to, NAME_SIZE),
    subject: field(sqd, start + XMSG.subject, SUBJECT_SIZE),
    written: datime(u32(XMSG.written), "date_written", notes),
    arrived: datime(u32(XMSG.arrived), "date_arrived", notes),
    attributes,
    private: (attributes & ATTR_PRIVATE) !== 0,
    deleted: false,
    origAddr: netAddress(view, start + XMSG.orig),
    destAddr: netAddress(view, start + XMSG.dest),
    replyTo: u32(XMSG.replyTo),
    replies,
    control: splitControl(sqd.subarray(control, text), notes),
    text: withoutPadding(sqd.subarray(text, start + frame.msgLength)),
  };
  const valid = (attributes & ATTR_MSGUID) !== 0 && stored !== 0;
  return { message, umsgid: valid ? stored : null, notes };
}

/**
 * Splits a control area into its lines: at each ^A (0x01); each piece ends at its first NUL (the
 * rest is padding: a piece holding more than NULs after it is noted, as JAM's subfields are),
 * loses trailing CR and LF bytes, and is dropped when empty.
 *
 * @param area The `clen` bytes after the XMSG.
 * @param notes Where a piece cut at a NUL is noted.
 * @returns The control lines without ^A, as copies.
 */
export function splitControl(
  area: Uint8Array,
  notes: string[] = [],
): Uint8Array[] {
  const lines: Uint8Array[] = [];
  for (let start = 0; start <= area.length;) {
    let stop = area.indexOf(0x01, start);
    if (stop === -1) stop = area.length;
    const nul = area.subarray(start, stop).indexOf(0);
    if (nul !== -1 && area.subarray(start + nul, stop).some((b) => b !== 0)) {
      notes.push(
        `a control line holds bytes after a NUL; it is read up to the NUL (${
          stop - start - nul
        } bytes left out)`,
      );
    }
    let end = nul === -1 ? stop : start + nul;
    while (end > start && (area[end - 1] === 0x0d || area[end - 1] === 0x0a)) {
      end--;
    }
    if (end > start) lines.push(area.slice(start, end));
    start = stop + 1;
  }
  return lines;
}

/**
 * Decodes a DOS `datime` (section 3.7): low half the date, high half the time, seconds halved.
 *
 * @param value The stored u32.
 * @returns The time; null for 0 ("not set") and for a value whose fields are out of range.
 */
export function decodeDatime(value: number): FtnLocalTime | null | "invalid" {
  if (value === 0) return null;
  const time = {
    year: 1980 + ((value >>> 9) & 0x7f),
    month: (value >>> 5) & 0x0f,
    day: value & 0x1f,
    hour: (value >>> 27) & 0x1f,
    minute: (value >>> 21) & 0x3f,
    second: ((value >>> 16) & 0x1f) * 2,
  };
  const days = new Date(Date.UTC(time.year, time.month, 0)).getUTCDate();
  const valid = time.month >= 1 && time.month <= 12 && time.day >= 1 &&
    time.day <= days && time.hour <= 23 && time.minute <= 59 &&
    time.second <= 59;
  return valid ? time : "invalid";
}

function datime(
  value: number,
  name: string,
  notes: string[],
): FtnLocalTime | null {
  const time = decodeDatime(value);
  if (time !== "invalid") return time;
  notes.push(
    `${name} 0x${
      value.toString(16).padStart(8, "0")
    } is not a valid date; taken as not set`,
  );
  return null;
}

/** A NETADDR (4 × u16: zone, net, node, point) as `zone:net/node[.point]`; null when all 0. */
function netAddress(view: DataView, at: number): string | null {
  const words = [0, 2, 4, 6].map((step) => {
    const word = view.getUint16(at + step, true);
    return word === 0xffff ? -1 : word;
  });
  const [zone, net, node, point] = words;
  if (words.every((word) => word === 0)) return null;
  return `${zone}:${net}/${node}${point === 0 ? "" : `.${point}`}`;
}

/**
 * A fixed-size text field: its bytes up to the first NUL, a view into the file's bytes (which the
 * base's messages hold anyway until the import ends: a copy of every text cost as much again).
 */
function field(bytes: Uint8Array, at: number, size: number): Uint8Array {
  const whole = bytes.subarray(at, at + size);
  const end = whole.indexOf(0);
  return end === -1 ? whole : whole.subarray(0, end);
}

/**
 * The message text: its bytes up to the last that is not NUL (a writer may pad it, or end it
 * with one). A NUL inside is kept, for decoding to make a space of it and count it (as in a JAM
 * text): the bytes after it are text too, not padding.
 */
function withoutPadding(text: Uint8Array): Uint8Array {
  let end = text.length;
  while (end > 0 && text[end - 1] === 0) end--;
  return text.subarray(0, end);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
