/**
 * `migrate`: apply, revert, inspect, verify and create migrations from the command line.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import * as runtime from "../runtime.ts";
import { parseFlags, usageError } from "./args.ts";
import { plural } from "../describe.ts";
import { StorageError } from "../errors.ts";
import {
  createMigration,
  type KeptNote,
  type MigrationStatus,
  type MigrationStep,
  type Migrator,
  openMigrator,
  type VerifyReport,
} from "../migrate/mod.ts";
import { parseNumberArgument } from "./numbers.ts";
import { interruption } from "./signals.ts";
import { manifestWarnings } from "./manifest_check.ts";
import {
  chooseDatabase,
  confirmed,
  type Output,
  shownDatabase,
} from "./output.ts";
import { columns } from "./table.ts";

/** The usage text of `migrate`. */
export const MIGRATE_USAGE = `Usage: deno task migrate [command] [options]

Commands:
  up                  apply every pending migration (the default), then print the status
  down                revert the newest migration (--steps N for more); refuses, changing
                      nothing, when its up step would not give back every row and column;
                      more than one step asks first (--yes where there is no terminal)
  status              list every migration with its state (--exit-code: fail if not current);
                      reads only: a database that does not exist is an error, never created;
                      in a checkout, warns of migration files the manifest lacks
  to <version>        migrate up or down to a version (0 reverts everything); going down asks
                      first (--yes where there is no terminal)
  verify              run down and up on a scratch copy with the rows, comparing every row,
                      column and schema (reads only); the copy is private (a 0700 directory
                      of its own on SQLite) and removed after, also on Ctrl-C or SIGTERM
  new <name>          create NNNN_<name>.up.sql and .down.sql

Options (each command takes only its own; another's, such as up --steps, is refused):
  --db <url>          all but new: database URL (default: $IMPULSE_DATABASE_URL, then
                      $DATABASE_URL, which need --allow-env=IMPULSE_DATABASE_URL,DATABASE_URL;
                      else sqlite:./data/impulse.db)
  --dir <path>        a migration set of your own instead of the package's
  --set <name>        all but new: the name your set is tracked under (default "app")
  --steps <n>         down: how many migrations it reverts (default 1)
  --lock-timeout <ms> up, down, to: how long to wait for another process's migration (its
                      migration lock; on SQLite, each step's write lock) before failing
                      (default 60000)
  --force             down, to: revert even what would not come back; a SQLite database is
                      first copied beside its file (the copy's path is printed)
  --yes               down, to: revert more than one migration without asking
  --exit-code         status: exit 1 when anything is pending or drifted
  --json              print JSON instead of text
  --help              print this text`;

/**
 * Runs `migrate` with its arguments.
 *
 * @param args The arguments after `migrate`.
 * @param out Where to print.
 * @returns The exit code.
 */
export async function migrateCommand(
  args: string[],
  out: Output,
): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS, {
    command: "migrate",
    positionals: true,
  });
  if (values.help) return out.text(MIGRATE_USAGE), 0;
  const [command = "up", argument, ...extra] = positionals;
  // Every argument is checked before anything is opened: a bad one runs nothing.
  assertArguments(command, argument, extra);
  assertOwnFlags(command, Object.keys(values));
  if (command === "new") return await newMigration(argument, values.dir, out);
  const steps = values.steps === undefined
    ? 1
    : parseNumberArgument(values.steps, "--steps", STEPS);
  const lockTimeoutMs = values["lock-timeout"] === undefined
    ? undefined
    : parseNumberArgument(values["lock-timeout"], "--lock-timeout", TIMEOUT);
  const version = command === "to"
    ? parseNumberArgument(argument, "version", VERSION)
    : 0;
  const database = chooseDatabase(values.db);
  await using migrator = await openMigrator(database.url, {
    dir: values.dir,
    set: values.set,
    lockTimeoutMs,
    // Reading commands never create or change the database (verify works on a scratch copy).
    readOnly: command === "status" || command === "verify",
  });
  const where = `${shownDatabase(database)}${
    values.dir ? ` (set from ${values.dir})` : ""
  }`;
  // The package's own set runs from the embedded manifest: a file it lacks is not run.
  if (values.dir === undefined && command !== "verify") {
    for (const warning of await manifestWarnings()) {
      out.error(`warning: ${warning}`);
    }
  }
  switch (command) {
    case "up":
      return await report(out, where, await migrator.up(), migrator);
    case "down": {
      const reverts = Math.min(steps, await appliedAbove(migrator, 0));
      if (!await mayRevert(out, values.yes, reverts, where)) return 1;
      return await report(
        out,
        where,
        await migrator.down({ steps, force: values.force }),
        migrator,
      );
    }
    case "to": {
      const reverts = await appliedAbove(migrator, version);
      if (!await mayRevert(out, values.yes, reverts, where, 0)) return 1;
      return await report(
        out,
        where,
        await migrator.to(version, { force: values.force }),
        migrator,
      );
    }
    case "status": {
      const status = await migrator.status();
      printStatus(out, where, status, await migrator.notes());
      return values["exit-code"] &&
          status.some((line) => line.state !== "applied")
        ? 1
        : 0;
    }
    case "verify": {
      // Ctrl-C or SIGTERM cancels the check: its scratch copy is removed before the exit.
      using stop = interruption();
      let result: VerifyReport;
      try {
        result = await migrator.verify({ signal: stop.signal });
      } catch (error) {
        if (!stop.signal.aborted) throw error;
        const message = (error as Error).message;
        if (out.json) out.data({ error: { kind: "unavailable", message } });
        else out.error(`error: ${message}`);
        return stop.exitCode;
      }
      if (out.json) out.data(result);
      else printVerify(out, where, result, migrator.migrations.length);
      return result.ok ? 0 : 1;
    }
    default:
      // assertArguments refused any other command before anything was opened.
      throw new TypeError(`Unhandled migrate command: ${command}`);
  }
}

/** How many migrations are applied above `version`: what migrating down to it reverts. */
async function appliedAbove(
  migrator: Migrator,
  version: number,
): Promise<number> {
  return (await migrator.status()).filter((line) =>
    line.state === "applied" && line.version > version
  ).length;
}

/**
 * Whether reverting `reverts` migrations may go ahead: at once up to `quiet` of them, else
 * with `--yes` or a yes on the terminal.
 */
async function mayRevert(
  out: Output,
  yes: boolean | undefined,
  reverts: number,
  where: string,
  quiet = 1,
): Promise<boolean> {
  if (reverts <= quiet) return true;
  const go = await confirmed(
    out,
    yes,
    `This reverts ${plural(reverts, "migration")} of ${where}`,
  );
  if (!go) out.error("nothing was reverted");
  return go;
}

async function report(
  out: Output,
  where: string,
  steps: MigrationStep[],
  migrator: Migrator,
): Promise<number> {
  const status = await migrator.status();
  const notes = await migrator.notes();
  const backup = steps.find((step) => step.backup)?.backup ?? null;
  if (out.json) {
    return out.data({
      steps,
      backup,
      status: status.map(statusJson),
      notes,
    }),
      0;
  }
  if (backup) out.text(`backup copy written to ${backup}`);
  for (const step of steps) {
    out.text(
      `${step.direction === "up" ? "applied " : "reverted"} ${
        label(step)
      } in ${step.durationMs} ms`,
    );
    for (const note of step.notes) out.text(`  note: ${note.message}`);
  }
  if (steps.length === 0) out.text("nothing to do");
  // Notes this run made were printed under their step; older ones are shown as a reminder.
  const noted = steps.some((step) => step.notes.length > 0);
  printStatus(out, where, status, noted ? [] : notes);
  return 0;
}

function printStatus(
  out: Output,
  where: string,
  status: MigrationStatus[],
  notes: KeptNote[],
): void {
  if (out.json) return out.data({ status: status.map(statusJson), notes });
  out.text(`migrations of ${where}:`);
  const rows = status.map((line) => [
    label(line),
    line.state,
    line.appliedAt?.toISOString() ?? "",
    line.appliedAt ? `${line.durationMs} ms` : "",
    line.checksumOk === null
      ? ""
      : line.checksumOk
      ? "checksum ok"
      : "checksum CHANGED",
  ]);
  // The duration is a number: right-aligned, so its digits line up.
  for (const row of columns(rows, [false, false, false, true, false])) {
    out.text(`  ${row}`);
  }
  if (notes.length > 0) out.text(`notes left by applied migrations:`);
  for (const note of notes) {
    out.text(`  ${String(note.version).padStart(4, "0")} ${note.message}`);
  }
}

function printVerify(
  out: Output,
  where: string,
  result: VerifyReport,
  total: number,
): void {
  out.text(
    `verify ${where}: ${result.ok ? "ok" : "FAILED"}: ${result.migrations} of ${
      plural(total, "migration")
    } cycled up, down, up, every row compared`,
  );
  for (const problem of result.problems) out.text(`  ${problem}`);
  if (result.empty.length > 0) {
    out.text("  not proven, as these columns held no data when tried:");
    for (const { table, column, versions } of result.empty) {
      out.text(`    ${table}.${column} (migrations ${versions.join(", ")})`);
    }
  }
  if (result.untried.length > 0) {
    out.text(
      `  not tried on rows, as they run without a transaction: migrations ${
        result.untried.join(", ")
      }`,
    );
  }
}

function statusJson(line: MigrationStatus) {
  return { ...line, appliedAt: line.appliedAt?.toISOString() ?? null };
}

function label(line: { version: number; name: string }): string {
  return `${String(line.version).padStart(4, "0")} ${line.name}`;
}

/** How many steps `down --steps` reverts at most. */
const STEPS = { min: 1, max: 100_000 };
/** `to <version>`: 0 (nothing applied) or a version, which is a positive safe integer. */
const VERSION = { min: 0, max: Number.MAX_SAFE_INTEGER };
/** `--lock-timeout`: up to an hour, as `openMigrator` takes. */
const TIMEOUT = { min: 0, max: 3_600_000 };

/** Every flag of `migrate`; each command takes only its own ({@linkcode OWN_FLAGS}). */
const FLAGS = {
  db: { type: "string" },
  dir: { type: "string" },
  set: { type: "string" },
  steps: { type: "string" },
  "lock-timeout": { type: "string" },
  force: { type: "boolean" },
  yes: { type: "boolean" },
  "exit-code": { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * The flags each command uses, as its usage says (`--help` is everyone's). Another command's
 * flag would be ignored (`up --steps 1` applying every pending migration): it is refused.
 */
const OWN_FLAGS: Record<string, ReadonlySet<keyof typeof FLAGS>> = {
  up: new Set(["db", "dir", "set", "lock-timeout", "json", "help"]),
  down: new Set([
    "db",
    "dir",
    "set",
    "steps",
    "lock-timeout",
    "force",
    "yes",
    "json",
    "help",
  ]),
  to: new Set([
    "db",
    "dir",
    "set",
    "lock-timeout",
    "force",
    "yes",
    "json",
    "help",
  ]),
  status: new Set(["db", "dir", "set", "exit-code", "json", "help"]),
  verify: new Set(["db", "dir", "set", "json", "help"]),
  new: new Set(["dir", "json", "help"]),
};

/** The commands of `migrate`. */
const COMMANDS = new Set(Object.keys(OWN_FLAGS));
/** The commands that take one positional argument after them. */
const WITH_ARGUMENT = new Set(["to", "new"]);

/**
 * Refuses an unknown command and positional arguments a command does not take
 * (`migrate down 3` would otherwise revert one step, not three).
 */
function assertArguments(
  command: string,
  argument: string | undefined,
  extra: string[],
): void {
  if (!COMMANDS.has(command)) {
    throw usageError(
      { command: "migrate" },
      `Unknown migrate command: ${JSON.stringify(command)}`,
    );
  }
  const stray = WITH_ARGUMENT.has(command) ? extra[0] : argument;
  if (stray === undefined) return;
  const hint = command === "down" ? ": give a count with --steps <n>" : "";
  throw usageError(
    { command: "migrate" },
    `Unexpected argument to migrate ${command}: ${
      JSON.stringify(stray)
    }${hint}`,
  );
}

/** Refuses a flag that `command` (a known one) does not use, naming the first given. */
function assertOwnFlags(command: string, given: string[]): void {
  const own = OWN_FLAGS[command]!;
  const stray = given.find((flag) => !own.has(flag as keyof typeof FLAGS));
  if (stray === undefined) return;
  throw usageError(
    { command: "migrate" },
    `--${stray} is not an option of migrate ${command}`,
  );
}

async function newMigration(
  name: string | undefined,
  dir: string | undefined,
  out: Output,
): Promise<number> {
  if (!name) {
    throw new StorageError(
      "validation",
      "Missing migration name: deno task migrate new <name>",
    );
  }
  const written = await createMigration(dir ?? await ownMigrationRoot(), name);
  if (out.json) out.data({ written });
  else {
    for (const path of written) out.text(`created ${path}`);
    if (dir === undefined) {
      out.text(
        "write both dialects, then run `deno task manifest` to embed them",
      );
    }
  }
  return 0;
}

/**
 * Where `migrate new` writes without `--dir`: the package's own migrations, which only a
 * checkout of the package, run from its root, may add to. An application that imports the
 * package (from JSR, or by path) gives `--dir`.
 */
async function ownMigrationRoot(): Promise<string> {
  const root = new URL("../../", import.meta.url);
  const refused = new StorageError(
    "validation",
    "Without --dir, migrate new adds a migration to the package itself, which only its own checkout may do " +
      "(run from its root): for your application's migrations give --dir <path>",
    { field: "--dir" },
  );
  if (root.protocol !== "file:") throw refused;
  const [here, checkout] = await Promise.all([
    runtime.realPath(runtime.cwd()),
    runtime.realPath(fileURLToPath(root)),
  ]);
  if (here !== checkout) throw refused;
  return `${checkout}/migrations`;
}
