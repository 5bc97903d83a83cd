/**
 * A failed open creates nothing: a SQLite path that the driver makes ready (its directories, its
 * file) but SQLite cannot open leaves no directory or file behind, on either engine, and the
 * error names the path once (the outside attack's third run: 300 nested directories stayed, and
 * the message showed the whole path twice).
 *
 * @module
 */
import assert from "node:assert/strict";
import { openMigrator } from "../src/migrate/mod.ts";
import { openStorage } from "../mod.ts";
import { preparePlace, removeCreated } from "../drivers/sqlite/files.ts";
import { rejectsKind } from "./_assert.ts";

async function entries(dir: string): Promise<string[]> {
  const names = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

/** A path under `dir` over SQLite's 512-byte limit, in directories that do not exist yet. */
const tooLong = (dir: string) => `${dir}/${"d/".repeat(300)}x.db`;

for (const engine of ["", "?engine=ffi"]) {
  Deno.test(`openStorage() and openMigrator() that fail create nothing: no directory, no file${engine}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "impulse-failed-open-" });
    try {
      // A directory that was there before stays, empty as it was.
      await Deno.mkdir(`${dir}/kept`);
      const path = tooLong(`${dir}/kept`);
      for (
        const open of [
          () => openStorage(`sqlite:${path}${engine}`),
          () => openMigrator(`sqlite:${path}${engine}`),
        ]
      ) {
        const error = await rejectsKind(open, "unavailable");
        assert.deepEqual(await entries(dir), ["kept"]);
        assert.deepEqual(await entries(`${dir}/kept`), []);
        // The path is named once (shortened in the middle), the message stays readable.
        assert.equal(error.message.split("x.db").length - 1, 1, error.message);
        assert.ok(error.message.length < 600, error.message);
        assert.match(error.message, /512 bytes/);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("removeCreated() removes only what preparePlace() created, deepest first, while empty", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-failed-open-" });
  try {
    await Deno.mkdir(`${dir}/a`);
    const created = await preparePlace(`${dir}/a/b/c/x.db`, { create: true });
    assert.deepEqual(created, [
      `${dir}/a/b/c/x.db`,
      `${dir}/a/b/c`,
      `${dir}/a/b`,
    ]);
    // What another process put in a created directory since keeps it, and its parents.
    await Deno.writeTextFile(`${dir}/a/b/theirs.txt`, "keep");
    await removeCreated(created);
    assert.deepEqual(await entries(`${dir}/a/b`), ["theirs.txt"]);
    // A database file written since is no longer the empty one created: it stays.
    const again = await preparePlace(`${dir}/a/b/y.db`, { create: true });
    await Deno.writeTextFile(`${dir}/a/b/y.db`, "SQLite format 3");
    await removeCreated(again);
    assert.deepEqual(await entries(`${dir}/a/b`), ["theirs.txt", "y.db"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
