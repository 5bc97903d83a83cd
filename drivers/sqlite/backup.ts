/**
 * The backup copy a forced `migrate down` writes beside a SQLite file before it reverts
 * anything, written so that its name exists only for a whole copy: the copy goes to
 * `<name>.partial`, is flushed to disk, and only then renamed to `<name>` (and the directory
 * flushed, so the rename itself survives a power cut where the system allows it). A process
 * killed mid-copy leaves at most a `.partial` file, which is never reported as a backup and is
 * removed by the next try.
 *
 * @module
 */
import { basename, dirname } from "node:path";
import { runtime } from "../../driver.ts";

/** What a backup name starts with after the database file's name (see `backupLabel`). */
export const BACKUP_PREFIX = "before-down-";
/** What the copy is called until it is whole. */
export const PARTIAL = ".partial";

/**
 * Writes a whole copy of a database to `path`, atomically: `path` appears only once the copy
 * is complete and on disk.
 *
 * @param file The database file.
 * @param path Where the copy goes (it must not exist).
 * @param copy Copies the database into the file it is given (an empty file of the right mode).
 * @throws What the file system or `copy` threw; nothing is left at `path` or `path.partial`.
 */
export async function writeBackup(
  file: string,
  path: string,
  copy: (into: string) => Promise<void>,
): Promise<void> {
  const mode = ((await runtime.stat(file)).mode ?? 0o600) & 0o777;
  await removeLeftovers(file);
  if (await exists(path)) {
    throw new runtime.errors.AlreadyExists(`${path} exists already`);
  }
  const partial = `${path}${PARTIAL}`;
  try {
    // Created empty with the database's mode first, so the copy is never readable by more.
    await runtime.createNew(partial, mode);
    await runtime.chmod(partial, mode);
    await copy(partial);
    await syncFile(partial);
    await runtime.rename(partial, path);
  } catch (error) {
    await removeCopy(partial);
    throw error;
  }
  await syncDirectory(dirname(path));
}

/**
 * Removes what earlier tries killed mid-copy left beside `file`: `<file>.before-down-….partial`
 * and the journals SQLite kept beside it.
 */
async function removeLeftovers(file: string): Promise<void> {
  const name = basename(file);
  const dir = dirname(file);
  const leftover = (entry: string) =>
    entry.startsWith(`${name}.${BACKUP_PREFIX}`) &&
    /\.partial(-journal|-wal|-shm)?$/.test(entry);
  for (const entry of await runtime.readDir(dir)) {
    if (entry.isFile && leftover(entry.name)) {
      await runtime.remove(`${dir}/${entry.name}`).catch(() => {});
    }
  }
}

/**
 * The suffixes of a database file and of the files SQLite keeps beside it (its journal, WAL and
 * shared-memory index): writing any of them would damage the database.
 */
export const SQLITE_SUFFIXES: readonly string[] = [
  "",
  "-journal",
  "-wal",
  "-shm",
];

/**
 * Removes a partial copy and the files SQLite may have left beside it; what is not there is
 * skipped.
 *
 * @param partial The partial copy's path.
 */
export async function removeCopy(partial: string): Promise<void> {
  for (const suffix of SQLITE_SUFFIXES) {
    await runtime.remove(`${partial}${suffix}`).catch(() => {});
  }
}

/**
 * Whether something is at `path` (a symbolic link counts, whatever it points to).
 *
 * @param path The path.
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await runtime.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof runtime.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Flushes a file's bytes to disk.
 *
 * @param path The file.
 */
export async function syncFile(path: string): Promise<void> {
  await runtime.sync(path, true);
}

/**
 * Flushes a directory's entries (the rename) to disk, where the system lets a directory be
 * opened for that (Linux, macOS); elsewhere the rename is as durable as the system makes it.
 *
 * @param dir The directory.
 */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    await runtime.sync(dir, false);
  } catch {
    // Not possible here (Windows, or a file system that refuses): nothing more can be done.
  }
}
