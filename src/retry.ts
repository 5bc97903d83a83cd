/**
 * Bounded exponential backoff with full jitter, for transient errors (SQLite busy,
 * PostgreSQL serialization failures).
 *
 * @module
 */

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
 * Runs `fn` until it succeeds, `isTransient` says an error is final, or the attempts run out.
 *
 * @param fn The work; receives the attempt number, from 1.
 * @param isTransient Whether an error may go away on a retry.
 * @param backoff Attempts and delays.
 * @param onGiveUp Builds the error thrown when the attempts run out; receives the last error.
 * @returns What `fn` returned.
 */
export async function retry<T>(
  fn: (attempt: number) => T | Promise<T>,
  isTransient: (error: unknown) => boolean,
  backoff: Backoff,
  onGiveUp: (error: unknown, attempts: number) => Error,
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= backoff.attempts) throw onGiveUp(error, attempt);
      await sleep(delayFor(attempt, backoff));
    }
  }
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
