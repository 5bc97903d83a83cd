/**
 * The conformance suite, for driver authors: {@linkcode conformance} registers with `Deno.test`
 * every test the built-in drivers (SQLite, SQLite on FFI, PostgreSQL) pass, against a driver of
 * your own. Each test opens a storage on a fresh, empty database and checks one promise of the
 * README through the public API: users, areas, messages, files, sessions, search, settings, the
 * event log, transactions, lengths and errors, and what a user may read and write through
 * `storage.as()` (areas' access, private mail).
 *
 * ```ts ignore
 * import { openStorage } from "@impulse/storage";
 * import { conformance } from "@impulse/storage/testing";
 *
 * conformance({
 *   name: "sqlite-file",
 *   async open() {
 *     const dir = await Deno.makeTempDir();
 *     const url = `sqlite:${dir}/board.db`;
 *     return {
 *       open: (options) => openStorage(url, options),
 *       [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
 *     };
 *   },
 *   capabilities: { snapshotReads: true, persistent: true },
 * });
 * ```
 *
 * Run it with `deno test` and the permissions the driver needs (for the example,
 * `--allow-read --allow-write` on the temporary directory); the suite itself needs none.
 *
 * @module
 */
import { z } from "zod";
import * as V from "../validate.ts";
import {
  type Capabilities,
  CASES,
  type ConformanceOptions,
  type TestDatabase,
} from "./_case.ts";
import "./_users.ts";
import "./_user_admin.ts";
import "./_user_status.ts";
import "./_user_props.ts";
import "./_names.ts";
import "./_areas.ts";
import "./_area_admin.ts";
import "./_area_delete.ts";
import "./_messages.ts";
import "./_threads.ts";
import "./_files.ts";
import "./_domain_files.ts";
import "./_files_access.ts";
import "./_file_depth.ts";
import "./_file_find.ts";
import "./_sessions.ts";
import "./_online.ts";
import "./_session_nodes.ts";
import "./_last_callers.ts";
import "./_search.ts";
import "./_search_words.ts";
import "./_lengths.ts";
import "./_transactions.ts";
import "./_transaction_handle.ts";
import "./_transaction_end.ts";
import "./_consistency.ts";
import "./_settings_events.ts";
import "./_access.ts";
import "./_access_writes.ts";
import "./_access_walk.ts";
import "./_access_attacks.ts";
import "./_privacy.ts";
import "./_app_sql.ts";
import "./_user_counters.ts";
import "./_read_state.ts";
import "./_mail.ts";
import "./_trim.ts";
import "./_message_export.ts";

export type { Capabilities, ConformanceOptions, TestDatabase };

/**
 * Registers the conformance suite with `Deno.test`, one test per case, each named
 * `[<name>] <behaviour>`. Each test calls `options.open()` for a fresh, empty database, opens a
 * storage on it, runs, closes the storage and disposes of the database.
 *
 * @example Run the suite on an in-memory SQLite database
 * ```ts ignore
 * import { openStorage } from "@impulse/storage";
 * import { conformance } from "@impulse/storage/testing";
 *
 * conformance({
 *   name: "sqlite-memory",
 *   open: () =>
 *     Promise.resolve({ open: (options) => openStorage("sqlite::memory:", options) }),
 *   capabilities: { snapshotReads: false, persistent: false },
 * });
 * ```
 *
 * @param options The driver's name, how to make a fresh database, what it can do.
 * @throws {StorageError} `validation` naming the field when `options` is not as described.
 */
export function conformance(options: ConformanceOptions): void {
  const { name, open, ignore } = checked(options);
  const capabilities: Capabilities = {
    snapshotReads: true,
    persistent: true,
    ...options.capabilities,
  };
  for (const { name: behaviour, fn, options: openOptions } of CASES) {
    Deno.test({
      name: `[${name}] ${behaviour}`,
      ignore,
      async fn() {
        const database: TestDatabase = await open();
        try {
          await using storage = await database.open(openOptions);
          await fn(storage, { capabilities, database });
        } finally {
          await database[Symbol.asyncDispose]?.();
        }
      },
    });
  }
}

const capabilitiesSchema = z.strictObject({
  snapshotReads: z.boolean({ error: "must be a boolean" }).optional(),
  persistent: z.boolean({ error: "must be a boolean" }).optional(),
}, { error: "must be an object" });

const optionsSchema = z.strictObject({
  name: V.name(100),
  open: z.custom<ConformanceOptions["open"]>(
    (value) => typeof value === "function",
    { error: "must be a function" },
  ),
  capabilities: capabilitiesSchema.optional(),
  ignore: z.boolean({ error: "must be a boolean" }).optional(),
}, { error: "must be an object" });

/** `options`, or a `validation` error naming the field that is not as described. */
function checked(options: ConformanceOptions): ConformanceOptions {
  return V.parse(optionsSchema, options, "options", "conformance");
}
