/**
 * `import-impulse71`: bring an Impulse 7.1 board into a database from the command line.
 *
 * @module
 */
import { parseFlags, usageError } from "./args.ts";
import { isStorageError } from "../errors.ts";
import { redactUrl } from "../redact.ts";
import type {
  Impulse71ImportProgress,
  Impulse71ImportReport,
} from "../import/mod.ts";
import { importSource, readSource } from "../import/impulse71/import.ts";
import { openStorage } from "../open.ts";
import type { Storage } from "../storage.ts";
import {
  chooseDatabase,
  type DatabaseChoice,
  type Output,
  shownDatabase,
} from "./output.ts";
import { progressMeter } from "./progress.ts";

/** The usage text of `import-impulse71`. */
export const IMPORT_USAGE =
  `Usage: deno task import-impulse71 --from <install dir> --db <url> [options]

Brings an Impulse 7.1 board across: users (passwords hashed), boards and e-mail with their
live messages, file areas with their entries, last callers and last-read pointers, in one
transaction. A database that already holds one of its user names or area tags is refused.

Options:
  --from <dir>        the install: the directory holding STATUS.DAT, DATA/ and MSGS/
  --db <url>          the database (default: $IMPULSE_DATABASE_URL, then $DATABASE_URL, else
                      sqlite:./data/impulse.db); migrated first
  --dry-run           import into an empty in-memory database and print the report; a --db
                      is only read, for names and tags it already holds; never creates or
                      changes a database
  --include-orphans   also import message bases and file listings no board or area names
  --time-zone <zone>  the IANA time zone the board ran in (default UTC)
  --json              print the report as JSON
  --help              print this text`;

/**
 * The database an import writes into: `--db`, else the default; a dry run without `--db`
 * imports into an empty in-memory database.
 *
 * @param db The `--db` value, if given.
 * @param dryRun Whether this is a dry run.
 * @returns The choice.
 */
export function importDatabase(
  db: string | undefined,
  dryRun: boolean,
): DatabaseChoice {
  return db === undefined && dryRun
    ? { url: MEMORY, from: "default" }
    : chooseDatabase(db);
}

/**
 * Runs `import-impulse71` with its arguments.
 *
 * @param args The arguments after `import-impulse71`.
 * @param out Where to print.
 * @returns The exit code: 0 when the import ran (records may have been skipped; the
 *   report says which and why).
 */
export async function importCommand(
  args: string[],
  out: Output,
): Promise<number> {
  const { values } = parseFlags(
    args,
    {
      from: { type: "string" },
      db: { type: "string" },
      "dry-run": { type: "boolean" },
      "include-orphans": { type: "boolean" },
      "time-zone": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    { command: "import-impulse71" },
  );
  if (values.help) return out.text(IMPORT_USAGE), 0;
  if (!values.from) {
    throw usageError(
      { command: "import-impulse71" },
      "Missing --from: deno task import-impulse71 --from <install dir> --db <url>",
    );
  }
  const dryRun = values["dry-run"] ?? false;
  const database = importDatabase(values.db, dryRun);
  const url = database.url;
  // The install and the options first: bad input, or a directory without an install, fails
  // before any database is opened, created or migrated.
  const source = await readSource(values.from, {
    dryRun,
    includeOrphans: values["include-orphans"] ?? false,
    timeZone: values["time-zone"],
    onProgress: throttled(out),
  });
  const opened = await openTarget(url, dryRun);
  await using storage = opened.storage;
  const report = await importSource(source, storage);
  out.progress("");
  if (out.json) {
    return out.data(opened.note ? { ...report, note: opened.note } : report), 0;
  }
  if (opened.note) out.text(`note: ${opened.note}`);
  printReport(out, shownDatabase(database), report);
  return 0;
}

/** The in-memory database a dry run without --db imports into. */
export const MEMORY = "sqlite::memory:";

/**
 * The storage to import into. A dry run never creates or changes a database: it only reads one
 * that exists (whose schema must be current) for names and tags it already holds, and imports
 * into a private in-memory database (see `importImpulse71`); one that does not exist yet is
 * left alone, with a note saying so.
 */
export async function openTarget(
  url: string,
  dryRun: boolean,
): Promise<{ storage: Storage; note?: string }> {
  if (!dryRun || url === MEMORY) return { storage: await openStorage(url) };
  try {
    return {
      storage: await openStorage(url, { migrate: "check", create: false }),
    };
  } catch (error) {
    if (!isStorageError(error, "not_found")) throw error;
  }
  return {
    storage: await openStorage(MEMORY),
    note: `${
      redactUrl(url)
    } does not exist yet: the dry run ran against an empty in-memory database`,
  };
}

/** Shows each stage's progress, with its rate and the time left. */
function throttled(out: Output): (p: Impulse71ImportProgress) => void {
  const passwords = progressMeter(out, "password");
  const records = progressMeter(out, "record");
  return ({ stage, kind, done, total }) =>
    stage === "hash"
      ? passwords("hashing passwords", done, total)
      : records(`importing ${kind}`, done, total);
}

function printReport(
  out: Output,
  url: string,
  report: Impulse71ImportReport,
): void {
  out.text(
    report.dryRun
      ? `dry run of ${report.directory} -> ${url}: nothing was written`
      : `imported ${report.directory} -> ${url}`,
  );
  out.text(
    `  ${"".padEnd(14)}${"read".padStart(8)}${"imported".padStart(10)}${
      "skipped".padStart(9)
    }`,
  );
  for (const [kind, count] of Object.entries(report.counts)) {
    out.text(
      `  ${kind.padEnd(14)}${String(count.read).padStart(8)}${
        String(count.imported).padStart(10)
      }${String(count.skipped).padStart(9)}`,
    );
  }
  for (
    const [title, list] of [["skipped", report.skipped], [
      "changed",
      report.changed,
    ]] as const
  ) {
    if (list.length > 0) out.text(`${title}:`);
    for (const f of list) {
      const where = f.file === null
        ? ""
        : `${f.file}${f.record === null ? "" : ` #${f.record}`}: `;
      out.text(`  ${f.kind}: ${where}${f.reason}`);
    }
  }
  const byKind = new Map<string, number>();
  for (const p of report.problems) {
    byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + 1);
  }
  if (byKind.size > 0) {
    out.text(
      `decoder findings (--json lists each): ${
        [...byKind].map(([k, n]) => `${k} ${n}`).join(", ")
      }`,
    );
  }
}
