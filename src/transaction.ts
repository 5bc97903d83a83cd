/**
 * The handle `storage.transaction(fn)` gives `fn`, and the rules it keeps for every driver:
 *
 * - Operations called on the handle run one at a time, in call order, whether or not the caller
 *   awaits each before calling the next. An operation is a whole call (`tx.postMessage(…)`: its
 *   validation, every statement and every `await` in it), so its statements never interleave
 *   with another's, and a failing one undoes only its own work (its savepoint, or its single
 *   statement) and leaves the transaction usable.
 * - When `fn` resolves, the transaction commits after every operation called before that has
 *   settled: one still running or queued is finished first, never cut in half. An operation that
 *   fails meanwhile is undone alone, as if awaited.
 * - When `fn` rejects, the operation running at that moment finishes (inside the transaction),
 *   the ones queued behind it are refused as `unavailable` without running, and then the whole
 *   transaction rolls back.
 * - An operation called after `fn` settled is refused as `unavailable` ("its transaction has
 *   ended"), even while the transaction is still finishing the ones before it.
 *
 * So the driver's executor sees one operation at a time and nothing after `fn` settled (see
 * {@linkcode Connection.transaction}); a call on the storage itself never passes through here.
 *
 * @module
 */
import { methodNames } from "./bind.ts";
import type { Connection } from "./driver.ts";
import { StorageError } from "./errors.ts";
import { Operations } from "./ops/mod.ts";
import type { StorageOps } from "./storage.ts";

/** The operations of the contract, as `Operations` has them. */
const NAMES = methodNames(Operations.prototype) as string[];

type Operation = (ops: Operations) => Promise<unknown>;
type Methods = Record<string, (...args: unknown[]) => Promise<unknown>>;

const settle = () => {};

/** One transaction's operations, queued. */
class TransactionHandle {
  #ops: Operations;
  /** The methods handed out so far, bound to this handle. */
  #bound: Partial<Methods> = {};
  /** Settles when the last operation called so far has settled. */
  #tail: Promise<unknown> = Promise.resolve();
  /** Set once `fn` settled: calls from then on are refused. */
  #ended = false;
  /** Set once `fn` rejected: queued calls are refused instead of run. */
  #rolledBack = false;

  constructor(ops: Operations) {
    this.#ops = ops;
  }

  static {
    // Each method is a getter handing out the handle's own bound function, made on first use
    // (a transaction pays only for the methods it uses): `const { getUser } = tx` works.
    for (const name of NAMES) {
      Object.defineProperty(this.prototype, name, {
        get(this: TransactionHandle) {
          return this.#bound[name] ??= (...args: unknown[]) =>
            this.#call(
              name,
              (ops) => (ops as unknown as Methods)[name]!(...args),
            );
        },
        configurable: true,
      });
    }
  }

  /**
   * Ends the handle and waits for every operation called on it to settle.
   *
   * @param rolledBack Whether `fn` rejected: queued operations are refused instead of run.
   */
  async end(rolledBack: boolean): Promise<void> {
    this.#ended = true;
    this.#rolledBack = rolledBack;
    await this.#tail;
  }

  #call(name: string, operation: Operation): Promise<unknown> {
    if (this.#ended) {
      return Promise.reject(
        new StorageError(
          "unavailable",
          `Cannot run ${name} as its transaction has ended: use the storage, or a new transaction`,
        ),
      );
    }
    const turn = this.#tail.then(() => {
      if (this.#rolledBack) {
        throw new StorageError(
          "unavailable",
          `Cannot run ${name} as its transaction was rolled back before it started: the ` +
            `transaction callback threw; await each operation inside the callback`,
        );
      }
      return operation(this.#ops);
    });
    this.#tail = turn.then(settle, settle);
    return turn;
  }
}

/**
 * Runs `fn` in a transaction of `connection`, on a handle that keeps the rules of this module.
 *
 * @param connection The connection.
 * @param fn The callback.
 * @returns What `fn` resolved to, once committed.
 * @throws What `fn` threw, after the rollback; or the commit's failure.
 */
export function runTransaction<T>(
  connection: Connection,
  fn: (tx: StorageOps) => Promise<T>,
): Promise<T> {
  return connection.transaction(async (executor) => {
    const handle = new TransactionHandle(new Operations(executor));
    let result: T;
    try {
      result = await fn(handle as unknown as StorageOps);
    } catch (error) {
      await handle.end(true);
      throw error;
    }
    await handle.end(false);
    return result;
  });
}
