/**
 * Copying into SQLite: an `INTEGER PRIMARY KEY AUTOINCREMENT` column takes the ids given, and
 * SQLite moves its `sqlite_sequence` past them by itself.
 *
 * @module
 */
import type { CopyTarget } from "../../src/driver.ts";

/** The copy capability of the SQLite driver. */
export const sqliteCopyTarget: CopyTarget = {
  keepIds: "",
  resetIds: () => [],
};
