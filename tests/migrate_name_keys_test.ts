/**
 * Migration 0010 recomputes the keys of usernames and area tags under the full case fold,
 * keeps both rows of every pair that became one name, reports each pair, and goes down and up
 * again without losing anything: issue 10, item 13.
 */
import assert from "node:assert/strict";
import { isStorageError, openStorage } from "../mod.ts";
import { main } from "../src/cli/mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import {
  capture,
  persistentTest,
  runMigrate,
  type Snapshot,
  snapshot,
  withSql,
} from "./_migrate.ts";

/** The fold of version 9: NFKC and lower case. */
const oldKey = (name: string) =>
  name.normalize("NFKC").toLowerCase().normalize("NFKC");

const USERS = ["STRASSE", "straße", "ΟΔΟΣ", "οδοσ", "Alice", "\u3164"];
const TAGS = ["STRASSE", "straße", "GENERAL"];

/** A database at version 9 holding names that the old fold kept apart, written as 9 wrote them. */
async function boardAtNine(url: string): Promise<void> {
  {
    await using migrator = await openMigrator(url);
    await migrator.to(9);
  }
  await withSql(url, async (sql) => {
    for (const name of USERS) {
      await sql.all(
        "INSERT INTO users (username, username_key, password_hash, created_at, updated_at) " +
          "VALUES (?, ?, 'h', 1, 1)",
        [name, oldKey(name)],
      );
    }
    for (const tag of TAGS) {
      for (const table of ["message_areas", "file_areas"]) {
        await sql.all(
          `INSERT INTO ${table} (tag, tag_key, name, created_at) VALUES (?, ?, 'Area', 1)`,
          [tag, oldKey(tag)],
        );
      }
    }
  });
}

/** The rows of the keyed tables, each table sorted, to compare two states exactly. */
async function keyed(url: string): Promise<Snapshot> {
  const all = await snapshot(url);
  const sorted: Snapshot = {};
  for (const table of ["users", "message_areas", "file_areas"]) {
    sorted[table] = [...all[table]!].sort((a, b) =>
      Number(a.id) - Number(b.id)
    );
  }
  return sorted;
}

const PAIRS = [
  ["users", [1, 2], ["STRASSE", "straße"]],
  ["users", [3, 4], ["ΟΔΟΣ", "οδοσ"]],
  ["message_areas", [1, 2], ["STRASSE", "straße"]],
  ["file_areas", [1, 2], ["STRASSE", "straße"]],
] as const;

persistentTest(
  "migration 0010 keeps both users of a name that became one, reports them, and cycles losslessly",
  async (fresh) => {
    await boardAtNine(fresh.url);
    const atNine = await keyed(fresh.url);
    await using migrator = await openMigrator(fresh.url);
    // Up to 0010 only: later migrations leave no notes of their own.
    const [step, ...more] = await migrator.up({ to: 10 });
    assert.equal(more.length, 0);
    assert.equal(step?.version, 10);
    for (const [table, ids, names] of PAIRS) {
      const note = step!.notes.find((n) =>
        n.table === table && n.ids.join() === ids.join()
      );
      assert.ok(note, `a note on ${table} ${ids}`);
      for (const part of [...ids.map(String), ...names, "rename"]) {
        assert.ok(note.message.includes(part), `${note.message} names ${part}`);
      }
    }
    const refused = step!.notes.find((n) => n.ids.join() === "6");
    assert.match(refused!.message, /refused by this release.*rename/);
    assert.equal(step!.notes.length, 5);
    assert.deepEqual(
      (await migrator.notes()).map((n) => [n.version, n.table, n.ids]),
      step!.notes.map((n) => [10, n.table, n.ids]),
      "the notes are kept in the database",
    );

    // The later migrations, which the storage needs (they change no key).
    await migrator.up();
    const applied = await keyed(fresh.url);
    assert.equal(applied.users!.length, USERS.length, "no user is lost");
    {
      await using s = await openStorage(fresh.url, { migrate: "check" });
      // Every spelling finds the earlier user; the later one answers to none until renamed.
      for (const name of ["STRASSE", "straße", "Strasse", "STRAẞE"]) {
        assert.equal((await s.users.findByUsername(name))?.id, 1, name);
      }
      for (const name of ["ΟΔΟΣ", "οδοσ", "οδος"]) {
        assert.equal((await s.users.findByUsername(name))?.id, 3, name);
      }
      assert.equal((await s.users.get(2))?.username, "straße");
      assert.equal((await s.users.get(4))?.username, "οδοσ");
      assert.equal((await s.users.findByUsername("alice"))?.id, 5);
      const error = await s.users.create({
        username: "strasse",
        passwordHash: "h",
      })
        .catch((e) => e);
      assert.ok(isStorageError(error, "conflict"), String(error));
    }

    const down = await migrator.to(9);
    assert.equal(down.at(-1)?.version, 10);
    assert.deepEqual(
      await keyed(fresh.url),
      atNine,
      "down restores version 9's keys",
    );
    assert.deepEqual(
      await migrator.notes(),
      [],
      "a reverted migration keeps no notes",
    );
    const [again] = await migrator.up();
    assert.deepEqual(
      await keyed(fresh.url),
      applied,
      "up again gives the same keys",
    );
    assert.equal(again?.notes.length, 5);

    await using s = await openStorage(fresh.url, { migrate: "check" });
    const renamed = await s.users.update(2, { username: "Straße Zwei" });
    assert.equal(
      (await s.users.findByUsername("STRASSE ZWEI"))?.id,
      renamed.id,
    );
    assert.equal((await s.users.findByUsername("straße"))?.id, 1);
  },
);

persistentTest(
  "migration 0010 applied by openStorage leaves its notes for migrate status",
  async (fresh) => {
    await boardAtNine(fresh.url);
    await (await openStorage(fresh.url)).close();
    const text = capture();
    assert.equal(
      await main(["migrate", "status", "--db", fresh.url], text.out),
      0,
    );
    const shown = text.lines.join("\n");
    assert.match(shown, /notes left by applied migrations/);
    assert.match(
      shown,
      /0010 The users 1 "STRASSE" and 2 "straße" .*rename one/,
    );
    const json = capture(true);
    await main(["migrate", "status", "--json", "--db", fresh.url], json.out);
    const { notes } = json.data[0] as { notes: { ids: number[] }[] };
    assert.deepEqual(notes.map((n) => n.ids), [[1, 2], [3, 4], [1, 2], [1, 2], [
      6,
    ]]);
  },
);

persistentTest(
  "deno task migrate up prints each collision under its step, in text and JSON",
  async (fresh) => {
    await boardAtNine(fresh.url);
    const run = await runMigrate(["to", "10", "--db", fresh.url, "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      steps: { version: number; notes: { ids: number[]; message: string }[] }[];
    };
    assert.deepEqual(report.steps.map((s) => s.version), [10]);
    assert.deepEqual(
      report.steps[0]!.notes.map((n) => n.ids),
      [[1, 2], [3, 4], [1, 2], [1, 2], [6]],
    );
    await runMigrate(["down", "--db", fresh.url]);
    const text = await runMigrate(["to", "10", "--db", fresh.url]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /applied {2}0010 name_keys in \d+ ms\n {2}note: The users 1 "STRASSE" and 2 "straße"/,
    );
  },
);
