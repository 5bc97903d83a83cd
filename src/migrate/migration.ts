/**
 * Migrations as data: their shape, their checksum, and loading a set from a directory of
 * `NNNN_name.up.sql` / `NNNN_name.down.sql` files.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { StorageError } from "../errors.ts";
import { parse } from "../validate.ts";
import type { MigrationQuery } from "./target.ts";

/** One migration: an up script and the down script that reverts it. */
export interface Migration {
  /** A positive integer; applied in ascending order. */
  readonly version: number;
  /** The name from the file name, like `create_users`. */
  readonly name: string;
  /** The up script. */
  readonly up: string;
  /** The down script. */
  readonly down: string;
  /** SHA-256 (hex) of the up script with CRLF normalised to LF. */
  readonly checksum: string;
  /** Code run in the same transaction right after each script (the package's own set only). */
  readonly code?: MigrationCode;
}

/**
 * What a migration's code found in the data that someone must act on, such as two users whose
 * names became one name.
 */
export interface MigrationNote {
  /** The table holding the rows. */
  table: string;
  /** The ids of the rows, in the order the message names them. */
  ids: number[];
  /** What was found, what the migration did about it, and what to do. */
  message: string;
}

/**
 * The part of a migration that SQL cannot compute (a Unicode case fold, say), run in the
 * migration's transaction right after its up script, or its down script. Each returns its notes;
 * a code step never fails over the data it finds: it keeps every row and notes what needs a
 * person. Only the package's own set has code (the manifest attaches `NNNN_name.ts` files); a
 * set loaded from a directory is SQL only.
 */
export interface MigrationCode {
  /** Runs after the up script. */
  up(q: MigrationQuery): Promise<MigrationNote[]>;
  /** Runs after the down script, undoing what `up` did. */
  down(q: MigrationQuery): Promise<MigrationNote[]>;
}

const FILE = /^(\d+)_([A-Za-z0-9_-]+)\.(up|down)\.sql$/;
const NO_TRANSACTION = /^--\s*no-transaction\s*$/;

/**
 * The checksum of a migration script: SHA-256, hex, over the text with CRLF normalised to LF.
 *
 * @param script The script text.
 * @returns 64 hex digits.
 */
export function checksum(script: string): string {
  return createHash("sha256").update(script.replaceAll("\r\n", "\n")).digest(
    "hex",
  );
}

/**
 * Whether a script opts out of the transaction with a first line `-- no-transaction`.
 *
 * @param script The script text.
 * @returns `true` if the script must run outside a transaction.
 */
export function isNoTransaction(script: string): boolean {
  return NO_TRANSACTION.test(script.split(/\r?\n/, 1)[0] ?? "");
}

/** A file of a migration set, before pairing. */
export interface MigrationFile {
  /** The file name, like `0001_create_users.up.sql`. */
  name: string;
  /** Its text. */
  text: string;
}

/**
 * Pairs up and down files into migrations, sorted by version.
 *
 * @param files The files of one set (other names are ignored).
 * @returns The migrations.
 * @throws {StorageError} `migration` on a duplicate version or an up without its down (or a down
 * without its up), naming the version.
 */
export function pairMigrations(files: readonly MigrationFile[]): Migration[] {
  const byVersion = new Map<
    number,
    { name: string; up?: string; down?: string }
  >();
  for (const file of files) {
    const match = FILE.exec(file.name);
    if (!match) continue;
    const version = Number(match[1]);
    const name = match[2]!;
    const direction = match[3] as "up" | "down";
    const entry = byVersion.get(version) ?? { name };
    if (entry.name !== name || entry[direction] !== undefined) {
      throw new StorageError(
        "migration",
        `Duplicate migration version ${version}: "${entry.name}" and "${name}" share it; renumber one of them`,
        { version },
      );
    }
    entry[direction] = file.text;
    byVersion.set(version, entry);
  }
  const migrations: Migration[] = [];
  for (const [version, entry] of byVersion) {
    if (version < 1 || !Number.isSafeInteger(version)) {
      throw new StorageError(
        "migration",
        `Migration version must be a positive integer: got ${version}`,
        {
          version,
        },
      );
    }
    if (entry.up === undefined || entry.down === undefined) {
      const missing = entry.up === undefined ? "up" : "down";
      throw new StorageError(
        "migration",
        `Migration ${version} (${entry.name}) has no ${missing} file: add ${
          fileName(version, entry.name, missing)
        }`,
        { version },
      );
    }
    migrations.push({
      version,
      name: entry.name,
      up: entry.up,
      down: entry.down,
      checksum: checksum(entry.up),
    });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

/**
 * The file name of a migration script.
 *
 * @param version The version.
 * @param name The name.
 * @param direction `up` or `down`.
 * @returns A name like `0001_create_users.up.sql`.
 */
export function fileName(
  version: number,
  name: string,
  direction: "up" | "down",
): string {
  return `${String(version).padStart(4, "0")}_${name}.${direction}.sql`;
}

/**
 * Loads a migration set from a directory. If the directory has a sub-directory named after the
 * dialect (`sqlite/`, `postgres/`), that is used instead.
 *
 * @param dir The directory.
 * @param dialect The database dialect.
 * @returns The migrations, sorted by version.
 * @throws {StorageError} `validation` when `dir` is not a path or `dialect` not a name;
 * `migration` when the directory cannot be read or the set is malformed.
 */
export async function loadMigrations(
  dir: string,
  dialect: string,
): Promise<Migration[]> {
  parse(DIR, dir, "dir", "loadMigrations");
  parse(DIALECT, dialect, "dialect", "loadMigrations");
  const chosen = await isDirectory(`${dir}/${dialect}`)
    ? `${dir}/${dialect}`
    : dir;
  const files: MigrationFile[] = [];
  try {
    for await (const entry of Deno.readDir(chosen)) {
      if (entry.isFile && FILE.test(entry.name)) {
        files.push({
          name: entry.name,
          text: await Deno.readTextFile(`${chosen}/${entry.name}`),
        });
      }
    }
  } catch (error) {
    throw new StorageError(
      "migration",
      `Cannot read the migration directory: ${chosen}: ${
        (error as Error).message
      }`,
      { cause: error },
    );
  }
  return pairMigrations(files);
}

/** A directory path: a non-empty string without NUL characters. */
const DIR = z.string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .refine((s) => !s.includes("\0"), {
    error: "must not contain NUL characters",
  });
/** A dialect's name, such as `sqlite`: it names a sub-folder. */
const DIALECT = z.string({ error: "must be a string" }).regex(
  /^[A-Za-z0-9_-]{1,64}$/,
  {
    error: 'must be a dialect name such as "sqlite"',
  },
);

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
