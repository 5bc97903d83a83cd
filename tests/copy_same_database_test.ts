/**
 * `copy` onto the database it copies from, spelled differently: the guard compares what the two
 * URLs point at (the file on SQLite, the server and database on PostgreSQL), refuses as
 * `validation` whether `--force` is given or not, and leaves every row where it was.
 *
 * @module
 */
import assert from "node:assert/strict";
import { copyDatabase } from "../src/copy/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { freshBoard, runCopy, smallBoard } from "./_copy.ts";
import { snapshot } from "./_migrate.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";
import { TARGETS } from "./_targets.ts";

const ffiMissing = TARGETS.find((t) => t.name === "sqlite-ffi-file")!.ignore;

/** Asserts that copying `from` onto `to` is refused, forced or not, and changes no row. */
async function assertRefused(
  from: string,
  to: string,
  intact: string,
): Promise<void> {
  const before = await snapshot(intact);
  for (const force of [false, true]) {
    const error = await rejectsKind(
      copyDatabase(from, to, { force }),
      "validation",
      "to",
    );
    assert.match(error.message, /point at the same database/);
    assert.doesNotMatch(error.message, /secret/);
    assert.deepEqual(await snapshot(intact), before, `force: ${force}`);
  }
  assert.ok(before.users!.length > 0 && before.messages!.length > 0);
}

/** One SQLite file under a temp dir, the working directory, reachable by several names. */
async function sqliteFile(): Promise<
  { dir: string; url: string } & AsyncDisposable
> {
  const dir = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "impulse-self-" }),
  );
  await Deno.mkdir(`${dir}/data`);
  const url = `sqlite:${dir}/data/x.db`;
  await smallBoard(url);
  await Deno.symlink(`${dir}/data/x.db`, `${dir}/link.db`);
  await Deno.symlink(`${dir}/data`, `${dir}/alias`);
  await Deno.link(`${dir}/data/x.db`, `${dir}/hard.db`);
  const home = Deno.cwd();
  Deno.chdir(dir);
  return {
    dir,
    url,
    async [Symbol.asyncDispose]() {
      Deno.chdir(home);
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const SQLITE_SPELLINGS: [string, string, string][] = [
  ["a ./ prefix", "sqlite:data/x.db", "sqlite:./data/x.db"],
  ["sqlite:// and sqlite:", "sqlite://data/x.db", "sqlite:data/x.db"],
  [
    "an absolute and a relative path",
    "sqlite:{dir}/data/x.db",
    "sqlite:data/x.db",
  ],
  ["a symlink to the file", "sqlite:data/x.db", "sqlite:link.db"],
  ["a symlink to its directory", "sqlite:alias/x.db", "sqlite:data/x.db"],
  ["a hard link", "sqlite:data/x.db", "sqlite:hard.db"],
  [".. and //", "sqlite:data/../data/x.db", "sqlite:data//x.db"],
  ["the same text", "sqlite:data/x.db", "sqlite:data/x.db"],
];

for (const [how, from, to] of SQLITE_SPELLINGS) {
  Deno.test(`copyDatabase() refuses one SQLite file as source and target: ${how}`, async () => {
    await using file = await sqliteFile();
    const place = (url: string) => url.replace("{dir}", file.dir);
    await assertRefused(place(from), place(to), file.url);
  });
}

Deno.test({
  name:
    "copyDatabase() refuses one SQLite file as source and target: the two engines",
  ignore: ffiMissing !== undefined,
  async fn() {
    await using file = await sqliteFile();
    await assertRefused(
      "sqlite:data/x.db",
      "sqlite:./data/x.db?engine=ffi",
      file.url,
    );
    await assertRefused(
      "sqlite:data/x.db?engine=ffi",
      "sqlite:hard.db",
      file.url,
    );
  },
});

Deno.test("deno task copy --force onto the source spelled with ./ refuses and keeps every row", async () => {
  await using file = await sqliteFile();
  const before = await snapshot(file.url);
  const run = await runCopy(
    [
      "--from",
      "sqlite:data/x.db",
      "--to",
      "sqlite:./data/x.db",
      "--force",
      "--yes",
    ],
    file.dir,
  );
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(
    run.stderr,
    /error: Cannot copy a database onto itself: .*point at the same database/,
  );
  assert.doesNotMatch(run.stdout, /copy ok/);
  assert.deepEqual(await snapshot(file.url), before);
});

Deno.test("copyDatabase() copies between two files of one directory", async () => {
  await using _cwd = await sqliteFile();
  const report = await copyDatabase("sqlite:data/x.db", "sqlite:data/y.db");
  assert.ok(report.ok);
});

/** Spellings of one PostgreSQL database: `{db}` is its name, `{role}` a role without privileges. */
const POSTGRES_SPELLINGS: [string, string, string][] = [
  [
    "localhost and 127.0.0.1",
    "postgres://postgres@127.0.0.1:5432/{db}",
    "postgres://postgres@localhost:5432/{db}",
  ],
  [
    "postgresql: and postgres:",
    "postgres://postgres@127.0.0.1:5432/{db}",
    "postgresql://postgres@127.0.0.1:5432/{db}",
  ],
  [
    "the default port",
    "postgres://postgres@127.0.0.1:5432/{db}",
    "postgres://postgres@127.0.0.1/{db}",
  ],
  [
    "a password",
    "postgres://postgres@127.0.0.1:5432/{db}",
    "postgres://postgres:secret@127.0.0.1:5432/{db}",
  ],
  [
    "other parameters",
    "postgres://postgres@127.0.0.1:5432/{db}",
    "postgres://postgres@127.0.0.1:5432/{db}?application_name=other&poolSize=2&connectTimeoutMs=9000&sslmode=disable",
  ],
  [
    "the server's socket",
    "postgres://postgres@%2Fvar%2Frun%2Fpostgresql/{db}",
    "postgres://postgres@127.0.0.1:5432/{db}",
  ],
  [
    "another user, without privileges",
    "postgres://postgres@127.0.0.1:5432/{db}",
    "postgres://{role}@127.0.0.1:5432/{db}",
  ],
  [
    "another user as the source",
    "postgres://{role}@localhost/{db}",
    "postgresql://postgres@127.0.0.1/{db}",
  ],
  [
    "the same text",
    "postgres://postgres@127.0.0.1:5432/{db}",
    "postgres://postgres@127.0.0.1:5432/{db}",
  ],
];

/** A role that may log in and nothing more (the test server trusts every local login). */
async function plainRole(): Promise<{ name: string } & AsyncDisposable> {
  const name = `impulse_copy_role_${Deno.pid}_${
    crypto.randomUUID().slice(0, 6)
  }`;
  const admin = rawClient();
  try {
    await admin.unsafe(`CREATE ROLE "${name}" LOGIN NOSUPERUSER`);
  } finally {
    await admin.end();
  }
  return {
    name,
    async [Symbol.asyncDispose]() {
      const admin = rawClient();
      try {
        await admin.unsafe(`DROP ROLE IF EXISTS "${name}"`);
      } finally {
        await admin.end();
      }
    },
  };
}

const socket = await Deno.stat("/var/run/postgresql/.s.PGSQL.5432").then(
  () => true,
  () => false,
);

for (const [how, from, to] of POSTGRES_SPELLINGS) {
  Deno.test({
    name:
      `copyDatabase() refuses one PostgreSQL database as source and target: ${how}`,
    ignore: postgresMissing !== undefined ||
      (how.includes("socket") && !socket),
    async fn() {
      await using db = await createDatabase("impulse_copy");
      await using role = await plainRole();
      await smallBoard(db.url);
      const place = (url: string) =>
        url.replace("{db}", db.name).replace("{role}", role.name);
      await assertRefused(place(from), place(to), db.url);
    },
  });
}

Deno.test({
  name:
    "copyDatabase() copies between two databases of one server, as a role that owns only its own",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using role = await plainRole();
    await using a = await createDatabase("impulse_copy");
    await using b = await freshBoard("postgres");
    const admin = rawClient();
    try {
      await admin.unsafe(`ALTER DATABASE "${a.name}" OWNER TO "${role.name}"`);
    } finally {
      await admin.end();
    }
    const url = new URL(a.url);
    url.username = role.name;
    await smallBoard(url.href);
    const report = await copyDatabase(url.href, b.url);
    assert.ok(report.ok, JSON.stringify(report.tables));
    // The role's database, seen by another user, is still the same one.
    await assertRefused(
      a.url,
      url.href.replace("127.0.0.1", "localhost"),
      a.url,
    );
  },
});
