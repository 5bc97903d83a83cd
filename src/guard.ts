/**
 * A caller's driver behind a guard: whatever it throws reaches the caller as a
 * {@linkcode StorageError} (a raw error becomes `internal`, naming the driver and the statement)
 * and without the URL's password, in any spelling. The built-in drivers are not wrapped: their
 * tests hold them to both rules, and their hot paths stay as they are.
 *
 * @module
 */
import type {
  Awaitable,
  Connection,
  Driver,
  Executor,
  Queryable,
} from "./driver.ts";
import { StorageError } from "./errors.ts";
import { urlSecrets, withoutSecrets } from "./redact.ts";

/** Turns what a caller's driver threw into a StorageError without the URL's secrets. */
type Fix = (error: unknown, doing: string) => StorageError;

/**
 * Wraps a connection of a caller's driver (see the module doc).
 *
 * @param connection What the driver's `connect` returned.
 * @param driver The driver.
 * @param url The URL it was opened with, whose password no error may show.
 * @returns The guarded connection.
 */
export function guardConnection(
  connection: Connection,
  driver: Driver<unknown, string>,
  url: string,
): Connection {
  const secrets = urlSecrets(url);
  const fix: Fix = (error, doing) =>
    withoutSecrets(
      error instanceof StorageError ? error : new StorageError(
        "internal",
        `The ${driver.name} driver failed during ${doing} with an error that is not a ` +
          `StorageError: ${
            error instanceof Error
              ? `${error.name}: ${error.message}`
              : typeof error
          }: report it to the driver's author`,
        { cause: error },
      ),
      secrets,
    );
  const root = guardExecutor(connection.root, fix);
  const guarded: Connection = {
    dialect: connection.dialect,
    ...(typeof connection.namespace === "string"
      ? { namespace: connection.namespace }
      : {}),
    root,
    transaction: (fn) =>
      around(
        (inner) =>
          connection.transaction((tx) => inner(guardExecutor(tx, fix))),
        fn,
        fix,
        "a transaction",
      ),
    migrationTarget: () =>
      guardObject(
        call(() => connection.migrationTarget(), fix, "migrationTarget"),
        fix,
      ),
    close: () => settle(() => connection.close(), fix, "close"),
  };
  if (connection.abandon) {
    guarded.abandon = () => settle(() => connection.abandon!(), fix, "close");
  }
  if (connection.copyTarget) {
    guarded.copyTarget = () =>
      guardObject(call(() => connection.copyTarget!(), fix, "copyTarget"), fix);
  }
  return guarded;
}

function guardExecutor(x: Executor, fix: Fix): Executor {
  return {
    ...guardQueryable(x, fix),
    atomic: (fn) =>
      around(
        (inner) => x.atomic((q) => inner(guardQueryable(q, fix))),
        fn,
        fix,
        "an atomic block",
      ),
  };
}

function guardQueryable(q: Queryable, fix: Fix): Queryable {
  return {
    all: (s, params) => call(() => q.all(s, params), fix, s.name),
    get: (s, params) => call(() => q.get(s, params), fix, s.name),
    run: (s, params) => call(() => q.run(s, params), fix, s.name),
    ...(typeof q.rows === "function"
      ? {
        rows: (s, params) => call(() => q.rows!(s, params), fix, s.name),
      }
      : {}),
  };
}

/** Runs a statement or a method, fixing what it throws, synchronously or not. */
function call<T>(run: () => Awaitable<T>, fix: Fix, doing: string): T {
  let result: Awaitable<T>;
  try {
    result = run();
  } catch (error) {
    throw fix(error, doing);
  }
  return (result instanceof Promise
    ? result.catch((error) => {
      throw fix(error, doing);
    })
    : result) as T;
}

/**
 * A driver's migration or copy target whose methods fix what they throw (a callback's own
 * errors included: what the package passes in throws StorageErrors, which pass as they are).
 */
function guardObject<T extends object>(target: T, fix: Fix): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) =>
        call(
          () => Reflect.apply(value, object, args),
          fix,
          `${String(key)}`,
        );
    },
  });
}

/**
 * Runs the driver's `transaction` or `atomic` around the core's callback: what the callback
 * threw passes as it is (the caller's own error, or the core's); only what the driver threw is
 * fixed.
 */
async function around<A, T>(
  run: (inner: (arg: A) => Promise<T>) => Promise<T>,
  fn: (arg: A) => Promise<T>,
  fix: Fix,
  doing: string,
): Promise<T> {
  let thrown: { error: unknown } | undefined;
  try {
    return await run(async (arg) => {
      try {
        return await fn(arg);
      } catch (error) {
        thrown = { error };
        throw error;
      }
    });
  } catch (error) {
    if (thrown && error === thrown.error) throw error;
    throw fix(error, doing);
  }
}

async function settle<T>(
  run: () => Promise<T>,
  fix: Fix,
  doing: string,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw fix(error, doing);
  }
}
