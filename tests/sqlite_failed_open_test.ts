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
import { SqliteConnection } from "../drivers/sqlite/connection.ts";
import { nodeEngine, type SqliteEngine } from "../drivers/sqlite/engine.ts";
import { sql } from "../src/driver.ts";
import { openOptions, parse } from "../src/validate.ts";

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

/** Every path under `dir`, relative, sorted. */
async function tree(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const name = `${prefix}${entry.name}`;
    found.push(name);
    if (entry.isDirectory) found.push(...await tree(dir, `${name}/`));
  }
  return found.sort();
}

function run(command: string, ...args: string[]): boolean {
  return new Deno.Command(command, { args, stdout: "null", stderr: "null" })
    .outputSync().success;
}

/** Mounting a small tmpfs needs root (and a system that lets a test mount). */
const cannotMount = Deno.build.os !== "linux" || Deno.uid() !== 0;

for (const engine of ["", "?engine=ffi"]) {
  Deno.test({
    name:
      `openStorage() whose first migration fails (disk full) removes the database it created, its -wal, -shm and directories${engine}`,
    ignore: cannotMount,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "impulse-full-" });
      assert.ok(run("mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", dir));
      try {
        await Deno.mkdir(`${dir}/kept`);
        const error = await rejectsKind(
          () => openStorage(`sqlite:${dir}/kept/new/dir/board.db${engine}`),
          "unavailable",
        );
        assert.match(error.message, /full/);
        assert.deepEqual(await tree(dir), ["kept"]);
        // A file that was there before is not the open's to remove.
        await Deno.writeFile(`${dir}/kept/old.db`, new Uint8Array());
        await rejectsKind(
          () => openStorage(`sqlite:${dir}/kept/old.db${engine}`),
          "unavailable",
        );
        assert.ok((await tree(dir)).includes("kept/old.db"));
      } finally {
        run("umount", dir);
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

for (const engine of [nodeEngine, await ffiOrNull()]) {
  if (engine === null) continue;
  Deno.test(`SqliteConnection.abandon() removes the database its open created only when no other connection has it open [${engine.name}]`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "impulse-abandon-" });
    try {
      const path = `${dir}/new/dir/board.db`;
      const options = parse(openOptions, {}, "options", "test");
      // Another connection holds the new file open: it stays, whole.
      const first = await SqliteConnection.open(
        engine,
        `sqlite:${path}`,
        options,
      );
      const other = engine.open(path, { busyTimeoutMs: 0 });
      other.prepare("SELECT count(*) FROM sqlite_master").get([]);
      await first.abandon();
      assert.ok((await tree(dir)).includes("new/dir/board.db"));
      assert.equal(
        other.prepare("PRAGMA journal_mode").get([])?.journal_mode,
        "wal",
      );
      other.close();
      await Deno.remove(`${dir}/new`, { recursive: true });
      // Alone, the file, its -wal and -shm and the directories it made go.
      const second = await SqliteConnection.open(
        engine,
        `sqlite:${path}`,
        options,
      );
      await second.root.run(sql("t", "CREATE TABLE t (x)", true), []);
      await second.abandon();
      assert.deepEqual(await tree(dir), []);
      // A file the open did not create stays.
      await Deno.writeFile(`${dir}/old.db`, new Uint8Array());
      const third = await SqliteConnection.open(
        engine,
        `sqlite:${dir}/old.db`,
        options,
      );
      await third.abandon();
      assert.deepEqual(await tree(dir), ["old.db"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

async function ffiOrNull(): Promise<SqliteEngine | null> {
  try {
    const { ffiEngine } = await import("../drivers/sqlite/ffi/engine.ts");
    const engine = ffiEngine();
    engine.open(":memory:", { busyTimeoutMs: 0 }).close();
    return engine;
  } catch {
    return null;
  }
}
