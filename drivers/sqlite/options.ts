/**
 * The SQLite driver's section of the open options (`options.sqlite`): its type, as callers see
 * it, and its schema.
 *
 * @module
 */
import { z } from "zod";
import {
  type ConnectOptions,
  type OptionsSchema,
  optionsSchema,
} from "../../driver.ts";

/**
 * For `sqlite:` URLs: the engine, `"node"` (the built-in `node:sqlite`, the default) or `"ffi"`
 * (a libsqlite3 loaded with `Deno.dlopen`; needs `--allow-ffi`), and for the FFI engine the
 * library to load. The URL parameters `engine=` and `library=` say the same; they must agree.
 */
export interface SqliteOptions {
  /** `"node"` (the default) or `"ffi"`. */
  engine?: "node" | "ffi";
  /** A libsqlite3 path or name for the FFI engine; implies `engine: "ffi"`. */
  library?: string;
  /**
   * The mode of a database file the driver creates (SQLite gives its `-wal` and `-shm` files
   * the same); defaults to `0o600`, readable by the owner only. It must let the owner read
   * and write. A file that exists keeps its mode.
   */
  fileMode?: number;
  /**
   * The mode of the database's directory when the driver creates it; defaults to `0o700`. It
   * must let the owner in (read, write and search). A directory that exists keeps its mode.
   */
  dirMode?: number;
}

/** A Unix permission mode (0–0o777) that grants the owner at least `owner`. */
function mode(owner: number) {
  const octal = `0o${owner.toString(8)}`;
  return z.number({ error: "must be a number" })
    .int({ error: "must be an integer" })
    .min(0, { error: "must be at least 0" })
    .max(0o777, { error: `must be at most ${0o777}` })
    .refine((m) => (m & owner) === owner, {
      error: `must grant the owner at least ${octal}`,
    });
}

/** The schema of {@linkcode SqliteOptions} (internal: the type test holds the two together). */
export const sqliteOptionsSchema = z.strictObject({
  engine: z.enum(["node", "ffi"], { error: 'must be "node" or "ffi"' })
    .optional(),
  library: z.string({ error: "must be a string" })
    .min(1, { error: "must not be empty" }).optional(),
  fileMode: mode(0o600).optional(),
  dirMode: mode(0o700).optional(),
});

/** The SQLite driver's options schema. */
export const sqliteOptions: OptionsSchema<SqliteOptions> = optionsSchema(
  sqliteOptionsSchema,
);

/** The open options the driver connects with, its own section as `driver`. */
export type SqliteConnectOptions = ConnectOptions<SqliteOptions>;
