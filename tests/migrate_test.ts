import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { openStorage } from "../mod.ts";
import { manifest } from "../migrations/mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { seedAreas } from "./_fixtures.ts";
import {
  assertRowsKept,
  ownMigrations,
  persistentTest,
  pick,
  type Snapshot,
  snapshot,
  sqlQuery,
  type SqlSession,
  tempSet,
  trackedVersions,
  withSql,
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

/** The version of the package's migration called `name`: the writers and checks key on them. */
function versionOf(name: string): number {
  const migration = manifest.sqlite!.find((m) => m.name === name);
  assert.ok(migration, `no migration is called ${name}`);
  return migration.version;
}

/** From which version each table the writer fills has the shape it writes. */
const AT = {
  files: versionOf("create_files"),
  messages: versionOf("create_messages"),
  sessions: versionOf("create_sessions"),
  messageAreas: versionOf("message_areas"),
  fileAreas: versionOf("file_areas"),
  lastRead: versionOf("last_read"),
  toNameKey: versionOf("message_flags"),
  fromNameKey: versionOf("message_export"),
};

/** The name keys a message row has at `version`, as the package writes them (ASCII names). */
function nameKeys(
  version: number,
  row: { from_name: string; to_name: string },
): Record<string, string> {
  return {
    ...version >= AT.toNameKey
      ? { to_name_key: row.to_name.toLowerCase() }
      : {},
    ...version >= AT.fromNameKey
      ? { from_name_key: row.from_name.toLowerCase() }
      : {},
  };
}

/** The session token of the session written at `version`. */
function tokenOf(version: number): string {
  return `token${version}`.padEnd(43, "x");
}

/** Inserts one row by raw SQL and returns its `id` (`undefined` for a table without one). */
async function insert(
  sql: SqlSession,
  table: string,
  row: Record<string, unknown>,
): Promise<unknown> {
  const columns = Object.keys(row);
  const [inserted] = await sql.all(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${
      columns.map(() => "?").join(", ")
    }) RETURNING *`,
    Object.values(row),
  );
  return inserted!.id;
}

/** Posts a message in the area's next number, as the operations do since message areas. */
async function postRaw(
  sql: SqlSession,
  row: Record<string, unknown>,
): Promise<unknown> {
  const [area] = await sql.all(
    "UPDATE message_areas SET last_msg_num = last_msg_num + 1, msg_count = msg_count + 1 " +
      "WHERE id = ? RETURNING last_msg_num",
    [row.area_id],
  );
  assert.ok(area, `message area ${row.area_id} exists`);
  return await insert(sql, "messages", { ...row, msg_num: area.last_msg_num });
}

/**
 * Writes rows into every table of the schema at `version`, with that schema's SQL: a user; a
 * file in area 1 and, while names may repeat, one in area 2 named like the others there but for
 * case; a message in area 1 and a reply in area 2 (before threads, to the newest reply, so
 * threads nest); a session; a last-read pointer.
 */
async function writeRows(sql: SqlSession, version: number): Promise<void> {
  const now = Date.UTC(1998, 7, 11) + version * 1000;
  const userId = await insert(sql, "users", {
    username: `User${version}`,
    username_key: `user${version}`,
    password_hash: `hash${version}`,
    created_at: now,
    updated_at: now,
  });
  const file = {
    area_id: 1,
    filename: `F${version}.ZIP`,
    description: `desc${version}`,
    uploader_id: userId,
    size: version,
    uploaded_at: now,
  };
  if (version >= AT.fileAreas) {
    await insert(sql, "files", { ...file, filename_key: `f${version}.zip` });
  } else if (version >= AT.files) {
    await insert(sql, "files", file);
    await insert(sql, "files", {
      ...file,
      area_id: 2,
      filename: version % 2 ? "README.TXT" : "readme.txt",
      description: `readme${version}`,
      uploader_id: null,
    });
  }
  const message = {
    area_id: 1,
    from_user_id: userId,
    to_user_id: null,
    subject: `Hello ${version}`,
    body: `body${version} greetings`,
    parent_id: null,
    created_at: now,
  };
  const reply = {
    area_id: 2,
    from_user_id: null,
    to_user_id: userId,
    subject: `Re: Hello ${version}`,
    body: `reply${version}`,
  };
  if (version >= AT.messageAreas) {
    const names = { from_name: `User${version}`, to_name: "All" };
    const root = await postRaw(sql, {
      ...message,
      ...names,
      ...nameKeys(version, names),
    });
    const replyNames = { from_name: "Guest", to_name: `User${version}` };
    await postRaw(sql, {
      ...message,
      ...reply,
      ...replyNames,
      ...nameKeys(version, replyNames),
      parent_id: root,
      thread_root_id: root,
    });
  } else if (version >= AT.messages) {
    const root = await insert(sql, "messages", message);
    const [newest] = await sql.all(
      "SELECT max(id) AS id FROM messages WHERE parent_id IS NOT NULL",
    );
    await insert(sql, "messages", {
      ...message,
      ...reply,
      parent_id: newest?.id ?? root,
    });
  }
  if (version >= AT.sessions) {
    await insert(sql, "sessions", {
      user_id: userId,
      token_hash: createHash("sha256").update(tokenOf(version)).digest("hex"),
      ip_address: `10.0.0.${version}`,
      login_at: now,
      last_activity_at: now,
    });
  }
  if (version >= AT.lastRead) {
    await insert(sql, "last_read", {
      user_id: userId,
      area_id: 1,
      last_read: 1,
    });
  }
}

/** Orders `[id, …]` tuples by id. */
function byNumber(a: readonly unknown[], b: readonly unknown[]): number {
  return Number(a[0]) - Number(b[0]);
}

/** What the domain migrations make of the rows before them, beyond keeping them. */
const UP_CHECKS: Record<string, (before: Snapshot, after: Snapshot) => void> = {
  message_areas(before, after) {
    const names = new Map(before.users!.map((u) => [u.id, u.username]));
    const messages = pick(before.messages!, ["id", "area_id", "parent_id"]);
    const parents = new Map(messages.map(([id, , parent]) => [id, parent]));
    const rootOf = (id: unknown): unknown =>
      parents.get(id) === null ? id : rootOf(parents.get(id));
    const counts = new Map<unknown, number>();
    const expected = pick(before.messages!, [
      "id",
      "area_id",
      "from_user_id",
      "to_user_id",
    ]).map(([id, area, from, to]) => {
      counts.set(area, (counts.get(area) ?? 0) + 1);
      const root = rootOf(id);
      return [
        id,
        area,
        counts.get(area),
        names.get(from) ?? "Unknown",
        names.get(to) ?? "All",
        root === id ? null : root,
        null,
        "[]",
      ];
    });
    assert.deepEqual(
      pick(after.messages!, [
        "id",
        "area_id",
        "msg_num",
        "from_name",
        "to_name",
        "thread_root_id",
        "ftn_msgid",
        "kludges",
      ]),
      expected,
      "every message is numbered in its area by id and named after its users",
    );
    const areas = [...counts].sort(byNumber);
    assert.deepEqual(
      pick(after.message_areas!, [
        "id",
        "tag",
        "kind",
        "last_msg_num",
        "msg_count",
      ]),
      areas.map(([id, n]) => [id, `area${id}`, "local", n, n]),
      "every area id in use became an area",
    );
  },
  file_areas(before, after) {
    const seen = new Set<string>();
    const areas = new Set<unknown>();
    const expected = pick(before.files!, ["id", "area_id", "filename"]).map(
      ([id, area, filename]) => {
        const key = String(filename).replace(/[A-Z]/g, (c) => c.toLowerCase());
        const first = !seen.has(`${area} ${key}`);
        seen.add(`${area} ${key}`);
        areas.add(area);
        return [id, area, first ? key : `${key}\u001f${id}`, null, 0];
      },
    );
    assert.deepEqual(
      pick(after.files!, [
        "id",
        "area_id",
        "filename_key",
        "sha256",
        "downloads",
      ]),
      expected,
      "every file keeps its name; a name repeated in its area gets a key of its own",
    );
    assert.deepEqual(
      pick(after.file_areas!, ["id", "tag"]),
      [...areas].map((id) => [id]).sort(byNumber)
        .map(([id]) => [id, `area${id}`]),
      "every area id in use became an area",
    );
  },
  last_read(_before, after) {
    assert.deepEqual(after.last_read, []);
  },
  users_online(before, after) {
    assert.deepEqual(
      pick(after.users!, [
        "id",
        "real_name",
        "location",
        "note",
        "flags",
        "status",
      ]),
      pick(before.users!, ["id"]).map(([id]) => [id, "", "", "", "", "active"]),
    );
    assert.deepEqual(
      pick(after.sessions!, [
        "id",
        "node",
        "activity",
        "expires_at",
        "ended_at",
      ]),
      pick(before.sessions!, ["id"]).map(([id]) => [id, null, "", null, null]),
    );
    assert.deepEqual(after.logins, []);
  },
};

persistentTest(
  "Migrator.up() migrates a fresh database and records each migration once",
  async ({ url }) => {
    await using migrator = await openMigrator(url);
    const steps = await migrator.up();
    const own = migrator.migrations;
    assert.deepEqual(own, ownMigrations(url));
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
    await storage.users.create({ username: "sysop", passwordHash: "h" });
  },
);

persistentTest(
  "Migrator.up() keeps the rows written at version N usable at N+1",
  async ({ url }) => {
    await using migrator = await openMigrator(url);
    const own = migrator.migrations;
    await migrator.to(own[0]!.version);
    for (const [i, next] of own.slice(1).entries()) {
      const version = own[i]!.version;
      await withSql(url, (sql) => writeRows(sql, version));
      const before = await snapshot(url);
      assert.deepEqual(
        (await migrator.up({ to: next.version })).map((s) => s.version),
        [next.version],
      );
      const after = await snapshot(url);
      const step = `up from ${version} to ${next.version} (${next.name})`;
      assertRowsKept(before, after, "up", step);
      UP_CHECKS[next.name]?.(before, after);
    }

    // At the newest version, every row written on the way reads back through the Storage API.
    const written = own.slice(0, -1).map((m) => m.version);
    const since = (from: number) => written.filter((v) => v >= from);
    await using storage = await openStorage(url, { migrate: "check" });
    for (const version of written) {
      const user = await storage.users.findByUsername(`USER${version}`);
      assert.equal(user?.username, `User${version}`);
      assert.equal(user?.status, "active");
    }
    assert.deepEqual(
      (await storage.files.list(1)).map((f) => f.filename),
      since(AT.files).reverse().map((v) => `F${v}.ZIP`),
    );
    assert.equal(
      (await storage.files.list(2)).length,
      since(AT.files).length - since(AT.fileAreas).length,
    );
    await rejectsKind(
      storage.files.add({ areaId: 2, filename: "ReadMe.txt", size: 1 }),
      "conflict",
    );
    for (const version of since(AT.files)) {
      const found = await storage.files.search(`desc${version}`);
      assert.deepEqual(found.map((f) => f.filename), [`F${version}.ZIP`]);
    }
    const area1 = await storage.messages.list(1);
    assert.deepEqual(
      area1.map((m) => [m.msgNum, m.subject]),
      since(AT.messages).map((v, i) => [i + 1, `Hello ${v}`]),
    );
    assert.deepEqual(
      (await storage.messages.thread(area1[0]!.id)).map((m) => m.body),
      [
        area1[0]!.body,
        ...since(AT.messages).filter((v) => v < AT.messageAreas).map((v) =>
          `reply${v}`
        ),
      ],
    );
    for (const [i, version] of since(AT.messages).entries()) {
      const found = await storage.messages.search(`body${version}`);
      assert.deepEqual(found.map((m) => m.id), [area1[i]!.id]);
    }
    const first = await storage.users.findByUsername(`user${written[0]}`);
    const posted = await storage.messages.post({
      areaId: 1,
      fromUserId: first!.id,
      subject: "new",
      body: "at the newest version",
    });
    assert.equal(posted.msgNum, area1.length + 1);
    for (const version of since(AT.sessions)) {
      const user = await storage.users.findByUsername(`user${version}`);
      const session = await storage.sessions.getByToken(tokenOf(version));
      assert.equal(session?.userId, user!.id);
    }
    for (const version of since(AT.lastRead)) {
      const user = await storage.users.findByUsername(`user${version}`);
      // Every message above the pointer, the user's own too (they wrote some of them).
      const scan = await storage.reading.newScan(user!.id, {
        includeOwn: true,
      });
      assert.deepEqual(
        scan.filter((s) => s.area.id === 1).map((s) => [s.lastRead, s.unread]),
        [[1, posted.msgNum - 1]],
      );
    }
  },
);

persistentTest(
  "Migrator.down() keeps the data of every table it keeps, setting the rest aside",
  async ({ url }) => {
    await using migrator = await openMigrator(url);
    const own = migrator.migrations;
    const tablesAt = new Map<number, string[]>();
    for (const { version } of own) {
      await migrator.up({ to: version });
      tablesAt.set(version, Object.keys(await snapshot(url)));
    }
    {
      await using storage = await openStorage(url, { migrate: "check" });
      await seedAreas(storage, 2);
      const ann = await storage.users.create({
        username: "ann",
        passwordHash: "h",
        realName: "Ann",
        flags: "ZA",
      });
      await storage.files.add({
        areaId: 2,
        filename: "a.txt",
        size: 5,
        uploaderId: ann.id,
      });
      const root = await storage.messages.post({
        areaId: 1,
        fromUserId: ann.id,
        subject: "s",
        body: "b",
      });
      await storage.messages.post({
        areaId: 2,
        fromName: "Guest",
        toUserId: ann.id,
        parentId: root.id,
        subject: "t",
        body: "c",
      });
      await storage.sessions.create({
        userId: ann.id,
        ipAddress: "::1",
        node: 1,
      });
      await storage.reading.markRead(ann.id, 1, 1);
      await storage.users.recordLogin(ann.id);
    }
    // Down one version at a time; at each, rows written with that version's SQL join in.
    for (let i = own.length - 1; i > 0; i--) {
      const { version, name } = own[i]!;
      const previous = own[i - 1]!.version;
      const before = await snapshot(url);
      assert.deepEqual((await migrator.down()).map((s) => s.version), [
        version,
      ]);
      const after = await snapshot(url);
      assert.deepEqual(
        Object.keys(after).filter((t) => !t.startsWith("impulse_aside_")),
        tablesAt.get(previous),
      );
      assertRowsKept(before, after, "down", `down from ${version} (${name})`);
      await withSql(url, (sql) => writeRows(sql, previous));
    }
    assert.deepEqual(await trackedVersions(url, "impulse"), [[
      own[0]!.version,
      "applied",
    ]]);
    assert.deepEqual(
      (await sqlQuery(url, "SELECT username FROM users ORDER BY id")).map((r) =>
        r.username
      ),
      ["ann", ...own.slice(0, -1).map((m) => `User${m.version}`).reverse()],
    );
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
      // Dropping tags that hold a row would lose it: refused until forced.
      const refused = await rejectsKind(migrator.down({ to: 1 }), "migration");
      assert.equal(refused.version, 2);
      assert.match(
        refused.message,
        /tags\.id: 1 row gone; tags\.label: 1 row gone/,
      );
      assert.deepEqual(await trackedVersions(url, "app"), [
        [1, "applied"],
        [2, "applied"],
        [3, "applied"],
      ]);
      await migrator.down({ to: 1, force: true });
      assert.deepEqual(
        await sqlQuery(url, "SELECT id, body FROM notes ORDER BY id"),
        [{ id: 1, body: "one" }, { id: 2, body: "two" }],
      );
    }
    await using storage = await openStorage(url);
    const user = await storage.users.create({
      username: "bob",
      passwordHash: "h",
    });
    {
      await using own = await openMigrator(url);
      await own.to(1);
      await own.up();
    }
    assert.equal((await storage.users.get(user.id))?.username, "bob");
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

/** What a call on a schema other than the code's must say: the kind's meaning, and the remedy. */
const NOT_AT_VERSION =
  /schema is not at the version this code needs; run `deno task migrate`/;

persistentTest(
  "a call on a schema an operator moved back, or never moved up, fails as migration, naming deno task migrate",
  async ({ url }) => {
    await using storage = await openStorage(url);
    const user = await storage.users.create({
      username: "Bob",
      passwordHash: "h",
    });
    // An operator reverts to version 8 while the storage runs: sessions lose their node column.
    await using migrator = await openMigrator(url);
    await migrator.to(8);
    const calls: [string, () => Promise<unknown>][] = [
      [
        "sessions.create",
        () =>
          storage.sessions.create({ userId: user.id, ipAddress: "10.0.0.1" }),
      ],
      [
        "sessions.getByToken",
        () => storage.sessions.getByToken("x".repeat(43)),
      ],
      [
        "users.create",
        () => storage.users.create({ username: "Carol", passwordHash: "h" }),
      ],
    ];
    for (const [name, call] of calls) {
      const error = await rejectsKind(call(), "migration");
      assert.match(error.message, NOT_AT_VERSION, name);
    }
    // A database at version 5 opened without migrating.
    await migrator.to(5);
    await using old = await openStorage(url, { migrate: "off" });
    const error = await rejectsKind(
      old.users.create({ username: "Dave", passwordHash: "h" }),
      "migration",
    );
    assert.match(error.message, NOT_AT_VERSION);
  },
);
