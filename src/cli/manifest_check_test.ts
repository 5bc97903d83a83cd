import assert from "node:assert/strict";
import { loadMigrations } from "../migrate/migration.ts";
import { manifestWarnings } from "./manifest_check.ts";

Deno.test("manifestWarnings() names a migration file the manifest lacks and one edited since", async () => {
  const root = await Deno.makeTempDir({ prefix: "impulse-manifest-" });
  try {
    await Deno.mkdir(`${root}/sqlite`);
    const write = (name: string, text: string) =>
      Deno.writeTextFile(`${root}/sqlite/${name}`, text);
    await write("0001_a.up.sql", "CREATE TABLE a (id INTEGER);\n");
    await write("0001_a.down.sql", "DROP TABLE a;\n");
    await write("0002_b.up.sql", "CREATE TABLE b (id INTEGER);\n");
    await write("0002_b.down.sql", "DROP TABLE b;\n");
    const made = { sqlite: await loadMigrations(root, "sqlite") };
    assert.deepEqual(await manifestWarnings(root, made), []);
    await write("0002_b.up.sql", "CREATE TABLE b (id INTEGER, x TEXT);\n");
    await write("0003_c.up.sql", "CREATE TABLE c (id INTEGER);\n");
    await write("0003_c.down.sql", "DROP TABLE c;\n");
    assert.deepEqual(await manifestWarnings(root, made), [
      "migration 0002 b (sqlite) changed since the manifest was made, which still runs the old text: run deno task manifest",
      "migration 0003 c (sqlite) is not in the manifest, so it does not run: run deno task manifest",
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("manifestWarnings() finds the package's own manifest up to date, and says nothing of an installed package", async () => {
  assert.deepEqual(await manifestWarnings(), []);
  assert.deepEqual(await manifestWarnings(null), []);
});
