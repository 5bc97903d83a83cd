/**
 * A role's `search_path` never leads to a shadow board (docs/guarantees.md "Least privilege"):
 * a schema on the path the role may not use is `forbidden` naming `USAGE` on it and the `GRANT`,
 * and a path that leads past the board, or misses it, is `unavailable` naming the fix; in every
 * `migrate` mode, through `openMigrator` and the CLI, before anything is created.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { searchPathSchemas } from "../drivers/postgres/search_path.ts";
import { runCli } from "./_cli.ts";
import {
  createDatabase,
  createRole,
  postgresMissing,
  rawClient,
  type TestDatabase,
} from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

/** Runs statements on the test database as its owner. */
async function asOwner(db: TestDatabase, ...statements: string[]) {
  const sql = rawClient(db.url);
  try {
    for (const text of statements) await sql.unsafe(text);
  } finally {
    await sql.end();
  }
}

/** The tables of each schema but the system's. */
async function tablesBySchema(db: TestDatabase): Promise<string> {
  const sql = rawClient(db.url);
  try {
    const rows =
      await sql`SELECT schemaname || ':' || count(*) AS s FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
      GROUP BY schemaname ORDER BY 1`;
    return rows.map((row) => row.s).join(" ");
  } finally {
    await sql.end();
  }
}

/** Every way a role opens the database: three modes, the migrator, the CLI. */
async function everyOpening(url: string): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (const migrate of ["check", "up", "off"] as const) {
    failures.push(
      await openStorage(url, { migrate }).then(
        (s) => s.close().then(() => `opened with ${migrate}`),
        (error) => error,
      ),
    );
  }
  failures.push(
    await openMigrator(url).then(
      (m) => m.close().then(() => "openMigrator opened"),
      (error) => error,
    ),
  );
  const cli = await runCli(["migrate", "up", "--db", url]);
  failures.push({ cli: cli.code, out: cli.stdout + cli.stderr });
  return failures;
}

function assertRefused(
  failures: unknown[],
  kind: string,
  ...says: RegExp[]
): void {
  for (const failure of failures.slice(0, -1)) {
    assert.ok(
      failure instanceof StorageError && failure.kind === kind,
      String(failure),
    );
    for (const words of says) assert.match(failure.message, words);
  }
  const cli = failures.at(-1) as { cli: number; out: string };
  assert.notEqual(cli.cli, 0, cli.out);
  for (const words of says) assert.match(cli.out, words);
}

Deno.test({
  name:
    "[postgres] a schema on the role's search_path without USAGE is forbidden in every mode, and no shadow board is made (the attack's repro)",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await asOwner(
      db,
      "CREATE SCHEMA bbs",
      `ALTER DATABASE "${db.name}" SET search_path = bbs`,
    );
    {
      await using owner = await openStorage(db.url);
      await owner.users.create({ username: "SysOp", passwordHash: "h" });
    }
    await using role = await createRole(db, [
      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA bbs TO %ROLE%",
      "CREATE SCHEMA %ROLE% AUTHORIZATION %ROLE%",
      `ALTER ROLE %ROLE% IN DATABASE "${db.name}" SET search_path = bbs, "$user"`,
    ]);
    const before = await tablesBySchema(db);
    assertRefused(
      await everyOpening(role.url),
      "forbidden",
      /USAGE on schema bbs/,
      /GRANT USAGE ON SCHEMA bbs TO impulse_role_/,
    );
    assert.equal(await tablesBySchema(db), before, "nothing was created");
    await asOwner(db, `GRANT USAGE ON SCHEMA bbs TO "${role.name}"`);
    await using s = await openStorage(role.url, { migrate: "check" });
    assert.equal((await s.users.findByUsername("sysop"))?.username, "SysOp");
  },
});

Deno.test({
  name:
    "[postgres] USAGE on public revoked: a role whose path names public is refused, naming it",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await (await openStorage(db.url)).close();
    await using role = await createRole(db, [
      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %ROLE%",
      "CREATE SCHEMA %ROLE% AUTHORIZATION %ROLE%",
      "REVOKE USAGE ON SCHEMA public FROM PUBLIC",
    ]);
    const before = await tablesBySchema(db);
    assertRefused(
      await everyOpening(role.url),
      "forbidden",
      /USAGE on schema public/,
      /GRANT USAGE ON SCHEMA public TO/,
    );
    assert.equal(await tablesBySchema(db), before);
  },
});

Deno.test({
  name:
    "[postgres] a path that puts a writable schema before the board's, or misses the board, is refused before anything is created",
  ignore,
  async fn() {
    await using db = await createDatabase();
    await (await openStorage(db.url)).close();
    // The board in public; the role owns a schema its default path ("$user", public) puts first.
    await using ahead = await createRole(db, [
      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %ROLE%",
      "CREATE SCHEMA %ROLE% AUTHORIZATION %ROLE%",
    ]);
    const before = await tablesBySchema(db);
    assertRefused(
      await everyOpening(ahead.url),
      "unavailable",
      /board's tables are in schema public/,
      /ALTER ROLE impulse_role_\w+ SET search_path = public/,
    );
    // The board in public; the role's path leads only to its own schema.
    await using missed = await createRole(db, [
      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %ROLE%",
      "CREATE SCHEMA %ROLE% AUTHORIZATION %ROLE%",
      `ALTER ROLE %ROLE% IN DATABASE "${db.name}" SET search_path = "$user"`,
    ]);
    assertRefused(
      await everyOpening(missed.url),
      "unavailable",
      /a board exists in schema public/,
      /SET search_path = public/,
    );
    assert.equal(await tablesBySchema(db), before, "no shadow board");
  },
});

Deno.test("searchPathSchemas() reads a search_path as PostgreSQL does", () => {
  assert.deepEqual(searchPathSchemas('"$user", public', "bbs"), [
    "bbs",
    "public",
  ]);
  assert.deepEqual(searchPathSchemas("BBS ,  Other", "r"), ["bbs", "other"]);
  assert.deepEqual(searchPathSchemas('"My ""Board""", pg_temp, x', "r"), [
    'My "Board"',
    "x",
  ]);
  assert.deepEqual(searchPathSchemas("$user", "Role Name"), ["Role Name"]);
  assert.deepEqual(searchPathSchemas("", "r"), []);
  assert.deepEqual(searchPathSchemas("a".repeat(70), "r"), ["a".repeat(63)]);
  assert.deepEqual(searchPathSchemas('"ä' + "b".repeat(62) + '"', "r"), [
    "ä" + "b".repeat(61),
  ]);
});
