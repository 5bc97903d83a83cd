import assert from "node:assert/strict";
import { openStorage, type Storage } from "../mod.ts";
import { copyDatabase } from "../src/copy/mod.ts";
import { main } from "../src/cli/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { seedAreas } from "./_fixtures.ts";
import { manifest } from "../migrations/mod.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";

const ignore = postgresMissing !== undefined;

/** Fills a board with a few thousand rows of every kind, deletions included. */
async function seed(storage: Storage): Promise<void> {
  const users = await storage.transaction(async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < 400; i++) {
      const user = await tx.users.create({
        username: `caller${i}`,
        passwordHash: `hash${i}`,
        securityLevel: i % 256,
      });
      ids.push(user.id);
    }
    return ids;
  });
  // Properties of two users, one of them deleted with its user.
  await storage.users.setProps(users[3]!, { email: "gone@example.org" });
  await storage.users.setProps(users[5]!, {
    email: "five@example.org",
    prefs: { ansi: true, lines: [24, 25] },
    long: "z".repeat(400),
  });
  await storage.users.incrementCounter(users[5]!, "door.runs", 3);
  await storage.users.incrementCounter(users[3]!, "door.runs", 1);
  await storage.users.delete(users[3]!);
  await seedAreas(storage, 4);
  // A reply that arrives before its parent: adopted later, so its parent has a higher id.
  await storage.messages.post({
    areaId: 1,
    fromName: "Remote",
    subject: "Re: early",
    body: "",
    ftnMsgid: "1:1/1 b",
    ftnReply: "1:1/1 a",
    kludges: [{ name: "PID", value: "x" }],
  });
  await storage.transaction(async (tx) => {
    let parent: number | null = null;
    for (let i = 0; i < 2500; i++) {
      const m = await tx.messages.post({
        areaId: 1 + (i % 4),
        fromUserId: users[4 + (i % 300)]!,
        toUserId: i % 9 === 0 ? users[7]! : null,
        subject: `Re: topic ${i % 50}`,
        body: `Line ${i}\n\x1b[1;33mANSI\x1b[0m and Ünïcode ✓ ${
          "x".repeat(i % 40)
        }`,
        parentId: i % 6 === 0 ? parent : null,
      });
      parent = m.id;
    }
    for (let i = 0; i < 600; i++) {
      await tx.files.add({
        areaId: 1 + (i % 2),
        filename: `file${i}.zip`,
        description: i % 3 ? `desc ${i}` : "",
        uploaderId: i % 4 ? users[10 + (i % 20)]! : null,
        size: i * 1024,
      });
    }
    for (let i = 0; i < 300; i++) {
      await tx.sessions.create({
        userId: users[50 + (i % 60)]!,
        ipAddress: i % 2 ? "192.0.2.7" : "2001:db8::1",
      });
    }
  });
  await storage.messages.post({
    areaId: 1,
    fromName: "Remote",
    subject: "early",
    body: "",
    ftnMsgid: "1:1/1 a",
  });
  await storage.users.update(users[8]!, {
    lastLoginAt: new Date(1_700_000_000_123),
    flags: "AC",
  });
  for (let i = 0; i < 30; i++) {
    await storage.reading.markRead(users[20 + i]!, 1 + (i % 4), i);
    await storage.users.recordLogin(users[20 + i]!);
  }
  const { session } = await storage.sessions.create({
    userId: users[9]!,
    ipAddress: "::1",
    node: 3,
    ttlSeconds: 3600,
  });
  await storage.settings.set("board.name", {
    name: "Ünïcode ✓",
    nodes: [1, 2.5],
  });
  await storage.settings.increment("stats.calls", 3);
  // The FidoNet import's record of what it brought into an area (one by MSGID, one by content).
  const [echo] = await storage.messageAreas.list();
  await storage.sql(
    "INSERT INTO ftn_imported (area_id, kind, key, imported_at) VALUES (?, ?, ?, ?), (?, ?, ?, ?)",
    [
      ...[echo!.id, "msgid", "2:5020/1 0badf00d", 1_700_000_000_000],
      ...[echo!.id, "content", "ab".repeat(32), 1_700_000_000_001],
    ],
  );
  await storage.transaction(async (tx) => {
    for (let i = 0; i < 50; i++) {
      await tx.events.append({
        kind: i % 2 ? "login" : "file.upload",
        userId: i % 5 ? users[10 + (i % 7)]! : null,
        sessionId: i % 10 === 0 ? session.id : null,
        ...(i % 3 ? { data: { i, text: "✓\u0000" } } : {}),
      });
    }
  });
}

async function sqliteBoard(): Promise<{ url: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "impulse-copy-" });
  return {
    url: `sqlite:${dir}/board.db`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

Deno.test({
  name:
    "copyDatabase() moves a board from SQLite to PostgreSQL and back, ids and rows identical",
  ignore,
  async fn() {
    await using first = await sqliteBoard();
    await using pg = await createDatabase("impulse_copy");
    await using back = await sqliteBoard();
    {
      await using storage = await openStorage(first.url);
      await seed(storage);
    }
    const there = await copyDatabase(first.url, pg.url, { batchSize: 300 });
    assert.ok(there.ok, JSON.stringify(there.tables));
    assert.deepEqual(
      there.tables.map((t) => [t.table, t.targetRows]),
      [
        // Parents before children, in waves, by name within one.
        ["file_areas", 4],
        ["impulse_migration_notes", 0],
        ["message_areas", 4],
        ["settings", 2],
        ["users", 399],
        ["files", 600],
        ["ftn_imported", 2],
        // 30 pointers set, and 3 of authors whose post was an area's first (they were caught up).
        ["last_read", 33],
        ["logins", 30],
        ["messages", 2502],
        ["sessions", 301],
        ["user_counters", 46],
        ["user_props", 3],
        ["events", 50],
        ["impulse_migrations", manifest.sqlite!.length],
      ],
    );
    const again = await copyDatabase(pg.url, back.url);
    assert.ok(again.ok);
    for (const [i, table] of there.tables.entries()) {
      assert.equal(again.tables[i]!.targetChecksum, table.sourceChecksum);
    }
    await using a = await openStorage(first.url, { migrate: "check" });
    await using b = await openStorage(pg.url, { migrate: "check" });
    assert.deepEqual(
      await b.messages.list(2, { limit: 1000 }),
      await a.messages.list(2, { limit: 1000 }),
    );
    assert.deepEqual(await b.users.get(9), await a.users.get(9));
    assert.deepEqual(await b.users.getProps(6), await a.users.getProps(6));
    assert.deepEqual(
      (await b.users.findByProp("long", "z".repeat(400))).map((u) => u.id),
      [6],
    );
    assert.deepEqual(
      await b.files.list(1, { limit: 5 }),
      await a.files.list(1, { limit: 5 }),
    );
    // New rows get ids above the copied ones, as they would have at the source.
    const next = await a.users.create({ username: "next", passwordHash: "h" });
    assert.equal(
      (await b.users.create({ username: "next", passwordHash: "h" })).id,
      next.id,
    );
  },
});

Deno.test({
  name:
    "copyDatabase() refuses a target holding data unless forced, then replaces it",
  ignore,
  async fn() {
    await using board = await sqliteBoard();
    await using pg = await createDatabase("impulse_copy");
    {
      await using source = await openStorage(board.url);
      await source.users.create({ username: "from-source", passwordHash: "h" });
      await using target = await openStorage(pg.url);
      await target.users.create({
        username: "already-there",
        passwordHash: "h",
      });
      await target.users.create({ username: "also-there", passwordHash: "h" });
    }
    const error = await rejectsKind(
      copyDatabase(board.url, pg.url),
      "conflict",
    );
    assert.match(error.message, /users 2.*--force/);
    const report = await copyDatabase(board.url, pg.url, { force: true });
    assert.ok(report.ok);
    await using target = await openStorage(pg.url);
    assert.equal(await target.users.findByUsername("already-there"), null);
    assert.equal((await target.users.findByUsername("from-source"))?.id, 1);
    assert.equal(
      (await target.users.create({ username: "n", passwordHash: "h" })).id,
      2,
    );
  },
});

Deno.test({
  name:
    "deno task copy prints a per-table comparison and fails on a bad target",
  ignore,
  async fn() {
    await using board = await sqliteBoard();
    await using pg = await createDatabase("impulse_copy");
    {
      await using source = await openStorage(board.url);
      await seed(source);
    }
    const lines: string[] = [];
    const data: unknown[] = [];
    const out = {
      json: false,
      text: (line: string) => void lines.push(line),
      data: (value: unknown) => void data.push(value),
      progress: () => {},
      error: (line: string) => void lines.push(line),
    };
    assert.equal(
      await main(["copy", "--from", board.url, "--to", pg.url], out),
      0,
    );
    assert.match(lines.join("\n"), /messages\s+2,502 rows\s+checksum ok/);
    assert.equal(lines.at(-1), "copy ok");
    assert.equal(
      await main(["copy", "--from", board.url, "--to", pg.url, "--json"], {
        ...out,
        json: true,
      }),
      1,
    );
    assert.match(JSON.stringify(data), /already holds data/);
  },
});
