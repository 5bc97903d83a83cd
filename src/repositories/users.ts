/**
 * The users repository, `storage.users`: accounts, their counters and their logins.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const alice = await storage.users.create({ username: "Alice", passwordHash: "h" });
 * await storage.users.update(alice.id, { securityLevel: 50 });
 * await storage.users.incrementStats(alice.id, { uploads: 1, uploadBytes: 2048 });
 * const found = await storage.users.findByUsername("ALICE");
 * assert.equal(found?.securityLevel, 50);
 * assert.equal(found?.stats.uploadBytes, 2048);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  FailedLoginOptions,
  JsonValue,
  ListUsersOptions,
  LoginRecord,
  LoginsOptions,
  NewUser,
  User,
  UserFilter,
  UserPage,
  UserPatch,
  UserStats,
} from "../records.ts";
import * as ops from "../ops/users.ts";
import * as admin from "../ops/user_admin.ts";
import * as props from "../ops/user_props.ts";
import * as counters from "../ops/counters.ts";

/**
 * Users: `storage.users`, and `tx.users` in a transaction. Every input is validated before
 * anything is written: bad input rejects with a `StorageError` of kind `validation` that names
 * the field.
 */
export interface Users {
  /** Creates a user; `conflict` when the name is taken (case-insensitively). */
  create(input: NewUser): Promise<User>;
  /** Returns the user, or `null`. */
  get(id: number): Promise<User | null>;
  /**
   * Finds a user by name, case-insensitively and Unicode-aware (`ＳｙｓＯｐ` finds `sysop`): by
   * every spelling whose key equals theirs, up to 540 characters (U+FDFA written out included);
   * `null` for any other text, `validation` for a value that is not text.
   */
  findByUsername(username: string): Promise<User | null>;
  /** Changes the given fields; `not_found` if the user is missing. */
  update(id: number, patch: UserPatch): Promise<User>;
  /** Deletes a user and their sessions, keeping their messages and files; `not_found` if missing. */
  delete(id: number): Promise<void>;
  /** Adds to a user's counters atomically; `not_found` if missing. */
  incrementStats(id: number, delta: Partial<UserStats>): Promise<User>;
  /**
   * Counts a login: `logins` + 1 and `lastLoginAt` = now, atomically, and records it for
   * `callers.recent`; `not_found` if missing.
   */
  recordLogin(id: number): Promise<User>;
  /**
   * A page of users, by username unless `orderBy` says otherwise, filtered by a case-insensitive
   * substring of the username or real name (`query`, plain text), a status and a lowest level.
   * `next` is an opaque cursor for the following page: pass it as `after` with the same
   * `orderBy` (another order's cursor, or an altered one, is `validation` naming
   * `options.after`); with `descending` flipped it gives the page before it. Keyset paging: a
   * page costs the same at any depth, and users created or deleted meanwhile neither repeat nor
   * shift the pages after them.
   */
  list(options?: ListUsersOptions): Promise<UserPage>;
  /** How many users the filter of `list` takes. */
  count(filter?: UserFilter): Promise<number>;
  /**
   * Counts a failed login (`failedLogins` + 1), atomically, and locks an active user for
   * `lockForSeconds` (reason "Too many failed logins") when the count reaches `maxAttempts`. A
   * banned, unvalidated or locked user is only counted (a lock is not extended); after a lock
   * has ended, the count starts again at 1. `not_found` if missing.
   */
  recordFailedLogin(id: number, options: FailedLoginOptions): Promise<User>;
  /** The user's properties by key; `not_found` if the user is missing. */
  getProps(id: number): Promise<Record<string, JsonValue>>;
  /**
   * Sets properties (a `null` value removes its key) in one step and returns them all: keys of
   * 1–64 characters, values of at most 64 KiB as JSON, at most 256 keys a user (`validation`,
   * nothing written, beyond). `not_found` if the user is missing.
   */
  setProps(
    id: number,
    patch: Record<string, JsonValue | null>,
  ): Promise<Record<string, JsonValue>>;
  /**
   * The users whose property `key` is exactly `value` (same type: `"1"` is not `1`), by id,
   * through an index.
   */
  findByProp(key: string, value: string | number | boolean): Promise<User[]>;
  /**
   * The user's logins, newest first: each session with when it began and ended (an expired
   * session ended when it expired), its node, address and id, kept after it ends (until
   * `sessions.delete` removes it). `not_found` if the user is missing.
   */
  logins(id: number, options?: LoginsOptions): Promise<LoginRecord[]>;
  /**
   * Adds `by` (a safe integer, negative too; 1 by default) to the user's counter `name` (1–64
   * letters, digits, `_`, `.`, `:` or `-`), made at 0 if missing, in one statement: concurrent
   * calls never lose a count. A `daily` counter counts the current day in the board's time zone
   * (`OpenOptions.timeZone`) and starts again from 0 on a new day; a counter keeps the kind it
   * was made with (`conflict` when called with the other). The package's own daily counters
   * (`callsToday`, `uploadBytesToday`, `downloadBytesToday`, `timeOnlineTodaySeconds`) are
   * refused (`validation`).
   *
   * @returns The counter's value after.
   */
  incrementCounter(
    id: number,
    name: string,
    by?: number,
    options?: { daily?: boolean },
  ): Promise<number>;
  /**
   * The user's counters by name: the board's own, and the package's daily ones (`callsToday`
   * from `recordLogin`, `uploadBytesToday` from `files.add`, `downloadBytesToday` from
   * `files.recordDownload`, `timeOnlineTodaySeconds` from each ending of a session, credited
   * whole to the day it ends; listed at 0 until counted). A daily counter reads 0 on a day after
   * the one it counted. `not_found` if the user is missing.
   */
  counters(id: number): Promise<Record<string, number>>;
}

/** The operations behind {@linkcode Users}: each method's operation, taking the executor first. */
export const USERS: Definition<Users> = {
  create: ops.createUser,
  get: ops.getUser,
  findByUsername: ops.findUserByUsername,
  update: ops.updateUser,
  delete: ops.deleteUser,
  incrementStats: ops.incrementUserStats,
  recordLogin: ops.recordLogin,
  list: admin.listUsers,
  count: admin.countUsers,
  recordFailedLogin: admin.recordFailedLogin,
  getProps: props.getProps,
  setProps: props.setProps,
  findByProp: props.findByProp,
  logins: admin.listLogins,
  incrementCounter: counters.incrementCounter,
  counters: counters.counters,
};
