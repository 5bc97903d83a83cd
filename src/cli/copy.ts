/**
 * `copy`: move a board between databases (SQLite to PostgreSQL, or back) from the command line.
 *
 * @module
 */
import { parseFlags, usageError } from "./args.ts";
import { copyDatabase, type CopyReport } from "../copy/mod.ts";
import { counted } from "../describe.ts";
import { redactUrl } from "../redact.ts";
import { parseNumberArgument } from "./numbers.ts";
import {
  chooseDatabase,
  confirmed,
  type Output,
  shownDatabase,
} from "./output.ts";
import { progressMeter } from "./progress.ts";
import { columns } from "./table.ts";

/** The usage text of `copy`. */
export const COPY_USAGE =
  `Usage: deno task copy [--from <url>] --to <url> [options]

Copies every row of every table (users, message and file areas, files, messages, sessions,
last-read pointers, last callers, and tables of your own the target has too) with its id, every
column both databases have, the ids' high-water marks and the migration history, then compares
row counts and checksums per table. A column or a table holding rows that only one database has
stops the copy before it writes a row; so do two URLs that point at the same database. Stop the
board while copying.

Options:
  --from <url>        the database to copy from (at the newest schema; only read, never
                      created; default: $IMPULSE_DATABASE_URL, then $DATABASE_URL, else
                      sqlite:./data/impulse.db)
  --to <url>          another database to copy into (migrated first; must hold no data)
  --force             replace the rows of a target that already holds data; asks first
                      (--yes where there is no terminal)
  --yes               with --force: replace without asking
  --batch <n>         rows per transaction (default 500)
  --json              print JSON instead of text
  --help              print this text

Progress goes to standard error: in place on a terminal, else a line a second at most.`;

/**
 * Runs `copy` with its arguments.
 *
 * @param args The arguments after `copy`.
 * @param out Where to print.
 * @returns The exit code: 0 when every table arrived identical, 1 otherwise.
 */
export async function copyCommand(
  args: string[],
  out: Output,
): Promise<number> {
  const { values } = parseFlags(
    args,
    {
      from: { type: "string" },
      to: { type: "string" },
      force: { type: "boolean" },
      yes: { type: "boolean" },
      batch: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    { command: "copy" },
  );
  if (values.help) return out.text(COPY_USAGE), 0;
  if (!values.to) {
    throw usageError({ command: "copy" }, "Missing --to <url>");
  }
  const batchSize = values.batch === undefined
    ? undefined
    : parseNumberArgument(values.batch, "--batch", { min: 1, max: 2000 });
  const from = chooseDatabase(values.from);
  const to = redactUrl(values.to);
  if (
    values.force &&
    !await confirmed(
      out,
      values.yes,
      `This replaces every row of ${to} with the rows of ${
        shownDatabase(from)
      }`,
    )
  ) {
    out.error("nothing was copied");
    return 1;
  }
  const meter = progressMeter(out, "row");
  const report = await copyDatabase(from.url, values.to, {
    force: values.force ?? false,
    batchSize,
    onProgress: (table, copied, total) =>
      meter(`copying ${table}`, copied, total),
  });
  out.progress("");
  if (out.json) return out.data(report), report.ok ? 0 : 1;
  printReport(out, shownDatabase(from), to, report);
  return report.ok ? 0 : 1;
}

function printReport(
  out: Output,
  from: string,
  to: string,
  report: CopyReport,
): void {
  out.text(`copied ${from} -> ${to}:`);
  const rows = report.tables.map((t) => [
    t.table,
    t.sourceRows === t.targetRows
      ? counted(t.sourceRows, "row")
      : `${counted(t.sourceRows, "row")} in the source, ${
        t.targetRows.toLocaleString("en-US")
      } in the target`,
    t.ok ? "checksum ok" : "DIFFERENT",
    t.targetChecksum.slice(0, 16),
  ]);
  for (const line of columns(rows)) out.text(`  ${line}`);
  for (const set of report.skippedSets) {
    out.text(
      `  note: the history of migration set "${set}" was not copied: run its migrations on the target`,
    );
  }
  out.text(report.ok ? "copy ok" : "copy FAILED: the databases differ");
}
