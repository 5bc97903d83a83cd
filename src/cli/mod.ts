/**
 * The command line of @impulse/storage: `deno task migrate …`.
 *
 * Run it from a checkout with `deno task migrate`, or from JSR with
 * `deno run --allow-read --allow-write --allow-env --allow-net jsr:@impulse/storage/cli migrate`.
 *
 * @example
 * ```ts
 * import { main } from "@impulse/storage/cli";
 *
 * const code = await main(["migrate", "status", "--db", "sqlite::memory:"]);
 * ```
 *
 * @module
 */
import { asStorageError, StorageError } from "../errors.ts";
import { InputFailure } from "./args.ts";
import { scrub, urlSecrets } from "../redact.ts";
import { BACKUP_USAGE, backupCommand } from "./backup.ts";
import { COPY_USAGE, copyCommand } from "./copy.ts";
import { IMPORT_USAGE, importCommand } from "./import.ts";
import { IMPORT_FTN_USAGE, importFtnCommand } from "./import_ftn.ts";
import { MIGRATE_USAGE, migrateCommand } from "./migrate.ts";
import {
  consoleOutput,
  databaseUrlVariable,
  hidingSecrets,
  type Output,
  readableDatabaseUrls,
} from "./output.ts";

export type { Output } from "./output.ts";

const USAGE = `Usage: impulse-storage <command> [options]

Commands:
  migrate     apply, revert, inspect and verify migrations (see migrate --help)
  copy        move a board to another database, ids kept (see copy --help)
  import-impulse71
              bring an Impulse 7.1 board across (see import-impulse71 --help)
  import-ftn  import a JAM or Squish FidoNet message base into an area (see import-ftn --help)
  backup      copy a SQLite board to a file while it runs (see backup --help)

Without --db, a command uses $IMPULSE_DATABASE_URL, then $DATABASE_URL (each read only when
--allow-env lets it be, never asking), else sqlite:./data/impulse.db. A mistyped or extra
argument is refused with exit code 2; failures exit 1.

${MIGRATE_USAGE}

${COPY_USAGE}

${IMPORT_USAGE}

${IMPORT_FTN_USAGE}

${BACKUP_USAGE}`;

/**
 * Runs the command line.
 *
 * @param args The arguments, such as `["migrate", "up", "--db", "sqlite:./data/impulse.db"]`.
 * @param out Where to print; the process's standard streams by default.
 * @returns The exit code: 0 on success, 1 on failure, 2 on bad usage (an unknown command or
 * option, a malformed value).
 */
export async function main(args: string[], out?: Output): Promise<number> {
  const json = args.includes("--json");
  const secrets = secretsOf(args);
  const output = hidingSecrets(out ?? consoleOutput(json), secrets);
  const [command, ...rest] = args;
  try {
    switch (command) {
      case "migrate":
        return await migrateCommand(rest, output);
      case "copy":
        return await copyCommand(rest, output);
      case "import-impulse71":
        return await importCommand(rest, output);
      case "import-ftn":
        return await importFtnCommand(rest, output);
      case "backup":
        return await backupCommand(rest, output);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        output.text(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new StorageError(
          "validation",
          `Unknown command: "${command}": see --help`,
        );
    }
  } catch (thrown) {
    const failure = thrown instanceof InputFailure;
    const error = failure ? thrown.error : thrown;
    const usage = !(error instanceof StorageError) &&
      String((error as { code?: unknown })?.code).startsWith("ERR_PARSE_ARGS");
    const kind = usage ? "validation" : asStorageError(error, "main").kind;
    // One line, whatever the database put in its message, and never a password.
    const variable = error instanceof StorageError &&
        (error.field === "url" || error.field?.startsWith("url."))
      ? databaseUrlVariable()
      : undefined;
    const message = scrub(
      error instanceof Error ? error.message : String(error),
      secrets,
    ).replace(/\s*\n\s*/g, " ") +
      (variable === undefined
        ? ""
        : `: the URL came from ${variable}: fix it there, or give --db <url>`);
    if (output.json) output.data({ error: { kind, message } });
    else output.error(`error: ${message}`);
    return !failure && (usage || kind === "validation") ? 2 : 1;
  }
}

/**
 * The password of every URL the command may use, in every spelling: those among the arguments
 * (`--db <url>` and `--db=<url>` alike) and `IMPULSE_DATABASE_URL` and `DATABASE_URL` when they
 * are readable.
 */
function secretsOf(args: string[]): string[] {
  const urls = args.flatMap((arg) => [arg, arg.slice(arg.indexOf("=") + 1)]);
  urls.push(...readableDatabaseUrls());
  return [...new Set(urls.flatMap(urlSecrets))].sort((a, b) =>
    b.length - a.length
  );
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
