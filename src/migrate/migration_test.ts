import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { StorageError } from "../errors.ts";
import {
  checksum,
  fileName,
  isNoTransaction,
  loadMigrations,
  type MigrationFile,
  pairMigrations,
} from "./migration.ts";
import { createMigration } from "./mod.ts";

function files(names: Record<string, string>): MigrationFile[] {
  return Object.entries(names).map(([name, text]) => ({ name, text }));
}

function assertMigrationError(
  fn: () => unknown,
  version: number,
  pattern: RegExp,
): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StorageError);
    assert.equal(error.kind, "migration");
    assert.equal(error.version, version);
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("pairMigrations() pairs up and down files sorted by version", () => {
  const migrations = pairMigrations(files({
    "0002_add_tags.down.sql": "DROP TABLE tags;",
    "0001_create_notes.up.sql": "CREATE TABLE notes (id INTEGER);",
    "0002_add_tags.up.sql": "CREATE TABLE tags (id INTEGER);",
    "0001_create_notes.down.sql": "DROP TABLE notes;",
    "README.md": "ignored",
    "0003_draft.sql": "ignored: no direction",
  }));
  assert.deepEqual(
    migrations.map((m) => [m.version, m.name, m.up, m.down]),
    [
      [
        1,
        "create_notes",
        "CREATE TABLE notes (id INTEGER);",
        "DROP TABLE notes;",
      ],
      [2, "add_tags", "CREATE TABLE tags (id INTEGER);", "DROP TABLE tags;"],
    ],
  );
  assert.equal(migrations[0]!.checksum, checksum(migrations[0]!.up));
});

Deno.test("pairMigrations() refuses a duplicate version, naming it", () => {
  assertMigrationError(
    () =>
      pairMigrations(files({
        "0007_create_notes.up.sql": "",
        "0007_create_notes.down.sql": "",
        "0007_create_tags.up.sql": "",
        "0007_create_tags.down.sql": "",
      })),
    7,
    /Duplicate migration version 7: "create_notes" and "create_tags"/,
  );
});

Deno.test("pairMigrations() refuses a file meant as a migration whose name is not NNNN_name, rather than leave it out", () => {
  for (
    const name of [
      "1e3_notes.up.sql",
      "0x10_notes.up.sql",
      "0002_two words.down.sql",
      "0003_notes.UP.sql",
      "notes.down.sql",
      "0004-notes.up.sql",
    ]
  ) {
    assert.throws(
      () =>
        pairMigrations(files({
          "0001_create_notes.up.sql": "CREATE TABLE notes (id INTEGER);",
          "0001_create_notes.down.sql": "DROP TABLE notes;",
          [name]: "CREATE TABLE tags (id INTEGER);",
        })),
      (error: unknown) =>
        error instanceof StorageError && error.kind === "migration" &&
        error.message.includes(JSON.stringify(name)) &&
        error.message.includes("rename it"),
      name,
    );
  }
  // Files not meant as migrations are left alone.
  const set = pairMigrations(files({
    "0001_create_notes.up.sql": "CREATE TABLE notes (id INTEGER);",
    "0001_create_notes.down.sql": "DROP TABLE notes;",
    "README.md": "# notes",
    "0002_notes.sql": "",
    "seed.up.sql.bak": "",
  }));
  assert.deepEqual(set.map((m) => m.version), [1]);
});

Deno.test("pairMigrations() refuses one version written with two paddings", () => {
  assertMigrationError(
    () =>
      pairMigrations(files({
        "0003_notes.up.sql": "",
        "3_notes.up.sql": "",
        "0003_notes.down.sql": "",
      })),
    3,
    /Duplicate migration version 3/,
  );
});

Deno.test("pairMigrations() refuses an up without its down, naming the file to add", () => {
  assertMigrationError(
    () =>
      pairMigrations(files({
        "0001_notes.up.sql": "",
        "0001_notes.down.sql": "",
        "0002_tags.up.sql": "CREATE TABLE tags (id INTEGER);",
      })),
    2,
    /Migration 2 \(tags\) has no down file: add 0002_tags\.down\.sql/,
  );
});

Deno.test("pairMigrations() refuses a down without its up", () => {
  assertMigrationError(
    () => pairMigrations(files({ "0004_tags.down.sql": "" })),
    4,
    /Migration 4 \(tags\) has no up file: add 0004_tags\.up\.sql/,
  );
});

Deno.test("pairMigrations() refuses version 0", () => {
  assertMigrationError(
    () => pairMigrations(files({ "0000_x.up.sql": "", "0000_x.down.sql": "" })),
    0,
    /must be a positive integer: got 0/,
  );
});

Deno.test("checksum() ignores CRLF line endings and nothing else", () => {
  const lf = "CREATE TABLE notes (\n  id INTEGER\n);\n";
  const crlf = lf.replaceAll("\n", "\r\n");
  assert.equal(checksum(crlf), checksum(lf));
  assert.match(checksum(lf), /^[0-9a-f]{64}$/);
  assert.notEqual(checksum(lf), checksum(lf.replace("id", "ID")));
  assert.notEqual(checksum(lf), checksum(lf + "\n"));
  assert.equal(
    checksum(""),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});

Deno.test("isNoTransaction() detects the marker on the first line only", () => {
  assert.ok(isNoTransaction("-- no-transaction\nVACUUM;"));
  assert.ok(isNoTransaction("--no-transaction\r\nVACUUM;"));
  assert.ok(isNoTransaction("--   no-transaction   \nVACUUM;"));
  assert.ok(isNoTransaction("-- no-transaction"));
  assert.ok(!isNoTransaction("VACUUM;\n-- no-transaction\n"));
  assert.ok(!isNoTransaction("-- no-transactions\nVACUUM;"));
  assert.ok(!isNoTransaction("-- no-transaction please\nVACUUM;"));
  assert.ok(!isNoTransaction(""));
});

Deno.test("fileName() pads the version to four digits", () => {
  assert.equal(fileName(1, "create_users", "up"), "0001_create_users.up.sql");
  assert.equal(fileName(12345, "x", "down"), "12345_x.down.sql");
});

Deno.test("loadMigrations() prefers the dialect's sub-folder and reads CRLF files alike", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-migration-test-" });
  try {
    await Deno.mkdir(`${dir}/sqlite`);
    await Deno.mkdir(`${dir}/postgres`);
    await Deno.writeTextFile(`${dir}/sqlite/0001_a.up.sql`, "A;\r\nB;\r\n");
    await Deno.writeTextFile(`${dir}/sqlite/0001_a.down.sql`, "C;\n");
    await Deno.writeTextFile(`${dir}/postgres/0001_b.up.sql`, "X;\n");
    await Deno.writeTextFile(`${dir}/postgres/0001_b.down.sql`, "Y;\n");
    const sqlite = await loadMigrations(dir, "sqlite");
    assert.deepEqual(sqlite.map((m) => m.name), ["a"]);
    assert.equal(sqlite[0]!.checksum, checksum("A;\nB;\n"));
    const postgres = await loadMigrations(dir, "postgres");
    assert.deepEqual(postgres.map((m) => m.name), ["b"]);
    assert.deepEqual(await loadMigrations(`${dir}/sqlite`, "postgres"), sqlite);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadMigrations() refuses a missing directory, naming it", async () => {
  await assert.rejects(
    loadMigrations("/nonexistent/impulse-migrations", "sqlite"),
    (error: unknown) => {
      assert.ok(error instanceof StorageError);
      assert.equal(error.kind, "migration");
      assert.match(
        error.message,
        /Cannot read the migration directory: \/nonexistent\/impulse-migrations/,
      );
      return true;
    },
  );
});

Deno.test("createMigration() numbers after the newest migration of the directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-migration-test-" });
  try {
    const first = await createMigration(`${dir}/set`, "create_notes");
    assert.deepEqual(first, [
      `${dir}/set/0001_create_notes.up.sql`,
      `${dir}/set/0001_create_notes.down.sql`,
    ]);
    await Deno.writeTextFile(`${dir}/set/0041_skip.up.sql`, "");
    await Deno.writeTextFile(`${dir}/set/0041_skip.down.sql`, "");
    const next = await createMigration(`${dir}/set`, "add-tags");
    assert.deepEqual(next, [
      `${dir}/set/0042_add-tags.up.sql`,
      `${dir}/set/0042_add-tags.down.sql`,
    ]);
    const loaded = await loadMigrations(`${dir}/set`, "sqlite");
    assert.deepEqual(loaded.map((m) => m.version), [1, 41, 42]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createMigration() writes one version into every dialect sub-folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-migration-test-" });
  try {
    await Deno.mkdir(`${dir}/sqlite`);
    await Deno.mkdir(`${dir}/postgres`);
    await Deno.writeTextFile(`${dir}/sqlite/0003_x.up.sql`, "");
    await Deno.writeTextFile(`${dir}/sqlite/0003_x.down.sql`, "");
    const written = await createMigration(dir, "tags");
    assert.deepEqual(written.sort(), [
      `${dir}/postgres/0004_tags.down.sql`,
      `${dir}/postgres/0004_tags.up.sql`,
      `${dir}/sqlite/0004_tags.down.sql`,
      `${dir}/sqlite/0004_tags.up.sql`,
    ]);
    assert.deepEqual(
      (await loadMigrations(dir, "postgres")).map((m) => m.version),
      [4],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createMigration() refuses a bad name and writes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-migration-test-" });
  try {
    await assert.rejects(
      createMigration(dir, "drop users"),
      (error: unknown) =>
        error instanceof StorageError && error.kind === "validation" &&
        error.field === "name",
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const OLD = checksum("CREATE TABLE notes (id INTEGER);\n");
const OLDER = checksum("CREATE TABLE notes (id BIGINT);\n");

Deno.test("pairMigrations() reads -- accepts checksum lines of an up file's opening comments, left out of its checksum", () => {
  const body = "-- Notes.\nCREATE TABLE notes (id INTEGER, body TEXT);\n";
  const up = `-- accepts checksum ${OLD}\r\n-- accepts checksum ${OLDER}\n` +
    `-- accepts checksum ${OLD}\n${body}`;
  const [m] = pairMigrations(files({
    "0001_notes.up.sql": up,
    "0001_notes.down.sql": "DROP TABLE notes;",
  }));
  assert.deepEqual(m!.acceptedChecksums, [OLD, OLDER]);
  // Naming an earlier checksum does not change the migration's own.
  assert.equal(m!.checksum, checksum(body));
  assert.equal(checksum(up), checksum(body));
  // A file without accepts lines has none, and its checksum is as before.
  const [plain] = pairMigrations(files({
    "0001_notes.up.sql": body,
    "0001_notes.down.sql": "DROP TABLE notes;",
  }));
  assert.equal(plain!.acceptedChecksums, undefined);
  assert.equal(
    plain!.checksum,
    createHash("sha256").update(body).digest("hex"),
  );
});

Deno.test("pairMigrations() refuses a malformed or misplaced accepts line, naming the version and the line", () => {
  const malformed = [
    `-- accepts checksum ${OLD.toUpperCase()}`,
    `-- accepts checksum ${OLD.slice(1)}`,
    `-- accepts checksum ${OLD}0`,
    `-- accepts checksum ${OLD} `,
    `-- accepts checksum ${OLD.slice(0, -1)}g`,
    `--accepts checksum ${OLD}`,
    `-- accepts  checksum ${OLD}`,
    `-- Accepts checksum ${OLD}`,
    `-- accept checksum ${OLD}`,
    `-- accepts checksums ${OLD}`,
    `-- accepts checksum sha256:${OLD}`,
    `-- accepts checksum ${OLD}, ${OLDER}`,
    "-- accepts checksum",
    `  -- accepts checksum ${OLD}`,
  ];
  for (const line of malformed) {
    assertMigrationError(
      () =>
        pairMigrations(files({
          "0004_notes.up.sql": `${line}\nCREATE TABLE notes (id INTEGER);\n`,
          "0004_notes.down.sql": "DROP TABLE notes;",
        })),
      4,
      /^Migration 4: the accepts line 1 is malformed: write it as -- accepts checksum <64 lower-case hex digits>: got /,
    );
  }
  // After the first statement it would be part of the script: refused, not skipped.
  assertMigrationError(
    () =>
      pairMigrations(files({
        "0004_notes.up.sql":
          `-- Notes.\n\nCREATE TABLE notes (id INTEGER);\n-- accepts checksum ${OLD}\n`,
        "0004_notes.down.sql": "DROP TABLE notes;",
      })),
    4,
    /^Migration 4: the accepts line 4 stands after the opening comments/,
  );
  // Other comments that merely mention accepting are left alone.
  const [m] = pairMigrations(files({
    "0004_notes.up.sql":
      "-- accepts any body text\n-- Accepts: nothing\nCREATE TABLE notes (id INTEGER);\n",
    "0004_notes.down.sql": "DROP TABLE notes;",
  }));
  assert.equal(m!.acceptedChecksums, undefined);
});

Deno.test("checksum() leaves out only well-formed accepts lines of the opening comments", () => {
  const body = "CREATE TABLE notes (id INTEGER);\n";
  assert.equal(checksum(`-- accepts checksum ${OLD}\n${body}`), checksum(body));
  assert.notEqual(
    checksum(`-- accepts checksum ${OLD.toUpperCase()}\n${body}`),
    checksum(body),
  );
  assert.notEqual(
    checksum(`${body}-- accepts checksum ${OLD}\n`),
    checksum(body),
  );
});

Deno.test("loadMigrations() refuses a directory that is not a path or a dialect that is not a name as validation", async () => {
  for (
    const [dir, dialect, field] of [
      [null, "sqlite", "dir"],
      [42, "sqlite", "dir"],
      ["", "sqlite", "dir"],
      ["/tmp/set\0", "sqlite", "dir"],
      ["/tmp", null, "dialect"],
      ["/tmp", "../etc", "dialect"],
      ["/tmp", "", "dialect"],
    ] as const
  ) {
    await assert.rejects(
      // deno-lint-ignore no-explicit-any
      () => loadMigrations(dir as any, dialect as any),
      (error: unknown) =>
        error instanceof StorageError && error.kind === "validation" &&
        error.field === field,
      `loadMigrations(${JSON.stringify(dir)}, ${JSON.stringify(dialect)})`,
    );
  }
});
