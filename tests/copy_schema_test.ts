/**
 * `copy` against the real schema of both databases: a column or a table holding rows that the
 * copy could not carry stops it before it writes a row, naming it; one that both databases have
 * is carried without any list to edit; and the report is never ok when a value differs.
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
  DIRECTIONS,
  freshBoard,
  type Kind,
  missing,
  smallBoard,
} from "./_copy.ts";
import { snapshot, sqlQuery, tempSet, withSql } from "./_migrate.ts";
import { openMigrator } from "../src/migrate/mod.ts";

/** A column and a table added by hand, each holding data. */
async function addByHand(url: string, kind: Kind, rows = true): Promise<void> {
  await withSql(url, async (sql) => {
    await sql.all("ALTER TABLE users ADD COLUMN shoe_size INTEGER");
    await sql.all(
      `CREATE TABLE polls (id ${
        kind === "sqlite" ? "INTEGER" : "BIGINT"
      } PRIMARY KEY, question TEXT NOT NULL, user_id ${
        kind === "sqlite" ? "INTEGER" : "BIGINT"
      } REFERENCES users (id))`,
    );
    if (!rows) return;
    await sql.all("UPDATE users SET shoe_size = 40 + id");
    await sql.all(
      "INSERT INTO polls VALUES (7, 'Best BBS?', 1), (9, 'Best modem?', NULL)",
    );
  });
}

/** Every row of every table, in a stable order. */
async function sorted(url: string): Promise<Record<string, string[]>> {
  return Object.fromEntries(
    Object.entries(await snapshot(url)).map((
      [table, rows],
    ) => [table, rows.map((row) => JSON.stringify(row)).sort()]),
  );
}

/** Asserts that no table of a database holds a row (the tracking table aside). */
async function assertEmpty(url: string): Promise<void> {
  assertEmptySnapshot(await snapshot(url));
}

function assertEmptySnapshot(tables: Record<string, unknown[]>): void {
  for (const [table, rows] of Object.entries(tables)) {
    assert.equal(rows.length, 0, `${table} holds rows`);
  }
}

for (const [from, to] of DIRECTIONS) {
  const name = `[${from} → ${to}] copyDatabase()`;
  const ignore = missing(from, to) !== undefined;

  Deno.test({
    name:
      `${name} refuses a column and a table of the source that the target lacks, naming them`,
    ignore,
    async fn() {
      await using source = await freshBoard(from);
      await using target = await freshBoard(to);
      await smallBoard(source.url);
      await addByHand(source.url, from);
      for (const force of [false, true]) {
        const error = await rejectsKind(
          copyDatabase(source.url, target.url, { force }),
          "migration",
        );
        assert.match(
          error.message,
          /column users\.shoe_size is in the source but not the target/,
        );
        assert.match(
          error.message,
          /table polls \(2 rows\) is in the source but not the target/,
        );
        await assertEmpty(target.url);
      }
    },
  });

  Deno.test({
    name:
      `${name} refuses a column and a table holding rows that only the target has, and a table without a key`,
    ignore,
    async fn() {
      await using source = await freshBoard(from);
      await using target = await freshBoard(to);
      await smallBoard(source.url);
      await (await openStorage(target.url)).close();
      for (const url of [source.url, target.url]) {
        await withSql(
          url,
          (sql) => sql.all("CREATE TABLE loose (a TEXT, b INTEGER)"),
        );
      }
      await withSql(
        source.url,
        (sql) => sql.all("INSERT INTO loose VALUES ('x', 1)"),
      );
      await withSql(target.url, async (sql) => {
        await sql.all("ALTER TABLE messages ADD COLUMN mood TEXT");
        await sql.all("CREATE TABLE extra (id INTEGER PRIMARY KEY)");
        await sql.all("INSERT INTO extra VALUES (5)");
      });
      for (const force of [false, true]) {
        const error = await rejectsKind(
          copyDatabase(source.url, target.url, { force }),
          "migration",
        );
        for (
          const problem of [
            /column messages\.mood is in the target but not the source/,
            /table extra \(1 row\) is in the target but not the source/,
            /table loose \(1 row\) has no primary key/,
          ]
        ) assert.match(error.message, problem);
      }
      const left = await snapshot(target.url);
      assert.deepEqual(left.extra, [{ id: 5 }]);
      delete left.extra;
      assertEmptySnapshot(left);
    },
  });

  Deno.test({
    name:
      `${name} carries a column and a table both databases have, without a list to edit`,
    ignore,
    async fn() {
      await using source = await freshBoard(from);
      await using target = await freshBoard(to);
      await smallBoard(source.url);
      await addByHand(source.url, from);
      await (await openStorage(target.url)).close();
      await addByHand(target.url, to, false);
      const report = await copyDatabase(source.url, target.url);
      assert.ok(report.ok, JSON.stringify(report.tables));
      assert.ok(
        report.tables.some((t) => t.table === "polls" && t.targetRows === 2),
      );
      const read = (url: string) =>
        sqlQuery(url, "SELECT id, shoe_size FROM users ORDER BY id").then((
          rows,
        ) => rows.map((r) => [Number(r.id), Number(r.shoe_size)]));
      assert.deepEqual(await read(target.url), [[1, 41], [2, 42], [3, 43]]);
      assert.deepEqual(
        await sqlQuery(target.url, "SELECT question FROM polls ORDER BY id"),
        [{ question: "Best BBS?" }, { question: "Best modem?" }],
      );
      if (from === to) {
        assert.deepEqual(await sorted(target.url), await sorted(source.url));
      }
    },
  });
}

Deno.test("copyDatabase() is not ok when a value of a column it derived differs in the target", async () => {
  await using source = await freshBoard("sqlite");
  await using target = await freshBoard("sqlite");
  await smallBoard(source.url);
  await addByHand(source.url, "sqlite");
  await (await openStorage(target.url)).close();
  await addByHand(target.url, "sqlite", false);
  const path = target.url.slice("sqlite:".length);
  // After the last batch of users, another writer changes one shoe size in the target.
  const report = await copyDatabase(source.url, target.url, {
    onProgress(table, copied, total) {
      if (table !== "users" || copied === 0 || copied < total) return;
      const db = new DatabaseSync(path);
      db.exec("UPDATE users SET shoe_size = 0 WHERE id = 2");
      db.close();
    },
  });
  assert.equal(report.ok, false);
  assert.deepEqual(report.tables.filter((t) => !t.ok).map((t) => t.table), [
    "users",
  ]);
});

Deno.test("deno task copy names the column it cannot carry and copies nothing", async () => {
  await using source = await freshBoard("sqlite");
  await using target = await freshBoard("sqlite");
  await smallBoard(source.url);
  await withSql(
    source.url,
    (sql) => sql.all("ALTER TABLE files ADD COLUMN checksum_crc TEXT"),
  );
  const lines: string[] = [];
  const out = {
    json: false,
    text: (line: string) => void lines.push(line),
    data: () => {},
    progress: () => {},
    error: (line: string) => void lines.push(line),
  };
  assert.equal(
    await main(["copy", "--from", source.url, "--to", target.url], out),
    1,
  );
  assert.match(
    lines.join("\n"),
    /error: Cannot copy as .*column files\.checksum_crc is in the source but not the target/,
  );
  assert.doesNotMatch(lines.join("\n"), /copy ok/);
  await assertEmpty(target.url);
});

Deno.test("copyDatabase() carries the tables of the caller's own migration set once the target has them", async () => {
  await using set = await tempSet({
    "0001_polls.up.sql":
      "CREATE TABLE polls (id INTEGER PRIMARY KEY AUTOINCREMENT, question TEXT NOT NULL)",
    "0001_polls.down.sql": "DROP TABLE polls",
  });
  await using source = await freshBoard("sqlite");
  await using target = await freshBoard("sqlite");
  await smallBoard(source.url);
  const migrate = async (url: string) => {
    await using migrator = await openMigrator(url, { dir: set.dir });
    await migrator.up();
  };
  await migrate(source.url);
  await withSql(source.url, async (sql) => {
    await sql.all(
      "INSERT INTO polls (question) VALUES ('Best BBS?'), ('Gone')",
    );
    await sql.all("DELETE FROM polls WHERE question = 'Gone'");
  });
  const error = await rejectsKind(
    copyDatabase(source.url, target.url),
    "migration",
  );
  assert.match(
    error.message,
    /table polls \(1 row\) is in the source but not the target/,
  );
  await migrate(target.url);
  const report = await copyDatabase(source.url, target.url);
  assert.ok(report.ok, JSON.stringify(report.tables));
  assert.deepEqual(report.skippedSets, []);
  await withSql(target.url, async (sql) => {
    await sql.all("INSERT INTO polls (question) VALUES ('Next')");
    assert.deepEqual(
      await sql.all("SELECT id, question FROM polls ORDER BY id"),
      [{ id: 1, question: "Best BBS?" }, { id: 3, question: "Next" }],
    );
  });
});

Deno.test({
  name:
    "[postgres → sqlite] copyDatabase() compares a table keyed by text that the two databases order differently",
  ignore: missing("postgres") !== undefined,
  async fn() {
    await using source = await freshBoard("postgres");
    await using target = await freshBoard("sqlite");
    await smallBoard(source.url);
    await (await openStorage(target.url)).close();
    // An ICU collation puts "a" before "B"; SQLite compares bytes, "B" first.
    await withSql(source.url, async (sql) => {
      await sql.all(
        `CREATE TABLE tags (tag TEXT COLLATE "en-US-x-icu" PRIMARY KEY, n INTEGER)`,
      );
      await sql.all(
        "INSERT INTO tags VALUES ('a', 1), ('B', 2), ('c', 3), ('D', 4)",
      );
    });
    await withSql(
      target.url,
      (sql) => sql.all("CREATE TABLE tags (tag TEXT PRIMARY KEY, n INTEGER)"),
    );
    const report = await copyDatabase(source.url, target.url, { batchSize: 1 });
    assert.ok(report.ok, JSON.stringify(report.tables));
    assert.deepEqual(
      await sqlQuery(target.url, "SELECT tag, n FROM tags ORDER BY n"),
      [{ tag: "a", n: 1 }, { tag: "B", n: 2 }, { tag: "c", n: 3 }, {
        tag: "D",
        n: 4,
      }],
    );
  },
});
