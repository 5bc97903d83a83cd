/**
 * Per-user scan state: ZSCAN.DAT mapped onto the users, boards and file areas that exist.
 *
 * @module
 */

import type { Impulse71Stamp } from "./dates.ts";
import type { Impulse71Message } from "./message_base.ts";
import { type DecodeContext, report } from "./problems.ts";
import type { ZscanRecord } from "./zscan.ts";

/** A user's last-read point in one board. */
export interface Impulse71LastRead {
  /** The board number. */
  board: number;
  /** The date of the newest message the user had read there. */
  readUpTo: Impulse71Stamp;
  /** The newest live message posted at or before `readUpTo`, or `null` when none is. */
  slot: number | null;
  /** That message's msgid, or `null`. */
  msgid: number | null;
}

/** One user's new-scan state. */
export interface Impulse71ScanState {
  /** The user number. */
  userNumber: number;
  /** Boards with a last-read point, in board order. */
  lastRead: Impulse71LastRead[];
  /** Existing boards the user includes in new-scan. */
  boards: number[];
  /** Existing file areas the user includes in new-scan. */
  fileAreas: number[];
}

/** What the scan records are mapped onto. */
export interface ScanTargets {
  /** ZSCAN.DAT and the problem list. */
  context: DecodeContext;
  /** The users, by their numbers. */
  users: readonly { number: number }[];
  /** The boards with their live messages. */
  boards: readonly { number: number; messages: readonly Impulse71Message[] }[];
  /** The file areas. */
  fileAreas: readonly { number: number }[];
}

/**
 * Maps ZSCAN.DAT records onto users; slots of users USER.LST does not hold are reported
 * and skipped, and board numbers that do not exist are left out.
 *
 * @param records The decoded ZSCAN.DAT.
 * @param targets The users, boards and areas, and where to report.
 * @returns One state per user that has a record, in user order.
 */
export function scanStates(
  records: readonly ZscanRecord[],
  targets: ScanTargets,
): Impulse71ScanState[] {
  const users = new Set(targets.users.map((user) => user.number));
  const boards = new Map(targets.boards.map((board) => [board.number, board]));
  const areas = new Set(targets.fileAreas.map((area) => area.number));
  return records.flatMap((record) => {
    if (!users.has(record.userNumber)) {
      report(
        targets.context,
        "unmapped_scan",
        record.userNumber,
        record.userNumber === 0
          ? "Slot 0 belongs to no user (USER.LST slot 0 is scratch space): skipped"
          : `USER.LST holds no user ${record.userNumber}: skipped`,
      );
      return [];
    }
    return [{
      userNumber: record.userNumber,
      lastRead: record.highRead.flatMap(({ board, at }) => {
        const messages = boards.get(board)?.messages;
        if (messages === undefined) return [];
        const read = newestAtOrBefore(messages, at);
        return [{
          board,
          readUpTo: at,
          slot: read?.slot ?? null,
          msgid: read?.msgid ?? null,
        }];
      }),
      boards: record.boards.filter((board) => boards.has(board)),
      fileAreas: record.fileAreas.filter((area) => areas.has(area)),
    }];
  });
}

function newestAtOrBefore(
  messages: readonly Impulse71Message[],
  at: Impulse71Stamp,
): Impulse71Message | undefined {
  let newest: Impulse71Message | undefined;
  for (const message of messages) {
    const posted = message.postedAt?.wallClock;
    if (posted === undefined || posted > at.wallClock) continue;
    if (newest === undefined || posted >= (newest.postedAt?.wallClock ?? "")) {
      newest = message;
    }
  }
  return newest;
}
