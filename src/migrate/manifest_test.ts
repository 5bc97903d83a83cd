import assert from "node:assert/strict";
import { manifest } from "../../migrations/mod.ts";
import { renderManifest } from "./manifest.ts";
import { loadMigrations } from "./migration.ts";

const ROOT = new URL("../../migrations", import.meta.url).pathname;

Deno.test("renderManifest() equals the committed migrations/mod.ts", async () => {
  assert.equal(
    await renderManifest(ROOT),
    await Deno.readTextFile(`${ROOT}/mod.ts`),
    "migrations/mod.ts is stale: run `deno task manifest`",
  );
});

Deno.test("manifest embeds the SQL files of every dialect with their checksums", async () => {
  const dialects: string[] = [];
  for await (const entry of Deno.readDir(ROOT)) {
    if (entry.isDirectory) dialects.push(entry.name);
  }
  assert.deepEqual(Object.keys(manifest).sort(), dialects.sort());
  for (const dialect of dialects) {
    const files = await loadMigrations(`${ROOT}/${dialect}`, dialect);
    assert.deepEqual(
      manifest[dialect]!.map((m) => [m.version, m.name, m.checksum]),
      files.map((m) => [m.version, m.name, m.checksum]),
    );
  }
});

Deno.test("renderManifest() changes when a migration file changes", async () => {
  const root = await Deno.makeTempDir({ prefix: "impulse-manifest-test-" });
  try {
    await Deno.mkdir(`${root}/sqlite`);
    for await (const entry of Deno.readDir(`${ROOT}/sqlite`)) {
      await Deno.copyFile(
        `${ROOT}/sqlite/${entry.name}`,
        `${root}/sqlite/${entry.name}`,
      );
    }
    const fresh = await renderManifest(root);
    const up = `${root}/sqlite/0001_create_users.up.sql`;
    await Deno.writeTextFile(up, (await Deno.readTextFile(up)) + "-- edit\n");
    assert.notEqual(await renderManifest(root), fresh);
    await Deno.writeTextFile(`${root}/sqlite/0099_more.up.sql`, "SELECT 1;\n");
    await Deno.writeTextFile(
      `${root}/sqlite/0099_more.down.sql`,
      "SELECT 2;\n",
    );
    const grown = await renderManifest(root);
    assert.match(grown, /version: 99,\n {6}name: "more",/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("renderManifest() is insensitive to CRLF line endings", async () => {
  const root = await Deno.makeTempDir({ prefix: "impulse-manifest-test-" });
  try {
    await Deno.mkdir(`${root}/sqlite`);
    const write = async (eol: string) => {
      await Deno.writeTextFile(
        `${root}/sqlite/0001_a.up.sql`,
        ["CREATE TABLE a (id INTEGER);", ""].join(eol),
      );
      await Deno.writeTextFile(
        `${root}/sqlite/0001_a.down.sql`,
        ["DROP TABLE a;", ""].join(eol),
      );
      return await renderManifest(root);
    };
    assert.equal(await write("\r\n"), await write("\n"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("manifest --check fails on a stale manifest and passes on a current one", async () => {
  const root = await Deno.makeTempDir({ prefix: "impulse-manifest-test-" });
  try {
    await Deno.mkdir(`${root}/sqlite`);
    await Deno.writeTextFile(`${root}/sqlite/0001_a.up.sql`, "SELECT 1;\n");
    await Deno.writeTextFile(`${root}/sqlite/0001_a.down.sql`, "SELECT 2;\n");
    const run = async (...args: string[]) => {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--allow-read",
          "--allow-write",
          new URL("./manifest.ts", import.meta.url).pathname,
          ...args,
          root,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const decoder = new TextDecoder();
      return {
        code,
        output: decoder.decode(stdout) + decoder.decode(stderr),
      };
    };
    const missing = await run("--check");
    assert.equal(missing.code, 1, missing.output);
    assert.match(missing.output, /is stale/);
    assert.equal((await run()).code, 0);
    assert.equal(
      await Deno.readTextFile(`${root}/mod.ts`),
      await renderManifest(root),
    );
    const current = await run("--check");
    assert.equal(current.code, 0, current.output);
    await Deno.writeTextFile(`${root}/sqlite/0001_a.up.sql`, "SELECT 3;\n");
    const stale = await run("--check");
    assert.equal(stale.code, 1, stale.output);
    assert.match(stale.output, /is stale: run `deno task manifest`/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("renderManifest() attaches a code file to its version in every dialect", async () => {
  const root = await Deno.makeTempDir({ prefix: "impulse-manifest-test-" });
  try {
    for (const dialect of ["postgres", "sqlite"]) {
      await Deno.mkdir(`${root}/${dialect}`);
      await Deno.writeTextFile(
        `${root}/${dialect}/0001_a.up.sql`,
        "SELECT 1;\n",
      );
      await Deno.writeTextFile(
        `${root}/${dialect}/0001_a.down.sql`,
        "SELECT 2;\n",
      );
      await Deno.writeTextFile(
        `${root}/${dialect}/0002_b.up.sql`,
        "SELECT 1;\n",
      );
      await Deno.writeTextFile(
        `${root}/${dialect}/0002_b.down.sql`,
        "SELECT 2;\n",
      );
    }
    await Deno.writeTextFile(`${root}/0002_b.ts`, "export default {};\n");
    const text = await renderManifest(root);
    assert.match(text, /^import code2 from "\.\/0002_b\.ts";$/m);
    assert.equal(text.match(/^ {6}code: code2,$/gm)?.length, 2);
    assert.equal(text.match(/code: /g)?.length, 2, "0001 has no code");

    await Deno.rename(`${root}/0002_b.ts`, `${root}/0002_c.ts`);
    await assert.rejects(
      renderManifest(root),
      /0002_c\.ts does not match migration 2 \(b\)/,
    );
    await Deno.rename(`${root}/0002_c.ts`, `${root}/0003_c.ts`);
    await assert.rejects(renderManifest(root), /0003_c\.ts has no SQL files/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
