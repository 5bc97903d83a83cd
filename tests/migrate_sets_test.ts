import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import {
  ownMigrations,
  persistentTest,
  sqlQuery,
  tempSet,
  trackedVersions,
} from "./_migrate.ts";

const NOTES = {
  "0001_create_notes.up.sql":
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n",
  "0001_create_notes.down.sql": "DROP TABLE notes;\n",
};

persistentTest(
  "openMigrator() tracks a caller's set apart from the package's",
  async ({ url }) => {
    await using set = await tempSet({
      // A flat file beside the dialect folders: never read when the folder exists.
      "0001_broken.up.sql": "THIS IS NOT SQL;\n",
      "0001_broken.down.sql": "THIS IS NOT SQL;\n",
      ...Object.fromEntries(
        ["sqlite", "postgres"].flatMap((dialect) =>
          Object.entries(NOTES).map((
            [name, text],
          ) => [`${dialect}/${name}`, text])
        ),
      ),
    });
    await using plugin = await tempSet({
      "0001_create_scores.up.sql":
        "CREATE TABLE scores (id INTEGER PRIMARY KEY);\n",
      "0001_create_scores.down.sql": "DROP TABLE scores;\n",
      "0002_seed_scores.up.sql": "INSERT INTO scores (id) VALUES (7);\n",
      "0002_seed_scores.down.sql": "DELETE FROM scores WHERE id = 7;\n",
    });
    await using own = await openMigrator(url);
    await using app = await openMigrator(url, { dir: set.dir });
    await using scores = await openMigrator(url, {
      dir: plugin.dir,
      set: "scores",
    });
    assert.deepEqual((await app.up()).map((s) => s.name), ["create_notes"]);
    assert.ok((await own.status()).every((line) => line.state === "pending"));
    assert.equal((await own.up()).length, own.migrations.length);
    assert.equal((await scores.up()).length, 2);
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"]]);
    assert.deepEqual(await trackedVersions(url, "scores"), [[1, "applied"], [
      2,
      "applied",
    ]]);
    assert.deepEqual(
      await trackedVersions(url, "impulse"),
      own.migrations.map((m) => [m.version, "applied"]),
    );

    assert.deepEqual((await app.down()).map((s) => s.name), ["create_notes"]);
    assert.deepEqual(await trackedVersions(url, "app"), []);
    assert.equal(
      (await trackedVersions(url, "impulse")).length,
      own.migrations.length,
    );
    assert.deepEqual(await sqlQuery(url, "SELECT id FROM scores"), [{ id: 7 }]);
    await using storage = await openStorage(url, { migrate: "check" });
    await storage.users.create({ username: "sysop", passwordHash: "h" });

    const reserved = await rejectsKind(
      openMigrator(url, { dir: set.dir, set: "impulse" }),
      "validation",
      "set",
    );
    assert.match(reserved.message, /"impulse" is the package's own/);
    const misnamed = await rejectsKind(
      openMigrator(url, { set: "app" }),
      "validation",
      "set",
    );
    assert.match(
      misnamed.message,
      /tracked as "impulse": got another name \(a string of 3 characters\) without a directory/,
    );
    await rejectsKind(
      openMigrator(url, { dir: set.dir, set: "" }),
      "validation",
      "set",
    );
    await rejectsKind(
      openMigrator(url, { dir: set.dir, set: "a b" }),
      "validation",
      "set",
    );
  },
);

persistentTest(
  "Migrator.up() runs a -- no-transaction migration outside a transaction and records it",
  async ({ url }) => {
    // Per dialect, a statement that refuses to run inside a transaction. (Not VACUUM: Deno's
    // node:sqlite forbids it, like ATTACH, unless every permission is granted.)
    const outside = {
      sqlite: [
        "BEGIN;\nCREATE INDEX notes_body ON notes (body);\nCOMMIT;\n",
        "BEGIN;\nDROP INDEX notes_body;\nCOMMIT;\n",
        "BEGIN;\nCOMMIT;\n",
      ],
      postgres: [
        "CREATE INDEX CONCURRENTLY notes_body ON notes (body);\n",
        "DROP INDEX CONCURRENTLY notes_body;\n",
        "CREATE INDEX CONCURRENTLY notes_id ON notes (id);\n",
      ],
    };
    await using set = await tempSet(Object.fromEntries(
      Object.entries(outside).flatMap(([dialect, [up, down, inside]]) => [
        ...Object.entries(NOTES).map((
          [name, text],
        ) => [`${dialect}/${name}`, text]),
        [`${dialect}/0002_index_notes.up.sql`, `-- no-transaction\n${up}`],
        [`${dialect}/0002_index_notes.down.sql`, `-- no-transaction\n${down}`],
        [`${dialect}/0003_inside.up.sql`, inside!],
        [`${dialect}/0003_inside.down.sql`, "SELECT 1;\n"],
      ]),
    ));
    await using migrator = await openMigrator(url, { dir: set.dir });
    const error = await rejectsKind(migrator.up(), "migration");
    assert.equal(error.version, 3);
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"], [
      2,
      "applied",
    ]]);
    assert.deepEqual(
      (await migrator.status()).map((line) => line.state),
      ["applied", "applied", "pending"],
    );
    // Its down step cannot be tried in a transaction first: refused until forced.
    const untried = await rejectsKind(
      migrator.down({ steps: 2 }),
      "migration",
    );
    assert.equal(untried.version, 2);
    assert.match(
      untried.message,
      /^Cannot revert migration 2 \(index_notes\) of set "app" without force: it runs without a transaction/,
    );
    assert.equal((await trackedVersions(url, "app")).length, 2);
    assert.deepEqual(
      (await migrator.down({ steps: 2, force: true })).map((s) => s.version),
      [2, 1],
    );
    assert.deepEqual(await trackedVersions(url, "app"), []);
  },
);

persistentTest(
  "Migrator.up() leaves the database at the previous version when a migration fails",
  async ({ url }) => {
    await using set = await tempSet({
      ...NOTES,
      "0002_create_tags.up.sql":
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\nINSERT INTO notes (id, body) VALUES (1, 'x');\n" +
        "INSERT INTO no_such_table (id) VALUES (1);\n",
      "0002_create_tags.down.sql": "DROP TABLE tags;\n",
      "0003_more.up.sql": "CREATE TABLE more (id INTEGER);\n",
      "0003_more.down.sql": "DROP TABLE more;\n",
    });
    await using migrator = await openMigrator(url, { dir: set.dir });
    const error = await rejectsKind(migrator.up(), "migration");
    assert.equal(error.version, 2);
    assert.match(
      error.message,
      /^Migration 2 \(create_tags\) failed up: .*no_such_table.*: the database stays at the version before it$/,
    );
    assert.doesNotMatch(error.message, /\n/);
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"]]);
    assert.deepEqual(await sqlQuery(url, "SELECT id FROM notes"), []);
    await assert.rejects(sqlQuery(url, "SELECT id FROM tags"));
    await assert.rejects(sqlQuery(url, "SELECT id FROM more"));

    await set.write({
      "0002_create_tags.up.sql":
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n",
    });
    await using fixed = await openMigrator(url, { dir: set.dir });
    assert.deepEqual((await fixed.up()).map((s) => s.version), [2, 3]);
  },
);

persistentTest(
  "Migrator.up() marks a failed -- no-transaction migration interrupted and refuses to go on",
  async ({ url }) => {
    await using set = await tempSet({
      ...NOTES,
      "0002_half.up.sql":
        "-- no-transaction\nCREATE TABLE half (id INTEGER);\nINSERT INTO no_such_table (id) VALUES (1);\n",
      "0002_half.down.sql":
        "-- no-transaction\nDROP TABLE half;\nDROP TABLE no_such_table;\n",
    });
    await using migrator = await openMigrator(url, { dir: set.dir });
    const failed = await rejectsKind(migrator.up(), "migration");
    assert.equal(failed.version, 2);
    assert.match(
      failed.message,
      /it ran without a transaction, so what ran before the failure stays/,
    );
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"], [
      2,
      "running",
    ]]);
    assert.equal((await migrator.status())[1]!.state, "interrupted");
    for (const work of [() => migrator.up(), () => migrator.down()]) {
      const refused = await rejectsKind(work, "migration");
      assert.equal(refused.version, 2);
      assert.match(
        refused.message,
        /ran without a transaction and did not finish/,
      );
    }
    await sqlQuery(
      url,
      "DELETE FROM impulse_migrations WHERE migration_set = 'app' AND version = 2",
    );
    // Whether the CREATE before the failure stayed depends on how the driver sends a script.
    await sqlQuery(url, "DROP TABLE IF EXISTS half");
    await set.write({
      "0002_half.up.sql":
        "-- no-transaction\nCREATE TABLE half (id INTEGER);\n",
    });
    await using fixed = await openMigrator(url, { dir: set.dir });
    assert.deepEqual((await fixed.up()).map((s) => s.version), [2]);
    // Its down fails half-way: the migration stays visible as interrupted, not pending.
    assert.equal(
      (await rejectsKind(fixed.down({ force: true }), "migration")).version,
      2,
    );
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"], [
      2,
      "running",
    ]]);
  },
);

persistentTest(
  "Migrator.up() names the migration that breaks a foreign key and keeps the version",
  async ({ url }) => {
    await using set = await tempSet({
      "0001_family.up.sql": "CREATE TABLE parents (id INTEGER PRIMARY KEY);\n" +
        "CREATE TABLE kids (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id));\n",
      "0001_family.down.sql": "DROP TABLE kids;\nDROP TABLE parents;\n",
      "0002_orphan.up.sql":
        "INSERT INTO kids (id, parent_id) VALUES (1, 42);\n",
      "0002_orphan.down.sql": "DELETE FROM kids WHERE id = 1;\n",
    });
    await using migrator = await openMigrator(url, { dir: set.dir });
    const error = await rejectsKind(migrator.up(), "migration");
    assert.equal(error.version, 2);
    assert.match(
      error.message,
      /^Migration 2 \(orphan\) failed up: .*the database stays at the version before it$/,
    );
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"]]);
    assert.deepEqual(await sqlQuery(url, "SELECT id FROM kids"), []);
  },
);

persistentTest(
  "Migrator.to() migrates up and down to a version",
  async ({ url }) => {
    await using migrator = await openMigrator(url);
    const all = migrator.migrations.map((m) => m.version);
    assert.deepEqual(all, ownMigrations(url).map((m) => m.version));
    assert.ok(all.length >= 3, "the package has at least three migrations");
    const [first, second] = all as [number, number];
    const top = all.at(-1)!;
    const versions = async () =>
      (await migrator.status()).filter((l) => l.state === "applied").map((l) =>
        l.version
      );
    assert.deepEqual(
      (await migrator.to(second)).map((s) => [s.version, s.direction]),
      [
        [first, "up"],
        [second, "up"],
      ],
    );
    assert.deepEqual(await versions(), [first, second]);
    assert.deepEqual(await migrator.to(second), []);
    assert.deepEqual(
      (await migrator.to(top)).map((s) => s.version),
      all.slice(2),
    );
    assert.deepEqual(await versions(), all);
    assert.deepEqual(
      (await migrator.to(first)).map((s) => [s.version, s.direction]),
      all.slice(1).reverse().map((version) => [version, "down"]),
    );
    assert.deepEqual(await versions(), [first]);
    const error = await rejectsKind(migrator.to(top + 1), "migration");
    assert.equal(error.version, top + 1);
    assert.deepEqual(await versions(), [first]);
    assert.deepEqual((await migrator.to(0)).map((s) => s.version), [first]);
    assert.deepEqual(await versions(), []);
    assert.deepEqual(await trackedVersions(url, "impulse"), []);
  },
);

persistentTest(
  "Migrator.verify() passes on the package's set, names the columns that held no data and leaves the database alone",
  async ({ url }) => {
    await using storage = await openStorage(url);
    const user = await storage.users.create({
      username: "keep",
      passwordHash: "h",
    });
    await using migrator = await openMigrator(url);
    const before = await migrator.status();
    const report = await migrator.verify();
    assert.equal(report.ok, true, report.problems.join("\n"));
    assert.deepEqual(
      [report.migrations, report.problems, report.untried],
      [migrator.migrations.length, [], []],
    );
    const empty = report.empty.map((e) => `${e.table}.${e.column}`);
    assert.ok(empty.includes("logins.username"), "no login was recorded");
    assert.ok(empty.includes("users.last_login_at"));
    assert.ok(!empty.includes("users.username"), "a user was there");
    const top = migrator.migrations.at(-1)!.version;
    assert.ok(
      report.empty.find((e) => e.table === "sessions" && e.column === "id")
        ?.versions.includes(top),
    );
    assert.deepEqual(await migrator.status(), before);
    assert.equal((await storage.users.get(user.id))?.username, "keep");
  },
);

persistentTest(
  "Migrator.verify() fails on a down script that forgets an index",
  async ({ url }) => {
    await using set = await tempSet({
      ...NOTES,
      "0002_create_tags.up.sql":
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\nCREATE INDEX notes_body ON notes (body);\n",
      "0002_create_tags.down.sql": "DROP TABLE tags;\n",
      "0003_more.up.sql": "CREATE TABLE more (id INTEGER);\n",
      "0003_more.down.sql": "DROP TABLE more;\n",
    });
    await using migrator = await openMigrator(url, { dir: set.dir });
    await migrator.up({ to: 1 });
    const report = await migrator.verify();
    assert.equal(report.ok, false);
    assert.equal(report.migrations, 1);
    assert.equal(report.problems.length, 1);
    assert.match(
      report.problems[0]!,
      /^Cannot revert migration 2 \(create_tags\) of set "app" as its up script fails after its down script: .*notes_body/,
    );
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"]]);

    await set.write({
      "0002_create_tags.down.sql": "DROP INDEX notes_body;\nDROP TABLE tags;\n",
    });
    await using fixed = await openMigrator(url, { dir: set.dir });
    const ok = await fixed.verify();
    assert.deepEqual([ok.ok, ok.migrations, ok.problems], [true, 3, []]);

    // A down script that keeps every row but drops more than its up script made fails the
    // schema check.
    await set.write({
      "0003_more.down.sql": "DROP TABLE more;\nDROP INDEX notes_body;\n",
    });
    await using stale = await openMigrator(url, { dir: set.dir });
    const left = await stale.verify();
    assert.deepEqual([left.ok, left.migrations], [false, 2]);
    assert.match(
      left.problems[0]!,
      /^Migration 3 \(more\): its down script does not restore the schema: missing index .*notes_body/,
    );
  },
);

persistentTest(
  'openStorage() with migrate "check" refuses a database that is not current',
  async ({ url }) => {
    await (await openMigrator(url)).close(); // "check" never creates a database
    const fresh = await rejectsKind(
      openStorage(url, { migrate: "check" }),
      "migration",
    );
    assert.equal(fresh.version, 1);
    assert.match(
      fresh.message,
      /not current: 1 \(create_users\) is pending.*run `deno task migrate`/,
    );
    const own = ownMigrations(url);
    {
      await using migrator = await openMigrator(url);
      await migrator.to(own[1]!.version);
    }
    const behind = await rejectsKind(
      openStorage(url, { migrate: "check" }),
      "migration",
    );
    assert.equal(behind.version, own[2]!.version);
    assert.match(
      behind.message,
      new RegExp(
        `not current: ${
          own.slice(2).map((m) => `${m.version} \\(${m.name}\\) is pending`)
            .join(", ")
        }: run`,
      ),
    );
    assert.deepEqual(
      await trackedVersions(url, "impulse"),
      own.slice(0, 2).map((m) => [m.version, "applied"]),
    );
    await (await openStorage(url)).close(); // migrate: "up" by default
    await using storage = await openStorage(url, { migrate: "check" });
    await storage.users.create({ username: "now", passwordHash: "h" });
  },
);

persistentTest(
  'openStorage() with migrate "off" leaves the schema alone',
  async ({ url }) => {
    {
      await using storage = await openStorage(url, { migrate: "off" });
      await assert.rejects(
        storage.users.create({ username: "early", passwordHash: "h" }),
        /users/,
      );
    }
    await using migrator = await openMigrator(url);
    assert.ok(
      (await migrator.status()).every((line) => line.state === "pending"),
    );
    const first = migrator.migrations[0]!;
    await migrator.to(first.version);
    await (await openStorage(url, { migrate: "off" })).close();
    assert.deepEqual(await trackedVersions(url, "impulse"), [[
      first.version,
      "applied",
    ]]);
    // The operations need the newest schema: at an older version only raw SQL writes.
    await sqlQuery(
      url,
      "INSERT INTO users (username, username_key, password_hash, created_at, updated_at) " +
        "VALUES ('early', 'early', 'h', 0, 0)",
    );
    await migrator.up();
    await using storage = await openStorage(url, { migrate: "off" });
    assert.equal(
      (await storage.users.findByUsername("EARLY"))?.username,
      "early",
    );
    await storage.users.create({ username: "late", passwordHash: "h" });
    assert.deepEqual(
      await trackedVersions(url, "impulse"),
      migrator.migrations.map((m) => [m.version, "applied"]),
    );
  },
);
