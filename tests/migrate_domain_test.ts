/**
 * A board created by the first release (schema version 4) migrates up to the domain schema with
 * every user, message, file and session intact, and back down without losing a row.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStorage } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";

/** Rows of the first release's tables, in the first release's columns. */
function snapshot(path: string) {
  const db = new DatabaseSync(path);
  try {
    const all = (sql: string) =>
      db.prepare(sql).all().map((row) => ({ ...row }));
    return {
      users: all(
        "SELECT id, username, password_hash, security_level, logins, posts FROM users ORDER BY id",
      ),
      messages: all(
        "SELECT id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at FROM messages ORDER BY id",
      ),
      files: all(
        "SELECT id, area_id, filename, description, uploader_id, size, uploaded_at FROM files ORDER BY id",
      ),
      sessions: all(
        "SELECT id, user_id, token_hash, ip_address FROM sessions ORDER BY id",
      ),
    };
  } finally {
    db.close();
  }
}

Deno.test("a first-release board migrates up intact and back down without losing a row", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-domain-mig-" });
  try {
    const path = `${dir}/old.db`;
    const url = `sqlite:${path}`;
    {
      await using migrator = await openMigrator(url);
      await migrator.to(4);
    }
    // Write the old board with the old schema's SQL, as the first release did.
    const db = new DatabaseSync(path);
    const now = Date.UTC(1998, 7, 11);
    db.exec(`
      INSERT INTO users (username, username_key, password_hash, created_at, updated_at, posts)
        VALUES ('SysOp', 'sysop', 'h1', ${now}, ${now}, 3), ('Caller', 'caller', 'h2', ${now}, ${now}, 2);
      INSERT INTO messages (area_id, from_user_id, to_user_id, subject, body, parent_id, created_at) VALUES
        (7, 1, NULL, 'Welcome', 'doom shareware here', NULL, ${now}),
        (7, 2, 1, 'Re: Welcome', 'thanks', 1, ${now + 1}),
        (3, 1, NULL, 'Other area', 'quake', NULL, ${now + 2}),
        (7, 1, 2, 'Re: Re: Welcome', 'you are welcome', 2, ${now + 3}),
        (3, 2, NULL, 'Second', 'arj', NULL, ${now + 4});
      INSERT INTO files (area_id, filename, description, uploader_id, size, uploaded_at) VALUES
        (2, 'DOOM.ZIP', 'Doom', 1, 100, ${now}),
        (2, 'doom.zip', 'Same name, other case', 2, 200, ${now + 1}),
        (5, 'QUAKE.ZIP', 'Quake', NULL, 300, ${now + 2});
      INSERT INTO sessions (user_id, token_hash, ip_address, login_at, last_activity_at)
        VALUES (1, '${"ab".repeat(32)}', '10.0.0.1', ${now}, ${now});
      DELETE FROM messages WHERE id = 5;
    `);
    db.close();
    const before = snapshot(path);

    {
      await using migrator = await openMigrator(url);
      const steps = await migrator.up();
      assert.ok(steps.length >= 5);
    }
    assert.deepEqual(
      snapshot(path),
      before,
      "every old row and column is intact",
    );
    {
      await using s = await openStorage(url, { migrate: "check" });
      const areas = await s.messageAreas.list();
      assert.deepEqual(
        areas.map((a) => [a.id, a.tag, a.lastMsgNum, a.msgCount]),
        [[3, "area3", 1, 1], [7, "area7", 3, 3]],
      );
      assert.deepEqual((await s.fileAreas.list()).map((a) => [a.id, a.tag]), [[
        2,
        "area2",
      ], [5, "area5"]]);
      const area7 = await s.messages.list(7);
      assert.deepEqual(
        area7.map((m) => [m.id, m.msgNum, m.fromName, m.toName]),
        [
          [1, 1, "SysOp", "All"],
          [2, 2, "Caller", "SysOp"],
          [4, 3, "SysOp", "Caller"],
        ],
      );
      assert.deepEqual((await s.messages.thread(4)).map((m) => m.id), [
        1,
        2,
        4,
      ]);
      assert.equal(
        (await s.messages.search("shareware"))[0]?.id,
        1,
        "old messages are searchable",
      );
      assert.equal((await s.files.search("quake"))[0]?.id, 3);
      const next = await s.messages.post({
        areaId: 3,
        fromName: "Guest",
        subject: "new",
        body: "",
      });
      assert.equal(
        next.id,
        6,
        "ids are never reused: 5 was deleted before the migration",
      );
      assert.equal(next.msgNum, 2);
      await assert.rejects(
        s.files.add({ areaId: 2, filename: "Doom.zip", size: 1 }),
        /taken/,
      );
      assert.equal((await s.users.get(1))?.status, "active");
      await s.messages.delete(6);
    }
    {
      await using migrator = await openMigrator(url);
      await migrator.to(4);
    }
    assert.deepEqual(
      snapshot(path),
      before,
      "the down migrations keep every row",
    );
    const check = new DatabaseSync(path);
    try {
      assert.deepEqual(
        check.prepare("PRAGMA integrity_check").all().map((r) =>
          r.integrity_check
        ),
        ["ok"],
      );
      assert.deepEqual(check.prepare("PRAGMA foreign_key_check").all(), []);
      assert.equal(
        check.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'messages'")
          .get()?.seq,
        6,
      );
    } finally {
      check.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
