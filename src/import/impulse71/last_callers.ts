/**
 * LASTON.DAT, the last callers (`lcallers`, 72 bytes; record 0 is the most recent call).
 *
 * @module
 */

import { RecordReader, sameName } from "./pascal.ts";
import { type DecodeContext, splitRecords } from "./problems.ts";

/** The size of a LASTON.DAT record. */
export const LAST_CALLER_SIZE = 72;

/** One remote call (SysOp-console logons were never recorded). No call time is stored. */
export interface Impulse71LastCaller {
  /** The record: 0 is the most recent call. */
  record: number;
  /** The system's caller number for this call. */
  callNumber: number;
  /** Caller's name, a title-cased snapshot. */
  name: string;
  /** USER.LST slot at call time; the slot may have been reused since. */
  userNumber: number;
  /** `userNumber`, when the user now in that slot has this name; otherwise `null`. */
  user: number | null;
  /** Snapshot of the caller's city and state. */
  cityState: string;
}

/**
 * Decodes LASTON.DAT, leaving out empty slots (caller number −1).
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @param users User names by slot, to link callers to the users now in their slots.
 * @returns The calls, most recent first.
 */
export function decodeLastCallers(
  bytes: Uint8Array,
  context: DecodeContext,
  users: ReadonlyMap<number, string>,
): Impulse71LastCaller[] {
  return splitRecords(bytes, LAST_CALLER_SIZE, context).flatMap(
    (bytes, record) => {
      const r = new RecordReader(bytes, context, record);
      const callNumber = r.i16(0);
      if (callNumber === -1) return [];
      const name = r.string(2, 36, "name");
      const userNumber = r.i16(39);
      const current = users.get(userNumber);
      return [{
        record,
        callNumber,
        name,
        userNumber,
        user: userNumber > 0 && current !== undefined && sameName(current, name)
          ? userNumber
          : null,
        cityState: r.string(41, 30, "citystate"),
      }];
    },
  );
}
