/**
 * The keys migrations 0005 and 0006 make unique, from the promise: going up, a key that is
 * taken gets a suffix no valid name or tag can hold (a U+001F and the row's id), so it can never
 * meet a real one: a board whose files are named like the old suffix (`foo #3`) survives a down
 * and up cycle with every row and name. And the fix itself breaks no board: a database migrated
 * with the files as they were before (their checksums named by `-- accepts checksum` lines) is
 * still accepted, and migrates on.
 *
 * @module
 */
import assert from "node:assert/strict";
import { isStorageError } from "../mod.ts";
import { connect } from "../src/connect.ts";
import {
  checksum,
  type Migration,
  Migrator,
  openMigrator,
} from "../src/migrate/mod.ts";
import * as V from "../src/validate.ts";
import { runCli } from "./_cli.ts";
import {
  ownMigrations,
  persistentTest,
  sqlQuery,
  trackedVersions,
  withSql,
} from "./_migrate.ts";

const FIXTURES = new URL(
  "./fixtures/migrations_before_suffix/",
  import.meta.url,
);
const BEFORE: Record<number, string> = {
  5: "0005_message_areas.up.sql",
  6: "0006_file_areas.up.sql",
};

/** The package's set as it was before the suffix changed: 0005 and 0006 as first released. */
async function setBefore(url: string): Promise<Migration[]> {
  const dialect = url.startsWith("sqlite:") ? "sqlite" : "postgres";
  const set: Migration[] = [];
  for (const m of ownMigrations(url)) {
    const file = BEFORE[m.version];
    if (file === undefined) {
      set.push(m);
      continue;
    }
    const up = await Deno.readTextFile(new URL(`${dialect}/${file}`, FIXTURES));
    set.push({
      version: m.version,
      name: m.name,
      up,
      down: m.down,
      checksum: checksum(up),
    });
  }
  return set;
}

/** Runs `up` with a set of migrations of one's own on a database, tracked as the package's. */
async function upWith(url: string, set: Migration[]): Promise<void> {
  const options = V.parse(V.openOptions, { migrate: "off" }, "options", "test");
  const connection = await connect(url, options);
  await using migrator = new Migrator(connection.migrationTarget(), set);
  await migrator.up();
}

/** A file row written at version 5, when files had a bare area id and no key. */
function insertOldFile(
  dialect: string,
  id: number,
  areaId: number,
  filename: string,
): [string, unknown[]] {
  const overriding = dialect === "postgres" ? "OVERRIDING SYSTEM VALUE " : "";
  return [
    `INSERT INTO files (id, area_id, filename, size, uploaded_at) ${overriding}` +
    "VALUES (?, ?, ?, 1, 1700000000000)",
    [id, areaId, filename],
  ];
}

/** A message row written at version 4, when messages had a bare area id. */
function insertOldMessage(
  dialect: string,
  id: number,
  areaId: number,
): [string, unknown[]] {
  const overriding = dialect === "postgres" ? "OVERRIDING SYSTEM VALUE " : "";
  return [
    `INSERT INTO messages (id, area_id, subject, body, created_at) ${overriding}` +
    "VALUES (?, ?, 'hello', 'body', 1700000000000)",
    [id, areaId],
  ];
}

persistentTest(
  'files named like the old suffix ("foo #3") survive going down to 0005 and up again',
  async (fresh) => {
    const url = fresh.url;
    let area: number;
    let foo: number;
    let lookalike: number;
    {
      await using storage = await fresh.open();
      area =
        (await storage.fileAreas.create({ tag: "uploads", name: "Uploads" }))
          .id;
      foo =
        (await storage.files.add({ areaId: area, filename: "foo", size: 1 }))
          .id;
      // The name the old suffix would give the next file named FOO: "foo #<its id>".
      lookalike = (await storage.files.add({
        areaId: area,
        filename: `foo #${foo + 2}`,
        size: 2,
      })).id;
      assert.equal(lookalike, foo + 1);
    }
    {
      await using migrator = await openMigrator(url);
      await migrator.to(5);
    }
    // At version 5 file names were not unique: an older release adds FOO beside foo.
    await withSql(url, async (sql) => {
      const [text, params] = insertOldFile(sql.dialect, foo + 2, area, "FOO");
      await sql.all(text, params);
    });
    {
      await using migrator = await openMigrator(url);
      await migrator.up();
    }
    const rows = await sqlQuery(
      url,
      "SELECT id, filename, filename_key FROM files ORDER BY id",
    );
    assert.deepEqual(
      rows.map((r) => [Number(r.id), r.filename, r.filename_key]),
      [
        [foo, "foo", "foo"],
        [lookalike, `foo #${foo + 2}`, `foo #${foo + 2}`],
        [foo + 2, "FOO", `foo\u001f${foo + 2}`],
      ],
    );
    // Every name but the suffixed one answers as before: each is taken.
    await using storage = await fresh.open();
    for (const filename of ["foo", "FOO", `FOO #${foo + 2}`]) {
      await assert.rejects(
        storage.files.add({ areaId: area, filename, size: 1 }),
        (error) => isStorageError(error, "conflict"),
        filename,
      );
    }
    assert.equal((await storage.files.list(area)).length, 3);
  },
);

persistentTest(
  "an area id a message or file used at a lower version gets its own area, whose key can never meet a real tag",
  async (fresh) => {
    const url = fresh.url;
    {
      await using storage = await fresh.open();
      // Real areas tagged like the rows 0005 and 0006 make, and named like the old suffix.
      await storage.messageAreas.create({ tag: "AREA7", name: "area7 #7" });
      await storage.fileAreas.create({ tag: "AREA7", name: "area7 #7" });
    }
    {
      await using migrator = await openMigrator(url);
      await migrator.to(4);
    }
    await withSql(url, async (sql) => {
      const [text, params] = insertOldMessage(sql.dialect, 1, 7);
      await sql.all(text, params);
      const [files, fileParams] = insertOldFile(sql.dialect, 1, 7, "x.zip");
      await sql.all(files, fileParams);
    });
    {
      await using migrator = await openMigrator(url);
      await migrator.up();
    }
    for (const table of ["message_areas", "file_areas"]) {
      const rows = await sqlQuery(
        url,
        `SELECT id, tag, tag_key, name FROM ${table} ORDER BY id`,
      );
      assert.deepEqual(
        rows.map((r) => [Number(r.id), r.tag, r.tag_key, r.name]),
        [[1, "AREA7", "area7", "area7 #7"], [
          7,
          "area7",
          "area7\u001f7",
          "Area 7",
        ]],
        table,
      );
    }
    await using storage = await fresh.open();
    assert.equal((await storage.messages.get(1))?.areaId, 7);
    assert.equal((await storage.files.get(1))?.areaId, 7);
    await assert.rejects(
      storage.messageAreas.create({ tag: "area7", name: "Again" }),
      (error) => isStorageError(error, "conflict"),
    );
  },
);

persistentTest(
  "a database migrated with 0005 and 0006 as first released is still accepted, and migrates on",
  async (fresh) => {
    const url = fresh.url;
    const before = await setBefore(url);
    const current = ownMigrations(url);
    // The fixtures are the files as released: each one's checksum is one the new file accepts.
    for (const version of [5, 6]) {
      const old = before.find((m) => m.version === version)!;
      const now = current.find((m) => m.version === version)!;
      assert.notEqual(old.checksum, now.checksum);
      assert.deepEqual(now.acceptedChecksums, [old.checksum]);
    }
    await upWith(url, before);
    const applied = await sqlQuery(
      url,
      "SELECT version, checksum FROM impulse_migrations WHERE version IN (5, 6) ORDER BY version",
    );
    assert.deepEqual(
      applied.map((r) => String(r.checksum)),
      [5, 6].map((v) => before.find((m) => m.version === v)!.checksum),
    );
    {
      await using migrator = await openMigrator(url);
      const status = await migrator.status();
      assert.ok(
        status.every((l) => l.state === "applied" && l.checksumOk),
        JSON.stringify(status),
      );
      assert.deepEqual(await migrator.up(), []);
    }
    // Opening it migrates nothing and refuses nothing; neither does the CLI.
    {
      await using storage = await fresh.open();
      await storage.users.create({ username: "sysop", passwordHash: "x" });
    }
    const run = await runCli([
      "migrate",
      "status",
      "--exit-code",
      "--db",
      url,
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /CHANGED/);
    // Down past them and up again: the files of now are applied, with their own checksums.
    {
      await using migrator = await openMigrator(url);
      await migrator.to(4);
      await migrator.up();
    }
    const again = await sqlQuery(
      url,
      "SELECT checksum FROM impulse_migrations WHERE version IN (5, 6) ORDER BY version",
    );
    assert.deepEqual(
      again.map((r) => String(r.checksum)),
      [5, 6].map((v) => current.find((m) => m.version === v)!.checksum),
    );
    assert.equal(
      (await trackedVersions(url, "impulse")).length,
      current.length,
    );
  },
);

persistentTest(
  "a checksum the file does not accept is still refused as an edited migration",
  async (fresh) => {
    const url = fresh.url;
    {
      await using migrator = await openMigrator(url);
      await migrator.up();
    }
    const accepted = ownMigrations(url).find((m) => m.version === 5)!
      .acceptedChecksums![0]!;
    for (const wrong of [accepted.toUpperCase(), checksum("something else")]) {
      await sqlQuery(
        url,
        "UPDATE impulse_migrations SET checksum = ? WHERE version = 5",
        [wrong],
      );
      await using migrator = await openMigrator(url);
      const line = (await migrator.status()).find((l) => l.version === 5)!;
      assert.equal(line.state, "changed");
      await assert.rejects(
        fresh.open(),
        (error) =>
          isStorageError(error, "migration") &&
          /Migration 5 \(message_areas\).*was edited after it was applied/.test(
            error.message,
          ),
      );
    }
  },
);
