import assert from "node:assert/strict";
import { main } from "../src/cli/mod.ts";
import { runCli, tempDir } from "./_cli.ts";
import { manifest } from "../migrations/mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import {
  capture,
  type CliRun,
  PERSISTENT,
  runMigrate,
  sqlQuery,
  tempSet,
} from "./_migrate.ts";

const OWN = manifest.sqlite!;
/** A version past the newest: `migrate to` refuses it. */
const MISSING = OWN.at(-1)!.version + 1;

/** A migration as the CLI names it: `0004 create_sessions`. */
function label(m: { version: number; name: string }): string {
  return `${String(m.version).padStart(4, "0")} ${m.name}`;
}

/** A temp dir and a SQLite URL inside it; removed on dispose. */
async function tempDb() {
  const dir = await Deno.makeTempDir({ prefix: "impulse-cli-test-" });
  return {
    dir,
    url: `sqlite:${dir}/board.db`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Creates an empty database at `url` (reading commands never create one). */
async function createEmpty(url: string): Promise<void> {
  await (await openMigrator(url)).close();
}

/** Asserts a failed run printed one `error: …` line on stderr, no stack, and nothing else. */
function assertOneLineError(
  run: CliRun,
  code: number,
  pattern: RegExp,
  what = "",
): void {
  assert.equal(run.code, code, `${what}: ${run.stdout}${run.stderr}`);
  assert.equal(run.stdout, "");
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, run.stderr);
  assert.match(lines[0]!, /^error: [A-Z]/);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(run.stderr, /\bat .*\.ts:\d+|Stack|Uncaught/);
}

Deno.test("migrate with no arguments migrates the default database and prints its status", async () => {
  await using tmp = await tempDb();
  const run = await runMigrate([], {
    cwd: tmp.dir,
    env: { IMPULSE_DATABASE_URL: "" },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, "");
  const lines = run.stdout.trimEnd().split("\n");
  assert.deepEqual(
    lines.slice(0, OWN.length).map((l) => l.replace(/ in \d+ ms$/, "")),
    OWN.map((m) => `applied  ${label(m)}`),
  );
  assert.equal(lines[OWN.length], "migrations of sqlite:./data/impulse.db:");
  const stamp = String.raw`\d{4}-\d\d-\d\dT[\d:.]+Z +\d+ ms`;
  for (const [i, m] of OWN.entries()) {
    assert.match(
      lines[OWN.length + 1 + i]!,
      new RegExp(`^  ${label(m)} +applied +${stamp} +checksum ok$`),
    );
  }
  assert.ok((await Deno.stat(`${tmp.dir}/data/impulse.db`)).isFile);
  const again = await runMigrate([], {
    cwd: tmp.dir,
    env: { IMPULSE_DATABASE_URL: "" },
  });
  assert.equal(again.code, 0);
  assert.match(again.stdout, /^nothing to do\n/);
});

Deno.test("migrate uses IMPULSE_DATABASE_URL when --db is absent", async () => {
  await using tmp = await tempDb();
  const run = await runMigrate(["up"], {
    cwd: tmp.dir,
    env: { IMPULSE_DATABASE_URL: tmp.url },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    new RegExp(
      `^migrations of ${tmp.url} \\(from IMPULSE_DATABASE_URL\\):$`,
      "m",
    ),
  );
  assert.ok((await Deno.stat(`${tmp.dir}/board.db`)).isFile);
  await assert.rejects(Deno.stat(`${tmp.dir}/data`));
});

Deno.test("deno task migrate runs with the task's own permissions", async () => {
  await using tmp = await tempDb();
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "migrate", "up", "--db", tmp.url],
    cwd: new URL("..", import.meta.url).pathname,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.match(text, new RegExp(`applied {2}${label(OWN.at(-1)!)}`));
});

Deno.test("migrate status --json prints the status as JSON", async () => {
  await using tmp = await tempDb();
  await createEmpty(tmp.url);
  const run = await runMigrate(["status", "--json", "--db", tmp.url]);
  assert.equal(run.code, 0, run.stderr);
  const parsed = JSON.parse(run.stdout);
  assert.deepEqual(
    parsed,
    {
      status: OWN.map((m) => ({
        version: m.version,
        name: m.name,
        state: "pending",
        appliedAt: null,
        durationMs: null,
        checksumOk: null,
      })),
      notes: [],
    },
  );
  const up = JSON.parse(
    (await runMigrate(["up", "--json", "--db", tmp.url])).stdout,
  );
  assert.deepEqual(
    up.steps.map((s: { version: number }) => s.version),
    OWN.map((m) => m.version),
  );
  for (const line of up.status) {
    assert.equal(line.state, "applied");
    assert.equal(line.checksumOk, true);
    assert.ok(!Number.isNaN(Date.parse(line.appliedAt)));
  }
});

Deno.test("migrate status --exit-code exits 1 while anything is pending or drifted", async () => {
  await using tmp = await tempDb();
  await using set = await tempSet({
    "0001_notes.up.sql": "CREATE TABLE notes (id INTEGER);\n",
    "0001_notes.down.sql": "DROP TABLE notes;\n",
  });
  await createEmpty(tmp.url);
  const [pending, plain] = await Promise.all([
    runMigrate(["status", "--exit-code", "--db", tmp.url]),
    runMigrate(["status", "--db", tmp.url]),
  ]);
  assert.equal(pending.code, 1);
  assert.match(pending.stdout, /^ {2}0001 create_users +pending$/m);
  assert.equal(plain.code, 0);
  {
    await using own = await openMigrator(tmp.url);
    await own.up();
    await using app = await openMigrator(tmp.url, { dir: set.dir });
    await app.up();
  }
  await set.write({ "0001_notes.up.sql": "CREATE TABLE notes (id BIGINT);\n" });
  const [current, drifted] = await Promise.all([
    runMigrate(["status", "--exit-code", "--db", tmp.url]),
    runMigrate(["status", "--exit-code", "--dir", set.dir, "--db", tmp.url]),
  ]);
  assert.equal(current.code, 0, current.stdout);
  assert.equal(drifted.code, 1);
  assert.match(drifted.stdout, /0001 notes +changed .* checksum CHANGED$/m);
});

Deno.test("migrate down --steps 2 reverts the two newest migrations", async () => {
  await using tmp = await tempDb();
  {
    await using migrator = await openMigrator(tmp.url);
    await migrator.up();
  }
  const [third, second, newest] = OWN.slice(-3).map(label);
  const run = await runMigrate([
    "down",
    "--steps",
    "2",
    "--yes",
    "--db",
    tmp.url,
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    new RegExp(
      `^reverted ${newest} in \\d+ ms\nreverted ${second} in \\d+ ms\n(?!reverted)`,
    ),
  );
  assert.match(run.stdout, new RegExp(`${third} +applied`));
  assert.match(run.stdout, new RegExp(`${second} +pending`));
  assert.match(run.stdout, new RegExp(`${newest} +pending`));
  const one = await runMigrate(["down", "--db", tmp.url]);
  assert.match(
    one.stdout,
    new RegExp(`^reverted ${third} in \\d+ ms\n(?!reverted)`),
  );
});

Deno.test("migrate down refuses a step that would lose data, and --force reverts it after printing the backup's path", async () => {
  await using tmp = await tempDb();
  await using set = await tempSet({
    "0001_notes.up.sql":
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n",
    "0001_notes.down.sql": "DROP TABLE notes;\n",
  });
  const args = ["down", "--dir", set.dir, "--db", tmp.url];
  assert.equal(
    (await runMigrate(["up", "--dir", set.dir, "--db", tmp.url])).code,
    0,
  );
  await sqlQuery(tmp.url, "INSERT INTO notes (id, body) VALUES (1, 'keep')");
  assertOneLineError(
    await runMigrate(args),
    1,
    /^error: Cannot revert migration 1 \(notes\) of set "app" as .*: notes\.id: 1 row gone; notes\.body: 1 row gone: nothing was reverted: .*pass --force/,
  );
  assert.deepEqual(await sqlQuery(tmp.url, "SELECT body FROM notes"), [{
    body: "keep",
  }]);
  const forced = await runMigrate([...args, "--force", "--json"]);
  assert.equal(forced.code, 0, forced.stderr);
  const { steps, backup } = JSON.parse(forced.stdout);
  assert.deepEqual(steps.map((s: { version: number }) => s.version), [1]);
  assert.match(backup, /\/board\.db\.before-down-app-0001-\d{8}T\d{9}Z$/);
  assert.deepEqual(
    await sqlQuery(`sqlite:${backup}`, "SELECT body FROM notes"),
    [{ body: "keep" }],
  );
  await assert.rejects(sqlQuery(tmp.url, "SELECT body FROM notes"));
  await runMigrate(["up", "--dir", set.dir, "--db", tmp.url]);
  await sqlQuery(tmp.url, "INSERT INTO notes (id, body) VALUES (2, 'again')");
  const text = await runMigrate([...args, "--force"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    /^backup copy written to .*\/board\.db\.before-down-app-0001-\d{8}T\d{9}Z\nreverted 0001 notes in \d+ ms\n/,
  );
});

Deno.test("migrate to 0 reverts everything and to <version> migrates up", async () => {
  await using tmp = await tempDb();
  const up = await runMigrate(["to", "3", "--db", tmp.url]);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout.match(/^applied /gm)?.length, 3);
  const zero = await runMigrate(["to", "0", "--yes", "--db", tmp.url]);
  assert.equal(zero.code, 0, zero.stderr);
  assert.equal(zero.stdout.match(/^reverted /gm)?.length, 3);
  assert.equal(zero.stdout.match(/ pending$/gm)?.length, OWN.length);
});

Deno.test("migrate new <name> --dir creates numbered up and down files", async () => {
  await using set = await tempSet({});
  const first = await runMigrate(["new", "create_notes", "--dir", set.dir]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(
    first.stdout,
    `created ${set.dir}/0001_create_notes.up.sql\ncreated ${set.dir}/0001_create_notes.down.sql\n`,
  );
  const second = capture(true);
  assert.equal(
    await main(
      ["migrate", "new", "add_tags", "--dir", set.dir, "--json"],
      second.out,
    ),
    0,
  );
  assert.deepEqual(second.data, [{
    written: [
      `${set.dir}/0002_add_tags.up.sql`,
      `${set.dir}/0002_add_tags.down.sql`,
    ],
  }]);
  const names = [...Deno.readDirSync(set.dir)].map((e) => e.name).sort();
  assert.deepEqual(names, [
    "0001_create_notes.down.sql",
    "0001_create_notes.up.sql",
    "0002_add_tags.down.sql",
    "0002_add_tags.up.sql",
  ]);
  await using tmp = await tempDb();
  const applied = capture();
  assert.equal(
    await main(
      ["migrate", "up", "--dir", set.dir, "--db", tmp.url],
      applied.out,
    ),
    0,
  );
  assert.match(applied.lines[1]!, /^applied {2}0002 add_tags in \d+ ms$/);
});

Deno.test("migrate verify exits 1 and names the migration whose down is broken", async () => {
  await using tmp = await tempDb();
  await using set = await tempSet({
    "0001_notes.up.sql":
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n",
    "0001_notes.down.sql": "DROP TABLE notes;\n",
    "0002_index.up.sql": "CREATE INDEX notes_body ON notes (body);\n",
    "0002_index.down.sql": "SELECT 1;\n",
  });
  await createEmpty(tmp.url);
  const own = await runMigrate(["verify", "--db", tmp.url]);
  assert.equal(own.code, 0, own.stderr);
  assert.match(
    own.stdout,
    new RegExp(`: ok: ${OWN.length} of ${OWN.length} migrations cycled`),
  );
  const broken = await runMigrate([
    "verify",
    "--dir",
    set.dir,
    "--db",
    tmp.url,
  ]);
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /FAILED: 1 of 2 migrations cycled/);
  assert.match(
    broken.stdout,
    /\n {2}Cannot revert migration 2 \(index\) of set "app" as its up script fails after its down script: .*notes_body/,
  );
});

Deno.test("migrate prints failures as one line without a stack trace", async () => {
  await using tmp = await tempDb();
  await using set = await tempSet({
    "0001_notes.up.sql": "CREATE TABLE notes (id INTEGER);\n",
    "0001_notes.down.sql": "DROP TABLE notes;\n",
  });
  // Applied, then edited; and a second set whose next migration fails in SQL spread over lines.
  await using edited = await tempSet({
    "0001_notes.up.sql": "CREATE TABLE notes (id INTEGER);\n",
    "0001_notes.down.sql": "DROP TABLE notes;\n",
  });
  {
    await using migrator = await openMigrator(tmp.url, {
      dir: edited.dir,
      set: "edited",
    });
    await migrator.up();
  }
  await edited.write({
    "0001_notes.up.sql": "CREATE TABLE notes (id INTEGER, body TEXT);\n",
  });
  await using broken = await tempSet({
    "0001_broken.up.sql":
      "CREATE TABLE broken (id INTEGER);\nINSERT INTO\n  no_such_table\nVALUES (1);\n",
    "0001_broken.down.sql": "DROP TABLE broken;\n",
  });
  const cases: [string[], number, RegExp][] = [
    [
      ["frobnicate", "--db", tmp.url],
      2,
      /Unknown migrate command: "frobnicate"/,
    ],
    [["up", "--frobnicate"], 2, /--frobnicate/],
    [
      ["down", "--steps", "two", "--db", tmp.url],
      2,
      /Invalid --steps.*got "two"/,
    ],
    [["to", "--db", tmp.url], 2, /Invalid version/],
    [
      ["to", String(MISSING), "--db", tmp.url],
      1,
      new RegExp(`Cannot migrate to version ${MISSING}`),
    ],
    [
      ["up", "--db", "mysql://localhost/board"],
      2,
      /URL scheme is unsupported: "mysql:"/,
    ],
    [
      ["up", "--dir", `${set.dir}/nope`, "--db", tmp.url],
      1,
      /Cannot read the migration directory/,
    ],
    [["new", "bad name", "--dir", set.dir], 2, /Invalid migration name/],
    [
      ["up", "--dir", edited.dir, "--set", "edited", "--db", tmp.url],
      1,
      /^error: Migration 1 \(notes\) of set "edited" was edited after it was applied/,
    ],
    [
      ["up", "--dir", broken.dir, "--set", "broken", "--db", tmp.url],
      1,
      /^error: Migration 1 \(broken\) failed up: .*no_such_table.*: the database stays at the version before it$/,
    ],
  ];
  // In-process, every case; as a process (exit code, standard streams), a few of each kind.
  for (const [args, code, pattern] of cases) {
    const out = capture();
    assert.equal(
      await main(["migrate", ...args], out.out),
      code,
      args.join(" "),
    );
    assert.deepEqual(out.lines, []);
    assert.equal(out.errors.length, 1);
    assert.match(out.errors[0]!, /^error: [A-Z]/);
    assert.match(out.errors[0]!, pattern);
  }
  const sample = [1, 4, 9];
  const runs = await Promise.all(sample.map((i) => runMigrate(cases[i]![0])));
  for (const [n, i] of sample.entries()) {
    const [args, code, pattern] = cases[i]!;
    assertOneLineError(runs[n]!, code, pattern, args.join(" "));
  }
});

Deno.test("migrate never prints the password of a --db URL", async () => {
  const secret = "hunter2-Secret";
  const urls = [
    `mysql://board:${secret}@localhost/board`,
    `postgres://board:${secret}@127.0.0.1:5432/impulse_cli_no_such_database`,
    `postgresql://board:${
      encodeURIComponent(secret)
    }@localhost:5432/x?sslmode=disable`,
  ];
  for (const url of urls) {
    for (const json of [false, true]) {
      const out = capture(json);
      const args = [
        "migrate",
        "status",
        "--db",
        url,
        ...json ? ["--json"] : [],
      ];
      assert.notEqual(await main(args, out.out), 0);
      const printed = JSON.stringify(out);
      assert.ok(printed.length > 50, printed);
      assert.ok(!printed.includes("hunter2"), printed);
    }
  }
  const runs = await Promise.all([
    runMigrate(["status", "--db", urls[1]!]),
    runMigrate(["up", "--json", "--db", urls[1]!]),
  ]);
  for (const run of runs) {
    assert.equal(run.code, 1, run.stdout);
    assert.ok(!`${run.stdout}${run.stderr}`.includes("hunter2"));
  }
});

// Databases with a network URL: the password must not show where the CLI prints the URL.
for (const target of PERSISTENT.filter((t) => !t.name.startsWith("sqlite-"))) {
  Deno.test({
    name:
      `[${target.name}] migrate masks the password of the --db URL it prints`,
    ignore: target.ignore !== undefined,
    async fn() {
      await using fresh = await target.fresh();
      const url = new URL(fresh.url);
      if (url.password === "") url.password = "hunter2-Secret";
      const password = decodeURIComponent(url.password);
      for (const args of [["up"], ["verify"], ["status"]]) {
        const run = await runMigrate([...args, "--db", url.href]);
        assert.equal(run.code, 0, run.stderr);
        assert.ok(!`${run.stdout}${run.stderr}`.includes(password), run.stdout);
        assert.ok(run.stdout.includes(`//${url.username}:***@`), run.stdout);
      }
    },
  });
}

Deno.test("main() prints to the given output and returns the exit code", async () => {
  await using tmp = await tempDb();
  await createEmpty(tmp.url);
  const status = capture();
  assert.equal(
    await main(["migrate", "status", "--db", tmp.url], status.out),
    0,
  );
  assert.equal(status.lines[0], `migrations of ${tmp.url}:`);
  assert.equal(status.lines.length, 1 + OWN.length);
  assert.deepEqual(status.errors, []);

  const up = capture(true);
  assert.equal(
    await main(["migrate", "up", "--db", tmp.url, "--json"], up.out),
    0,
  );
  assert.equal(up.data.length, 1);
  const { steps, status: lines } = up.data[0] as {
    steps: unknown[];
    status: { state: string }[];
  };
  assert.equal(steps.length, OWN.length);
  assert.ok(lines.every((line) => line.state === "applied"));

  const bad = capture();
  assert.equal(
    await main(["migrate", "sideways", "--db", tmp.url], bad.out),
    2,
  );
  assert.deepEqual(bad.lines, []);
  assert.deepEqual(bad.errors, [
    'error: Unknown migrate command: "sideways": see deno task migrate --help',
  ]);

  const badJson = capture(true);
  assert.equal(
    await main(
      ["migrate", "to", String(MISSING), "--db", tmp.url, "--json"],
      badJson.out,
    ),
    1,
  );
  assert.deepEqual(badJson.data, [{
    error: {
      kind: "migration",
      message:
        `Cannot migrate to version ${MISSING}: the set has no such migration`,
    },
  }]);

  const usage = capture();
  assert.equal(await main([], usage.out), 2);
  assert.match(usage.lines.join("\n"), /^Usage: /);
  assert.equal(await main(["migrate", "--help"], capture().out), 0);
});

Deno.test("migrate new without --dir, run outside the package's checkout, refuses (exit 2) and writes nothing into the package", async () => {
  await using app = await tempDir();
  const own = new URL("../migrations/", import.meta.url);
  const before = [...Deno.readDirSync(own)].map((e) => e.name).sort();
  const run = await runCli(["migrate", "new", "widgets"], { cwd: app });
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /give --dir <path>/);
  const after = [...Deno.readDirSync(own)].map((e) => e.name).sort();
  assert.deepEqual(after, before);
  assert.deepEqual([...Deno.readDirSync(app)], []);
});
