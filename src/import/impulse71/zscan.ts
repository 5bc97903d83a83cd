/**
 * ZSCAN.DAT, per-user new-scan state (`zscanrec`, 1588 bytes; slot = user number).
 *
 * @module
 */

import type { Impulse71Stamp } from "./dates.ts";
import { RecordReader } from "./pascal.ts";
import { type DecodeContext, splitRecords } from "./problems.ts";

/** The size of a ZSCAN.DAT record. */
export const ZSCAN_SIZE = 1588;

/** One slot of ZSCAN.DAT as stored. */
export interface ZscanRecord {
  /** The slot, which is the user number. */
  userNumber: number;
  /** Per board (1..254) with a stamp set: the date of the newest message read there. */
  highRead: { board: number; at: Impulse71Stamp }[];
  /** Boards (1..254) included in new-scan. */
  boards: number[];
  /** File bases (0..254) included in new-scan. */
  fileAreas: number[];
}

/**
 * Decodes ZSCAN.DAT.
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @returns Every slot, in slot order.
 */
export function decodeZscan(
  bytes: Uint8Array,
  context: DecodeContext,
): ZscanRecord[] {
  return splitRecords(bytes, ZSCAN_SIZE, context).map((record, slot) => {
    const r = new RecordReader(record, context, slot);
    const highRead: ZscanRecord["highRead"] = [];
    for (let board = 1; board <= 254; board++) {
      const at = r.stamp((board - 1) * 6, `mhiread[${board}]`);
      if (at !== null) highRead.push({ board, at });
    }
    return {
      userNumber: slot,
      highRead,
      boards: r.set(1524, 32, 1).filter((board) => board <= 254),
      fileAreas: r.set(1556, 32, 0).filter((area) => area <= 254),
    };
  });
}
