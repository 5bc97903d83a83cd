/**
 * `copy`: move a board between databases (SQLite to PostgreSQL, or back) from the command line.
 *
 * @module
 */
import { parseFlags } from "./args.ts";
import { copyDatabase, type CopyReport } from "../copy/mod.ts";
import { StorageError } from "../errors.ts";
import { redactUrl } from "../redact.ts";
import { parseNumberArgument } from "./numbers.ts";
import type { Output } from "./output.ts";

/** The usage text of `copy`. */
export const COPY_USAGE =
  `Usage: deno task copy --from <url> --to <url> [options]

Copies every row of every table (users, message and file areas, files, messages, sessions,
last-read pointers, last callers, and tables of your own the target has too) with its id, every
column both databases have, the ids' high-water marks and the migration history, then compares
row counts and checksums per table. A column or a table holding rows that only one database has
stops the copy before it writes a row; so do two URLs that point at the same database. Stop the
board while copying.

Options:
  --from <url>        the database to copy from (at the newest schema; only read, never
                      created)
  --to <url>          another database to copy into (migrated first; must hold no data)
  --force             replace the rows of a target that already holds data
  --batch <n>         rows per transaction (default 500)
  --json              print JSON instead of text`;

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
      batch: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  );
  if (values.help) return out.text(COPY_USAGE), 0;
  if (!values.from || !values.to) {
    throw new StorageError(
      "validation",
      "Missing --from or --to: deno task copy --from <url> --to <url>",
    );
  }
  const batchSize = values.batch === undefined
    ? undefined
    : parseNumberArgument(values.batch, "--batch", { min: 1, max: 2000 });
  const report = await copyDatabase(values.from, values.to, {
    force: values.force ?? false,
    batchSize,
    onProgress: (table, copied, total) =>
      out.progress(`copying ${table}: ${copied}/${total} rows`),
  });
  out.progress("");
  if (out.json) return out.data(report), report.ok ? 0 : 1;
  printReport(out, redactUrl(values.from), redactUrl(values.to), report);
  return report.ok ? 0 : 1;
}

function printReport(
  out: Output,
  from: string,
  to: string,
  report: CopyReport,
): void {
  out.text(`copied ${from} -> ${to}:`);
  for (const t of report.tables) {
    const rows = t.sourceRows === t.targetRows
      ? `${t.sourceRows} rows`
      : `${t.sourceRows} rows in the source, ${t.targetRows} in the target`;
    out.text(
      `  ${t.table.padEnd(20)} ${rows.padEnd(12)} ${
        t.ok ? "checksum ok" : "DIFFERENT"
      }  ${t.targetChecksum.slice(0, 16)}`,
    );
  }
  for (const set of report.skippedSets) {
    out.text(
      `  note: the history of migration set "${set}" was not copied: run its migrations on the target`,
    );
  }
  out.text(report.ok ? "copy ok" : "copy FAILED: the databases differ");
}
