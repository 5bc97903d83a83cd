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
import type { NewUser, User, UserPatch, UserStats } from "../records.ts";
import * as ops from "../ops/users.ts";

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
};
