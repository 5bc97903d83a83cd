/**
 * The query log (`OpenOptions.onQuery`) and OpenTelemetry tracing of a storage (docs/tracing.md).
 * `openStorage` loads this module only when the caller gave `onQuery` or an OpenTelemetry tracer
 * provider is registered; otherwise nothing here runs and the storage runs its statements on the
 * driver's executors as they are.
 *
 * With it, the storage's connection is wrapped ({@linkcode Telemetry.connection}): every
 * statement run through an executor (the storage's, a transaction's, an atomic block's) is timed
 * and reported, and each operation runs through {@linkcode Telemetry.operation}, which remembers
 * the operation (and its span) for the statements it issues, however many `await`s apart.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type * as Api from "@opentelemetry/api";
import type {
  Awaitable,
  Connection,
  Executor,
  NamedRow,
  Queryable,
  Row,
  Sql,
} from "./driver.ts";
import { refusedStatement } from "./app_sql.ts";
import { DatabaseError, StorageError } from "./errors.ts";
import type { QueryEvent } from "./storage.ts";

/** The name of the storage's tracer (its instrumentation scope). */
const TRACER = "@impulse/storage";

/** OpenTelemetry's `db.system.name` for a dialect, where it differs from the dialect's name. */
const SYSTEMS: Readonly<Record<string, string>> = { postgres: "postgresql" };

/** The operation running, as the statements it issues find it. */
interface Frame {
  readonly operation: string;
  readonly span: Api.Span | undefined;
  readonly context: Api.Context | undefined;
  /**
   * Whether the query log runs it, or an operation it started: its statements are not reported
   * to the query log (they would report themselves without end).
   */
  readonly silent: boolean;
}

/** How a statement's result counts rows: returned ones, or changed ones for `run`. */
type Count<T> = (result: T) => number;
const countList: Count<unknown[]> = (rows) => rows.length;
const countOne: Count<Row | undefined> = (row) => row === undefined ? 0 : 1;
const countChanged: Count<number> = (changed) => changed;
/** The application's statement: the rows a write changed, where the driver says, else returned. */
const countApp: Count<NamedRow[] & { changed?: number }> = (rows) =>
  rows.changed ?? rows.length;

/** What {@linkcode createTelemetry} needs to know. */
export interface TelemetryOptions {
  /** The query log, when given. */
  onQuery?: (event: QueryEvent) => unknown;
  /** Whether to make OpenTelemetry spans (a tracer provider is registered). */
  trace: boolean;
}

/**
 * Makes the telemetry of one storage: loads `@opentelemetry/api` when it traces.
 *
 * @param connection The driver's connection.
 * @param options The query log, and whether to trace.
 * @returns The telemetry.
 */
export async function createTelemetry(
  connection: Connection,
  options: TelemetryOptions,
): Promise<Telemetry> {
  const api = options.trace ? await import("@opentelemetry/api") : undefined;
  return new Telemetry(connection, options.onQuery, api);
}

/** The query log and the spans of one storage (see the module doc). */
export class Telemetry {
  /** The connection whose executors report every statement. */
  readonly connection: Connection;
  #frames = new AsyncLocalStorage<Frame>();
  #onQuery: ((event: QueryEvent) => unknown) | undefined;
  #api: typeof Api | undefined;
  #tracer: Api.Tracer | undefined;
  #system: string;
  #attributes: Api.Attributes;
  #reported = false;
  /** Whether the query log is running (see Frame.silent). */
  #delivering = false;

  constructor(
    connection: Connection,
    onQuery: ((event: QueryEvent) => unknown) | undefined,
    api: typeof Api | undefined,
  ) {
    this.#onQuery = onQuery;
    this.#api = api;
    this.#tracer = api?.trace.getTracer(TRACER);
    this.#system = SYSTEMS[connection.dialect] ?? connection.dialect;
    this.#attributes = {
      "db.system.name": this.#system,
      ...(connection.namespace === undefined
        ? {}
        : { "db.namespace": connection.namespace }),
    };
    const root = new ReportingExecutor(connection.root, this, false);
    const wrapped: Connection = {
      dialect: connection.dialect,
      ...(connection.namespace === undefined
        ? {}
        : { namespace: connection.namespace }),
      root,
      transaction: (fn) =>
        connection.transaction((tx) =>
          fn(new ReportingExecutor(tx, this, true))
        ),
      migrationTarget: () => connection.migrationTarget(),
      close: () => connection.close(),
    };
    if (connection.abandon) wrapped.abandon = () => connection.abandon!();
    if (connection.copyTarget) {
      wrapped.copyTarget = () => connection.copyTarget!();
    }
    this.connection = wrapped;
  }

  /**
   * Runs an operation: the statements it issues report it as theirs, and, when tracing, it has a
   * span (a child of the operation it runs in, if any, else of the active context) whose
   * children are its statements' spans and the operations it runs.
   *
   * @param name The operation: `users.get`, `transaction`, `storage.sql`.
   * @param fn The operation.
   * @returns What `fn` returns.
   */
  operation<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const api = this.#api;
    const outer = this.#frames.getStore();
    // Started by the query log (synchronously, while it runs), or by an operation it started.
    const silent = this.#delivering || outer?.silent === true;
    if (api === undefined) {
      return this.#frames.run(
        { operation: name, span: undefined, context: undefined, silent },
        fn,
      );
    }
    const parent = outer?.context ?? api.context.active();
    const span = this.#tracer!.startSpan(name, {
      kind: api.SpanKind.INTERNAL,
      attributes: { ...this.#attributes, "db.operation.name": name },
    }, parent);
    const context = api.trace.setSpan(parent, span);
    let result: Promise<T>;
    try {
      // The active context too: the application's own spans inside a transaction's callback are
      // the transaction's children where a context manager is installed.
      result = this.#frames.run(
        { operation: name, span, context, silent },
        () => api.context.with(context, fn),
      );
    } catch (error) {
      this.#fail(span, error);
      span.end();
      throw error;
    }
    result.then(() => span.end(), (error) => {
      this.#fail(span, error);
      span.end();
    });
    return result;
  }

  /**
   * Runs one statement and reports it: an event to the query log, a span.
   *
   * @param q The statement.
   * @param inTransaction Whether it runs in `storage.transaction()`.
   * @param count How its result counts rows.
   * @param returns Whether those rows are returned ones (a query) or changed ones.
   * @param run Runs it.
   * @returns What `run` returns, synchronously when it does.
   */
  statement<T>(
    q: Sql,
    inTransaction: boolean,
    count: Count<T>,
    returns: boolean,
    run: () => Awaitable<T>,
  ): Awaitable<T> {
    const frame = this.#frames.getStore();
    const span = this.#statementSpan(q, frame);
    const start = performance.now();
    let result: Awaitable<T>;
    try {
      result = run();
    } catch (error) {
      this.#done(q, frame, inTransaction, start, span, undefined, error);
      throw error;
    }
    if (typeof (result as Promise<T> | undefined)?.then === "function") {
      return (result as Promise<T>).then((value) => {
        this.#done(q, frame, inTransaction, start, span, {
          rows: count(value),
          returns,
        });
        return value;
      }, (error) => {
        this.#done(q, frame, inTransaction, start, span, undefined, error);
        throw error;
      });
    }
    this.#done(q, frame, inTransaction, start, span, {
      rows: count(result as T),
      returns,
    });
    return result;
  }

  #statementSpan(q: Sql, frame: Frame | undefined): Api.Span | undefined {
    const api = this.#api;
    // A statement of an operation that is not sampled is not either.
    if (api === undefined || frame?.span?.isRecording() === false) {
      return undefined;
    }
    const name = q.app ? "sql" : q.name;
    const attributes: Api.Attributes = {
      ...this.#attributes,
      "db.query.summary": name,
    };
    if (q.text !== "") attributes["db.query.text"] = q.text;
    return this.#tracer!.startSpan(
      name,
      { kind: api.SpanKind.CLIENT, attributes },
      frame?.context ?? api.context.active(),
    );
  }

  #done(
    q: Sql,
    frame: Frame | undefined,
    inTransaction: boolean,
    start: number,
    span: Api.Span | undefined,
    outcome: { rows: number; returns: boolean } | undefined,
    error?: unknown,
  ): void {
    const durationMs = performance.now() - start;
    if (span !== undefined) {
      if (outcome === undefined) {
        this.#fail(span, error, statementKind(q, error));
      } else if (outcome.returns) {
        span.setAttribute("db.response.returned_rows", outcome.rows);
      }
      span.end();
    }
    const onQuery = this.#onQuery;
    if (onQuery === undefined || frame?.silent === true) return;
    const event: QueryEvent = {
      name: q.app ? "sql" : q.name,
      operation: frame?.operation ?? q.name,
      system: this.#system,
      inTransaction,
      durationMs,
      ...(outcome === undefined
        ? { error: statementKind(q, error) }
        : { rows: outcome.rows }),
    };
    // What the query log starts is not reported to it (see Frame.silent).
    this.#delivering = true;
    try {
      const returned = onQuery(event) as Promise<unknown> | undefined;
      if (typeof returned?.then === "function") {
        returned.then(undefined, (reason) => this.#report(reason));
      }
    } catch (reason) {
      this.#report(reason);
    } finally {
      this.#delivering = false;
    }
  }

  /**
   * Marks a span failed: the kind as `error.type` (an application's own error: its name), the
   * database's code; never a message.
   */
  #fail(span: Api.Span, error: unknown, type = errorType(error)): void {
    span.setStatus({ code: this.#api!.SpanStatusCode.ERROR });
    span.setAttribute("error.type", type);
    const cause = error instanceof StorageError ? error.cause : undefined;
    const code = cause instanceof DatabaseError
      ? cause.errcode ?? cause.code
      : undefined;
    if (code !== undefined) {
      span.setAttribute("db.response.status_code", String(code));
    }
  }

  /** Reports the query log's first failure on the console; drops it and every later one. */
  #report(reason: unknown): void {
    if (this.#reported) return;
    this.#reported = true;
    console.error(
      `@impulse/storage: the onQuery callback failed; its errors are dropped from now on, and ` +
        `the operations go on: fix the callback: ${
          reason instanceof Error
            ? `${reason.name}: ${reason.message}`
            : typeof reason
        }`,
    );
  }
}

function kindOf(error: unknown): QueryEvent["error"] & string {
  return error instanceof StorageError ? error.kind : "internal";
}

/**
 * The kind of a failed statement, as its caller receives it: the database's refusal of an
 * application's statement reaches it as `validation` (see `runAppSql`).
 */
function statementKind(q: Sql, error: unknown): QueryEvent["error"] & string {
  return q.app && refusedStatement(error) ? "validation" : kindOf(error);
}

/**
 * An operation span's `error.type`: the StorageError kind; for what the application's own callback threw
 * (a transaction's), the error's name (`Error`, `RangeError`), as OpenTelemetry's convention
 * asks when there is no code; `_OTHER` for a thrown value that is not an Error.
 */
function errorType(error: unknown): string {
  if (error instanceof StorageError) return error.kind;
  return error instanceof Error ? error.name : "_OTHER";
}

/** An executor that reports each statement it runs to the telemetry. */
class ReportingQueryable implements Queryable {
  readonly #inner: Queryable;
  readonly #t: Telemetry;
  readonly #tx: boolean;
  rows?: (
    q: Sql,
    params: readonly unknown[],
  ) => Awaitable<NamedRow[] & { changed?: number }>;

  constructor(inner: Queryable, telemetry: Telemetry, inTransaction: boolean) {
    this.#inner = inner;
    this.#t = telemetry;
    this.#tx = inTransaction;
    if (typeof inner.rows === "function") {
      this.rows = (q, params) =>
        this.#t.statement(
          q,
          this.#tx,
          countApp,
          !q.write,
          () => this.#inner.rows!(q, params),
        );
    }
  }

  all(q: Sql, params: readonly unknown[]): Awaitable<Row[]> {
    return this.#t.statement(
      q,
      this.#tx,
      countList,
      true,
      () => this.#inner.all(q, params),
    );
  }

  get(q: Sql, params: readonly unknown[]): Awaitable<Row | undefined> {
    return this.#t.statement(
      q,
      this.#tx,
      countOne,
      true,
      () => this.#inner.get(q, params),
    );
  }

  run(q: Sql, params: readonly unknown[]): Awaitable<number> {
    return this.#t.statement(
      q,
      this.#tx,
      countChanged,
      false,
      () => this.#inner.run(q, params),
    );
  }
}

/** {@linkcode ReportingQueryable} with atomic blocks, whose statements it reports too. */
class ReportingExecutor extends ReportingQueryable implements Executor {
  readonly #inner: Executor;
  readonly #telemetry: Telemetry;
  readonly #inTransaction: boolean;

  constructor(inner: Executor, telemetry: Telemetry, inTransaction: boolean) {
    super(inner, telemetry, inTransaction);
    this.#inner = inner;
    this.#telemetry = telemetry;
    this.#inTransaction = inTransaction;
  }

  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.#inner.atomic((q) =>
      fn(new ReportingQueryable(q, this.#telemetry, this.#inTransaction))
    );
  }
}
