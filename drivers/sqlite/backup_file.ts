/**
 * What `deno task backup` does to a SQLite board: a consistent copy taken while it runs.
 *
 * The copy is one moment of the database: a read transaction is held on the source for the
 * whole copy, so SQLite's backup API never starts over when another process writes (it would,
 * page after page, without one) and writers go on meanwhile (a WAL database, as the package
 * makes them). It is written to `<file>.partial`, created readable by its owner only, checked
 * with `PRAGMA integrity_check`, flushed, and only then renamed to `<file>`. The command
 * (src/cli/backup.ts) loads this module through the built-in loader.
 *
 * @module
 */
import * as nodeSqlite from "node:sqlite";
import { basename, dirname, join, resolve } from "node:path";
import { runtime, StorageError } from "../../driver.ts";
import {
  exists,
  PARTIAL,
  removeCopy,
  SQLITE_SUFFIXES,
  syncDirectory,
  syncFile,
} from "./backup.ts";
import { vacuumInto } from "./engine.ts";
import { parseSqliteUrl } from "./url.ts";

/** Reports progress: what is being done, how much of it is done, out of how much. */
export type Meter = (what: string, done: number, total: number) => void;

/** Pages copied between two progress reports (4 MiB of 4 KiB pages). */
const PAGES_A_STEP = 1024;

/** The file of a `sqlite:` URL that exists; anything else is refused with what to use. */
export async function sourceFile(url: string): Promise<string> {
  const { path, memory } = parseSqliteUrl(url);
  if (memory) {
    throw new StorageError(
      "validation",
      "Cannot back up sqlite::memory: as it lives only in the process that opened it: " +
        "name a database file with --db sqlite:<path>",
      { field: "db" },
    );
  }
  try {
    if ((await runtime.stat(path)).isFile) return resolve(path);
  } catch (error) {
    if (!(error instanceof runtime.errors.NotFound)) throw error;
  }
  throw new StorageError(
    "not_found",
    `Cannot back up ${path} as no database file is there: name it with --db sqlite:<path>`,
  );
}

/**
 * Writes the checked copy of `source` to `target` by way of `<target>.partial`; a missing
 * directory or permission is said as what to do.
 *
 * @returns The pages copied.
 */
export async function writeCopy(
  source: string,
  target: string,
  options: { force: boolean; meter: Meter },
): Promise<number> {
  try {
    return await writeCopyAt(source, target, options);
  } catch (error) {
    throw await targetError(error, target);
  }
}

/** A file system error of the backup as a `StorageError` saying what to do. */
async function targetError(error: unknown, target: string): Promise<unknown> {
  if (error instanceof StorageError) return error;
  const dir = dirname(target);
  if (error instanceof runtime.errors.NotCapable) {
    return new StorageError(
      "unavailable",
      `Cannot back up ${target} as permission is missing: run with --allow-read on the ` +
        `database's directory and --allow-read and --allow-write on ${dir}`,
      { cause: error },
    );
  }
  if (error instanceof runtime.errors.NotFound) {
    return (await runtime.stat(dir).then(
        (info) => info.isDirectory,
        () => false,
      ))
      ? new StorageError(
        "conflict",
        `Cannot write the backup to ${target} as its partial copy ${target}.partial was ` +
          `removed while it was written: is another backup writing to the same file? Run one ` +
          `at a time`,
        { cause: error },
      )
      : new StorageError(
        "not_found",
        `Cannot write the backup to ${target} as the directory ${dir} does not exist: ` +
          `create it first, or give --to a file in a directory that exists`,
        { cause: error },
      );
  }
  if (error instanceof runtime.errors.PermissionDenied) {
    return new StorageError(
      "unavailable",
      `Cannot write the backup to ${target} as the operating system denies access: check ` +
        `the owner and mode of ${dir}`,
      { cause: error },
    );
  }
  return error;
}

/**
 * Writes the checked copy of `source` to `target` by way of `<target>.partial`.
 *
 * @returns The pages copied.
 */
async function writeCopyAt(
  source: string,
  target: string,
  options: { force: boolean; meter: Meter },
): Promise<number> {
  await refuseOwnFiles(source, target);
  if (!options.force && await exists(target)) {
    throw new StorageError(
      "conflict",
      `Cannot write the backup to ${target} as the file exists: pass --force to replace it`,
    );
  }
  const partial = `${target}${PARTIAL}`;
  await removeCopy(partial);
  try {
    // Created empty and private first, so no byte of the copy is ever readable by others.
    await runtime.createNew(partial, 0o600);
    await runtime.chmod(partial, 0o600);
    const pages = await onlineCopy(source, partial, options.meter);
    checkIntegrity(partial);
    await syncFile(partial);
    await runtime.rename(partial, target);
    await syncDirectory(resolve(target, ".."));
    return pages;
  } finally {
    await removeCopy(partial);
  }
}

/**
 * Copies `source` into the empty file `into` as one moment of it: with the backup API under a
 * read transaction held throughout, or where `node:sqlite` has no `backup` (Deno before 2.6),
 * with `VACUUM INTO`, a read transaction of its own (it needs `ATTACH`, which Deno allows only
 * from 2.6 on and with every permission granted).
 *
 * @param source The database file.
 * @param into The empty file to copy into.
 * @param meter Where the progress goes.
 * @param backup `node:sqlite`'s `backup`, or `null` where this runtime has none.
 * @returns The pages copied.
 */
export async function onlineCopy(
  source: string,
  into: string,
  meter: Meter,
  backup: typeof nodeSqlite.backup | null = nodeSqlite.backup ?? null,
): Promise<number> {
  try {
    return await copyOnce(source, into, meter, backup);
  } catch (error) {
    throw sourceError(error, source);
  }
}

/** A SQLite error of the copy as a `StorageError` naming the database and what to do. */
function sourceError(error: unknown, source: string): unknown {
  if (error instanceof StorageError || !(error instanceof Error)) return error;
  const code = (error as { errcode?: number }).errcode;
  // The primary result code is the extended one's low byte.
  switch (code === undefined ? undefined : code & 0xff) {
    case 26: // SQLITE_NOTADB
      return new StorageError(
        "validation",
        `Cannot back up ${source} as it is not a SQLite database (${error.message}): name a ` +
          `database file with --db sqlite:<path>`,
        { field: "db", cause: error },
      );
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
      return new StorageError(
        "timeout",
        `Cannot back up ${source} as another connection kept it locked for 10 s ` +
          `(${error.message}): run the backup again when that connection's work is done`,
        { cause: error },
      );
    case 11: // SQLITE_CORRUPT
      return new StorageError(
        "unavailable",
        `Cannot back up ${source} as it is damaged (${error.message}): run PRAGMA ` +
          `integrity_check on it and restore an earlier backup`,
        { cause: error },
      );
    default:
      return error;
  }
}

async function copyOnce(
  source: string,
  into: string,
  meter: Meter,
  backup: typeof nodeSqlite.backup | null,
): Promise<number> {
  const db = new nodeSqlite.DatabaseSync(source, { readOnly: true });
  try {
    db.exec("PRAGMA busy_timeout = 10000");
    const total = Number(db.prepare("PRAGMA page_count").get()?.page_count);
    meter("backing up", 0, total);
    if (backup === null) {
      vacuumInto(db, into, `back up ${source}`);
      meter("backing up", total, total);
      return total;
    }
    db.exec("BEGIN");
    // The first read starts the transaction: from here on the copy sees this moment only.
    db.prepare("SELECT count(*) FROM sqlite_schema").get();
    await backup(db, into, {
      rate: PAGES_A_STEP,
      progress: ({ totalPages, remainingPages }) =>
        meter("backing up", totalPages - remainingPages, totalPages),
    });
    db.exec("COMMIT");
    return total;
  } finally {
    db.close();
  }
}

/** Refuses a copy that `PRAGMA integrity_check` finds fault with. */
function checkIntegrity(path: string): void {
  const db = new nodeSqlite.DatabaseSync(path, { readOnly: true });
  let problems: string[];
  try {
    problems = db.prepare("PRAGMA integrity_check(20)").all().map((row) =>
      String(row.integrity_check)
    );
  } catch (error) {
    // Damage bad enough stops the check itself ("database disk image is malformed").
    problems = [(error as Error).message];
  } finally {
    db.close();
  }
  if (problems.length === 1 && problems[0] === "ok") return;
  throw new StorageError(
    "unavailable",
    `Cannot keep the backup as its integrity check failed, so the database itself is ` +
      `damaged: ${
        problems.slice(0, 3).join("; ")
      }: run PRAGMA integrity_check on it ` +
      `and restore an earlier backup`,
  );
}

/**
 * Refuses a `--to` that is the database or one of the files SQLite keeps beside it (by any
 * name: `./`, a symbolic link), or a directory.
 */
async function refuseOwnFiles(source: string, target: string): Promise<void> {
  const real = await realName(source);
  const to = await realName(target);
  const own = SQLITE_SUFFIXES.find((suffix) => to === `${real}${suffix}`);
  if (own !== undefined) {
    throw new StorageError(
      "validation",
      own === ""
        ? "Cannot back up a database onto itself: give --to another file"
        : `Cannot back up a database onto its own ${
          own.slice(1)
        } file, which SQLite ` +
          `needs to keep it whole: give --to another file`,
      { field: "to" },
    );
  }
  const info = await runtime.stat(target).catch(() => null);
  if (info?.isDirectory) {
    throw new StorageError(
      "validation",
      `Cannot write the backup to ${target} as it is a directory: give --to a file's name`,
      { field: "to" },
    );
  }
}

/** A path with the symbolic links of it (or, where it does not exist, of its directory) resolved. */
async function realName(path: string): Promise<string> {
  try {
    return await runtime.realPath(path);
  } catch {
    try {
      return join(await runtime.realPath(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/**
 * Removes the partial copy a backup to `target` writes (and SQLite's files beside it): what
 * the command does when it is stopped mid-copy.
 *
 * @param target The backup's file.
 */
export function removePartial(target: string): Promise<void> {
  return removeCopy(`${target}${PARTIAL}`);
}
