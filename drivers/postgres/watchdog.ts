/**
 * The bound on a reply. The server cancels a statement that runs longer than
 * `statementTimeoutMs` (its `statement_timeout`), so a connection that owes a reply and stays
 * silent for that long plus {@linkcode SILENCE_GRACE_MS} is not waiting for the server: the
 * network has stalled (a host gone silent, a proxy that stopped passing bytes). The watchdog
 * then closes the socket; the statements waiting on it fail at once with an error saying no
 * reply came, and the client reconnects for the next one. TCP keepalive (postgres.js's, every
 * 60 s) cannot see such a stall: the stalled hop still acknowledges.
 *
 * Statements are watched from the moment they are awaited (sent) until they settle; a reply
 * to any of them counts as progress. A connection that has not finished its login is left to
 * `connectTimeoutMs`, which also ends a run of attempts that each close before the login. A
 * cursor's batches (`copy`, `migrate verify`) are not watched.
 *
 * @module
 */
import net from "node:net";
import { Duplex } from "node:stream";
import type { PgQuery } from "./client.ts";

/** How long past `statementTimeoutMs` a connection that owes a reply may stay silent, in ms. */
export const SILENCE_GRACE_MS = 2000;

/** The code of the error a statement fails with when its connection stayed silent. */
export const SILENT = "CONNECTION_SILENT";

/** A statement not awaited yet, awaited and not settled, settled. */
const UNWATCHED = 0, WATCHED = 1, SETTLED = 2;

/** What postgres.js hands the `socket` option. */
interface SocketOptions {
  host: string[];
  port: number[];
  path?: string | false;
}

/** The parts of a postgres.js query the watchdog hooks. */
interface RawQuery {
  then: PgQuery["then"];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Watches the statements of one connection and closes its socket when it stays silent. */
export class ReplyWatch {
  readonly #windowMs: number;
  readonly #statementTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  /** When the current run of connection attempts began; none once one logged in. */
  #connectingSince: number | undefined;
  /** Connection attempts in the current run. */
  #attempts = 0;
  #socket: net.Socket | undefined;
  /** The socket closed for silence: the errors its close causes say so. */
  #silenced: net.Socket | undefined;
  /** Whether the server has answered the login on the current socket. */
  #ready = false;
  #inFlight = 0;
  #progressAt = 0;
  /** The check of the statements in flight; left armed between statements (see `#begin`). */
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the connection is being closed: no more checks. */
  #stopped = false;

  /**
   * @param statementTimeoutMs The server's `statement_timeout`, in ms.
   * @param connectTimeoutMs How long connecting may take, in ms.
   */
  constructor(statementTimeoutMs: number, connectTimeoutMs: number) {
    this.#statementTimeoutMs = statementTimeoutMs;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#windowMs = statementTimeoutMs + SILENCE_GRACE_MS;
  }

  /**
   * postgres.js's `socket` option: opens the connection's socket (postgres.js writes to it at
   * once; the writes wait for the connection) and keeps it, to close it when silent.
   */
  readonly socket = (
    options: SocketOptions,
  ): net.Socket | Promise<net.Socket> => {
    // Attempts after the first of a run are paced: 10 ms doubling to 250 ms.
    if (this.#attempts++ === 0) return this.#open(options);
    const pause = Math.min(250, 5 * 2 ** this.#attempts);
    return new Promise((resolve) =>
      setTimeout(() => resolve(this.#open(options)), pause)
    );
  };

  #open(options: SocketOptions): net.Socket {
    // postgres.js connects again at once, for ever, when a connection closes before its login
    // completed (a proxy with no server behind it): the run of attempts ends at connectTimeoutMs.
    const now = performance.now();
    this.#connectingSince ??= now;
    if (now - this.#connectingSince >= this.#connectTimeoutMs) {
      this.#connectingSince = undefined;
      this.#attempts = 0;
      return failing(this.#connectFailed());
    }
    const host = options.host[0];
    const port = options.port[0] ?? 5432;
    const socket = options.path
      ? net.connect({ path: options.path })
      : net.connect({ host, port });
    // postgres.js names these in its connection errors.
    Object.assign(socket, { host, port });
    this.#socket = socket;
    this.#silenced = undefined;
    this.#ready = false;
    return socket;
  }

  #connectFailed(): Error {
    return Object.assign(
      new Error(
        `every connection closed before its login completed, for ${this.#connectTimeoutMs} ms ` +
          `(connectTimeoutMs)`,
      ),
      { code: "CONNECT_TIMEOUT" },
    );
  }

  /**
   * postgres.js's `onparameter` option: the server reports its parameters once the login
   * succeeded. Until then `connectTimeoutMs` bounds the wait, not the watchdog.
   */
  readonly onparameter = (): void => {
    this.#ready = true;
    this.#connectingSince = undefined;
    this.#attempts = 0;
  };

  /**
   * Watches a statement from when it is awaited until it settles, and makes a failure caused
   * by closing a silent connection say so.
   *
   * @param query The statement.
   * @returns The same statement.
   */
  watch(query: PgQuery): PgQuery {
    const raw = query as unknown as RawQuery;
    const { then, resolve, reject } = raw;
    let state = UNWATCHED;
    raw.resolve = (value) => {
      if (state === WATCHED) this.#end();
      state = SETTLED;
      resolve(value);
    };
    raw.reject = (error) => {
      if (state === WATCHED) this.#end();
      state = SETTLED;
      reject(this.#explain(error));
    };
    raw.then = ((ok, fail) => {
      if (state === UNWATCHED) {
        state = WATCHED;
        this.#begin();
      }
      return then.call(query, ok, fail);
    }) as PgQuery["then"];
    return query;
  }

  /** Stops watching: the connection is being closed. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #begin(): void {
    if (this.#inFlight++ > 0) return;
    this.#progressAt = performance.now();
    // One timer per window at most: a timer left from earlier statements checks again later.
    if (this.#timer === undefined) this.#arm(this.#windowMs);
  }

  #end(): void {
    // A statement settled before the login: that run of connection attempts is over.
    if (!this.#ready) {
      this.#connectingSince = undefined;
      this.#attempts = 0;
    }
    // With none left in flight, the next statement's start is the progress that counts.
    if (--this.#inFlight > 0) this.#progressAt = performance.now();
  }

  #arm(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.#check(), ms);
  }

  #check(): void {
    this.#timer = undefined;
    if (this.#inFlight === 0) return;
    const silentMs = performance.now() - this.#progressAt;
    if (silentMs < this.#windowMs || !this.#ready) {
      return this.#arm(Math.max(1, this.#windowMs - silentMs));
    }
    this.#silenced = this.#socket;
    this.#socket?.destroy();
  }

  #explain(error: unknown): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    if (
      this.#silenced === undefined ||
      (code !== "CONNECTION_CLOSED" && code !== "CONNECTION_DESTROYED")
    ) return error;
    return Object.assign(
      new Error(
        `no reply came for ${this.#windowMs} ms (statementTimeoutMs ${this.#statementTimeoutMs} ` +
          `plus ${SILENCE_GRACE_MS}): the connection was closed`,
      ),
      { code: SILENT },
    );
  }
}

/**
 * A socket that fails with `error` as soon as postgres.js listens to it (a real one might close
 * first, and postgres.js would connect again): postgres.js rejects the statements waiting to
 * be sent with it and treats the connection as closed.
 */
function failing(error: Error): net.Socket {
  const socket = new Duplex({
    read() {},
    write(_chunk, _encoding, done) {
      done();
    },
  });
  setTimeout(() => socket.destroy(error), 0);
  return socket as unknown as net.Socket;
}
