/**
 * The file-areas repository, `storage.fileAreas`: the areas files are listed in.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const uploads = await storage.fileAreas.create({ tag: "UPLOADS", name: "Uploads" });
 * assert.equal((await storage.fileAreas.get(uploads.id))?.tag, "UPLOADS");
 * assert.deepEqual(await storage.fileAreas.list(), [uploads]);
 *
 * const incoming = await storage.fileAreas.create({
 *   tag: "INCOMING",
 *   name: "New uploads",
 *   storagePath: "/srv/bbs/files/incoming",
 *   access: { readLevel: 50 },
 * });
 * await storage.files.add({ areaId: incoming.id, filename: "DOOM.ZIP", size: 2_400_000 });
 * await storage.fileAreas.update(incoming.id, { uploadsAllowed: false });
 * await storage.fileAreas.delete(incoming.id, { moveTo: uploads.id });
 * assert.equal((await storage.fileAreas.getByTag("Uploads"))?.id, uploads.id);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  DeleteAreaOptions,
  FileArea,
  FileAreaPatch,
  FileAreaStats,
  NewFileArea,
} from "../records.ts";
import * as ops from "../ops/areas.ts";
import * as admin from "../ops/area_admin.ts";
import * as deletion from "../ops/area_delete.ts";
import * as files from "../ops/files.ts";

/** File areas: `storage.fileAreas`, and `tx.fileAreas` in a transaction. */
export interface FileAreas {
  /**
   * Creates a file area, after every other in `list()` unless `position` says otherwise;
   * `conflict` when the tag is taken (case-insensitively).
   */
  create(input: NewFileArea): Promise<FileArea>;
  /** Returns the file area, or `null`. */
  get(id: number): Promise<FileArea | null>;
  /** Returns the file area with this tag (compared case-insensitively, as tags are), or `null`. */
  getByTag(tag: string): Promise<FileArea | null>;
  /** Lists every file area by position, then id. */
  list(): Promise<FileArea[]>;
  /**
   * Changes the fields the patch gives (access settings one by one) and returns the area;
   * `not_found` when there is none, `conflict` for a taken tag.
   */
  update(id: number, patch: FileAreaPatch): Promise<FileArea>;
  /**
   * Deletes the area. One holding files is refused (`conflict`, with the count) unless
   * `options.moveTo` names another file area to move them into (`conflict` when a file name is
   * in both). `not_found` when there is no such area.
   */
  delete(id: number, options?: DeleteAreaOptions): Promise<void>;
  /**
   * Puts the areas in this order (positions 1, 2, 3 …): `ids` must name every file area once
   * (`conflict` otherwise: list them again).
   */
  reorder(ids: number[]): Promise<void>;
  /**
   * Every file area's files and their total size (offline and unscanned files too), in the
   * order of `list()`; an area without files has zeros.
   */
  stats(): Promise<FileAreaStats[]>;
}

/** The operations behind {@linkcode FileAreas}: each method's operation, taking the executor first. */
export const FILE_AREAS: Definition<FileAreas> = {
  create: ops.createFileArea,
  get: ops.getFileArea,
  getByTag: admin.getFileAreaByTag,
  list: ops.listFileAreas,
  update: admin.updateFileArea,
  delete: deletion.deleteFileArea,
  reorder: admin.reorderFileAreas,
  stats: files.fileAreaStats,
};
