/**
 * Creating a database file safely: its directory and the file itself, readable by the owner
 * only unless the caller chose other modes, before SQLite opens it (SQLite gives its -wal and
 * -shm files the database's mode).
 *
 * @module
 */
import { dirname } from "node:path";
import { StorageError } from "../../src/errors.ts";

/** Mode of a database directory the driver creates. */
export const DIR_MODE = 0o700;
/** Mode of a database file the driver creates. */
export const FILE_MODE = 0o600;

/** The modes of what {@linkcode prepareFile} creates. */
export interface FileModes {
  /** The database file's mode; defaults to {@linkcode FILE_MODE}. */
  fileMode?: number;
  /** The directory's mode; defaults to {@linkcode DIR_MODE}. */
  dirMode?: number;
}

/**
 * Creates `path`'s directory and an empty file when they do not exist, with exactly the modes
 * given (the umask does not widen or narrow them). What exists already keeps its mode.
 *
 * @param path The database file.
 * @param modes The modes; 0600 and 0700 by default.
 * @throws {StorageError} `unavailable` when permission is missing or the path is not usable.
 */
export async function prepareFile(
  path: string,
  modes: FileModes = {},
): Promise<void> {
  const fileMode = modes.fileMode ?? FILE_MODE;
  const dirMode = modes.dirMode ?? DIR_MODE;
  const dir = dirname(path);
  try {
    if (!await exists(dir)) {
      await Deno.mkdir(dir, { recursive: true, mode: dirMode });
      await chmod(dir, dirMode);
    }
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, {
        createNew: true,
        write: true,
        mode: fileMode,
      });
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return;
      throw error;
    }
    file.close();
    await chmod(path, fileMode);
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

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Sets a mode exactly (creation applies the umask); Windows has no modes. */
async function chmod(path: string, mode: number): Promise<void> {
  if (Deno.build.os !== "windows") await Deno.chmod(path, mode);
}
