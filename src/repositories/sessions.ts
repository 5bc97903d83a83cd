/**
 * The sessions repository, `storage.sessions`: logins in progress, their tokens, and who is
 * online.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const alice = await storage.users.create({ username: "Alice", passwordHash: "h" });
 * const { session, token } = await storage.sessions.create({
 *   userId: alice.id,
 *   ipAddress: "192.0.2.1",
 *   node: 1,
 * });
 * assert.equal((await storage.sessions.getByToken(token))?.id, session.id);
 * await storage.sessions.touch(session.id, { activity: "Reading mail" });
 * assert.equal((await storage.sessions.listOnline())[0]?.username, "Alice");
 * await storage.sessions.end(session.id);
 * assert.equal(await storage.sessions.getByToken(token), null);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  EndAllOptions,
  NewSession,
  OnlineSession,
  Session,
  TouchOptions,
} from "../records.ts";
import * as ops from "../ops/sessions.ts";

/** Sessions: `storage.sessions`, and `tx.sessions` in a transaction. */
export interface Sessions {
  /**
   * Creates a session and returns it with its token; the token is shown only here. With
   * `node: "auto"` it takes the lowest free node of 1…`maxNodes`; with `maxPerUser` it refuses
   * (or, with `onLimit: "endOldest"`, makes room) when the user has that many live sessions.
   */
  create(input: NewSession): Promise<{ session: Session; token: string }>;
  /** Finds the live session of a token; `null` for an unknown, malformed, ended or expired token. */
  getByToken(token: string): Promise<Session | null>;
  /**
   * Sets a session's last activity to now (and its activity text), which moves its idle expiry
   * on; `not_found` if missing, ended or expired.
   */
  touch(id: number, options?: TouchOptions): Promise<void>;
  /**
   * Ends a session, keeping its row (its node is free again), and adds its length to its user's
   * `stats.timeOnlineSeconds`; ending it again changes nothing. `not_found` if missing.
   */
  end(id: number): Promise<void>;
  /** Deletes a session; `not_found` if missing. */
  delete(id: number): Promise<void>;
  /** Live sessions (not ended, not expired) with their usernames, by node then id. */
  listOnline(): Promise<OnlineSession[]>;
  /**
   * Ends every expired live session (idle longer than its idle timeout, or past its expiry),
   * each as of when it expired; returns how many.
   */
  purgeExpired(): Promise<number>;
  /**
   * A user's live sessions (not ended, not expired), oldest login first; `not_found` if the
   * user does not exist.
   */
  listForUser(userId: number): Promise<Session[]>;
  /**
   * Ends every live session of a user but `options.except` (for a ban, a password change);
   * returns how many it ended. `not_found` if the user does not exist.
   */
  endAllForUser(userId: number, options?: EndAllOptions): Promise<number>;
}

/** The operations behind {@linkcode Sessions}: each method's operation, taking the executor first. */
export const SESSIONS: Definition<Sessions> = {
  create: ops.createSession,
  getByToken: ops.getSessionByToken,
  touch: ops.touchSession,
  end: ops.endSession,
  delete: ops.deleteSession,
  listOnline: ops.listOnline,
  purgeExpired: ops.purgeExpiredSessions,
  listForUser: ops.listForUser,
  endAllForUser: ops.endAllForUser,
};
