/**
 * Message and file areas, last-read pointers and the new-scan.
 *
 * @module
 */
import { type Executor, type Row, type Sql, sql } from "../driver.ts";
import type {
  FileArea,
  LimitOptions,
  Message,
  MessageArea,
  NewFileArea,
  NewMessageArea,
  NewScanEntry,
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
import { id as idSchema, parse } from "../validate.ts";
import { mapError, notFound, reword } from "./_errors.ts";
import { byId } from "./_patch.ts";
import { userExists } from "./_references.ts";
import {
  canReadArea,
  canSeeArea,
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
     ELSE ${column} END`;
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
 * How a viewer may read a message area: not at all (`"none"`), every message (`"all"`), or only
 * their own and those addressed to them (`"own"`: a private area they are not the sysop of).
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
): Promise<"none" | "all" | "own"> {
  const row = await x.get(VIEWED_AREAS.messageAreaAccess, [viewer, areaId]);
  if (!row || Number(row[0]) === 0) return "none";
  return row[2] === "private" && Number(row[1]) === 0 ? "own" : "all";
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
  newScan: sql(
    "lastRead.newScan",
    `SELECT ${prefixed(MA, "a")}, coalesce(r.last_read, 0)
     FROM message_areas a LEFT JOIN last_read r ON r.user_id = ? AND r.area_id = a.id
     WHERE a.kind <> 'private' AND a.last_msg_num > coalesce(r.last_read, 0)
     ORDER BY a.id`,
  ),
  newScanAs: sql(
    "lastRead.newScanAs",
    `SELECT ${prefixed(MA, "a")}, coalesce(r.last_read, 0)
     FROM message_areas a JOIN ${VIEWER} ON v.id = ?
       LEFT JOIN last_read r ON r.user_id = ? AND r.area_id = a.id
     WHERE a.kind <> 'private' AND a.last_msg_num > coalesce(r.last_read, 0)
       AND ${canReadArea("a")}
     ORDER BY a.id`,
  ),
  pointer: sql(
    "lastRead.pointer",
    "SELECT last_read FROM last_read WHERE user_id = ? AND area_id = ?",
  ),
  readNext: sql(
    "messages.readNext",
    `SELECT ${M} FROM messages
     WHERE area_id = ? AND EXISTS (SELECT 1 FROM users WHERE id = ?)
       AND msg_num > coalesce((SELECT last_read FROM last_read WHERE user_id = ? AND area_id = ?), 0)
     ORDER BY msg_num LIMIT ?`,
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
          insertMessageArea.params({ ...a, position }, [Date.now()]),
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
  parse(idSchema, id, "id", operation);
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
          insertFileArea.params({ ...a, position }, [Date.now()]),
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

/** See `reading.markRead`. */
export async function markRead(
  x: Executor,
  userId: number,
  areaId: number,
  msgNum: number,
): Promise<number> {
  parse(idSchema, userId, "userId", "reading.markRead");
  parse(idSchema, areaId, "areaId", "reading.markRead");
  const n = parse(S.msgNum, msgNum, "msgNum", "reading.markRead");
  return await x.atomic(async (q) => {
    const area = await q.get(Q.highWater, [areaId]);
    if (!area) throw notFound("message area", areaId, "mark read");
    if (!await q.get(userExists, [userId])) {
      throw notFound("user", userId, "mark read");
    }
    const row = await q.get(Q.markRead, [
      userId,
      areaId,
      Math.min(n, area[0] as number),
    ]);
    return row![0] as number;
  });
}

/** See `reading.newScan`. */
export async function newScan(
  x: Executor,
  userId: number,
): Promise<NewScanEntry[]> {
  parse(idSchema, userId, "userId", "reading.newScan");
  if (!await x.get(userExists, [userId])) {
    throw notFound("user", userId, "new scan");
  }
  const viewer = viewerOf(x);
  const rows = viewer === undefined
    ? await x.all(Q.newScan, [userId])
    : await x.all(Q.newScanAs, [viewer, userId]);
  return rows.map((row) => {
    const area = toMessageArea(row);
    const lastRead = row[MESSAGE_AREAS.selected.length] as number;
    return { area, lastRead, unread: area.lastMsgNum - lastRead };
  });
}

/** See `reading.readNext`. */
export async function readNext(
  x: Executor,
  userId: number,
  areaId: number,
  options?: LimitOptions,
): Promise<Message[]> {
  parse(idSchema, userId, "userId", "reading.readNext");
  parse(idSchema, areaId, "areaId", "reading.readNext");
  const { limit } = parse(
    S.limitOptions,
    options,
    "options",
    "reading.readNext",
  );
  const viewer = viewerOf(x);
  const reach = viewer === undefined
    ? "all"
    : await messageAreaReach(x, viewer, areaId);
  let rows: Row[] = [];
  if (reach === "all") {
    rows = await x.all(Q.readNext, [areaId, userId, userId, areaId, limit]);
  } else if (reach === "own") {
    const pointer = await x.get(Q.pointer, [userId, areaId]);
    rows = await x.all(
      OWN_MESSAGES,
      ownMessagesParams(
        viewer!,
        areaId,
        Number(pointer?.[0] ?? 0),
        0,
        limit,
      ),
    );
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
