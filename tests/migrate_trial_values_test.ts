/**
 * A down step followed by its up step gives back every row and column exactly, and a down step
 * that would not is refused naming the table and column: a value that comes back equal only to
 * the column's own collation or equality (another letter case, trailing spaces, 1.0 for 1, '1'
 * for 1, -0 for 0, another JSON spelling) is a loss. A lossless down is never refused: not when
 * it drops a type of the caller's that a column used, and not when a table without a key has a
 * column without an equality.
 */
import { type Case, dialectTest, marker, run } from "./_trial.ts";

const SQLITE: Case[] = [
  {
    name: "a letter case changed in a NOCASE column",
    base: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT COLLATE NOCASE);",
    ...marker("UPDATE t SET v = lower(v);"),
    seed: ["INSERT INTO t VALUES (1, 'Alice'), (2, 'Bob'), (3, 'eve')"],
    refused: /^t\.v: 2 rows changed$/,
  },
  {
    name: "a letter case changed in a NOCASE column of a table without a key",
    base: "CREATE TABLE t (v TEXT COLLATE NOCASE, n INTEGER);",
    ...marker("UPDATE t SET v = lower(v);"),
    seed: ["INSERT INTO t VALUES ('Alice', 1), ('Bob', 2), ('eve', 3)"],
    refused: /^t: 2 rows gone; t: 2 rows added$/,
  },
  {
    name: "a letter case changed in a NOCASE primary key",
    base: "CREATE TABLE t (k TEXT COLLATE NOCASE PRIMARY KEY, n INTEGER);",
    ...marker("UPDATE t SET k = lower(k);"),
    seed: ["INSERT INTO t VALUES ('Alice', 1), ('bob', 2)"],
    refused: /^t\.k: 1 row changed$/,
  },
  {
    name:
      "integers turned into reals, and text into integers, in a column without affinity",
    base: "CREATE TABLE t (id INTEGER PRIMARY KEY, i, s);",
    ...marker("UPDATE t SET i = i * 1.0, s = CAST(s AS INTEGER);"),
    seed: ["INSERT INTO t VALUES (1, 1, '1'), (2, 2.5, 2), (3, NULL, NULL)"],
    refused: /^t\.i: 1 row changed; t\.s: 1 row changed$/,
  },
  {
    name:
      "integers turned into reals and text into integers in a table without a key",
    base: "CREATE TABLE t (i, s);",
    ...marker("UPDATE t SET i = i * 1.0, s = CAST(s AS INTEGER);"),
    seed: ["INSERT INTO t VALUES (1, NULL), (NULL, '1'), (2.5, 2)"],
    refused: /^t: 2 rows gone; t: 2 rows added$/,
  },
  {
    name: "a real rounded in its last digit in a table without a key",
    base: "CREATE TABLE t (v REAL);",
    ...marker("UPDATE t SET v = round(v, 12);"),
    seed: ["INSERT INTO t VALUES (1.0000000000000002), (0.5)"],
    refused: /^t: 1 row gone; t: 1 row added$/,
  },
  {
    name: "an empty text turned into NULL and an empty blob into an empty text",
    base: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, b BLOB);",
    ...marker("UPDATE t SET v = nullif(v, ''), b = CAST(b AS TEXT);"),
    seed: ["INSERT INTO t VALUES (1, '', x''), (2, 'a', NULL)"],
    refused: /^t\.v: 1 row changed; t\.b: 1 row changed$/,
  },
  {
    name: "a rebuild that copies every value exactly (no refusal)",
    base:
      "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT COLLATE NOCASE, x);\n" +
      "CREATE TABLE u (v TEXT COLLATE NOCASE, x);",
    ...marker(
      "CREATE TABLE t2 (id INTEGER PRIMARY KEY, v TEXT COLLATE NOCASE, x);\n" +
        "INSERT INTO t2 SELECT id, v, x FROM t; DROP TABLE t; ALTER TABLE t2 RENAME TO t;\n" +
        "CREATE TABLE u2 (v TEXT COLLATE NOCASE, x);\n" +
        "INSERT INTO u2 SELECT v, x FROM u; DROP TABLE u; ALTER TABLE u2 RENAME TO u;",
    ),
    seed: [
      "INSERT INTO t VALUES (1, 'Alice', 1), (2, 'alice', 1.0), (3, 'a ', '1'), " +
      "(4, 'A', x'01'), (5, NULL, 1.0000000000000002), (6, 'b', 0.1)",
      "INSERT INTO u SELECT v, x FROM t",
      "INSERT INTO u SELECT v, x FROM t",
    ],
    refused: null,
  },
];

const POSTGRES: Case[] = [
  {
    name: "a letter case changed in a column of a nondeterministic collation",
    base: "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', " +
      "deterministic = false);\n" +
      "CREATE TABLE t (id int PRIMARY KEY, v text COLLATE ci);",
    ...marker("UPDATE t SET v = lower(v);"),
    seed: ["INSERT INTO t VALUES (1, 'Alice'), (2, 'Bob'), (3, 'eve')"],
    refused: /^t\.v: 2 rows changed$/,
  },
  {
    name:
      "a letter case changed in a primary key of a nondeterministic collation",
    base: "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', " +
      "deterministic = false);\n" +
      "CREATE TABLE t (k text COLLATE ci PRIMARY KEY, n int);",
    ...marker("UPDATE t SET k = lower(k);"),
    seed: ["INSERT INTO t VALUES ('Alice', 1), ('bob', 2)"],
    // Rows pair by the exact form of their keys: the row of 'Alice' is gone, one of 'alice' added.
    refused: /^t\.k: 1 row gone; t\.n: 1 row gone; t: 1 row added$/,
  },
  {
    name: "a letter case changed in a citext column of a table without a key",
    base: "CREATE EXTENSION IF NOT EXISTS citext;\nCREATE TABLE t (v citext);",
    ...marker("UPDATE t SET v = lower(v);"),
    seed: ["INSERT INTO t VALUES ('Alice'), ('Bob'), ('eve')"],
    refused: /^t: 2 rows gone; t: 2 rows added$/,
  },
  {
    name: "an empty text and a composite of NULL fields turned into NULL",
    base: "CREATE TYPE pair AS (a int, b text);\n" +
      "CREATE TABLE t (id int PRIMARY KEY, v text, p pair);",
    ...marker(
      "UPDATE t SET v = nullif(v, ''), p = CASE WHEN p IS NULL THEN NULL ELSE p END;",
    ),
    seed: [
      "INSERT INTO t VALUES (1, '', ROW(NULL, NULL)), (2, 'a', ROW(1, 'b'))",
    ],
    refused: /^t\.v: 1 row changed; t\.p: 1 row changed$/,
  },
  {
    name: "trailing spaces cut from a bpchar column",
    base: "CREATE TABLE t (id int PRIMARY KEY, v bpchar);",
    ...marker("UPDATE t SET v = rtrim(v);"),
    seed: ["INSERT INTO t VALUES (1, 'a  '), (2, 'b')"],
    refused: /^t\.v: 1 row changed$/,
  },
  {
    name: "-0 turned into 0 and 1.0 into 1 in a table without a key",
    base: "CREATE TABLE t (f float8, n numeric);",
    ...marker("UPDATE t SET f = abs(f), n = trunc(n);"),
    seed: ["INSERT INTO t VALUES ('-0', 1.0), (2, 2)"],
    refused: /^t: 1 row gone; t: 1 row added$/,
  },
  {
    name: "another spelling of a JSON value in a table without a key",
    base: "CREATE TABLE t (j json, x xml, p point);",
    ...marker(`UPDATE t SET j = '{"a":1}' WHERE p[0] = 1;`),
    seed: [
      `INSERT INTO t VALUES ('{"a": 1}', '<a/>', '(1,2)'), ('[]', '<b/>', '(3,4)')`,
    ],
    refused: /^t: 1 row gone; t: 1 row added$/,
  },
  {
    name: "json, xml and point columns of a table without a key (no refusal)",
    base: "CREATE TABLE t (j json, x xml, p point);",
    ...marker("ALTER TABLE t ADD COLUMN z int; ALTER TABLE t DROP COLUMN z;"),
    seed: [
      `INSERT INTO t VALUES ('{"a": 1}', '<a/>', '(1,2)'), ('{"a": 1}', '<a/>', '(1,2)'), (NULL, NULL, NULL)`,
    ],
    refused: null,
  },
  {
    name:
      "a down step that drops an enum, a domain and a composite type its columns used (no refusal)",
    base: "CREATE TABLE t (id int PRIMARY KEY, m text, s int, p text);",
    up: "CREATE TYPE mood AS ENUM ('happy', 'sad');\n" +
      "CREATE DOMAIN score AS int CHECK (VALUE >= 0);\n" +
      "CREATE TYPE pair AS (a int, b text);\n" +
      "ALTER TABLE t ALTER COLUMN m TYPE mood USING m::mood, ALTER COLUMN s TYPE score, " +
      "ALTER COLUMN p TYPE pair USING p::pair;\n",
    down:
      "ALTER TABLE t ALTER COLUMN m TYPE text USING m::text, ALTER COLUMN s TYPE int, " +
      "ALTER COLUMN p TYPE text USING p::text;\n" +
      "DROP TYPE mood; DROP DOMAIN score; DROP TYPE pair;\n",
    seed: [
      "INSERT INTO t VALUES (1, 'happy', 3, '(1,x)'), (2, 'sad', 0, NULL)",
    ],
    refused: null,
  },
  {
    name: "a down step that drops an enum type and deletes a row",
    base: "CREATE TABLE t (id int PRIMARY KEY, m text);",
    up: "CREATE TYPE mood AS ENUM ('happy', 'sad');\n" +
      "ALTER TABLE t ALTER COLUMN m TYPE mood USING m::mood;\n",
    down: "ALTER TABLE t ALTER COLUMN m TYPE text USING m::text;\n" +
      "DROP TYPE mood; DELETE FROM t WHERE m = 'sad';\n",
    seed: ["INSERT INTO t VALUES (1, 'happy'), (2, 'sad')"],
    refused: /^t\.id: 1 row gone; t\.m: 1 row gone$/,
  },
];

for (const c of SQLITE) {
  dialectTest(
    "sqlite",
    `Migrator.down() compares values exactly: ${c.name}`,
    ({ url }) => run(url, c),
  );
}
for (const c of POSTGRES) {
  dialectTest(
    "postgres",
    `Migrator.down() compares values exactly: ${c.name}`,
    ({ url }) => run(url, c),
  );
}
