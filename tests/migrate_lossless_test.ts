/**
 * The package's migrations lose nothing going down and up again: each down step followed by its
 * up step gives back every row, column and id high-water mark of a board where every column is
 * filled; going below 0009 leaves no ended, expired or locked user's session valid; rows written
 * at a lower version join without collisions.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { openStorage } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { emptyColumns, fillBoard } from "./_full_board.ts";
import {
  ownMigrations,
  persistentTest,
  snapshot,
  sqlQuery,
  trackedVersions,
  withSql,
} from "./_migrate.ts";

/** The version of the package's migration called `name`. */
function versionOf(url: string, name: string): number {
  const found = ownMigrations(url).find((m) => m.name === name);
  assert.ok(found, `no migration is called ${name}`);
  return found.version;
}

/** Every row of every table, each table's rows in a stable order. */
async function rows(url: string): Promise<Record<string, string[]>> {
  const all = await snapshot(url);
  return Object.fromEntries(
    Object.entries(all).map((
      [table, rows],
    ) => [
      table,
      rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort(),
    ]),
  );
}

/** The id high-water marks: SQLite's sqlite_sequence, PostgreSQL's sequences. */
async function marks(url: string): Promise<Record<string, number>> {
  if (url.startsWith("sqlite:")) {
    const rows = await sqlQuery(url, "SELECT name, seq FROM sqlite_sequence");
    return Object.fromEntries(rows.map((r) => [r.name, Number(r.seq)]));
  }
  const names = await sqlQuery(
    url,
    "SELECT sequencename AS name FROM pg_sequences WHERE schemaname = current_schema()",
  );
  const found: Record<string, number> = {};
  for (const { name } of names) {
    const [state] = await sqlQuery(
      url,
      `SELECT last_value, is_called FROM "${name}"`,
    );
    found[String(name)] = Number(state!.last_value) -
      (state!.is_called ? 0 : 1);
  }
  return found;
}

persistentTest(
  "Migrator.down() then up() gives back every row, column and id high-water mark of a full board, at every version",
  async ({ url }) => {
    await using migrator = await openMigrator(url);
    await migrator.up();
    await fillBoard(url);
    assert.deepEqual(await emptyColumns(url), [], "every column holds data");
    const top = await rows(url);
    const topMarks = await marks(url);
    for (const { version, name } of [...migrator.migrations].reverse()) {
      const before = await rows(url);
      const beforeMarks = await marks(url);
      assert.deepEqual((await migrator.down()).map((s) => s.version), [
        version,
      ]);
      assert.deepEqual(
        (await migrator.up({ to: version })).map((s) => s.version),
        [version],
      );
      assert.deepEqual(await rows(url), before, `down and up of ${name}`);
      assert.deepEqual(await marks(url), beforeMarks, `ids after ${name}`);
      await migrator.down();
    }
    assert.deepEqual(await trackedVersions(url, "impulse"), []);
    await migrator.up();
    assert.deepEqual(await rows(url), top, "down to 0 and up again");
    assert.deepEqual(await marks(url), topMarks);
    await using storage = await openStorage(url, { migrate: "check" });
    const user = await storage.users.create({
      username: "New",
      passwordHash: "h",
    });
    assert.ok(
      user.id > (topMarks.users ?? topMarks.users_id_seq!),
      "the ids of deleted users stay unused",
    );
  },
);

persistentTest(
  "Migrator.down() of users_online sets aside ended, expired and locked users' sessions, and up() keeps locked users locked and those sessions unusable",
  async ({ url }) => {
    await using migrator = await openMigrator(url);
    await migrator.up();
    const board = await fillBoard(url);
    await migrator.to(versionOf(url, "users_online") - 1);
    const hash = (token: string) =>
      createHash("sha256").update(token).digest("hex");
    assert.deepEqual(
      (await sqlQuery(url, "SELECT token_hash FROM sessions")).map((r) =>
        r.token_hash
      ),
      [hash(board.tokens.live)],
      "at version 8 only the live session of an active user is in the table",
    );
    await migrator.up();
    await using storage = await openStorage(url, { migrate: "check" });
    assert.equal(
      (await storage.users.get(board.lockedUserId))?.status,
      "locked",
    );
    assert.equal(await storage.sessions.getByToken(board.tokens.ended), null);
    assert.equal(await storage.sessions.getByToken(board.tokens.expired), null);
    const live = await storage.sessions.getByToken(board.tokens.live);
    assert.deepEqual([live?.node, live?.activity], [1, "Reading mail"]);
    const locked = await storage.sessions.getByToken(board.tokens.locked);
    assert.equal(locked?.userId, board.lockedUserId);
    assert.deepEqual(
      (await storage.sessions.listOnline()).map((s) => s.node),
      [1, 2],
    );
  },
);

persistentTest(
  "Migrator.to(4) and back keeps area tags and kinds, names, kludges, FidoNet ids, file hashes and download counts",
  async ({ url }) => {
    await using migrator = await openMigrator(url);
    await migrator.up();
    const board = await fillBoard(url);
    const read = async () => {
      await using s = await openStorage(url, { migrate: "check" });
      return {
        areas: await s.messageAreas.list(),
        fileAreas: await s.fileAreas.list(),
        messages: await s.messages.list(board.areaId),
        files: await s.files.list(board.fileAreaId, {
          includeUnavailable: true,
        }),
        scan: await s.reading.newScan(board.activeUserId),
        callers: await s.callers.recent(),
      };
    };
    const before = await read();
    assert.equal(before.areas[0]?.kind, "echomail");
    assert.equal(before.messages[1]?.kludges.length, 1);
    assert.equal(before.files[0]?.downloads, 1);
    await migrator.to(versionOf(url, "create_sessions"));
    await migrator.up();
    assert.deepEqual(await read(), before);
  },
);

persistentTest(
  "Migrator.up() after rows were written and deleted at version 4 numbers, names and keys them without collisions and skips what was deleted",
  async ({ url }) => {
    await using migrator = await openMigrator(url);
    await migrator.up();
    const board = await fillBoard(url);
    const lou = board.lockedUserId;
    const ann = board.activeUserId;
    const [root, reply] = (await sqlQuery(
      url,
      "SELECT id FROM messages ORDER BY id",
    )).map((r) => Number(r.id));
    await migrator.to(versionOf(url, "create_sessions"));
    const now = Date.now();
    await withSql(url, async (sql) => {
      // The first release deleting a user (its foreign keys cascade) and a reply.
      await sql.all("DELETE FROM sessions WHERE user_id = ?", [lou]);
      for (const column of ["from_user_id", "to_user_id"]) {
        await sql.all(
          `UPDATE messages SET ${column} = NULL WHERE ${column} = ?`,
          [lou],
        );
      }
      await sql.all(
        "UPDATE files SET uploader_id = NULL WHERE uploader_id = ?",
        [
          lou,
        ],
      );
      await sql.all("DELETE FROM users WHERE id = ?", [lou]);
      await sql.all("DELETE FROM messages WHERE id = ?", [reply]);
      const insert =
        "INSERT INTO messages (area_id, from_user_id, to_user_id, subject, body, parent_id, created_at) " +
        "VALUES (?, ?, NULL, ?, 'x', ?, ?)";
      await sql.all(insert, [board.areaId, ann, "late reply", root, now]);
      await sql.all(insert, [board.areaId, null, "late post", null, now]);
      await sql.all(insert, [77, null, "new area", null, now]);
      await sql.all(
        "INSERT INTO files (area_id, filename, description, size, uploaded_at) VALUES (?, ?, '', 1, ?)",
        [board.fileAreaId, "pkz204g.exe", now],
      );
    });
    await migrator.up();
    await using s = await openStorage(url, { migrate: "check" });
    assert.equal(await s.users.get(lou), null);
    assert.equal(await s.sessions.getByToken(board.tokens.locked), null);
    const area = await s.messageAreas.get(board.areaId);
    assert.deepEqual([area?.lastMsgNum, area?.msgCount], [6, 4]);
    const messages = await s.messages.list(board.areaId);
    assert.deepEqual(
      messages.map((m) => [m.id === root, m.msgNum, m.fromName, m.toName]),
      [
        [true, 1, "Active Ann", "Locked Lou"],
        [false, 3, "Active Ann", "All"],
        [false, 5, "Active Ann", "All"],
        [false, 6, "Unknown", "All"],
      ],
    );
    assert.equal(messages[0]?.toUserId, null);
    assert.equal(messages[0]?.kludges[0]?.value, "Impulse 7.1");
    assert.equal(messages[2]?.threadRootId, root);
    const [other] = await s.messages.list(77);
    assert.deepEqual([other?.msgNum, other?.fromName], [1, "Unknown"]);
    assert.equal((await s.messageAreas.get(77))?.tag, "area77");
    const files = await s.files.list(board.fileAreaId, {
      includeUnavailable: true,
    });
    assert.deepEqual(
      files.map((f) => [f.filename, f.sha256, f.downloads, f.uploaderId]),
      [["pkz204g.exe", null, 0, null], [
        "PKZ204G.EXE",
        "ab".repeat(32),
        1,
        ann,
      ]],
    );
    assert.equal(
      (await s.callers.recent()).find((c) => c.username === "Locked Lou")
        ?.userId,
      null,
    );
  },
);
