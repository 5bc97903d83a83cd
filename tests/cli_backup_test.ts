/**
 * `backup`, from its promises, as processes: a copy taken while another process writes is one
 * consistent moment of the database (both tables of each of the writer's transactions, or
 * neither), passes `PRAGMA integrity_check`, is readable by its owner only, replaces no file
 * without `--force`, shows its progress; a damaged database leaves no copy; PostgreSQL is
 * pointed to pg_dump and `copy`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { onlineCopy } from "../drivers/sqlite/backup_file.ts";
import { isStorageError } from "../mod.ts";
import { cliCommand, runCli, tempDir } from "./_cli.ts";

const WRITER = new URL("./_backup_writer.ts", import.meta.url).pathname;

/** Rows of 2000 random bytes in `filler`: some 100 MB, for a copy that takes a while. */
const FILLER_ROWS = 50_000;

/** A WAL database with tables `a`, `b` (which the writer fills) and `filler`. */
function makeBoard(path: string, fillerRows = FILLER_ROWS): void {
  const db = new DatabaseSync(path);
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE a (id INTEGER PRIMARY KEY, body BLOB);
    CREATE TABLE b (id INTEGER PRIMARY KEY, body BLOB);
    CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${fillerRows})
    INSERT INTO filler (body) SELECT randomblob(2000) FROM n;
  `);
  db.close();
}

function counts(path: string): { a: number; b: number; integrity: string } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const count = (table: string) =>
      Number(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n);
    return {
      a: count("a"),
      b: count("b"),
      integrity: String(
        db.prepare("PRAGMA integrity_check").get()!.integrity_check,
      ),
    };
  } finally {
    db.close();
  }
}

Deno.test("backup copies one consistent moment while another process writes, checked, mode 0600, with progress", async () => {
  await using dir = await tempDir();
  const file = `${dir}/board.db`;
  makeBoard(file);
  const writer = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", WRITER, file],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const lines = writer.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    assert.match((await lines.read()).value ?? "", /^ready/);
    const before = counts(file).a;
    // A backup that starts over at every write would never end: it must within a minute.
    const { code, stdout, stderr: err } = await runCli([
      "backup",
      "--db",
      `sqlite:${file}`,
      "--to",
      `${dir}/copy.db`,
      "--json",
    ], { signal: AbortSignal.timeout(60_000) });
    const after = counts(file).a;
    assert.equal(code, 0, err);
    const report = JSON.parse(stdout);
    assert.equal(report.integrity, "ok");
    assert.equal(report.to, `${dir}/copy.db`);
    const copy = counts(`${dir}/copy.db`);
    assert.equal(copy.integrity, "ok");
    assert.equal(copy.a, copy.b, "the copy holds whole transactions only");
    assert.ok(
      before <= copy.a && copy.a < after,
      `${before} ≤ ${copy.a} < ${after}`,
    );
    assert.equal((await Deno.stat(`${dir}/copy.db`)).mode! & 0o777, 0o600);
    // Progress went to standard error, as whole lines (not a terminal), at most one a second.
    const progress = err.split("\n").filter((line) =>
      line.startsWith("backing up")
    );
    assert.ok(progress.length >= 1, err);
    assert.ok(
      progress.every((line) =>
        /^backing up: [\d,]+ of [\d,]+ pages/.test(line)
      ),
      err,
    );
    assert.ok(progress.length <= Math.ceil(report.durationMs / 1000) + 1, err);
  } finally {
    writer.kill("SIGKILL");
    await writer.status;
  }
  const left = [];
  for await (const entry of Deno.readDir(String(dir))) left.push(entry.name);
  assert.ok(!left.some((name) => name.includes(".partial")), `${left}`);
});

Deno.test("backup into a directory that does not exist says to create it and leaves nothing", async () => {
  await using dir = await tempDir();
  makeBoard(`${dir}/board.db`, 10);
  const run = await runCli([
    "backup",
    "--db",
    `sqlite:${dir}/board.db`,
    "--to",
    `${dir}/missing/copy.db`,
  ]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(
    run.stderr,
    /^error: Cannot write the backup to .*missing\/copy\.db as the directory .*missing does not exist: create it first/,
  );
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((entry) => entry.name).sort(),
    ["board.db", "board.db-shm", "board.db-wal"].filter((name) => {
      try {
        Deno.statSync(`${dir}/${name}`);
        return true;
      } catch {
        return false;
      }
    }),
  );
});

Deno.test("backup refuses to replace a file without --force, and replaces it with --force", async () => {
  await using dir = await tempDir();
  makeBoard(`${dir}/board.db`, 10);
  await Deno.writeTextFile(`${dir}/copy.db`, "keep me");
  const args = [
    "backup",
    "--db",
    `sqlite:${dir}/board.db`,
    "--to",
    `${dir}/copy.db`,
  ];
  const refused = await runCli(args);
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(
    refused.stderr,
    /^error: Cannot write the backup to .*copy\.db as the file exists: pass --force to replace it\n$/,
  );
  assert.equal(await Deno.readTextFile(`${dir}/copy.db`), "keep me");
  const forced = await runCli([...args, "--force"]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(
    forced.stdout,
    /^backed up sqlite:.*board\.db -> .*copy\.db: .* MiB, integrity ok, in [\d.]+ s\n$/,
  );
  assert.equal(counts(`${dir}/copy.db`).integrity, "ok");
});

Deno.test("backup of a damaged database exits 1 and leaves no copy", async () => {
  await using dir = await tempDir();
  const file = `${dir}/board.db`;
  makeBoard(file, 200);
  {
    const db = new DatabaseSync(file);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE");
    db.close();
  }
  // Garbage over the middle of a table's pages: the file still opens, its b-tree is broken.
  using handle = await Deno.open(file, { read: true, write: true });
  const pages = (await handle.stat()).size / 4096;
  await handle.seek(Math.floor(pages / 2) * 4096, Deno.SeekMode.Start);
  await handle.write(new Uint8Array(4096).fill(0x5a));
  const run = await runCli([
    "backup",
    "--db",
    `sqlite:${file}`,
    "--to",
    `${dir}/copy.db`,
  ]);
  assert.equal(run.code, 1, `${run.stdout}${run.stderr}`);
  assert.match(
    run.stderr,
    /^error: Cannot keep the backup as its integrity check failed/m,
  );
  const left = [];
  for await (const entry of Deno.readDir(String(dir))) left.push(entry.name);
  assert.deepEqual(left.sort(), ["board.db"]);
});

Deno.test("backup of PostgreSQL points to pg_dump and copy, exit 2, from --db or DATABASE_URL", async () => {
  await using dir = await tempDir();
  for (
    const [args, env] of [
      [["--db", "postgres://board@127.0.0.1/board"], {}],
      [[], { DATABASE_URL: "postgresql://board@127.0.0.1/board" }],
    ] as const
  ) {
    const run = await runCli(["backup", ...args, "--to", `${dir}/copy.db`], {
      env,
    });
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /^error: Cannot back up a PostgreSQL database with this command: use pg_dump .*, or copy it to a SQLite file with deno task copy --from <url> --to sqlite:<file>: see deno task backup --help\n$/,
    );
  }
  assert.deepEqual(await Array.fromAsync(Deno.readDir(String(dir))), []);
});

/** A board with a row in `a` and in `b`, and the empty file the copy goes into. */
async function vacuumCase(dir: string): Promise<void> {
  makeBoard(`${dir}/board.db`, 10);
  const db = new DatabaseSync(`${dir}/board.db`);
  db.exec(
    "INSERT INTO a (body) VALUES (x'01'); INSERT INTO b (body) VALUES (x'02')",
  );
  db.close();
  (await Deno.open(`${dir}/copy.db`, { createNew: true, write: true })).close();
}

/** Whether this process may ATTACH (Deno allows it with every permission only). */
function attachAllowed(): boolean {
  const db = new DatabaseSync(":memory:");
  try {
    db.exec("ATTACH ':memory:' AS other");
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

Deno.test("onlineCopy() without node:sqlite's backup copies with VACUUM INTO, in a process with every permission", async () => {
  await using dir = await tempDir();
  await vacuumCase(String(dir));
  const script = `
    import { onlineCopy } from ${
    JSON.stringify(
      new URL("../drivers/sqlite/backup_file.ts", import.meta.url).href,
    )
  };
    const seen = [];
    const pages = await onlineCopy(${JSON.stringify(`${dir}/board.db`)}, ${
    JSON.stringify(`${dir}/copy.db`)
  }, (_, done) => void seen.push(done), null);
    console.log(JSON.stringify({ pages, seen }));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const { pages, seen } = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.ok(pages > 0);
  assert.deepEqual(seen, [0, pages]);
  assert.deepEqual(counts(`${dir}/copy.db`), { a: 1, b: 1, integrity: "ok" });
});

Deno.test("onlineCopy() without node:sqlite's backup and without every permission fails as unavailable, naming --allow-all", async () => {
  await using dir = await tempDir();
  await vacuumCase(String(dir));
  const copy = onlineCopy(`${dir}/board.db`, `${dir}/copy.db`, () => {}, null);
  if (attachAllowed()) {
    // Run with --allow-all: the copy is made.
    assert.ok(await copy > 0);
    assert.deepEqual(counts(`${dir}/copy.db`), { a: 1, b: 1, integrity: "ok" });
    return;
  }
  await assert.rejects(copy, (error: unknown) => {
    assert.ok(isStorageError(error, "unavailable"), String(error));
    assert.match(error.message, /--allow-all/);
    return true;
  });
});

Deno.test("backup refuses the database's own -wal, -shm and -journal files and a directory as --to, --force or not, and the board stays whole", async () => {
  await using dir = await tempDir();
  const file = `${dir}/board.db`;
  makeBoard(file, 10);
  // A reader keeps the -wal and -shm files there, as a running board does.
  const reader = new DatabaseSync(file);
  try {
    reader.prepare("SELECT count(*) FROM filler").get();
    await Deno.symlink(file, `${dir}/link.db`);
    await Deno.mkdir(`${dir}/backups`);
    const cases: [string, RegExp][] = [
      [`${file}-wal`, /onto its own wal file/],
      [`${file}-shm`, /onto its own shm file/],
      [`${file}-journal`, /onto its own journal file/],
      [`${dir}/./board.db`, /onto itself/],
      [`${dir}/backups`, /as it is a directory: give --to a file's name/],
    ];
    // The database named through a symbolic link: its -wal is still the real file's.
    cases.push([`${file}-wal`, /onto its own wal file/]);
    for (const [index, [to, message]] of cases.entries()) {
      const db = index === cases.length - 1 ? `${dir}/link.db` : file;
      for (const force of [[], ["--force"]]) {
        const run = await runCli([
          "backup",
          "--db",
          `sqlite:${db}`,
          "--to",
          to,
          ...force,
        ]);
        assert.equal(run.code, 2, `${to} ${force}: ${run.stderr}`);
        assert.match(run.stderr, message, `${to} ${force}`);
      }
    }
    assert.equal(counts(file).integrity, "ok");
    assert.equal(
      Number(reader.prepare("SELECT count(*) AS n FROM filler").get()!.n),
      10,
    );
  } finally {
    reader.close();
  }
});

Deno.test("backup of a file that is no database names it as validation and leaves no copy", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir}/notes.txt`, "not a database\n".repeat(400));
  const run = await runCli([
    "backup",
    "--db",
    `sqlite:${dir}/notes.txt`,
    "--to",
    `${dir}/copy.db`,
  ]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(
    run.stderr,
    /^error: Cannot back up .*notes\.txt as it is not a SQLite database .*: name a database file with --db sqlite:<path>\n$/,
  );
  assert.deepEqual(
    [...Deno.readDirSync(dir)].map((entry) => entry.name),
    ["notes.txt"],
  );
});

Deno.test("backup stopped by SIGTERM or SIGINT mid-copy removes its partial copy and exits 143 or 130", async () => {
  await using dir = await tempDir();
  const file = `${dir}/board.db`;
  makeBoard(file);
  for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
    const child = cliCommand(
      [
        "backup",
        "--db",
        `sqlite:${file}`,
        "--to",
        `${dir}/copy.db`,
      ],
      {},
      "null",
    ).spawn();
    // Stopped once the partial copy holds pages, well before 100 MB are copied.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const size = await Deno.stat(`${dir}/copy.db.partial`).then(
        (info) => info.size,
        () => 0,
      );
      if (size > 0) break;
      await new Promise((done) => setTimeout(done, 5));
    }
    child.kill(signal);
    const status = await child.status;
    assert.equal(status.code, code, `${signal}: ${status.code}`);
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((entry) => entry.name)
        .filter((name) => name.startsWith("copy.db")),
      [],
      signal,
    );
  }
});
