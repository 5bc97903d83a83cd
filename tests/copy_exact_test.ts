/**
 * `copy` carries every value exactly or refuses it before writing: text with a NUL, text that
 * is not UTF-8, integers beyond 2^53, NaN, −0 and ±∞, on every direction and both SQLite
 * engines. Refusals are `migration`, name the table, the column and the row's key, never the
 * value; the closing checksum tells apart values a JavaScript round trip would merge. Written
 * from docs/guarantees.md ("Copying carries everything") and the outside attack's repros (B3:
 * text cut at a NUL, U+FFFD for bytes that are not UTF-8, NaN as NULL and −0 as 0, all reported
 * "checksum ok"; B4: `internal` with the row's value in the message for integers beyond 2^53 and
 * a NUL into PostgreSQL).
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStorage } from "../mod.ts";
import { copyDatabase } from "../src/copy/mod.ts";
import { digest } from "../src/copy/tables.ts";
import { main } from "../src/cli/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { type Board, freshBoard, type Kind, missing } from "./_copy.ts";
import { sqlQuery, withSql } from "./_migrate.ts";

const pg = missing("postgres") !== undefined;

/** A SQLite database's side of a copy: through the built-in engine or the FFI one. */
type Engine = "node" | "ffi";

/** A migrated board with a table of the caller's own. */
async function board(
  kind: Kind,
  table: string,
  engine: Engine = "node",
): Promise<Board> {
  const b = await freshBoard(kind);
  const url = kind === "sqlite" && engine === "ffi"
    ? `${b.url}?engine=ffi`
    : b.url;
  await (await openStorage(url)).close();
  await withSql(url, (sql) => sql.all(table));
  return { ...b, url };
}

/** Runs SQL on a SQLite board as the sqlite3 shell would (values bound by SQL, not by a driver). */
function onFile<T>(url: string, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(url.slice("sqlite:".length).split("?")[0]!);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const NOTES = {
  sqlite: "CREATE TABLE notes (id INTEGER PRIMARY KEY, t TEXT)",
  postgres: "CREATE TABLE notes (id bigint PRIMARY KEY, t text)",
};
const ACCT = {
  sqlite: "CREATE TABLE acct (id INTEGER PRIMARY KEY, card INTEGER)",
  postgres: "CREATE TABLE acct (id bigint PRIMARY KEY, card bigint)",
};
const M = {
  sqlite: "CREATE TABLE m (id INTEGER PRIMARY KEY, r REAL)",
  postgres: "CREATE TABLE m (id bigint PRIMARY KEY, r double precision)",
};

async function count(url: string, table: string): Promise<number> {
  const [row] = await sqlQuery(url, `SELECT count(*) AS n FROM ${table}`);
  return Number(row!.n);
}

const SQLITE_SIDES: [Engine, Engine][] = [
  ["node", "node"],
  ["ffi", "node"],
  ["node", "ffi"],
  ["ffi", "ffi"],
];

for (const [from, to] of SQLITE_SIDES) {
  Deno.test(`[sqlite ${from} → sqlite ${to}] text with a NUL and integers beyond 2^53 copy exactly, and the checksum sees each`, async () => {
    await using source = await board("sqlite", NOTES.sqlite, from);
    await using target = await board("sqlite", NOTES.sqlite, to);
    onFile(source.url, (db) => {
      db.exec(
        "INSERT INTO notes VALUES (1, 'a'||char(0)||'b'), (2, char(0)), (3, char(65279)||'x'), " +
          "(9111111111111111, ''), (-9223372036854775808, 'min'), (9223372036854775807, 'max')",
      );
    });
    const report = await copyDatabase(source.url, target.url);
    assert.ok(report.ok, JSON.stringify(report.tables));
    const read = (url: string) =>
      onFile(url, (db) =>
        db.prepare(
          "SELECT CAST(id AS TEXT) AS id, hex(t) AS t, typeof(t) AS k FROM notes ORDER BY id",
        ).all());
    assert.deepEqual(read(target.url), read(source.url));
    assert.equal(
      (read(target.url) as { t: string }[]).find((r) => r.t.startsWith("61"))
        ?.t,
      "610062",
    );
    // A target whose text was cut at the NUL no longer compares equal.
    const again = await copyDatabase(source.url, target.url, {
      force: true,
      onProgress(table, copied, total) {
        if (table !== "notes" || copied < total || copied === 0) return;
        onFile(
          target.url,
          (db) => db.exec("UPDATE notes SET t = 'a' WHERE id = 1"),
        );
      },
    });
    assert.equal(again.tables.find((t) => t.table === "notes")?.ok, false);
  });
}

for (const [from, to] of SQLITE_SIDES.slice(0, 2)) {
  Deno.test(`[sqlite ${from} → sqlite ${to}] text that is not UTF-8 is refused as migration naming table, column and key, before a row is written`, async () => {
    await using source = await board("sqlite", NOTES.sqlite, from);
    await using target = await board("sqlite", NOTES.sqlite, to);
    onFile(source.url, (db) => {
      db.exec(
        "INSERT INTO notes VALUES (1, 'fine'), (2, CAST(x'ff' AS TEXT)), (3, CAST(x'41c3' AS TEXT))",
      );
    });
    for (const force of [false, true]) {
      const error = await rejectsKind(
        copyDatabase(source.url, target.url, { force }),
        "migration",
      );
      assert.match(
        error.message,
        /column notes\.t holds, in 2 rows of the source \(key \(2\), key \(3\)\), text that is not valid UTF-8/,
      );
      assert.equal(await count(target.url, "notes"), 0);
      assert.equal(await count(target.url, "users"), 0);
    }
  });
}

Deno.test("[sqlite → sqlite] deno task copy (the outside attack's repro R1) exits 1 as migration, never internal, and writes nothing", async () => {
  await using source = await board("sqlite", NOTES.sqlite);
  await using target = await board("sqlite", NOTES.sqlite);
  onFile(source.url, (db) => {
    db.exec(
      "INSERT INTO notes VALUES (1, 'a'||char(0)||'b'), (2, CAST(x'ff' AS TEXT))",
    );
  });
  const lines: string[] = [];
  const out = {
    json: true,
    text: (line: string) => void lines.push(line),
    data: (value: unknown) => void lines.push(JSON.stringify(value)),
    progress: () => {},
    error: (line: string) => void lines.push(line),
  };
  assert.equal(
    await main(
      ["copy", "--from", source.url, "--to", target.url, "--json"],
      out,
    ),
    1,
  );
  const printed = lines.join("\n");
  assert.match(printed, /"migration"/);
  assert.match(
    printed,
    /column notes\.t holds, in 1 row of the source \(key \(2\)\)/,
  );
  assert.doesNotMatch(printed, /internal|checksum ok|\\ufffd|�/);
  assert.equal(await count(target.url, "notes"), 0);
});

for (const engine of ["node", "ffi"] as const) {
  Deno.test({
    name:
      `[sqlite ${engine} → postgres] text with a NUL or not UTF-8 is refused as migration naming column and key; integers beyond 2^53 copy exactly`,
    ignore: pg,
    async fn() {
      await using source = await board("sqlite", NOTES.sqlite, engine);
      await using target = await board("postgres", NOTES.postgres);
      onFile(source.url, (db) => {
        db.exec(
          "INSERT INTO notes VALUES (1, 'a'||char(0)||'b'), (2, CAST(x'ff' AS TEXT)), (3, 'ok')",
        );
      });
      const error = await rejectsKind(
        copyDatabase(source.url, target.url),
        "migration",
      );
      assert.match(
        error.message,
        /column notes\.t holds, in 1 row of the source \(key \(1\)\), text with a NUL character, which PostgreSQL cannot store/,
      );
      assert.match(
        error.message,
        /column notes\.t holds, in 1 row of the source \(key \(2\)\), text that is not valid UTF-8/,
      );
      assert.doesNotMatch(error.message, /a\0b|\ufffd/);
      assert.equal(await count(target.url, "notes"), 0);
      // Without them, the rest copies, the largest integers exactly.
      onFile(source.url, (db) => {
        db.exec(
          "DELETE FROM notes WHERE id < 3; INSERT INTO notes VALUES (9111111111111111, 'big'), " +
            "(9223372036854775807, 'max'), (-9223372036854775808, 'min')",
        );
      });
      const report = await copyDatabase(source.url, target.url);
      assert.ok(report.ok, JSON.stringify(report.tables));
      assert.deepEqual(
        (await sqlQuery(
          target.url,
          "SELECT id::text AS id FROM notes ORDER BY id",
        ))
          .map((r) => r.id),
        [
          "-9223372036854775808",
          "3",
          "9111111111111111",
          "9223372036854775807",
        ],
      );
    },
  });
}

for (const to of ["sqlite", "postgres"] as const) {
  Deno.test({
    name:
      `[postgres → ${to}] bigints beyond 2^53 copy exactly (repro R3c), never rounded nor internal`,
    ignore: pg,
    async fn() {
      await using source = await board("postgres", ACCT.postgres);
      await using target = await board(to, ACCT[to]);
      await withSql(source.url, (sql) =>
        sql.all(
          "INSERT INTO acct VALUES (1, 9007199254740993), (9223372036854775807, -9223372036854775808), (3, NULL)",
        ));
      const report = await copyDatabase(source.url, target.url);
      assert.ok(report.ok, JSON.stringify(report.tables));
      assert.deepEqual(
        (await sqlQuery(
          target.url,
          "SELECT CAST(id AS TEXT) AS id, CAST(card AS TEXT) AS card FROM acct ORDER BY id",
        )).map((r) => [r.id, r.card]),
        [
          ["1", "9007199254740993"],
          ["3", null],
          ["9223372036854775807", "-9223372036854775808"],
        ],
      );
    },
  });
}

Deno.test({
  name:
    "[sqlite → sqlite] an integer beyond 2^53 (repro R3b) copies exactly, never internal with the value in a message",
  async fn() {
    await using source = await board("sqlite", ACCT.sqlite);
    await using target = await board("sqlite", ACCT.sqlite);
    onFile(
      source.url,
      (db) => db.exec("INSERT INTO acct VALUES (1, 9111111111111111)"),
    );
    const report = await copyDatabase(source.url, target.url);
    assert.ok(report.ok, JSON.stringify(report.tables));
    assert.deepEqual(
      onFile(
        target.url,
        (db) => db.prepare("SELECT CAST(card AS TEXT) AS c FROM acct").all(),
      ).map((r) => r.c),
      ["9111111111111111"],
    );
  },
});

Deno.test({
  name:
    "[postgres → sqlite] NaN and −0 are refused as migration naming column and key (repro R2); ±∞ copies",
  ignore: pg,
  async fn() {
    await using source = await board("postgres", M.postgres);
    await using target = await board("sqlite", M.sqlite);
    await withSql(source.url, (sql) =>
      sql.all(
        "INSERT INTO m VALUES (1, 'NaN'), (2, '-0'), (3, 1.5), (4, 'Infinity'), (5, '-Infinity')",
      ));
    const error = await rejectsKind(
      copyDatabase(source.url, target.url),
      "migration",
    );
    assert.match(
      error.message,
      /column m\.r holds, in 1 row of the source \(key \(1\)\), NaN, which SQLite stores as NULL/,
    );
    assert.match(
      error.message,
      /column m\.r holds, in 1 row of the source \(key \(2\)\), -0, which SQLite stores as 0/,
    );
    assert.equal(await count(target.url, "m"), 0);
    await withSql(source.url, (sql) => sql.all("DELETE FROM m WHERE id < 3"));
    const report = await copyDatabase(source.url, target.url);
    assert.ok(report.ok, JSON.stringify(report.tables));
    assert.deepEqual(
      onFile(
        target.url,
        (db) => db.prepare("SELECT quote(r) AS r FROM m ORDER BY id").all(),
      ).map((r) => r.r),
      ["1.5", "9.0e+999", "-9.0e+999"],
    );
  },
});

Deno.test({
  name:
    "[postgres → postgres] NaN, −0 and ±∞ copy exactly, and the checksum tells NaN from NULL and −0 from 0",
  ignore: pg,
  async fn() {
    await using source = await board("postgres", M.postgres);
    await using target = await board("postgres", M.postgres);
    await withSql(source.url, (sql) =>
      sql.all(
        "INSERT INTO m VALUES (1, 'NaN'), (2, '-0'), (3, 'Infinity'), (4, 0.1)",
      ));
    const report = await copyDatabase(source.url, target.url);
    assert.ok(report.ok, JSON.stringify(report.tables));
    assert.deepEqual(
      (await sqlQuery(target.url, "SELECT r::text AS r FROM m ORDER BY id"))
        .map((r) => r.r),
      ["NaN", "-0", "Infinity", "0.1"],
    );
  },
});

Deno.test("digest() tells apart what JSON would merge: NaN and NULL, −0 and 0, an integer and a real, text and bytes", () => {
  const pairs: [unknown, unknown][] = [
    [NaN, null],
    [-0, 0],
    [1n, 1],
    [Infinity, null],
    ["a", new Uint8Array([0x61])],
  ];
  for (const [a, b] of pairs) {
    assert.notEqual(digest([[1n, a]]).sum, digest([[1n, b]]).sum, `${a}`);
  }
  assert.equal(digest([[1n, -0]]).sum, digest([[1n, -0]]).sum);
});

for (const to of ["node", "ffi"] as const) {
  Deno.test(`[sqlite → sqlite ${to}] reals with no fractional part and −0 in a column of BLOB affinity copy as reals, or are refused by the engine that would write integers`, async () => {
    const table = "CREATE TABLE m (id INTEGER PRIMARY KEY, r)";
    await using source = await board("sqlite", table);
    await using target = await board("sqlite", table, to);
    onFile(source.url, (db) => {
      db.prepare("INSERT INTO m VALUES (1, ?), (2, ?), (3, ?)").run(2, -0, 0.5);
    });
    if (to === "ffi") {
      const error = await rejectsKind(
        copyDatabase(source.url, target.url),
        "migration",
      );
      assert.match(
        error.message,
        /column m\.r holds, in 2 rows of the source \(key \(1\), key \(2\)\), a real with no fractional part, which this database's engine \(FFI\) writes as an integer/,
      );
      assert.equal(await count(target.url, "m"), 0);
      return;
    }
    const report = await copyDatabase(source.url, target.url);
    assert.ok(report.ok, JSON.stringify(report.tables));
    const rows = onFile(
      target.url,
      (db) => db.prepare("SELECT typeof(r) AS k, r FROM m ORDER BY id").all(),
    );
    assert.deepEqual(rows.map((r) => r.k), ["real", "real", "real"]);
    assert.ok(Object.is(rows[1]!.r, -0));
  });
}

const BIG = {
  sqlite: "CREATE TABLE big (id INTEGER PRIMARY KEY AUTOINCREMENT, t TEXT)",
  postgres:
    "CREATE TABLE big (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, t text)",
};

for (
  const [from, to] of [
    ["sqlite", "sqlite"],
    ["sqlite", "postgres"],
    ["postgres", "sqlite"],
  ] as const
) {
  Deno.test({
    name:
      `[${from} → ${to}] generated ids beyond 2^53 copy exactly and the target's next id follows them`,
    ignore: from === "postgres" || to === "postgres" ? pg : false,
    async fn() {
      await using source = await board(from, BIG[from]);
      await using target = await board(to, BIG[to]);
      const insert =
        "INSERT INTO big (id, t) OVERRIDING SYSTEM VALUE VALUES (9111111111111111, 'a')";
      if (from === "sqlite") {
        onFile(
          source.url,
          (db) => db.exec(insert.replace(" OVERRIDING SYSTEM VALUE", "")),
        );
      } else await withSql(source.url, (sql) => sql.all(insert));
      const report = await copyDatabase(source.url, target.url);
      assert.ok(report.ok, JSON.stringify(report.tables));
      const next = to === "sqlite"
        ? onFile(target.url, (db) =>
          db.prepare(
            "INSERT INTO big (t) VALUES ('n') RETURNING CAST(id AS TEXT) AS id",
          ).get()!.id)
        : (await sqlQuery(
          target.url,
          "INSERT INTO big (t) VALUES ('n') RETURNING id::text AS id",
        ))[0]!.id;
      assert.equal(next, "9111111111111112");
    },
  });
}

/** Values postgres.js would read as a Date or parse as JSON, so they are carried as text. */
const KEPT = {
  ts: [
    "timestamptz",
    "2024-01-02 04:05:06.123456+05:30",
    "0044-03-15 12:00:00.000001 BC+00",
    "infinity",
    "-infinity",
  ],
  tn: [
    "timestamp",
    "2024-01-02 04:05:06.123456",
    "294276-12-31 23:59:59.999999",
    "-infinity",
  ],
  d: ["date", "2024-01-02", "5874897-12-31", "0044-03-15 BC"],
  tm: ["time", "04:05:06.123456", "24:00:00", "00:00:00.000001"],
  tz: [
    "timetz",
    "04:05:06.123456+05:30",
    "23:59:59.999999-15:59",
    "00:00:00+00",
  ],
  iv: [
    "interval",
    "1 mon 2 days 00:00:00.000001",
    "-178000000 years",
    "00:00:00",
  ],
  j: [
    "json",
    '{"a": 1, "a": 2}',
    "  [1,\n 2.50 ]",
    '{"n": 12345678901234567890}',
  ],
  jb: ["jsonb", '{"n": 12345678901234567890.000000000001}', "[1.10, 2]", '"x"'],
  n: [
    "numeric",
    "3.14159265358979323846264338327950288419716939937510",
    "-0.000000000000000000001",
    "NaN",
  ],
  u: [
    "uuid",
    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
  ],
  ip: ["inet", "192.168.0.1/24", "::ffff:1.2.3.4", "2001:db8::1"],
  ta: [
    "timestamptz[]",
    '{"2024-01-02 04:05:06.123456+00",NULL}',
    "{}",
    "{infinity}",
  ],
  ja: ["json[]", '{"{\\"a\\": 1, \\"a\\": 2}"}', "{NULL}", "{}"],
  na: [
    "numeric[]",
    "{1.000000000000000000001,NaN}",
    "{{1,2},{3,4}}",
    "[0:1]={5,6}",
  ],
} as const;

/** The table of {@linkcode KEPT}'s columns but those left out. */
const keptTable = (without: readonly string[]) =>
  `CREATE TABLE kept (id bigint PRIMARY KEY, ${
    Object.entries(KEPT).filter(([c]) => !without.includes(c))
      .map(([c, [type]]) => `${c} ${type}`).join(", ")
  })`;

/** Session settings of each database, by test: the server's, and others on each side. */
/**
 * Session settings of each database, by test: the server's, and others on each side. Arrays of
 * timestamptz are left out of the latter: their text is the session's (they arrive exactly, but
 * the checksum tells the two time zones apart).
 */
const SESSIONS: [string, string, string[]][] = [
  ["", "", []],
  [
    "timezone = 'America/New_York', datestyle = 'SQL, DMY'",
    "timezone = 'Asia/Kolkata', datestyle = 'German, MDY'",
    ["ta"],
  ],
];

/** Sets what every later session of a database starts with. */
const setDefaults = (url: string, settings: string) =>
  withSql(url, (sql) =>
    sql.all(
      `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET ${
        settings.replaceAll("'", "''").replace(
          ", ",
          "; ALTER DATABASE %1$I SET ",
        )
      }', current_database()); END $$`,
    ));

for (const [from, to, without] of SESSIONS) {
  Deno.test({
    name:
      `[postgres → postgres] timestamps to the microsecond, dates, times, intervals, json as written (duplicate keys, spacing), big numbers in jsonb and numeric, uuid, inet and arrays copy exactly${
        from === "" ? "" : ", whatever each session's time zone and date style"
      }`,
    ignore: pg,
    async fn() {
      await using source = await board("postgres", keptTable(without));
      await using target = await board("postgres", keptTable(without));
      const kept = Object.entries(KEPT).filter(([c]) => !without.includes(c));
      const columns = kept.map(([c]) => c);
      const rows = [0, 1, 2].map((i) =>
        `(${i + 1}, ${
          kept.map(([, [type, ...values]]) =>
            `'${values[i]!.replaceAll("'", "''")}'::${type}`
          ).join(", ")
        })`
      );
      await withSql(source.url, (sql) =>
        sql.all(
          `INSERT INTO kept VALUES ${rows.join(", ")}, (4, ${
            columns.map(() => "NULL").join(", ")
          })`,
        ));
      if (from !== "") {
        await setDefaults(source.url, from);
        await setDefaults(target.url, to);
      }
      // Read back as the server writes them, whatever the two databases' sessions start with.
      const read = (url: string) =>
        withSql(url, async (sql) => {
          await sql.all("SET LOCAL timezone = 'UTC'");
          await sql.all("SET LOCAL datestyle = 'ISO'");
          return await sql.all(
            `SELECT ${
              columns.map((c) => `${c}::text AS ${c}`).join(", ")
            } FROM kept ORDER BY id`,
          );
        });
      const report = await copyDatabase(source.url, target.url);
      assert.deepEqual(await read(target.url), await read(source.url));
      assert.ok(report.ok, JSON.stringify(report.tables));
      const [first] = await read(target.url);
      assert.equal(first!.ts, "2024-01-01 22:35:06.123456+00");
      assert.equal(first!.j, '{"a": 1, "a": 2}');
      // A target that loses a microsecond (a trigger of its own) no longer compares equal.
      await withSql(target.url, (sql) =>
        sql.all(
          "CREATE FUNCTION trunc_ts() RETURNS trigger LANGUAGE plpgsql AS " +
            "$$ BEGIN NEW.ts := date_trunc('milliseconds', NEW.ts); RETURN NEW; END $$; " +
            "CREATE TRIGGER trunc_ts BEFORE INSERT ON kept FOR EACH ROW EXECUTE FUNCTION trunc_ts()",
        ));
      const again = await copyDatabase(source.url, target.url, { force: true });
      assert.equal(again.tables.find((t) => t.table === "kept")?.ok, false);
    },
  });
}

Deno.test({
  name:
    "[postgres → postgres] keys and self-references of types carried as text (timestamptz to the microsecond, uuid) page and link exactly",
  ignore: pg,
  async fn() {
    const table =
      "CREATE TABLE ev (at timestamptz, u uuid, parent_at timestamptz, parent_u uuid, " +
      "PRIMARY KEY (at, u), FOREIGN KEY (parent_at, parent_u) REFERENCES ev)";
    await using source = await board("postgres", table);
    await using target = await board("postgres", table);
    // 7 rows a microsecond apart, each the parent of the one before: a page of 2 ends between
    // rows that a millisecond's precision would merge, and every parent is copied after its child.
    await withSql(source.url, (sql) =>
      sql.all(
        "INSERT INTO ev SELECT '2024-01-02 04:05:06.123456Z'::timestamptz + i * interval '1 microsecond', " +
          "md5(i::text)::uuid, NULL, NULL FROM generate_series(1, 7) i; " +
          "UPDATE ev c SET parent_at = p.at, parent_u = p.u FROM ev p " +
          "WHERE p.at = c.at + interval '1 microsecond'",
      ));
    const report = await copyDatabase(source.url, target.url, {
      batchSize: 2,
    });
    assert.ok(report.ok, JSON.stringify(report.tables));
    const read = (url: string) =>
      sqlQuery(
        url,
        "SELECT to_char(at AT TIME ZONE 'UTC', 'SS.US') AS at, u::text AS u, " +
          "to_char(parent_at AT TIME ZONE 'UTC', 'SS.US') AS p FROM ev ORDER BY at",
      );
    const rows = await read(target.url);
    assert.deepEqual(rows, await read(source.url));
    assert.equal(rows.length, 7);
    assert.deepEqual(rows.slice(0, 2).map((r) => [r.at, r.p]), [
      ["06.123457", "06.123458"],
      ["06.123458", "06.123459"],
    ]);
  },
});

const SINGLE = {
  sqlite: "CREATE TABLE m (id INTEGER PRIMARY KEY, r REAL)",
  postgres: "CREATE TABLE m (id bigint PRIMARY KEY, r float4)",
};

for (const from of ["sqlite", "postgres"] as const) {
  Deno.test({
    name:
      `[${from} → postgres] a real that single precision would round is refused into real (float4) naming column and key, before a row is written`,
    ignore: pg,
    async fn() {
      await using source = await board(
        from,
        from === "sqlite" ? M.sqlite : M.postgres,
      );
      await using target = await board("postgres", SINGLE.postgres);
      const insert =
        "INSERT INTO m VALUES (1, 0.1), (2, 0.5), (3, 16777217), (4, 1e300)";
      if (from === "sqlite") onFile(source.url, (db) => db.exec(insert));
      else await withSql(source.url, (sql) => sql.all(insert));
      const error = await rejectsKind(
        copyDatabase(source.url, target.url),
        "migration",
      );
      assert.match(
        error.message,
        /column m\.r holds, in 3 rows of the source \(key \(1\), key \(3\), key \(4\)\), a real that this column's real \(single precision\) would round/,
      );
      assert.equal(await count(target.url, "m"), 0);
    },
  });
}

Deno.test({
  name:
    "[postgres → postgres] single precision reals (real) copy as the very floats they are (read as the doubles they equal, not their shortest text): 0.1, the largest, the least, NaN, −0",
  ignore: pg,
  async fn() {
    await using source = await board("postgres", SINGLE.postgres);
    await using target = await board("postgres", SINGLE.postgres);
    await withSql(source.url, (sql) =>
      sql.all(
        "INSERT INTO m VALUES (1, 0.1), (2, 3.4028235e38), (3, 1e-45), (4, 'NaN'), (5, '-0')",
      ));
    const report = await copyDatabase(source.url, target.url);
    assert.ok(report.ok, JSON.stringify(report.tables));
    const read = (url: string) =>
      sqlQuery(url, "SELECT r::float8::text AS r FROM m ORDER BY id");
    assert.deepEqual(await read(target.url), await read(source.url));
  },
});
