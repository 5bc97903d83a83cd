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
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type { FileArea, NewFileArea } from "../records.ts";
import * as ops from "../ops/areas.ts";

/** File areas: `storage.fileAreas`, and `tx.fileAreas` in a transaction. */
export interface FileAreas {
  /** Creates a file area; `conflict` when the tag is taken (case-insensitively). */
  create(input: NewFileArea): Promise<FileArea>;
  /** Returns the file area, or `null`. */
  get(id: number): Promise<FileArea | null>;
  /** Lists every file area by id. */
  list(): Promise<FileArea[]>;
}

/** The operations behind {@linkcode FileAreas}: each method's operation, taking the executor first. */
export const FILE_AREAS: Definition<FileAreas> = {
  create: ops.createFileArea,
  get: ops.getFileArea,
  list: ops.listFileAreas,
};
