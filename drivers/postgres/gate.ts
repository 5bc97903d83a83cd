/**
 * The write gate of one storage: writes outside a transaction share it, a transaction holds it
 * alone. So, as on SQLite, a transaction open across `await`s makes the storage's other writes
 * wait for it (and a write awaited inside the transaction's own callback ends as `timeout`),
 * while reads never wait. Processes do not share the gate: PostgreSQL's row locks order them.
 *
 * @module
 */
import { StorageError } from "../../src/errors.ts";

interface Waiter {
  exclusive: boolean;
  grant(): void;
  timer: ReturnType<typeof setTimeout>;
}

/** A shared/exclusive lock, first come first served, with bounded waits. */
export class WriteGate {
  #shared = 0;
  #exclusive = false;
  #queue: Waiter[] = [];

  /** Takes a shared hold if no transaction holds or waits for the gate. */
  tryShared(): boolean {
    if (this.#exclusive || this.#queue.length > 0) return false;
    this.#shared++;
    return true;
  }

  /**
   * Waits for a hold.
   *
   * @param exclusive Whether the hold is a transaction's.
   * @param timeoutMs How long to wait.
   * @param doing What the caller wants to do, for the message.
   * @throws {StorageError} `timeout` when the wait exceeds `timeoutMs`.
   */
  enter(exclusive: boolean, timeoutMs: number, doing: string): Promise<void> {
    if (this.#free(exclusive) && this.#queue.length === 0) {
      this.#take(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        exclusive,
        grant: () => {
          clearTimeout(waiter.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.#queue.splice(this.#queue.indexOf(waiter), 1);
          this.#drain();
          reject(
            new StorageError(
              "timeout",
              `Timed out after ${timeoutMs} ms waiting for an open transaction to end during ${doing}: ` +
                `a transaction of this storage holds its writes; keep transactions short, never ` +
                `await a write on the storage itself inside a transaction, or raise acquireTimeoutMs`,
            ),
          );
        }, timeoutMs),
      };
      this.#queue.push(waiter);
    });
  }

  /** Gives back a hold taken with {@linkcode WriteGate.enter} or `tryShared`. */
  leave(exclusive: boolean): void {
    if (exclusive) this.#exclusive = false;
    else this.#shared--;
    this.#drain();
  }

  #free(exclusive: boolean): boolean {
    return exclusive
      ? !this.#exclusive && this.#shared === 0
      : !this.#exclusive;
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
