/**
 * The `.sqi` index (section 3.8) and the `.sql` last-read file (section 3.9) of a Squish base,
 * read for squish.ts.
 *
 * @module
 */

import type { FtnLastRead, FtnReadProblem } from "./types.ts";
import {
  INDEX_RECORD_SIZE,
  INVALID_UMSGID,
  LAST_READ_SIZE,
} from "./_squish_layout.ts";
import type { SquishIndexRecord } from "./squish_walk.ts";

/**
 * Reads the valid `.sqi` records (an offset of 0 or a UMSGID of 0xFFFFFFFF marks an invalid
 * one); stray bytes after the last whole record are a problem.
 *
 * @param sqi The `.sqi` bytes, or null when there is none.
 * @param name The file name for problems.
 * @param problems Where problems go.
 * @returns The valid records, each with its message number (position + 1).
 */
export function readIndex(
  sqi: Uint8Array | null,
  name: string,
  problems: FtnReadProblem[],
): SquishIndexRecord[] {
  if (sqi === null) return [];
  const view = new DataView(sqi.buffer, sqi.byteOffset, sqi.byteLength);
  const count = Math.floor(sqi.length / INDEX_RECORD_SIZE);
  if (sqi.length % INDEX_RECORD_SIZE !== 0) {
    problems.push({
      file: name,
      offset: count * INDEX_RECORD_SIZE,
      number: null,
      reason: `${
        sqi.length % INDEX_RECORD_SIZE
      } bytes after the last whole index record; ignored`,
    });
  }
  const records: SquishIndexRecord[] = [];
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(i * INDEX_RECORD_SIZE, true);
    const umsgid = view.getUint32(i * INDEX_RECORD_SIZE + 4, true);
    if (offset === 0 || umsgid === INVALID_UMSGID) continue;
    records.push({ offset, umsgid, position: i + 1 });
  }
  return records;
}

/**
 * Reads the `.sql` slots: one u32 per user slot, the position being the user number (from 0).
 * A slot holding 0 (nothing read, or no user) gives no record.
 *
 * @param sql The `.sql` bytes, or null when there is none.
 * @param name The file name for problems.
 * @param problems Where problems go.
 * @returns One record per non-zero slot.
 */
export function readLastRead(
  sql: Uint8Array | null,
  name: string,
  problems: FtnReadProblem[],
): FtnLastRead[] {
  if (sql === null) return [];
  const view = new DataView(sql.buffer, sql.byteOffset, sql.byteLength);
  const count = Math.floor(sql.length / LAST_READ_SIZE);
  if (sql.length % LAST_READ_SIZE !== 0) {
    problems.push({
      file: name,
      offset: count * LAST_READ_SIZE,
      number: null,
      reason: `${
        sql.length % LAST_READ_SIZE
      } bytes after the last whole last-read slot; ignored`,
    });
  }
  const records: FtnLastRead[] = [];
  for (let slot = 0; slot < count; slot++) {
    const value = view.getUint32(slot * LAST_READ_SIZE, true);
    // A 0 slot is a user who read nothing here (or no user): no record.
    if (value === 0) continue;
    records.push({
      nameCrc: null,
      userNumber: slot,
      lastRead: value,
      highRead: null,
    });
  }
  return records;
}
