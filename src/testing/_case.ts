/**
 * The cases of the conformance suite, as the case modules declare them with
 * {@linkcode testCase}; {@linkcode conformance} in `mod.ts` registers each one per driver.
 *
 * @module
 */
import type { OpenOptions, Storage } from "../../mod.ts";

/**
 * What a database can do that others cannot. The suite holds a driver to each claim both ways:
 * claiming a capability the database lacks fails, and so does denying one it has.
 */
export interface Capabilities {
  /**
   * Reads on the storage see the last committed state while a transaction is open (a file or
   * server database). Without it, such a read waits for the transaction (one connection, like an
   * in-memory SQLite database).
   */
  snapshotReads: boolean;
  /**
   * The database outlives the storage: {@linkcode TestDatabase.open} after `close()` sees what
   * was written. Without it, the database starts empty again.
   */
  persistent: boolean;
}

/** One fresh, empty database, made for one test by {@linkcode ConformanceOptions.open}. */
export interface TestDatabase {
  /**
   * Opens a storage on this database, passing `options` on to `openStorage`. Called once at the
   * start of each test, and again by the tests that close the storage and reopen the database.
   *
   * @param options The open options a test needs (such as `acquireTimeoutMs` or
   * `migrate: "off"`); pass them all on.
   * @returns The storage.
   */
  open(options?: OpenOptions): Promise<Storage>;
  /** Removes the database (a file, a server database), after the test and its storage closed. */
  [Symbol.asyncDispose]?(): Promise<void>;
}

/** What {@linkcode conformance} needs to run the suite against a driver. */
export interface ConformanceOptions {
  /** The driver's name in each test's name, as in `[my-driver] users.create() …`. */
  name: string;
  /**
   * Makes a fresh, empty database for one test (a new file, or a new database on a server),
   * without opening a storage on it. Called once per test.
   *
   * @returns The database.
   */
  open(): Promise<TestDatabase>;
  /**
   * What the database can do; each one left out counts as `true`, as for a file or server
   * database. An in-memory database says `{ snapshotReads: false, persistent: false }`.
   */
  capabilities?: Partial<Capabilities>;
  /** Reports every test as ignored, such as when the database server is not there. */
  ignore?: boolean;
}

/** What a case gets besides its storage. */
export interface CaseContext {
  /** What the database under test can do. */
  capabilities: Capabilities;
  /** The database the storage is open on, to reopen it. */
  database: TestDatabase;
}

/** One conformance test, to run on every driver. */
export interface Case {
  /** The behaviour, like `users.create() refuses a taken name`. */
  name: string;
  /** The test: receives a fresh storage (closed after) and its context. */
  fn: (storage: Storage, context: CaseContext) => Promise<void>;
  /** Open options for the storage. */
  options?: OpenOptions;
}

/** Every case, in the order the case modules declared them. */
export const CASES: Case[] = [];

/**
 * Declares one case of the suite.
 *
 * @param name The behaviour, like `users.create() refuses a taken name`.
 * @param fn The test: receives a fresh storage (closed after) and its context.
 * @param options Open options for the storage.
 */
export function testCase(
  name: string,
  fn: (storage: Storage, context: CaseContext) => Promise<void>,
  options?: OpenOptions,
): void {
  CASES.push({ name, fn, ...(options === undefined ? {} : { options }) });
}

/**
 * A clock a case moves by hand, for `OpenOptions.clock` (`{ clock: clock.read }`): the real time
 * plus what the case added, so a case that waits for a lock or a session to end moves it on
 * instead of sleeping, and time still passes between its steps.
 */
export class ManualClock {
  #offset = 0;
  /** Reads the clock: milliseconds since the epoch. */
  readonly read = (): number => Date.now() + this.#offset;
  /** Moves the clock on by `ms`. */
  advance(ms: number): void {
    this.#offset += ms;
  }
  /** Sets it back to the real time: the first thing a case that uses it does. */
  reset(): void {
    this.#offset = 0;
  }
}

/**
 * Registers the cases of a module on one {@linkcode ManualClock}: each is reset at the start of
 * every case, and passed to the storage as `OpenOptions.clock`.
 *
 * @param clock The module's clock.
 * @returns A {@linkcode testCase} for clocked cases (their open options take the clock).
 */
export function clockedCases(clock: ManualClock): typeof testCase {
  return (name, fn, options) =>
    testCase(name, async (storage, context) => {
      clock.reset();
      await fn(storage, context);
    }, { ...options, clock: clock.read });
}
