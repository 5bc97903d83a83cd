/**
 * The SQLite driver, on Deno's built-in `node:sqlite`. `openStorage("sqlite:…")` loads it; import
 * this entry only to use its parts directly.
 *
 * Permissions: `--allow-read` and `--allow-write` on the database's directory. No `--allow-ffi`.
 *
 * @example
 * ```ts
 * import { openStorage } from "@impulse/storage";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const user = await storage.users.create({ username: "sysop", passwordHash: "x" });
 * ```
 *
 * @module
 */
import type { Driver } from "../../driver.ts";
import { SqliteConnection } from "./connection.ts";
import { nodeEngine } from "./engine.ts";
import { type SqliteOptions, sqliteOptions } from "./options.ts";

export type {
  EngineDatabase,
  EngineOpenOptions,
  EngineStatement,
  SqliteEngine,
} from "./engine.ts";
export { nodeEngine } from "./engine.ts";
export type { SqliteOptions } from "./options.ts";

/**
 * The driver for `sqlite:` URLs, on the built-in engine (or the FFI engine, when the URL or
 * `options.sqlite` choose it).
 */
export const driver: Driver<SqliteOptions, "sqlite"> = {
  name: "sqlite",
  schemes: ["sqlite:"],
  options: sqliteOptions,
  connect: (url, options) => SqliteConnection.open(nodeEngine, url, options),
};
