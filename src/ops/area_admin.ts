/**
 * Area administration, for message and file areas alike: look-up by tag, settings and order
 * (deletion is in `area_delete.ts`).
 *
 * Decisions where the contract is silent:
 * - A kind changes only between `"local"` and `"echomail"`; any other change of kind is a
 *   `conflict` naming `kind` (the area's state decides, not the input alone).
 * - `reorder` takes every area of its sort exactly once (an id twice is `validation`; an area
 *   left out or an id naming none is `conflict`: list again) and sets positions 1, 2, 3 … in
 *   that order. A new area goes after every other (the highest position plus one).
 *
 * Locks (PostgreSQL, the global order of mod.ts): `update` locks the area; `reorder` changes
 * each area by ascending id.
 *
 * @module
 */
import { type Executor, sql } from "../driver.ts";
import { StorageError } from "../errors.ts";
import { foldKey } from "../keys.ts";
import type {
  FileArea,
  FileAreaPatch,
  MessageArea,
  MessageAreaPatch,
} from "../records.ts";
import {
  FILE_AREA_COLUMNS as FA,
  MESSAGE_AREA_COLUMNS as MA,
  toFileArea,
  toMessageArea,
} from "../rows.ts";
import * as S from "../schemas.ts";
import { FILE_AREAS, MESSAGE_AREAS } from "../tables/mod.ts";
import { patchSetsOf } from "../tables/table.ts";
import { CONTROL, parse, parseId } from "../validate.ts";
import { mapError, notFound } from "./_errors.ts";
import { PatchStatements } from "./_patch.ts";
import { lockMessageArea } from "./area_delete.ts";
import { tagTaken, VIEWED_AREAS } from "./areas.ts";
import { viewerOf } from "./_access.ts";

const Q = {
  messageAreaByKey: sql(
    "messageAreas.byTag",
    `SELECT ${MA} FROM message_areas WHERE tag_key = ?`,
  ),
  fileAreaByKey: sql(
    "fileAreas.byTag",
    `SELECT ${FA} FROM file_areas WHERE tag_key = ?`,
  ),
  messageArea: sql(
    "messageAreas.reread",
    `SELECT ${MA} FROM message_areas WHERE id = ?`,
  ),
  fileArea: sql(
    "fileAreas.reread",
    `SELECT ${FA} FROM file_areas WHERE id = ?`,
  ),
  messageAreaIds: sql(
    "messageAreas.ids",
    "SELECT id FROM message_areas ORDER BY id",
  ),
  fileAreaIds: sql("fileAreas.ids", "SELECT id FROM file_areas ORDER BY id"),
  placeMessageArea: sql(
    "messageAreas.place",
    "UPDATE message_areas SET position = ? WHERE id = ?",
    true,
  ),
  placeFileArea: sql(
    "fileAreas.place",
    "UPDATE file_areas SET position = ? WHERE id = ?",
    true,
  ),
};

const updateMessageAreaSql = new PatchStatements<MessageAreaPatch>(
  "messageAreas.update",
  MESSAGE_AREAS.name,
  patchSetsOf<MessageAreaPatch>(MESSAGE_AREAS),
  `WHERE id = ? RETURNING ${MA}`,
);

const updateFileAreaSql = new PatchStatements<FileAreaPatch>(
  "fileAreas.update",
  FILE_AREAS.name,
  patchSetsOf<FileAreaPatch>(FILE_AREAS),
  `WHERE id = ? RETURNING ${FA}`,
);

/** The kinds that change into each other. */
const SWAPPABLE = new Set(["local", "echomail"]);

/** The tag's key, or `null` for a spelling no tag can have (control characters). */
function tagKey(tag: string, operation: string): string | null {
  const t = parse(S.tagSpelling, tag, "tag", operation);
  return CONTROL.test(t) ? null : foldKey(t);
}

/** See `messageAreas.getByTag`. */
export async function getMessageAreaByTag(
  x: Executor,
  tag: string,
): Promise<MessageArea | null> {
  const key = tagKey(tag, "messageAreas.getByTag");
  const viewer = viewerOf(x);
  const row = key === null
    ? undefined
    : viewer === undefined
    ? await x.get(Q.messageAreaByKey, [key])
    : await x.get(VIEWED_AREAS.messageAreaByKey, [viewer, key]);
  return row ? toMessageArea(row) : null;
}

/** See `fileAreas.getByTag`. */
export async function getFileAreaByTag(
  x: Executor,
  tag: string,
): Promise<FileArea | null> {
  const key = tagKey(tag, "fileAreas.getByTag");
  const viewer = viewerOf(x);
  const row = key === null
    ? undefined
    : viewer === undefined
    ? await x.get(Q.fileAreaByKey, [key])
    : await x.get(VIEWED_AREAS.fileAreaByKey, [viewer, key]);
  return row ? toFileArea(row) : null;
}

/** See `messageAreas.update`. Locks the area, then changes it. */
export async function updateMessageArea(
  x: Executor,
  id: number,
  patch: MessageAreaPatch,
): Promise<MessageArea> {
  parseId(id, "id", "messageAreas.update");
  const p = parse(S.messageAreaPatch, patch, "patch", "messageAreas.update");
  return await x.atomic(async (q) => {
    const locked = await q.get(lockMessageArea, [id]);
    if (!locked) throw notFound("message area", id, "update message area");
    const kind = locked[2] as string;
    if (
      p.kind !== undefined && p.kind !== kind &&
      !(SWAPPABLE.has(kind) && SWAPPABLE.has(p.kind))
    ) {
      throw new StorageError(
        "conflict",
        `Cannot change the kind of message area ${id} from "${kind}" to "${p.kind}": only ` +
          `"local" and "echomail" change into each other; create a new area instead`,
        { field: "kind" },
      );
    }
    const set = updateMessageAreaSql.bind(p);
    const row = set === null
      ? await q.get(Q.messageArea, [id])
      : await mapError(
        () => q.get(set.statement, [...set.params, id]),
        p.tag === undefined ? (error) => error : tagTaken(p.tag),
      );
    return toMessageArea(row!);
  });
}

/** See `fileAreas.update`. Locks the area, then changes it. */
export async function updateFileArea(
  x: Executor,
  id: number,
  patch: FileAreaPatch,
): Promise<FileArea> {
  parseId(id, "id", "fileAreas.update");
  const p = parse(S.fileAreaPatch, patch, "patch", "fileAreas.update");
  const set = updateFileAreaSql.bind(p);
  const row = set === null ? await x.get(Q.fileArea, [id]) : await mapError(
    () => x.get(set.statement, [...set.params, id]),
    p.tag === undefined ? (error) => error : tagTaken(p.tag),
  );
  if (!row) throw notFound("file area", id, "update file area");
  return toFileArea(row);
}
/** Sets positions 1, 2, 3 … in the order of `ids`, which must name every area once. */
async function reorder(
  x: Executor,
  ids: number[],
  what: string,
  operation: string,
  all: typeof Q.messageAreaIds,
  place: typeof Q.placeMessageArea,
): Promise<void> {
  const order = parse(S.areaIds, ids, "ids", operation);
  await x.atomic(async (q) => {
    const existing = (await q.all(all, [])).map((r) => Number(r[0]));
    const given = new Set(order);
    const have = new Set(existing);
    const left = existing.filter((a) => !given.has(a));
    const unknown = order.filter((a) => !have.has(a));
    if (left.length > 0 || unknown.length > 0) {
      const parts = [
        left.length > 0 ? `left out: ${left.slice(0, 10).join(", ")}` : "",
        unknown.length > 0
          ? `no such area: ${unknown.slice(0, 10).join(", ")}`
          : "",
      ].filter((s) => s !== "");
      throw new StorageError(
        "conflict",
        `Cannot reorder ${what}s as ids must name every ${what} once (${
          parts.join("; ")
        }): ` +
          `list the areas again and pass every id`,
        { field: "ids" },
      );
    }
    const positions = new Map(order.map((a, at) => [a, at + 1]));
    for (const a of existing) await q.run(place, [positions.get(a), a]);
  });
}

/** See `messageAreas.reorder`. */
export function reorderMessageAreas(x: Executor, ids: number[]): Promise<void> {
  return reorder(
    x,
    ids,
    "message area",
    "messageAreas.reorder",
    Q.messageAreaIds,
    Q.placeMessageArea,
  );
}

/** See `fileAreas.reorder`. */
export function reorderFileAreas(x: Executor, ids: number[]): Promise<void> {
  return reorder(
    x,
    ids,
    "file area",
    "fileAreas.reorder",
    Q.fileAreaIds,
    Q.placeFileArea,
  );
}
