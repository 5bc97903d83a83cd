import assert from "node:assert/strict";
import { connect } from "../connect.ts";
import { StorageError } from "../errors.ts";
import * as V from "../validate.ts";
import type { Migration, MigrationCode } from "./migration.ts";
import { checksum } from "./migration.ts";
import { Migrator } from "./migrator.ts";

function migration(
  version: number,
  up: string,
  down: string,
  code: MigrationCode,
): Migration {
  return {
    version,
    name: `m${version}`,
    up,
    down,
    checksum: checksum(up),
    code,
  };
}

/** v1 fills a table from code and notes it; v2's code fails after its SQL ran. */
const SET: readonly Migration[] = [
  migration(1, "CREATE TABLE t (id INTEGER PRIMARY KEY)", "DROP TABLE t", {
    async up(q) {
      await q.run("INSERT INTO t (id) VALUES (1)");
      return [{ table: "t", ids: [1], message: "Row 1 came from code" }];
    },
    async down(q) {
      // The down script dropped t; the code runs after it.
      const [left] = await q.all(
        "SELECT count(*) AS n FROM sqlite_schema WHERE name = 't'",
      );
      return [{ table: "t", ids: [], message: `t left: ${left!.n}` }];
    },
  }),
  migration(2, "CREATE TABLE u (id INTEGER)", "DROP TABLE u", {
    up: () => Promise.reject(new Error("the fold broke")),
    down: () => Promise.resolve([]),
  }),
];

Deno.test("Migrator.up() runs a migration's code after its SQL, in its transaction", async () => {
  const options = V.parse(V.openOptions, { migrate: "off" }, "options", "test");
  const connection = await connect("sqlite::memory:", options);
  await using runner = new Migrator(connection.migrationTarget(), SET);
  const target = connection.migrationTarget();
  const error = await runner.up().catch((e) => e);
  assert.ok(error instanceof StorageError && error.kind === "migration");
  assert.equal(error.version, 2);
  assert.match(
    error.message,
    /Migration 2 \(m2\) failed up in its code: the fold broke/,
  );
  const tables = await target.transaction((q) =>
    q.all("SELECT name FROM sqlite_schema WHERE name IN ('t', 'u')")
  );
  assert.deepEqual(
    tables.map((r) => r.name),
    ["t"],
    "v2's SQL was rolled back",
  );
  const status = await runner.status();
  assert.deepEqual(status.map((l) => [l.version, l.state]), [[1, "applied"], [
    2,
    "pending",
  ]]);
  assert.deepEqual(await runner.notes(), [
    { version: 1, table: "t", ids: [1], message: "Row 1 came from code" },
  ]);
  const [down] = await runner.down();
  assert.deepEqual(down?.notes.map((n) => n.message), ["t left: 0"]);
  assert.deepEqual(
    await runner.notes(),
    [],
    "a reverted migration keeps no notes",
  );
});
