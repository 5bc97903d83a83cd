/**
 * The scratch copy of `migrate verify`: the whole database file, schema and rows, copied through
 * the writer into a private scratch directory (mode 0700, the file created 0600 before a byte is
 * written; SQLite gives its -wal and -shm the same mode), and removed after, whatever happens.
 *
 * @module
 */
import {
  type ScratchOptions,
  scratchPlace,
  type ScratchTarget,
  throwIfCancelled,
} from "../../driver.ts";
import type { SqliteConnectOptions } from "./options.ts";
import { SqliteConnection } from "./connection.ts";
import type { SqliteEngine } from "./engine.ts";

/**
 * Copies the connection's database whole into a private scratch directory.
 *
 * @param connection The connection of the database verified.
 * @param engine Its engine, which opens the copy.
 * @param options Its open options.
 * @param scratch `signal`: cancels the copy.
 * @returns The copy's target; disposing of it removes the directory.
 * @throws {StorageError} as the copy fails; `unavailable` when cancelled.
 */
export async function scratchFile(
  connection: SqliteConnection,
  engine: SqliteEngine,
  options: SqliteConnectOptions,
  scratch: ScratchOptions = {},
): Promise<ScratchTarget> {
  throwIfCancelled(scratch.signal);
  const place = await scratchPlace();
  let copy: SqliteConnection | undefined;
  try {
    const path = await place.file("scratch.db");
    await connection.withWriter(
      "verify",
      connection.deadline(),
      (db) => db.copyTo(path),
    ).catch((error) => {
      throw connection.map(error, "migration");
    });
    throwIfCancelled(scratch.signal);
    copy = await SqliteConnection.open(engine, `sqlite:${path}`, {
      ...options,
      migrate: "off",
      create: true,
      readOnly: false,
    });
    const opened = copy;
    return Object.assign(opened.migrationTarget(), {
      whole: true,
      copyRows: () => Promise.resolve(),
      async [Symbol.asyncDispose]() {
        try {
          await opened.close();
        } finally {
          await place[Symbol.asyncDispose]();
        }
      },
    });
  } catch (error) {
    try {
      await copy?.close();
    } finally {
      await place[Symbol.asyncDispose]();
    }
    throw error;
  }
}
