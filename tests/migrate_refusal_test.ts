/**
 * A caller's down step that would lose data is refused, naming each table and column and how
 * many rows, with the database unchanged, unless forced (and then a SQLite file is copied
 * first); `verify` proves the package's migrations on a full board and fails on a lossy set.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { emptyColumns, fillBoard } from "./_full_board.ts";
import {
  persistentTest,
  snapshot,
  sqlQuery,
  tempSet,
  trackedVersions,
} from "./_migrate.ts";

/** Every row of every table, each table's rows in a stable order. */
async function rows(url: string): Promise<Record<string, string[]>> {
  const all = await snapshot(url);
  return Object.fromEntries(
    Object.entries(all).map((
      [table, rows],
    ) => [
      table,
      rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort(),
    ]),
  );
}

/** A caller's set: notes; an author column and tags (lossy when they hold data); an index. */
const LOSSY = {
  "0001_notes.up.sql":
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n",
  "0001_notes.down.sql": "DROP TABLE notes;\n",
  "0002_author.up.sql":
    "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'sysop';\n" +
    "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);\n",
  "0002_author.down.sql":
    "DROP TABLE tags;\nALTER TABLE notes DROP COLUMN author;\n",
  "0003_index.up.sql": "CREATE INDEX notes_body ON notes (body);\n",
  "0003_index.down.sql": "DROP INDEX notes_body;\n",
};

persistentTest(
  "Migrator.down() refuses a caller's down step that would lose data, naming each column and its rows, and changes nothing",
  async ({ url }) => {
    await using set = await tempSet(LOSSY);
    await using migrator = await openMigrator(url, { dir: set.dir });
    await migrator.up();
    await sqlQuery(
      url,
      "INSERT INTO notes (id, body, author) VALUES (1, 'a', 'ann'), (2, 'b', 'sysop'), (3, 'c', 'bob')",
    );
    await sqlQuery(
      url,
      "INSERT INTO tags (id, label) VALUES (1, 'x'), (2, NULL)",
    );
    const before = await rows(url);
    const error = await rejectsKind(migrator.down({ steps: 2 }), "migration");
    assert.equal(error.version, 2);
    assert.match(
      error.message,
      /^Cannot revert migration 2 \(author\) of set "app" as its up step would not give back what its down step removes: notes\.author: 2 rows changed; tags\.id: 2 rows gone; tags\.label: 1 row gone: nothing was reverted: .*--force/,
    );
    assert.deepEqual(await rows(url), before);
    assert.deepEqual(await trackedVersions(url, "app"), [
      [1, "applied"],
      [2, "applied"],
      [3, "applied"],
    ]);
    // The lossless step on top goes alone; the lossy one below still refuses.
    assert.deepEqual((await migrator.down()).map((s) => s.version), [3]);
    await rejectsKind(migrator.to(1), "migration");
    await sqlQuery(url, "DELETE FROM tags");
    await sqlQuery(url, "UPDATE notes SET author = 'sysop'");
    assert.deepEqual((await migrator.to(1)).map((s) => s.version), [2]);
  },
);

persistentTest(
  "Migrator.down({ force: true }) reverts a lossy step, first copying a SQLite file beside it with its mode and data",
  async ({ url }) => {
    await using set = await tempSet(LOSSY);
    await using migrator = await openMigrator(url, { dir: set.dir });
    await migrator.up({ to: 2 });
    await sqlQuery(
      url,
      "INSERT INTO notes (id, body, author) VALUES (1, 'a', 'ann')",
    );
    await sqlQuery(url, "INSERT INTO tags (id, label) VALUES (1, 'x')");
    const file = url.startsWith("sqlite:")
      ? url.slice("sqlite:".length).replace(/\?.*$/, "")
      : null;
    if (file) await Deno.chmod(file, 0o640);
    const [step] = await migrator.down({ force: true });
    assert.equal(step?.version, 2);
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"]]);
    await assert.rejects(sqlQuery(url, "SELECT label FROM tags"));
    if (!file) return assert.equal(step?.backup, undefined);
    const dir = file.slice(0, file.lastIndexOf("/"));
    const name = file.slice(file.lastIndexOf("/") + 1);
    assert.match(
      step!.backup!,
      new RegExp(`^${dir}/${name}\\.before-down-app-0002-\\d{8}T\\d{9}Z$`),
    );
    assert.equal((await Deno.stat(step!.backup!)).mode! & 0o777, 0o640);
    const copy = new DatabaseSync(step!.backup!, { readOnly: true });
    try {
      assert.deepEqual(
        copy.prepare("SELECT id, body, author FROM notes").all().map((r) => ({
          ...r,
        })),
        [{ id: 1, body: "a", author: "ann" }],
      );
      assert.deepEqual(
        copy.prepare("SELECT label FROM tags").all().map((r) => r.label),
        ["x"],
      );
      assert.deepEqual(
        copy.prepare("SELECT version FROM impulse_migrations ORDER BY 1").all()
          .map((r) => r.version),
        [1, 2],
      );
    } finally {
      copy.close();
    }
  },
);

persistentTest(
  "Migrator.verify() proves every package migration on a full board, and fails on a caller's lossy set naming the columns",
  async ({ url }) => {
    {
      await using own = await openMigrator(url);
      await own.up();
      await fillBoard(url);
      assert.deepEqual(await emptyColumns(url), [], "every column holds data");
      const before = await rows(url);
      const report = await own.verify();
      assert.deepEqual(report, {
        ok: true,
        migrations: own.migrations.length,
        problems: [],
        empty: [],
        untried: [],
      });
      assert.deepEqual(await rows(url), before, "verify changes nothing");
    }
    await using set = await tempSet(LOSSY);
    await using app = await openMigrator(url, { dir: set.dir });
    await app.up();
    await sqlQuery(
      url,
      "INSERT INTO notes (id, body, author) VALUES (1, 'a', 'ann')",
    );
    const report = await app.verify();
    assert.equal(report.ok, false);
    assert.equal(report.migrations, 0);
    assert.match(
      report.problems[0]!,
      /^Cannot revert migration 2 \(author\) of set "app" as .*notes\.author: 1 row changed: nothing was reverted/,
    );
    assert.deepEqual(
      report.empty.filter((e) => e.table === "tags"),
      [
        { table: "tags", column: "id", versions: [3, 2] },
        { table: "tags", column: "label", versions: [3, 2] },
      ],
      "the empty tags table is named as not proven",
    );
  },
);

persistentTest(
  "Migrator.down() refuses a caller's down step that would hand out the ids of deleted rows again",
  async ({ url }) => {
    const table = url.startsWith("sqlite:")
      ? "CREATE TABLE polls (id INTEGER PRIMARY KEY AUTOINCREMENT, q TEXT);\n"
      : "CREATE TABLE polls (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, q TEXT);\n";
    await using set = await tempSet({
      "0001_polls.up.sql": table,
      "0001_polls.down.sql": "DROP TABLE polls;\n",
    });
    await using migrator = await openMigrator(url, { dir: set.dir });
    await migrator.up();
    await sqlQuery(url, "INSERT INTO polls (q) VALUES ('a'), ('b'), ('c')");
    await sqlQuery(url, "DELETE FROM polls");
    const error = await rejectsKind(migrator.down(), "migration");
    assert.match(
      error.message,
      /: polls: its last 3 ids would be handed out again: /,
    );
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"]]);
    const report = await migrator.verify();
    assert.equal(report.ok, false, "verify's copy keeps the high-water mark");
    assert.match(report.problems[0]!, /: polls: its last 3 ids would be/);
  },
);
