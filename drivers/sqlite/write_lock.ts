/**
 * An async mutex with a bounded wait, guarding the one writer connection: a transaction open
 * across `await`s keeps it, so no other caller's statements can slip into the transaction.
 *
 * @module
 */
import { Deadline } from "../../src/deadline.ts";
import { StorageError } from "../../src/errors.ts";
import { WaitQueue } from "../../src/wait_queue.ts";

/** First come, first served; each wait is bounded. */
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
   * @param timeoutMs How long to wait.
   * @param doing What the caller wants to do, for the timeout message.
   * @throws {StorageError} `timeout` when the wait exceeds `timeoutMs`.
   */
  acquire(timeoutMs: number, doing: string): Promise<void> {
    return this.#queue.enter(
      true,
      new Deadline(timeoutMs),
      () =>
        new StorageError(
          "timeout",
          `Timed out after ${timeoutMs} ms waiting for the writer during ${doing}: ` +
            `a transaction holds it; keep transactions short, never await a write on the ` +
            `storage itself inside a transaction, or raise acquireTimeoutMs`,
        ),
    );
  }

  /** Releases the lock, handing it to the next waiter. */
  release(): void {
    this.#queue.leave(true);
  }
}
