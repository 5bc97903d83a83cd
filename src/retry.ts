/**
 * Bounded exponential backoff with full jitter, for transient errors (SQLite busy,
 * PostgreSQL serialization failures and deadlocks), within an optional deadline.
 *
 * @module
 */
import type { Deadline } from "./deadline.ts";

/** How often and how long to retry. */
export interface Backoff {
  /** Attempts in all, including the first. */
  attempts: number;
  /** The cap of the first delay, in milliseconds. */
  baseDelayMs: number;
  /** The largest delay, in milliseconds. */
  maxDelayMs: number;
}

/**
 * Runs `fn` until it succeeds, `isTransient` says an error is final, the attempts run out, or
 * the deadline passes (the pause before an attempt is cut to what is left of it).
 *
 * @param fn The work; receives the attempt number, from 1.
 * @param isTransient Whether an error may go away on a retry.
 * @param backoff Attempts and delays.
 * @param onGiveUp Builds the error thrown when the attempts or the time run out; receives the
 * last error, the number of attempts, and whether the deadline passed.
 * @param deadline The call's deadline, if it has one.
 * @returns What `fn` returned.
 */
export async function retry<T>(
  fn: (attempt: number) => T | Promise<T>,
  isTransient: (error: unknown) => boolean,
  backoff: Backoff,
  onGiveUp: (error: unknown, attempts: number, late: boolean) => Error,
  deadline?: Deadline,
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= backoff.attempts) throw onGiveUp(error, attempt, false);
      const pause = nextPause(attempt, backoff, deadline);
      if (pause === null) throw onGiveUp(error, attempt, true);
      await sleep(pause);
    }
  }
}

/**
 * The pause before attempt `attempt + 1`: the backoff's delay, cut to what is left of the
 * deadline.
 *
 * @param attempt The attempt that just failed, from 1.
 * @param backoff The delays.
 * @param deadline The call's deadline, if any.
 * @returns Milliseconds to pause, or `null` when the deadline has passed.
 */
export function nextPause(
  attempt: number,
  backoff: Backoff,
  deadline?: Deadline,
): number | null {
  const delay = delayFor(attempt, backoff);
  return deadline ? deadline.pause(delay) : delay;
}

/**
 * The delay before retry number `attempt`: uniformly random up to
 * `min(maxDelayMs, baseDelayMs * 2^(attempt-1))` ("full jitter").
 *
 * @param attempt The attempt that just failed, from 1.
 * @param backoff The delays.
 * @returns Milliseconds to wait.
 */
export function delayFor(attempt: number, backoff: Backoff): number {
  const cap = Math.min(
    backoff.maxDelayMs,
    backoff.baseDelayMs * 2 ** (attempt - 1),
  );
  return Math.random() * cap;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
