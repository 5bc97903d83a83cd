/**
 * The files repository, `storage.files`: the entries of the file areas, their downloads and
 * search.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const alice = await storage.users.create({ username: "Alice", passwordHash: "h" });
 * const uploads = await storage.fileAreas.create({ tag: "UPLOADS", name: "Uploads" });
 * const file = await storage.files.add({
 *   areaId: uploads.id,
 *   filename: "DOOM19S.ZIP",
 *   size: 2_400_000,
 *   description: "Doom shareware",
 *   uploaderId: alice.id,
 * });
 * await storage.files.recordDownload(file.id, alice.id);
 * assert.equal((await storage.files.get(file.id))?.downloads, 1);
 * assert.deepEqual((await storage.files.search("doom")).map((f) => f.id), [file.id]);
 * // A DOS wildcard over every area, ASCII letters case-insensitively.
 * assert.deepEqual((await storage.files.find({ pattern: "doom*.zip" })).map((f) => f.id), [file.id]);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  FileEntry,
  FileFilter,
  FilePage,
  FilePatch,
  FindFilesOptions,
  LimitOptions,
  ListFilesOptions,
  NewFile,
  SearchOptions,
} from "../records.ts";
import * as ops from "../ops/files.ts";

/** Files: `storage.files`, and `tx.files` in a transaction. */
export interface Files {
  /** Adds a file entry and counts it to its uploader; `conflict` when the name is taken in the area. */
  add(input: NewFile): Promise<FileEntry>;
  /** Returns the file entry, or `null`. */
  get(id: number): Promise<FileEntry | null>;
  /**
   * Lists an area's files, newest first by (upload time, id) unless `orderBy` and `descending`
   * say otherwise; offline files and files whose scan is not `"clean"` only with
   * `includeUnavailable`. Pages go by `after`, the cursor `files.page` gives.
   */
  list(areaId: number, options?: ListFilesOptions): Promise<FileEntry[]>;
  /**
   * The same files as `list`, with the cursor of the next page: pass `next` as `after` with the
   * same area and `orderBy` (`validation` naming `options.after` otherwise).
   */
  page(areaId: number, options?: ListFilesOptions): Promise<FilePage>;
  /** How many files `list` takes in the area (every page of it). */
  count(areaId: number, filter?: FileFilter): Promise<number>;
  /**
   * Files of every area (or of `areaIds`) whose name matches a DOS wildcard (`pattern`:
   * `*` any run of characters, `?` one; ASCII letters case-insensitively; `%`, `_` and `\\`
   * literal) and every other condition given: uploader, size (bytes, inclusive), upload time
   * (`since` inclusive, `until` exclusive). In name order (as `orderBy: "name"` lists, then by
   * id); offline files and files whose scan is not `"clean"` only with `includeUnavailable`.
   * Through `storage.as(userId)`, only the files of areas the viewer may read. Pages go by
   * `after`, the cursor `files.findPage` gives.
   */
  find(options?: FindFilesOptions): Promise<FileEntry[]>;
  /**
   * The same files as `find`, with the cursor of the next page: pass `next` as `after` with the
   * same conditions (`validation` naming `options.after` otherwise).
   */
  findPage(options?: FindFilesOptions): Promise<FilePage>;
  /** Files uploaded after `since` in every area, newest first. */
  listNew(since: Date, options?: LimitOptions): Promise<FileEntry[]>;
  /** Files with a SHA-256, by id. */
  findByHash(sha256: string): Promise<FileEntry[]>;
  /** Counts a download: the file's `downloads` + 1, the user's `downloads` + 1 and `downloadBytes` + size. */
  recordDownload(fileId: number, userId: number): Promise<FileEntry>;
  /**
   * Changes a file entry's name, description, hash, DIZ text, storage path, offline flag or
   * scan status; `not_found` if missing.
   */
  update(id: number, patch: FilePatch): Promise<FileEntry>;
  /**
   * Moves a file into another file area and returns it; `conflict` (naming `toAreaId`) when its
   * name is taken there, `not_found` for a missing file or area. Moving into its own area
   * changes nothing.
   */
  move(id: number, toAreaId: number): Promise<FileEntry>;
  /** Deletes a file entry; `not_found` if missing. */
  delete(id: number): Promise<void>;
  /** Files whose name or description match, best first (words ANDed, "quoted phrases"). */
  search(query: string, options?: SearchOptions): Promise<FileEntry[]>;
}

/** The operations behind {@linkcode Files}: each method's operation, taking the executor first. */
export const FILES: Definition<Files> = {
  add: ops.addFile,
  get: ops.getFile,
  list: ops.listFiles,
  page: ops.pageFiles,
  count: ops.countFiles,
  find: ops.findFiles,
  findPage: ops.findFilesPage,
  listNew: ops.listNewFiles,
  findByHash: ops.findFilesByHash,
  recordDownload: ops.recordDownload,
  update: ops.updateFile,
  move: ops.moveFile,
  delete: ops.deleteFile,
  search: ops.searchFiles,
};
