/**
 * The built-in databases every conformance test runs against: tests/conformance_test.ts runs the
 * exported suite (src/testing) on each, and the project's own suites register tests per target
 * with {@linkcode conformance}. A driver joins by adding a target here; the tests never ask which
 * database they talk to, only what it can do.
 *
 * @module
 */
import { openStorage } from "../mod.ts";
import type { OpenOptions, Storage } from "../mod.ts";
import type { Capabilities, TestDatabase } from "../src/testing/mod.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";

export type { Capabilities };

/** A fresh database of one kind. */
export interface Fresh extends TestDatabase {
  /** Its URL. */
  url: string;
  /** Removes the database. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** One kind of database. */
export interface Target {
  /** A name for test titles, like `sqlite-file`. */
  name: string;
  /** What it can do. */
  capabilities: Capabilities;
  /** Set when the target cannot run here; tests on it are reported as ignored. */
  ignore?: string;
  /** Creates a fresh, empty database. */
  fresh(): Promise<Fresh>;
}

const sqliteMemory: Target = {
  name: "sqlite-memory",
  capabilities: { snapshotReads: false, persistent: false },
  fresh() {
    const url = "sqlite::memory:";
    return Promise.resolve({
      url,
      open: (options?: OpenOptions) => openStorage(url, options),
      [Symbol.asyncDispose]: () => Promise.resolve(),
    });
  },
};

const sqliteFile: Target = {
  name: "sqlite-file",
  capabilities: { snapshotReads: true, persistent: true },
  async fresh() {
    const dir = await Deno.makeTempDir({ prefix: "impulse-test-" });
    const url = `sqlite:${dir}/board.db`;
    return {
      url,
      open: (options?: OpenOptions) => openStorage(url, options),
      [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
    };
  },
};

/**
 * Why the FFI engine cannot run here (no libsqlite3, no `--allow-ffi`), or `undefined`. Under CI
 * it always runs, so a missing library fails the suite instead of skipping it.
 */
async function ffiUnavailable(): Promise<string | undefined> {
  try {
    (await import("../drivers/sqlite/ffi/engine.ts")).ffiEngine();
    return undefined;
  } catch (error) {
    return Deno.env.get("CI") ? undefined : String(error);
  }
}

/** The SQLite targets again on the FFI engine (`?engine=ffi`). */
function onFfi(target: Target, ignore: string | undefined): Target {
  return {
    name: target.name.replace("sqlite-", "sqlite-ffi-"),
    capabilities: target.capabilities,
    ignore,
    async fresh() {
      const fresh = await target.fresh();
      const url = `${fresh.url}?engine=ffi`;
      return {
        url,
        open: (options?: OpenOptions) => openStorage(url, options),
        [Symbol.asyncDispose]: () => fresh[Symbol.asyncDispose](),
      };
    },
  };
}

const ffiIgnore = await ffiUnavailable();

const postgresTarget: Target = {
  name: "postgres",
  capabilities: { snapshotReads: true, persistent: true },
  ...(postgresMissing === undefined ? {} : { ignore: postgresMissing }),
  async fresh() {
    const database = await createDatabase();
    return {
      url: database.url,
      open: (options?: OpenOptions) => openStorage(database.url, options),
      [Symbol.asyncDispose]: async () => await database[Symbol.asyncDispose](),
    };
  },
};

/** Every target, in a stable order. */
export const TARGETS: readonly Target[] = [
  sqliteMemory,
  sqliteFile,
  onFfi(sqliteMemory, ffiIgnore),
  onFfi(sqliteFile, ffiIgnore),
  postgresTarget,
];

/**
 * Registers one `Deno.test` per target.
 *
 * @param name The behaviour, like `users.create() refuses a taken name`.
 * @param fn The test: receives a fresh storage (closed after) and the target.
 * @param options Open options for the storage.
 * @param ignore Reports the test as ignored on every target (a fixture it needs is missing).
 */
export function conformance(
  name: string,
  fn: (storage: Storage, target: Target, fresh: Fresh) => Promise<void>,
  options?: OpenOptions,
  ignore = false,
): void {
  for (const target of TARGETS) {
    Deno.test({
      name: `[${target.name}] ${name}`,
      ignore: ignore || target.ignore !== undefined,
      async fn() {
        await using fresh = await target.fresh();
        await using storage = await fresh.open(options);
        await fn(storage, target, fresh);
      },
    });
  }
}
