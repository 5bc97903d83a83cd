/**
 * The query log (`OpenOptions.onQuery`) and the OpenTelemetry spans, from docs/tracing.md, on a
 * SQLite file and on PostgreSQL: one event per statement the driver ran (a caller's driver around
 * the built-in one records what each executor was asked to run, the ground truth), with its
 * catalogue name, operation and rows; the error kind of a failing statement; no parameter value
 * anywhere; a callback that throws or rejects changes nothing; and, with an in-memory tracer
 * provider registered, one span per operation whose children are its statements' spans.
 */
import assert from "node:assert/strict";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { openStorage, type QueryEvent, StorageError } from "../mod.ts";
import type {
  Connection,
  Driver,
  Executor,
  Queryable,
  Sql,
} from "../driver.ts";
import { driver as sqliteDriver } from "../drivers/sqlite/mod.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";

/** A value that must never reach an event or a span. */
const SECRET = "s3cr3t-Value-4711";

interface Place {
  name: string;
  ignore: string | undefined;
  /** A fresh database's URL, and how to remove it. */
  fresh(): Promise<{ url: string; remove(): Promise<void> }>;
  /** The built-in driver of its URLs. */
  builtIn(): Promise<Driver>;
  system: string;
}

const PLACES: Place[] = [
  {
    name: "sqlite-file",
    ignore: undefined,
    system: "sqlite",
    async fresh() {
      const dir = await Deno.makeTempDir({ prefix: "impulse-telemetry-" });
      return {
        url: `sqlite:${dir}/board.db`,
        remove: () => Deno.remove(dir, { recursive: true }),
      };
    },
    builtIn: () => Promise.resolve(sqliteDriver as Driver),
  },
  {
    name: "postgres",
    ignore: postgresMissing,
    system: "postgresql",
    async fresh() {
      const database = await createDatabase("impulse_telemetry");
      return {
        url: database.url,
        remove: () => database[Symbol.asyncDispose](),
      };
    },
    builtIn: async () =>
      (await import("../drivers/postgres/mod.ts")).driver as Driver,
  },
];

/** The built-in driver, recording the name of every statement its executors are asked to run. */
function recording(builtIn: Driver, ran: string[]): Driver {
  const name = (q: Sql) => q.app ? "sql" : q.name;
  const wrapQ = (x: Queryable): Queryable => {
    const wrapped: Queryable = {
      all: (q, p) => (ran.push(name(q)), x.all(q, p)),
      get: (q, p) => (ran.push(name(q)), x.get(q, p)),
      run: (q, p) => (ran.push(name(q)), x.run(q, p)),
    };
    if (x.rows) wrapped.rows = (q, p) => (ran.push(name(q)), x.rows!(q, p));
    return wrapped;
  };
  const wrapX = (x: Executor): Executor => ({
    ...wrapQ(x),
    atomic: (fn) => x.atomic((q) => fn(wrapQ(q))),
  });
  return {
    name: "recording",
    schemes: builtIn.schemes,
    async connect(url, options) {
      const c: Connection = await builtIn.connect(url, {
        ...options,
        driver: undefined,
      });
      const root = wrapX(c.root);
      return {
        dialect: c.dialect,
        ...(c.namespace === undefined ? {} : { namespace: c.namespace }),
        root,
        transaction: (fn) => c.transaction((tx) => fn(wrapX(tx))),
        migrationTarget: () => c.migrationTarget(),
        close: () => c.close(),
      };
    },
  };
}

/** Operations of every kind: reads, writes with atomic blocks, a transaction, the app's SQL. */
async function scenario(
  storage: Awaited<ReturnType<typeof openStorage>>,
): Promise<number> {
  const user = await storage.users.create({
    username: SECRET,
    passwordHash: `hash-${SECRET}`,
  });
  await storage.users.get(user.id);
  await storage.users.get(999_999);
  await storage.users.findByUsername(SECRET);
  const area = await storage.messageAreas.create({
    tag: "general",
    name: "General",
  });
  await storage.messages.post({
    areaId: area.id,
    fromUserId: user.id,
    subject: SECRET,
    body: SECRET,
  });
  await storage.messages.list(area.id, { limit: 10 });
  await storage.transaction(async (tx) => {
    await tx.users.get(user.id);
    await tx.sql("SELECT ? AS v", [SECRET]);
  });
  await storage.sql("SELECT count(*) AS n FROM users WHERE username <> ?", [
    SECRET,
  ]);
  const view = await storage.as(user.id);
  await view.messages.list(area.id, { limit: 10 });
  await assert.rejects(
    storage.users.create({ username: SECRET, passwordHash: "x" }),
    (e) => e instanceof StorageError && e.kind === "conflict",
  );
  return user.id;
}

/**
 * The application's SQL on `url`: each write's event reports the rows it changed (a statement
 * that changes none, after one that did, reports 0), a read's the rows it returned, only a
 * read's span has `db.response.returned_rows`; a statement the database refuses reports
 * `validation`, the kind the caller receives; a transaction whose callback throws the
 * application's own error has that error's name as its span's `error.type`.
 */
async function appSqlRowsAndKinds(
  url: string,
  remove: () => Promise<void>,
): Promise<void> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  assert.ok(trace.setGlobalTracerProvider(provider));
  try {
    const events: QueryEvent[] = [];
    const storage = await openStorage(url, {
      onQuery: (event) => void events.push(event),
    });
    const mine = new RangeError("the application's own");
    try {
      await storage.sql("CREATE TABLE t (n integer)");
      await storage.sql("INSERT INTO t (n) VALUES (1), (2), (3)");
      // A statement that changes no rows after one that did: 0, not the last count.
      await storage.sql("CREATE TABLE u (n integer)");
      await storage.sql("UPDATE t SET n = n + 10");
      await storage.sql("DELETE FROM t WHERE n > ?", [11]);
      await storage.transaction(async (tx) => {
        await tx.sql("INSERT INTO t (n) VALUES (?), (?)", [20, 21]);
        await tx.sql("DELETE FROM t WHERE n = 20 RETURNING n");
      });
      await storage.sql("SELECT n FROM t ORDER BY n");
      for (const text of ["SELECT * FROM nope", "SELEC 1"]) {
        await assert.rejects(
          storage.sql(text),
          (e) => e instanceof StorageError && e.kind === "validation",
        );
      }
      await assert.rejects(
        storage.transaction(() => Promise.reject(mine)),
        (e) => e === mine,
      );
    } finally {
      await storage.close();
    }
    const sqls = events.filter((e) => e.name === "sql");
    assert.deepEqual(
      sqls.map((e) => [e.operation, e.rows, e.error]),
      [
        ["storage.sql", 0, undefined],
        ["storage.sql", 3, undefined],
        ["storage.sql", 0, undefined],
        ["storage.sql", 3, undefined],
        ["storage.sql", 2, undefined],
        ["tx.sql", 2, undefined],
        ["tx.sql", 1, undefined],
        ["storage.sql", 2, undefined],
        ["storage.sql", undefined, "validation"],
        ["storage.sql", undefined, "validation"],
      ],
    );

    const spans = exporter.getFinishedSpans();
    const statements = spans.filter((s) => s.name === "sql");
    assert.equal(statements.length, 10);
    // Rows returned on a read's span; a write's span has none (as the repositories' writes).
    assert.deepEqual(
      statements.map((s) => s.attributes["db.response.returned_rows"]),
      [...Array(7).fill(undefined), 2, undefined, undefined],
    );
    const failed = spans.filter((s) => s.status.code === 2);
    assert.deepEqual(
      failed.map((s) => [s.name, s.attributes["error.type"]]),
      [
        ["sql", "validation"],
        ["storage.sql", "validation"],
        ["sql", "validation"],
        ["storage.sql", "validation"],
        ["transaction", "RangeError"],
      ],
    );
  } finally {
    trace.disable();
    await provider.shutdown();
    await remove();
  }
}

for (const place of PLACES) {
  const test = (name: string, fn: () => Promise<void>) =>
    Deno.test({
      name: `[${place.name}] ${name}`,
      ignore: place.ignore !== undefined,
      fn,
    });

  test("onQuery receives one event per statement run, in order, with its name, operation and rows", async () => {
    const db = await place.fresh();
    try {
      const ran: string[] = [];
      const events: QueryEvent[] = [];
      const storage = await openStorage(db.url, {
        drivers: [recording(await place.builtIn(), ran)],
        onQuery: (event) => void events.push(event),
      });
      try {
        ran.length = 0; // what the open ran (migrations' checks) is not an operation's
        await scenario(storage);
      } finally {
        await storage.close();
      }
      assert.ok(ran.length >= 12, `only ${ran.length} statements ran`);
      assert.deepEqual(events.map((e) => e.name), ran);
      for (const e of events) {
        assert.equal(e.system, place.system);
        assert.ok(e.durationMs >= 0 && Number.isFinite(e.durationMs));
        assert.ok(typeof e.operation === "string" && e.operation !== "");
      }
      const gets = events.filter((e) => e.operation === "users.get");
      assert.deepEqual(
        gets.map((e) => [e.name, e.rows, e.inTransaction]),
        [["users.byId", 1, false], ["users.byId", 0, false], [
          "users.byId",
          1,
          true,
        ]],
      );
      const sqls = events.filter((e) => e.name === "sql");
      assert.deepEqual(
        sqls.map((e) => [e.operation, e.rows, e.inTransaction]),
        [["tx.sql", 1, true], ["storage.sql", 1, false]],
      );
      assert.ok(
        events.some((e) => e.operation === "storage.as"),
        "storage.as checks the viewer",
      );
      const last = events.at(-1)!;
      assert.equal(last.operation, "users.create");
      assert.equal(last.error, "conflict");
      assert.equal(last.rows, undefined);
      assert.equal(events.filter((e) => e.error !== undefined).length, 1);
      assert.ok(
        !JSON.stringify(events).includes(SECRET),
        "an event holds a parameter value",
      );
    } finally {
      await db.remove();
    }
  });

  test("a throwing, a rejecting and a re-entrant onQuery change nothing; the first failure is reported once", async () => {
    const db = await place.fresh();
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const events: QueryEvent[] = [];
      const nested: Promise<unknown>[] = [];
      let userId = 0;
      const storage: Awaited<ReturnType<typeof openStorage>> =
        await openStorage(db.url, {
          onQuery: (event) => {
            events.push(event);
            if (event.operation === "users.get") {
              // Re-entrant: the same operation again, from inside the callback; reported, it
              // would call the callback again without end.
              nested.push(storage.users.get(userId));
              throw new Error("log sink is down");
            }
            if (event.operation === "users.findByUsername") {
              return Promise.reject(new Error("async sink is down"));
            }
            return undefined;
          },
        });
      try {
        const user = await storage.users.create({
          username: "sysop",
          passwordHash: "x",
        });
        userId = user.id;
        assert.equal((await storage.users.get(user.id))?.username, "sysop");
        assert.equal(
          (await storage.users.findByUsername("SYSOP"))?.id,
          user.id,
        );
        await storage.transaction(async (tx) => {
          assert.equal((await tx.users.get(user.id))?.id, user.id);
          await tx.users.update(user.id, { realName: "Sys Op" });
        });
        assert.equal((await storage.users.get(user.id))?.realName, "Sys Op");
        for (const found of await Promise.all(nested)) {
          assert.equal((found as { id: number } | undefined)?.id, user.id);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      } finally {
        await storage.close();
      }
      assert.equal(nested.length, 3, "the nested calls ran, unreported");
      assert.equal(
        events.filter((e) => e.operation === "users.get").length,
        3,
      );
      assert.ok(events.some((e) => e.operation === "users.update"));
      assert.equal(logged.length, 1, "the failure is reported once");
      assert.match(String(logged[0]![0]), /onQuery callback failed/);
    } finally {
      console.error = original;
      await db.remove();
    }
  });

  test("with a tracer provider: one span per operation, its statements as CLIENT children", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    assert.ok(trace.setGlobalTracerProvider(provider));
    const db = await place.fresh();
    try {
      const storage = await openStorage(db.url);
      try {
        await scenario(storage);
      } finally {
        await storage.close();
      }
      const spans = exporter.getFinishedSpans();
      const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
      const parentOf = (s: ReadableSpan) =>
        s.parentSpanContext === undefined
          ? undefined
          : byId.get(s.parentSpanContext.spanId);
      const INTERNAL = 0, CLIENT = 2, ERROR = 2;

      const gets = spans.filter((s) => s.name === "users.get");
      assert.equal(gets.length, 3);
      for (const op of gets) {
        assert.equal(op.kind, INTERNAL);
        assert.equal(op.attributes["db.system.name"], place.system);
        assert.equal(op.attributes["db.operation.name"], "users.get");
        assert.equal(typeof op.attributes["db.namespace"], "string");
        const children = spans.filter((s) => parentOf(s) === op);
        assert.deepEqual(children.map((s) => s.name), ["users.byId"]);
        const [q] = children;
        assert.equal(q!.kind, CLIENT);
        assert.equal(q!.attributes["db.system.name"], place.system);
        assert.equal(q!.attributes["db.query.summary"], "users.byId");
        assert.match(String(q!.attributes["db.query.text"]), /users/);
        assert.equal(
          q!.attributes["db.namespace"],
          op.attributes["db.namespace"],
        );
      }
      assert.deepEqual(
        gets.map((s) =>
          spans.find((c) => parentOf(c) === s)!.attributes[
            "db.response.returned_rows"
          ]
        ),
        [1, 0, 1],
      );

      // The transaction: its operations are its children.
      const [tx] = spans.filter((s) => s.name === "transaction");
      assert.ok(tx);
      assert.deepEqual(
        spans.filter((s) => parentOf(s) === tx).map((s) => s.name),
        ["users.get", "tx.sql"],
      );
      assert.equal(parentOf(gets[2]!), tx);

      // Every statement span has an operation for parent; every operation span is a root here.
      for (const s of spans) {
        if (s.kind === CLIENT) {
          assert.equal(parentOf(s)?.kind, INTERNAL, `${s.name}'s parent`);
        }
      }

      // The failing create: both spans failed, with the kind and the database's code.
      const creates = spans.filter((s) => s.name === "users.create");
      const failed = creates.at(-1)!;
      assert.equal(failed.status.code, ERROR);
      assert.equal(failed.attributes["error.type"], "conflict");
      const [insert] = spans.filter((s) =>
        parentOf(s) === failed && s.status.code === ERROR
      );
      assert.ok(insert, "the failing statement's span");
      assert.equal(insert.attributes["error.type"], "conflict");
      assert.equal(
        typeof insert.attributes["db.response.status_code"],
        "string",
      );
      assert.equal(creates[0]!.status.code, 0);

      const all = JSON.stringify(spans.map((s) => ({
        name: s.name,
        attributes: s.attributes,
        status: s.status,
        events: s.events,
      })));
      assert.ok(!all.includes(SECRET), "a span holds a parameter value");
    } finally {
      trace.disable();
      await provider.shutdown();
      await db.remove();
    }
  });
  test("storage.sql and tx.sql: a write reports the rows it changed, a read those it returned; a failure the kind the caller receives", async () => {
    const db = await place.fresh();
    await appSqlRowsAndKinds(db.url, db.remove);
  });
}

for (const engine of ["node", "ffi"]) {
  Deno.test(`[sqlite-memory, ${engine}] storage.sql and tx.sql: a write reports the rows it changed, a read those it returned; a failure the kind the caller receives`, () =>
    appSqlRowsAndKinds(
      `sqlite::memory:?engine=${engine}`,
      () => Promise.resolve(),
    ));
}

Deno.test("tracing is decided at open: a storage opened before the provider was registered makes no spans", async () => {
  const before = await openStorage("sqlite::memory:");
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  assert.ok(trace.setGlobalTracerProvider(provider));
  try {
    await before.users.count();
    assert.deepEqual(exporter.getFinishedSpans(), []);
    await using after = await openStorage("sqlite::memory:");
    await after.users.count();
    assert.deepEqual(
      exporter.getFinishedSpans().map((s) => s.name).sort(),
      ["users.count", "users.count.0"],
    );
  } finally {
    trace.disable();
    await provider.shutdown();
    await before.close();
  }
});

Deno.test("openStorage() refuses an onQuery that is not a function, naming it", async () => {
  await assert.rejects(
    openStorage("sqlite::memory:", {
      onQuery: "log" as unknown as () => void,
    }),
    (e) =>
      e instanceof StorageError && e.kind === "validation" &&
      e.field === "options.onQuery" && /must be a function/.test(e.message),
  );
});

Deno.test("with Deno's built-in OpenTelemetry (OTEL_DENO=true), the spans are exported over OTLP", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-otel-" });
  const bodies: string[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (request) => {
      if (new URL(request.url).pathname === "/v1/traces") {
        bodies.push(await request.text());
      } else await request.body?.cancel();
      return Response.json({});
    },
  );
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-net",
        new URL("./_otel_child.ts", import.meta.url).pathname,
        `sqlite:${dir}/board.db`,
      ],
      env: {
        OTEL_DENO: "true",
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${server.addr.port}`,
        OTEL_DENO_CONSOLE: "ignore",
      },
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.ok(output.success, new TextDecoder().decode(output.stderr));
    interface OtlpSpan {
      name: string;
      kind: number;
      spanId: string;
      parentSpanId?: string;
      attributes: { key: string; value: Record<string, unknown> }[];
    }
    const spans: OtlpSpan[] = bodies.flatMap((body) =>
      (JSON.parse(body) as {
        resourceSpans: {
          scopeSpans: { scope?: { name: string }; spans: OtlpSpan[] }[];
        }[];
      }).resourceSpans.flatMap((r) =>
        r.scopeSpans.filter((s) => s.scope?.name === "@impulse/storage")
          .flatMap((s) => s.spans)
      )
    );
    const get = spans.find((s) => s.name === "users.get");
    assert.ok(get, `no users.get span among ${spans.map((s) => s.name)}`);
    assert.equal(get.kind, 1); // INTERNAL, in OTLP's numbering
    const children = spans.filter((s) => s.parentSpanId === get.spanId);
    assert.deepEqual(children.map((s) => [s.name, s.kind]), [[
      "users.byId",
      3,
    ]]);
    assert.deepEqual(
      children[0]!.attributes.find((a) => a.key === "db.system.name")?.value,
      { stringValue: "sqlite" },
    );
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
