/**
 * Message and file areas, last-read pointers and the new-scan.
 *
 * @module
 */
import { type Executor, sql } from "../driver.ts";
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
  return byId(x, Q.messageArea, id, "messageAreas.get", toMessageArea);
}

/** See `messageAreas.list`: by position, then id. */
export async function listMessageAreas(x: Executor): Promise<MessageArea[]> {
  return (await x.all(Q.messageAreas, [])).map(toMessageArea);
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
  return byId(x, Q.fileArea, id, "fileAreas.get", toFileArea);
}

/** See `fileAreas.list`: by position, then id. */
export async function listFileAreas(x: Executor): Promise<FileArea[]> {
  return (await x.all(Q.fileAreas, [])).map(toFileArea);
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
  const rows = await x.all(Q.newScan, [userId]);
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
  const rows = await x.all(Q.readNext, [areaId, userId, userId, areaId, limit]);
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
