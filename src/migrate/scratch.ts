/**
 * Where `verify` works, and how it stops when asked to. Its scratch copy holds everything the
 * database holds (password hashes, private mail): on SQLite it lives in a directory of its own,
 * mode 0700, its files created 0600 before anything is written to them, and the whole
 * directory is removed after, also when the run is cancelled. A run is cancelled through an
 * `AbortSignal`: every step on the scratch copy checks it first, so a cancelled run stops at the
 * next statement it would have started and removes its copy on the way out.
 *
 * @module
 */
import { StorageError } from "../errors.ts";
import * as runtime from "../runtime.ts";
import type { MigrationQuery, MigrationTarget } from "./target.ts";

/** A private directory for scratch files, removed on dispose. */
export interface ScratchPlace extends AsyncDisposable {
  /** The directory (mode 0700). */
  readonly dir: string;
  /**
   * Creates an empty file in the directory, mode 0600, for a copy to be written into.
   *
   * @param name The file's name.
   * @returns Its path.
   */
  file(name: string): Promise<string>;
}

/** The mode of a scratch directory: its owner's alone. */
export const SCRATCH_DIR_MODE = 0o700;
/** The mode of a scratch file. */
export const SCRATCH_FILE_MODE = 0o600;

/**
 * Creates a private scratch directory in the system's temporary directory (`TMPDIR`).
 *
 * @param prefix The start of its name.
 * @returns The place; dispose of it to remove the directory and everything in it.
 * @throws {StorageError} `unavailable` when it cannot be created.
 */
export async function scratchPlace(
  prefix = "impulse-verify-",
): Promise<ScratchPlace> {
  let dir: string;
  try {
    dir = await runtime.makeTempDir(prefix);
    // makeTempDir's mode depends on the platform and the umask: make it the owner's alone.
    await runtime.chmod(dir, SCRATCH_DIR_MODE);
  } catch (error) {
    throw new StorageError(
      "unavailable",
      `Cannot create a scratch directory for verify: ${
        error instanceof Error ? error.message : String(error)
      }: set TMPDIR to a writable directory`,
      { cause: error },
    );
  }
  return {
    dir,
    async file(name) {
      const path = `${dir}/${name}`;
      await runtime.createNew(path, SCRATCH_FILE_MODE);
      await runtime.chmod(path, SCRATCH_FILE_MODE);
      return path;
    },
    async [Symbol.asyncDispose]() {
      await runtime.removeAll(dir).catch((error) => {
        if (!(error instanceof runtime.errors.NotFound)) throw error;
      });
    },
  };
}

/**
 * The error of a cancelled run.
 *
 * @param signal The signal that cancelled it.
 * @returns A `StorageError` of kind `unavailable`, the signal's reason as its cause.
 */
export function cancelled(signal: AbortSignal): StorageError {
  const reason = signal.reason instanceof Error
    ? signal.reason.message
    : String(signal.reason);
  return new StorageError(
    "unavailable",
    `Verify was cancelled: ${reason}: its scratch copy was removed and the database was not changed`,
    { cause: signal.reason },
  );
}

/**
 * Throws {@linkcode cancelled} when the signal has fired.
 *
 * @param signal The signal, if any.
 * @throws {StorageError} `unavailable` when it fired.
 */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled(signal);
}

/** The methods of a target that start work on the database. */
const STARTS_WORK = new Set<PropertyKey>([
  "withLock",
  "read",
  "transaction",
  "execScript",
  "schema",
]);

/** The statements of a transaction's {@linkcode MigrationQuery}. */
const STATEMENTS = new Set<PropertyKey>(["exec", "all", "run", "hasTable"]);

/** A transaction's statements, each refused once `signal` has fired. */
function guardedQuery(q: MigrationQuery, signal: AbortSignal): MigrationQuery {
  return new Proxy(q, {
    get(object, property) {
      const value = Reflect.get(object, property, object);
      if (typeof value !== "function") return value;
      if (!STATEMENTS.has(property)) return value.bind(object);
      return (...args: unknown[]) => {
        throwIfCancelled(signal);
        return value.apply(object, args);
      };
    },
  });
}

/**
 * A target that refuses to start work once `signal` has fired: each of its methods that reaches
 * the database lets the event loop turn (so the listeners that fire the signal get to run),
 * checks the signal, and checks it again when its work ends, so a cancelled run does not go on
 * to its next step. Inside a transaction (`read`, `transaction`) every statement checks it
 * first too, so a long trial stops at its next statement (rolled back); the statement running
 * as the signal fires is the driver's to cancel (see `ScratchTarget` in `target.ts`).
 *
 * @param target The target.
 * @param signal The signal; without one the target is returned as it is.
 * @returns The guarded target.
 */
export function guarded<T extends MigrationTarget>(
  target: T,
  signal: AbortSignal | undefined,
): T {
  if (signal === undefined) return target;
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object);
      if (typeof value !== "function") return value;
      if (!STARTS_WORK.has(property)) return value.bind(object);
      return async (...args: unknown[]) => {
        // A turn of the event loop first: SQLite's statements run synchronously, so without it
        // a signal's listener (Ctrl-C) would not run until the whole check had ended.
        await new Promise((resolve) => setTimeout(resolve, 0));
        throwIfCancelled(signal);
        if (
          (property === "transaction" || property === "read") &&
          typeof args[0] === "function"
        ) {
          const fn = args[0] as (q: MigrationQuery) => unknown;
          args = [
            (q: MigrationQuery) => fn(guardedQuery(q, signal)),
            ...args.slice(1),
          ];
        }
        const result = await value.apply(object, args);
        throwIfCancelled(signal);
        return result;
      };
    },
  });
}
