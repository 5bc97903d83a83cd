import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import {
  persistentTest,
  sqlQuery,
  tempSet,
  trackedVersions,
} from "./_migrate.ts";

/** A small portable set of a caller's own: notes, then tags, then a column on notes. */
const APP_SET = {
  "0001_create_notes.up.sql":
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n",
  "0001_create_notes.down.sql": "DROP TABLE notes;\n",
  "0002_create_tags.up.sql":
    "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);\n" +
    "CREATE INDEX notes_body ON notes (body);\n",
  "0002_create_tags.down.sql": "DROP INDEX notes_body;\nDROP TABLE tags;\n",
  "0003_add_note_author.up.sql":
    "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'sysop';\n",
  "0003_add_note_author.down.sql": "ALTER TABLE notes DROP COLUMN author;\n",
};

/** What the package's tables hold, read through the Storage API. */
async function snapshot(url: string, userIds: number[]) {
  await using storage = await openStorage(url, { migrate: "off" });
  return await Promise.all(userIds.map((id) => storage.getUser(id)));
}

persistentTest(
  "Migrator.up() migrates a fresh database and records each migration once",
  async ({ url }) => {
    await using migrator = await openMigrator(url);
    const steps = await migrator.up();
    const own = migrator.migrations;
    assert.deepEqual(own.map((m) => m.version), [1, 2, 3, 4]);
    assert.deepEqual(
      steps.map((s) => [s.version, s.name, s.direction]),
      own.map((m) => [m.version, m.name, "up"]),
    );
    assert.deepEqual(await migrator.up(), []);
    const status = await migrator.status();
    assert.ok(
      status.every((line) => line.state === "applied" && line.checksumOk),
    );
    const rows = await sqlQuery(
      url,
      "SELECT version, name, checksum, applied_at, duration_ms, status FROM impulse_migrations " +
        "WHERE migration_set = ? ORDER BY version",
      ["impulse"],
    );
    assert.deepEqual(
      rows.map((r) => [Number(r.version), r.name, r.checksum, r.status]),
      own.map((m) => [m.version, m.name, m.checksum, "applied"]),
    );
    for (const row of rows) {
      assert.ok(Math.abs(Number(row.applied_at) - Date.now()) < 60_000);
      assert.ok(Number(row.duration_ms) >= 0);
    }
    await using storage = await openStorage(url, { migrate: "check" });
    await storage.createUser({ username: "sysop", passwordHash: "h" });
  },
);

persistentTest(
  "Migrator.up() keeps the rows written at version N usable at N+1",
  async ({ url }) => {
    const userIds: number[] = [];
    for (let version = 1; version < 4; version++) {
      {
        await using migrator = await openMigrator(url);
        await migrator.to(version);
      }
      await using storage = await openStorage(url, { migrate: "off" });
      const user = await storage.createUser({
        username: `user${version}`,
        passwordHash: `hash${version}`,
      });
      userIds.push(user.id);
      if (version >= 2) {
        await storage.addFile({
          areaId: 1,
          filename: `f${version}.zip`,
          size: 10,
          uploaderId: user.id,
        });
      }
      if (version >= 3) {
        await storage.postMessage({
          areaId: 1,
          fromUserId: user.id,
          subject: "hi",
          body: `at ${version}`,
        });
      }
      await storage.close();
      const before = await snapshot(url, userIds);
      {
        await using migrator = await openMigrator(url);
        assert.deepEqual(
          (await migrator.up({ to: version + 1 })).map((s) => s.version),
          [version + 1],
        );
      }
      assert.deepEqual(await snapshot(url, userIds), before);
    }
    await using storage = await openStorage(url, { migrate: "check" });
    assert.equal((await storage.findUserByUsername("USER1"))?.id, userIds[0]);
    assert.deepEqual(
      (await storage.listFiles(1)).map((f) => f.filename),
      ["f3.zip", "f2.zip"],
    );
    assert.deepEqual(
      (await storage.listMessages(1)).map((m) => m.body),
      ["at 3"],
    );
    const { token } = await storage.createSession({
      userId: userIds[0]!,
      ipAddress: "10.0.0.1",
    });
    assert.equal((await storage.getSessionByToken(token))?.userId, userIds[0]);
  },
);

persistentTest(
  "Migrator.down() keeps the data of every table it does not remove",
  async ({ url }) => {
    await using storage = await openStorage(url);
    const user = await storage.createUser({
      username: "ann",
      passwordHash: "h",
    });
    await storage.addFile({
      areaId: 2,
      filename: "a.txt",
      size: 5,
      uploaderId: user.id,
    });
    const message = await storage.postMessage({
      areaId: 3,
      fromUserId: user.id,
      subject: "s",
      body: "b",
    });
    await storage.createSession({ userId: user.id, ipAddress: "::1" });
    await storage.close();
    const before = await snapshot(url, [user.id]);
    await using migrator = await openMigrator(url);

    assert.deepEqual((await migrator.down()).map((s) => s.version), [4]);
    await assert.rejects(sqlQuery(url, "SELECT id FROM sessions"));
    {
      await using s = await openStorage(url, { migrate: "off" });
      assert.deepEqual(await s.getUser(user.id), before[0]);
      assert.deepEqual(await s.getMessage(message.id), message);
      assert.equal((await s.listFiles(2))[0]?.filename, "a.txt");
      await s.postMessage({
        areaId: 3,
        fromUserId: user.id,
        subject: "t",
        body: "c",
      });
    }
    assert.deepEqual((await migrator.down()).map((s) => s.version), [3]);
    await assert.rejects(sqlQuery(url, "SELECT id FROM messages"));
    {
      await using s = await openStorage(url, { migrate: "off" });
      assert.equal((await s.getUser(user.id))?.stats.posts, 2);
      assert.equal((await s.listFiles(2)).length, 1);
    }
    assert.deepEqual(
      (await migrator.down({ steps: 1 })).map((s) => s.version),
      [2],
    );
    assert.deepEqual(
      (await sqlQuery(url, "SELECT username FROM users")).map((r) =>
        r.username
      ),
      ["ann"],
    );
    assert.deepEqual(await trackedVersions(url, "impulse"), [[1, "applied"]]);
  },
);

persistentTest(
  "Migrator.up() and down() cycles keep the data of the tables they keep",
  async ({ url }) => {
    await using set = await tempSet(APP_SET);
    await using migrator = await openMigrator(url, { dir: set.dir });
    await migrator.up({ to: 1 });
    await sqlQuery(
      url,
      "INSERT INTO notes (id, body) VALUES (1, 'one'), (2, 'two')",
    );
    for (let cycle = 0; cycle < 3; cycle++) {
      await migrator.up();
      assert.deepEqual(
        await sqlQuery(url, "SELECT id, body, author FROM notes ORDER BY id"),
        [{ id: 1, body: "one", author: "sysop" }, {
          id: 2,
          body: "two",
          author: "sysop",
        }],
      );
      await sqlQuery(url, "INSERT INTO tags (id, label) VALUES (?, 'x')", [
        cycle,
      ]);
      await migrator.down({ to: 1 });
      assert.deepEqual(
        await sqlQuery(url, "SELECT id, body FROM notes ORDER BY id"),
        [{ id: 1, body: "one" }, { id: 2, body: "two" }],
      );
    }
    await using storage = await openStorage(url);
    const user = await storage.createUser({
      username: "bob",
      passwordHash: "h",
    });
    {
      await using own = await openMigrator(url);
      await own.to(1);
      await own.up();
    }
    assert.equal((await storage.getUser(user.id))?.username, "bob");
  },
);

persistentTest(
  "Migrator.up() refuses an edited applied file, naming it, and runs nothing",
  async ({ url }) => {
    await using set = await tempSet(APP_SET);
    {
      await using migrator = await openMigrator(url, { dir: set.dir });
      await migrator.up({ to: 2 });
    }
    await set.write({
      "0001_create_notes.up.sql": APP_SET["0001_create_notes.up.sql"]
        .replaceAll("\n", "\r\n"),
      "0002_create_tags.up.sql": APP_SET["0002_create_tags.up.sql"] +
        "-- tweak\n",
    });
    await using migrator = await openMigrator(url, { dir: set.dir });
    const error = await rejectsKind(migrator.up(), "migration");
    assert.equal(error.version, 2);
    assert.match(
      error.message,
      /^Migration 2 \(create_tags\) of set "app" was edited after it was applied/,
    );
    assert.equal((await rejectsKind(migrator.down(), "migration")).version, 2);
    assert.deepEqual(await trackedVersions(url, "app"), [[1, "applied"], [
      2,
      "applied",
    ]]);
    await assert.rejects(sqlQuery(url, "SELECT author FROM notes"));
    assert.deepEqual(
      (await migrator.status()).map((
        line,
      ) => [line.version, line.state, line.checksumOk]),
      [[1, "applied", true], [2, "changed", false], [3, "pending", null]],
    );
  },
);

persistentTest(
  "Migrator.up() refuses an applied version missing from the source",
  async ({ url }) => {
    await using set = await tempSet(APP_SET);
    {
      await using migrator = await openMigrator(url, { dir: set.dir });
      await migrator.up();
    }
    await set.remove(
      "0003_add_note_author.up.sql",
      "0003_add_note_author.down.sql",
    );
    await using migrator = await openMigrator(url, { dir: set.dir });
    const error = await rejectsKind(migrator.up(), "migration");
    assert.equal(error.version, 3);
    assert.match(
      error.message,
      /Migration 3 \(add_note_author\) of set "app" is applied to the database but is not in the migration source/,
    );
    assert.equal((await rejectsKind(migrator.down(), "migration")).version, 3);
    await set.remove(
      ...Object.keys(APP_SET).filter((name) => !name.startsWith("0003")),
    );
    await using empty = await openMigrator(url, { dir: set.dir });
    assert.equal((await rejectsKind(empty.up(), "migration")).version, 1);
    assert.equal((await trackedVersions(url, "app")).length, 3);
  },
);

persistentTest(
  "openMigrator() refuses a duplicate version and an up without its down",
  async ({ url }) => {
    await using set = await tempSet({
      ...APP_SET,
      "0002_create_labels.up.sql": "CREATE TABLE labels (id INTEGER);\n",
      "0002_create_labels.down.sql": "DROP TABLE labels;\n",
    });
    const duplicate = await rejectsKind(
      openMigrator(url, { dir: set.dir }),
      "migration",
    );
    assert.equal(duplicate.version, 2);
    assert.match(duplicate.message, /Duplicate migration version 2/);
    await set.remove(
      "0002_create_labels.up.sql",
      "0002_create_labels.down.sql",
    );
    await set.remove("0003_add_note_author.down.sql");
    const lonely = await rejectsKind(
      openMigrator(url, { dir: set.dir }),
      "migration",
    );
    assert.equal(lonely.version, 3);
    assert.match(
      lonely.message,
      /has no down file: add 0003_add_note_author\.down\.sql/,
    );
    await assert.rejects(sqlQuery(url, "SELECT 1 FROM notes"));
  },
);
