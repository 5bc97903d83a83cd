/**
 * Message and file areas, last-read pointers and the new-scan.
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import {
  type Executor,
  type Queryable,
  type Row,
  type Sql,
  sql,
} from "../driver.ts";
import type {
  FileArea,
  Message,
  MessageArea,
  NewFileArea,
  NewMessageArea,
  NewScanEntry,
  NewScanOptions,
  ReadNextOptions,
  SetPointersByDateOptions,
} from "../records.ts";
import {
  FILE_AREA_COLUMNS as FA,
  MESSAGE_AREA_COLUMNS as MA,
  MESSAGE_COLUMNS as M,
  prefixed,
  toFileArea,
  toMessage,
  toMessageArea,
} from "../rows.ts";
import * as S from "../schemas.ts";
import { parse, parseId } from "../validate.ts";
import { mapError, notFound, reword } from "./_errors.ts";
import { byId } from "./_patch.ts";
import { userExists } from "./_references.ts";
import {
  canReadArea,
  canReadIfReadable,
  canSeeArea,
  hiddenPrivate,
  isSysop,
  VIEWER,
  viewerOf,
} from "./_access.ts";
import { FILE_AREAS, MESSAGE_AREAS } from "../tables/mod.ts";
import { insertOf } from "../tables/table.ts";

type ParsedNewMessageArea = ReturnType<typeof S.newMessageArea.parse>;
type ParsedNewFileArea = ReturnType<typeof S.newFileArea.parse>;

const insertMessageArea = insertOf<ParsedNewMessageArea>(MESSAGE_AREAS, [
  "created_at",
]);
const insertFileArea = insertOf<ParsedNewFileArea>(FILE_AREAS, ["created_at"]);

/** The highest position an area may have. */
const MAX_POSITION = 2_147_483_647;

/**
 * A message area's select list as a viewer (`v`) sees it: in a private area the viewer is not
 * the sysop of, the count and the highest number are those of the messages the viewer may read
 * (their own, and those addressed to them).
 */
const VIEWED_MA = prefixed(MA, "a")
  .replace(
    "a.last_msg_num",
    viewedCount("coalesce(max(mm.msg_num), 0)", "a.last_msg_num"),
  )
  .replace("a.msg_count", viewedCount("count(*)", "a.msg_count"));

/**
 * A message area's count or high-water mark as a viewer (`v`) sees it: 0 in an area the viewer
 * may not read; in a private area the viewer is not the sysop of, the aggregate over the
 * messages the viewer wrote or that are addressed to them; otherwise the area's own.
 */
function viewedCount(aggregate: string, column: string): string {
  return `CASE WHEN NOT ${canReadArea("a")} THEN 0
     WHEN a.kind = 'private' AND NOT ${isSysop("a")} THEN
       (SELECT ${aggregate} FROM messages mm
        WHERE mm.area_id = a.id AND (mm.from_user_id = v.id OR mm.to_user_id = v.id))
     ELSE ${column}${
    column === "a.msg_count" ? ` - ${hiddenPrivate("a", "")}` : ""
  } END`;
}

/**
 * The area reads of a viewer (`as()`): only the areas the viewer may see (read, or not hidden).
 * Each takes the viewer's id first.
 */
export const VIEWED_AREAS = {
  messageArea: sql(
    "messageAreas.byIdAs",
    `SELECT ${VIEWED_MA} FROM message_areas a JOIN ${VIEWER} ON v.id = ?
     WHERE a.id = ? AND ${canSeeArea("a")}`,
  ),
  messageAreaByKey: sql(
    "messageAreas.byTagAs",
    `SELECT ${VIEWED_MA} FROM message_areas a JOIN ${VIEWER} ON v.id = ?
     WHERE a.tag_key = ? AND ${canSeeArea("a")}`,
  ),
  messageAreas: sql(
    "messageAreas.listAs",
    `SELECT ${VIEWED_MA} FROM message_areas a JOIN ${VIEWER} ON v.id = ?
     WHERE ${canSeeArea("a")} ORDER BY a.position, a.id`,
  ),
  fileArea: sql(
    "fileAreas.byIdAs",
    `SELECT ${prefixed(FA, "a")} FROM file_areas a JOIN ${VIEWER} ON v.id = ?
     WHERE a.id = ? AND ${canSeeArea("a")}`,
  ),
  fileAreaByKey: sql(
    "fileAreas.byTagAs",
    `SELECT ${prefixed(FA, "a")} FROM file_areas a JOIN ${VIEWER} ON v.id = ?
     WHERE a.tag_key = ? AND ${canSeeArea("a")}`,
  ),
  fileAreas: sql(
    "fileAreas.listAs",
    `SELECT ${prefixed(FA, "a")} FROM file_areas a JOIN ${VIEWER} ON v.id = ?
     WHERE ${canSeeArea("a")} ORDER BY a.position, a.id`,
  ),
  /** Whether the viewer may read a message area, whether they are its sysop, and its kind. */
  messageAreaAccess: sql(
    "messageAreas.accessAs",
    `SELECT CASE WHEN ${canReadArea("a")} THEN 1 ELSE 0 END,
            CASE WHEN ${isSysop("a")} THEN 1 ELSE 0 END, a.kind
     FROM message_areas a JOIN ${VIEWER} ON v.id = ? WHERE a.id = ?`,
  ),
};

/**
 * How a viewer may read a message area: not at all (`"none"`), every message (`"all"`: its
 * sysop), every message but others' private ones (`"public"`: a public area), or only their own
 * and those addressed to them (`"own"`: a private area they are not the sysop of).
 *
 * @param x Where to look.
 * @param viewer The viewer's id.
 * @param areaId The area.
 * @returns The answer; `"none"` for a missing area.
 */
export async function messageAreaReach(
  x: Executor,
  viewer: number,
  areaId: number,
): Promise<"none" | "all" | "public" | "own"> {
  const row = await x.get(VIEWED_AREAS.messageAreaAccess, [viewer, areaId]);
  if (!row || Number(row[0]) === 0) return "none";
  if (Number(row[1]) === 1) return "all";
  return row[2] === "private" ? "own" : "public";
}

/**
 * A private area's messages that a viewer wrote or that are addressed to them, above a number and
 * an id, by number: `[viewer, areaId, afterNum, after]` twice (the viewer once more in the
 * second), then the limit. Each half runs on the index of its user column.
 */
export const OWN_MESSAGES: Sql = sql(
  "messages.own",
  `SELECT ${M} FROM (
     SELECT ${M} FROM messages WHERE to_user_id = ? AND area_id = ? AND msg_num > ? AND id > ?
     UNION ALL
     SELECT ${M} FROM messages
     WHERE from_user_id = ? AND (to_user_id IS NULL OR to_user_id <> ?)
       AND area_id = ? AND msg_num > ? AND id > ?
   ) mine ORDER BY msg_num LIMIT ?`,
);

/**
 * The parameters of {@linkcode OWN_MESSAGES}.
 *
 * @param viewer The viewer.
 * @param areaId The area.
 * @param afterNum Numbers above this.
 * @param after Ids above this.
 * @param limit At most this many.
 * @returns The parameters.
 */
export function ownMessagesParams(
  viewer: number,
  areaId: number,
  afterNum: number,
  after: number,
  limit: number,
): unknown[] {
  return [
    viewer,
    areaId,
    afterNum,
    after,
    viewer,
    viewer,
    areaId,
    afterNum,
    after,
    limit,
  ];
}

/** The number of the last message of area `a` posted before a date (`?`), or 0. */
const BEFORE_DATE = `coalesce((SELECT m.msg_num FROM messages m
  WHERE m.area_id = a.id AND m.created_at < ?
  ORDER BY m.created_at DESC, m.msg_num DESC LIMIT 1), 0)`;

/** {@linkcode BEFORE_DATE} among the messages the viewer (`v`) may read. */
const BEFORE_DATE_AS = `coalesce((SELECT m.msg_num FROM messages m
  WHERE m.area_id = a.id AND m.created_at < ?
    AND ${canReadIfReadable("m", "a")}
  ORDER BY m.created_at DESC, m.msg_num DESC LIMIT 1), 0)`;

/**
 * The private messages of area `a` above pointer `r` the viewer (`v`) may not read, but the
 * author's (`?`) counted by {@linkcode OWN_ABOVE}: what a viewer's new-scan leaves out.
 */
const HIDDEN_ABOVE = hiddenPrivate(
  "a",
  ` AND p.msg_num > coalesce(r.last_read, 0)
      AND (p.from_user_id IS NULL OR p.from_user_id <> ?)`,
);

/** The messages of area `a` above pointer `r` by an author (`?`), on messages_from_area_num. */
const OWN_ABOVE = `(SELECT count(*) FROM messages o
  WHERE o.from_user_id = ? AND o.area_id = a.id AND o.msg_num > coalesce(r.last_read, 0))`;

/**
 * The number below an area's lowest message (its high-water mark when it holds none): numbers at
 * or below it hold no message any more (a trim took them), so the new-scan counts from there.
 */
const FLOOR =
  `(SELECT coalesce(min(f.msg_num), a.last_msg_num + 1) - 1 FROM messages f
  WHERE f.area_id = a.id)`;

/**
 * An area's high-water mark as a viewer (`v`, the first `?`) sees it: in a private area the
 * viewer is not the sysop of, the highest number of the messages the viewer may read.
 */
const HIGH_WATER_AS = sql(
  "messageAreas.highWaterAs",
  `SELECT CASE WHEN a.kind = 'private' AND NOT ${isSysop("a")} THEN
     (SELECT coalesce(max(mm.msg_num), 0) FROM messages mm
      WHERE mm.area_id = a.id AND (mm.from_user_id = v.id OR mm.to_user_id = v.id))
   ELSE a.last_msg_num END
   FROM message_areas a JOIN ${VIEWER} ON v.id = ? WHERE a.id = ?`,
);

const Q = {
  insertMessageArea: sql("messageAreas.insert", insertMessageArea.text, true),
  messageArea: sql(
    "messageAreas.byId",
    `SELECT ${MA} FROM message_areas WHERE id = ?`,
  ),
  messageAreas: sql(
    "messageAreas.list",
    `SELECT ${MA} FROM message_areas ORDER BY position, id`,
  ),
  insertFileArea: sql("fileAreas.insert", insertFileArea.text, true),
  fileArea: sql("fileAreas.byId", `SELECT ${FA} FROM file_areas WHERE id = ?`),
  fileAreas: sql(
    "fileAreas.list",
    `SELECT ${FA} FROM file_areas ORDER BY position, id`,
  ),
  // After every area: the highest position plus one (never past the highest allowed).
  nextMessageAreaPosition: sql(
    "messageAreas.nextPosition",
    `SELECT CASE WHEN max(position) >= ${MAX_POSITION} THEN ${MAX_POSITION}
                 ELSE coalesce(max(position), 0) + 1 END FROM message_areas`,
  ),
  nextFileAreaPosition: sql(
    "fileAreas.nextPosition",
    `SELECT CASE WHEN max(position) >= ${MAX_POSITION} THEN ${MAX_POSITION}
                 ELSE coalesce(max(position), 0) + 1 END FROM file_areas`,
  ),
  highWater: sql(
    "messageAreas.highWater",
    "SELECT last_msg_num FROM message_areas WHERE id = ?",
  ),
  markRead: sql(
    "lastRead.mark",
    `INSERT INTO last_read (user_id, area_id, last_read) VALUES (?, ?, ?)
     ON CONFLICT (user_id, area_id) DO UPDATE SET last_read =
       CASE WHEN excluded.last_read > last_read.last_read THEN excluded.last_read ELSE last_read.last_read END
     RETURNING last_read`,
    true,
  ),
  setPointer: sql(
    "lastRead.set",
    `INSERT INTO last_read (user_id, area_id, last_read) VALUES (?, ?, ?)
     ON CONFLICT (user_id, area_id) DO UPDATE SET last_read = excluded.last_read
     RETURNING last_read`,
    true,
  ),
  setScanned: sql(
    "lastRead.setScanned",
    `INSERT INTO last_read (user_id, area_id, last_read, scanned) VALUES (?, ?, 0, ?)
     ON CONFLICT (user_id, area_id) DO UPDATE SET scanned = excluded.scanned`,
    true,
  ),
  // The pointer (0 without a row), and whether the user and the area exist.
  pointerOf: sql(
    "lastRead.pointerOf",
    `SELECT coalesce((SELECT last_read FROM last_read WHERE user_id = ? AND area_id = ?), 0),
            (SELECT count(*) FROM users WHERE id = ?),
            (SELECT count(*) FROM message_areas WHERE id = ?)`,
  ),
  // Each area's pointer at the last message posted before a date (0 when none was), one area
  // or every area: [userId, date, areaId?].
  byDateOne: sql(
    "lastRead.byDate",
    `INSERT INTO last_read (user_id, area_id, last_read)
     SELECT ?, a.id, ${BEFORE_DATE} FROM message_areas a WHERE a.id = ?
     ON CONFLICT (user_id, area_id) DO UPDATE SET last_read = excluded.last_read`,
    true,
  ),
  byDateAll: sql(
    "lastRead.byDateAll",
    `INSERT INTO last_read (user_id, area_id, last_read)
     SELECT ?, a.id, ${BEFORE_DATE} FROM message_areas a WHERE 1 = 1
     ON CONFLICT (user_id, area_id) DO UPDATE SET last_read = excluded.last_read`,
    true,
  ),
  // The same for a viewer ([userId, date, viewer, areaId?]): areas the viewer may read, and in
  // a private area the viewer is not the sysop of, the messages the viewer may read.
  byDateOneAs: sql(
    "lastRead.byDateAs",
    `INSERT INTO last_read (user_id, area_id, last_read)
     SELECT ?, a.id, ${BEFORE_DATE_AS} FROM message_areas a JOIN ${VIEWER} ON v.id = ?
     WHERE a.id = ? AND ${canReadArea("a")}
     ON CONFLICT (user_id, area_id) DO UPDATE SET last_read = excluded.last_read`,
    true,
  ),
  byDateAllAs: sql(
    "lastRead.byDateAllAs",
    `INSERT INTO last_read (user_id, area_id, last_read)
     SELECT ?, a.id, ${BEFORE_DATE_AS} FROM message_areas a JOIN ${VIEWER} ON v.id = ?
     WHERE ${canReadArea("a")}
     ON CONFLICT (user_id, area_id) DO UPDATE SET last_read = excluded.last_read`,
    true,
  ),
  // The author's pointer past their new message when it was at the previous high-water mark:
  // [msgNum, userId, areaId, msgNum - 1].
  catchUp: sql(
    "lastRead.catchUp",
    `UPDATE last_read SET last_read = ?
     WHERE user_id = ? AND area_id = ? AND last_read >= ?`,
    true,
  ),
  // The new-scan: each scanned public area with numbers above the pointer, the pointer, and
  // the reader's own messages above it (counted on messages_from_area_num; author 0 counts
  // none): [own author, userId].
  newScan: sql(
    "lastRead.newScan",
    `SELECT ${
      prefixed(MA, "a")
    }, coalesce(r.last_read, 0), ${OWN_ABOVE}, ${FLOOR}
     FROM message_areas a LEFT JOIN last_read r ON r.user_id = ? AND r.area_id = a.id
     WHERE a.kind <> 'private' AND a.last_msg_num > coalesce(r.last_read, 0)
       AND coalesce(r.scanned, 1) = 1
     ORDER BY a.id`,
  ),
  newScanAs: sql(
    "lastRead.newScanAs",
    `SELECT ${
      prefixed(MA, "a")
    }, coalesce(r.last_read, 0), ${OWN_ABOVE} + ${HIDDEN_ABOVE}, ${FLOOR}
     FROM message_areas a JOIN ${VIEWER} ON v.id = ?
       LEFT JOIN last_read r ON r.user_id = ? AND r.area_id = a.id
     WHERE a.kind <> 'private' AND a.last_msg_num > coalesce(r.last_read, 0)
       AND coalesce(r.scanned, 1) = 1 AND ${canReadArea("a")}
     ORDER BY a.id`,
  ),
  // readNext in a public area the viewer is not the sysop of: its messages but others' private
  // ones: [areaId, userId, userId, areaId, excluded author (0: none), viewer, viewer, limit].
  readNextPublic: sql(
    "messages.readNextPublic",
    `SELECT ${M} FROM messages
     WHERE area_id = ? AND EXISTS (SELECT 1 FROM users WHERE id = ?)
       AND msg_num > coalesce((SELECT last_read FROM last_read WHERE user_id = ? AND area_id = ?), 0)
       AND (from_user_id IS NULL OR from_user_id <> ?)
       AND (private = 0 OR from_user_id = ? OR to_user_id = ?)
     ORDER BY msg_num LIMIT ?`,
  ),
  pointer: sql(
    "lastRead.pointer",
    "SELECT last_read FROM last_read WHERE user_id = ? AND area_id = ?",
  ),
  // [areaId, userId, userId, areaId, excluded author (0: none), limit]
  readNext: sql(
    "messages.readNext",
    `SELECT ${M} FROM messages
     WHERE area_id = ? AND EXISTS (SELECT 1 FROM users WHERE id = ?)
       AND msg_num > coalesce((SELECT last_read FROM last_read WHERE user_id = ? AND area_id = ?), 0)
       AND (from_user_id IS NULL OR from_user_id <> ?)
     ORDER BY msg_num LIMIT ?`,
  ),
  // A private area's messages the viewer wrote or that are addressed to them, above a number,
  // by others than the reader (0: none), by number, each half on the index of its user column:
  // [viewer, areaId, afterNum, reader, viewer, viewer, areaId, afterNum, reader, limit].
  readNextMine: sql(
    "messages.readNextMine",
    `SELECT ${M} FROM (
       SELECT ${M} FROM messages
       WHERE to_user_id = ? AND area_id = ? AND msg_num > ?
         AND (from_user_id IS NULL OR from_user_id <> ?)
       UNION ALL
       SELECT ${M} FROM messages
       WHERE from_user_id = ? AND (to_user_id IS NULL OR to_user_id <> ?)
         AND area_id = ? AND msg_num > ? AND from_user_id <> ?
     ) mine ORDER BY msg_num LIMIT ?`,
  ),
};

/** See `messageAreas.create`. */
export async function createMessageArea(
  x: Executor,
  input: NewMessageArea,
): Promise<MessageArea> {
  const a = parse(S.newMessageArea, input, "input", "messageAreas.create");
  const row = await x.atomic(async (q) => {
    const position = a.position ??
      Number((await q.get(Q.nextMessageAreaPosition, []))![0]);
    return await mapError(
      () =>
        q.get(
          Q.insertMessageArea,
          insertMessageArea.params({ ...a, position }, [nowOf(x)]),
        ),
      tagTaken(a.tag),
    );
  });
  return toMessageArea(row!);
}

/** See `messageAreas.get`. */
export function getMessageArea(
  x: Executor,
  id: number,
): Promise<MessageArea | null> {
  const viewer = viewerOf(x);
  if (viewer !== undefined) {
    return byViewer(
      x,
      VIEWED_AREAS.messageArea,
      viewer,
      id,
      "messageAreas.get",
      toMessageArea,
    );
  }
  return byId(x, Q.messageArea, id, "messageAreas.get", toMessageArea);
}

/**
 * A record by id as a viewer may see it, or `null`.
 *
 * @param x Where to look.
 * @param q The viewer's statement: `[viewer, id]`.
 * @param viewer The viewer's id.
 * @param id The record's id, validated here.
 * @param operation The operation, for the validation error.
 * @param map Row to record.
 * @returns The record, or `null`.
 */
export async function byViewer<T>(
  x: Executor,
  q: Sql,
  viewer: number,
  id: number,
  operation: string,
  map: (row: Row) => T,
): Promise<T | null> {
  parseId(id, "id", operation);
  const row = await x.get(q, [viewer, id]);
  return row ? map(row) : null;
}

/** See `messageAreas.list`: by position, then id. */
export async function listMessageAreas(x: Executor): Promise<MessageArea[]> {
  const viewer = viewerOf(x);
  const rows = viewer === undefined
    ? await x.all(Q.messageAreas, [])
    : await x.all(VIEWED_AREAS.messageAreas, [viewer]);
  return rows.map(toMessageArea);
}

/** See `fileAreas.create`. */
export async function createFileArea(
  x: Executor,
  input: NewFileArea,
): Promise<FileArea> {
  const a = parse(S.newFileArea, input, "input", "fileAreas.create");
  const row = await x.atomic(async (q) => {
    const position = a.position ??
      Number((await q.get(Q.nextFileAreaPosition, []))![0]);
    return await mapError(
      () =>
        q.get(
          Q.insertFileArea,
          insertFileArea.params({ ...a, position }, [nowOf(x)]),
        ),
      tagTaken(a.tag),
    );
  });
  return toFileArea(row!);
}

/** See `fileAreas.get`. */
export function getFileArea(
  x: Executor,
  id: number,
): Promise<FileArea | null> {
  const viewer = viewerOf(x);
  if (viewer !== undefined) {
    return byViewer(
      x,
      VIEWED_AREAS.fileArea,
      viewer,
      id,
      "fileAreas.get",
      toFileArea,
    );
  }
  return byId(x, Q.fileArea, id, "fileAreas.get", toFileArea);
}

/** See `fileAreas.list`: by position, then id. */
export async function listFileAreas(x: Executor): Promise<FileArea[]> {
  const viewer = viewerOf(x);
  const rows = viewer === undefined
    ? await x.all(Q.fileAreas, [])
    : await x.all(VIEWED_AREAS.fileAreas, [viewer]);
  return rows.map(toFileArea);
}

/**
 * An area's high-water mark as the operation's viewer sees it (every number for the system's
 * view), or `undefined` for a missing area.
 */
async function highWater(
  x: Executor,
  q: Queryable,
  areaId: number,
): Promise<number | undefined> {
  const viewer = viewerOf(x);
  const row = viewer === undefined
    ? await q.get(Q.highWater, [areaId])
    : await q.get(HIGH_WATER_AS, [viewer, areaId]);
  return row ? Number(row[0]) : undefined;
}

/** See `reading.markRead`. */
export async function markRead(
  x: Executor,
  userId: number,
  areaId: number,
  msgNum: number,
): Promise<number> {
  parseId(userId, "userId", "reading.markRead");
  parseId(areaId, "areaId", "reading.markRead");
  const n = parse(S.msgNum, msgNum, "msgNum", "reading.markRead");
  return await x.atomic(async (q) => {
    const top = await highWater(x, q, areaId);
    if (top === undefined) throw notFound("message area", areaId, "mark read");
    if (!await q.get(userExists, [userId])) {
      throw notFound("user", userId, "mark read");
    }
    const row = await q.get(Q.markRead, [userId, areaId, Math.min(n, top)]);
    return row![0] as number;
  });
}

/** See `reading.pointer`. */
export async function pointer(
  x: Executor,
  userId: number,
  areaId: number,
): Promise<number> {
  parseId(userId, "userId", "reading.pointer");
  parseId(areaId, "areaId", "reading.pointer");
  const row = (await x.get(Q.pointerOf, [userId, areaId, userId, areaId]))!;
  if (Number(row[1]) === 0) throw notFound("user", userId, "read the pointer");
  if (Number(row[2]) === 0) {
    throw notFound("message area", areaId, "read the pointer");
  }
  return Number(row[0]);
}

/** See `reading.setPointer`. */
export async function setPointer(
  x: Executor,
  userId: number,
  areaId: number,
  msgNum: number,
): Promise<number> {
  parseId(userId, "userId", "reading.setPointer");
  parseId(areaId, "areaId", "reading.setPointer");
  const n = parse(S.pointerNum, msgNum, "msgNum", "reading.setPointer");
  return await x.atomic(async (q) => {
    const top = await highWater(x, q, areaId);
    if (top === undefined) {
      throw notFound("message area", areaId, "set the pointer");
    }
    if (!await q.get(userExists, [userId])) {
      throw notFound("user", userId, "set the pointer");
    }
    const row = await q.get(Q.setPointer, [
      userId,
      areaId,
      Math.max(0, Math.min(n, top)),
    ]);
    return Number(row![0]);
  });
}

/** See `reading.setPointersByDate`. */
export async function setPointersByDate(
  x: Executor,
  userId: number,
  date: Date,
  options?: SetPointersByDateOptions,
): Promise<number> {
  const op = "reading.setPointersByDate";
  parseId(userId, "userId", op);
  const time = parse(S.since, date, "date", op).getTime();
  const { areaIds } = parse(S.pointersByDateOptions, options, "options", op);
  const viewer = viewerOf(x);
  return await x.atomic(async (q) => {
    if (!await q.get(userExists, [userId])) {
      throw notFound("user", userId, "set pointers by date");
    }
    if (areaIds === undefined) {
      return Number(
        viewer === undefined
          ? await q.run(Q.byDateAll, [userId, time])
          : await q.run(Q.byDateAllAs, [userId, time, viewer]),
      );
    }
    let set = 0;
    for (const areaId of new Set(areaIds)) {
      const changed = Number(
        viewer === undefined
          ? await q.run(Q.byDateOne, [userId, time, areaId])
          : await q.run(Q.byDateOneAs, [userId, time, viewer, areaId]),
      );
      if (changed === 0) {
        throw notFound("message area", areaId, "set pointers by date");
      }
      set += changed;
    }
    return set;
  });
}

/** See `reading.setScanned`. */
export async function setScanned(
  x: Executor,
  userId: number,
  areaId: number,
  scanned: boolean,
): Promise<void> {
  const op = "reading.setScanned";
  parseId(userId, "userId", op);
  parseId(areaId, "areaId", op);
  const on = parse(S.scanned, scanned, "scanned", op);
  await x.atomic(async (q) => {
    if (!await q.get(Q.highWater, [areaId])) {
      throw notFound("message area", areaId, "set the new-scan selection");
    }
    if (!await q.get(userExists, [userId])) {
      throw notFound("user", userId, "set the new-scan selection");
    }
    await q.run(Q.setScanned, [userId, areaId, on ? 1 : 0]);
  });
}

/**
 * Moves an author's pointer past their new message when it was at the area's previous
 * high-water mark (inside `messages.post`'s atomic block, after the message: `last_read` comes
 * last in the lock order).
 *
 * @param q The post's block.
 * @param userId The author.
 * @param areaId The area.
 * @param msgNum The new message's number.
 */
export async function catchUp(
  q: Queryable,
  userId: number,
  areaId: number,
  msgNum: number,
): Promise<void> {
  if (msgNum === 1) {
    await q.get(Q.markRead, [userId, areaId, 1]);
  } else {
    await q.run(Q.catchUp, [msgNum, userId, areaId, msgNum - 1]);
  }
}

/** See `reading.newScan`. */
export async function newScan(
  x: Executor,
  userId: number,
  options?: NewScanOptions,
): Promise<NewScanEntry[]> {
  parseId(userId, "userId", "reading.newScan");
  const { includeOwn } = parse(
    S.newScanOptions,
    options,
    "options",
    "reading.newScan",
  );
  if (!await x.get(userExists, [userId])) {
    throw notFound("user", userId, "new scan");
  }
  const viewer = viewerOf(x);
  const own = includeOwn ? 0 : userId;
  const rows = viewer === undefined
    ? await x.all(Q.newScan, [own, userId])
    : await x.all(Q.newScanAs, [own, own, viewer, userId]);
  const entries: NewScanEntry[] = [];
  for (const row of rows) {
    const area = toMessageArea(row);
    const lastRead = Number(row[MESSAGE_AREAS.selected.length]);
    const mine = Number(row[MESSAGE_AREAS.selected.length + 1]);
    // Numbers at or below the floor hold no message (trimmed): not unread.
    const floor = Number(row[MESSAGE_AREAS.selected.length + 2]);
    const unread = area.lastMsgNum - Math.max(lastRead, floor) - mine;
    if (unread > 0) entries.push({ area, lastRead, unread });
  }
  return entries;
}

/** See `reading.readNext`. */
export async function readNext(
  x: Executor,
  userId: number,
  areaId: number,
  options?: ReadNextOptions,
): Promise<Message[]> {
  parseId(userId, "userId", "reading.readNext");
  parseId(areaId, "areaId", "reading.readNext");
  const { limit, includeOwn } = parse(
    S.readNextOptions,
    options,
    "options",
    "reading.readNext",
  );
  const viewer = viewerOf(x);
  const reach = viewer === undefined
    ? "all"
    : await messageAreaReach(x, viewer, areaId);
  let rows: Row[] = [];
  if (reach === "public") {
    rows = await x.all(Q.readNextPublic, [
      areaId,
      userId,
      userId,
      areaId,
      includeOwn ? 0 : userId,
      viewer,
      viewer,
      limit,
    ]);
  } else if (reach === "all") {
    rows = await x.all(Q.readNext, [
      areaId,
      userId,
      userId,
      areaId,
      includeOwn ? 0 : userId,
      limit,
    ]);
  } else if (reach === "own") {
    const pointer = await x.get(Q.pointer, [userId, areaId]);
    const above = Number(pointer?.[0] ?? 0);
    const reader = includeOwn ? 0 : userId;
    rows = await x.all(Q.readNextMine, [
      viewer,
      areaId,
      above,
      reader,
      viewer,
      viewer,
      areaId,
      above,
      reader,
      limit,
    ]);
  }
  // Nothing to read, or no such reader: a missing user is not_found, as in newScan.
  if (rows.length === 0 && !await x.get(userExists, [userId])) {
    throw notFound("user", userId, "read next");
  }
  return rows.map(toMessage);
}

/**
 * Rewords a taken tag's `conflict`.
 *
 * @param tag The tag given.
 * @returns The mapping.
 */
export function tagTaken(tag: string): (error: unknown) => unknown {
  return reword(
    "conflict",
    "tag",
    () =>
      `Area tag is taken: "${tag}": tags compare case-insensitively; choose another`,
  );
}
