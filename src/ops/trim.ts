/**
 * Trimming message areas: `messages.trim` and `messages.trimAll`.
 *
 * Decisions where the contract is silent:
 * - With both `keep` and `olderThan`, a message goes when either says so (the area keeps at most
 *   `keep` messages and none older than `olderThan`): the limits of an area's `maxMessages` and
 *   `maxAgeDays` are each a ceiling. (`events.prune` keeps what either keeps; a trim does not.)
 * - What may go is fixed when the trim begins (its highest number then): a message posted while
 *   a trim runs stays, whatever its `createdAt`; `keep` counts the messages the area held then.
 * - Batches of {@linkcode TRIM_BATCH} messages, by ascending number, each in a transaction of its
 *   own (inline in the caller's transaction, `tx.messages.trim`): the area is locked (PostgreSQL
 *   `FOR UPDATE`; SQLite's one writer) for one batch at a time, and a crash between batches
 *   leaves every batch whole. Each batch deletes in one statement, after one statement re-roots
 *   the replies of what goes: a surviving reply whose parent goes becomes the root of its thread
 *   (no parent, its own root) and its descendants take it as their root. A message whose parent
 *   `messages.delete` took earlier and whose root goes becomes a root too.
 * - Counts: the area's `msgCount` loses what went; the high-water mark stays (numbers are never
 *   reused). Last-read pointers that point below a number the batch freed move up past the
 *   numbers no message holds any more (to just below the next message, or to the high-water
 *   mark), so the new-scan's unread count (the numbers above the pointer) counts only messages
 *   there are; no unread message is marked read. Authors' `posts` stay (as `messages.delete`).
 * - `trimAll` applies each area's `maxMessages` (as `keep`) and `maxAgeDays` (as `olderThan`,
 *   that many 24-hour days before the call), area by area in id order, and answers each area that
 *   has either setting, with how many went (0 included).
 * - Through `storage.as()`: `trim` needs the area's sysop, `trimAll` a board sysop; the check is
 *   made again in every batch's transaction (a demotion or ban stops the trim between batches).
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { type Executor, type Queryable, sql } from "../driver.ts";
import type { TrimOptions, TrimResult } from "../records.ts";
import * as S from "../schemas.ts";
import { parse, parseId } from "../validate.ts";
import { notFound } from "./_errors.ts";
import { isStorageError } from "../errors.ts";
import { lockMessageArea } from "./area_delete.ts";

/**
 * How many messages one batch deletes: one short transaction each. On SQLite a batch of 1,000
 * (with its search-index rows) takes about 0.1 s, so a writer waits no longer than that; 2,000
 * saved 7% of a 100,000-message trim and doubled the wait.
 */
export const TRIM_BATCH = 1000;

/**
 * The batch size in use, and a hook run after each batch commits (internal: the tests shrink the
 * batches and act, or crash, between them).
 */
export const trimTuning: {
  batch: number;
  afterBatch?: (deleted: number) => Promise<void>;
} = { batch: TRIM_BATCH };

/** Below every stored time: `olderThan` not given. */
const NEVER = -Number.MAX_SAFE_INTEGER;
const DAY_MS = 86_400_000;

/**
 * A batch of a trim: the area's messages numbered above `lo` and up to `hi` that go. Parameters:
 * [areaId, lo, hi, cutoff (numbers below go), olderThan (ms; created before go)].
 */
const BATCH = `area_id = ? AND msg_num > ? AND msg_num <= ?
  AND (msg_num < ? OR created_at < ?)`;

const Q = {
  // The number of the keep-th newest message, counted from the nearer end (the area's count is
  // exact), so finding it walks no more than the messages that go or those kept:
  // [areaId, keep - 1] from the newest, [areaId, count - keep] from the oldest.
  keepFromNewest: sql(
    "messages.trimKeepFromNewest",
    "SELECT msg_num FROM messages WHERE area_id = ? ORDER BY msg_num DESC LIMIT 1 OFFSET ?",
  ),
  keepFromOldest: sql(
    "messages.trimKeepFromOldest",
    "SELECT msg_num FROM messages WHERE area_id = ? ORDER BY msg_num LIMIT 1 OFFSET ?",
  ),
  // The highest number created before a time: [areaId, olderThan].
  olderTop: sql(
    "messages.trimOlderTop",
    "SELECT max(msg_num) FROM messages WHERE area_id = ? AND created_at < ?",
  ),
  // The last number of the next batch: [areaId, lo, top, cutoff, olderThan, batch - 1].
  batchEnd: sql(
    "messages.trimBatchEnd",
    `SELECT msg_num FROM messages WHERE ${BATCH} ORDER BY msg_num LIMIT 1 OFFSET ?`,
  ),
  // Re-roots the survivors under what the batch deletes: [the batch's parameters].
  reroot: sql(
    "messages.trimReroot",
    `WITH RECURSIVE gone (id) AS (SELECT id FROM messages WHERE ${BATCH}),
     heads (id) AS (
       SELECT c.id FROM gone g JOIN messages c ON c.parent_id = g.id
       UNION ALL
       SELECT c.id FROM gone g JOIN messages c ON c.thread_root_id = g.id
       WHERE c.parent_id IS NULL
     ),
     fresh (id, root) AS (
       SELECT h.id, h.id FROM heads h WHERE h.id NOT IN (SELECT id FROM gone)
       UNION ALL
       SELECT c.id, t.root FROM fresh t JOIN messages c ON c.parent_id = t.id
       WHERE c.id NOT IN (SELECT id FROM gone)
     )
     UPDATE messages SET
       parent_id = CASE WHEN t.root = messages.id THEN NULL ELSE messages.parent_id END,
       thread_root_id = CASE WHEN t.root = messages.id THEN NULL ELSE t.root END
     FROM fresh t WHERE messages.id = t.id AND messages.id IN (SELECT id FROM fresh)`,
    true,
  ),
  delete: sql(
    "messages.trimDelete",
    `DELETE FROM messages WHERE ${BATCH}`,
    true,
  ),
  uncount: sql(
    "messageAreas.trimUncount",
    "UPDATE message_areas SET msg_count = msg_count - ? WHERE id = ?",
    true,
  ),
  // Pointers below the batch's end move past the numbers no message holds:
  // [high-water + 1, areaId, hi].
  pointers: sql(
    "lastRead.trim",
    `UPDATE last_read SET last_read = coalesce(
       (SELECT min(m.msg_num) FROM messages m
        WHERE m.area_id = last_read.area_id AND m.msg_num > last_read.last_read), ?) - 1
     WHERE area_id = ? AND last_read < ?`,
    true,
  ),
  limited: sql(
    "messageAreas.limited",
    `SELECT id, max_messages, max_age_days FROM message_areas
     WHERE max_messages IS NOT NULL OR max_age_days IS NOT NULL ORDER BY id`,
  ),
};

/** What a trim deletes: numbers up to `top`, below `cutoff` or created before `older`. */
interface Plan {
  top: number;
  cutoff: number;
  older: number;
}

/** The plan of a trim, in its first batch's transaction (the area locked). */
async function planOf(
  q: Queryable,
  areaId: number,
  highWater: number,
  count: number,
  keep: number | undefined,
  older: number,
): Promise<Plan> {
  let cutoff = 0;
  if (keep === 0) cutoff = Number.MAX_SAFE_INTEGER; // every number goes
  else if (keep !== undefined && keep < count) {
    const row = count - keep < keep
      ? await q.get(Q.keepFromOldest, [areaId, count - keep])
      : await q.get(Q.keepFromNewest, [areaId, keep - 1]);
    // No such message (fewer than `keep`): none goes by number.
    cutoff = row ? Number(row[0]) : 0;
  }
  let top = 0;
  if (older !== NEVER) {
    const row = await q.get(Q.olderTop, [areaId, older]);
    top = row?.[0] == null ? 0 : Number(row[0]);
  }
  // Numbers below the cutoff go, up to the high-water mark of now.
  top = Math.max(top, Math.min(cutoff - 1, highWater));
  return { top, cutoff, older };
}

/**
 * One batch: the next numbers above `lo` that go, re-rooted, deleted, uncounted, pointers moved.
 * Returns the batch's end and how many went.
 */
async function runBatch(
  q: Queryable,
  areaId: number,
  highWater: number,
  lo: number,
  plan: Plan,
): Promise<{ hi: number; deleted: number }> {
  const { top, cutoff, older } = plan;
  const end = await q.get(Q.batchEnd, [
    areaId,
    lo,
    top,
    cutoff,
    older,
    trimTuning.batch - 1,
  ]);
  const hi = end ? Number(end[0]) : top;
  const batch = [areaId, lo, hi, cutoff, older];
  await q.run(Q.reroot, batch);
  const deleted = await q.run(Q.delete, batch);
  if (deleted > 0) {
    await q.run(Q.uncount, [deleted, areaId]);
    await q.run(Q.pointers, [highWater + 1, areaId, hi]);
  }
  return { hi, deleted };
}

/** Trims one area with validated options; `not_found` if the area is missing. */
async function trimArea(
  x: Executor,
  areaId: number,
  keep: number | undefined,
  older: number,
): Promise<number> {
  let plan: Plan | undefined;
  let lo = 0;
  let total = 0;
  for (;;) {
    const step = await x.atomic(async (q) => {
      const area = await q.get(lockMessageArea, [areaId]);
      if (!area) {
        if (plan) return { hi: plan.top, deleted: 0 }; // deleted meanwhile: done
        throw notFound("message area", areaId, "trim messages");
      }
      const highWater = Number(area[0]);
      plan ??= await planOf(q, areaId, highWater, Number(area[1]), keep, older);
      if (lo >= plan.top) return { hi: plan.top, deleted: 0 };
      return await runBatch(q, areaId, highWater, lo, plan);
    });
    total += step.deleted;
    lo = step.hi;
    await trimTuning.afterBatch?.(step.deleted);
    if (lo >= plan!.top) return total;
  }
}

/** See `messages.trim`. */
export async function trimMessages(
  x: Executor,
  areaId: number,
  options: TrimOptions,
): Promise<number> {
  parseId(areaId, "areaId", "messages.trim");
  const o = parse(S.trimOptions, options, "options", "messages.trim");
  return await trimArea(x, areaId, o.keep, o.olderThan?.getTime() ?? NEVER);
}

/** See `messages.trimAll`. */
export async function trimAllMessages(x: Executor): Promise<TrimResult[]> {
  // The areas with limits, read in a batch's transaction of its own (a viewer's check runs there).
  const areas = await x.atomic(async (q) => await q.all(Q.limited, []));
  const now = nowOf(x);
  const results: TrimResult[] = [];
  for (const [id, maxMessages, maxAgeDays] of areas) {
    const areaId = Number(id);
    const older = maxAgeDays == null
      ? NEVER
      : now - Number(maxAgeDays) * DAY_MS;
    const keep = maxMessages == null ? undefined : Number(maxMessages);
    const deleted = await trimArea(x, areaId, keep, older).catch((error) => {
      // An area deleted since the list was read has nothing left to trim.
      if (isStorageError(error, "not_found")) return 0;
      throw error;
    });
    results.push({ areaId, deleted });
  }
  return results;
}
