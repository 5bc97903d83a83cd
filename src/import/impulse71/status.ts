/**
 * STATUS.DAT, the one 4319-byte system record in the BBS start directory.
 *
 * @module
 */

import { plural } from "../../describe.ts";
import { RecordReader } from "./pascal.ts";
import { type DecodeContext, report } from "./problems.ts";
import type { Impulse71Date } from "./dates.ts";

/** The size of the STATUS.DAT record. */
export const STATUS_SIZE = 4319;

/** What an importer needs from STATUS.DAT (its passwords are not decoded). */
export interface Impulse71System {
  /** `gfilepath`: the DOS data directory, such as `C:\IMP\DATA\`. */
  dataPath: string;
  /** `msgpath`: the DOS directory of every message base, e-mail included. */
  messagePath: string;
  /** The board's name. */
  bbsName: string;
  /** The SysOp's name. */
  sysopName: string;
  /** Total calls so far (`callernum`). */
  callerNumber: number;
  /** Users per NAMES.LST (`numusers`, which is that file's record count). */
  userCount: number;
  /** The date of the last call. */
  lastDate: Impulse71Date;
  /** Whether phone digits 9..12 act as a second login secret. */
  phonePassword: boolean;
}

/**
 * Decodes STATUS.DAT.
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @returns The system record, or `null` when the file is shorter than one record (reported).
 */
export function decodeStatus(
  bytes: Uint8Array,
  context: DecodeContext,
): Impulse71System | null {
  if (bytes.length < STATUS_SIZE) {
    report(
      context,
      "truncated_file",
      null,
      `File is ${
        plural(bytes.length, "byte")
      }, shorter than the ${STATUS_SIZE}-byte record: ignored`,
    );
    return null;
  }
  const r = new RecordReader(bytes.subarray(0, STATUS_SIZE), context, 0);
  return {
    dataPath: r.string(0, 79, "gfilepath"),
    messagePath: r.string(320, 79, "msgpath"),
    bbsName: r.string(563, 80, "bbsname"),
    sysopName: r.string(657, 30, "sysopname"),
    callerNumber: r.i32(4183),
    userCount: r.i16(4187),
    lastDate: r.date(4172, "lastdate"),
    phonePassword: r.bool(1282),
  };
}
