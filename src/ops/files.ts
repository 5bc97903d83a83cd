/**
 * File entries: adding, listing, duplicates by hash, downloads, edits and search.
 *
 * @module
 */
import { bumpDaily } from "./counters.ts";
import { today } from "./_zone.ts";
import { dialectSql, type Executor, type Sql, sql } from "../driver.ts";
import { isStorageError, StorageError } from "../errors.ts";
import type {
  FileEntry,
  FilePatch,
  LimitOptions,
  ListFilesOptions,
  NewFile,
  SearchOptions,
} from "../records.ts";
import { FILE_COLUMNS as F, toFile } from "../rows.ts";
import * as S from "../schemas.ts";
import { id as idSchema, parse } from "../validate.ts";
import { filenameKey } from "../keys.ts";
import { mapError, missing, notFound, reword } from "./_errors.ts";
import { byId, changeById, PatchStatements } from "./_patch.ts";
import { checkReferences, type Reference, userExists } from "./_references.ts";
import { searchTerms } from "./search.ts";
import { FILES } from "../tables/mod.ts";
import { insertOf, patchSetsOf } from "../tables/table.ts";
import { canReadArea, VIEWER, viewerOf } from "./_access.ts";

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
  list: sql(
    "files.list",
    `SELECT ${F} FROM files WHERE area_id = ? ORDER BY uploaded_at DESC, id DESC LIMIT ?`,
  ),
  listBefore: sql(
    "files.listBefore",
    `SELECT ${F} FROM files WHERE area_id = ? AND (uploaded_at, id) < (?, ?)
     ORDER BY uploaded_at DESC, id DESC LIMIT ?`,
  ),
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
  listAs: sql(
    "files.listAs",
    `SELECT ${FF} ${VIEWED} WHERE f.area_id = ? AND ${READABLE}
     ORDER BY f.uploaded_at DESC, f.id DESC LIMIT ?`,
  ),
  listBeforeAs: sql(
    "files.listBeforeAs",
    `SELECT ${FF} ${VIEWED} WHERE f.area_id = ? AND (f.uploaded_at, f.id) < (?, ?)
     AND ${READABLE} ORDER BY f.uploaded_at DESC, f.id DESC LIMIT ?`,
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
      const at = f.uploadedAt?.getTime() ?? Date.now();
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
    ...read(x, Q.byId, Q.byIdAs, [parse(idSchema, id, "id", "files.get")]),
  );
  return row ? toFile(row) : null;
}

/** See `files.list`. */
export async function listFiles(
  x: Executor,
  areaId: number,
  options?: ListFilesOptions,
): Promise<FileEntry[]> {
  parse(idSchema, areaId, "areaId", "files.list");
  const { limit, before } = parse(
    S.listFilesOptions,
    options,
    "options",
    "files.list",
  );
  if (before === undefined) {
    return (await x.all(...read(x, Q.list, Q.listAs, [areaId, limit]))).map(
      toFile,
    );
  }
  // Through as(), a file the viewer may not read is no cursor (its existence is not revealed).
  const cursor = await x.get(...read(x, Q.cursor, Q.cursorAs, [before]));
  if (!cursor) {
    throw new StorageError(
      "not_found",
      `Cannot list files before file ${before} as it does not exist: start again without "before"`,
    );
  }
  return (await x.all(
    ...read(x, Q.listBefore, Q.listBeforeAs, [
      areaId,
      cursor[0],
      cursor[1],
      limit,
    ]),
  )).map(toFile);
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
  parse(idSchema, fileId, "fileId", "files.recordDownload");
  parse(idSchema, userId, "userId", "files.recordDownload");
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
  parse(idSchema, id, "id", "files.update");
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
