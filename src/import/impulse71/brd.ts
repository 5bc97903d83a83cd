/**
 * *.BRD, the untyped stream of 333-byte message headers and text blocks. Messages are found
 * through the `.MIX` index; walking the stream only serves to find headers no slot uses.
 *
 * @module
 */

import { plural } from "../../describe.ts";
import { decodeCp437 } from "./cp437.ts";
import { RecordReader, sameName } from "./pascal.ts";
import type { DecodeContext } from "./problems.ts";

/** The size of a message header. */
export const HEADER_SIZE = 333;

/** An author or addressee (`fromtoinfo`). */
export interface Impulse71Party {
  /**
   * 0 normal, 1 anonymous, 2 anonymous posted by a Co-SysOp, 3 shown as "Abby",
   * 4 shown as "Problemed Person", 5 a name the user chose (in `shownAs`).
   */
  anonymous: number;
  /** USER.LST slot at posting time (0 = none, or "All"); the slot may have been reused. */
  userNumber: number;
  /** The name as displayed, often ending ` #<usernum>`; an empty public "To" means All. */
  shownAs: string;
  /** Real name, upper case. */
  realName: string;
  /** Handle, upper case. */
  alias: string;
  /** `userNumber`, when the user now in that slot has this party's name; otherwise `null`. */
  user: number | null;
}

/** A message header (`mheaderrec`) without its signature. */
export interface MessageHeader {
  /** Byte offset of the text block. */
  textOffset: number;
  /** Exact length of the text block in bytes. */
  textLength: number;
  /** The author. */
  from: Impulse71Party;
  /** The addressee. */
  to: Impulse71Party;
  /** The subject. */
  title: string;
  /** Original date text of echomail; empty for local messages. */
  originDate: string;
}

/**
 * Tells whether a plausible header starts at `offset`: the `FF FF FF FF` signature and a
 * text block inside the file.
 *
 * @param brd The `.BRD` contents.
 * @param offset A byte offset.
 * @returns Whether a header can be read there.
 */
export function isHeaderAt(brd: Uint8Array, offset: number): boolean {
  if (offset < 0 || offset + HEADER_SIZE > brd.length) return false;
  const view = new DataView(brd.buffer, brd.byteOffset + offset, 12);
  const textOffset = view.getInt32(4, true);
  const textLength = view.getInt32(8, true);
  return view.getInt32(0, true) === -1 && textOffset >= 0 && textLength >= 0 &&
    textOffset + textLength <= brd.length;
}

/**
 * Reads the header at `offset`; check {@linkcode isHeaderAt} first.
 *
 * @param brd The `.BRD` contents.
 * @param offset The header's byte offset.
 * @param context The `.BRD` file and the problem list; problems are filed under `record`.
 * @param record The `.MIX` slot that points here, for reports (`null` for none).
 * @param users User names by slot, to link parties to the users now in their slots.
 * @returns The header.
 */
export function readHeader(
  brd: Uint8Array,
  offset: number,
  context: DecodeContext,
  record: number | null,
  users: ReadonlyMap<number, string>,
): MessageHeader {
  const r = new RecordReader(
    brd.subarray(offset, offset + HEADER_SIZE),
    context,
    record,
  );
  return {
    textOffset: r.i32(4),
    textLength: r.i32(8),
    from: readParty(r, 12, "fromi", users),
    to: readParty(r, 132, "toi", users),
    title: r.string(252, 60, "title"),
    originDate: r.string(313, 19, "origindate"),
  };
}

function readParty(
  r: RecordReader,
  at: number,
  field: string,
  users: ReadonlyMap<number, string>,
): Impulse71Party {
  const userNumber = r.u16(at + 1);
  const shownAs = r.string(at + 3, 42, `${field}.asn`);
  const alias = r.string(at + 83, 36, `${field}.alias`);
  const current = users.get(userNumber);
  const name = alias !== "" ? alias : shownAs.replace(/ #\d+$/, "");
  return {
    anonymous: r.u8(at),
    userNumber,
    shownAs,
    realName: r.string(at + 46, 36, `${field}.real`),
    alias,
    user: userNumber > 0 && current !== undefined && sameName(current, name)
      ? userNumber
      : null,
  };
}

/** The lines of a text block, and why reading stopped early, if it did. */
export interface MessageText {
  /** The lines read, CP437-decoded, codes kept. */
  lines: string[];
  /** `null` when the block was consumed exactly; otherwise what broke off. */
  error: string | null;
}

/**
 * Reads a text block: lines of `FF`, a length byte L and L bytes, until `length` bytes
 * are consumed.
 *
 * @param brd The `.BRD` contents.
 * @param offset The block's byte offset.
 * @param length The block's exact length.
 * @returns The lines, and an error when the block breaks off.
 */
export function readText(
  brd: Uint8Array,
  offset: number,
  length: number,
): MessageText {
  const lines: string[] = [];
  const end = offset + length;
  if (offset < 0 || length < 0 || end > brd.length) {
    return {
      lines,
      error: `Text block of ${
        plural(length, "byte")
      } at byte ${offset} lies outside the file of ${
        plural(brd.length, "byte")
      }`,
    };
  }
  let at = offset;
  while (at < end) {
    if (brd[at] !== 0xff) {
      const found = brd[at]!.toString(16).padStart(2, "0");
      return {
        lines,
        error:
          `Byte 0x${found} at ${at} where a line should start: kept ${lines.length} lines`,
      };
    }
    const size = brd[at + 1] ?? 0;
    if (at + 2 + size > end) {
      return {
        lines,
        error:
          `Line at byte ${at} runs past the text block: kept ${lines.length} lines`,
      };
    }
    lines.push(decodeCp437(brd.subarray(at + 2, at + 2 + size)));
    at += 2 + size;
  }
  return { lines, error: null };
}

/**
 * Walks the stream from the start and lists the offsets of every header in it: after a
 * header whose text follows it, the walk skips the text; otherwise (an unpacked mass-mail
 * copy pointing back at shared text) it goes on right after the header. Bytes that are
 * neither are stepped over until the next plausible header.
 *
 * @param brd The `.BRD` contents.
 * @returns Header offsets, ascending.
 */
export function findHeaders(brd: Uint8Array): number[] {
  const offsets: number[] = [];
  const view = new DataView(brd.buffer, brd.byteOffset, brd.byteLength);
  let at = 0;
  while (at + HEADER_SIZE <= brd.length) {
    if (!isHeaderAt(brd, at)) {
      at++;
      continue;
    }
    offsets.push(at);
    const textOffset = view.getInt32(at + 4, true);
    const textLength = view.getInt32(at + 8, true);
    at = textOffset === at + HEADER_SIZE
      ? textOffset + textLength
      : at + HEADER_SIZE;
  }
  return offsets;
}
