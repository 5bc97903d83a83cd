/**
 * The place of a database file, checked and made ready before SQLite opens it: an existing path
 * must be a regular file; a missing one is created (unless the caller only reads), with its
 * directory, readable by the owner only unless the caller chose other modes (SQLite gives its
 * -wal and -shm files the database's mode).
 *
 * @module
 */
import { dirname } from "node:path";
import { runtime, StorageError } from "../../driver.ts";
import { sqliteMessage } from "./errors.ts";

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
 * @returns What this call created, deepest first (the file, then each directory), for
 * {@linkcode removeCreated} to take back should the open fail.
 * @throws {StorageError} `not_found` when the file is missing and `create` is off;
 * `unavailable` when the path cannot hold a database or permission is missing. Whatever it
 * created before failing it has removed.
 */
export async function preparePlace(
  path: string,
  options: PlaceOptions,
): Promise<string[]> {
  const created: string[] = [];
  try {
    const found = await statOf(path);
    if (found !== null) {
      assertRegularFile(path, found);
      return created;
    }
    if (!options.create) {
      throw new StorageError(
        "not_found",
        `Cannot open the SQLite database as it does not exist: ${
          shownPath(path)
        }: check the path (reading commands never create a database)`,
      );
    }
    await createFile(path, options, created);
    return created;
  } catch (error) {
    await removeCreated(created);
    throw placeError(error, path);
  }
}

/**
 * Takes back what {@linkcode preparePlace} created when the open fails: each path, deepest
 * first, while it is still empty (a file no one has written, a directory holding nothing), so
 * nothing another process put there since is ever removed. Best effort: a path it cannot
 * remove stops it, and no error of its own hides the open's.
 *
 * @param created What `preparePlace` returned.
 */
export async function removeCreated(created: readonly string[]): Promise<void> {
  for (const path of created) {
    try {
      const info = await runtime.lstat(path);
      if (info.isFile && info.size !== 0) return;
      await runtime.remove(path); // Not recursive: a directory that is not empty stays.
    } catch {
      return;
    }
  }
}

/**
 * Takes back a database file the open created once the open failed after writing to it (while
 * first bringing its schema up to date): the file, its `-wal`, `-shm` and `-journal`, then the
 * directories the open made, while empty. Nothing is removed unless this open created the file
 * and `alone()` finds that no other connection has it open. Best effort, as
 * {@linkcode removeCreated}.
 *
 * @param path The database file.
 * @param created What `preparePlace` returned for it.
 * @param alone Whether the caller's connection (closed by now) was the file's only user.
 */
export async function removeNewDatabase(
  path: string,
  created: readonly string[],
  alone: () => boolean,
): Promise<void> {
  if (created[0] !== path || !alone()) return;
  for (const suffix of ["-wal", "-shm", "-journal", ""]) {
    try {
      await runtime.remove(path + suffix);
    } catch (error) {
      if (!(error instanceof runtime.errors.NotFound)) return;
    }
  }
  await removeCreated(created.slice(1));
}

async function createFile(
  path: string,
  modes: FileModes,
  created: string[],
): Promise<void> {
  const fileMode = modes.fileMode ?? FILE_MODE;
  const dirMode = modes.dirMode ?? DIR_MODE;
  // Each missing directory is made on its own, so that only those this call made are its own.
  const missing: string[] = [];
  // With --allow-read and --allow-write on the database's directory alone, that directory is
  // made without reading its parent (see missingDir).
  for (let dir = dirname(path); await missingDir(dir, missing.length > 0);) {
    missing.unshift(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const dir of missing) {
    try {
      await runtime.mkdir(dir, dirMode);
    } catch (error) {
      if (error instanceof runtime.errors.AlreadyExists) continue;
      throw error;
    }
    created.unshift(dir);
    await chmod(dir, dirMode);
  }
  try {
    await runtime.createNew(path, fileMode);
  } catch (error) {
    if (error instanceof runtime.errors.AlreadyExists) {
      return assertRegularFile(path, await runtime.stat(path));
    }
    throw error;
  }
  created.unshift(path);
  await chmod(path, fileMode);
}

/**
 * A path as messages show it: whole up to 160 characters, a longer one shortened in the
 * middle (its start and its file name are what tell it apart).
 *
 * @param path The path.
 * @returns The path, or its first 60 and last 80 characters around ` … `.
 */
export function shownPath(path: string): string {
  return path.length <= 160
    ? path
    : `${path.slice(0, 60)} … ${path.slice(-80)} (${path.length} characters)`;
}

function assertRegularFile(path: string, info: runtime.FileInfo): void {
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
    `Cannot use ${
      shownPath(path)
    } for a SQLite database as it is ${what}: give the path of a database file`,
  );
}

/** The error for a place that cannot hold a database; a `StorageError` passes unchanged. */
function placeError(error: unknown, path: string): StorageError {
  if (error instanceof StorageError) return error;
  if (error instanceof runtime.errors.NotCapable) {
    return new StorageError(
      "unavailable",
      `Cannot open the SQLite database as permission is missing: ${
        shownPath(path)
      }: run with ` +
        `--allow-read and --allow-write on its directory`,
      { cause: error },
    );
  }
  const reason = error instanceof runtime.errors.PermissionDenied
    ? "the operating system denies access: check the owner and mode of the file and its directory"
    : error instanceof runtime.errors.NotADirectory
    ? "a part of its path is a file, not a directory: give a path in a directory"
    : error instanceof runtime.errors.NotFound
    ? `${
      detailOf(error, path)
    }: a directory above it is missing too and could not be looked at: create it, ` +
      "or give --allow-read and --allow-write on the highest missing directory"
    : `${detailOf(error, path)}: give a path in a writable directory`;
  return new StorageError(
    "unavailable",
    `Cannot use ${shownPath(path)} for a SQLite database as ${reason}`,
    { cause: error },
  );
}

/**
 * An error's own message for a message that names `path` already: the path said once, each long
 * path in it (a directory of it, as the operating system's errors name) shortened.
 *
 * @param error The error.
 * @param path The database's path.
 * @returns The detail.
 */
export function detailOf(error: unknown, path: string): string {
  const text = sqliteMessage(
    error instanceof Error ? error.message : String(error),
  );
  return text.replaceAll(`: ${path}`, "").replaceAll(path, "the path").replace(
    /[^\s'"]{161,}/g,
    shownPath,
  );
}

async function statOf(path: string): Promise<runtime.FileInfo | null> {
  try {
    return await runtime.stat(path);
  } catch (error) {
    if (error instanceof runtime.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Whether a directory on the way to a new database file is missing. A parent of a missing
 * directory that the caller may not read (no `--allow-read` on it) counts as there: the
 * directory below it is made without looking, and mkdir fails if it is not.
 */
async function missingDir(dir: string, parent: boolean): Promise<boolean> {
  try {
    return await statOf(dir) === null;
  } catch (error) {
    if (parent && error instanceof runtime.errors.NotCapable) return false;
    throw error;
  }
}

/** Sets a mode exactly (creation applies the umask); Windows has no modes. */
function chmod(path: string, mode: number): Promise<void> {
  return runtime.chmod(path, mode);
}
