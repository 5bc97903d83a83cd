import assert from "node:assert/strict";
import { StorageError } from "../../../driver.ts";
import { toStorageError } from "../errors.ts";
import {
  type EngineDatabase,
  nodeEngine,
  type SqliteEngine,
} from "../engine.ts";
import { ffiEngine, SqliteFfiError } from "./engine.ts";
import { platformNames } from "./library.ts";

const ffi = ffiEngine();
const OPEN = { busyTimeoutMs: 0 };

function memory(engine: SqliteEngine = ffi): EngineDatabase & Disposable {
  const db = engine.open(":memory:", OPEN);
  return Object.assign(db, { [Symbol.dispose]: () => db.close() });
}

Deno.test("ffiEngine() round-trips integers above 2^31 up to 2^53 − 1 exactly", () => {
  using db = memory();
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, size INTEGER NOT NULL)");
  const insert = db.prepare("INSERT INTO t (id, size) VALUES (?, ?)");
  const values = [
    2 ** 31 - 1,
    2 ** 31,
    2 ** 32 + 1,
    2 ** 52 + 3,
    Number.MAX_SAFE_INTEGER - 1,
    Number.MAX_SAFE_INTEGER,
  ];
  for (const [i, value] of values.entries()) insert.run([value, -(value - i)]);
  const rows = db.prepare("SELECT id, size, typeof(size) FROM t ORDER BY id")
    .values([]);
  assert.deepEqual(
    rows,
    values.map((value, i) => [value, -(value - i), "integer"]),
  );
  const byId = db.prepare("SELECT size FROM t WHERE id = ?");
  assert.equal(byId.value([Number.MAX_SAFE_INTEGER])?.[0], -(2 ** 53 - 1 - 5));
  // Arithmetic in SQL stays integral: the values were bound as 64-bit integers.
  assert.deepEqual(
    db.prepare("SELECT ? + 1, ? / 2").value([2 ** 53 - 2, 2 ** 40 + 1]),
    [2 ** 53 - 1, 2 ** 39],
  );
  assert.deepEqual(db.prepare("SELECT ?").value([2n ** 40n]), [2 ** 40]);
});

Deno.test("ffiEngine() binds -0, stored as 0 in an INTEGER column like the built-in engine", () => {
  for (const engine of [ffi, nodeEngine]) {
    using db = memory(engine);
    db.exec("CREATE TABLE t (n INTEGER NOT NULL) STRICT");
    db.prepare("INSERT INTO t (n) VALUES (?)").run([-0]);
    assert.deepEqual(db.prepare("SELECT n, typeof(n) FROM t").values([]), [[
      0,
      "integer",
    ]]);
  }
});

Deno.test("ffiEngine() refuses to read an integer beyond 2^53 − 1, naming column and value", () => {
  using db = memory();
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, size INTEGER)");
  const insert = db.prepare("INSERT INTO t (id, size) VALUES (?, ?)");
  insert.run([1, 2n ** 53n]);
  insert.run([2, 2n ** 53n + 1n]);
  insert.run([3, -(2n ** 63n)]);
  const read = db.prepare("SELECT size FROM t WHERE id = ?");
  for (
    const [id, text] of [[1, "9007199254740992"], [2, "9007199254740993"], [
      3,
      "-9223372036854775808",
    ]] as const
  ) {
    assert.throws(() => read.get([id]), (error: unknown) => {
      assert.ok(error instanceof RangeError, String(error));
      assert.match(error.message, /column "size"/);
      assert.match(error.message, /outside the safe range/);
      assert.ok(error.message.endsWith(text), error.message);
      return true;
    });
  }
  // The failed read left the statement reset and usable.
  insert.run([4, 7]);
  assert.deepEqual(read.value([4]), [7]);
  // Mapped by the driver, it is a clear internal error.
  const mapped = toStorageError(
    new RangeError("x"),
    ffi.errorCode(new RangeError("x")),
    "users.get",
  );
  assert.equal(mapped.kind, "internal");
  assert.throws(() => db.prepare("SELECT ?").value([2n ** 64n]), RangeError);
});

Deno.test("ffiEngine() keeps embedded NULs and every character of text", () => {
  using db = memory();
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
  const insert = db.prepare("INSERT INTO t (body) VALUES (?) RETURNING id");
  const read = db.prepare(
    "SELECT body, length(CAST(body AS BLOB)), typeof(body) FROM t WHERE id = ?",
  );
  const texts = [
    "",
    "\0",
    "a\0b",
    "\0\0trailing\0",
    "ünïcödé\0😀 and more",
    "ＳｙｓＯｐ",
    "\x1b[1;33mANSI\x1b[0m",
    `${"x".repeat(40_000)}\0${"y".repeat(10)}`, // longer than the reusable bind buffers
    `${"é".repeat(20_000)}\0😀`,
  ];
  for (const text of texts) {
    const id = insert.value([text])![0];
    const [body, length, type] = read.value([id])!;
    assert.equal(type, "text");
    assert.equal(body, text);
    assert.equal(length, new TextEncoder().encode(text).length);
  }
  // Several text parameters of one statement do not overwrite each other.
  assert.deepEqual(
    db.prepare("SELECT ?, ?, ?").value(["first\0", "second", "third ü"]),
    ["first\0", "second", "third ü"],
  );
});

Deno.test("ffiEngine() binds and reads null, reals and blobs like the built-in engine", () => {
  using a = memory();
  using b = memory(nodeEngine);
  for (const db of [a, b]) {
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, r REAL, b BLOB, n TEXT)");
  }
  const rows = [
    [1, 1.5, new Uint8Array([0, 1, 2, 255]), null],
    [2, -0.25, new Uint8Array(0), "x"],
    [3, null, null, null],
  ];
  for (const db of [a, b]) {
    for (const row of rows) {
      db.prepare("INSERT INTO t VALUES (?, ?, ?, ?)").run(row);
    }
  }
  const query = "SELECT id, r, b, n FROM t ORDER BY id";
  assert.deepEqual(a.prepare(query).values([]), b.prepare(query).values([]));
  assert.deepEqual(
    { ...a.prepare(query).get([]) },
    { ...b.prepare(query).get([]) },
  );
  // Fewer parameters than placeholders leave the rest null; more is SQLITE_RANGE.
  assert.deepEqual(a.prepare("SELECT ?, ?").value([1]), [1, null]);
  const tooMany = captured(() => a.prepare("SELECT ?").value([1, 2]));
  assert.equal(ffi.errorCode(tooMany), 25);
  assert.equal(
    nodeEngine.errorCode(captured(() => b.prepare("SELECT ?").value([1, 2]))),
    25,
  );
  assert.throws(() => a.prepare("SELECT ?").value([undefined]), TypeError);
  assert.throws(() => a.prepare("SELECT ?").value([true]), TypeError);
});

/** The same failure on both engines: their extended codes and mapped kinds must agree. */
const SCENARIOS: [string, string, (db: EngineDatabase) => unknown][] = [
  [
    "unique",
    "conflict",
    (db) => db.prepare("INSERT INTO u (name) VALUES (?)").run(["sysop"]),
  ],
  [
    "primary key",
    "conflict",
    (db) => db.prepare("INSERT INTO u (id, name) VALUES (1, 'x')").run([]),
  ],
  [
    "foreign key",
    "constraint",
    (db) => db.prepare("INSERT INTO m (author) VALUES (?)").run([99]),
  ],
  [
    "not null",
    "constraint",
    (db) => db.prepare("INSERT INTO u (name) VALUES (NULL)").run([]),
  ],
  [
    "check",
    "constraint",
    (db) => db.prepare("INSERT INTO u (name, level) VALUES ('c', 300)").run([]),
  ],
  ["syntax", "internal", (db) => db.prepare("SELEC 1").run([])],
  [
    "a double-quoted string is no literal",
    "migration",
    (db) => db.prepare(`SELECT "sysop"`).all([]),
  ],
  [
    "missing table",
    "migration",
    (db) => db.prepare("SELECT * FROM nowhere").all([]),
  ],
  [
    "unique in a script",
    "conflict",
    (db) => db.exec("INSERT INTO u (name) VALUES ('sysop')"),
  ],
  [
    "foreign key in a script",
    "constraint",
    (db) => db.exec("INSERT INTO m (author) VALUES (99)"),
  ],
];

const SCHEMA = `
  CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                  level INTEGER NOT NULL DEFAULT 10 CHECK (level BETWEEN 0 AND 255));
  CREATE TABLE m (id INTEGER PRIMARY KEY, author INTEGER REFERENCES u (id));
  INSERT INTO u (id, name) VALUES (1, 'sysop');`;

for (const [name, kind, fail] of SCENARIOS) {
  Deno.test(`ffiEngine() gives the built-in engine's error code and kind: ${name}`, () => {
    const seen = [ffi, nodeEngine].map((engine) => {
      using db = memory(engine);
      db.exec(SCHEMA);
      const error = captured(() => fail(db));
      const code = engine.errorCode(error);
      return { code, kind: toStorageError(error, code, "test").kind };
    });
    assert.equal(seen[0]!.kind, kind);
    assert.deepEqual(seen[0], seen[1]);
  });
}

Deno.test("ffiEngine() reports a locked database as SQLITE_BUSY (5), from statements and scripts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-ffi-busy-" });
  try {
    const path = `${dir}/busy.db`;
    const holder = ffi.open(path, OPEN);
    holder.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x)");
    const other = ffi.open(path, OPEN);
    holder.exec("BEGIN IMMEDIATE");
    const fromStatement = captured(() =>
      other.prepare("INSERT INTO t VALUES (1)").run([])
    );
    const fromScript = captured(() => other.exec("BEGIN IMMEDIATE"));
    holder.exec("ROLLBACK");
    assert.equal(ffi.errorCode(fromStatement), 5);
    assert.equal(ffi.errorCode(fromScript), 5);
    assert.equal(toStorageError(fromStatement, 5, "test").kind, "unavailable");
    assert.equal(other.prepare("INSERT INTO t VALUES (2)").run([]), 1);
    other.close();
    holder.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ffiEngine() names every place it looked for a missing library", () => {
  const missing = "/nonexistent/libsqlite3.so.9";
  const error = captured(() => ffiEngine({ library: missing }));
  assert.ok(
    error instanceof StorageError && error.kind === "unavailable",
    String(error),
  );
  assert.match(error.message, /library option/);
  assert.ok(error.message.includes(`"${missing}"`), error.message);

  const before = Deno.env.get("DENO_SQLITE_PATH");
  Deno.env.set("DENO_SQLITE_PATH", "/nonexistent/custom/libsqlite3.so");
  try {
    const fromEnv = captured(() => ffiEngine());
    assert.ok(
      fromEnv instanceof StorageError && fromEnv.kind === "unavailable",
    );
    assert.match(
      fromEnv.message,
      /DENO_SQLITE_PATH: tried "\/nonexistent\/custom\/libsqlite3\.so"/,
    );
  } finally {
    if (before === undefined) Deno.env.delete("DENO_SQLITE_PATH");
    else Deno.env.set("DENO_SQLITE_PATH", before);
  }
  assert.deepEqual(platformNames("linux"), [
    "libsqlite3.so.0",
    "libsqlite3.so",
  ]);
  assert.deepEqual(platformNames("windows"), ["sqlite3.dll"]);
  assert.equal(platformNames("darwin")[0], "libsqlite3.dylib");
});

Deno.test("ffiEngine() close() finalizes every statement and closes the handle; again is harmless", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-ffi-close-" });
  try {
    const path = `${dir}/close.db`;
    const db = ffi.open(path, OPEN);
    db.exec(
      "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)",
    );
    const statements = Array.from(
      { length: 20 },
      () => db.prepare("SELECT x FROM t"),
    );
    statements[0]!.values([]);
    statements[1]!.value([]);
    assert.equal(
      (db as unknown as { statementCount: number }).statementCount,
      20,
    );
    db.close();
    // The last connection of a WAL database removes the WAL file only when it really closes,
    // which SQLite does only once no statement is left unfinalized.
    await assert.rejects(Deno.stat(`${path}-wal`), Deno.errors.NotFound);
    assert.equal(
      (db as unknown as { statementCount: number }).statementCount,
      0,
    );
    db.close();
    const late = captured(() => statements[2]!.values([]));
    assert.ok(late instanceof SqliteFfiError && late.code === 21, String(late));
    assert.equal(
      toStorageError(late, ffi.errorCode(late), "test").kind,
      "internal",
    );
    assert.throws(() => db.prepare("SELECT 1"), SqliteFfiError);
    assert.throws(() => db.exec("SELECT 1"), SqliteFfiError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ffiEngine() opens read-only and reports a missing file as SQLITE_CANTOPEN", () => {
  const error = captured(() => ffi.open("/nonexistent/dir/board.db", OPEN));
  assert.equal((ffi.errorCode(error) ?? 0) & 0xff, 14);
  const readOnly = captured(() =>
    ffi.open("/nonexistent/board.db", { ...OPEN, readOnly: true })
  );
  assert.equal((ffi.errorCode(readOnly) ?? 0) & 0xff, 14);
});

function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}
