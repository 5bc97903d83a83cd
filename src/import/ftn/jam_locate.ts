/**
 * Finding the message headers of a JAM base: through `.jdx` (one record per message number),
 * or, when there is no usable index, by walking `.jhr` header by header (reference section 2.8).
 *
 * @module
 */

import {
  AREA_HEADER_SIZE,
  findSignature,
  FIXED_HEADER_SIZE,
  type JamHeader,
  readHeader,
} from "./jam_header.ts";
import { isDeleted } from "./jam_message.ts";
import { counted } from "../../describe.ts";

/** A header found, and the message number it has. */
export interface Located {
  header: JamHeader;
  number: number;
}

/** Reports a problem in one of the base's files. */
export type Report = (
  offset: number,
  number: number | null,
  reason: string,
) => void;

/** Where the locators report: one function per file. */
export interface LocateReports {
  jhr: Report;
  jdx: Report;
}

/** The size of a `.jdx` record: the To name's CRC and the header's offset. */
const INDEX_RECORD_SIZE = 8;
const EMPTY_SLOT = 0xffffffff;
/** Index records that lead nowhere reported one by one; the rest in one problem. */
const REPORTED = 100;

/**
 * The headers `.jdx` points at, in number order; null when the index is unusable (empty though
 * `.jhr` holds headers, or no record of it leads to a header), which it reports.
 *
 * @param jhr The whole `.jhr` file.
 * @param jdx The whole `.jdx` file.
 * @param baseNumber BaseMsgNum: the number of the first record.
 * @param report Where problems go.
 * @returns The headers with their numbers (index position + BaseMsgNum), or null.
 */
export function locateByIndex(
  jhr: Uint8Array,
  jdx: Uint8Array,
  baseNumber: number,
  report: LocateReports,
): Located[] | null {
  const count = Math.floor(jdx.length / INDEX_RECORD_SIZE);
  if (count === 0 && jhr.length > AREA_HEADER_SIZE) {
    report.jdx(
      0,
      null,
      "the index is empty though the header file holds headers; they were found by walking the header file",
    );
    return null;
  }
  if (jdx.length % INDEX_RECORD_SIZE !== 0) {
    report.jdx(
      count * INDEX_RECORD_SIZE,
      null,
      `the last ${
        jdx.length % INDEX_RECORD_SIZE
      } bytes are not a whole ${INDEX_RECORD_SIZE}-byte record; they were ignored`,
    );
  }
  const view = new DataView(jdx.buffer, jdx.byteOffset, jdx.byteLength);
  const located: Located[] = [];
  const failed: {
    record: number;
    offset: number;
    number: number;
    reason: string;
  }[] = [];
  /** Header offsets already read, and the records that pointed at one again. */
  const seen = new Set<number>();
  const again: { record: number; offset: number }[] = [];
  for (let record = 0; record < count; record++) {
    const crc = view.getUint32(record * INDEX_RECORD_SIZE, true);
    const offset = view.getUint32(record * INDEX_RECORD_SIZE + 4, true);
    if (crc === EMPTY_SLOT && offset === EMPTY_SLOT) continue;
    if (seen.has(offset)) {
      again.push({ record, offset });
      continue;
    }
    seen.add(offset);
    const number = baseNumber + record;
    // The area header starts with the signature too: it is no message header.
    const header = offset < AREA_HEADER_SIZE
      ? `offset ${offset} is inside the ${AREA_HEADER_SIZE}-byte area header`
      : readHeader(jhr, offset);
    if (typeof header === "string") {
      failed.push({ record, offset, number, reason: header });
    } else located.push({ header, number });
  }
  if (located.length === 0 && failed.length > 0) {
    report.jdx(
      0,
      null,
      `no record of the index leads to a message header (record ${
        failed[0]!.record
      } points to offset ${failed[0]!.offset}: ${
        failed[0]!.reason
      }); the headers were found by walking the header file`,
    );
    return null;
  }
  if (again.length > 0) {
    const first = again[0]!;
    report.jdx(
      first.record * INDEX_RECORD_SIZE,
      baseNumber + first.record,
      `${
        counted(again.length, "index record")
      } point to a header an earlier record points to (first: record ${first.record}, offset ${first.offset}); each header is read once, for the first record, and these numbers have no message`,
    );
  }
  for (const { record, offset, number, reason } of failed.slice(0, REPORTED)) {
    const where =
      `the index record for message ${number} points here, but ${reason}; the message is skipped`;
    if (offset < jhr.length) report.jhr(offset, number, where);
    else {report.jdx(
        record * INDEX_RECORD_SIZE,
        number,
        `it points to offset ${offset}, past the end of the header file; the message is skipped`,
      );}
  }
  if (failed.length > REPORTED) {
    report.jdx(
      failed[REPORTED]!.record * INDEX_RECORD_SIZE,
      null,
      `${
        counted(failed.length - REPORTED, "further index record")
      } lead to no message header; those messages are skipped`,
    );
  }
  for (const { header, number } of located) {
    if (header.messageNumber !== number) {
      report.jhr(
        header.offset,
        number,
        `the header says message ${header.messageNumber} but the index makes it message ${number}; the index's number is kept`,
      );
    }
  }
  return located;
}

/**
 * The headers the index found, and the live ones a walk of `.jhr` found that no index record
 * points to (an index cut short or pointing astray loses no message the header file holds):
 * each is kept with its MessageNumber and reported; where the index gives that number to a
 * deleted header (a grown header whose index record still points to the old copy), the live copy
 * takes its place; where it gives it to a live one, the header is reported and skipped. Deleted
 * headers the index does not reach are left: they are the old copies a writer leaves when it
 * grows a header.
 *
 * @param indexed The headers `.jdx` points at.
 * @param walked The headers a walk of `.jhr` found.
 * @param report Where problems in `.jhr` go.
 * @returns Both, in number order.
 */
export function withUnindexed(
  indexed: Located[],
  walked: Located[],
  report: Report,
): Located[] {
  const reached = new Set(indexed.map(({ header }) => header.offset));
  const byNumber = new Map(indexed.map((item) => [item.number, item]));
  const found: Located[] = [];
  for (const item of walked) {
    const { header, number } = item;
    if (reached.has(header.offset) || isDeleted(header)) continue;
    const other = byNumber.get(number);
    if (other !== undefined && isDeleted(other.header)) {
      // A grown header: the writer appended the live copy and marked the old one deleted, but
      // the index still points to the old one.
      report(
        header.offset,
        number,
        `the index points to a deleted copy of this message (offset ${other.header.offset}); this live copy, found by walking the header file, is read instead`,
      );
      other.header = header;
      continue;
    }
    if (other !== undefined) {
      report(
        header.offset,
        number,
        `no index record points to this live header, and the index gives its number (${number}) to another; it is skipped`,
      );
      continue;
    }
    report(
      header.offset,
      number,
      "no index record points to this header; it was found by walking the header file and kept with its own MessageNumber",
    );
    found.push(item);
  }
  return found.length === 0
    ? indexed
    : [...indexed, ...found].sort((a, b) => a.number - b.number);
}

/**
 * The headers found by walking `.jhr` from offset 1024, in number order. A damaged stretch is
 * skipped to the next header signature. Of several copies with one MessageNumber (a writer that
 * grows a header appends a copy and marks the old one DELETED), the last live copy is kept, or
 * the last copy when all are deleted.
 *
 * @param jhr The whole `.jhr` file.
 * @param report Where problems in `.jhr` go.
 * @returns The headers with their MessageNumber fields as numbers.
 */
export function locateByWalk(jhr: Uint8Array, report: Report): Located[] {
  const byNumber = new Map<number, JamHeader>();
  let offset = AREA_HEADER_SIZE;
  while (offset < jhr.length) {
    const header = readHeader(jhr, offset);
    let next: number;
    if (typeof header === "string") {
      next = findSignature(jhr, offset + 1);
      report(offset, null, `${header}; ${skipped(jhr, offset, next)}`);
    } else {
      const kept = byNumber.get(header.messageNumber);
      if (kept === undefined || !isDeleted(header) || isDeleted(kept)) {
        byNumber.set(header.messageNumber, header);
      }
      next = header.damage === null
        ? header.end
        : findSignature(jhr, offset + FIXED_HEADER_SIZE);
    }
    if (next < 0) break;
    offset = next;
  }
  return [...byNumber].sort(([a], [b]) => a - b).map(([number, header]) => ({
    header,
    number,
  }));
}

/** What a walk did about bytes it could not read, from `from` to the next signature `next`. */
function skipped(jhr: Uint8Array, from: number, next: number): string {
  return next < 0
    ? `the remaining ${
      jhr.length - from
    } bytes of the file hold no further header and were skipped`
    : `${
      next - from
    } bytes were skipped to the next header signature, at offset ${next}`;
}
