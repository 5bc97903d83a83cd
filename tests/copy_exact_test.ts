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
        /column notes\.t holds, in 2 row\(s\) of the source \(key \(2\), key \(3\)\), text that is not valid UTF-8/,
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
    /column notes\.t holds, in 1 row\(s\) of the source \(key \(2\)\)/,
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
        /column notes\.t holds, in 1 row\(s\) of the source \(key \(1\)\), text with a NUL character, which PostgreSQL cannot store/,
      );
      assert.match(
        error.message,
        /column notes\.t holds, in 1 row\(s\) of the source \(key \(2\)\), text that is not valid UTF-8/,
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
      /column m\.r holds, in 1 row\(s\) of the source \(key \(1\)\), NaN, which SQLite stores as NULL/,
    );
    assert.match(
      error.message,
      /column m\.r holds, in 1 row\(s\) of the source \(key \(2\)\), -0, which SQLite stores as 0/,
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
        /column m\.r holds, in 2 row\(s\) of the source \(key \(1\), key \(2\)\), a real with no fractional part, which this database's engine \(FFI\) writes as an integer/,
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
