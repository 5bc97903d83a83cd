/**
 * Finding a Squish base's live frames (section 3.10): the message chain from the base header,
 * then the `.sqi` records the chain did not reach. Used by squish.ts.
 *
 * @module
 */

import type { FtnRawMessage, FtnReadProblem } from "./types.ts";
import { FRAME_FREE, FRAME_NORMAL, FRAME_UPDATING } from "./_squish_layout.ts";
import {
  readFrame,
  readFrameMessage,
  type SquishFrame,
} from "./squish_frame.ts";

/** The base header fields the walk uses. */
export interface SquishHeader {
  numMsg: number;
  beginFrame: number;
  lastFrame: number;
}

/** One valid `.sqi` record and its message number (record position + 1). */
export interface SquishIndexRecord {
  offset: number;
  umsgid: number;
  position: number;
}

/** A message found by the walk, with what its number is chosen from. */
export interface SquishFound {
  message: FtnRawMessage;
  /** Its frame's offset in the `.sqd`. */
  offset: number;
  /** The XMSG umsgid when valid, else the `.sqi` record's, else null. */
  umsgid: number | null;
  /** Its message number: position in the chain, or in the index, from 1. */
  position: number;
}

/** The file names problems are reported under. */
export interface SquishNames {
  sqd: string;
  sqi: string;
}

/**
 * Reads every live message: the chain's frames in order, then the index's others.
 *
 * @param sqd The `.sqd` bytes.
 * @param header The base header's chain fields.
 * @param index The valid `.sqi` records (empty without `.sqi`).
 * @param names The file names for problems.
 * @param problems Where problems go.
 * @returns The messages found, in chain order then index order.
 */
export function walkSquish(
  sqd: Uint8Array,
  header: SquishHeader,
  index: SquishIndexRecord[],
  names: SquishNames,
  problems: FtnReadProblem[],
): SquishFound[] {
  const byOffset = new Map(index.map((record) => [record.offset, record]));
  const walk = new Walk(sqd, names, problems, byOffset);
  walk.chain(header);
  const before = walk.found.length;
  for (const record of index) {
    if (!walk.visited.has(record.offset)) {
      walk.visited.add(record.offset);
      walk.frame(
        record.offset,
        record.position,
        `.sqi record ${record.position}`,
      );
    }
  }
  const recovered = walk.found.length - before;
  if (recovered > 0) {
    problems.push({
      file: names.sqi,
      offset: 0,
      number: null,
      reason:
        `${recovered} messages are in the index but not in the message chain; read through the index`,
    });
  }
  return walk.found;
}

class Walk {
  readonly found: SquishFound[] = [];
  readonly visited = new Set<number>();
  #sqd: Uint8Array;
  #names: SquishNames;
  #problems: FtnReadProblem[];
  #index: Map<number, SquishIndexRecord>;

  constructor(
    sqd: Uint8Array,
    names: SquishNames,
    problems: FtnReadProblem[],
    index: Map<number, SquishIndexRecord>,
  ) {
    this.#sqd = sqd;
    this.#names = names;
    this.#problems = problems;
    this.#index = index;
  }

  /** Walks the message chain from begin_frame by next_frame. */
  chain(header: SquishHeader): void {
    const rest = this.#index.size > 0
      ? "the rest is read through the .sqi index"
      : "the rest of the base is lost (no .sqi index to read it through)";
    let offset = header.beginFrame;
    let prev = 0;
    let position = 0;
    while (offset !== 0) {
      if (this.visited.has(offset)) {
        this.#problem(
          prev,
          null,
          `next_frame ${offset} loops back into the chain; the walk stops there`,
        );
        return;
      }
      this.visited.add(offset);
      const frame = readFrame(this.#sqd, offset);
      if (typeof frame === "string") {
        // The message an index record names here is lost: the problem names it, as the index's
        // own pass (which skips the frames the chain reached) would have.
        this.#problem(
          offset,
          this.#index.get(offset)?.umsgid ?? null,
          `${frame}, reached from frame ${prev}; the chain stops here and ${rest}`,
        );
        return;
      }
      if (frame.prev !== prev) {
        this.#problem(
          offset,
          null,
          `prev_frame is ${frame.prev} but the frame before it is at ${prev}; link ignored`,
        );
      }
      if (frame.type === FRAME_FREE) {
        this.#problem(
          offset,
          null,
          `a free frame is in the message chain; the chain stops here and ${rest}`,
        );
        return;
      }
      position++;
      this.#message(frame, position);
      prev = offset;
      offset = frame.next;
    }
    if (prev !== header.lastFrame) {
      this.#problem(
        prev,
        null,
        `the chain ends at frame ${prev} but the base header's last_frame is ${header.lastFrame}`,
      );
    }
  }

  /** Reads the frame at `offset` outside the chain (for an index record). */
  frame(offset: number, position: number, from: string): void {
    const frame = readFrame(this.#sqd, offset);
    if (typeof frame === "string") {
      this.#problem(
        offset,
        this.#index.get(offset)?.umsgid ?? null,
        `${frame} (${from}); skipped`,
      );
    } else if (frame.type === FRAME_FREE) {
      this.#problem(
        offset,
        this.#index.get(offset)?.umsgid ?? null,
        `${from} points at a free frame; skipped`,
      );
    } else {
      this.#message(frame, position);
    }
  }

  #message(frame: SquishFrame, position: number): void {
    const record = this.#index.get(frame.offset);
    const known = record?.umsgid ?? null;
    if (frame.type !== FRAME_NORMAL) {
      const what = frame.type === FRAME_UPDATING
        ? "is being updated by another program (frame_type 3)"
        : `has frame_type ${frame.type}, not a normal message`;
      this.#problem(frame.offset, known, `the frame ${what}; message skipped`);
      return;
    }
    const read = readFrameMessage(this.#sqd, frame);
    if (typeof read === "string") {
      this.#problem(frame.offset, known, `${read}; message skipped`);
      return;
    }
    if (record && read.umsgid !== null && read.umsgid !== record.umsgid) {
      this.#problem(
        frame.offset,
        read.umsgid,
        `the message's UMSGID is ${read.umsgid} but its .sqi record says ${record.umsgid}; the message's own is used`,
      );
    }
    const umsgid = read.umsgid ?? known;
    for (const note of read.notes) this.#problem(frame.offset, umsgid, note);
    this.found.push({
      message: read.message,
      offset: frame.offset,
      umsgid,
      position,
    });
  }

  #problem(offset: number, number: number | null, reason: string): void {
    this.#problems.push({ file: this.#names.sqd, offset, number, reason });
  }
}
