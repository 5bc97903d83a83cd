/**
 * The place of a database file, checked and made ready before SQLite opens it: an existing path
 * must be a regular file; a missing one is created (unless the caller only reads), with its
 * directory, readable by the owner only unless the caller chose other modes (SQLite gives its
 * -wal and -shm files the database's mode).
 *
 * @module
 */
import { dirname } from "node:path";
import { StorageError } from "../../src/errors.ts";

/** Mode of a database directory the driver creates. */
export const DIR_MODE = 0o700;
/** Mode of a database file the driver creates. */
export const FILE_MODE = 0o600;

/** The modes of what {@linkcode preparePlace} creates. */
export interface FileModes {
  /** The database file's mode; defaults to {@linkcode FILE_MODE}. */
  fileMode?: number;
  /** The directory's mode; defaults to {@linkcode DIR_MODE}. */
  dirMode?: number;
}

/** How {@linkcode preparePlace} may treat a database's place. */
export interface PlaceOptions extends FileModes {
  /** Create the file and its directory when missing; else a missing file is `not_found`. */
  create: boolean;
}

/**
 * Makes sure `path` can hold a SQLite database before an engine opens it: an existing path must
 * be a regular file (not a directory, a device or a pipe); a missing one is created, with its
 * directory, with exactly the modes given (the umask does not widen or narrow them), or refused
 * when `create` is off. What exists already keeps its mode.
 *
 * @param path The database file.
 * @param options Whether to create it, and the modes (0600 and 0700 by default).
 * @throws {StorageError} `not_found` when the file is missing and `create` is off;
 * `unavailable` when the path cannot hold a database or permission is missing.
 */
export async function preparePlace(
  path: string,
  options: PlaceOptions,
): Promise<void> {
  try {
    const found = await statOf(path);
    if (found !== null) return assertRegularFile(path, found);
    if (!options.create) {
      throw new StorageError(
        "not_found",
        `Cannot open the SQLite database as it does not exist: ${path}: check the path ` +
          `(reading commands never create a database)`,
      );
    }
    await createFile(path, options);
  } catch (error) {
    throw placeError(error, path);
  }
}

async function createFile(path: string, modes: FileModes): Promise<void> {
  const fileMode = modes.fileMode ?? FILE_MODE;
  const dirMode = modes.dirMode ?? DIR_MODE;
  const dir = dirname(path);
  if (await statOf(dir) === null) {
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
    if (error instanceof Deno.errors.AlreadyExists) {
      return assertRegularFile(path, await Deno.stat(path));
    }
    throw error;
  }
  file.close();
  await chmod(path, fileMode);
}

function assertRegularFile(path: string, info: Deno.FileInfo): void {
  if (info.isFile) return;
  const what = info.isDirectory
    ? "a directory"
    : info.isCharDevice || info.isBlockDevice
    ? "a device"
    : info.isFifo
    ? "a pipe"
    : info.isSocket
    ? "a socket"
    : "not a regular file";
  throw new StorageError(
    "unavailable",
    `Cannot use ${path} for a SQLite database as it is ${what}: give the path of a database file`,
  );
}

/** The error for a place that cannot hold a database; a `StorageError` passes unchanged. */
function placeError(error: unknown, path: string): StorageError {
  if (error instanceof StorageError) return error;
  if (error instanceof Deno.errors.NotCapable) {
    return new StorageError(
      "unavailable",
      `Cannot open the SQLite database as permission is missing: ${path}: run with ` +
        `--allow-read and --allow-write on its directory`,
      { cause: error },
    );
  }
  const reason = error instanceof Deno.errors.PermissionDenied
    ? "the operating system denies access: check the owner and mode of the file and its directory"
    : error instanceof Deno.errors.NotADirectory
    ? "a part of its path is a file, not a directory: give a path in a directory"
    : `${
      (error as Error)?.message ?? String(error)
    }: give a path in a writable directory`;
  return new StorageError(
    "unavailable",
    `Cannot use ${path} for a SQLite database as ${reason}`,
    { cause: error },
  );
}

async function statOf(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/** Sets a mode exactly (creation applies the umask); Windows has no modes. */
async function chmod(path: string, mode: number): Promise<void> {
  if (Deno.build.os !== "windows") await Deno.chmod(path, mode);
}
