import assert from "node:assert/strict";
import { manifest } from "../migrations/mod.ts";

const root = new URL("../migrations/", import.meta.url);

async function files(dialect: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(new URL(dialect, root))) {
    if (entry.isFile) names.push(entry.name);
  }
  return names.sort();
}

Deno.test("migrations/sqlite and migrations/postgres hold the same versions and names", async () => {
  const sqlite = await files("sqlite");
  const postgres = await files("postgres");
  assert.ok(sqlite.length > 0);
  assert.deepEqual(postgres, sqlite);
});

Deno.test("the manifest embeds the same versions and names for every dialect", () => {
  const dialects = Object.keys(manifest).sort();
  assert.deepEqual(dialects, ["postgres", "sqlite"]);
  const shape = (dialect: string) =>
    manifest[dialect]!.map((m) => `${m.version} ${m.name}`);
  for (const dialect of dialects) {
    assert.deepEqual(shape(dialect), shape("sqlite"));
  }
});
