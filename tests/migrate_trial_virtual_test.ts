/**
 * SQLite's virtual tables in a down step's trial: a full-text table of rows of its own is
 * compared through itself, so a down step that drops its rows is refused and one that gives
 * them back is not (its index, rebuilt, is never compared byte for byte); a full-text index of
 * another table is not compared (the loss is named on that table).
 */
import assert from "node:assert/strict";
import { sqlQuery } from "./_migrate.ts";
import { type Case, dialectTest, run } from "./_trial.ts";

/** 0002 moves the notes into a full-text table of rows of its own; `down` is its down step. */
function searchable(down: string): Case {
  return {
    name: "",
    base: "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT);",
    up: "CREATE VIRTUAL TABLE notes_search USING fts5 (title, body);\n" +
      "INSERT INTO notes_search (rowid, title, body) SELECT id, title, body FROM notes;\n" +
      "DROP TABLE notes;\n",
    down:
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT);\n" +
      down +
      "DROP TABLE notes_search;\n",
    // Two statements: two segments in the index, which the up step rebuilds as one.
    seed: [
      "INSERT INTO notes_search (rowid, title, body) VALUES (3, 'Hello', 'first post')",
      "INSERT INTO notes_search (rowid, title, body) VALUES (7, 'Again', 'second post')",
    ],
    refused: null,
  };
}

dialectTest(
  "sqlite",
  "Migrator.down() refuses a down step that drops the rows of a full-text table without setting them aside",
  ({ url }) =>
    run(url, {
      ...searchable(""),
      refused:
        /^notes_search\.rowid: 2 rows gone; notes_search\.title: 2 rows gone; notes_search\.body: 2 rows gone$/,
    }),
);

dialectTest(
  "sqlite",
  "Migrator.down() reverts a down step that gives the rows of a full-text table back (its index rebuilt)",
  async ({ url }) => {
    await run(
      url,
      searchable(
        "INSERT INTO notes SELECT rowid, title, body FROM notes_search;\n",
      ),
    );
    assert.deepEqual(
      await sqlQuery(
        url,
        "SELECT rowid AS id, title FROM notes_search WHERE notes_search MATCH 'post' ORDER BY rowid",
      ),
      [{ id: 3, title: "Hello" }, { id: 7, title: "Again" }],
    );
  },
);

dialectTest(
  "sqlite",
  "Migrator.down() names the table whose rows a down step loses, not a full-text index of that table",
  ({ url }) =>
    run(url, {
      name: "",
      base: "CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT);\n" +
        "CREATE VIRTUAL TABLE docs_fts USING fts5 (body, content = 'docs', content_rowid = 'id');\n" +
        "CREATE TRIGGER docs_fts_insert AFTER INSERT ON docs BEGIN\n" +
        "  INSERT INTO docs_fts (rowid, body) VALUES (new.id, new.body);\nEND;\n",
      up: "CREATE INDEX docs_body ON docs (body);\n",
      down: "DROP INDEX docs_body;\nDELETE FROM docs WHERE id = 2;\n" +
        "INSERT INTO docs_fts (docs_fts) VALUES ('rebuild');\n",
      seed: ["INSERT INTO docs (id, body) VALUES (1, 'one'), (2, 'two')"],
      refused: /^docs\.id: 1 row gone; docs\.body: 1 row gone$/,
    }),
);

dialectTest(
  "sqlite",
  "Migrator.down() refuses a down step that drops a contentless full-text table's rows (its rowids)",
  ({ url }) =>
    run(url, {
      name: "",
      base: "CREATE VIRTUAL TABLE words USING fts5 (w, content = '');\n",
      up: "CREATE TABLE marker (id INTEGER PRIMARY KEY);\n",
      down: "DROP TABLE marker;\nDROP TABLE words;\n" +
        "CREATE VIRTUAL TABLE words USING fts5 (w, content = '');\n",
      seed: ["INSERT INTO words (rowid, w) VALUES (1, 'one'), (2, 'two')"],
      refused: /^words\.rowid: 2 rows gone$/,
    }),
);
