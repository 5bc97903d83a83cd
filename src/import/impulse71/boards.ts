/**
 * BOARDS.DAT, the message areas (`boardrec`, 256 bytes). Record k is board k + 1.
 *
 * @module
 */

import { flagNames, RecordReader, withSecret } from "./pascal.ts";
import { type DecodeContext, splitRecords } from "./problems.ts";

/** The size of a BOARDS.DAT record. */
export const BOARD_SIZE = 256;

/** The `mbstat` flags, by bit. */
export const BOARD_FLAGS = [
  "visibleWithoutAccess",
  "forceRealNames",
  "isDirectory",
  "brdInMsgPath",
  "filterHighAscii",
  "stripKludges",
  "stripSeenBy",
  "stripOrigin",
  "stripCentring",
  "stripBoxCodes",
  "centreBoxedLines",
  "addTearOrigin",
  "xbase",
] as const;

/** A message board as BOARDS.DAT describes it. */
export interface Impulse71BoardRecord {
  /** The board number, record + 1. */
  number: number;
  /** Area title; may hold colour codes. */
  name: string;
  /** Base name of the `.MIX`/`.BRD` pair, upper case as Impulse used it; a natural tag. */
  fileName: string;
  /** Next msgid to hand out. */
  lastMsgid: number;
  /** Read access condition, raw ACS text (such as `s30`). */
  acs: string;
  /** Post access condition. */
  postAcs: string;
  /** Who may use MCI codes. */
  mciAcs: string;
  /** Area password, clear text; non-enumerable. Empty when none. */
  readonly password: string;
  /** Messages the packer keeps (0 = unlimited). */
  maxMessages: number;
  /** 0 none, 1 allowed, 2 forced, 3 "Dear Abby", 4 any name. */
  anonymous: number;
  /** `mbstat` flags that are set ({@linkcode BOARD_FLAGS}). */
  flags: (typeof BOARD_FLAGS)[number][];
  /** Stable board id across re-ordering. */
  permanentIndex: number;
  /** 0 local, 1 echomail, 2 group/XMail. */
  type: number;
  /** Echo origin line. */
  origin: string;
  /** Text, quote, tear and origin colours. */
  colours: { text: number; quote: number; tear: number; origin: number };
  /** Alternate FidoNet address. */
  address: { zone: number; net: number; node: number; point: number };
  /** Conference slot in MCONF.DAT. */
  conference: number;
}

/**
 * Decodes BOARDS.DAT.
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @returns The boards, in board-number order.
 */
export function decodeBoards(
  bytes: Uint8Array,
  context: DecodeContext,
): Impulse71BoardRecord[] {
  return splitRecords(bytes, BOARD_SIZE, context).map((record, index) => {
    const r = new RecordReader(record, context, index);
    const board = {
      number: index + 1,
      name: r.string(0, 40, "name"),
      fileName: r.string(41, 8, "filename").trim().toUpperCase(),
      lastMsgid: r.i32(50),
      acs: r.string(95, 20, "acs"),
      postAcs: r.string(116, 20, "postacs"),
      mciAcs: r.string(137, 20, "mciacs"),
      maxMessages: r.u16(158),
      anonymous: r.u8(160),
      flags: flagNames(r.set(182, 2), BOARD_FLAGS),
      permanentIndex: r.i32(184),
      type: r.i16(188),
      origin: r.string(190, 50, "origin"),
      colours: {
        text: r.u8(241),
        quote: r.u8(242),
        tear: r.u8(243),
        origin: r.u8(244),
      },
      address: {
        zone: r.i16(245),
        net: r.i16(247),
        node: r.i16(249),
        point: r.i16(251),
      },
      conference: r.u8(253),
    };
    return withSecret(board, "password", r.string(161, 20, "password"));
  });
}
