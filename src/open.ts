/**
 * `openStorage`: connects through the driver of the URL's scheme, brings the schema up to date
 * (or checks it), and returns the {@linkcode Storage}.
 *
 * @module
 */
import { manifest } from "../migrations/mod.ts";
import { connect, parseOpenOptions } from "./connect.ts";
import type { Connection } from "./driver.ts";
import { runAppSql } from "./app_sql.ts";
import { bindMethods } from "./bind.ts";
import { asStorageError, StorageError } from "./errors.ts";
import { Migrator } from "./migrate/migrator.ts";
import { bindRepositories, REPOSITORIES } from "./ops/mod.ts";
import { ViewerExecutor } from "./ops/_access.ts";
import { type Board, DEFAULT_BOARD, setBoard } from "./ops/_board.ts";
import { checkViewer, VIEWED_DEFINITIONS } from "./ops/viewed.ts";
import {
  type Around,
  bindDefinition,
  type Definition,
} from "./repositories/_definition.ts";
import type {
  AnyDriver,
  DriverSections,
  OpenOptions,
  Repositories,
  Storage,
  StorageOps,
  TransactionOps,
} from "./storage.ts";
import { runTransaction } from "./transaction.ts";
import type * as V from "./validate.ts";

/** The methods of a storage besides its repositories: `transaction`, `close` and disposal. */
const METHODS: readonly (string | symbol)[] = [
  "transaction",
  "sql",
  "as",
  "close",
  Symbol.asyncDispose,
];

// The repositories are own properties, set once by the constructor (see bindRepositories).
interface OpenStorage extends Repositories {}

class OpenStorage implements Storage {
  #connection: Connection;

  #board: Board;

  /** With the telemetry on (the query log, tracing), what each operation runs through. */
  #around: Around | undefined;

  constructor(connection: Connection, board: Board, around?: Around) {
    this.#connection = connection;
    this.#board = board;
    this.#around = around;
    setBoard(connection.root, board);
    // Made once per storage, so a call costs a property read; their methods are bound functions, so
    // `const { create } = storage.users` works as `storage.users.create` does.
    Object.assign(this, bindRepositories(connection.root, around));
    // Bound, so a method taken off the storage works like the original (src/bind.ts).
    bindMethods(this, METHODS);
  }

  transaction<T>(fn: (tx: TransactionOps) => Promise<T>): Promise<T> {
    if (typeof fn !== "function") {
      return Promise.reject(
        new StorageError(
          "validation",
          `Invalid transaction input: fn must be a function: got ${typeof fn}`,
          {
            field: "fn",
          },
        ),
      );
    }
    const around = this.#around;
    if (around === undefined) {
      return runTransaction(this.#connection, fn, this.#board);
    }
    return around(
      "transaction",
      () => runTransaction(this.#connection, fn, this.#board, around),
    );
  }

  sql<T = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<T[]> {
    const run = () =>
      runAppSql<T>(this.#connection.root, text, params, "storage.sql");
    return this.#around === undefined
      ? run()
      : this.#around("storage.sql", run);
  }

  async as(userId: number): Promise<StorageOps> {
    const root = this.#connection.root;
    const around = this.#around;
    const check = () => checkViewer(root, userId, "storage.as");
    await (around === undefined ? check() : around("storage.as", check));
    const connection = this.#connection;
    const board = this.#board;
    // A viewer's write runs in a transaction of its own, which knows the board's settings.
    const viewer = new ViewerExecutor(
      root,
      userId,
      (fn) =>
        connection.transaction((executor) => {
          setBoard(executor, board);
          return fn(executor);
        }),
    );
    return Object.freeze(
      Object.fromEntries(
        REPOSITORIES.map((name) => [
          name,
          bindDefinition(
            VIEWED_DEFINITIONS[name] as Definition<unknown>,
            viewer,
            around && { name, run: around },
          ),
        ]),
      ),
    ) as unknown as StorageOps;
  }

  close(): Promise<void> {
    return this.#connection.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Opens a storage.
 *
 * URLs: `sqlite:<path>` (a file, created with its directory if missing; the path is taken as
 * written, up to a `?` that starts the parameters `engine` and `library`), `sqlite::memory:` (a
 * private in-memory database, gone on close), and `postgres://` or `postgresql://` URLs
 * (`postgres://user:password@host:port/database?poolSize=10`: one host, the documented
 * parameters once each; see the PostgreSQL driver's module for all of them). Drivers of the
 * caller's, `options.drivers`, are consulted first (see `@impulse/storage/driver`).
 *
 * @param url The database URL.
 * @param options What to do about migrations, wait bounds and retries; the caller's drivers,
 * and each driver's section.
 * @returns The open storage; close it when done (or use `await using`).
 * @throws {StorageError} `validation` for a bad URL or option; `not_found` when the database
 * does not exist and may not be created (`create: false`, `migrate: "check"`); `unavailable`
 * when the database cannot be opened or its path cannot hold one; `migration` when its schema
 * cannot be brought up to date (or, with `migrate: "check"`, is not current).
 *
 * @example
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const user = await storage.users.create({ username: "sysop", passwordHash: "x", securityLevel: 255 });
 * assert.equal((await storage.users.findByUsername("SYSOP"))?.id, user.id);
 * ```
 */
export async function openStorage<
  const D extends readonly AnyDriver[] = readonly [],
>(
  url: string,
  options?: OpenOptions<D> & DriverSections<D>,
): Promise<Storage> {
  try {
    const { options: parsed, drivers, sections, onQuery, clock } =
      parseOpenOptions(options, "openStorage");
    const connection = await connect(url, parsed, { drivers, sections });
    try {
      await prepareSchema(connection, parsed);
    } catch (error) {
      // A failed open creates nothing: a database it created goes again.
      await (connection.abandon?.() ?? connection.close());
      throw error;
    }
    const board = {
      maxNodes: parsed.maxNodes ?? DEFAULT_BOARD.maxNodes,
      zone: parsed.timeZone ?? DEFAULT_BOARD.zone,
      now: clock ?? DEFAULT_BOARD.now,
    };
    // Decided once: without the query log or a tracer provider, the storage runs the driver's
    // executors as they are, and nothing of the telemetry is loaded.
    const trace = tracerRegistered();
    if (onQuery === undefined && !trace) {
      return new OpenStorage(connection, board);
    }
    const { createTelemetry } = await import("./telemetry.ts");
    const telemetry = await createTelemetry(connection, { onQuery, trace });
    return new OpenStorage(
      telemetry.connection,
      board,
      (name, fn) => telemetry.operation(name, fn),
    );
  } catch (error) {
    throw asStorageError(error, "openStorage");
  }
}

/**
 * Whether an OpenTelemetry tracer provider is registered, by the application through
 * `@opentelemetry/api` 1.x or by Deno (`OTEL_DENO=true`): the global the API keeps it under is
 * set. Reads the global alone, so a storage that does not trace loads nothing of OpenTelemetry.
 */
function tracerRegistered(): boolean {
  const api = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[
    Symbol.for("opentelemetry.js.api.1")
  ];
  return api?.trace !== undefined;
}

/**
 * Brings the schema up to date, or checks it. Both only read when there is nothing to apply;
 * applying waits for another process's migration at most `acquireTimeoutMs`.
 */
async function prepareSchema(
  connection: Connection,
  { migrate, acquireTimeoutMs }: V.ParsedOpenOptions,
): Promise<void> {
  const migrator = new Migrator(
    connection.migrationTarget(),
    manifest[connection.dialect] ?? [],
    { lockTimeoutMs: acquireTimeoutMs },
  );
  if (migrate === "up") await migrator.up();
  if (migrate !== "check") return;
  const behind = (await migrator.status()).filter((line) =>
    line.state !== "applied"
  );
  if (behind.length > 0) {
    const list = behind.map((line) =>
      `${line.version} (${line.name}) is ${line.state}`
    ).join(", ");
    throw new StorageError(
      "migration",
      `The database schema is not current: ${list}: run \`deno task migrate\``,
      { version: behind[0]!.version },
    );
  }
}
