/**
 * Waiting for the writer: an async mutex with a bounded wait guarding the one writer connection
 * (a transaction open across `await`s keeps it, so no other caller's statements can slip into
 * the transaction), and the error of a wait for another connection's lock on the database file,
 * which SQLite does not queue (the driver retries until the call's deadline).
 *
 * @module
 */
import {
  type Backoff,
  type Deadline,
  retry,
  StorageError,
  WaitQueue,
} from "../../driver.ts";

/** First come, first served; each wait ends at its caller's deadline. */
export class WriteLock {
  readonly #queue = new WaitQueue();

  /** Whether the lock is held. */
  get held(): boolean {
    return this.#queue.holds > 0;
  }

  /**
   * Takes the lock if it is free and nobody waits.
   *
   * @returns `true` if taken.
   */
  tryAcquire(): boolean {
    return this.#queue.tryEnter(true);
  }

  /**
   * Waits for the lock.
   *
   * @param deadline The caller's deadline.
   * @param doing What the caller wants to do, for the timeout message.
   * @throws {StorageError} `timeout` when the deadline passes first.
   */
  acquire(deadline: Deadline, doing: string): Promise<void> {
    return this.#queue.enter(
      true,
      deadline,
      () =>
        new StorageError(
          "timeout",
          `Timed out after ${deadline.budgetMs} ms waiting for the writer during ${doing}: ` +
            `a transaction holds it; keep transactions short, never await a write on the ` +
            `storage itself inside a transaction, or raise acquireTimeoutMs`,
        ),
    );
  }

  /** Releases the lock, handing it to the next waiter. */
  release(): void {
    this.#queue.leave(true);
  }

  /**
   * Ends every wait now (the holder keeps the lock).
   *
   * @param error Builds each waiter's error.
   */
  failWaiting(error: () => Error): void {
    this.#queue.failWaiting(error);
  }
}

/** How a wait for another connection's lock is told, besides its deadline. */
export interface BusyWait {
  /** Which lock is waited for: `"write lock"` (the default) or `"lock"` (a read). */
  lock?: string;
  /** What to do about it, for the timeout's message (raising `acquireTimeoutMs` by default). */
  hint?: string;
}

/** How {@linkcode retryBusy} retries. */
export interface BusyRetry extends BusyWait {
  /** Whether an error says the database is busy. */
  busy: (error: unknown) => boolean;
  /** The pauses between attempts (the deadline alone ends the retries). */
  backoff: Backoff;
  /** The call's deadline. */
  deadline: Deadline;
  /** What is being done, for the message. */
  doing: string;
}

/**
 * Runs `fn` until SQLite stops answering busy, pausing between attempts (cut to what is left of
 * the deadline); once the deadline passes, fails as `timeout` saying that another connection
 * holds the database's lock.
 *
 * @param fn The attempt.
 * @param options How to retry and what to say.
 * @returns What `fn` returned.
 */
export function retryBusy<T>(
  fn: () => T | Promise<T>,
  options: BusyRetry,
): Promise<T> {
  const { busy, backoff, deadline, doing, lock, hint } = options;
  return retry(fn, busy, backoff, (cause) =>
    new StorageError(
      "timeout",
      `Timed out after ${deadline.budgetMs} ms during ${doing}: another process (or another ` +
        `storage on the same file) holds the database's ${
          lock ?? "write lock"
        }: ${hint ?? "keep its transactions short, or raise acquireTimeoutMs"}`,
      { cause },
    ), deadline);
}
