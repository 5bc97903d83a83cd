/**
 * One pooled connection: a single-connection postgres.js client, seen by the driver only
 * through the small {@linkcode PgClient} interface. postgres.js's own idle and lifetime timers
 * are off, as they cannot tell a connection with an open transaction from an idle one: the pool
 * decides when a connection closes. Every statement is bounded: the server cancels it after
 * `statementTimeoutMs`, and a connection that stays silent longer is closed (see `watchdog.ts`).
 *
 * @module
 */
import type { Writable } from "node:stream";
import postgres from "postgres";
import type { PostgresSettings } from "./dialect.ts";
import { toStorageError } from "./errors.ts";
import { ReplyWatch } from "./watchdog.ts";

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
 * @param watch The watchdog of its replies, which opens its sockets.
 * @returns Options for `postgres()`.
 */
export function clientOptions(
  s: PostgresSettings,
  onclose: () => void,
  watch: ReplyWatch,
): Record<string, unknown> {
  return {
    host: s.host || undefined,
    port: s.port || undefined,
    database: s.database || undefined,
    username: s.user || undefined,
    password: s.password || undefined,
    ssl: s.tls,
    max: 1,
    // Off: postgres.js would close a connection between two statements of an open transaction.
    // The pool closes connections idle in it (see Pool).
    idle_timeout: 0,
    max_lifetime: 0,
    connect_timeout: s.connectTimeoutMs / 1000,
    prepare: true,
    fetch_types: false,
    onnotice: () => {},
    onclose,
    socket: watch.socket,
    onparameter: watch.onparameter,
    // Reconnect at once when asked: the driver paces its own retries.
    backoff: 0,
    connection: {
      application_name: s.applicationName,
      // A row lock is waited for at most as long as the call's deadline leaves (see
      // PooledClient.boundLockWait); this is the value a fresh connection starts with.
      lock_timeout: String(lockWaitMs(s.acquireTimeoutMs)),
      // The server ends a statement that runs longer (57014, `timeout`); the watchdog closes a
      // connection silent for longer still.
      statement_timeout: String(s.statementTimeoutMs),
      // The reading commands (status, verify, copy's source, dry runs): the server refuses writes.
      ...(s.readOnly ? { default_transaction_read_only: "on" } : {}),
    },
    // bigint (int8) columns and count(*) come back as numbers: every stored integer is a safe one.
    types: {
      // postgres.js spells a number `'' + x`, which writes −0 as 0.
      number: {
        to: 0,
        from: [21, 23, 26, 700, 701],
        serialize: (x: unknown) => Object.is(x, -0) ? "-0" : String(x),
        parse: Number,
      },
      bigint: {
        to: 20,
        from: [20],
        parse: Number,
        serialize: String,
      },
    },
  };
}

/** `lock_timeout` in ms for a wait bound (0 would mean no bound at all to PostgreSQL). */
function lockWaitMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

/**
 * How far a session's `lock_timeout` may be from a call's bound before it is set again: within
 * it, a call may wait that much longer (or shorter) for a row lock than its deadline says.
 */
export const LOCK_SLACK_MS = 25;

const ignore = () => {};

/**
 * One pooled connection. It reconnects by itself when used after its connection closed; its
 * `generation` grows at each close, so a transaction can tell that it lost its connection.
 */
export class PooledClient {
  /** The postgres.js client (`max: 1`). */
  readonly sql: PgClient;
  /** How many times the connection has closed. */
  generation = 0;
  /** When the pool retires it (ms, `performance.now`), once it is back in the pool. */
  readonly retireAt: number;
  /** The session's `lock_timeout` as last set, in ms; `NaN` when unknown. */
  #lockTimeoutMs: number;
  #onClose: (() => void)[] = [];

  /**
   * Creates the client without connecting.
   *
   * @param settings The pool settings.
   * @throws {StorageError} `unavailable` when the environment cannot be read (`--allow-env`).
   */
  constructor(settings: PostgresSettings) {
    const initial = lockWaitMs(settings.acquireTimeoutMs);
    this.#lockTimeoutMs = initial;
    // As postgres.js would: 30 to 60 minutes, spread so the pool does not renew all at once.
    this.retireAt = performance.now() + 60_000 * (30 + Math.random() * 30);
    const watch = new ReplyWatch(
      settings.statementTimeoutMs,
      settings.connectTimeoutMs,
    );
    try {
      const raw = postgres(
        clientOptions(settings, () => {
          this.generation++;
          // A new connection starts from the connection parameter again.
          this.#lockTimeoutMs = initial;
          for (const resolve of this.#onClose.splice(0)) resolve();
        }, watch),
      ) as unknown as PgClient;
      this.sql = {
        unsafe: (text, params, options) =>
          watch.watch(raw.unsafe(text, params, options)),
        end: (options) => {
          watch.stop();
          return raw.end(options);
        },
      };
    } catch (error) {
      throw toStorageError(error, { doing: "open", where: settings.where });
    }
  }

  /**
   * Makes the next statement wait for row locks at most `waitMs`: sends `SET lock_timeout`
   * ahead of it (pipelined, no extra round trip) when the session's value is more than
   * {@linkcode LOCK_SLACK_MS} away, which happens only after a call has waited.
   *
   * @param waitMs What is left of the call's deadline, in ms.
   */
  boundLockWait(waitMs: number): void {
    const ms = lockWaitMs(waitMs);
    if (Math.abs(this.#lockTimeoutMs - ms) <= LOCK_SLACK_MS) return;
    this.sql.unsafe(`SET lock_timeout = ${ms}`).execute().catch(ignore);
    this.#lockTimeoutMs = ms;
  }

  /** Forgets the session's `lock_timeout` after a rollback (which may have undone a SET). */
  forgetLockWait(): void {
    this.#lockTimeoutMs = NaN;
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
