/**
 * The migration runner: apply, revert, inspect and verify the package's own migrations, or a
 * caller's own set from a directory of `NNNN_name.up.sql` / `NNNN_name.down.sql` files (tracked
 * separately, so a BBS can migrate its own tables the same way).
 *
 * @example
 * ```ts
 * import { openMigrator } from "@impulse/storage/migrate";
 *
 * await using migrator = await openMigrator("sqlite::memory:");
 * const steps = await migrator.up();
 * console.log(steps.map((s) => `${s.version} ${s.name}`));
 * ```
 *
 * @module
 */
import { z } from "zod";
import { manifest } from "../../migrations/mod.ts";
import { assertDriversDistinct, connect, driverList } from "../connect.ts";
import type { AnyDriver } from "../storage.ts";
import { asStorageError, StorageError } from "../errors.ts";
import { describe } from "../describe.ts";
import * as runtime from "../runtime.ts";
import * as V from "../validate.ts";
import { fileName, loadMigrations } from "./migration.ts";
import { Migrator, OWN_SET } from "./migrator.ts";

export {
  acceptedChecksums,
  checksum,
  fileName,
  isNoTransaction,
  loadMigrations,
  pairMigrations,
} from "./migration.ts";
export type {
  Migration,
  MigrationCode,
  MigrationFile,
  MigrationNote,
} from "./migration.ts";
export type { KeptNote } from "./notes.ts";
export { Migrator, newest, OWN_SET } from "./migrator.ts";
export type {
  DownOptions,
  MigrationStep,
  MigratorOptions,
  VerifyOptions,
} from "./migrator.ts";
export type { UnprovenColumn, VerifyReport } from "./verify.ts";
export { assertMigratable, migrationStatus } from "./plan.ts";
export type {
  AppliedMigration,
  MigrationState,
  MigrationStatus,
} from "./plan.ts";
export type {
  MigrationQuery,
  MigrationTarget,
  ScratchOptions,
  ScratchTarget,
  TableShape,
} from "./target.ts";

/** Options of {@linkcode openMigrator}. */
export interface OpenMigratorOptions {
  /** A directory holding a caller's own migration set; the package's own set by default. */
  dir?: string;
  /** The name the set is tracked under: `"impulse"` for the package's set, `"app"` for a `dir`. */
  set?: string;
  /**
   * How long `up`, `down` and `to` wait for another process's migration, in milliseconds (for
   * PostgreSQL's migration lock; on SQLite for each step's write lock); defaults to 60000.
   */
  lockTimeoutMs?: number;
  /**
   * Open for reading only: a missing database is `not_found` (nothing is created), a SQLite
   * file is opened read-only, `status()` and `verify()` work (verify on its scratch copy), and
   * `up()`, `down()` and `to()` fail as `validation`.
   */
  readOnly?: boolean;
  /**
   * Drivers of your own, consulted by URL scheme before the built-in ones, as
   * `openStorage`'s `drivers` (each with its options' defaults: no section is passed).
   */
  drivers?: readonly AnyDriver[];
}

/**
 * Opens a database for migrating (without migrating it).
 *
 * @param url The database URL, as for `openStorage`.
 * @param options The migration set, the lock timeout, and whether to open read-only.
 * @returns The runner; close it when done.
 * @throws {StorageError} `validation` for a bad URL, option or set name; `migration` for a
 * malformed set; `not_found` when a read-only open finds no database; `unavailable` when it
 * cannot be opened.
 *
 * @example
 * ```ts
 * import { openMigrator } from "@impulse/storage/migrate";
 * import assert from "node:assert/strict";
 *
 * await using migrator = await openMigrator("sqlite::memory:");
 * assert.ok((await migrator.status()).every((line) => line.state === "pending"));
 * ```
 */
export async function openMigrator(
  url: string,
  options: OpenMigratorOptions = {},
): Promise<Migrator> {
  try {
    const o = V.parse(migratorOptions, options, "options", "openMigrator");
    const readOnly = o.readOnly === true;
    const defaults = V.parse(
      V.openOptions,
      { migrate: "off" },
      "options",
      "openMigrator",
    );
    const set = setName(o);
    assertDriversDistinct(o.drivers ?? [], "openMigrator");
    const connection = await connect(url, { ...defaults, readOnly }, {
      drivers: o.drivers ?? [],
    });
    try {
      const migrations = o.dir === undefined
        ? manifest[connection.dialect] ?? []
        : await loadMigrations(o.dir, connection.dialect);
      return new Migrator(connection.migrationTarget(), migrations, {
        set,
        lockTimeoutMs: o.lockTimeoutMs,
        readOnly,
      });
    } catch (error) {
      await connection.close();
      throw error;
    }
  } catch (error) {
    throw asStorageError(error, "openMigrator");
  }
}

/** A directory path: a non-empty string without NUL characters. */
const migrationDir = z.string({ error: "must be a string" }).min(1, {
  error: "must not be empty",
}).refine((s) => !s.includes("\0"), {
  error: "must not contain NUL characters",
});

const migratorOptions: z.ZodType<OpenMigratorOptions> = z.strictObject({
  dir: migrationDir.optional(),
  set: z.string({ error: "must be a string" }).optional(),
  lockTimeoutMs: V.int(0, 3_600_000).optional(),
  readOnly: z.boolean({ error: "must be a boolean" }).optional(),
  drivers: driverList,
}).default({});

function setName(options: OpenMigratorOptions): string {
  const own = options.dir === undefined;
  const set = options.set ?? (own ? OWN_SET : "app");
  const fail = (message: string) => {
    throw new StorageError("validation", message, { field: "set" });
  };
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(set)) {
    fail(
      `Invalid set name: use 1 to 100 letters, digits, "_" and "-": got ${
        describe(set)
      }`,
    );
  }
  if (!own && set === OWN_SET) {
    fail(
      `Invalid set name: "${OWN_SET}" is the package's own: choose another for a set from a directory`,
    );
  }
  if (own && set !== OWN_SET) {
    fail(
      `Invalid set name: the package's own migrations are tracked as "${OWN_SET}": got another ` +
        `name (${describe(set)}) without a directory`,
    );
  }
  return set;
}

/**
 * Creates the up and down files of a new migration, numbered after the newest in `dir`. When
 * `dir` has sub-folders (one per dialect, like the package's own `migrations/`), the files are
 * written into each of them under one version, numbered after the newest of them all.
 *
 * @param dir The directory of the set (created if missing).
 * @param name The migration's name: letters, digits, `_` and `-`.
 * @returns The paths written.
 * @throws {StorageError} `validation` for a bad name or a directory that is not a path;
 * `unavailable` when the files cannot be
 * written there.
 */
export async function createMigration(
  dir: string,
  name: string,
): Promise<string[]> {
  V.parse(migrationDir, dir, "dir", "createMigration");
  if (typeof name !== "string" || !/^[A-Za-z0-9_-]{1,100}$/.test(name)) {
    throw new StorageError(
      "validation",
      `Invalid migration name: use 1 to 100 letters, digits, "_" and "-": got ${
        describe(name)
      }`,
      { field: "name" },
    );
  }
  try {
    return await writeMigration(dir, name);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    const permission = error instanceof runtime.errors.NotCapable
      ? "permission is missing: run with --allow-read and --allow-write on it"
      : `${(error as Error)?.message}: give a writable directory`;
    throw new StorageError(
      "unavailable",
      `Cannot create the migration files in ${dir} as ${permission}`,
      { cause: error },
    );
  }
}

async function writeMigration(dir: string, name: string): Promise<string[]> {
  await runtime.mkdirAll(dir);
  const subDirs: string[] = [];
  for (const entry of await runtime.readDir(dir)) {
    if (entry.isDirectory) subDirs.push(`${dir}/${entry.name}`);
  }
  const dirs = subDirs.length > 0 ? subDirs.sort() : [dir];
  let newestVersion = 0;
  for (const d of dirs) {
    for (const entry of await runtime.readDir(d)) {
      const version = /^(\d+)_/.exec(entry.name)?.[1];
      if (version) newestVersion = Math.max(newestVersion, Number(version));
    }
  }
  const paths: string[] = [];
  for (const d of dirs) {
    const [up, down] = (["up", "down"] as const).map((direction) =>
      `${d}/${fileName(newestVersion + 1, name, direction)}`
    );
    await runtime.writeNewTextFile(up!, `-- ${name}: up\n`);
    await runtime.writeNewTextFile(
      down!,
      `-- ${name}: down (revert the up script; set aside any data it removes, in a table the up\n` +
        `-- script restores from, or \`migrate down\` refuses without --force)\n`,
    );
    paths.push(up!, down!);
  }
  return paths;
}
