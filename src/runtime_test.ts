import assert from "node:assert/strict";
import { join } from "node:path";
import * as runtime from "./runtime.ts";

Deno.test("runtime: on Deno, the error classes are Deno's own", () => {
  assert.equal(runtime.isDeno, true);
  assert.equal(runtime.errors.NotFound, Deno.errors.NotFound);
  assert.equal(runtime.errors.NotCapable, Deno.errors.NotCapable);
});

Deno.test("runtime: createNew() makes an empty file and refuses an existing one as AlreadyExists", async () => {
  const dir = await runtime.makeTempDir("impulse-runtime-");
  try {
    const path = join(dir, "a.db");
    await runtime.createNew(path, 0o600);
    const info = await runtime.stat(path);
    assert.equal(info.isFile, true);
    assert.equal(info.size, 0);
    await assert.rejects(
      runtime.createNew(path, 0o600),
      runtime.errors.AlreadyExists,
    );
    await runtime.chmod(path, 0o640);
    assert.equal((await runtime.lstat(path)).mode! & 0o777, 0o640);
  } finally {
    await runtime.removeAll(dir);
  }
});

Deno.test("runtime: stat(), remove() and readTextFile() of a missing path fail as NotFound", async () => {
  const dir = await runtime.makeTempDir("impulse-runtime-");
  try {
    const missing = join(dir, "missing");
    await assert.rejects(runtime.stat(missing), runtime.errors.NotFound);
    await assert.rejects(runtime.remove(missing), runtime.errors.NotFound);
    await assert.rejects(
      runtime.readTextFile(missing),
      runtime.errors.NotFound,
    );
  } finally {
    await runtime.removeAll(dir);
  }
});

Deno.test("runtime: readDir() lists files and directories; rename(), sync() and writeNewTextFile() work on them", async () => {
  const dir = await runtime.makeTempDir("impulse-runtime-");
  try {
    await runtime.mkdirAll(join(dir, "sub", "deeper"));
    await runtime.writeNewTextFile(join(dir, "a.txt"), "one");
    await assert.rejects(
      runtime.writeNewTextFile(join(dir, "a.txt"), "two"),
      runtime.errors.AlreadyExists,
    );
    await runtime.rename(join(dir, "a.txt"), join(dir, "b.txt"));
    await runtime.sync(join(dir, "b.txt"), true);
    await runtime.sync(dir, false);
    const entries = (await runtime.readDir(dir)).sort((x, y) =>
      x.name.localeCompare(y.name)
    );
    assert.deepEqual(
      entries.map(({ name, isFile, isDirectory }) => ({
        name,
        isFile,
        isDirectory,
      })),
      [
        { name: "b.txt", isFile: true, isDirectory: false },
        { name: "sub", isFile: false, isDirectory: true },
      ],
    );
    assert.equal(await runtime.readTextFile(join(dir, "b.txt")), "one");
    assert.deepEqual(
      await runtime.readFile(join(dir, "b.txt")),
      new TextEncoder().encode("one"),
    );
  } finally {
    await runtime.removeAll(dir);
  }
});
