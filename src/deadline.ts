/**
 * The deadline of one call. Every wait of the call (for the writer or the write gate, a pooled
 * connection, a row lock, the pause before a retry) takes what is left of one deadline, set
 * `acquireTimeoutMs` after the call began; so retries count against it, and a call waits at
 * most that long in all, plus its statements' own time.
 *
 * @module
 */

/** A clock in milliseconds; `performance.now` by default (monotonic). */
export type Clock = () => number;

/**
 * A point in time after which a call waits no more.
 *
 * @example
 * ```ts
 * import { Deadline } from "./deadline.ts";
 * import assert from "node:assert/strict";
 *
 * let now = 0;
 * const deadline = new Deadline(1000, () => now);
 * now = 400;
 * assert.equal(deadline.remainingMs, 600);
 * assert.equal(deadline.pause(50), 50); // a retry may pause 50 ms
 * now = 1000;
 * assert.equal(deadline.pause(50), null); // no time left to try again
 * ```
 */
export class Deadline {
  /** The time the call was given, in milliseconds. */
  readonly budgetMs: number;
  readonly #clock: Clock;
  readonly #at: number;

  /**
   * Starts the clock.
   *
   * @param budgetMs How long the call may wait in all.
   * @param clock The clock (tests pass their own).
   */
  constructor(budgetMs: number, clock: Clock = () => performance.now()) {
    this.budgetMs = budgetMs;
    this.#clock = clock;
    this.#at = clock() + budgetMs;
  }

  /** What is left, in milliseconds; 0 once the deadline has passed. */
  get remainingMs(): number {
    return Math.max(0, this.#at - this.#clock());
  }

  /** Whether the deadline has passed. */
  get expired(): boolean {
    return this.remainingMs === 0;
  }

  /**
   * How long one wait may last: what is left, rounded up, and at least 1 ms (so a step that
   * need not wait still runs after the deadline, and one that must wait fails at once).
   *
   * @returns Whole milliseconds, at least 1.
   */
  waitMs(): number {
    return Math.max(1, Math.ceil(this.remainingMs));
  }

  /**
   * The pause before another attempt: `delayMs`, cut to what is left.
   *
   * @param delayMs The backoff's delay.
   * @returns The pause, or `null` when the deadline has passed and no attempt may follow.
   */
  pause(delayMs: number): number | null {
    const left = this.remainingMs;
    return left === 0 ? null : Math.min(delayMs, left);
  }
}
