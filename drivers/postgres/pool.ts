/**
 * The connection pool: `poolSize` clients, with waits bounded by the caller's deadline. A
 * transaction, a write, and any other work that needs a session to itself holds a client
 * alone; the catalogue's reads are pipelined as postgres.js pipelines them: a read takes an idle
 * client if there is one, else it is sent on the client running the fewest reads (never on one
 * held alone, and never while a caller waits for a client, so none jumps the queue). The pool
 * alone decides when a connection closes: one that sat idle in the pool for `idleTimeoutMs` (or
 * lived past its lifetime) is closed there, never one a caller holds, whether in a transaction
 * or not. Each client reconnects by itself after its connection drops.
 *
 * The write gate: writes outside a transaction share it, a transaction holds it alone. So, as on
 * SQLite, a transaction open across `await`s makes the storage's other writes wait for it (and
 * a write awaited inside the transaction's own callback ends as `timeout`), while reads never
 * wait. Processes do not share the gate: PostgreSQL's row locks order them, taken by every
 * operation in the order src/ops/mod.ts documents.
 *
 * @module
 */
import { Deadline, type Sql, StorageError, WaitQueue } from "../../driver.ts";
import { type PgResult, PooledClient } from "./client.ts";
import type { PostgresSettings } from "./dialect.ts";
import { connectionFailure, gateTimeout } from "./errors.ts";
import { pgQuery } from "./statements.ts";

const ignore = () => {};

/** The most reads sent on one connection at once: postgres.js's own `max_pipeline`. */
const MAX_PIPELINE = 100;

/**
 * Hands out clients, alone or shared by reads; a wait past the caller's deadline is a
 * `timeout`. A client idle in the pool for `idleTimeoutMs` is closed and replaced by a new one
 * that connects when first used.
 */
export class Pool {
  readonly #settings: PostgresSettings;
  readonly #all: PooledClient[] = [];
  readonly #idle: PooledClient[] = [];
  /** Clients running reads only, each with how many; none held alone. */
  readonly #sharing = new Map<PooledClient, number>();
  /** Clients whose connection failed, given no new reads until that is settled. */
  readonly #suspect = new Set<PooledClient>();
  /** Clients whose connection did not close in time after failing: replaced once given back. */
  readonly #doomed = new Set<PooledClient>();
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
   * Runs `fn` holding a pooled connection alone (and, for writes, the write gate); both waits
   * end at the deadline, and the connection's row-lock waits are bounded by what is left of it.
   *
   * @param doing What is being done, for messages.
   * @param exclusive `true` for a transaction, `false` for another write, `null` for work that
   * takes no part in the gate (a read of the application's, a migration's session).
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
      client = this.#tryAcquire() ?? await this.#acquire(deadline, doing);
      generation = client.generation;
      client.boundLockWait(deadline.waitMs());
      return await fn(client);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      if (client) {
        if (failure !== undefined && connectionFailure(failure) !== "none") {
          await this.#settle(client, generation);
        }
        this.#release(client);
      }
      if (exclusive !== null) this.#gate.leave(exclusive);
    }
  }

  /**
   * Sends one of the catalogue's reads, pipelined: on an idle client, else on the client
   * running the fewest reads. It waits (until the deadline) only when no client can take it:
   * each is held alone, or runs `MAX_PIPELINE` reads, or a caller waits ahead of it.
   *
   * @param q The statement (not a write, not the application's).
   * @param params Its parameters.
   * @param deadline The call's deadline.
   * @returns Its rows and count.
   */
  read(
    q: Sql,
    params: readonly unknown[],
    deadline: Deadline,
  ): Promise<PgResult> {
    const client = this.#tryShare();
    return client === undefined
      ? this.#readWaiting(q, params, deadline)
      : this.#readOn(client, q, params, deadline);
  }

  #readOn(
    client: PooledClient,
    q: Sql,
    params: readonly unknown[],
    deadline: Deadline,
  ): Promise<PgResult> {
    const generation = client.generation;
    let sent: Promise<PgResult>;
    try {
      client.boundLockWait(deadline.waitMs());
      sent = pgQuery(client.sql, q, params);
    } catch (error) {
      this.#unshare(client);
      return Promise.reject(error);
    }
    return sent.then(
      (result) => {
        this.#unshare(client);
        return result;
      },
      (error) => this.#readFailed(client, generation, error),
    );
  }

  async #readWaiting(
    q: Sql,
    params: readonly unknown[],
    deadline: Deadline,
  ): Promise<PgResult> {
    const client = await this.#acquire(deadline, q.name);
    this.#sharing.set(client, 1);
    return await this.#readOn(client, q, params, deadline);
  }

  async #readFailed(
    client: PooledClient,
    generation: number,
    error: unknown,
  ): Promise<never> {
    if (connectionFailure(error) !== "none") {
      await this.#settle(client, generation);
    }
    this.#unshare(client);
    throw error;
  }

  /**
   * A client a read may be sent on now: an idle one (taken from the pool), else the one running
   * the fewest reads, unless a caller waits for a client (no read jumps the queue).
   */
  #tryShare(): PooledClient | undefined {
    if (this.#closed) return undefined;
    if (this.#slots.tryEnter()) {
      const client = this.#take();
      this.#sharing.set(client, 1);
      return client;
    }
    if (this.#slots.waiting > 0) return undefined;
    let best: PooledClient | undefined;
    let fewest = MAX_PIPELINE;
    const now = performance.now();
    for (const [client, reads] of this.#sharing) {
      // A client past its lifetime takes no more reads, so that it drains and is replaced.
      if (
        reads < fewest && now < client.retireAt && !this.#suspect.has(client)
      ) {
        best = client;
        fewest = reads;
      }
    }
    if (best !== undefined) this.#sharing.set(best, fewest + 1);
    return best;
  }

  /** Ends one read on a client; the last one gives the client back to the pool. */
  #unshare(client: PooledClient): void {
    const reads = this.#sharing.get(client)! - 1;
    if (reads > 0) {
      this.#sharing.set(client, reads);
      return;
    }
    this.#sharing.delete(client);
    this.#release(client);
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
    const now = performance.now();
    if (
      this.#doomed.delete(client) || (now >= client.retireAt && !this.#closed)
    ) {
      this.#suspect.delete(client);
      client = this.#replace(client);
    } else {
      this.#idleSince.set(client, now);
      this.#sweepIn(this.#settings.idleTimeoutMs);
    }
    this.#idle.push(client);
    this.#slots.leave();
  }

  /**
   * Makes a client whose connection failed safe to hand out again: postgres.js must see the
   * close before the next statement, or it may queue that statement on the dead socket for ever.
   * Until it does, no read is sent on the client; a client that does not see its close in time
   * is ended at once, and replaced once every caller has given it back.
   *
   * @param client The client, still held by the caller.
   * @param generation Its generation before the failure.
   */
  async #settle(client: PooledClient, generation: number): Promise<void> {
    if (client.generation !== generation) return;
    this.#suspect.add(client);
    if (await client.closed(1000)) {
      this.#suspect.delete(client);
      return;
    }
    this.#doomed.add(client);
    this.#end(client, 0);
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
   * Closes a client (letting what it runs finish, up to 5 s) and puts a new, unconnected one in
   * its place among all clients; the caller puts the new one where the old one was.
   */
  #replace(client: PooledClient): PooledClient {
    this.#end(client, 5);
    const fresh = new PooledClient(this.#settings);
    this.#all.splice(this.#all.indexOf(client), 1, fresh);
    return fresh;
  }

  /** Closes a client, letting what it runs finish up to `timeoutS` (a second call keeps the first's). */
  #end(client: PooledClient, timeoutS: number): void {
    const ending = client.sql.end({ timeout: timeoutS }).catch(ignore);
    this.#ending.add(ending);
    ending.finally(() => this.#ending.delete(ending));
  }
}
