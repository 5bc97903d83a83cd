/**
 * The exported suite's entry, `conformance()` of `@impulse/storage/testing`: what it registers
 * with `Deno.test`, the database it gives each test, the capabilities it holds a driver to, and
 * the options it refuses. The cases themselves run on every built-in target in
 * tests/conformance_test.ts.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { conformance, type ConformanceOptions } from "../src/testing/mod.ts";
import { CASES } from "../src/testing/_case.ts";
import { rejectsKind } from "./_assert.ts";

/** The tests `conformance(options)` registers, with `Deno.test` swapped for a collector. */
function registered(options: ConformanceOptions): Deno.TestDefinition[] {
  const tests: Deno.TestDefinition[] = [];
  const test = Deno.test;
  Object.assign(Deno, {
    test: (definition: Deno.TestDefinition) => tests.push(definition),
  });
  try {
    conformance(options);
  } finally {
    Object.assign(Deno, { test });
  }
  return tests;
}

/** An in-memory SQLite driver that counts the databases it made and disposed of. */
function counted() {
  const counts = { opened: 0, disposed: 0 };
  return {
    counts,
    open() {
      counts.opened++;
      return Promise.resolve({
        open: (options?: Parameters<typeof openStorage>[1]) =>
          openStorage("sqlite::memory:", options),
        [Symbol.asyncDispose]: () => {
          counts.disposed++;
          return Promise.resolve();
        },
      });
    },
  };
}

/** Runs the registered test whose name ends with `behaviour`. */
async function run(tests: Deno.TestDefinition[], behaviour: string) {
  const test = tests.find((t) => t.name.endsWith(`] ${behaviour}`));
  assert.ok(test, `no test for ${behaviour}`);
  await test.fn({} as Deno.TestContext);
}

const REOPEN =
  "a persistent database keeps its data across reopening; an in-memory one starts empty";

Deno.test("conformance() registers every case once, named [name] behaviour", () => {
  const tests = registered({ name: "probe", open: counted().open });
  assert.equal(tests.length, CASES.length);
  // The 85 cases the suite had when it was exported: a case module left out of mod.ts drops some.
  assert.ok(CASES.length >= 85, `${CASES.length} cases`);
  assert.deepEqual(
    tests.map((t) => t.name),
    CASES.map((c) => `[probe] ${c.name}`),
  );
  assert.equal(new Set(tests.map((t) => t.name)).size, tests.length);
  assert.ok(tests.every((t) => t.ignore === false || t.ignore === undefined));
  const ignored = registered({
    name: "probe",
    open: counted().open,
    ignore: true,
  });
  assert.ok(ignored.every((t) => t.ignore === true));
});

Deno.test("conformance() gives each test a fresh database and disposes of it", async () => {
  const driver = counted();
  const tests = registered({
    name: "probe",
    open: driver.open,
    capabilities: { snapshotReads: false, persistent: false },
  });
  await run(tests, "transaction() commits when the callback resolves");
  await run(tests, "transaction() commits when the callback resolves");
  await run(tests, REOPEN);
  assert.deepEqual(driver.counts, { opened: 3, disposed: 3 });
});

Deno.test("conformance() holds a driver to a capability left out as true, and disposes of the database of a failed test", async () => {
  const driver = counted();
  const tests = registered({
    name: "probe",
    open: driver.open,
    capabilities: { snapshotReads: false },
  });
  // An in-memory database is not persistent: left out, `persistent` counts as true and fails.
  await assert.rejects(run(tests, REOPEN), assert.AssertionError);
  assert.deepEqual(driver.counts, { opened: 1, disposed: 1 });
});

Deno.test("conformance() refuses options that are not as described, naming the field", async () => {
  const open = counted().open;
  for (
    const [options, field] of [
      [undefined, "options"],
      [{ open }, "options.name"],
      [{ name: "", open }, "options.name"],
      [{ name: "x" }, "options.open"],
      [{ name: "x", open, ignore: "yes" }, "options.ignore"],
      [{ name: "x", open, capabilities: 1 }, "options.capabilities"],
      [
        { name: "x", open, capabilities: { persistent: "yes" } },
        "options.capabilities.persistent",
      ],
      [
        { name: "x", open, capabilities: { durable: true } },
        "options.capabilities.durable",
      ],
      [{ name: "x", open, capabilites: {} }, "options.capabilites"],
      [{ name: "x", open, capabilities: null }, "options.capabilities"],
      [{ name: "my\ndriver", open }, "options.name"],
      [
        Object.defineProperty({ open }, "name", {
          enumerable: true,
          get() {
            throw new Error("no name");
          },
        }),
        "options.name",
      ],
    ] as const
  ) {
    await rejectsKind(
      () =>
        Promise.resolve().then(() =>
          registered(options as unknown as ConformanceOptions)
        ),
      "validation",
      field,
    );
  }
});
