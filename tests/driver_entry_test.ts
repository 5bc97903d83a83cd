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
  // No two of the caller's drivers take one scheme (see the test of distinct drivers below).
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

Deno.test("openStorage() refuses two drivers of one name or one scheme, and a built-in driver's name", async () => {
  const d = (name: string, ...schemes: string[]) =>
    ({ name, schemes, connect: sqlite.connect }) as unknown as Driver;
  const cases: [Driver[], string][] = [
    [[d("board", "a:"), d("board", "b:")], "options.drivers.1.name"],
    [[d("board", "a:"), d("shelf", "b:", "a:")], "options.drivers.1.schemes"],
    [[d("postgres", "board:")], "options.drivers.0.name"],
    [[d("sqlite", "sqlite:")], "options.drivers.0.name"],
  ];
  for (const [drivers, field] of cases) {
    const error = await rejectsKind(
      openStorage("sqlite::memory:", { drivers }),
      "validation",
    );
    assert.equal(error.field, field, error.message);
  }
  // One driver given twice is one name twice, too.
  const board = d("board", "board:");
  const twice = await rejectsKind(
    openStorage("sqlite::memory:", { drivers: [board, board] }),
    "validation",
  );
  assert.equal(twice.field, "options.drivers.1.name");
});

Deno.test("a caller's driver that throws what is not a StorageError fails the call as internal, naming the driver, without the URL's password", async () => {
  const secret = "s3cr3t-pw";
  const broken: Driver<unknown, "broken"> = {
    name: "broken",
    schemes: ["broken:"],
    async connect(url, options) {
      const inner = await sqlite.connect("sqlite::memory:", {
        ...options,
        driver: undefined,
      });
      const fail = () => {
        throw new Error(`connection to ${url} lost (password ${secret})`);
      };
      return {
        dialect: inner.dialect,
        root: { ...inner.root, get: fail, all: fail, run: fail },
        transaction: (fn) => inner.transaction(fn),
        migrationTarget: () => inner.migrationTarget(),
        close: () => inner.close(),
      };
    },
  };
  await using storage = await openStorage(`broken://bob:${secret}@h/db`, {
    drivers: [broken],
  });
  const error = await rejectsKind(storage.users.get(1), "internal");
  assert.match(error.message, /broken driver/);
  assert.match(error.message, /users\.byId/);
  assert.ok(!`${error.stack}${Deno.inspect(error)}`.includes(secret));
  // Nor from its migration target, in the password's percent-encoded spellings either.
  const encoded: Driver<unknown, "encoded"> = {
    name: "encoded",
    schemes: ["encoded:"],
    async connect(url, options) {
      const inner = await sqlite.connect("sqlite::memory:", {
        ...options,
        driver: undefined,
      });
      return {
        ...inner,
        dialect: inner.dialect,
        root: inner.root,
        transaction: (fn) => inner.transaction(fn),
        close: () => inner.close(),
        migrationTarget: () => {
          throw new Error(
            `cannot reach ${url} (${encodeURIComponent("pa%41ss")}, ${
              btoa("bob:pa%41ss")
            })`,
          );
        },
      };
    },
  };
  const target = await rejectsKind(
    openStorage("encoded://bob:pa%41ss@h/db", { drivers: [encoded] }),
    "internal",
  );
  assert.match(target.message, /encoded driver/);
  for (
    const spelling of ["pa%41ss", "pa%2541ss", "paAss", btoa("bob:pa%41ss")]
  ) {
    assert.ok(
      !`${target.stack}${Deno.inspect(target)}`.includes(spelling),
      `${spelling} in ${target.message}`,
    );
  }
  // What the caller's own callback throws passes through a transaction as it is.
  const mine = new RangeError("the caller's own");
  await assert.rejects(
    storage.transaction(() => Promise.reject(mine)),
    (e) => e === mine,
  );
});

Deno.test("the SQLite driver refuses a URL of another scheme, however openStorage was reached", async () => {
  for (const url of ["board:x.db", "x.db", ":memory:", "BOARD::memory:"]) {
    const error = await rejectsKind(
      sqlite.connect(
        url,
        {
          migrate: "off",
          create: true,
          acquireTimeoutMs: 1000,
          retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
          driver: undefined,
        } as unknown as Parameters<typeof sqlite.connect>[1],
      ),
      "validation",
    );
    assert.equal(error.field, "url");
  }
});

Deno.test("the built-in loader's table names each built-in driver as its module does", () => {
  const loaded = [sqlite, postgres];
  assert.deepEqual(
    BUILT_IN.map((b) => ({ name: b.name, schemes: b.schemes })),
    loaded.map((d) => ({ name: d.name, schemes: d.schemes })),
  );
});
