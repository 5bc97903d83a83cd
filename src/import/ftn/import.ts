/**
 * {@linkcode importMessageBase}: a JAM or Squish message base into a message area, from its
 * files. The options are checked and the whole base read before any database is touched.
 *
 * @module
 */
import { readdir } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { z } from "zod";
import { StorageError } from "../../errors.ts";
import type { Storage } from "../../storage.ts";
import { parse } from "../../validate.ts";
import { ftnAddress, newMessageArea } from "../../schemas.ts";
import { echoArea } from "./area.ts";
import { storageSchema } from "../impulse71/import.ts";
import { isKnownTimeZone } from "../impulse71/dates.ts";
import { importFtnBase } from "./import_base.ts";
import { jamNameCrc32, readJamBase } from "./jam.ts";
import type { FtnImportProgress, FtnImportReport } from "./report.ts";
import { readSquishBase } from "./squish.ts";
import {
  canonicalCharset,
  decodeFtnMessage,
  SUPPORTED_CHARSETS,
} from "./text.ts";
import type { FtnBase } from "./types.ts";
import { nameEncoder } from "./name_bytes.ts";

/** Options of {@linkcode importMessageBase}. */
export interface ImportMessageBaseOptions {
  /** The tag of the area to import into; an area with that tag is made (echomail) if none is. */
  area: string;
  /** The base's format; by default the one whose files exist (`.jhr` JAM, `.sqd` Squish). */
  format?: "jam" | "squish";
  /**
   * The code page of messages without a CHRS kludge, with an unknown one or `IBMPC` (default
   * `CP437`): any label of {@linkcode SUPPORTED_CHARSETS}.
   */
  charset?: string;
  /** The IANA zone the base's dates without TZUTC were written in (default `UTC`). */
  timeZone?: string;
  /** Write nothing; report what an import would do. */
  dryRun?: boolean;
  /** Called after each batch with how far the import is. */
  onProgress?: (progress: FtnImportProgress) => void;
  /**
   * Squish last-read records hold a user number only: the board's user id of each number.
   * Records of numbers not in it (all of them, without it) are reported.
   */
  lastReadUsers?: ReadonlyMap<number, number>;
  /** Messages per transaction (1–10000, default 500). */
  batchSize?: number;
  /**
   * The board's own FidoNet addresses (`zone:net/node[.point]`, at most 100): a private message
   * to one of them goes to the board's user its To name names, as usernames compare (posted with
   * that user as `toUserId`, who reads it as its addressee); the report lists those that name
   * no user. Without them (the default) no imported message has a local addressee.
   */
  addresses?: readonly string[];
}

const optionsSchema = z.strictObject({
  area: z.string({ error: "must be a string" }).refine(
    (tag) => newMessageArea.safeParse(echoArea(tag)).success,
    {
      error:
        "must be an area tag (and echo tag): 1–40 characters without spaces, control or invisible characters",
    },
  ),
  format: z.enum(["jam", "squish"], { error: 'must be "jam" or "squish"' })
    .optional(),
  charset: z.string({ error: "must be a string" }).refine(
    (label) => canonicalCharset(label) !== null,
    {
      error: `must be a code page this import knows: ${
        SUPPORTED_CHARSETS.join(", ")
      }`,
    },
  ).transform((label) => canonicalCharset(label)!).default("CP437"),
  timeZone: z.string({ error: "must be a string" }).refine(isKnownTimeZone, {
    error: 'must be an IANA time zone, such as "Europe/Moscow"',
  }).default("UTC"),
  dryRun: z.boolean({ error: "must be a boolean" }).default(false),
  onProgress: z.custom<(p: FtnImportProgress) => void>(
    (value) => typeof value === "function",
    { error: "must be a function" },
  ).optional(),
  lastReadUsers: z.custom<ReadonlyMap<number, number>>(
    (value) =>
      value instanceof Map &&
      [...value].every(([number, id]) =>
        Number.isSafeInteger(number) && number >= 0 &&
        Number.isSafeInteger(id) && id >= 1
      ),
    {
      error:
        "must be a Map of base user numbers (integers from 0) to user ids (integers from 1)",
    },
  ).optional(),
  batchSize: z.number({ error: "must be a number" }).int({
    error: "must be an integer",
  }).min(1, { error: "must be at least 1" }).max(10_000, {
    error: "must be at most 10000",
  }).default(500),
  addresses: z.array(ftnAddress, {
    error: "must be an array of FidoNet addresses",
  }).max(100, { error: "must hold at most 100 addresses" })
    .transform((list) => new Set(list)).optional(),
});

/** The options checked, with their defaults. */
export type ParsedFtnOptions = z.output<typeof optionsSchema>;

/** A base read and its options checked: see {@linkcode readMessageBase}. */
export interface FtnSource {
  path: string;
  base: FtnBase;
  options: ParsedFtnOptions;
  /** When reading began (`performance.now()`): the progress's rate counts from it. */
  startedAt: number;
}

/**
 * Checks the options, finds the base's format and reads the whole base, touching no database:
 * the command runs this before it opens (or creates) one.
 *
 * @param path The base's path without extension (`/fido/echo/ru.golded`).
 * @param options The options of {@linkcode importMessageBase}.
 * @returns The base and the options.
 * @throws {StorageError} `validation` for a bad path or option, or when both a JAM and a Squish
 *   base have this name and no `format` says which; `not_found` when neither does.
 */
export async function readMessageBase(
  path: unknown,
  options: unknown,
): Promise<FtnSource> {
  const startedAt = performance.now();
  const o = parse(optionsSchema, options, "options", "importMessageBase");
  if (typeof path !== "string" || path === "" || path.includes("\0")) {
    throw new StorageError(
      "validation",
      "Invalid importMessageBase path: must be the base's path without extension, not empty, without NUL characters",
      { field: "path" },
    );
  }
  const format = o.format ?? await formatOf(path);
  const base = format === "jam"
    ? await readJamBase(path)
    : await readSquishBase(path);
  return { path, base, options: o, startedAt };
}

/**
 * Imports a JAM or Squish message base into the message area tagged `options.area` (made as
 * an echomail area with that echo tag when there is none): every live message not in the area
 * yet, with its names, subject, text, date, MSGID, REPLY, kludges and addresses, replies linked
 * to their parents, then the last-read pointers of the users the base's records name. It
 * imports in batches of `batchSize` messages, each in one transaction; a failure leaves the
 * batches before it. Running it again, or on a base that overlaps one imported before, adds no
 * message twice: see the README's "Importing FidoNet message bases" for what is kept and how.
 *
 * @param path The base's path without extension.
 * @param storage The target storage.
 * @param options The area, format, default charset, time zone, dry run, progress.
 * @returns What was read, imported and skipped, and why.
 * @throws {StorageError} `validation` for bad options or a storage that is not one; `not_found`
 *   when no base has that path;
 *   whatever the storage throws.
 *
 * @example
 * ```ts ignore
 * import { openStorage } from "@impulse/storage";
 * import { importMessageBase } from "@impulse/storage/import";
 *
 * await using storage = await openStorage("sqlite:./data/board.db");
 * const report = await importMessageBase("/fido/msgbase/ru.golded", storage, {
 *   area: "RU.GOLDED",
 *   charset: "CP866",
 * });
 * console.log(report.counts, report.skipped.length);
 * ```
 */
export async function importMessageBase(
  path: string,
  storage: Storage,
  options: ImportMessageBaseOptions,
): Promise<FtnImportReport> {
  parse(storageSchema, storage, "storage", "importMessageBase");
  return await importSource(await readMessageBase(path, options), storage);
}

/**
 * Imports a base that {@linkcode readMessageBase} read, as {@linkcode importMessageBase} does.
 *
 * @param source The base and its options.
 * @param storage The target storage.
 * @returns The report.
 */
export async function importSource(
  { path, base, options: o, startedAt }: FtnSource,
  storage: Storage,
): Promise<FtnImportReport> {
  const encode = nameEncoder(o.charset);
  return await importFtnBase(base, storage, {
    path,
    area: o.area,
    charset: o.charset,
    timeZone: o.timeZone,
    dryRun: o.dryRun,
    batchSize: o.batchSize,
    onProgress: o.onProgress,
    startedAt,
    lastReadUsers: o.lastReadUsers,
    addresses: o.addresses,
    decode: (raw) => decodeFtnMessage(raw, { defaultCharset: o.charset }),
    nameCrcs: (name) => encode(name).map(jamNameCrc32),
  });
}

/** The format whose files exist for `path` (extensions in any case). */
async function formatOf(path: string): Promise<"jam" | "squish"> {
  const stem = basename(path).toLowerCase();
  let names: string[];
  try {
    names = (await readdir(dirname(path))).map((n) => n.toLowerCase());
  } catch {
    names = [];
  }
  const jam = names.includes(`${stem}.jhr`);
  const squish = names.includes(`${stem}.sqd`);
  if (jam && squish) {
    throw new StorageError(
      "validation",
      `Cannot tell the format of the message base as both ${stem}.jhr (JAM) and ${stem}.sqd (Squish) exist: give the format ("jam" or "squish")`,
      { field: "options.format" },
    );
  }
  if (!jam && !squish) {
    throw new StorageError(
      "not_found",
      `Cannot import the message base as there is no JAM (.jhr) or Squish (.sqd) base at this path: ${path}`,
    );
  }
  return jam ? "jam" : "squish";
}
