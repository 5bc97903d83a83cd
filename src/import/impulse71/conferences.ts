/**
 * MCONF.DAT and FCONF.DAT, the message and file conferences (`ConfRec`, one 540-byte
 * record: 20 × `string[5]` ACS, then 20 × `string[20]` names, for conferences 1..20).
 *
 * @module
 */

import { plural } from "../../describe.ts";
import { RecordReader } from "./pascal.ts";
import { type DecodeContext, report } from "./problems.ts";

/** The size of the conference record. */
export const CONFERENCE_SIZE = 540;

/** One conference with a name; deleted conferences are blank and left out. */
export interface Impulse71Conference {
  /** The conference number, 1..20, referred to by boards and file areas. */
  number: number;
  /** Its name. */
  name: string;
  /** Access condition, raw ACS text. */
  acs: string;
}

/**
 * Decodes a conference file, leaving out blank slots (holes are normal).
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @returns The named conferences, in number order.
 */
export function decodeConferences(
  bytes: Uint8Array,
  context: DecodeContext,
): Impulse71Conference[] {
  if (bytes.length < CONFERENCE_SIZE) {
    report(
      context,
      "truncated_file",
      null,
      `File is ${
        plural(bytes.length, "byte")
      }, shorter than the ${CONFERENCE_SIZE}-byte record: ignored`,
    );
    return [];
  }
  const r = new RecordReader(bytes.subarray(0, CONFERENCE_SIZE), context, 0);
  return Array.from({ length: 20 }, (_, index) => ({
    number: index + 1,
    name: r.string(120 + index * 21, 20, `name ${index + 1}`),
    acs: r.string(index * 6, 5, `acs ${index + 1}`),
  })).filter((conference) => conference.name !== "");
}
