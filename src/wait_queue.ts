/**
 * The one queue of waiters with deadlines: shared holds (at most `capacity` at once) and
 * exclusive holds (alone), granted first come, first served. The SQLite write lock (exclusive
 * holds only), the PostgreSQL write gate (writes shared, transactions exclusive) and the
 * PostgreSQL pool (shared holds up to the pool's size) are built on it. A wait ends when its
 * hold is granted, at its deadline, when its own `AbortSignal` aborts, or when
 * {@linkcode WaitQueue.failWaiting} ends every wait.
 *
 * @module
 */
import type { Deadline } from "./deadline.ts";

interface Waiter {
  exclusive: boolean;
  grant(): void;
  fail(error: Error): void;
}

/**
 * Holds granted in arrival order; a wait ends at its deadline.
 *
 * @example
 * ```ts
 * import { Deadline } from "./deadline.ts";
 * import { WaitQueue } from "./wait_queue.ts";
 * import assert from "node:assert/strict";
 *
 * const lock = new WaitQueue();
 * assert.ok(lock.tryEnter(true));
 * const waiting = lock.enter(true, new Deadline(1000), () => new Error("timed out"));
 * lock.leave(true); // hands the hold to the waiter
 * await waiting;
 * assert.equal(lock.holds, 1);
 * ```
 */
export class WaitQueue {
  readonly #capacity: number;
  #shared = 0;
  #exclusive = false;
  readonly #queue: Waiter[] = [];

  /**
   * Creates an empty queue.
   *
   * @param capacity How many shared holds may be granted at once.
   */
  constructor(capacity = Infinity) {
    this.#capacity = capacity;
  }

  /** How many holds are granted now. */
  get holds(): number {
    return this.#shared + (this.#exclusive ? 1 : 0);
  }

  /** How many callers wait. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Takes a hold if one is free and nobody waits (a caller never jumps the queue).
   *
   * @param exclusive Whether the hold excludes every other.
   * @returns Whether it was taken.
   */
  tryEnter(exclusive = false): boolean {
    if (this.#queue.length > 0 || !this.#free(exclusive)) return false;
    this.#take(exclusive);
    return true;
  }

  /**
   * Waits for a hold until the deadline, or until `signal` aborts.
   *
   * @param exclusive Whether the hold excludes every other.
   * @param deadline When to stop waiting.
   * @param timedOut The error to reject with when the deadline passes first.
   * @param signal Ends this wait alone when it aborts, rejecting with its reason (an abort
   * before the call rejects at once, without taking a free hold).
   */
  enter(
    exclusive: boolean,
    deadline: Deadline,
    timedOut: () => Error,
    signal?: AbortSignal,
  ): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryEnter(exclusive)) return Promise.resolve();
    if (deadline.expired) return Promise.reject(timedOut());
    return new Promise((resolve, reject) => {
      const end = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", aborted);
      };
      /** Leaves the queue without a hold: the holds it waited behind may suit those after it. */
      const leaveQueue = (error: Error) => {
        end();
        this.#queue.splice(this.#queue.indexOf(waiter), 1);
        this.#drain();
        reject(error);
      };
      const aborted = () => leaveQueue(signal!.reason);
      const timer = setTimeout(
        () => leaveQueue(timedOut()),
        deadline.remainingMs,
      );
      const waiter: Waiter = {
        exclusive,
        grant: () => {
          end();
          resolve();
        },
        fail: (error) => {
          end();
          reject(error);
        },
      };
      signal?.addEventListener("abort", aborted, { once: true });
      this.#queue.push(waiter);
    });
  }

  /**
   * Gives a hold back, granting the next waiters that now fit.
   *
   * @param exclusive Whether the hold was exclusive.
   */
  leave(exclusive = false): void {
    if (exclusive) this.#exclusive = false;
    else this.#shared--;
    this.#drain();
  }

  /**
   * Ends every wait now with an error (the holds already granted stay).
   *
   * @param error Builds the error of each waiter.
   */
  failWaiting(error: () => Error): void {
    for (const waiter of this.#queue.splice(0)) waiter.fail(error());
  }

  #free(exclusive: boolean): boolean {
    if (this.#exclusive) return false;
    return exclusive ? this.#shared === 0 : this.#shared < this.#capacity;
  }

  #take(exclusive: boolean): void {
    if (exclusive) this.#exclusive = true;
    else this.#shared++;
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#free(this.#queue[0]!.exclusive)) {
      const next = this.#queue.shift()!;
      this.#take(next.exclusive);
      next.grant();
    }
  }
}
