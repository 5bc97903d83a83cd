/**
 * The handle `storage.transaction(fn)` gives `fn`, and the rules it keeps for every driver:
 *
 * - Operations called on the handle's repositories run one at a time, in call order, whether or
 *   not the caller awaits each before calling the next. An operation is a whole call
 *   (`tx.messages.post(…)`: its
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
import type { Connection, Executor } from "./driver.ts";
import { runAppSql } from "./app_sql.ts";
import { StorageError } from "./errors.ts";
import { type Board, DEFAULT_BOARD, setBoard } from "./ops/_board.ts";
import { DEFINITIONS, REPOSITORIES } from "./ops/mod.ts";
import { ViewerExecutor } from "./ops/_access.ts";
import { checkViewer, VIEWED_DEFINITIONS } from "./ops/viewed.ts";
import type { Around } from "./repositories/_definition.ts";
import type { Repositories, StorageOps, TransactionOps } from "./storage.ts";

type Method = (...args: unknown[]) => Promise<unknown>;
type Run = (x: Executor, ...args: unknown[]) => Promise<unknown>;

const settle = () => {};

/** Queues a statement of the application's on a handle (`tx.sql`). */
let enqueueSql: (
  handle: TransactionHandle,
  text: unknown,
  params: unknown,
) => Promise<unknown[]>;

/** Ends a handle and waits for every operation called on it to settle (see runTransaction). */
let endHandle: (
  handle: TransactionHandle,
  rolledBack: boolean,
) => Promise<void>;

/** A viewer's repositories on a handle's transaction: `SystemHandle.as`. */
let viewAs: (handle: TransactionHandle, userId: number) => Promise<StorageOps>;

/** Queues an operation on a handle: `TransactionHandle.#call`, for the repositories below. */
let enqueue: (
  handle: TransactionHandle,
  operation: string,
  run: Run,
  args: unknown[],
) => Promise<unknown>;

/**
 * The class of a handle's repository `name`: each method a getter handing out the repository's
 * own function, made on first use, that queues the operation on the handle (a transaction pays
 * only for the methods it uses). The functions need no receiver: `const { create } = tx.users`
 * works.
 */
function queuedRepository(
  name: keyof Repositories,
  definitions: typeof DEFINITIONS,
) {
  const definition = definitions[name] as unknown as Record<string, Run>;
  return class Repository {
    #handle: TransactionHandle;
    #methods: Record<string, Method> = {};

    constructor(handle: TransactionHandle) {
      this.#handle = handle;
    }

    static {
      for (const [method, run] of Object.entries(definition)) {
        const operation = `${name}.${method}`;
        Object.defineProperty(this.prototype, method, {
          get(this: Repository) {
            return this.#methods[method] ??= (...args: unknown[]) =>
              enqueue(this.#handle, operation, run, args);
          },
          enumerable: true,
          configurable: true,
        });
      }
    }
  };
}

/** The order of one transaction's operations: every handle of the transaction shares it. */
class Queue {
  /** What each operation runs through when the storage's telemetry is on. */
  readonly around: Around | undefined;
  constructor(around: Around | undefined) {
    this.around = around;
  }
  /** Settles when the last operation called so far has settled. */
  tail: Promise<unknown> = Promise.resolve();
  /** Set once `fn` settled: calls from then on are refused. */
  ended = false;
  /** Set once `fn` rejected: queued calls are refused instead of run. */
  rolledBack = false;
}

/** One transaction's operations, queued: the system's view, or a viewer's (`tx.as`). */
class TransactionHandle {
  #executor: Executor;
  #queue: Queue;
  /** The repositories handed out so far. */
  #repositories: Partial<Record<keyof Repositories, object>> = {};

  constructor(executor: Executor, queue: Queue) {
    this.#executor = executor;
    this.#queue = queue;
  }

  static {
    enqueue = (handle, operation, run, args) =>
      handle.#call(operation, () => run(handle.#executor, ...args));
    endHandle = async (handle, rolledBack) => {
      handle.#queue.ended = true;
      handle.#queue.rolledBack = rolledBack;
      await handle.#queue.tail;
    };
    viewAs = (handle, userId) => {
      const root = handle.#executor;
      return handle.#call("tx.as", async () => {
        await checkViewer(root, userId, "tx.as");
        const view = new TransactionHandle(
          new ViewerExecutor(root, userId),
          handle.#queue,
        ) as unknown as Record<string, unknown>;
        // The repositories alone, in a plain object: no way back to the transaction's handle.
        return Object.freeze(
          Object.fromEntries(REPOSITORIES.map((name) => [name, view[name]])),
        );
      }) as Promise<StorageOps>;
    };
    enqueueSql = (handle, text, params) =>
      handle.#call(
        "tx.sql",
        () => runAppSql(handle.#executor, text, params, "tx.sql"),
      ) as Promise<unknown[]>;
    // Each repository is a getter handing out the handle's own repository, made on first use:
    // `const { users } = tx` works. A viewer's handle takes the viewer's operations.
    for (const name of REPOSITORIES) {
      const Repository = queuedRepository(name, DEFINITIONS);
      const Viewed = queuedRepository(name, VIEWED_DEFINITIONS);
      Object.defineProperty(this.prototype, name, {
        get(this: TransactionHandle) {
          return this.#repositories[name] ??=
            this.#executor instanceof ViewerExecutor
              ? new Viewed(this)
              : new Repository(this);
        },
        enumerable: true,
        configurable: true,
      });
    }
  }

  #call(name: string, operation: () => Promise<unknown>): Promise<unknown> {
    const queue = this.#queue;
    if (queue.ended) {
      return Promise.reject(
        new StorageError(
          "unavailable",
          `Cannot run ${name} as its transaction has ended: use the storage, or a new transaction`,
        ),
      );
    }
    const turn = queue.tail.then(() => {
      if (queue.rolledBack) {
        throw new StorageError(
          "unavailable",
          `Cannot run ${name} as its transaction was rolled back before it started: the ` +
            `transaction callback threw; await each operation inside the callback`,
        );
      }
      return queue.around === undefined
        ? operation()
        : queue.around(name, operation);
    });
    queue.tail = turn.then(settle, settle);
    return turn;
  }
}

/**
 * The system's handle of a transaction: the repositories, `as` and `sql`. A viewer's handle
 * (`tx.as`) is handed out as a plain object of its repositories alone.
 */
class SystemHandle extends TransactionHandle {
  /**
   * The transaction's repositories as a user sees them: see `TransactionOps.as`.
   *
   * @param userId The user.
   * @returns The user's view, queued with the transaction's other operations.
   */
  as(userId: number): Promise<StorageOps> {
    return viewAs(this, userId);
  }

  /**
   * Runs a statement of the application's in the transaction: see `TransactionOps.sql`.
   *
   * @param text The SQL.
   * @param params The values of its `?` placeholders.
   * @returns The rows, keyed by column name.
   */
  sql<T = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<T[]> {
    return enqueueSql(this, text, params) as Promise<T[]>;
  }
}

/**
 * Runs `fn` in a transaction of `connection`, on a handle that keeps the rules of this module.
 *
 * @param connection The connection.
 * @param fn The callback.
 * @param board The board's settings (node count, time zone), for the operations on the handle.
 * @param around What each operation on the handle runs through, when the telemetry is on.
 * @returns What `fn` resolved to, once committed.
 * @throws What `fn` threw, after the rollback; or the commit's failure.
 */
export function runTransaction<T>(
  connection: Connection,
  fn: (tx: TransactionOps) => Promise<T>,
  board: Board = DEFAULT_BOARD,
  around?: Around,
): Promise<T> {
  return connection.transaction(async (executor) => {
    setBoard(executor, board);
    const handle = new SystemHandle(executor, new Queue(around));
    let result: T;
    try {
      result = await fn(handle as unknown as TransactionOps);
    } catch (error) {
      await endHandle(handle, true);
      throw error;
    }
    await endHandle(handle, false);
    return result;
  });
}
