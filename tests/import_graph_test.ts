/**
 * The driver seam, held by the import graph: a driver imports only the `driver` entry
 * (./driver.ts), its own files, npm packages (`npm:` or a bare name mapped in deno.json) and
 * `node:` built-ins; no file of the package outside drivers/ imports a driver, but the lazy
 * loader of the built-in drivers (src/builtin_drivers.ts).
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY = join(ROOT, "driver.ts");
const LOADER = join(ROOT, "src", "builtin_drivers.ts");

/** The specifiers a module imports: static imports and re-exports, and dynamic `import()`s. */
export function specifiers(text: string): string[] {
  const found: string[] = [];
  // Statements start a line; lines of comments (` * import …` in an example) start otherwise.
  const statement =
    /^[ \t]*(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/gm;
  const bare = /^[ \t]*import\s*["']([^"']+)["']/gm;
  for (const match of text.matchAll(statement)) found.push(match[1]!);
  for (const match of text.matchAll(bare)) found.push(match[1]!);
  for (const line of text.split("\n")) {
    if (/^\s*(\*|\/\/|\/\*)/.test(line)) continue;
    for (const match of line.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
      found.push(match[1]!);
    }
  }
  return found;
}

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* tsFiles(path);
    else if (entry.isFile && entry.name.endsWith(".ts")) yield path;
  }
}

const mapped = new Set(
  Object.keys(
    (JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))) as {
      imports: Record<string, string>;
    }).imports,
  ),
);

/**
 * Why a driver's file may not import a specifier, or `undefined` when it may.
 *
 * @param file The importing file, absolute.
 * @param specifier What it imports.
 */
export function forbiddenInDriver(
  file: string,
  specifier: string,
): string | undefined {
  if (specifier.startsWith("npm:") || specifier.startsWith("node:")) {
    return undefined;
  }
  if (!specifier.startsWith(".") && !specifier.startsWith("/")) {
    const name = specifier.startsWith("@")
      ? specifier.split("/").slice(0, 2).join("/")
      : specifier.split("/")[0]!;
    return mapped.has(name) || mapped.has(specifier)
      ? undefined
      : "a specifier that is neither npm:, node: nor a package mapped in deno.json";
  }
  const driver = relative(join(ROOT, "drivers"), file).split("/")[0]!;
  const own = join(ROOT, "drivers", driver);
  const target = resolve(dirname(file), specifier);
  if (target === ENTRY) return undefined;
  if (target.startsWith(own + "/")) return undefined;
  return `outside drivers/${driver}/ and not the driver entry (${
    relative(ROOT, target)
  })`;
}

Deno.test("every file under drivers/ imports only the driver entry, its own driver's files, npm packages and node: built-ins", async () => {
  const wrong: string[] = [];
  let files = 0;
  for await (const file of tsFiles(join(ROOT, "drivers"))) {
    files++;
    for (const specifier of specifiers(await Deno.readTextFile(file))) {
      const why = forbiddenInDriver(file, specifier);
      if (why) {
        wrong.push(`${relative(ROOT, file)} imports "${specifier}": ${why}`);
      }
    }
  }
  assert.ok(files > 40, `only ${files} files found under drivers/`);
  assert.deepEqual(wrong, [], wrong.join("\n"));
});

Deno.test("no file of the package outside drivers/ imports a driver, but the built-in loader", async () => {
  const wrong: string[] = [];
  const roots = [
    ...["mod.ts", "driver.ts"].map((f) => join(ROOT, f)),
  ];
  for (const dir of ["src", "migrations"]) {
    for await (const file of tsFiles(join(ROOT, dir))) roots.push(file);
  }
  for (const file of roots) {
    if (file === LOADER) continue;
    for (const specifier of specifiers(await Deno.readTextFile(file))) {
      if (!specifier.startsWith(".")) continue;
      const target = resolve(dirname(file), specifier);
      if (target.startsWith(join(ROOT, "drivers") + "/")) {
        wrong.push(`${relative(ROOT, file)} imports "${specifier}"`);
      }
    }
  }
  assert.deepEqual(wrong, [], wrong.join("\n"));
});

Deno.test("specifiers() finds static, type-only, re-exported and dynamic imports, not those in comments", () => {
  const text = [
    `import { a } from "./a.ts";`,
    `import type {`,
    `  B,`,
    `} from "../../src/b.ts";`,
    `export { c } from "./c.ts";`,
    `import "./side.ts";`,
    `const d = await import("./d.ts");`,
    ` * import { openStorage } from "@impulse/storage";`,
    ` * const e = await import("./e.ts");`,
  ].join("\n");
  assert.deepEqual(specifiers(text).sort(), [
    "../../src/b.ts",
    "./a.ts",
    "./c.ts",
    "./d.ts",
    "./side.ts",
  ]);
});

Deno.test("forbiddenInDriver() refuses the core's files, another driver's and unmapped packages", () => {
  const file = join(ROOT, "drivers", "sqlite", "connection.ts");
  assert.equal(forbiddenInDriver(file, "../../driver.ts"), undefined);
  assert.equal(forbiddenInDriver(file, "./ffi/engine.ts"), undefined);
  assert.equal(forbiddenInDriver(file, "zod"), undefined);
  assert.equal(forbiddenInDriver(file, "node:path"), undefined);
  assert.match(forbiddenInDriver(file, "../../src/errors.ts")!, /src\/errors/);
  assert.match(
    forbiddenInDriver(file, "../postgres/dialect.ts")!,
    /outside drivers\/sqlite/,
  );
  assert.match(forbiddenInDriver(file, "left-pad")!, /nor a package mapped/);
  assert.match(forbiddenInDriver(file, "jsr:@std/path")!, /neither npm/);
});
