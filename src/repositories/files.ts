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
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  FileEntry,
  FilePatch,
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
  /** Lists an area's files, newest first by (upload time, id). */
  list(areaId: number, options?: ListFilesOptions): Promise<FileEntry[]>;
  /** Files uploaded after `since` in every area, newest first. */
  listNew(since: Date, options?: LimitOptions): Promise<FileEntry[]>;
  /** Files with a SHA-256, by id. */
  findByHash(sha256: string): Promise<FileEntry[]>;
  /** Counts a download: the file's `downloads` + 1, the user's `downloads` + 1 and `downloadBytes` + size. */
  recordDownload(fileId: number, userId: number): Promise<FileEntry>;
  /** Changes a file entry's name, description or hash; `not_found` if missing. */
  update(id: number, patch: FilePatch): Promise<FileEntry>;
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
  listNew: ops.listNewFiles,
  findByHash: ops.findFilesByHash,
  recordDownload: ops.recordDownload,
  update: ops.updateFile,
  delete: ops.deleteFile,
  search: ops.searchFiles,
};
