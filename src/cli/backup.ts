/**
 * `backup`: a consistent copy of a SQLite board, taken while it runs.
 *
 * The SQLite side of it is drivers/sqlite/backup_file.ts, loaded only by this command.
 *
 * The copy is one moment of the database: a read transaction is held on the source for the
 * whole copy, so SQLite's backup API never starts over when another process writes (it would,
 * page after page, without one) and writers go on meanwhile (a WAL database, as the package
 * makes them). It is written to `<file>.partial`, created readable by its owner only, checked
 * with `PRAGMA integrity_check`, flushed, and only then renamed to `<file>`.
 *
 * @module
 */
import { resolve } from "node:path";
import { parseFlags, usageError } from "./args.ts";
import { loadSqliteBackup } from "../builtin_drivers.ts";
import { interruption } from "./signals.ts";
import { chooseDatabase, type Output, shownDatabase } from "./output.ts";
import { progressMeter } from "./progress.ts";

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
  refusePostgres(database.url);
  const { removePartial, sourceFile, writeCopy } = await loadSqliteBackup();
  const source = await sourceFile(database.url);
  const target = resolve(values.to);
  const started = performance.now();
  // Ctrl-C or SIGTERM: the partial copy (a whole board's worth of data) goes with the process.
  using stop = interruption();
  let stopping: Promise<never> | undefined;
  stop.signal.addEventListener("abort", () => {
    stopping = (async () => {
      await removePartial(target);
      out.progress("");
      return Deno.exit(stop.exitCode);
    })();
  });
  let pages: number;
  try {
    pages = await writeCopy(source, target, {
      force: values.force ?? false,
      meter: progressMeter(out, "page"),
    });
  } catch (error) {
    // Stopped by a signal, the copy fails as its partial file goes: the signal's exit stands.
    if (stopping !== undefined) return await stopping;
    throw error;
  }
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

/** Refuses a PostgreSQL URL, saying what backs one up. */
function refusePostgres(url: string): void {
  if (/^postgres(ql)?:/i.test(url)) {
    throw usageError(
      { command: "backup" },
      "Cannot back up a PostgreSQL database with this command: use pg_dump " +
        "(pg_dump --format=custom --file=<file> <url>), or copy it to a SQLite file with " +
        "deno task copy --from <url> --to sqlite:<file>",
    );
  }
}
