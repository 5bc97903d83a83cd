/**
 * Migrations as data: their shape, their checksum, and loading a set from a directory of
 * `NNNN_name.up.sql` / `NNNN_name.down.sql` files.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { StorageError } from "../errors.ts";
import * as runtime from "../runtime.ts";
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
  /**
   * SHA-256 (hex) of the up script with CRLF normalised to LF, its `-- accepts checksum` lines
   * left out (see {@linkcode checksum}).
   */
  readonly checksum: string;
  /**
   * Earlier checksums of this migration that a database may have applied instead: the up
   * script's `-- accepts checksum <sha256 hex>` lines. A tracking row with one of them counts as
   * applied, as one with {@linkcode Migration.checksum} does. Empty or absent for most.
   */
  readonly acceptedChecksums?: readonly string[];
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
/** A file meant as a migration, whether or not its name is right (`1e3_x.up.sql`, `0002_a b.UP.sql`). */
const MEANT = /\.(up|down)\.sql$/i;

/**
 * The checksum of a migration script: SHA-256, hex, over the text with CRLF normalised to LF and
 * its accepts lines (see {@linkcode acceptedChecksums}) left out, so that naming an earlier
 * checksum does not itself change the migration's.
 *
 * @param script The script text.
 * @returns 64 hex digits.
 */
export function checksum(script: string): string {
  const lines = script.replaceAll("\r\n", "\n").split("\n");
  const header = headerLength(lines);
  const kept = lines.filter((line, i) => !(i < header && ACCEPTS.test(line)));
  return createHash("sha256").update(kept.join("\n")).digest("hex");
}

/**
 * The earlier checksums an up script accepts as applied: its lines
 * `-- accepts checksum <64 lower-case hex digits>`, each in the comment lines that open the
 * file (before its first line that is neither a `--` comment nor blank).
 *
 * When an applied migration must be corrected (never to change what a database holds, only
 * how a later run behaves), the corrected file names the checksum of each version it replaces,
 * so databases that applied those stay valid. The lines are left out of the checksum.
 *
 * @param script The up script.
 * @param version The migration's version, for errors.
 * @returns The checksums, without duplicates, in file order.
 * @throws {StorageError} `migration` naming the version and the line for an accepts line that
 * is malformed (not exactly `-- accepts checksum` and 64 lower-case hex digits) or stands
 * after the opening comments.
 *
 * @example
 * ```ts
 * import { acceptedChecksums } from "./migration.ts";
 * import assert from "node:assert/strict";
 *
 * const up = `-- accepts checksum ${"a".repeat(64)}\nCREATE TABLE t (id INTEGER);\n`;
 * assert.deepEqual(acceptedChecksums(up, 1), ["a".repeat(64)]);
 * ```
 */
export function acceptedChecksums(script: string, version: number): string[] {
  const lines = script.replaceAll("\r\n", "\n").split("\n");
  const header = headerLength(lines);
  const accepted: string[] = [];
  for (const [i, line] of lines.entries()) {
    const valid = ACCEPTS.exec(line);
    if (valid && i < header) {
      if (!accepted.includes(valid[1]!)) accepted.push(valid[1]!);
      continue;
    }
    if (!valid && !LOOKS_LIKE_ACCEPTS.test(line)) continue;
    const problem = valid
      ? "stands after the opening comments: move it to the top of the file"
      : "is malformed: write it as -- accepts checksum <64 lower-case hex digits>";
    throw new StorageError(
      "migration",
      `Migration ${version}: the accepts line ${i + 1} ${problem}: got ${
        JSON.stringify(line)
      }`,
      { version },
    );
  }
  return accepted;
}

/** An accepts line as it must be written. */
const ACCEPTS = /^-- accepts checksum ([0-9a-f]{64})$/;
/** A line meant as one (any case or spacing), which must then be written as {@linkcode ACCEPTS}. */
const LOOKS_LIKE_ACCEPTS = /^\s*--\s*accepts?\s+checksums?\b/i;

/** How many lines open the file as comments or blank lines. */
function headerLength(lines: readonly string[]): number {
  const first = lines.findIndex((line) =>
    line.trim() !== "" && !line.startsWith("--")
  );
  return first === -1 ? lines.length : first;
}

export { isNoTransaction } from "./no_transaction.ts";

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
 * @throws {StorageError} `migration` on a duplicate version, an up without its down (or a down
 * without its up), or a malformed accepts line (see {@linkcode acceptedChecksums}), naming the
 * version.
 */
export function pairMigrations(files: readonly MigrationFile[]): Migration[] {
  const byVersion = new Map<
    number,
    { name: string; up?: string; down?: string }
  >();
  for (const file of files) {
    const match = FILE.exec(file.name);
    if (!match) {
      if (!MEANT.test(file.name)) continue;
      // Skipping it would leave a step out of the set without a word.
      throw new StorageError(
        "migration",
        `The file ${
          JSON.stringify(file.name)
        } looks like a migration but its name is not NNNN_name.up.sql or NNNN_name.down.sql (digits, an underscore, then letters, digits, _ or -): rename it, or move it out of the set`,
      );
    }
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
    const accepted = acceptedChecksums(entry.up, version);
    migrations.push({
      version,
      name: entry.name,
      up: entry.up,
      down: entry.down,
      checksum: checksum(entry.up),
      ...(accepted.length > 0 ? { acceptedChecksums: accepted } : {}),
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
    for (const entry of await runtime.readDir(chosen)) {
      if (entry.isFile && MEANT.test(entry.name)) {
        files.push({
          name: entry.name,
          text: await runtime.readTextFile(`${chosen}/${entry.name}`),
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
    return (await runtime.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
