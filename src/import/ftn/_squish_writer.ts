/**
 * A Squish base writer, for tests and round trips (not part of the package's API): it lays out a
 * valid version 1 base (section 3 of the FTN notes) from message descriptions in the reader's
 * own form, so that `parseSquish(buildSquishBase(messages))` gives the messages back.
 *
 * @module
 */

import { writeFile } from "node:fs/promises";
import type { FtnLocalTime, FtnRawMessage } from "./types.ts";
import type { SquishFiles } from "./squish.ts";
import { squishHash } from "./squish.ts";
import {
  ATTR_READ,
  BASE,
  BASE_HEADER_SIZE,
  FRAME,
  FRAME_FREE,
  FRAME_HEADER_SIZE,
  FRAME_ID,
  FRAME_NORMAL,
  FTSC_DATE_SIZE,
  INDEX_READ_BIT,
  INDEX_RECORD_SIZE,
  LAST_READ_SIZE,
  NAME_SIZE,
  REPLY_SLOTS,
  SUBJECT_SIZE,
  XMSG,
  XMSG_SIZE,
} from "./_squish_layout.ts";
import { concat } from "../impulse71/_builders_test.ts";

/**
 * A message to write: the reader's form (`private` is ignored: it comes from `attributes`).
 * `number` is the UMSGID. A message with `deleted: true` is written as a free frame (a deleted
 * message's frame keeps its bytes), in the free chain and not in `.sqi`.
 */
export type SquishMessageInput = Omit<FtnRawMessage, "private">;

/** Options of {@linkcode buildSquishBase}. */
export interface SquishWriteOptions {
  /** Lower-case A–Z before hashing To names (the historical form; default true). */
  lowerCaseHash?: boolean;
  /** Extra bytes each frame reserves beyond its message, filled with junk (default 0). */
  slack?: number;
  /** Write a `.sqi` (default true). */
  index?: boolean;
  /** Write the file names' extensions in upper case (default false). */
  upperCase?: boolean;
}

/**
 * Lays out a base: frames in the order given (live ones chained in that order, which should be
 * ascending `number`; deleted ones in the free chain), the `.sqi` and the `.sql`.
 *
 * @param messages The messages, in message-number order.
 * @param lastRead The `.sql` slots' values, or null for no `.sql`.
 * @param options Layout choices.
 * @returns The three files' bytes.
 */
export function buildSquishBase(
  messages: readonly SquishMessageInput[],
  lastRead: readonly number[] | null,
  options: SquishWriteOptions = {},
): SquishFiles {
  const slack = options.slack ?? 0;
  const frames = messages.map((message) => frameBytes(message, slack));
  const offsets: number[] = [];
  let end = BASE_HEADER_SIZE;
  for (const frame of frames) {
    offsets.push(end);
    end += frame.length;
  }
  const sqd = new Uint8Array(end);
  frames.forEach((frame, i) => sqd.set(frame, offsets[i]));
  const view = new DataView(sqd.buffer);
  const live = messages.flatMap((m, i) => m.deleted ? [] : [i]);
  const free = messages.flatMap((m, i) => m.deleted ? [i] : []);
  const at = (i: number | undefined) => i === undefined ? 0 : offsets[i]!;
  for (const chain of [live, free]) {
    chain.forEach((i, k) => {
      view.setUint32(offsets[i]! + FRAME.next, at(chain[k + 1]), true);
      view.setUint32(offsets[i]! + FRAME.prev, at(chain[k - 1]), true);
    });
  }
  const highest = Math.max(0, ...messages.map((m) => m.number));
  view.setUint16(BASE.len, BASE_HEADER_SIZE, true);
  view.setUint32(BASE.numMsg, live.length, true);
  view.setUint32(BASE.highMsg, live.length, true);
  view.setUint32(BASE.uid, highest + 1, true);
  view.setUint32(BASE.beginFrame, at(live[0]), true);
  view.setUint32(BASE.lastFrame, at(live.at(-1)), true);
  view.setUint32(BASE.freeFrame, at(free[0]), true);
  view.setUint32(BASE.lastFree, at(free.at(-1)), true);
  view.setUint32(BASE.endFrame, end, true);
  view.setUint16(BASE.szSqhdr, FRAME_HEADER_SIZE, true);
  const sqi = new Uint8Array(live.length * INDEX_RECORD_SIZE);
  const index = new DataView(sqi.buffer);
  live.forEach((i, k) => {
    const message = messages[i]!;
    const name = squishHash(message.toName, {
      lowerCase: options.lowerCaseHash ?? true,
    });
    const read = (message.attributes & ATTR_READ) !== 0 ? INDEX_READ_BIT : 0;
    index.setUint32(k * INDEX_RECORD_SIZE, offsets[i]!, true);
    index.setUint32(k * INDEX_RECORD_SIZE + 4, message.number, true);
    index.setUint32(k * INDEX_RECORD_SIZE + 8, (name | read) >>> 0, true);
  });
  return {
    sqd,
    sqi: options.index === false ? null : sqi,
    sql: lastRead === null ? null : lastReadBytes(lastRead),
  };
}

/**
 * Writes a base to `path.sqd`, `path.sqi` and `path.sql` (see {@linkcode buildSquishBase}).
 *
 * @param path The base's path without extension.
 * @param messages The messages, in message-number order.
 * @param lastRead The `.sql` slots' values, or null for no `.sql`.
 * @param options Layout choices.
 */
export async function writeSquishBase(
  path: string,
  messages: readonly SquishMessageInput[],
  lastRead: readonly number[] | null,
  options: SquishWriteOptions = {},
): Promise<void> {
  const files = buildSquishBase(messages, lastRead, options);
  const ext = (name: string) => options.upperCase ? name.toUpperCase() : name;
  await writeFile(`${path}.${ext("sqd")}`, files.sqd);
  if (files.sqi) await writeFile(`${path}.${ext("sqi")}`, files.sqi);
  if (files.sql) await writeFile(`${path}.${ext("sql")}`, files.sql);
}

/** A frame: header (links left 0), XMSG, control area + NUL, text + NUL, slack. */
function frameBytes(message: SquishMessageInput, slack: number): Uint8Array {
  const control = concat(
    ...message.control.flatMap((line) => [Uint8Array.of(0x01), line]),
  );
  const clen = control.length === 0 ? 0 : control.length + 1;
  const msgLength = XMSG_SIZE + clen + message.text.length + 1;
  const frame = new Uint8Array(FRAME_HEADER_SIZE + msgLength + slack);
  frame.fill(0xee, FRAME_HEADER_SIZE + msgLength);
  const view = new DataView(frame.buffer);
  view.setUint32(FRAME.id, FRAME_ID, true);
  view.setUint32(FRAME.frameLength, msgLength + slack, true);
  view.setUint32(FRAME.msgLength, msgLength, true);
  view.setUint32(FRAME.clen, clen, true);
  view.setUint16(FRAME.type, message.deleted ? FRAME_FREE : FRAME_NORMAL, true);
  const x = FRAME_HEADER_SIZE;
  view.setUint32(x + XMSG.attr, message.attributes, true);
  frame.set(message.fromName.subarray(0, NAME_SIZE), x + XMSG.from);
  frame.set(message.toName.subarray(0, NAME_SIZE), x + XMSG.to);
  frame.set(message.subject.subarray(0, SUBJECT_SIZE), x + XMSG.subject);
  setAddress(view, x + XMSG.orig, message.origAddr);
  setAddress(view, x + XMSG.dest, message.destAddr);
  view.setUint32(x + XMSG.written, datime(message.written), true);
  view.setUint32(x + XMSG.arrived, datime(message.arrived), true);
  view.setUint32(x + XMSG.replyTo, message.replyTo, true);
  message.replies.slice(0, REPLY_SLOTS).forEach((reply, slot) => {
    view.setUint32(x + XMSG.replies + 4 * slot, reply, true);
  });
  view.setUint32(x + XMSG.umsgid, message.number, true);
  const date = new TextEncoder().encode(ftscDate(message.written));
  frame.set(date.subarray(0, FTSC_DATE_SIZE - 1), x + XMSG.ftscDate);
  frame.set(control, x + XMSG_SIZE);
  frame.set(message.text, x + XMSG_SIZE + clen);
  return frame;
}

/** `zone:net/node[.point]` into a NETADDR; -1 as 0xFFFF; null as all 0. */
function setAddress(view: DataView, at: number, address: string | null): void {
  if (address === null) return;
  const parts = /^(-?\d+):(-?\d+)\/(-?\d+)(?:\.(-?\d+))?$/.exec(address);
  if (parts === null) {
    throw new RangeError(
      `Cannot write the address as it is not zone:net/node[.point]: "${address}"`,
    );
  }
  [1, 2, 3, 4].forEach((group, k) => {
    view.setUint16(at + 2 * k, Number(parts[group] ?? 0) & 0xffff, true);
  });
}

/** A DOS datime (section 3.7); 0 for null; odd seconds round down. */
export function datime(time: FtnLocalTime | null): number {
  if (time === null) return 0;
  const date = ((time.year - 1980) << 9) | (time.month << 5) | time.day;
  const clock = (time.hour << 11) | (time.minute << 5) | (time.second >> 1);
  return ((clock << 16) | date) >>> 0;
}

const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

function ftscDate(time: FtnLocalTime | null): string {
  if (time === null) return "";
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(time.day)} ${MONTHS[time.month - 1]} ${two(time.year % 100)}  ${
    two(time.hour)
  }:${two(time.minute)}:${two(time.second)}`;
}

function lastReadBytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * LAST_READ_SIZE);
  const view = new DataView(bytes.buffer);
  values.forEach((value, slot) =>
    view.setUint32(slot * LAST_READ_SIZE, value, true)
  );
  return bytes;
}
