/**
 * The connection pool: `poolSize` clients handed out one caller at a time, with waits bounded
 * by the caller's deadline. The pool alone decides when a connection closes: one that sat idle
 * in the pool for `idleTimeoutMs` (or lived past its lifetime) is closed there, never one a
 * caller holds, whether in a transaction or not. Each client reconnects by itself after its
 * connection drops.
 *
 * The write gate: writes outside a transaction share it, a transaction holds it alone. So, as on
 * SQLite, a transaction open across `await`s makes the storage's other writes wait for it (and
 * a write awaited inside the transaction's own callback ends as `timeout`), while reads never
 * wait. Processes do not share the gate: PostgreSQL's row locks order them, taken by every
 * operation in the order src/ops/mod.ts documents.
 *
 * @module
 */
import { Deadline, StorageError, WaitQueue } from "../../driver.ts";
import { PooledClient } from "./client.ts";
import type { PostgresSettings } from "./dialect.ts";
import { connectionFailure, gateTimeout } from "./errors.ts";

const ignore = () => {};

/**
 * Hands out clients one caller at a time; a wait past the caller's deadline is a `timeout`.
 * A client idle in the pool for `idleTimeoutMs` is closed and replaced by a new one that
 * connects when first used.
 */
export class Pool {
  readonly #settings: PostgresSettings;
  readonly #all: PooledClient[] = [];
  readonly #idle: PooledClient[] = [];
  /** One shared hold per client handed out; `close()` takes the exclusive one. */
  readonly #slots: WaitQueue;
  /** The write gate: writes hold it shared, transactions exclusive. */
  readonly #gate = new WaitQueue();
  /** When each client came back to the pool (ms, `performance.now`); none for a new one. */
  readonly #idleSince = new Map<PooledClient, number>();
  /** The one timer that closes clients idle too long, while some are idle. */
  #sweep: ReturnType<typeof setTimeout> | undefined;
  /** Clients being closed, awaited by `close()`. */
  readonly #ending = new Set<Promise<void>>();
  #closed = false;

  /**
   * Creates the clients (without connecting).
   *
   * @param settings The pool settings.
   */
  constructor(settings: PostgresSettings) {
    this.#settings = settings;
    this.#slots = new WaitQueue(settings.poolSize);
    for (let i = 0; i < settings.poolSize; i++) {
      const client = new PooledClient(settings);
      this.#all.push(client);
      this.#idle.push(client);
    }
  }

  /** The number of connections. */
  get size(): number {
    return this.#all.length;
  }

  /**
   * Runs `fn` holding a pooled connection (and, for writes, the write gate); both waits end at
   * the deadline, and the connection's row-lock waits are bounded by what is left of it.
   *
   * @param doing What is being done, for messages.
   * @param exclusive `true` for a transaction, `false` for another write, `null` for a read.
   * @param fn The work.
   * @param deadline The call's deadline; `acquireTimeoutMs` from now by default.
   */
  async withClient<T>(
    doing: string,
    exclusive: boolean | null,
    fn: (client: PooledClient) => Promise<T>,
    deadline: Deadline = new Deadline(this.#settings.acquireTimeoutMs),
  ): Promise<T> {
    this.assertOpen(doing);
    if (exclusive !== null && !this.#gate.tryEnter(exclusive)) {
      await this.#gate.enter(
        exclusive,
        deadline,
        () => gateTimeout(deadline.budgetMs, doing),
      );
    }
    let client: PooledClient | undefined;
    let generation = 0;
    let failure: unknown;
    try {
      client = this.#tryAcquire() ??
        await this.#acquire(deadline, doing);
      generation = client.generation;
      client.boundLockWait(deadline.waitMs());
      return await fn(client);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      if (client) {
        if (failure !== undefined && connectionFailure(failure) !== "none") {
          client = await this.#settle(client, generation);
        }
        this.#release(client);
      }
      if (exclusive !== null) this.#gate.leave(exclusive);
    }
  }

  /** Takes an idle client if there is one, nobody waits and the pool is open. */
  #tryAcquire(): PooledClient | undefined {
    if (this.#closed || !this.#slots.tryEnter()) return undefined;
    return this.#take();
  }

  /**
   * Waits for a client.
   *
   * @param deadline The caller's deadline.
   * @param doing What the caller wants to do, for the message.
   * @throws {StorageError} `timeout` when every connection stayed busy until the deadline.
   */
  async #acquire(deadline: Deadline, doing: string): Promise<PooledClient> {
    this.assertOpen(doing);
    await this.#slots.enter(false, deadline, () =>
      new StorageError(
        "timeout",
        `Timed out after ${deadline.budgetMs} ms waiting for a pooled connection during ${doing}: ` +
          `all ${this.size} connections of the pool are busy: raise poolSize or ` +
          `acquireTimeoutMs, or keep transactions short`,
      ));
    return this.#take();
  }

  /** Returns a client to the pool, handing it to the next waiter. */
  #release(client: PooledClient): void {
    if (performance.now() >= client.retireAt && !this.#closed) {
      client = this.#replace(client);
    } else {
      this.#idleSince.set(client, performance.now());
      this.#sweepIn(this.#settings.idleTimeoutMs);
    }
    this.#idle.push(client);
    this.#slots.leave();
  }

  /**
   * Makes a client whose connection failed safe to hand out again: postgres.js must see the
   * close before the next statement, or it may queue that statement on the dead socket for ever.
   * A client that does not see its close in time is replaced.
   *
   * @param client The client, still held by the caller.
   * @param generation Its generation before the failure.
   * @returns The client to release: the same one, or its replacement.
   */
  async #settle(
    client: PooledClient,
    generation: number,
  ): Promise<PooledClient> {
    if (client.generation !== generation || await client.closed(1000)) {
      return client;
    }
    return this.#replace(client, 0);
  }

  /** Throws `unavailable` once the pool is closed. */
  assertOpen(doing: string): void {
    if (this.#closed) {
      throw new StorageError(
        "unavailable",
        `Cannot run ${doing} as the storage is closed: open it again with openStorage()`,
      );
    }
  }

  /** Whether {@linkcode Pool.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Fails every waiter, waits (up to the acquire bound) for the callers holding a connection to
   * give it back, then closes every connection, letting running statements finish. A caller
   * holding a connection finishes its statement; its next one fails as `unavailable` (a
   * transaction rolls back), never on a connection ended under it.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#slots.failWaiting(() =>
      new StorageError(
        "unavailable",
        "Cannot run the call as the storage was closed while it waited for a connection",
      )
    );
    // The exclusive hold comes once every client handed out is back.
    await this.#slots.enter(
      true,
      new Deadline(this.#settings.acquireTimeoutMs),
      () => new Error("clients still out"),
    ).catch(ignore);
    clearTimeout(this.#sweep);
    await Promise.all([
      ...this.#all.map((client) => client.sql.end({ timeout: 5 })),
      ...this.#ending,
    ]);
  }

  #take(): PooledClient {
    const client = this.#idle.pop()!;
    this.#idleSince.delete(client);
    return client;
  }

  /** Closes, `ms` from now, the clients idle for `idleTimeoutMs` by then (one timer at most). */
  #sweepIn(ms: number): void {
    if (this.#settings.idleTimeoutMs === 0 || this.#sweep !== undefined) return;
    this.#sweep = setTimeout(() => {
      this.#sweep = undefined;
      if (this.#closed) return;
      const limit = this.#settings.idleTimeoutMs;
      let next = Infinity;
      this.#idle.forEach((client, at) => {
        const since = this.#idleSince.get(client);
        if (since === undefined) return;
        const idle = performance.now() - since;
        if (idle < limit) next = Math.min(next, limit - idle);
        else {
          this.#idleSince.delete(client);
          this.#idle[at] = this.#replace(client);
        }
      });
      if (next < Infinity) this.#sweepIn(next);
    }, ms);
  }

  /**
   * Closes a client (letting what it runs finish, up to `timeoutS`) and puts a new, unconnected
   * one in its place among all clients; the caller puts the new one where the old one was.
   */
  #replace(client: PooledClient, timeoutS = 5): PooledClient {
    const ending = client.sql.end({ timeout: timeoutS }).catch(ignore);
    this.#ending.add(ending);
    ending.finally(() => this.#ending.delete(ending));
    const fresh = new PooledClient(this.#settings);
    this.#all.splice(this.#all.indexOf(client), 1, fresh);
    return fresh;
  }
}
