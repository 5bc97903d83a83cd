/**
 * `backup`: a consistent copy of a SQLite board, taken while it runs.
 *
 * The copy is one moment of the database: a read transaction is held on the source for the
 * whole copy, so SQLite's backup API never starts over when another process writes (it would,
 * page after page, without one) and writers go on meanwhile (a WAL database, as the package
 * makes them). It is written to `<file>.partial`, created readable by its owner only, checked
 * with `PRAGMA integrity_check`, flushed, and only then renamed to `<file>`.
 *
 * @module
 */
import * as nodeSqlite from "node:sqlite";
import { resolve } from "node:path";
import { parseFlags, usageError } from "./args.ts";
import { syncDirectory, syncFile } from "../../drivers/sqlite/backup.ts";
import { parseSqliteUrl } from "../../drivers/sqlite/url.ts";
import { StorageError } from "../errors.ts";
import { chooseDatabase, type Output, shownDatabase } from "./output.ts";
import { type Meter, progressMeter } from "./progress.ts";

/** The usage text of `backup`. */
export const BACKUP_USAGE =
  `Usage: deno task backup [--db sqlite:<path>] --to <file> [options]

Copies a SQLite database to a new file while the board runs: one consistent moment of it
(writers go on meanwhile), checked with PRAGMA integrity_check, readable by its owner only
(mode 0600), and named <file> only once it is whole and checked. Restore it by stopping the
board and putting the copy in the database's place.

A PostgreSQL database is backed up with pg_dump (pg_dump --format=custom --file=<file> <url>),
or copied to a SQLite file with deno task copy --from <url> --to sqlite:<file>.

Options:
  --db <url>          the SQLite database, only read (default: $IMPULSE_DATABASE_URL, then
                      $DATABASE_URL, else sqlite:./data/impulse.db)
  --to <file>         the file to write; one that exists is refused
  --force             replace an existing <file>
  --json              print the result as JSON
  --help              print this text

Progress goes to standard error: in place on a terminal, else a line a second at most.`;

/** What `backup` did. */
interface BackupReport {
  from: string;
  to: string;
  pages: number;
  bytes: number;
  integrity: "ok";
  durationMs: number;
}

/** Pages copied between two progress reports (4 MiB of 4 KiB pages). */
const PAGES_A_STEP = 1024;

/**
 * Runs `backup` with its arguments.
 *
 * @param args The arguments after `backup`.
 * @param out Where to print.
 * @returns The exit code: 0 once the copy is whole and checked.
 */
export async function backupCommand(
  args: string[],
  out: Output,
): Promise<number> {
  const { values } = parseFlags(args, {
    db: { type: "string" },
    to: { type: "string" },
    force: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, { command: "backup" });
  if (values.help) return out.text(BACKUP_USAGE), 0;
  if (!values.to) {
    throw usageError({ command: "backup" }, "Missing --to <file>");
  }
  const database = chooseDatabase(values.db);
  const source = await sourceFile(database.url);
  const target = resolve(values.to);
  const started = performance.now();
  const pages = await writeCopy(source, target, {
    force: values.force ?? false,
    meter: progressMeter(out, "page"),
  });
  out.progress("");
  const report: BackupReport = {
    from: shownDatabase(database),
    to: target,
    pages,
    bytes: (await Deno.stat(target)).size,
    integrity: "ok",
    durationMs: Math.round(performance.now() - started),
  };
  if (out.json) return out.data(report), 0;
  out.text(
    `backed up ${report.from} -> ${target}: ${
      (report.bytes / 2 ** 20).toFixed(1)
    } MiB, integrity ok, in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return 0;
}

/** The file of a `sqlite:` URL that exists; anything else is refused with what to use. */
async function sourceFile(url: string): Promise<string> {
  if (/^postgres(ql)?:/i.test(url)) {
    throw usageError(
      { command: "backup" },
      "Cannot back up a PostgreSQL database with this command: use pg_dump " +
        "(pg_dump --format=custom --file=<file> <url>), or copy it to a SQLite file with " +
        "deno task copy --from <url> --to sqlite:<file>",
    );
  }
  const { path, memory } = parseSqliteUrl(url);
  if (memory) {
    throw usageError(
      { command: "backup" },
      "Cannot back up sqlite::memory: as it lives only in the process that opened it",
    );
  }
  try {
    if ((await Deno.stat(path)).isFile) return resolve(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  throw new StorageError(
    "not_found",
    `Cannot back up ${path} as no database file is there: name it with --db sqlite:<path>`,
  );
}

/**
 * Writes the checked copy of `source` to `target` by way of `<target>.partial`.
 *
 * @returns The pages copied.
 */
async function writeCopy(
  source: string,
  target: string,
  options: { force: boolean; meter: Meter },
): Promise<number> {
  if (target === source) {
    throw usageError(
      { command: "backup" },
      "Cannot back up a database onto itself: give --to another file",
    );
  }
  if (!options.force && await exists(target)) {
    throw new StorageError(
      "conflict",
      `Cannot write the backup to ${target} as the file exists: pass --force to replace it`,
    );
  }
  const partial = `${target}.partial`;
  await removeCopy(partial);
  try {
    // Created empty and private first, so no byte of the copy is ever readable by others.
    (await Deno.open(partial, { createNew: true, write: true, mode: 0o600 }))
      .close();
    await Deno.chmod(partial, 0o600);
    const pages = await onlineCopy(source, partial, options.meter);
    checkIntegrity(partial);
    await syncFile(partial);
    await Deno.rename(partial, target);
    await syncDirectory(resolve(target, ".."));
    return pages;
  } finally {
    await removeCopy(partial);
  }
}

/**
 * Copies `source` into the empty file `into` as one moment of it: with the backup API under a
 * read transaction held throughout, or where `node:sqlite` has no `backup` (Deno before 2.5),
 * with `VACUUM INTO`, a read transaction of its own (it needs `ATTACH`, which Deno allows only
 * with every permission granted).
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
  const db = new nodeSqlite.DatabaseSync(source, { readOnly: true });
  try {
    db.exec("PRAGMA busy_timeout = 10000");
    const total = Number(db.prepare("PRAGMA page_count").get()?.page_count);
    meter("backing up", 0, total);
    if (backup === null) {
      vacuumInto(db, source, into);
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

/**
 * `VACUUM INTO`: the copy where `node:sqlite` has no `backup`. It attaches the copy, which Deno
 * allows only with every permission granted (otherwise SQLite's limit on attached databases is
 * 0): then the failure says so.
 */
function vacuumInto(
  db: nodeSqlite.DatabaseSync,
  source: string,
  into: string,
): void {
  try {
    db.exec(`VACUUM INTO '${into.replaceAll("'", "''")}'`);
  } catch (error) {
    if (!/too many attached databases/.test(String(error))) throw error;
    throw new StorageError(
      "unavailable",
      `Cannot back up ${source}: this Deno's node:sqlite has no backup(), and the other way, ` +
        `VACUUM INTO, needs ATTACH, which Deno allows only with every permission: run the ` +
        `backup with --allow-all (-A), or on a Deno whose node:sqlite has backup()`,
      { cause: error },
    );
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

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Removes a partial copy and the journals SQLite may have left beside it. */
async function removeCopy(partial: string): Promise<void> {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) {
    await Deno.remove(`${partial}${suffix}`).catch(() => {});
  }
}
