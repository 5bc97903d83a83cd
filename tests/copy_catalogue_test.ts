/**
 * `copy` and the table catalogue (`src/tables/`): it refuses two databases that both lack a
 * column of the package (which comparing them with each other alone would let through), and it
 * leaves out a column the catalogue marks `copy: false`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { connect } from "../src/connect.ts";
import { copyDatabase } from "../src/copy/mod.ts";
import { planCopy, type Side } from "../src/copy/plan.ts";
import { isStorageError } from "../src/errors.ts";
import { CATALOGUE, USERS } from "../src/tables/mod.ts";
import { table } from "../src/tables/table.ts";
import * as V from "../src/validate.ts";
import { freshBoard, smallBoard } from "./_copy.ts";
import { withSql } from "./_migrate.ts";

async function migrated(url: string): Promise<void> {
  await (await openStorage(url)).close();
}

Deno.test("copyDatabase() refuses, naming it, a column of the package that both databases lack", async () => {
  await using source = await freshBoard("sqlite");
  await using target = await freshBoard("sqlite");
  await smallBoard(source.url);
  await migrated(target.url);
  for (const url of [source.url, target.url]) {
    await withSql(url, (sql) => sql.all("ALTER TABLE users DROP COLUMN note"));
  }
  await assert.rejects(
    () => copyDatabase(source.url, target.url),
    (error) =>
      isStorageError(error, "migration") &&
      error.message.includes(
        "column users.note of the package is not in the source",
      ) &&
      error.message.includes(
        "column users.note of the package is not in the target",
      ),
  );
});

Deno.test("planCopy() leaves out a column the catalogue marks copy: false", async () => {
  await using source = await freshBoard("sqlite");
  await using target = await freshBoard("sqlite");
  await smallBoard(source.url);
  await migrated(target.url);
  const open = V.parse(V.openOptions, { migrate: "off" }, "options", "test");
  const a = await connect(source.url, open);
  const b = await connect(target.url, open);
  try {
    const side = (c: typeof a): Side => ({
      connection: c,
      port: c.copyTarget!(),
    });
    const users = (await planCopy(side(a), side(b))).find((t) =>
      t.name === "users"
    )!;
    assert.ok(users.columns.includes("note"));
    const notCarried = table("users", {
      ...USERS.spec,
      columns: { ...USERS.spec.columns, note: { codec: "text", copy: false } },
    });
    const catalogue = CATALOGUE.map((t) => t.name === "users" ? notCarried : t);
    const left = (await planCopy(side(a), side(b), catalogue)).find((t) =>
      t.name === "users"
    )!;
    assert.deepEqual(
      left.columns,
      users.columns.filter((c) => c !== "note"),
    );
  } finally {
    await a.close();
    await b.close();
  }
});
