/**
 * {@linkcode importImpulse71}: an Impulse 7.1 install into a storage, in one transaction.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { z } from "zod";
import { isStorageError, StorageError } from "../../errors.ts";
import { foldKey } from "../../keys.ts";
import { hashPassword, MAX_COST, MIN_COST } from "../../password.ts";
import type { Repositories, Storage } from "../../storage.ts";
import { openStorage } from "../../open.ts";
import { parse } from "../../validate.ts";
import { fileListings, importFileSide } from "./import_files.ts";
import { importMessageSide, messageBases } from "./import_messages.ts";
import {
  type Impulse71ImportProgress,
  type Impulse71ImportReport,
  Tally,
} from "./import_report.ts";
import type { ImportRun } from "./import_run.ts";
import {
  importLastCallers,
  importLastRead,
  importUsers,
  settleUserStats,
  userName,
} from "./import_users.ts";
import { isKnownTimeZone } from "./dates.ts";
import { type Impulse71Install, readImpulse71 } from "./read_impulse71.ts";

/** Options of {@linkcode importImpulse71}. */
export interface ImportImpulse71Options {
  /**
   * Check the target for overlaps (reading it only), then decode and import everything into
   * a private in-memory database that is dropped after: the report is the one a real import
   * would give (refusal included), and the target is never written. Passwords are not
   * hashed. Defaults to `false`.
   */
  dryRun?: boolean;
  /**
   * Also import message bases and file listings that no board or file area refers to, as
   * areas named after their files. Defaults to `false` (they are reported as skipped).
   */
  includeOrphans?: boolean;
  /** The IANA time zone the board ran in (Impulse stored local time); defaults to `"UTC"`. */
  timeZone?: string;
  /**
   * The scrypt cost of the password hashes as log2 N, 10–16; defaults to 15, as
   * `hashPassword`. Each step halves or doubles the time hashing takes (about half a second
   * a user at 15 on a small machine); lower is weaker.
   */
  passwordCost?: number;
  /**
   * Told as passwords are hashed (`stage: "hash"`) and as records are imported; an error it
   * throws ends the import, which then leaves the target as it was.
   */
  onProgress?: (progress: Impulse71ImportProgress) => void;
}

const optionsSchema = z.strictObject({
  dryRun: z.boolean({ error: "must be a boolean" }).default(false),
  includeOrphans: z.boolean({ error: "must be a boolean" }).default(false),
  timeZone: z.string({ error: "must be a string" }).refine(isKnownTimeZone, {
    error: 'must be an IANA time zone, such as "America/Chicago"',
  }).default("UTC"),
  passwordCost: z.number({ error: "must be a number" }).int({
    error: "must be an integer",
  }).min(MIN_COST, { error: `must be at least ${MIN_COST}` }).max(MAX_COST, {
    error: `must be at most ${MAX_COST}`,
  }).default(15),
  onProgress: z.custom<NonNullable<ImportImpulse71Options["onProgress"]>>(
    (value) => typeof value === "function",
    { error: "must be a function" },
  ).optional(),
}).default({
  dryRun: false,
  includeOrphans: false,
  timeZone: "UTC",
  passwordCost: 15,
});

/**
 * The install directory: a path, or a `file:` URL, turned into a path.
 */
const directorySchema: z.ZodType<string, unknown> = z.unknown().transform(
  (value, ctx) => {
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message, input: value });
      return z.NEVER;
    };
    if (value instanceof URL) {
      if (value.protocol !== "file:") {
        return fail('must be a path or a "file:" URL');
      }
      try {
        return fileURLToPath(value);
      } catch {
        return fail('must be a "file:" URL of this machine (no host)');
      }
    }
    if (typeof value !== "string") {
      return fail('must be a path or a "file:" URL');
    }
    if (value === "") return fail("must not be empty");
    if (value.includes("\0")) return fail("must not contain NUL characters");
    return value;
  },
);

/** The target of an import: an open storage (what `openStorage` returns). */
export const storageSchema: z.ZodType<Storage> = z.custom<Storage>(
  (value) =>
    typeof value === "object" && value !== null &&
    typeof (value as Storage).transaction === "function" &&
    typeof (value as Storage).users?.findByUsername === "function",
  { error: "must be a storage opened with openStorage()" },
);

type ParsedOptions = z.output<typeof optionsSchema>;

/** An install read and its options checked, ready to import: see {@linkcode readSource}. */
export interface Impulse71Source {
  /** The install, decoded. */
  install: Impulse71Install;
  /** The options, with their defaults. */
  options: ParsedOptions;
}

/**
 * Checks the directory and options of an import and decodes the install, touching no
 * database: the import command runs this before it opens (or creates) one.
 *
 * @param directory The install directory: a path or a `file:` URL.
 * @param options The options of {@linkcode importImpulse71}.
 * @returns The install and the options.
 * @throws {StorageError} `validation` for a bad directory or option; `not_found` when the
 *   directory holds no install.
 */
export async function readSource(
  directory: unknown,
  options: unknown,
): Promise<Impulse71Source> {
  const o = parse(optionsSchema, options, "options", "importImpulse71");
  const path = parse(
    directorySchema,
    directory,
    "directory",
    "importImpulse71",
  );
  return {
    install: await readImpulse71(path, { timeZone: o.timeZone }),
    options: o,
  };
}

/**
 * Imports an Impulse 7.1 install (the directory holding STATUS.DAT, with `DATA/` and `MSGS/`)
 * through the Storage API: users with their passwords hashed, boards and e-mail as message
 * areas, file areas with their entries, last callers and last-read pointers. Everything is
 * written in one transaction, so a failure leaves the target as it was. A target that
 * already holds a user name or area tag the install would create is refused (`conflict`),
 * which makes a second run of the same import harmless.
 *
 * @param directory The install directory.
 * @param storage The target storage.
 * @param options Dry run, orphans, time zone and progress.
 * @returns What was read, imported and skipped, and why.
 * @throws {StorageError} `validation` for a directory that is not a path or `file:` URL, a
 *   storage that is not one, bad options or an unknown time zone (all checked before
 *   anything is read or written); `not_found`
 *   when the directory holds no install; `conflict` when the target already holds part of
 *   it; whatever the storage throws, after rolling back.
 *
 * @example
 * ```ts ignore
 * import { openStorage } from "@impulse/storage";
 * import { importImpulse71 } from "@impulse/storage/import";
 *
 * await using storage = await openStorage("sqlite:./data/board.db");
 * const report = await importImpulse71("/bbs/imp", storage, { timeZone: "America/Chicago" });
 * console.log(report.counts.users, report.skipped.length);
 * ```
 */
export async function importImpulse71(
  directory: string | URL,
  storage: Storage,
  options: ImportImpulse71Options = {},
): Promise<Impulse71ImportReport> {
  const target = parse(storageSchema, storage, "storage", "importImpulse71");
  return await importSource(await readSource(directory, options), target);
}

/**
 * Imports an install that {@linkcode readSource} read, as {@linkcode importImpulse71} does.
 *
 * @param source The install and its options.
 * @param storage The target storage.
 * @returns The report.
 */
export async function importSource(
  { install, options: o }: Impulse71Source,
  storage: Storage,
): Promise<Impulse71ImportReport> {
  await refuseOverlap(storage, install, o.includeOrphans);
  const progress = o.onProgress ?? (() => {});
  const hashes = await hashAll(
    install,
    o.dryRun ? null : o.passwordCost,
    progress,
  );
  const tally = new Tally(progress);
  // A dry run only reads the target (the overlap check above): it imports into a private
  // in-memory database, so it changes nothing anywhere, not even PostgreSQL's id sequences.
  // (No `await using` in library code: Node 22 cannot parse it.)
  const scratch = o.dryRun ? await openStorage("sqlite::memory:") : null;
  try {
    await (scratch ?? storage).transaction(async (tx) => {
      await refuseOverlap(tx, install, o.includeOrphans);
      const run: ImportRun = {
        tx,
        install,
        tally,
        includeOrphans: o.includeOrphans,
        now: new Date(),
        users: new Map(),
        boards: new Map(),
      };
      await importUsers(run, hashes);
      await importMessageSide(run);
      await importFileSide(run);
      await importLastCallers(run);
      await importLastRead(run);
      await settleUserStats(run);
    });
  } finally {
    await scratch?.close();
  }
  return {
    directory: install.directory,
    dryRun: o.dryRun,
    timeZone: o.timeZone,
    includeOrphans: o.includeOrphans,
    counts: tally.counts,
    skipped: tally.skipped,
    changed: tally.changed,
    problems: install.problems,
  };
}

/**
 * Hashes the password of every user to import, case-insensitively as Impulse compared;
 * with a `null` cost (a dry run), a placeholder that is never kept.
 */
async function hashAll(
  install: Impulse71Install,
  cost: number | null,
  progress: NonNullable<ImportImpulse71Options["onProgress"]>,
): Promise<Map<number, string>> {
  const users = install.users.filter((user) => !user.deleted);
  const hashes = new Map<number, string>();
  for (const user of users) {
    hashes.set(
      user.number,
      cost === null
        ? "$dry-run$"
        : await hashPassword(user.password, { caseInsensitive: true, cost }),
    );
    progress({
      stage: "hash",
      kind: "users",
      done: hashes.size,
      total: users.length,
    });
  }
  return hashes;
}

/**
 * Refuses a target that already holds a user name or area tag the install would create:
 * a second run of an import, or an import into a board in use.
 */
async function refuseOverlap(
  ops: Repositories,
  install: Impulse71Install,
  includeOrphans: boolean,
): Promise<void> {
  const found: string[] = [];
  for (const user of install.users) {
    if (user.deleted) continue;
    const name = userName(user).value;
    const existing = await ops.users.findByUsername(name).catch((error) => {
      // A name the store refuses cannot be there.
      if (isStorageError(error, "validation")) return null;
      throw error;
    });
    if (existing !== null) found.push(`user "${existing.username}"`);
  }
  const messageTags = new Set(
    (await ops.messageAreas.list()).map((area) => foldKey(area.tag)),
  );
  for (const base of messageBases(install, includeOrphans)) {
    if (base.leaveOut === null && messageTags.has(foldKey(base.tag))) {
      found.push(`message area "${base.tag}"`);
    }
  }
  const fileTags = new Set(
    (await ops.fileAreas.list()).map((area) => foldKey(area.tag)),
  );
  for (const listing of fileListings(install, includeOrphans)) {
    if (listing.leaveOut === null && fileTags.has(foldKey(listing.tag))) {
      found.push(`file area "${listing.tag}"`);
    }
  }
  if (found.length === 0) return;
  const shown = found.slice(0, 5).join(", ") +
    (found.length > 5 ? ` and ${found.length - 5} more` : "");
  throw new StorageError(
    "conflict",
    `Cannot import the Impulse 7.1 install as the target already holds ${shown}: was it imported before? Import into a new database`,
  );
}
