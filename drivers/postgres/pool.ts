/**
 * The connection pool: `poolSize` single-connection postgres.js clients handed out one caller
 * at a time, with a bounded wait. Each client reconnects by itself after its connection drops.
 * The driver sees postgres.js only through the small {@linkcode PgClient} interface.
 *
 * @module
 */
import type { Writable } from "node:stream";
import postgres from "postgres";
import { StorageError } from "../../src/errors.ts";
import type { PostgresSettings } from "./dialect.ts";
import { toStorageError } from "./errors.ts";

/** The rows of a statement (as arrays in select-list order) and how many rows it changed. */
export interface PgResult extends Array<unknown[]> {
  /** Rows changed (or returned). */
  count: number | null;
  /** The command tag, like `INSERT` or `COMMIT` (`ROLLBACK` for a failed transaction). */
  command: string | null;
}

/** A statement sent (or about to be sent) by a client. */
export interface PgQuery extends Promise<PgResult> {
  /** Asks for rows as arrays. */
  values(): PgQuery;
  /** Sends the statement now rather than when awaited. */
  execute(): PgQuery;
  /** For `COPY … FROM STDIN`: a stream to write the data to. */
  writable(): Promise<Writable>;
  /** Reads the rows in batches of `rows`, through a portal. */
  cursor(rows: number): AsyncIterable<Record<string, unknown>[]>;
}

/** The part of a postgres.js client the driver uses. */
export interface PgClient {
  /** Runs SQL text with `$n` parameters; prepared (and cached per connection) when asked. */
  unsafe(
    text: string,
    params?: unknown[],
    options?: { prepare?: boolean },
  ): PgQuery;
  /** Closes the connection, waiting up to `timeout` seconds for running statements. */
  end(options?: { timeout?: number }): Promise<void>;
}

/**
 * The client options of one pooled connection.
 *
 * @param s The settings.
 * @param onclose Called each time the connection closes.
 * @returns Options for `postgres()`.
 */
export function clientOptions(
  s: PostgresSettings,
  onclose: () => void,
): Record<string, unknown> {
  return {
    host: s.host || undefined,
    port: s.port || undefined,
    database: s.database || undefined,
    username: s.user || undefined,
    password: s.password || undefined,
    ssl: s.tls,
    max: 1,
    idle_timeout: s.idleTimeoutMs / 1000,
    connect_timeout: s.connectTimeoutMs / 1000,
    prepare: true,
    fetch_types: false,
    onnotice: () => {},
    onclose,
    // Reconnect at once when asked: the driver paces its own retries.
    backoff: 0,
    connection: {
      application_name: s.applicationName,
      // A row lock held by another process is waited for as long as a pooled connection.
      lock_timeout: String(Math.max(1, s.acquireTimeoutMs)),
    },
    // bigint (int8) columns and count(*) come back as numbers: every stored integer is a safe one.
    types: {
      bigint: {
        to: 20,
        from: [20],
        parse: Number,
        serialize: String,
      },
    },
  };
}

/**
 * One pooled connection. It reconnects by itself when used after its connection closed; its
 * `generation` grows at each close, so a transaction can tell that it lost its connection.
 */
export class PooledClient {
  /** The postgres.js client (`max: 1`). */
  readonly sql: PgClient;
  /** How many times the connection has closed. */
  generation = 0;
  #onClose: (() => void)[] = [];

  /**
   * Creates the client without connecting.
   *
   * @param settings The pool settings.
   * @throws {StorageError} `unavailable` when the environment cannot be read (`--allow-env`).
   */
  constructor(settings: PostgresSettings) {
    try {
      this.sql = postgres(
        clientOptions(settings, () => {
          this.generation++;
          for (const resolve of this.#onClose.splice(0)) resolve();
        }),
      ) as unknown as PgClient;
    } catch (error) {
      throw toStorageError(error, "open", settings.where);
    }
  }

  /**
   * Waits until the connection has closed, at most `timeoutMs`.
   *
   * @param timeoutMs The bound.
   * @returns Whether it closed.
   */
  closed(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#onClose.splice(this.#onClose.indexOf(done), 1);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#onClose.push(done);
    });
  }
}

interface Waiter {
  grant(client: PooledClient): void;
  fail(error: StorageError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Hands out clients one caller at a time; a wait longer than its bound is a `timeout`. */
export class Pool {
  readonly #settings: PostgresSettings;
  readonly #all: PooledClient[] = [];
  readonly #idle: PooledClient[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #graceMs: number;
  /** Resolves `close()`'s wait once every client is back. */
  #drained: (() => void) | null = null;
  #closed = false;

  /**
   * Creates the clients (without connecting).
   *
   * @param settings The pool settings.
   */
  constructor(settings: PostgresSettings) {
    this.#settings = settings;
    this.#graceMs = settings.acquireTimeoutMs;
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

  /** Takes an idle client if there is one, nobody waits and the pool is open. */
  tryAcquire(): PooledClient | undefined {
    return this.#waiters.length === 0 && !this.#closed
      ? this.#idle.pop()
      : undefined;
  }

  /**
   * Waits for a client.
   *
   * @param timeoutMs How long to wait.
   * @param doing What the caller wants to do, for the message.
   * @throws {StorageError} `timeout` when every connection stayed busy for `timeoutMs`.
   */
  acquire(timeoutMs: number, doing: string): Promise<PooledClient> {
    this.assertOpen(doing);
    const client = this.tryAcquire();
    if (client) return Promise.resolve(client);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: (client) => {
          clearTimeout(waiter.timer);
          resolve(client);
        },
        fail: (error) => {
          clearTimeout(waiter.timer);
          reject(error);
        },
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(
            new StorageError(
              "timeout",
              `Timed out after ${timeoutMs} ms waiting for a pooled connection during ${doing}: ` +
                `all ${this.size} connections of the pool are busy: raise poolSize or ` +
                `acquireTimeoutMs, or keep transactions short`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Returns a client to the pool, handing it to the next waiter. */
  release(client: PooledClient): void {
    const next = this.#waiters.shift();
    if (next) return next.grant(client);
    this.#idle.push(client);
    if (this.#idle.length === this.#all.length) this.#drained?.();
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
  async settle(
    client: PooledClient,
    generation: number,
  ): Promise<PooledClient> {
    if (client.generation !== generation || await client.closed(1000)) {
      return client;
    }
    client.sql.end({ timeout: 0 }).catch(() => {});
    const fresh = new PooledClient(this.#settings);
    this.#all.splice(this.#all.indexOf(client), 1, fresh);
    return fresh;
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
    for (const waiter of this.#waiters.splice(0)) {
      waiter.fail(
        new StorageError(
          "unavailable",
          "Cannot run the call as the storage was closed while it waited for a connection",
        ),
      );
    }
    if (this.#idle.length < this.#all.length) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        timer = setTimeout(resolve, this.#graceMs);
      });
      clearTimeout(timer);
    }
    await Promise.all(
      this.#all.map((client) => client.sql.end({ timeout: 5 })),
    );
  }
}
