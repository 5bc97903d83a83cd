/**
 * A JAM base's bytes made into the readers' common form (types.ts), without touching the disk:
 * the pure half of the JAM reader (jam.ts reads the files).
 *
 * @module
 */

import { StorageError } from "../../errors.ts";
import { AREA_HEADER_SIZE, hasSignature } from "./jam_header.ts";
import {
  locateByIndex,
  locateByWalk,
  type Located,
  type Report,
  withUnindexed,
} from "./jam_locate.ts";
import { cutAtNul, isDeleted, toMessage } from "./jam_message.ts";
import type {
  FtnBase,
  FtnLastRead,
  FtnRawMessage,
  FtnReadProblem,
} from "./types.ts";

/** The contents of a base's four files; `.jdx` and `.jlr` are null when missing. */
export interface JamFiles {
  /** The header file: the area header, then the message headers. */
  jhr: Uint8Array;
  /** The texts. */
  jdt: Uint8Array;
  /** The index; null when missing (the headers are then found by walking `.jhr`). */
  jdx: Uint8Array | null;
  /** The last-read records; null when missing. */
  jlr: Uint8Array | null;
}

/** The file names problems are reported under, e.g. `{ jhr: "general.jhr", … }`. */
export type JamFileNames = Record<keyof JamFiles, string>;

/** The size of a `.jlr` record: UserCRC, UserID, LastReadMsg, HighReadMsg. */
const LAST_READ_SIZE = 16;

/**
 * The file names of a base, for problem reports.
 *
 * @param base The base name, e.g. `general`.
 * @param upper Whether the extensions are upper case.
 * @returns `general.jhr` … `general.jlr` (or `.JHR` …).
 */
export function jamBaseNames(base: string, upper = false): JamFileNames {
  const name = (ext: string) => `${base}.${upper ? ext.toUpperCase() : ext}`;
  return {
    jhr: name("jhr"),
    jdt: name("jdt"),
    jdx: name("jdx"),
    jlr: name("jlr"),
  };
}

/**
 * Refuses a `.jhr` that does not start with a JAM area header.
 *
 * @param jhr The file's bytes.
 * @param name Its name, for the message.
 * @throws {StorageError} `validation` naming the file.
 */
export function checkAreaHeader(jhr: Uint8Array, name: string): void {
  if (jhr.length < AREA_HEADER_SIZE || !hasSignature(jhr, 0)) {
    throw new StorageError(
      "validation",
      `Cannot read the JAM base as its header file does not start with a JAM area header (${AREA_HEADER_SIZE} bytes from "JAM" NUL): "${name}" (${jhr.length} bytes); check that it is a JAM base`,
    );
  }
}

/**
 * Reads a JAM base from its files' bytes. Messages are found through `.jdx` (each record's
 * number is its position plus BaseMsgNum), or, when `.jdx` is missing or unusable, by walking
 * `.jhr` (numbered by their MessageNumber fields). A damaged header, text or record is listed
 * in `problems` and stepped over; deleted messages are kept with `deleted: true`. A message's
 * `replies` follow the base's links: its Reply1st, then each answer's ReplyNext.
 *
 * @param files The four files' contents.
 * @param names The file names to report problems under (default `base.jhr` …).
 * @returns The base, messages in number order.
 * @throws {StorageError} `validation` when `.jhr` does not start with a JAM area header.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseJam } from "./jam_parse.ts";
 * const jhr = new Uint8Array(1024);
 * jhr.set([0x4a, 0x41, 0x4d, 0x00]); // "JAM\0": an area with no messages
 * const base = parseJam({ jhr, jdt: new Uint8Array(), jdx: new Uint8Array(), jlr: null });
 * assert.deepEqual(base, { format: "jam", messages: [], lastRead: [], problems: [] });
 * ```
 */
export function parseJam(
  files: JamFiles,
  names: JamFileNames = jamBaseNames("base"),
): FtnBase {
  const { jhr, jdt, jdx, jlr } = files;
  checkAreaHeader(jhr, names.jhr);
  const problems: FtnReadProblem[] = [];
  const report = (file: string): Report => (offset, number, reason) =>
    problems.push({ file, offset, number, reason });
  const area = new DataView(jhr.buffer, jhr.byteOffset, AREA_HEADER_SIZE);
  let located = jdx === null
    ? null
    : locateByIndex(jhr, jdx, area.getUint32(20, true), {
      jhr: report(names.jhr),
      jdx: report(names.jdx),
    });
  if (jdx === null) {
    report(names.jdx)(
      0,
      null,
      "the index file is missing; the headers were found by walking the header file",
    );
  }
  const activeMsgs = area.getUint32(12, true);
  // The walk is consulted when the index holds fewer live messages than the area header counts
  // (cut short, pointing astray, or at an old copy of a grown header): with a whole index, a
  // walk could only add what a damaged header's bytes look like.
  if (located === null) located = locateByWalk(jhr, report(names.jhr));
  else if (located.filter((l) => !isDeleted(l.header)).length < activeMsgs) {
    located = withUnindexed(
      located,
      locateByWalk(jhr, () => {}),
      report(names.jhr),
    );
  }
  const messages = toMessages(
    located,
    jdt,
    report(names.jhr),
    report(names.jdt),
  );
  const active = messages.filter((message) => !message.deleted).length;
  if (active !== activeMsgs) {
    report(names.jhr)(
      12,
      null,
      `the area header counts ${activeMsgs} messages not deleted, but ${active} were found; all found are kept`,
    );
  }
  return {
    format: "jam",
    messages,
    lastRead: jlr === null ? [] : lastReads(jlr, report(names.jlr)),
    problems,
  };
}

/** The messages of the located headers, with their reply lists. */
function toMessages(
  located: Located[],
  jdt: Uint8Array,
  reportJhr: Report,
  reportJdt: Report,
): FtnRawMessage[] {
  const byNumber = new Map(
    located.map(({ header, number }) => [number, header]),
  );
  return located.flatMap(({ header, number }) => {
    if (header.damage !== null) {
      reportJhr(
        header.offset,
        number,
        `${header.damage}; the message is kept with the ${header.subfields.length} whole subfields before that`,
      );
    }
    for (const reason of cutAtNul(header)) {
      reportJhr(header.offset, number, reason);
    }
    const message = toMessage(
      header,
      number,
      jdt,
      (offset, reason) => reportJdt(offset, number, reason),
    );
    if (message === null) return [];
    for (
      let answer = header.reply1st;
      answer !== 0 && !message.replies.includes(answer);
    ) {
      const next = byNumber.get(answer);
      if (next === undefined) break;
      message.replies.push(answer);
      answer = next.replyNext;
    }
    return [message];
  });
}

/** The live records of `.jlr` (a record with UserCRC and UserID both 0xFFFFFFFF was deleted). */
function lastReads(jlr: Uint8Array, report: Report): FtnLastRead[] {
  const view = new DataView(jlr.buffer, jlr.byteOffset, jlr.byteLength);
  const records: FtnLastRead[] = [];
  const count = Math.floor(jlr.length / LAST_READ_SIZE);
  for (let at = 0; at < count * LAST_READ_SIZE; at += LAST_READ_SIZE) {
    const nameCrc = view.getUint32(at, true);
    const userNumber = view.getUint32(at + 4, true);
    if (nameCrc === 0xffffffff && userNumber === 0xffffffff) continue;
    records.push({
      nameCrc,
      userNumber,
      lastRead: view.getUint32(at + 8, true),
      highRead: view.getUint32(at + 12, true),
    });
  }
  if (jlr.length % LAST_READ_SIZE !== 0) {
    report(
      count * LAST_READ_SIZE,
      null,
      `the last ${
        jlr.length % LAST_READ_SIZE
      } bytes are not a whole ${LAST_READ_SIZE}-byte record; they were ignored`,
    );
  }
  return records;
}
