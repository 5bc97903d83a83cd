/**
 * The migration API's arguments, from the promise "bad input fails as `validation`, naming the
 * field, and writes nothing" and "a lossy down is refused before anything changes unless
 * forced": every argument and option of `openMigrator`, `Migrator` and its `up`, `down` and
 * `to` that is of the wrong type or out of range fails as `validation` naming the field, and
 * the database (its rows, its schema and its tracking rows) stays as it was, on every
 * persistent target.
 *
 * @module
 */
import assert from "node:assert/strict";
import { StorageError } from "../mod.ts";
import {
  createMigration,
  type MigrationTarget,
  Migrator,
  openMigrator,
} from "../src/migrate/mod.ts";
import {
  persistentTest,
  snapshot,
  sqlQuery,
  tempSet,
  trackedVersions,
} from "./_migrate.ts";

/** A caller's set whose one migration cannot be reverted without losing the table's rows. */
const LOSSY = {
  "0001_notes.up.sql":
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, author TEXT NOT NULL);\n",
  "0001_notes.down.sql": "DROP TABLE notes;\n",
  "0002_tags.up.sql": "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n",
  "0002_tags.down.sql": "DROP TABLE tags;\n",
};

/** Whether the database has the tracking table (which `snapshot` leaves out). */
async function tracking(url: string): Promise<boolean> {
  const [row] = await sqlQuery(
    url,
    url.startsWith("sqlite:")
      ? "SELECT count(*) AS n FROM sqlite_master WHERE name = 'impulse_migrations'"
      : "SELECT count(*) AS n FROM pg_class WHERE relname = 'impulse_migrations'",
  );
  return Number(row!.n) > 0;
}

/** A revoked Proxy: reading anything of it throws a TypeError. */
function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** An object whose `field` getter throws. */
function throwing(field: string): object {
  return Object.defineProperty({}, field, {
    enumerable: true,
    get() {
      throw new Error("boom");
    },
  });
}

/** Asserts that `call` rejects as `validation` naming `field`. */
async function refused(
  call: () => Promise<unknown>,
  field: string,
  label: string,
): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof StorageError, `${label}: ${error}`);
    assert.equal(error.kind, "validation", `${label}: ${error.message}`);
    assert.equal(error.field, field, `${label}: ${error.message}`);
    return true;
  }, label);
}

// deno-lint-ignore no-explicit-any
type Loose = any;

const BAD_FORCE: [string, unknown][] = [
  ['"false"', "false"],
  ['"no"', "no"],
  ["[]", []],
  ["1", 1],
  ["0", 0],
  ["null", null],
  ["{}", {}],
];

/** `down(options)` calls that must fail, with the field they must name. */
const BAD_DOWN: [string, unknown, string][] = [
  ...BAD_FORCE.map(([label, force]): [string, unknown, string] => [
    `{ force: ${label} }`,
    { force },
    "options.force",
  ]),
  ...[
    ["2", "2"],
    ["-1", -1],
    ["0", 0],
    ["1.5", 1.5],
    ["NaN", NaN],
    [
      "Infinity",
      Infinity,
    ],
    ["2n", 2n],
    ["null", null],
  ].map(([label, steps]): [
    string,
    unknown,
    string,
  ] => [`{ steps: ${label} }`, { steps }, "options.steps"]),
  ...[["-1", -1], ['"0"', "0"], ["0.5", 0.5], ["null", null]].map((
    [label, to],
  ): [string, unknown, string] => [`{ to: ${label} }`, { to }, "options.to"]),
  ["{ steps: 1, to: 0 }", { steps: 1, to: 0 }, "options"],
  ["{ forse: true }", { forse: true }, "options.forse"],
  ["null", null, "options"],
  ["42", 42, "options"],
  ['"force"', "force", "options"],
  ["[]", [], "options"],
  ["a revoked Proxy", revoked(), "options"],
  ["a throwing force getter", throwing("force"), "options.force"],
];

persistentTest(
  "Migrator.down() refuses every bad option as validation naming the field, reverting nothing",
  async (fresh) => {
    await using set = await tempSet(LOSSY);
    await using migrator = await openMigrator(fresh.url, { dir: set.dir });
    await migrator.up();
    await sqlQuery(
      fresh.url,
      "INSERT INTO notes (id, author) VALUES (1, 'precious')",
    );
    const rows = await snapshot(fresh.url);
    const tracked = await trackedVersions(fresh.url, "app");
    for (const [label, options, field] of BAD_DOWN) {
      await refused(
        () => migrator.down(options as Loose),
        field,
        `down(${label})`,
      );
    }
    assert.deepEqual(await snapshot(fresh.url), rows);
    assert.deepEqual(await trackedVersions(fresh.url, "app"), tracked);
    // The same database: unforced, the lossy step is refused; forced, it goes, with the row.
    await assert.rejects(
      () => migrator.down({ steps: 2, force: false }),
      (e: unknown) => e instanceof StorageError && e.kind === "migration",
    );
    assert.deepEqual(await trackedVersions(fresh.url, "app"), tracked);
    assert.equal((await migrator.down({ steps: 2, force: true })).length, 2);
    assert.equal((await snapshot(fresh.url)).notes, undefined);
  },
);

/** `to(version, options)` calls that must fail, with the field they must name. */
const BAD_TO: [string, unknown[], string][] = [
  ["null", [null], "version"],
  ['""', [""], "version"],
  ["true", [true], "version"],
  ['"1"', ["1"], "version"],
  ["1.5", [1.5], "version"],
  ["-1", [-1], "version"],
  ["NaN", [NaN], "version"],
  ["1n", [1n], "version"],
  ["undefined", [], "version"],
  ["0, null", [0, null], "options"],
  ["1, null", [1, null], "options"],
  ["0, a revoked Proxy", [0, revoked()], "options"],
  ...BAD_FORCE.map(([label, force]): [string, unknown[], string] => [
    `0, { force: ${label} }`,
    [0, { force }],
    "options.force",
  ]),
  ["0, { steps: 1 }", [0, { steps: 1 }], "options.steps"],
];

persistentTest(
  "Migrator.to() refuses a version that is not one and bad options as validation, changing nothing",
  async (fresh) => {
    await using set = await tempSet(LOSSY);
    await using migrator = await openMigrator(fresh.url, { dir: set.dir });
    await migrator.up({ to: 1 });
    await sqlQuery(
      fresh.url,
      "INSERT INTO notes (id, author) VALUES (1, 'precious')",
    );
    const rows = await snapshot(fresh.url);
    for (const [label, args, field] of BAD_TO) {
      await refused(
        () => (migrator.to as Loose)(...args),
        field,
        `to(${label})`,
      );
    }
    assert.deepEqual(await snapshot(fresh.url), rows);
    assert.deepEqual(await trackedVersions(fresh.url, "app"), [[1, "applied"]]);
    // An integer that is not in the set is still `migration`.
    await assert.rejects(
      () => migrator.to(7),
      (e: unknown) =>
        e instanceof StorageError && e.kind === "migration" && e.version === 7,
    );
  },
);

persistentTest(
  "Migrator.up() refuses bad options as validation before it creates anything",
  async (fresh) => {
    await using set = await tempSet(LOSSY);
    await using migrator = await openMigrator(fresh.url, { dir: set.dir });
    const before = await snapshot(fresh.url);
    for (
      const [label, options, field] of [
        ["null", null, "options"],
        ["1", 1, "options"],
        ['{ to: "1" }', { to: "1" }, "options.to"],
        ["{ to: -1 }", { to: -1 }, "options.to"],
        ["{ to: 1.5 }", { to: 1.5 }, "options.to"],
        ["{ to: NaN }", { to: NaN }, "options.to"],
        ["{ too: 1 }", { too: 1 }, "options.too"],
        ["{ force: true }", { force: true }, "options.force"],
        ["a revoked Proxy", revoked(), "options"],
      ] as const
    ) {
      await refused(() => migrator.up(options as Loose), field, `up(${label})`);
    }
    // Not even the tracking table.
    assert.deepEqual(await snapshot(fresh.url), before);
    assert.equal(await tracking(fresh.url), false);
    assert.ok((await migrator.status()).every((l) => l.state === "pending"));
  },
);

persistentTest(
  "openMigrator() and new Migrator() refuse bad options as validation naming the field",
  async (fresh) => {
    const before = await snapshot(fresh.url);
    for (
      const [label, options, field] of [
        ["null", null, "options"],
        ["a revoked Proxy", revoked(), "options"],
        ['{ readOnly: "no" }', { readOnly: "no" }, "options.readOnly"],
        [
          "{ lockTimeoutMs: -1 }",
          { lockTimeoutMs: -1 },
          "options.lockTimeoutMs",
        ],
        [
          '{ lockTimeoutMs: "5" }',
          { lockTimeoutMs: "5" },
          "options.lockTimeoutMs",
        ],
        ["{ dir: 5 }", { dir: 5 }, "options.dir"],
        ['{ dir: "" }', { dir: "" }, "options.dir"],
        ["{ dir: a NUL }", { dir: "/tmp/set\0" }, "options.dir"],
        ["{ set: 5 }", { set: 5 }, "options.set"],
      ] as const
    ) {
      await refused(
        () => openMigrator(fresh.url, options as Loose),
        field,
        `openMigrator(${label})`,
      );
    }
    assert.deepEqual(await snapshot(fresh.url), before);
    // The constructor checks its options before it keeps the target.
    const target = {} as MigrationTarget;
    for (
      const [options, field] of [
        [null, "options"],
        [{ readOnly: "no" }, "options.readOnly"],
        [{ lockTimeoutMs: 1.5 }, "options.lockTimeoutMs"],
        [{ set: "a b" }, "options.set"],
      ] as const
    ) {
      await refused(
        () =>
          Promise.resolve().then(() =>
            new Migrator(target, [], options as Loose)
          ),
        field,
        `new Migrator(${JSON.stringify(options)})`,
      );
    }
  },
);

Deno.test("createMigration() refuses a directory that is not a path as validation, writing nothing", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "impulse-new-" });
  const here = Deno.cwd();
  Deno.chdir(cwd);
  try {
    for (const dir of [null, 42, "", "set\0", ["a"]]) {
      await refused(
        () => createMigration(dir as Loose, "notes"),
        "dir",
        `createMigration(${JSON.stringify(dir)})`,
      );
    }
    assert.deepEqual([...Deno.readDirSync(cwd)], []);
  } finally {
    Deno.chdir(here);
    await Deno.remove(cwd, { recursive: true });
  }
});
