/**
 * A TCP proxy in front of the test server that can go silent: while stalled it reads and drops
 * every byte both ways and closes nothing, as a host that vanished or a broken middlebox would.
 *
 * @module
 */

/** A proxy to `host:port`, listening on a port of its own on 127.0.0.1. */
export class StallProxy implements AsyncDisposable {
  /** Whether bytes are dropped instead of passed on. */
  stalled = false;
  /** Whether connections opened from now on are stalled from the start (even while `stalled` is off). */
  stallNew = false;
  /** Whether connections opened from now on are closed at once, before any byte passes. */
  closeNew = false;
  /** How many connections it has accepted. */
  accepted = 0;
  readonly #listener: Deno.Listener;
  readonly #target: { hostname: string; port: number };
  readonly #pairs = new Set<[Deno.Conn, Deno.Conn]>();
  readonly #tasks = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;

  /** @param target The server. */
  constructor(target: { hostname: string; port: number }) {
    this.#target = target;
    this.#listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    this.#accepting = this.#accept();
  }

  /** The port it listens on. */
  get port(): number {
    return (this.#listener.addr as Deno.NetAddr).port;
  }

  /** How many connections pass through it now. */
  get connections(): number {
    return this.#pairs.size;
  }

  /** Rewrites a server URL to go through the proxy. */
  url(serverUrl: string): string {
    const url = new URL(serverUrl);
    url.hostname = "127.0.0.1";
    url.port = String(this.port);
    return url.toString();
  }

  /** Closes every connection passing through (the clients see them end). */
  cut(): void {
    for (const pair of this.#pairs) close(pair);
    this.#pairs.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    this.cut();
    await Promise.all(this.#tasks);
  }

  async #accept(): Promise<void> {
    try {
      for await (const client of this.#listener) {
        this.accepted++;
        if (this.closeNew) {
          client.close();
          continue;
        }
        const stall = this.stallNew;
        const task = this.#serve(client, stall);
        this.#tasks.add(task);
        task.finally(() => this.#tasks.delete(task));
      }
    } catch {
      // The listener was closed.
    }
  }

  async #serve(client: Deno.Conn, stallFromStart: boolean): Promise<void> {
    let server: Deno.Conn;
    try {
      server = await Deno.connect(this.#target);
    } catch {
      client.close();
      return;
    }
    const pair: [Deno.Conn, Deno.Conn] = [client, server];
    this.#pairs.add(pair);
    const stalled = () => stallFromStart || this.stalled;
    await Promise.all([
      this.#pipe(client, server, stalled),
      this.#pipe(server, client, stalled),
    ]);
    this.#pairs.delete(pair);
    close(pair);
  }

  async #pipe(
    from: Deno.Conn,
    to: Deno.Conn,
    stalled: () => boolean,
  ): Promise<void> {
    const buffer = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        if (!stalled()) await to.write(buffer.subarray(0, n));
      }
    } catch {
      // Either side closed.
    }
    // One side ended: end the other, as a proxy that passes closes does.
    try {
      to.close();
    } catch {
      // Already closed.
    }
  }
}

function close(pair: [Deno.Conn, Deno.Conn]): void {
  for (const conn of pair) {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }
}
