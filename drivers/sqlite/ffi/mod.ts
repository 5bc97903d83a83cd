/**
 * The SQLite driver on the FFI engine: a libsqlite3 shared library loaded with `Deno.dlopen`,
 * for a newer SQLite, one with extensions, an encrypted build such as SQLCipher, or a Deno
 * without `node:sqlite`. `openStorage("sqlite:<path>?engine=ffi")` loads it; import this entry
 * to use the engine directly. It runs on Deno only (with `--allow-ffi`): on Node and Bun,
 * `engine=ffi` fails as `unavailable`, saying so; the default engine (`node:sqlite`) runs there.
 *
 * The library is found from the `library` option (or the URL's `library=`), else
 * `DENO_SQLITE_PATH`, else the platform's usual names (`libsqlite3.so.0`, `libsqlite3.so`,
 * `libsqlite3.dylib`, `sqlite3.dll`).
 *
 * Permissions: `--allow-ffi`, plus `--allow-read` and `--allow-write` on the database's directory
 * (FFI code is not bound by them; the driver still creates the directory through Deno), and
 * `--allow-env` to read `DENO_SQLITE_PATH`.
 *
 * @example Opening a storage on the FFI engine
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:?engine=ffi");
 * const user = await storage.users.create({ username: "sysop", passwordHash: "x" });
 * assert.equal((await storage.users.get(user.id))?.username, "sysop");
 * ```
 *
 * @module
 */
import type { Driver } from "../../../driver.ts";
import { SqliteConnection } from "../connection.ts";
import { engineChoice, parseSqliteUrl } from "../url.ts";
import { nodeEngine } from "../engine.ts";
import { ffiEngine } from "./engine.ts";
import { type SqliteOptions, sqliteOptions } from "../options.ts";

export {
  type FfiEngine,
  ffiEngine,
  type FfiEngineOptions,
  SqliteFfiError,
} from "./engine.ts";
export type {
  EngineDatabase,
  EngineOpenOptions,
  EngineStatement,
  SqliteEngine,
} from "../engine.ts";
export type { NamedRow, Row } from "../../../driver.ts";

/**
 * The driver for `sqlite:` URLs on the FFI engine (unless the URL or options choose the
 * built-in one). `openStorage` does not need it: it reaches the FFI engine through the URL.
 *
 * @ignore
 * @example
 * ```ts
 * import { driver } from "@impulse/storage/sqlite-ffi";
 *
 * const connection = await driver.connect("sqlite::memory:", {
 *   migrate: "off",
 *   acquireTimeoutMs: 1000,
 *   retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 50 },
 * });
 * await connection.close();
 * ```
 */
export const driver: Driver<SqliteOptions, "sqlite"> = {
  name: "sqlite",
  schemes: ["sqlite:"],
  options: sqliteOptions,
  connect(url, options) {
    const { params } = parseSqliteUrl(url);
    const chosen = engineChoice(params, options.driver).engine !== undefined;
    return SqliteConnection.open(
      chosen ? nodeEngine : ffiEngine(),
      url,
      options,
    );
  },
};
