/**
 * File entries: adding, listing, duplicates by hash, downloads, edits and search.
 *
 * @module
 */
import { nowOf } from "./_board.ts";
import { bumpDaily } from "./counters.ts";
import { today } from "./_zone.ts";
import { Buffer } from "node:buffer";
import { type NodeCrypto, nodeCrypto, sha256 } from "../node_crypto.ts";
import { dialectSql, type Executor, type Sql, sql } from "../driver.ts";
import { isStorageError, StorageError } from "../errors.ts";
import type {
  FileAreaStats,
  FileEntry,
  FileFilter,
  FileOrder,
  FilePage,
  FilePatch,
  FindFilesOptions,
  LimitOptions,
  ListFilesOptions,
  NewFile,
  SearchOptions,
} from "../records.ts";
import { FILE_COLUMNS as F, toFile } from "../rows.ts";
import * as S from "../schemas.ts";
import { parse, parseId } from "../validate.ts";
import { filenameKey } from "../keys.ts";
import { mapError, missing, notFound, reword } from "./_errors.ts";
import { byId, changeById, PatchStatements } from "./_patch.ts";
import { checkReferences, type Reference, userExists } from "./_references.ts";
import { searchTerms } from "./search.ts";
import { FILES } from "../tables/mod.ts";
import { insertOf, patchSetsOf } from "../tables/table.ts";
import { canReadArea, VIEWER, viewerOf } from "./_access.ts";
import { keysetPage } from "./_page.ts";

type ParsedNewFile = ReturnType<typeof S.newFile.parse>;

/** Every column of the input, then the upload time. */
const insert = insertOf<ParsedNewFile>(FILES, ["uploaded_at"]);

/** The select list of a file, as `f`. */
const FF = F.split(", ").map((column) => `f.${column}`).join(", ");

/**
 * A file with its area (`a`) and the viewer's row (`v`, the first parameter): the reads through
 * `as()` take only the files of the areas the viewer may read (`WHERE … AND READABLE`).
 */
const VIEWED =
  `FROM files f JOIN file_areas a ON a.id = f.area_id JOIN ${VIEWER} ON v.id = ?`;
const READABLE = canReadArea("a");

const Q = {
  insert: sql("files.insert", insert.text, true),
  areaExists: sql("fileAreas.exists", "SELECT id FROM file_areas WHERE id = ?"),
  nameTaken: sql(
    "files.nameTaken",
    "SELECT id FROM files WHERE area_id = ? AND filename_key = ?",
  ),
  addUpload: sql(
    "users.addUpload",
    "UPDATE users SET uploads = uploads + 1, upload_bytes = upload_bytes + ? WHERE id = ?",
    true,
  ),
  byId: sql("files.byId", `SELECT ${F} FROM files WHERE id = ?`),
  cursor: sql("files.cursor", "SELECT uploaded_at, id FROM files WHERE id = ?"),
  listNew: sql(
    "files.listNew",
    `SELECT ${F} FROM files WHERE uploaded_at > ? ORDER BY uploaded_at DESC, id DESC LIMIT ?`,
  ),
  byHash: sql(
    "files.byHash",
    `SELECT ${F} FROM files WHERE sha256 = ? ORDER BY id`,
  ),
  download: sql(
    "files.download",
    `UPDATE files SET downloads = downloads + 1 WHERE id = ? RETURNING ${F}`,
    true,
  ),
  addDownload: sql(
    "users.addDownload",
    `UPDATE users SET downloads = downloads + 1,
       download_bytes = download_bytes + (SELECT size FROM files WHERE id = ?)
     WHERE id = ? AND EXISTS (SELECT 1 FROM files WHERE id = ?)`,
    true,
  ),
  delete: sql("files.delete", "DELETE FROM files WHERE id = ?", true),
  stats: sql(
    "fileAreas.stats",
    `SELECT a.id, count(f.id), coalesce(sum(f.size), 0)
     FROM file_areas a LEFT JOIN files f ON f.area_id = a.id
     GROUP BY a.id, a.position ORDER BY a.position, a.id`,
  ),
  statsAs: sql(
    "fileAreas.statsAs",
    `SELECT a.id, count(f.id), coalesce(sum(f.size), 0)
     FROM file_areas a JOIN ${VIEWER} ON v.id = ? LEFT JOIN files f ON f.area_id = a.id
     WHERE ${READABLE} GROUP BY a.id, a.position ORDER BY a.position, a.id`,
  ),
  move: sql(
    "files.move",
    `UPDATE files SET area_id = ? WHERE id = ? RETURNING ${F}`,
    true,
  ),
  search: dialectSql("files.search", { select: F }),
  // The same reads for a viewer (src/ops/_access.ts): the viewer's id first.
  byIdAs: sql(
    "files.byIdAs",
    `SELECT ${FF} ${VIEWED} WHERE f.id = ? AND ${READABLE}`,
  ),
  cursorAs: sql(
    "files.cursorAs",
    `SELECT f.uploaded_at, f.id ${VIEWED} WHERE f.id = ? AND ${READABLE}`,
  ),
  listNewAs: sql(
    "files.listNewAs",
    `SELECT ${FF} ${VIEWED} WHERE f.uploaded_at > ? AND ${READABLE}
     ORDER BY f.uploaded_at DESC, f.id DESC LIMIT ?`,
  ),
  byHashAs: sql(
    "files.byHashAs",
    `SELECT ${FF} ${VIEWED} WHERE f.sha256 = ? AND ${READABLE} ORDER BY f.id`,
  ),
  searchAs: dialectSql("files.searchAs", {
    select: F,
    where: canReadArea("a"),
  }),
};

/**
 * The statement and parameters of a read: the system's, or, for a viewer, its viewer variant
 * with the viewer's id first.
 */
function read(
  x: Executor,
  system: Sql,
  viewed: Sql,
  params: readonly unknown[],
): [Sql, unknown[]] {
  const viewer = viewerOf(x);
  return viewer === undefined
    ? [system, [...params]]
    : [viewed, [viewer, ...params]];
}

const update = new PatchStatements<FilePatch>(
  "files.update",
  FILES.name,
  patchSetsOf<FilePatch>(FILES),
  `WHERE id = ? RETURNING ${F}`,
);

/**
 * See `files.add`. Locks in the global order (mod.ts): the uploader (counting
 * the upload), then the new file.
 */
export async function addFile(x: Executor, input: NewFile): Promise<FileEntry> {
  const f = parse(S.newFile, input, "input", "files.add");
  const references: Reference[] = [
    ["areaId", "file area", Q.areaExists, f.areaId],
    ["uploaderId", "user", userExists, f.uploaderId],
  ];
  return await checkReferences(x, "add file", references, async () => {
    try {
      const at = f.uploadedAt?.getTime() ?? nowOf(x);
      const day = today(x, at);
      return await x.atomic(async (q) => {
        if (
          f.uploaderId !== null &&
          await q.run(Q.addUpload, [f.size, f.uploaderId]) === 0
        ) {
          // checkReferences names the first reference that names nothing.
          throw missing("add file", "uploaderId", "user", f.uploaderId);
        }
        const row = await mapError(
          () =>
            q.get(
              Q.insert,
              insert.params(f, [at]),
            ),
          reword("conflict", "filename", filenameTaken(f.filename, f.areaId)),
        );
        // Counted on the day of the upload: one of an earlier day (an import) counts nothing.
        if (f.uploaderId !== null && day >= today(x)) {
          await bumpDaily(q, day, f.uploaderId, "uploadBytesToday", f.size);
        }
        return toFile(row!);
      });
    } catch (error) {
      // The upload is counted before the file is stored (the lock order), but a taken name is
      // reported before a counter that would overflow, as if the file came first.
      if (
        isStorageError(error, "constraint") &&
        await x.get(Q.nameTaken, [f.areaId, filenameKey(f.filename)])
      ) {
        throw new StorageError(
          "conflict",
          filenameTaken(f.filename, f.areaId)(),
          { cause: error, field: "filename" },
        );
      }
      throw error;
    }
  });
}

/** See `files.get`. */
export async function getFile(
  x: Executor,
  id: number,
): Promise<FileEntry | null> {
  if (viewerOf(x) === undefined) {
    return await byId(x, Q.byId, id, "files.get", toFile);
  }
  const row = await x.get(
    ...read(x, Q.byId, Q.byIdAs, [parseId(id, "id", "files.get")]),
  );
  return row ? toFile(row) : null;
}

/** See `files.list`. */
export async function listFiles(
  x: Executor,
  areaId: number,
  options?: ListFilesOptions,
): Promise<FileEntry[]> {
  return (await pageOf(x, areaId, options, "files.list")).files;
}

/** See `files.page`. */
export function pageFiles(
  x: Executor,
  areaId: number,
  options?: ListFilesOptions,
): Promise<FilePage> {
  return pageOf(x, areaId, options, "files.page");
}

/** See `files.count`. */
export async function countFiles(
  x: Executor,
  areaId: number,
  filter?: FileFilter,
): Promise<number> {
  parseId(areaId, "areaId", "files.count");
  const f = parse(S.fileFilter, filter, "filter", "files.count");
  const viewer = viewerOf(x);
  const shown = f.includeUnavailable ? "" : ` AND ${AVAILABLE}`;
  const q = viewer === undefined
    ? cached(
      `files.count${shown ? "" : ".all"}`,
      () => `SELECT count(*) FROM files f WHERE f.area_id = ?${shown}`,
    )
    : cached(
      `files.countAs${shown ? "" : ".all"}`,
      () =>
        `SELECT count(*) ${VIEWED} WHERE f.area_id = ? AND ${READABLE}${shown}`,
    );
  const row = await x.get(
    q,
    viewer === undefined ? [areaId] : [viewer, areaId],
  );
  return Number(row![0]);
}

type Order = FileOrder;

/** Each order's key; an index serves each (files_area_uploaded, files_area_name, 0017). */
const KEY: Record<Order, string> = {
  uploadedAt: "f.uploaded_at",
  name: "f.filename_key",
  size: "f.size",
  downloads: "f.downloads",
};

/** A file listed by default: online, and its scan found it clean. */
const AVAILABLE = "f.offline = 0 AND f.scan_status = 'clean'";

const statements = new Map<string, Sql>();

/** A statement built once per shape (order, direction, cursor, filter, viewer), then reused. */
function cached(name: string, text: () => string): Sql {
  let q = statements.get(name);
  if (!q) statements.set(name, q = sql(name, text()));
  return q;
}

/**
 * A cursor of `files.page`: the area, the order, the last file's key and id, and a check of
 * them. It holds no direction: listed the other way, it gives the files before it.
 */
function cursorOf(
  crypto: NodeCrypto,
  areaId: number,
  order: Order,
  key: unknown,
  id: number,
) {
  const payload = JSON.stringify([areaId, order, key, id]);
  const check = sha256(crypto, payload, "base64url");
  return `${Buffer.from(payload).toString("base64url")}.${check.slice(0, 12)}`;
}

function badCursor(operation: string, why: string): StorageError {
  return new StorageError(
    "validation",
    `Invalid ${operation} input: options.after ${why}: pass the next cursor of a page of files.page listed in the same area with the same orderBy`,
    { field: "options.after" },
  );
}

/** The key and id a cursor holds, checked against the area and order it must come from. */
function readCursor(
  crypto: NodeCrypto,
  cursor: string,
  areaId: number,
  order: Order,
  operation: string,
): [key: unknown, id: number] {
  const [payload, check, ...rest] = cursor.split(".");
  let decoded: unknown;
  try {
    const text = Buffer.from(payload ?? "", "base64url").toString("utf8");
    const expected = sha256(crypto, text, "base64url");
    if (rest.length > 0 || check !== expected.slice(0, 12)) {
      throw badCursor(
        operation,
        "is not a cursor of files.page (altered or made up)",
      );
    }
    decoded = JSON.parse(text);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw badCursor(operation, "is not a cursor of files.page");
  }
  const [area, o, key, id, ...more] = Array.isArray(decoded) ? decoded : [];
  if (more.length > 0 || !Number.isSafeInteger(area)) {
    throw badCursor(operation, "is not a cursor of files.page");
  }
  if (o !== order) {
    throw badCursor(
      operation,
      `comes from a list by ${String(o).slice(0, 20)}`,
    );
  }
  if (area !== areaId) {
    throw badCursor(operation, `comes from a list of area ${area}`);
  }
  const keyOk = order === "name"
    ? typeof key === "string"
    : Number.isSafeInteger(key);
  if (!keyOk || !Number.isSafeInteger(id) || (id as number) < 1) {
    throw badCursor(operation, "is not a cursor of files.page");
  }
  return [key, id as number];
}

/** One page of an area's files: `files.list` and `files.page`. */
async function pageOf(
  x: Executor,
  areaId: number,
  options: ListFilesOptions | undefined,
  operation: string,
): Promise<FilePage> {
  parseId(areaId, "areaId", operation);
  const o: ReturnType<typeof S.listFilesOptions.parse> = parse(
    operation === "files.page" ? S.pageFilesOptions : S.listFilesOptions,
    options,
    "options",
    operation,
  );
  const order = o.orderBy as Order;
  const descending = o.descending ?? order !== "name";
  if (o.before !== undefined) {
    // `before` pages the default order alone: the refusal names the option that goes against it.
    const against = o.after !== undefined
      ? "after"
      : order !== "uploadedAt"
      ? "orderBy"
      : !descending
      ? "descending"
      : undefined;
    if (against !== undefined) {
      throw new StorageError(
        "validation",
        `Invalid ${operation} input: options.${against} cannot go with options.before, which ` +
          `lists older files in the default order only (newest first): leave one out, or page with after`,
        { field: `options.${against}` },
      );
    }
  }
  const viewer = viewerOf(x);
  const crypto = await nodeCrypto(); // for the cursors
  const key = KEY[order];
  const dir = descending ? "DESC" : "ASC";
  const cmp = descending ? "<" : ">";
  const where: string[] = ["f.area_id = ?"];
  const params: unknown[] = [areaId];
  if (viewer !== undefined) where.push(READABLE);
  if (!o.includeUnavailable) where.push(AVAILABLE);
  let from: [unknown, number] | undefined;
  if (o.after !== undefined) {
    from = readCursor(crypto, o.after, areaId, order, operation);
  } else if (o.before !== undefined) {
    // Through as(), a file the viewer may not read is no cursor (its existence is not revealed).
    const cursor = await x.get(...read(x, Q.cursor, Q.cursorAs, [o.before]));
    if (!cursor) {
      throw new StorageError(
        "not_found",
        `Cannot list files before file ${o.before} as it does not exist: start again without "before"`,
      );
    }
    from = [cursor[0], cursor[1] as number];
  }
  if (from !== undefined) {
    if (order === "name") {
      // Names are unique in an area: the key alone places the cursor.
      where.push(`${key} ${cmp} ?`);
      params.push(from[0]);
    } else {
      // The range on the key alone lets every dialect search the index; the rest picks the
      // files after the cursor among equal keys.
      where.push(`${key} ${cmp}= ? AND (${key} ${cmp} ? OR f.id ${cmp} ?)`);
      params.push(from[0], from[0], from[1]);
    }
  }
  const by = order === "name" ? `${key} ${dir}` : `${key} ${dir}, f.id ${dir}`;
  const name = `files.list.${order}.${dir}${
    from === undefined ? "" : ".after"
  }${o.includeUnavailable ? ".all" : ""}${viewer === undefined ? "" : ".as"}`;
  const q = cached(
    name,
    () =>
      `SELECT ${FF}, ${key} AS sort_key ${
        viewer === undefined ? "FROM files f" : VIEWED
      } ` +
      `WHERE ${where.join(" AND ")} ORDER BY ${by} LIMIT ?`,
  );
  const rows = await x.all(q, [
    ...(viewer === undefined ? [] : [viewer]),
    ...params,
    o.limit + 1,
  ]);
  const { page, last } = keysetPage(rows, o.limit);
  return {
    files: page.map(toFile),
    next: last
      ? cursorOf(
        crypto,
        areaId,
        order,
        last[FILES.selected.length],
        last[0] as number,
      )
      : null,
  };
}

/** See `files.listNew`. */
export async function listNewFiles(
  x: Executor,
  since: Date,
  options?: LimitOptions,
): Promise<FileEntry[]> {
  const after = parse(S.since, since, "since", "files.listNew");
  const { limit } = parse(S.limitOptions, options, "options", "files.listNew");
  return (await x.all(
    ...read(x, Q.listNew, Q.listNewAs, [after.getTime(), limit]),
  )).map(toFile);
}

/** See `files.findByHash`. */
export async function findFilesByHash(
  x: Executor,
  sha256: string,
): Promise<FileEntry[]> {
  return (await x.all(
    ...read(x, Q.byHash, Q.byHashAs, [
      parse(S.hash, sha256, "sha256", "files.findByHash"),
    ]),
  )).map(toFile);
}

/**
 * See `files.recordDownload`. Locks in the global order (mod.ts): the user, then
 * the file.
 */
export async function recordDownload(
  x: Executor,
  fileId: number,
  userId: number,
): Promise<FileEntry> {
  parseId(fileId, "fileId", "files.recordDownload");
  parseId(userId, "userId", "files.recordDownload");
  const day = today(x);
  return await x.atomic(async (q) => {
    const counted = await mapError(
      () => q.run(Q.addDownload, [fileId, userId, fileId]),
      reword(
        "constraint",
        undefined,
        () =>
          `Cannot record download as user ${userId}'s downloadBytes would pass 2^53-1`,
      ),
    );
    const row = await q.get(Q.download, [fileId]);
    if (!row) throw notFound("file", fileId, "record download");
    if (counted === 0) throw notFound("user", userId, "record download");
    const file = toFile(row);
    await bumpDaily(q, day, userId, "downloadBytesToday", file.size);
    return file;
  });
}

/** See `files.update`. */
export async function updateFile(
  x: Executor,
  id: number,
  patch: FilePatch,
): Promise<FileEntry> {
  parseId(id, "id", "files.update");
  const p = parse(S.filePatch, patch, "patch", "files.update");
  const set = update.bind(p);
  const row = set === null ? await x.get(Q.byId, [id]) : await mapError(
    () => x.get(set.statement, [...set.params, id]),
    p.filename === undefined
      ? (error) => error
      : reword("conflict", "filename", filenameTaken(p.filename, undefined)),
  );
  if (!row) throw notFound("file", id, "update file");
  return toFile(row);
}

/** See `files.delete`. */
export function deleteFile(x: Executor, id: number): Promise<void> {
  return changeById(x, Q.delete, [], id, "file", "files.delete");
}

/** See `files.search`. */
export async function searchFiles(
  x: Executor,
  query: string,
  options?: SearchOptions,
): Promise<FileEntry[]> {
  const terms = searchTerms(parse(S.query, query, "query", "files.search"));
  const { areaId, limit } = parse(
    S.searchOptions,
    options,
    "options",
    "files.search",
  );
  if (terms.length === 0) return [];
  const viewer = viewerOf(x);
  // A dialect statement's parameters are the core's: the viewer's id comes last.
  const rows = viewer === undefined
    ? await x.all(Q.search, [terms, areaId ?? null, limit])
    : await x.all(Q.searchAs, [terms, areaId ?? null, limit, viewer]);
  return rows.map(toFile);
}

function filenameTaken(
  filename: string,
  areaId: number | undefined,
): () => string {
  const where = areaId === undefined ? "its area" : `area ${areaId}`;
  return () =>
    `Cannot store file as its filename is taken in ${where}: "${filename}": ` +
    `names compare case-insensitively; choose another`;
}

/** See `fileAreas.stats`. */
export async function fileAreaStats(x: Executor): Promise<FileAreaStats[]> {
  const rows = await x.all(...read(x, Q.stats, Q.statsAs, []));
  return rows.map((r) => ({
    areaId: Number(r[0]),
    files: Number(r[1]),
    bytes: Number(r[2]),
  }));
}

/**
 * See `files.move`. Locks in the global order (mod.ts): the file alone (its foreign key shares
 * the area moved into, which a concurrent `fileAreas.delete` then waits for).
 */
export async function moveFile(
  x: Executor,
  id: number,
  toAreaId: number,
): Promise<FileEntry> {
  parseId(id, "id", "files.move");
  parseId(toAreaId, "toAreaId", "files.move");
  return await x.atomic(async (q) => {
    if (!await q.get(Q.areaExists, [toAreaId])) {
      if (!await q.get(Q.byId, [id])) throw notFound("file", id, "move file");
      throw notFound("file area", toAreaId, "move file");
    }
    const row = await mapError(
      () => q.get(Q.move, [toAreaId, id]),
      reword(
        "conflict",
        "toAreaId",
        () =>
          `Cannot move file ${id} as its filename is taken in area ${toAreaId} (toAreaId): ` +
          `names compare case-insensitively; rename it first`,
      ),
    );
    if (!row) throw notFound("file", id, "move file");
    return toFile(row);
  });
}

/** The largest time a Date holds, in milliseconds: the default bounds of `since` and `until`. */
const MAX_TIME = 8_640_000_000_000_000;

/**
 * A DOS wildcard as `files.find` searches by it: its ASCII letters folded as file name keys
 * are (`filenameKey`); the key range of its literal prefix (everything before the first `*` or
 * `?`), as the code points of UTF-8 order them (SQLite's BINARY, PostgreSQL's "C": the key
 * column's collation, 0021); and the LIKE pattern of the whole (escape `\`), in which `%`, `_`
 * and `\` of the wildcard stand for themselves.
 *
 * ```ts ignore
 * wildcard("GAME*.ZIP"); // { low: "game", high: "gamf", like: "game%.zip" }
 * ```
 */
function wildcard(
  pattern: string,
): { low: string; high: string | null; like: string } {
  const folded = filenameKey(pattern);
  const prefix = folded.slice(0, folded.search(/[*?]|$/));
  return {
    low: prefix,
    high: after(prefix),
    like: folded.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll("*", "%")
      .replaceAll("?", "_"),
  };
}

/**
 * The least string greater than every string that starts with `prefix`, in code point order,
 * or `null` when there is none (an empty prefix, or one of U+10FFFF alone).
 */
function after(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // The surrogates are no characters: U+D7FF is followed by U+E000.
      const next = last === 0xd7ff ? 0xe000 : last + 1;
      return points.join("") + String.fromCodePoint(next);
    }
  }
  return null;
}

/** A separator that no file name holds: a name key made unique by 0006 has it, then the id. */
const UNIQUE_MARK = "\u001f";

/** A cursor of `files.findPage`: the last file's key and id, and a check of them and the search. */
function findCursor(
  crypto: NodeCrypto,
  search: string,
  key: string,
  id: number,
): string {
  const payload = JSON.stringify([key, id]);
  const check = sha256(crypto, `${search}\n${payload}`, "base64url");
  return `${Buffer.from(payload).toString("base64url")}.${check.slice(0, 16)}`;
}

function badFindCursor(why: string): StorageError {
  return new StorageError(
    "validation",
    `Invalid files.find input: options.after ${why}: pass the next cursor of a page of files.findPage searched with the same conditions`,
    { field: "options.after" },
  );
}

/** The key and id of a cursor of `files.findPage`, checked against the search it must come from. */
function readFindCursor(
  crypto: NodeCrypto,
  search: string,
  cursor: string,
): [string, number] {
  const [payload, check, ...rest] = cursor.split(".");
  const text = Buffer.from(payload ?? "", "base64url").toString("utf8");
  const expected = sha256(crypto, `${search}\n${text}`, "base64url");
  if (rest.length > 0 || check !== expected.slice(0, 16)) {
    throw badFindCursor(
      "is not a cursor of files.findPage with these conditions (another search's, altered or made up)",
    );
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    throw badFindCursor("is not a cursor of files.findPage");
  }
  const [key, id, ...more] = Array.isArray(decoded) ? decoded : [];
  if (
    more.length > 0 || typeof key !== "string" || !Number.isSafeInteger(id) ||
    (id as number) < 1
  ) {
    throw badFindCursor("is not a cursor of files.findPage");
  }
  return [key, id as number];
}

/** See `files.find`. */
export async function findFiles(
  x: Executor,
  options?: FindFilesOptions,
): Promise<FileEntry[]> {
  return (await findOf(x, options, "files.find")).files;
}

/** See `files.findPage`. */
export function findFilesPage(
  x: Executor,
  options?: FindFilesOptions,
): Promise<FilePage> {
  return findOf(x, options, "files.findPage");
}

/**
 * One page of `files.find`: by name key, then id. The pattern's literal prefix is a range on
 * the index of (filename_key, id) (files_name_key, 0021), which also gives the order, so a
 * search reads about as many index entries as the prefix takes, whatever the board's size; the
 * whole wildcard, the other conditions and what the viewer may read filter the rows of that
 * range. A pattern that starts with a wildcard reads the index from the start, up to the page.
 */
async function findOf(
  x: Executor,
  options: FindFilesOptions | undefined,
  operation: string,
): Promise<FilePage> {
  const o = parse(S.findFilesOptions, options, "options", operation);
  const crypto = await nodeCrypto(); // for the cursors
  const viewer = viewerOf(x);
  // The cursor belongs to the search: every condition but the page's limit and cursor.
  const search = JSON.stringify([
    o.pattern ?? null,
    o.uploaderId ?? null,
    o.minSize ?? null,
    o.maxSize ?? null,
    o.since?.getTime() ?? null,
    o.until?.getTime() ?? null,
    o.areaIds ? [...new Set(o.areaIds)].sort((a, b) => a - b) : null,
    o.includeUnavailable,
  ]);
  const where: string[] = [];
  const params: unknown[] = [];
  const w = o.pattern === undefined ? undefined : wildcard(o.pattern);
  if (o.after !== undefined) {
    const [key, id] = readFindCursor(crypto, search, o.after);
    // A row value over the index's own columns: a range of it on every dialect.
    where.push("(f.filename_key, f.id) > (?, ?)");
    params.push(key, id);
  } else {
    // Without a prefix, from the empty key: a range of the index all the same, which no
    // dialect then sorts (SQLite would otherwise sort a small board's files rather than walk).
    where.push("f.filename_key >= ?");
    params.push(w?.low ?? "");
  }
  if (w?.high) {
    where.push("f.filename_key < ?");
    params.push(w.high);
  }
  if (w !== undefined) {
    // The whole wildcard on the key: LIKE on keys folded as the pattern is, so SQLite's
    // case-insensitive LIKE and PostgreSQL's case-sensitive one agree. A key made unique by
    // 0006 (the name key, U+001F, the id) matches as its name key does. (In a CASE, which
    // PostgreSQL's planner takes to keep half the rows: its guess for a LIKE with a wildcard
    // inside is a few rows, and sorting a few rows looks cheaper than the index's order.)
    where.push(
      `(CASE WHEN f.filename_key LIKE ? THEN f.filename_key LIKE ? ESCAPE '\\' ELSE f.filename_key LIKE ? ESCAPE '\\' END)`,
    );
    params.push(`%${UNIQUE_MARK}%`, `${w.like}${UNIQUE_MARK}%`, w.like);
  }
  // The other conditions filter what the name key index gives (the unary + keeps every
  // dialect from searching another index and sorting what it finds).
  if (o.uploaderId !== undefined) {
    where.push("+f.uploader_id = ?");
    params.push(o.uploaderId);
  }
  const sizes = o.minSize !== undefined || o.maxSize !== undefined;
  if (sizes) {
    where.push("+f.size BETWEEN ? AND ?");
    params.push(o.minSize ?? 0, o.maxSize ?? Number.MAX_SAFE_INTEGER);
  }
  const times = o.since !== undefined || o.until !== undefined;
  if (times) {
    where.push("+f.uploaded_at >= ? AND +f.uploaded_at < ?");
    params.push(
      o.since?.getTime() ?? -MAX_TIME,
      o.until?.getTime() ?? MAX_TIME + 1,
    );
  }
  if (o.areaIds !== undefined) {
    // One statement whatever the number of areas: the ids as one text, ",1,5,".
    where.push("? LIKE '%,' || (+f.area_id) || ',%'");
    params.push(`,${[...new Set(o.areaIds)].join(",")},`);
  }
  if (!o.includeUnavailable) where.push(AVAILABLE);
  if (viewer !== undefined) {
    // Through as(): each file's area and the viewer in a subquery, so the files are read as
    // the system's search reads them (a join lets SQLite start at the viewer and the areas,
    // then sort every file they may read).
    where.push(
      `EXISTS (SELECT 1 FROM file_areas a JOIN ${VIEWER} ON v.id = ? WHERE a.id = f.area_id AND ${READABLE})`,
    );
    params.push(viewer);
  }
  const name = [
    "files.find",
    o.after !== undefined ? "after" : "low",
    w?.high ? "high" : "",
    w ? "like" : "",
    o.uploaderId !== undefined ? "uploader" : "",
    sizes ? "sizes" : "",
    times ? "times" : "",
    o.areaIds ? "areas" : "",
    o.includeUnavailable ? "all" : "",
    viewer === undefined ? "" : "as",
  ].filter((part) => part !== "").join(".");
  const q = cached(
    name,
    () =>
      `SELECT ${FF}, f.filename_key FROM files f${
        where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`
      } ORDER BY f.filename_key, f.id LIMIT ?`,
  );
  const rows = await x.all(q, [...params, o.limit + 1]);
  const { page, last } = keysetPage(rows, o.limit);
  return {
    files: page.map(toFile),
    next: last
      ? findCursor(
        crypto,
        search,
        String(last[FILES.selected.length]),
        Number(last[0]),
      )
      : null,
  };
}
