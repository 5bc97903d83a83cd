/**
 * The built-in drivers, loaded by a dynamic `import()` when first needed, so importing the
 * package never loads a driver (or its npm dependency) that the caller does not use. This is the
 * one module outside drivers/ that names a driver (tests/import_graph_test.ts holds that): it
 * knows each built-in driver's name and schemes without loading it, and the types of their
 * option sections for {@linkcode BuiltInDriverOptions}.
 *
 * @module
 */
import type { Driver } from "./driver.ts";
import type { SqliteOptions } from "../drivers/sqlite/options.ts";
import type { PostgresOptions } from "../drivers/postgres/options.ts";

export type { PostgresOptions, SqliteOptions };

/** The built-in drivers' sections of the open options, each typed by its driver. */
export interface BuiltInDriverOptions {
  /**
   * For `sqlite:` URLs: the engine, `"node"` (the built-in `node:sqlite`, the default) or `"ffi"`
   * (a libsqlite3 loaded with `Deno.dlopen`; needs `--allow-ffi`), the FFI engine's library,
   * and the modes of the files and directories the driver creates.
   */
  sqlite?: SqliteOptions;
  /**
   * For `postgres:` URLs: the connection pool. The URL parameters `poolSize=`,
   * `connectTimeoutMs=`, `idleTimeoutMs=` and `statementTimeoutMs=` say the same and win over
   * these.
   */
  postgres?: PostgresOptions;
}

/** A built-in driver before it is loaded. */
export interface BuiltIn {
  /** The driver's name (its section of the open options). */
  readonly name: keyof BuiltInDriverOptions;
  /** Its URL schemes. */
  readonly schemes: readonly string[];
  /** Loads it. */
  load(): Promise<Driver>;
}

/** The built-in drivers; a test checks each against what its module exports. */
export const BUILT_IN: readonly BuiltIn[] = [
  {
    name: "sqlite",
    schemes: ["sqlite:"],
    load: async () =>
      (await import("../drivers/sqlite/mod.ts")).driver as Driver,
  },
  {
    name: "postgres",
    schemes: ["postgres:", "postgresql:"],
    load: async () =>
      (await import("../drivers/postgres/mod.ts")).driver as Driver,
  },
];

/**
 * Loads what `deno task backup` does to a SQLite file (drivers/sqlite/backup_file.ts), only
 * when that command runs.
 */
export function loadSqliteBackup(): Promise<
  typeof import("../drivers/sqlite/backup_file.ts")
> {
  return import("../drivers/sqlite/backup_file.ts");
}
