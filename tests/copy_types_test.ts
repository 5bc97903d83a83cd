/**
 * `copy` between tables of a caller's own whose column types differ: refused before a row is
 * written, naming the table, the column and both types, never `internal` with batches already
 * committed; where the target keeps a limit the source does not (a length, an integer range,
 * NOT NULL, a kind SQLite does not enforce), the source's values are looked at first. Written
 * from the README ("Moving a board from SQLite") and the outside attack's repro (B12: a
 * PostgreSQL boolean copied into a SQLite INTEGER column; a target narrowed to varchar(10)).
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStorage } from "../mod.ts";
import { copyDatabase } from "../src/copy/mod.ts";
import { main } from "../src/cli/mod.ts";
import { rejectsKind } from "./_assert.ts";
import {
  type Board,
  freshBoard,
  type Kind,
  missing,
  smallBoard,
} from "./_copy.ts";
import { sqlQuery, withSql } from "./_migrate.ts";

/** A migrated board with a table of the caller's own, made by `statements`. */
async function board(kind: Kind, ...statements: string[]): Promise<Board> {
  const b = await freshBoard(kind);
  await (await openStorage(b.url)).close();
  await withSql(b.url, async (sql) => {
    for (const statement of statements) await sql.all(statement);
  });
  return b;
}

/** Asserts that the target holds no row of the package's tables nor of `polls`. */
async function assertUntouched(url: string): Promise<void> {
  for (const table of ["users", "messages", "polls"]) {
    const [row] = await sqlQuery(url, `SELECT count(*) AS n FROM ${table}`);
    assert.equal(Number(row!.n), 0, `${table} holds rows`);
  }
}

const pg = missing("postgres") !== undefined;

Deno.test({
  name:
    "[postgres → sqlite] copy refuses boolean, jsonb and timestamptz columns copied into INTEGER and TEXT ones, naming both types, before a row is written",
  ignore: pg,
  async fn() {
    await using source = await board(
      "postgres",
      "CREATE TABLE polls (id integer PRIMARY KEY, open boolean, meta jsonb, closes timestamptz)",
      `INSERT INTO polls VALUES (1, true, '{"q": "Best BBS?"}', now())`,
    );
    await smallBoard(source.url);
    await using target = await board(
      "sqlite",
      "CREATE TABLE polls (id INTEGER PRIMARY KEY, open INTEGER, meta TEXT, closes TEXT)",
    );
    for (const force of [false, true]) {
      const error = await rejectsKind(
        copyDatabase(source.url, target.url, { force }),
        "migration",
      );
      for (
        const problem of [
          /column polls\.open is boolean in the source but INTEGER in the target/,
          /column polls\.meta is jsonb in the source but TEXT in the target/,
          /column polls\.closes is timestamp with time zone in the source but TEXT in the target/,
        ]
      ) assert.match(error.message, problem);
      await assertUntouched(target.url);
    }
  },
});

Deno.test({
  name:
    "[postgres → sqlite] deno task copy (the outside attack's repro) exits 1 naming the column, and writes nothing",
  ignore: pg,
  async fn() {
    await using source = await board(
      "postgres",
      "CREATE TABLE polls (id integer PRIMARY KEY, open boolean)",
      "INSERT INTO polls VALUES (1, true)",
    );
    await using target = await board(
      "sqlite",
      "CREATE TABLE polls (id INTEGER PRIMARY KEY, open INTEGER)",
    );
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
    assert.match(printed, /migration/);
    assert.match(
      printed,
      /column polls\.open is boolean in the source but INTEGER/,
    );
    assert.doesNotMatch(printed, /internal/);
    await assertUntouched(target.url);
  },
});

for (const from of ["sqlite", "postgres"] as const) {
  Deno.test({
    name:
      `[${from} → postgres] copy refuses text longer than the target's varchar(10), naming the longest, and copies what fits`,
    ignore: pg,
    async fn() {
      const text = from === "sqlite" ? "TEXT" : "text";
      await using source = await board(
        from,
        `CREATE TABLE polls (id INTEGER PRIMARY KEY, question ${text})`,
        "INSERT INTO polls VALUES (1, 'Best BBS software ever?'), (2, 'Short')",
      );
      await smallBoard(source.url);
      await using target = await board(
        "postgres",
        "CREATE TABLE polls (id integer PRIMARY KEY, question varchar(10))",
      );
      const error = await rejectsKind(
        copyDatabase(source.url, target.url),
        "migration",
      );
      assert.match(
        error.message,
        /column polls\.question holds text of up to 23 characters in the source, which the target's character varying\(10\) cannot take \(at most 10\)/,
      );
      await assertUntouched(target.url);
      // Ten emoji are ten characters: they fit.
      await withSql(
        source.url,
        (sql) =>
          sql.all("UPDATE polls SET question = ? WHERE id = 1", [
            "😀".repeat(10),
          ]),
      );
      const report = await copyDatabase(source.url, target.url);
      assert.ok(report.ok, JSON.stringify(report.tables));
    },
  });
}

Deno.test({
  name:
    "[sqlite → postgres] copy refuses values SQLite kept in a column of another kind, integers out of range and NULLs the target refuses",
  ignore: pg,
  async fn() {
    await using source = await board(
      "sqlite",
      "CREATE TABLE polls (id INTEGER PRIMARY KEY, votes INTEGER, weight INTEGER, note TEXT, " +
        "flag BLOB)",
      "INSERT INTO polls VALUES (1, 'many', 3000000000, NULL, x'00'), (2, 2, 1, 'n', 'text')",
    );
    await using target = await board(
      "postgres",
      "CREATE TABLE polls (id bigint PRIMARY KEY, votes bigint, weight integer, note text NOT NULL, " +
        "flag bytea)",
    );
    const error = await rejectsKind(
      copyDatabase(source.url, target.url),
      "migration",
    );
    for (
      const problem of [
        /column polls\.votes holds 1 value\(s\) in the source that are not integer .*which the target's bigint cannot take/,
        /column polls\.flag holds 1 value\(s\) in the source that are not blob/,
        /column polls\.weight holds integers from 1 to 3000000000 in the source, which the target's integer cannot take \(-2147483648 to 2147483647\)/,
        /column polls\.note holds 1 NULL\(s\) in the source, which the target's text NOT NULL cannot take/,
      ]
    ) assert.match(error.message, problem);
    await assertUntouched(target.url);
  },
});

Deno.test({
  name:
    "[postgres → postgres] columns of a kind both dialects share copy whatever their declared types: integer into bigint, varchar into text, real into double precision; jsonb, booleans and timestamps into their own types",
  ignore: pg,
  async fn() {
    await using source = await board(
      "postgres",
      "CREATE TABLE polls (id integer PRIMARY KEY, question varchar(50), meta jsonb, open boolean, " +
        "closes timestamptz, score real)",
      `INSERT INTO polls VALUES (1, 'Best BBS?', '{"a": [1, 2]}', true, '2001-02-03T04:05:06Z', 1.5)`,
    );
    await using target = await board(
      "postgres",
      "CREATE TABLE polls (id bigint PRIMARY KEY, question text, meta jsonb, open boolean, " +
        "closes timestamptz, score double precision)",
    );
    const report = await copyDatabase(source.url, target.url);
    assert.ok(report.ok, JSON.stringify(report.tables));
    const [row] = await sqlQuery(target.url, "SELECT * FROM polls");
    assert.equal(row!.open, true);
    assert.deepEqual(row!.meta, { a: [1, 2] });
  },
});

Deno.test({
  name:
    "[postgres → postgres] a type carried as text is refused into a column of another type or modifier (json into jsonb, timestamptz into timestamp(3) with time zone or timestamp, numeric into numeric(10,2)), naming both types, before a row is written",
  ignore: pg,
  async fn() {
    await using source = await board(
      "postgres",
      "CREATE TABLE polls (id integer PRIMARY KEY, meta json, closes timestamptz, opens timestamptz, " +
        "score numeric, tags text[])",
      `INSERT INTO polls VALUES (1, '{"a": 1, "a": 2}', '2001-02-03 04:05:06.123456Z', ` +
        `'2001-02-03 04:05:06.123456Z', 1.005, '{a}')`,
    );
    await using target = await board(
      "postgres",
      "CREATE TABLE polls (id integer PRIMARY KEY, meta jsonb, closes timestamp(3) with time zone, " +
        "opens timestamp, score numeric(10,2), tags text[])",
    );
    const error = await rejectsKind(
      copyDatabase(source.url, target.url),
      "migration",
    );
    for (
      const problem of [
        /column polls\.meta is json in the source but jsonb in the target/,
        /column polls\.closes is timestamp with time zone in the source but timestamp\(3\) with time zone in the target/,
        /column polls\.opens is timestamp with time zone in the source but timestamp without time zone in the target/,
        /column polls\.score is numeric in the source but numeric\(10,2\) in the target/,
      ]
    ) assert.match(error.message, problem);
    assert.doesNotMatch(error.message, /tags/);
    await assertUntouched(target.url);
  },
});

Deno.test("[sqlite → sqlite] what SQLite keeps in any column copies as it is", async () => {
  await using source = await board(
    "sqlite",
    "CREATE TABLE polls (id INTEGER PRIMARY KEY, votes INTEGER, open BOOLEAN, extra)",
    "INSERT INTO polls VALUES (1, 'many', 1, x'00ff'), (2, 2, 0, 'text')",
  );
  await using target = await board(
    "sqlite",
    "CREATE TABLE polls (id INTEGER PRIMARY KEY, votes INTEGER, open BOOLEAN, extra)",
  );
  const report = await copyDatabase(source.url, target.url);
  assert.ok(report.ok, JSON.stringify(report.tables));
  assert.deepEqual(
    await sqlQuery(
      target.url,
      "SELECT votes, typeof(extra) AS t FROM polls ORDER BY id",
    ),
    [{ votes: "many", t: "blob" }, { votes: 2, t: "text" }],
  );
});

Deno.test({
  name:
    "[sqlite → postgres] a value the target refuses at write time fails naming the table and what is in the target, never as internal",
  ignore: pg,
  async fn() {
    await using source = await board(
      "sqlite",
      "CREATE TABLE polls (id INTEGER PRIMARY KEY, votes INTEGER)",
      "INSERT INTO polls VALUES (1, 5), (2, -1), (3, 7)",
    );
    await smallBoard(source.url);
    await using target = await board(
      "postgres",
      "CREATE TABLE polls (id bigint PRIMARY KEY, votes bigint CHECK (votes >= 0))",
    );
    const error = await rejectsKind(
      copyDatabase(source.url, target.url, { batchSize: 2 }),
      "constraint",
    );
    assert.match(
      error.message,
      /^Cannot copy table polls \(rows with key \(1\) to key \(2\)\)/,
    );
    assert.match(error.message, /polls_votes_check/);
    assert.match(
      error.message,
      /0 rows of polls, and every table copied before it, are in the target already: .*--force/,
    );
  },
});

Deno.test({
  name:
    "[sqlite → postgres] a value that changed after the plan fails naming its column and row, as migration",
  ignore: pg,
  async fn() {
    await using source = await board(
      "sqlite",
      "CREATE TABLE polls (id INTEGER PRIMARY KEY, votes INTEGER)",
      "INSERT INTO polls VALUES (1, 5), (2, 6)",
    );
    await smallBoard(source.url);
    await using target = await board(
      "postgres",
      "CREATE TABLE polls (id bigint PRIMARY KEY, votes bigint)",
    );
    const path = source.url.slice("sqlite:".length);
    const error = await rejectsKind(
      copyDatabase(source.url, target.url, {
        onProgress(table, copied) {
          // Another writer, after the plan looked: SQLite keeps text in an INTEGER column.
          if (table !== "polls" || copied > 0) return;
          const db = new DatabaseSync(path);
          db.exec("UPDATE polls SET votes = 'many' WHERE id = 2");
          db.close();
        },
      }),
      "migration",
    );
    assert.match(
      error.message,
      /^Cannot copy table polls: column votes of the row with key \(2\) holds a string of 4 characters, which the target's bigint \(integer\) cannot take: 0 rows of polls, and every table copied before it, are in the target already: .*--force$/,
    );
  },
});

for (
  const [from, to] of [["postgres", "sqlite"], ["sqlite", "postgres"]] as const
) {
  Deno.test({
    name:
      `[${from} → ${to}] bytes and reals copy between the dialects and compare equal`,
    ignore: pg,
    async fn() {
      const types = (kind: Kind) =>
        kind === "sqlite" ? "BLOB, r REAL" : "bytea, r double precision";
      await using source = await board(
        from,
        `CREATE TABLE bins (id INTEGER PRIMARY KEY, b ${types(from)})`,
      );
      await withSql(
        source.url,
        (sql) =>
          sql.all("INSERT INTO bins VALUES (1, ?, 1.5), (2, NULL, -0.25)", [
            new Uint8Array([0, 1, 255]),
          ]),
      );
      await using target = await board(
        to,
        `CREATE TABLE bins (id INTEGER PRIMARY KEY, b ${types(to)})`,
      );
      const report = await copyDatabase(source.url, target.url);
      assert.ok(report.ok, JSON.stringify(report.tables));
      const [row] = await sqlQuery(
        target.url,
        "SELECT b FROM bins WHERE id = 1",
      );
      assert.deepEqual([...row!.b as Uint8Array], [0, 1, 255]);
    },
  });
}
