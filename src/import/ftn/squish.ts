/**
 * The Squish message-base reader: a base's `.sqd` (frames), `.sqi` (index) and `.sql`
 * (last-read pointers) read into an {@linkcode FtnBase}. Reference: FSP-1037, sections 3 and 5
 * of the project's FTN notes.
 *
 * A message's `number` is its UMSGID, the id that never changes (the XMSG replyto/replies links
 * and Maximus's `.sql` values are UMSGIDs too): the XMSG umsgid when the MSGUID attribute
 * (0x20000) says it is valid and it is not 0; else the `.sqi` record's UMSGID for that frame;
 * else (no valid UMSGID anywhere) the message number, its place in the chain from 1. A number
 * met twice moves above the highest, with a problem. Deleted messages are not in a Squish base:
 * a deletion moves the frame to the free chain (frame_type 1) and drops its `.sqi` record, so
 * free frames are never read and `deleted` is always false.
 *
 * Control lines are the control area split at ^A, each cut at its first NUL and stripped of
 * trailing CR/LF, empty ones dropped. The text is the rest of the message up to its first NUL
 * (writers pad with NULs). `.sql` slots holding 0 give no last-read record.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { StorageError } from "../../errors.ts";
import { readBaseFile } from "./base_file.ts";
import * as runtime from "../../runtime.ts";
import type { FtnBase, FtnRawMessage, FtnReadProblem } from "./types.ts";
import { BASE, BASE_HEADER_SIZE, FRAME_HEADER_SIZE } from "./_squish_layout.ts";
import { readIndex, readLastRead } from "./squish_index.ts";
import {
  type SquishFound,
  type SquishHeader,
  walkSquish,
} from "./squish_walk.ts";

/** The three files of a Squish base, as bytes; `.sqi` and `.sql` may be missing. */
export interface SquishFiles {
  sqd: Uint8Array;
  sqi: Uint8Array | null;
  sql: Uint8Array | null;
}

/** Options of {@linkcode parseSquish}. */
export interface ParseSquishOptions {
  /** The file names problems are reported under (default `base.sqd`, `base.sqi`, `base.sql`). */
  names?: { sqd: string; sqi: string; sql: string };
}

/**
 * Reads the Squish base at `path` (the path without extension: `msgs/general` for
 * `msgs/general.sqd`). Extensions and the base name match in any case; `.sqi` and `.sql` may be
 * missing.
 *
 * @param path The base's path without extension.
 * @returns The base's messages in number order, its last-read pointers and the problems met.
 * @throws {StorageError} `not_found` when there is no `.sqd`; `validation` when its header
 *   cannot be read (see {@linkcode parseSquish}).
 *
 * @example
 * ```ts ignore
 * const base = await readSquishBase("./msgs/general");
 * console.log(base.messages.length, base.problems);
 * ```
 */
export async function readSquishBase(path: string): Promise<FtnBase> {
  const dir = dirname(path);
  const stem = basename(path);
  const listing = await listDirectory(dir, path);
  const find = (ext: string): string | null => {
    const wanted = `${stem}.${ext}`;
    if (listing.includes(wanted)) return wanted;
    const lower = wanted.toLowerCase();
    return listing.filter((name) => name.toLowerCase() === lower).sort()[0] ??
      null;
  };
  const sqdName = find("sqd");
  if (sqdName === null) {
    throw new StorageError(
      "not_found",
      `Cannot read the Squish base as its .sqd file is missing: "${path}.sqd" (give the base's path without extension)`,
    );
  }
  const sqiName = find("sqi");
  const sqlName = find("sql");
  const read = (name: string | null) =>
    name === null ? null : readBaseFile(join(dir, name), "Squish");
  const [sqd, sqi, sql] = await Promise.all([
    readBaseFile(join(dir, sqdName), "Squish"),
    read(sqiName),
    read(sqlName),
  ]);
  return parseSquish({ sqd, sqi, sql }, {
    names: {
      sqd: sqdName,
      sqi: sqiName ?? `${stem}.sqi`,
      sql: sqlName ?? `${stem}.sql`,
    },
  });
}

/**
 * Reads a Squish base from its files' bytes (no I/O). The message chain is walked from the base
 * header, guarded against loops and offsets outside the file; `.sqi` records whose frames the
 * chain did not reach are read too (a broken chain loses nothing the index still knows). A
 * damaged frame becomes a problem and reading goes on.
 *
 * @param files The `.sqd` bytes, and the `.sqi` and `.sql` bytes or null.
 * @param options The file names to report problems under.
 * @returns The base's messages in number order, its last-read pointers and the problems met.
 * @throws {StorageError} `validation` when the `.sqd` is shorter than its 256-byte header or the
 *   header's frame-header size is not Squish version 1's 28.
 *
 * @example
 * ```ts
 * import { parseSquish } from "./squish.ts";
 *
 * const sqd = new Uint8Array(256);
 * new DataView(sqd.buffer).setUint16(0, 256, true); // len
 * new DataView(sqd.buffer).setUint16(130, 28, true); // sz_sqhdr
 * const base = parseSquish({ sqd, sqi: null, sql: null });
 * console.log(base.messages.length); // 0
 * ```
 */
export function parseSquish(
  files: SquishFiles,
  options: ParseSquishOptions = {},
): FtnBase {
  const names = options.names ??
    { sqd: "base.sqd", sqi: "base.sqi", sql: "base.sql" };
  const problems: FtnReadProblem[] = [];
  const header = readHeader(files.sqd, names.sqd, problems);
  const index = readIndex(files.sqi, names.sqi, problems);
  const found = walkSquish(files.sqd, header, index, names, problems);
  if (files.sqi === null) problems.push(missingIndex(names.sqi));
  if (found.length !== header.numMsg) {
    problems.push({
      file: names.sqd,
      offset: BASE.numMsg,
      number: null,
      reason:
        `the base header counts ${header.numMsg} messages but ${found.length} were read`,
    });
  }
  return {
    format: "squish",
    messages: numberMessages(found, names.sqd, problems),
    lastRead: readLastRead(files.sql, names.sql, problems),
    problems,
  };
}

/** Options of {@linkcode squishHash}. */
export interface SquishHashOptions {
  /** Lower-case A–Z before adding (the historical form; default true). */
  lowerCase?: boolean;
}

/**
 * The `.sqi` name hash (section 3.8) of a To name, in its historical form (A–Z lower-cased
 * before adding; other bytes added as they are, unsigned). The hash covers the bytes before the
 * first NUL. Readers must not reject a base whose hashes differ: writers may skip lower-casing.
 *
 * @param name The To name's bytes.
 * @param options `lowerCase: false` for the form without lower-casing that FSP-1037 allows.
 * @returns The hash, 31 bits.
 *
 * @example
 * ```ts
 * import { squishHash } from "./squish.ts";
 *
 * console.log(squishHash(new TextEncoder().encode("All")).toString(16)); // 682c
 * ```
 */
export function squishHash(
  name: Uint8Array,
  options: SquishHashOptions = {},
): number {
  const fold = options.lowerCase ?? true;
  let hash = 0;
  for (const byte of name) {
    if (byte === 0) break;
    const lower = fold && byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
    hash = ((hash << 4) + lower) >>> 0;
    const top = hash & 0xf0000000;
    if (top !== 0) hash = (hash | (top >>> 24)) >>> 0;
  }
  return hash & 0x7fffffff;
}

function readHeader(
  sqd: Uint8Array,
  name: string,
  problems: FtnReadProblem[],
): SquishHeader {
  if (sqd.length < BASE_HEADER_SIZE) {
    throw new StorageError(
      "validation",
      `Cannot read the Squish base as its .sqd is shorter than the ${BASE_HEADER_SIZE}-byte base header: "${name}" (${sqd.length} bytes; the file is truncated or not a Squish base)`,
    );
  }
  const view = new DataView(sqd.buffer, sqd.byteOffset, sqd.byteLength);
  const len = view.getUint16(BASE.len, true);
  const frameHeader = view.getUint16(BASE.szSqhdr, true);
  const endFrame = view.getUint32(BASE.endFrame, true);
  if (frameHeader !== FRAME_HEADER_SIZE && frameHeader !== 0) {
    throw new StorageError(
      "validation",
      `Cannot read the Squish base as its frame-header size (sz_sqhdr) is ${frameHeader}, not ${FRAME_HEADER_SIZE}: "${name}" (not a Squish version 1 base)`,
    );
  }
  const odd = [
    len !== BASE_HEADER_SIZE && `len is ${len}, not ${BASE_HEADER_SIZE}`,
    frameHeader === 0 && `sz_sqhdr is 0; ${FRAME_HEADER_SIZE} assumed`,
    endFrame > sqd.length &&
    `end_frame is ${endFrame} but the file has ${sqd.length} bytes: it was cut short`,
  ];
  for (const reason of odd) {
    if (reason) problems.push({ file: name, offset: 0, number: null, reason });
  }
  return {
    numMsg: view.getUint32(BASE.numMsg, true),
    beginFrame: view.getUint32(BASE.beginFrame, true),
    lastFrame: view.getUint32(BASE.lastFrame, true),
  };
}

/**
 * Gives each message its number: the UMSGID (XMSG, or `.sqi` when the XMSG has none), else its
 * message number. A number already taken (two frames with one UMSGID, or a message number that
 * is another message's UMSGID) moves to one above the highest, with a problem.
 */
function numberMessages(
  found: SquishFound[],
  file: string,
  problems: FtnReadProblem[],
): FtnRawMessage[] {
  const taken = new Map<number, number>();
  let highest = 0;
  for (const item of found) {
    item.message.number = item.umsgid ?? item.position;
    highest = Math.max(highest, item.message.number);
  }
  for (const item of found) {
    const first = taken.get(item.message.number);
    if (first !== undefined) {
      const was = item.message.number;
      item.message.number = ++highest;
      problems.push({
        file,
        offset: item.offset,
        number: item.message.number,
        reason:
          `number ${was} is also the frame at offset ${first}'s; this message is numbered ${highest}`,
      });
    }
    taken.set(item.message.number, item.offset);
  }
  return found.map((item) => item.message).sort((a, b) => a.number - b.number);
}

/**
 * The problem of a base without its `.sqi` (Squish always writes one): read all the same, by the
 * `.sqd`'s frame chain alone.
 *
 * @param file The name the index would have.
 * @returns The problem.
 */
export function missingIndex(file: string): FtnReadProblem {
  return {
    file,
    offset: 0,
    number: null,
    reason:
      "the .sqi index is missing; the messages were read by the .sqd's frame chain alone (a break in the chain would lose the rest)",
  };
}

async function listDirectory(dir: string, path: string): Promise<string[]> {
  try {
    return (await runtime.readDir(dir)).map((entry) => entry.name);
  } catch (error) {
    if (!(error instanceof runtime.errors.NotFound)) throw error;
    throw new StorageError(
      "not_found",
      `Cannot read the Squish base as its directory does not exist: "${path}"`,
    );
  }
}
