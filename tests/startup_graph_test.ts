/**
 * What a board on SQLite loads, held by the module graph (`deno info --json`): importing the
 * package and opening a `sqlite:` URL evaluates nothing of PostgreSQL (the driver, postgres.js)
 * and not `node:crypto`, which the operations that hash import on first use
 * (`src/node_crypto.ts`). Dynamic imports and type-only imports load nothing at import time, so
 * the graph followed here is the static one.
 */
import assert from "node:assert/strict";

/** Every module the root evaluates when imported, `node:` built-ins included. */
async function loadedBy(root: string): Promise<Set<string>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL(root, import.meta.url).href],
    stdout: "piped",
  }).output();
  assert.ok(output.success, "deno info failed");
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    redirects?: Record<string, string>;
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const modules = new Map(info.modules.map((m) => [m.specifier, m]));
  const loaded = new Set<string>();
  const visit = (specifier: string) => {
    const resolved = info.redirects?.[specifier] ?? specifier;
    if (loaded.has(resolved)) return;
    loaded.add(resolved);
    for (const dependency of modules.get(resolved)?.dependencies ?? []) {
      const target = dependency.code?.specifier;
      if (target !== undefined && !dependency.isDynamic) visit(target);
    }
  };
  visit(info.roots[0]!);
  return loaded;
}

for (const root of ["../mod.ts", "../drivers/sqlite/mod.ts"]) {
  Deno.test(`importing ${root.slice(3)} loads nothing of PostgreSQL and not node:crypto`, async () => {
    const loaded = [...await loadedBy(root)];
    assert.ok(loaded.length > 1, "the graph is empty");
    assert.deepEqual(
      loaded.filter((s) =>
        s === "node:crypto" || s.includes("/drivers/postgres/") ||
        /^npm:\/?postgres@/.test(s)
      ),
      [],
    );
  });
}
