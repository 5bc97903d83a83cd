/**
 * Creating a database file safely: its directory and the file itself, readable by the owner
 * only, before SQLite opens it (SQLite gives its -wal and -shm files the database's mode).
 *
 * @module
 */
import { dirname } from "node:path";
import { StorageError } from "../../src/errors.ts";

/** Mode of a database directory the driver creates. */
export const DIR_MODE = 0o700;
/** Mode of a database file the driver creates. */
export const FILE_MODE = 0o600;

/**
 * Creates `path`'s directory (0700) and an empty file (0600) when they do not exist.
 *
 * @param path The database file.
 * @throws {StorageError} `unavailable` when permission is missing or the path is not usable.
 */
export async function prepareFile(path: string): Promise<void> {
  try {
    await Deno.mkdir(dirname(path), { recursive: true, mode: DIR_MODE });
    using _file = await Deno.open(path, {
      create: true,
      write: true,
      mode: FILE_MODE,
    });
  } catch (error) {
    if (
      error instanceof Deno.errors.NotCapable ||
      error instanceof Deno.errors.PermissionDenied
    ) {
      throw new StorageError(
        "unavailable",
        `Cannot create the SQLite database as permission is missing: ${path}: run with ` +
          `--allow-read and --allow-write on its directory`,
        { cause: error },
      );
    }
    throw new StorageError(
      "unavailable",
      `Cannot create the SQLite database: ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
