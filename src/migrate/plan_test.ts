import assert from "node:assert/strict";
import { StorageError } from "../errors.ts";
import { checksum, type Migration } from "./migration.ts";
import {
  type AppliedMigration,
  assertMigratable,
  migrationStatus,
} from "./plan.ts";

function migration(version: number, up = `UP ${version};`): Migration {
  return {
    version,
    name: `m${version}`,
    up,
    down: `DOWN ${version};`,
    checksum: checksum(up),
  };
}

function applied(
  m: Migration,
  overrides: Partial<AppliedMigration> = {},
): AppliedMigration {
  return {
    version: m.version,
    name: m.name,
    checksum: m.checksum,
    appliedAt: new Date(1_700_000_000_000 + m.version),
    durationMs: m.version,
    status: "applied",
    ...overrides,
  };
}

function assertRefused(
  fn: () => void,
  version: number,
  pattern: RegExp,
): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StorageError);
    assert.equal(error.kind, "migration");
    assert.equal(error.version, version);
    assert.match(
      error.message,
      new RegExp(`^Migration ${version} \\(m${version}\\) of set "app"`),
    );
    assert.match(error.message, pattern);
    return true;
  });
}

const [m1, m2, m3] = [migration(1), migration(2), migration(3)];

Deno.test("migrationStatus() lists applied and pending migrations by version", () => {
  const status = migrationStatus([m3!, m1!, m2!], [applied(m1!)]);
  assert.deepEqual(status, [
    {
      version: 1,
      name: "m1",
      state: "applied",
      appliedAt: new Date(1_700_000_000_001),
      durationMs: 1,
      checksumOk: true,
    },
    {
      version: 2,
      name: "m2",
      state: "pending",
      appliedAt: null,
      durationMs: null,
      checksumOk: null,
    },
    {
      version: 3,
      name: "m3",
      state: "pending",
      appliedAt: null,
      durationMs: null,
      checksumOk: null,
    },
  ]);
  assertMigratable(status, "app");
});

Deno.test("migrationStatus() marks an applied migration whose up file changed", () => {
  const edited = migration(2, "UP 2 edited;");
  const status = migrationStatus([m1!, edited], [applied(m1!), applied(m2!)]);
  assert.equal(status[1]!.state, "changed");
  assert.equal(status[1]!.checksumOk, false);
});

Deno.test("migrationStatus() lists an applied version missing from the source", () => {
  const status = migrationStatus([m1!], [applied(m1!), applied(m3!)]);
  assert.deepEqual(status.map((line) => [line.version, line.state]), [
    [1, "applied"],
    [3, "missing"],
  ]);
  assert.equal(status[1]!.name, "m3");
  assert.equal(status[1]!.checksumOk, null);
});

Deno.test("migrationStatus() marks a running no-transaction migration as interrupted", () => {
  const status = migrationStatus(
    [m1!, m2!],
    [applied(m1!), applied(m2!, { status: "running" })],
  );
  assert.equal(status[1]!.state, "interrupted");
});

Deno.test("assertMigratable() refuses an edited applied file, naming the version", () => {
  const status = migrationStatus(
    [m1!, migration(2, "UP 2 edited;"), m3!],
    [applied(m1!), applied(m2!)],
  );
  assertRefused(
    () => assertMigratable(status, "app"),
    2,
    /was edited after it was applied/,
  );
});

Deno.test("assertMigratable() refuses an applied version missing from the source", () => {
  const status = migrationStatus([m1!, m2!], [applied(m1!), applied(m3!)]);
  assertRefused(
    () => assertMigratable(status, "app"),
    3,
    /is applied to the database but is not in the migration source/,
  );
});

Deno.test("assertMigratable() refuses an interrupted migration", () => {
  const status = migrationStatus(
    [m1!, m2!],
    [applied(m1!, { status: "running" })],
  );
  assertRefused(
    () => assertMigratable(status, "app"),
    1,
    /ran without a transaction and did not finish/,
  );
});

Deno.test("assertMigratable() refuses a pending migration older than an applied one", () => {
  const status = migrationStatus([m1!, m2!, m3!], [applied(m1!), applied(m3!)]);
  assertRefused(
    () => assertMigratable(status, "app"),
    2,
    /is pending but the newer migration 3 is already applied/,
  );
});

Deno.test("assertMigratable() accepts a fresh and a current database", () => {
  assertMigratable(migrationStatus([m1!, m2!], []), "app");
  assertMigratable(
    migrationStatus([m1!, m2!], [applied(m1!), applied(m2!)]),
    "app",
  );
  assertMigratable(migrationStatus([], []), "app");
});

Deno.test("migrationStatus() takes an applied checksum the file accepts, and refuses any other", () => {
  const before = checksum("CREATE TABLE t (id INTEGER, name TEXT);");
  const other = checksum("CREATE TABLE t (id INTEGER);");
  const up =
    `-- accepts checksum ${before}\nCREATE TABLE t (id INTEGER, label TEXT);`;
  const edited: Migration = {
    ...migration(1, up),
    acceptedChecksums: [before],
  };
  const [accepted] = migrationStatus([edited], [
    applied(edited, { checksum: before }),
  ]);
  assert.equal(accepted!.state, "applied");
  assert.equal(accepted!.checksumOk, true);
  assertMigratable([accepted!], "app");
  const [current] = migrationStatus([edited], [applied(edited)]);
  assert.equal(current!.state, "applied");
  for (const wrong of [other, before.toUpperCase(), `${before} `, ""]) {
    const [line] = migrationStatus([edited], [
      applied(edited, { checksum: wrong }),
    ]);
    assert.equal(line!.state, "changed", wrong);
    assertRefused(
      () => assertMigratable([line!], "app"),
      1,
      /was edited after it was applied/,
    );
  }
  // An accepted checksum of another version accepts nothing here.
  const [second] = migrationStatus([edited, migration(2)], [
    applied(edited),
    applied(migration(2)!, { checksum: before }),
  ]).slice(1);
  assert.equal(second!.state, "changed");
});
