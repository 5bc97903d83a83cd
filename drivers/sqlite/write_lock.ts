/**
 * An async mutex with a bounded wait, guarding the one writer connection: a transaction open
 * across `await`s keeps it, so no other caller's statements can slip into the transaction.
 *
 * @module
 */
import { StorageError } from "../../src/errors.ts";

interface Waiter {
  grant(): void;
  timer: ReturnType<typeof setTimeout>;
}

/** First come, first served; each wait is bounded. */
export class WriteLock {
  #held = false;
  #queue: Waiter[] = [];

  /** Whether the lock is held. */
  get held(): boolean {
    return this.#held;
  }

  /**
   * Takes the lock if it is free and nobody waits.
   *
   * @returns `true` if taken.
   */
  tryAcquire(): boolean {
    if (this.#held || this.#queue.length > 0) return false;
    this.#held = true;
    return true;
  }

  /**
   * Waits for the lock.
   *
   * @param timeoutMs How long to wait.
   * @param doing What the caller wants to do, for the timeout message.
   * @throws {StorageError} `timeout` when the wait exceeds `timeoutMs`.
   */
  acquire(timeoutMs: number, doing: string): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.#queue.splice(this.#queue.indexOf(waiter), 1);
          reject(
            new StorageError(
              "timeout",
              `Timed out after ${timeoutMs} ms waiting for the writer during ${doing}: ` +
                `a transaction holds it; keep transactions short, never await a write on the ` +
                `storage itself inside a transaction, or raise acquireTimeoutMs`,
            ),
          );
        }, timeoutMs),
      };
      this.#queue.push(waiter);
    });
  }

  /** Releases the lock, handing it to the next waiter. */
  release(): void {
    const next = this.#queue.shift();
    if (next) next.grant();
    else this.#held = false;
  }
}
