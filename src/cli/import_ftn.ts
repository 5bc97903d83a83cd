/**
 * `import-ftn`: bring a JAM or Squish FidoNet message base into a message area from the command
 * line.
 *
 * @module
 */
import { isStorageError } from "../errors.ts";
import { InputFailure, parseFlags, usageError } from "./args.ts";
import type { FtnImportProgress, FtnImportReport } from "../import/mod.ts";
import { importSource, readMessageBase } from "../import/ftn/import.ts";
import { type Output, shownDatabase } from "./output.ts";
import { importDatabase, openTarget } from "./import.ts";
import { progressMeter } from "./progress.ts";

/** The usage text of `import-ftn`. */
export const IMPORT_FTN_USAGE =
  `Usage: deno task import-ftn --from <base path without extension> --area <TAG> [options]

Imports a JAM (.jhr .jdt .jdx .jlr) or Squish (.sqd .sqi .sql) message base into the message
area with that tag (made as an echomail area, echo tag TAG, when there is none): every live
message not there yet, replies linked to their parents, then the last-read pointers of the
users the base's JAM records name. Batches of 500 messages, each in one transaction. Running it
again, or on a base that overlaps one imported before, adds no message twice: a tosser may run
it on every poll.

Options:
  --from <path>       the base's path without extension, e.g. /fido/msgbase/ru.golded
  --area <TAG>        the message area's tag
  --format <f>        jam or squish (default: the format whose files exist)
  --charset <cp>      the code page of messages without a CHRS kludge, with an unknown one or
                      IBMPC (default CP437): CP437, CP850, CP852, CP866, CP1251, KOI8-R,
                      LATIN-1, UTF-8 and more (see the README)
  --time-zone <zone>  the IANA time zone of dates without a TZUTC kludge (default UTC, which
                      keeps the clock digits as written)
  --address <z:n/f>   the board's own FidoNet address (repeat for each): a private message to
                      it goes to the user its To name names, as usernames compare
  --db <url>          the database (default: $IMPULSE_DATABASE_URL, then $DATABASE_URL, else
                      sqlite:./data/impulse.db); migrated first
  --dry-run           write nothing: read the base and the database (if it exists) and report
                      what an import would do
  --json              print the report as JSON
  --help              print this text`;

/**
 * Runs `import-ftn` with its arguments.
 *
 * @param args The arguments after `import-ftn`.
 * @param out Where to print.
 * @returns The exit code: 0 when the import ran (messages may have been skipped; the report
 *   says which and why).
 */
export async function importFtnCommand(
  args: string[],
  out: Output,
): Promise<number> {
  const context = { command: "import-ftn" };
  const { values } = parseFlags(
    args,
    {
      from: { type: "string" },
      area: { type: "string" },
      format: { type: "string" },
      charset: { type: "string" },
      "time-zone": { type: "string" },
      address: { type: "string", multiple: true },
      db: { type: "string" },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    context,
  );
  if (values.help) return out.text(IMPORT_FTN_USAGE), 0;
  for (const flag of ["from", "area"] as const) {
    if (!values[flag]) {
      throw usageError(
        context,
        `Missing --${flag}: deno task import-ftn --from <base path without extension> --area <TAG>`,
      );
    }
  }
  const dryRun = values["dry-run"] ?? false;
  const database = importDatabase(values.db, dryRun);
  const meter = progressMeter(out, "message");
  // The options and the whole base first: bad input, or a path without a base, fails before
  // any database is opened, created or migrated.
  let source;
  try {
    source = await readMessageBase(values.from, {
      area: values.area,
      format: values.format,
      charset: values.charset,
      timeZone: values["time-zone"],
      addresses: values.address,
      dryRun,
      onProgress: ({ done, total }: FtnImportProgress) =>
        meter("importing messages", done, total),
    });
  } catch (error) {
    // A base whose files no reader can read is a failure (exit 1), not a usage error: its
    // `validation` error names no option.
    if (isStorageError(error, "validation") && error.field === undefined) {
      throw new InputFailure(error);
    }
    throw error;
  }
  const opened = await openTarget(database.url, dryRun);
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

function printReport(out: Output, url: string, r: FtnImportReport): void {
  out.text(
    r.dryRun
      ? `dry run of ${r.path} (${r.format}) -> ${url}, area ${r.area.tag}: nothing was written`
      : `imported ${r.path} (${r.format}) -> ${url}, area ${r.area.tag}${
        r.area.created ? " (created, echomail)" : ""
      }`,
  );
  out.text(
    `  messages: ${r.counts.read} read, ${r.counts.imported} imported, ${r.counts.skipped} skipped; ${r.linked} replies linked`,
  );
  out.text(
    `  last-read: ${r.lastRead.read} records, ${r.lastRead.set} pointers set, ${r.lastRead.unmatched.length} not matched`,
  );
  if (r.delivery.delivered > 0 || r.delivery.undelivered.length > 0) {
    out.text(
      `  private mail to the board: ${r.delivery.delivered} delivered to users, ${r.delivery.undelivered.length} naming no user`,
    );
  }
  if (r.fallbacks.length > 0) {
    out.text(
      `  decoded with ${r.charset} (no usable CHRS kludge): ${
        r.fallbacks.map((f) =>
          `${f.kind}${f.label === null ? "" : ` "${f.label}"`} ${f.count}`
        ).join(", ")
      }`,
    );
  }
  const sections: [string, string[]][] = [
    ["skipped", r.skipped.map((s) => `#${s.number}: ${s.reason}: ${s.detail}`)],
    ["changed", r.changed.map((c) => `#${c.number} ${c.field}: ${c.reason}`)],
    [
      "last-read records not matched",
      r.lastRead.unmatched.map((u) =>
        `user ${u.userNumber}${
          u.nameCrc === null ? "" : ` (name CRC ${u.nameCrc.toString(16)})`
        }, read to ${u.lastRead}: ${u.reason}`
      ),
    ],
    [
      "problems in the files",
      r.problems.map((p) => `${p.file} @${p.offset}: ${p.reason}`),
    ],
  ];
  for (const [title, lines] of sections) {
    if (lines.length > 0) out.text(`${title}:`);
    for (const line of lines) out.text(`  ${line}`);
  }
}
