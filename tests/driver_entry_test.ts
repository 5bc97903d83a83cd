/**
 * A third party's driver, written against the `driver` entry alone and passed to `openStorage`
 * as `options.drivers`: consulted before the built-in drivers, handed its section of the open
 * options as its schema parsed it, and refused when it is not a driver.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import {
  type ConnectOptions,
  type Driver,
  optionsSchema,
  StorageError,
} from "../driver.ts";
import { driver as sqlite } from "../drivers/sqlite/mod.ts";
import { driver as postgres } from "../drivers/postgres/mod.ts";
import { openStorage } from "../mod.ts";
import { BUILT_IN } from "../src/builtin_drivers.ts";
import { rejectsKind } from "./_assert.ts";

interface BoardOptions {
  /** Where the board keeps its files. */
  shelf: string;
  /** How many shelves; 1 by default. */
  shelves?: number;
}

/**
 * A driver of the `board:` scheme: the built-in SQLite driver behind another name, which
 * records what it was handed.
 */
function boardDriver(): Driver<BoardOptions, "board"> & {
  calls: ConnectOptions<BoardOptions>[];
} {
  const calls: ConnectOptions<BoardOptions>[] = [];
  return {
    name: "board",
    schemes: ["board:"],
    options: optionsSchema(
      z.strictObject({
        shelf: z.string().min(1, { error: "must not be empty" }),
        shelves: z.number().int().min(1).default(1),
      }),
    ),
    calls,
    connect(url, options) {
      calls.push(options);
      return sqlite.connect(url.replace(/^board:/, "sqlite:"), {
        ...options,
        driver: undefined,
      });
    },
  };
}

Deno.test("openStorage() opens a URL of a caller's driver and hands the driver its options section, parsed", async () => {
  const board = boardDriver();
  await using storage = await openStorage("board::memory:", {
    drivers: [board],
    board: { shelf: "/srv/board" },
    acquireTimeoutMs: 1234,
  });
  const user = await storage.users.create({
    username: "sysop",
    passwordHash: "x",
  });
  assert.equal((await storage.users.findByUsername("SYSOP"))?.id, user.id);
  assert.equal(board.calls.length, 1);
  // Parsed by the driver's schema: its default applied.
  assert.deepEqual(board.calls[0]!.driver, { shelf: "/srv/board", shelves: 1 });
  assert.equal(board.calls[0]!.acquireTimeoutMs, 1234);
});

Deno.test("openStorage() consults the caller's drivers before the built-in ones", async () => {
  const seen: string[] = [];
  const mine: Driver<unknown, "mine"> = {
    name: "mine",
    schemes: ["sqlite:"],
    connect(url, options) {
      seen.push(url);
      return sqlite.connect(url, { ...options, driver: undefined });
    },
  };
  await (await openStorage("sqlite::memory:", { drivers: [mine] })).close();
  assert.deepEqual(seen, ["sqlite::memory:"]);
  // The first of the caller's drivers that takes the scheme wins.
  const other = boardDriver();
  const second = { ...boardDriver(), schemes: ["board:"] };
  await (await openStorage("board::memory:", { drivers: [other, second] }))
    .close();
  assert.equal(other.calls.length, 1);
  assert.equal(second.calls.length, 0);
});

Deno.test("openStorage() refuses a driver's section its schema refuses, and a section no driver takes", async () => {
  const board = boardDriver();
  const bad = await rejectsKind(
    openStorage("board::memory:", {
      drivers: [board],
      // @ts-expect-error: the section is typed by the driver's options
      board: { shelf: 7 },
    }),
    "validation",
  );
  assert.equal(bad.field, "options.board.shelf");
  const unknown = await rejectsKind(
    openStorage("board::memory:", {
      drivers: [board],
      // @ts-expect-error: no driver is named "Board"
      Board: { shelf: "x" },
    }),
    "validation",
  );
  assert.match(
    unknown.message,
    /unknown field "options\.Board": did you mean "board"\?/,
  );
  // Without the driver, its section names nothing.
  await rejectsKind(
    // @ts-expect-error: no driver is named "board" here
    openStorage("sqlite::memory:", { board: { shelf: "x" } }),
    "validation",
  );
  assert.equal(board.calls.length, 0);
});

Deno.test("openStorage() refuses drivers that are not drivers, naming options.drivers", async () => {
  const connect = sqlite.connect;
  const cases: [unknown, string][] = [
    [{ name: "x", connect }, "options.drivers.0.schemes"],
    [{ name: "x", schemes: [], connect }, "options.drivers.0.schemes"],
    [{ name: "x", schemes: ["X"], connect }, "options.drivers.0.schemes"],
    [{ name: "x", schemes: ["x:"] }, "options.drivers.0.connect"],
    [{ schemes: ["x:"], connect }, "options.drivers.0.name"],
    [{ name: "migrate", schemes: ["x:"], connect }, "options.drivers.0.name"],
    [
      { name: "x", schemes: ["x:"], connect, options: {} },
      "options.drivers.0.options",
    ],
    ["sqlite", "options.drivers.0"],
  ];
  for (const [driver, field] of cases) {
    const error = await rejectsKind(
      openStorage("sqlite::memory:", { drivers: [driver as Driver] }),
      "validation",
    );
    assert.equal(error.field, field, error.message);
    assert.ok(error instanceof StorageError);
  }
  const notArray = await rejectsKind(
    openStorage("sqlite::memory:", { drivers: sqlite as unknown as Driver[] }),
    "validation",
  );
  assert.equal(notArray.field, "options.drivers");
});

Deno.test("the built-in loader's table names each built-in driver as its module does", () => {
  const loaded = [sqlite, postgres];
  assert.deepEqual(
    BUILT_IN.map((b) => ({ name: b.name, schemes: b.schemes })),
    loaded.map((d) => ({ name: d.name, schemes: d.schemes })),
  );
});
