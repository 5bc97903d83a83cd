/**
 * Deleting message and file areas, moving what an area holds into another one.
 *
 * Decisions where the contract is silent:
 * - `delete` refuses an area holding messages or files with `conflict` (the count in the
 *   message) unless `moveTo` names another area of the same sort; messages move only between
 *   private areas or only between areas that are not private (`conflict`, `options.moveTo`), and
 *   a FidoNet MSGID or a file name the target already has refuses the move (`conflict`).
 * - Moved messages are numbered after the target's high-water mark in their order in the source.
 *   A user's last-read pointer on the source carries over, mapped to the new numbers, when they
 *   had read the target to its high-water mark (or the target never held a message) and the
 *   carried pointer is further; otherwise their target pointer stays, and the moved messages
 *   read as unread. So a move never marks an unread message as read.
 *
 * Locks (PostgreSQL, the global order of mod.ts): the areas it touches (`FOR UPDATE`, ascending
 * id: no post, upload or mark-read on them meanwhile), then the messages or files moved, then
 * the last-read pointers.
 *
 * @module
 */
import {
  dialectSql,
  type Executor,
  type Queryable,
  type Sql,
  sql,
} from "../driver.ts";
import { StorageError } from "../errors.ts";
import type { DeleteAreaOptions } from "../records.ts";
import * as S from "../schemas.ts";
import { parse, parseId } from "../validate.ts";
import { missing, notFound } from "./_errors.ts";

/**
 * A message area's high-water mark, count and kind, locking the area until the transaction
 * ends (PostgreSQL: `FOR UPDATE`; SQLite's one writer needs no row locks).
 */
export const lockMessageArea: Sql = dialectSql("messageAreas.lock");

const Q = {
  lockFileArea: dialectSql("fileAreas.lock"),
  deleteMessageArea: sql(
    "messageAreas.delete",
    "DELETE FROM message_areas WHERE id = ?",
    true,
  ),
  deleteFileArea: sql(
    "fileAreas.delete",
    "DELETE FROM file_areas WHERE id = ?",
    true,
  ),
  msgidClash: sql(
    "messageAreas.msgidClash",
    `SELECT s.ftn_msgid FROM messages s
     JOIN messages t ON t.area_id = ? AND t.ftn_msgid = s.ftn_msgid
     WHERE s.area_id = ? AND s.ftn_msgid IS NOT NULL LIMIT 1`,
  ),
  pointers: sql(
    "messageAreas.movedPointers",
    `SELECT r.user_id, t.last_read,
       (SELECT count(*) FROM messages m WHERE m.area_id = r.area_id AND m.msg_num <= r.last_read)
     FROM last_read r LEFT JOIN last_read t ON t.user_id = r.user_id AND t.area_id = ?
     WHERE r.area_id = ?`,
  ),
  moveMessages: sql(
    "messageAreas.moveMessages",
    `UPDATE messages SET area_id = ?, msg_num = ? + r.n
     FROM (SELECT id, row_number() OVER (ORDER BY msg_num) AS n FROM messages WHERE area_id = ?) AS r
     WHERE messages.id = r.id`,
    true,
  ),
  // The FidoNet import's record of what came into the area goes with its messages (0023).
  carryImported: sql(
    "ftnImported.carry",
    `INSERT INTO ftn_imported (area_id, kind, key, imported_at)
     SELECT ?, kind, key, imported_at FROM ftn_imported WHERE area_id = ?
     ON CONFLICT DO NOTHING`,
    true,
  ),
  countMoved: sql(
    "messageAreas.countMoved",
    "UPDATE message_areas SET last_msg_num = last_msg_num + ?, msg_count = msg_count + ? WHERE id = ?",
    true,
  ),
  carryPointer: sql(
    "lastRead.carry",
    "UPDATE last_read SET area_id = ?, last_read = ? WHERE user_id = ? AND area_id = ?",
    true,
  ),
  setPointer: sql(
    "lastRead.set",
    "UPDATE last_read SET last_read = ? WHERE user_id = ? AND area_id = ?",
    true,
  ),
  fileCount: sql(
    "fileAreas.fileCount",
    "SELECT count(*) FROM files WHERE area_id = ?",
  ),
  filenameClash: sql(
    "fileAreas.filenameClash",
    `SELECT s.filename FROM files s
     JOIN files t ON t.area_id = ? AND t.filename_key = s.filename_key
     WHERE s.area_id = ? LIMIT 1`,
  ),
  moveFiles: sql(
    "fileAreas.moveFiles",
    "UPDATE files SET area_id = ? WHERE area_id = ?",
    true,
  ),
};

/** The parsed options of a delete, with `moveTo` other than the area deleted. */
function deleteOptions(
  id: number,
  options: DeleteAreaOptions | undefined,
  operation: string,
): number | undefined {
  parseId(id, "id", operation);
  const { moveTo } = parse(S.deleteAreaOptions, options, "options", operation);
  if (moveTo === id) {
    throw new StorageError(
      "validation",
      `Invalid ${operation} input: options.moveTo must name another area than the one deleted: got ${moveTo}`,
      { field: "options.moveTo" },
    );
  }
  return moveTo;
}

/** The areas a delete touches, ascending by id (the lock order). */
function touched(id: number, moveTo: number | undefined): number[] {
  return moveTo === undefined ? [id] : [id, moveTo].sort((a, b) => a - b);
}

function holds(
  what: string,
  id: number,
  count: number,
  things: string,
): StorageError {
  return new StorageError(
    "conflict",
    `Cannot delete ${what} ${id} as it holds ${count} ${things}: delete them, or pass ` +
      `options.moveTo naming another ${what} to move them into`,
  );
}

/** See `messageAreas.delete`. */
export async function deleteMessageArea(
  x: Executor,
  id: number,
  options?: DeleteAreaOptions,
): Promise<void> {
  const moveTo = deleteOptions(id, options, "messageAreas.delete");
  await x.atomic(async (q) => {
    const rows = new Map<number, readonly unknown[] | undefined>();
    for (const areaId of touched(id, moveTo)) {
      rows.set(areaId, await q.get(lockMessageArea, [areaId]));
    }
    const source = rows.get(id);
    if (!source) throw notFound("message area", id, "delete message area");
    const count = source[1] as number;
    if (moveTo === undefined) {
      if (count > 0) throw holds("message area", id, count, "messages");
    } else {
      const target = rows.get(moveTo);
      if (!target) {
        throw missing(
          "delete message area",
          "options.moveTo",
          "message area",
          moveTo,
        );
      }
      await moveMessages(q, id, source, moveTo, target);
    }
    await q.run(Q.deleteMessageArea, [id]);
  });
}

/**
 * Moves every message of area `from` into `to` (both locked), the read pointers, and the FidoNet
 * import's record of what came in (so what was deleted from `from` does not come into `to`).
 */
async function moveMessages(
  q: Queryable,
  from: number,
  source: readonly unknown[],
  to: number,
  target: readonly unknown[],
): Promise<void> {
  const [high, , kind] = target as [number, number, string];
  const fromKind = source[2] as string;
  if ((fromKind === "private") !== (kind === "private")) {
    throw new StorageError(
      "conflict",
      `Cannot move the messages of message area ${from} ("${fromKind}") into message area ${to} ` +
        `("${kind}"): private mail moves only between private areas; name another area in options.moveTo`,
      { field: "options.moveTo" },
    );
  }
  const clash = await q.get(Q.msgidClash, [to, from]);
  if (clash) {
    throw new StorageError(
      "conflict",
      `Cannot move the messages of message area ${from} into message area ${to} as both hold ` +
        `FidoNet MSGID "${
          clash[0]
        }": delete one of the two messages first, or name another area in options.moveTo`,
      { field: "options.moveTo" },
    );
  }
  // Read while the source is locked: no post or mark-read changes them before the move.
  const pointers = await q.all(Q.pointers, [to, from]);
  const moved = await q.run(Q.moveMessages, [to, high, from]);
  if (moved > 0) await q.run(Q.countMoved, [moved, moved, to]);
  await q.run(Q.carryImported, [to, from]);
  for (const [userId, onTarget, readBefore] of pointers) {
    const carried = high + Number(readBefore);
    if (onTarget === null) {
      if (high === 0) {
        await q.run(Q.carryPointer, [to, carried, userId, from]);
      }
    } else if (Number(onTarget) >= high && carried > Number(onTarget)) {
      await q.run(Q.setPointer, [carried, userId, to]);
    }
  }
}

/** See `fileAreas.delete`. */
export async function deleteFileArea(
  x: Executor,
  id: number,
  options?: DeleteAreaOptions,
): Promise<void> {
  const moveTo = deleteOptions(id, options, "fileAreas.delete");
  await x.atomic(async (q) => {
    const found = new Map<number, boolean>();
    for (const areaId of touched(id, moveTo)) {
      found.set(areaId, !!await q.get(Q.lockFileArea, [areaId]));
    }
    if (!found.get(id)) throw notFound("file area", id, "delete file area");
    const count = Number((await q.get(Q.fileCount, [id]))![0]);
    if (moveTo === undefined) {
      if (count > 0) throw holds("file area", id, count, "files");
    } else {
      if (!found.get(moveTo)) {
        throw missing(
          "delete file area",
          "options.moveTo",
          "file area",
          moveTo,
        );
      }
      const clash = await q.get(Q.filenameClash, [moveTo, id]);
      if (clash) {
        throw new StorageError(
          "conflict",
          `Cannot move the files of file area ${id} into file area ${moveTo} as both hold a ` +
            `file named "${
              clash[0]
            }" (case-insensitively): rename or delete one ` +
            `first, or name another area in options.moveTo`,
          { field: "options.moveTo" },
        );
      }
      if (count > 0) await q.run(Q.moveFiles, [moveTo, id]);
    }
    await q.run(Q.deleteFileArea, [id]);
  });
}
