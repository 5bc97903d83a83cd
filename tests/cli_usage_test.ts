/**
 * The command line's manners, from its promises, as processes: every command reads
 * `IMPULSE_DATABASE_URL`, then `DATABASE_URL`; a mistyped or extra argument is a usage error
 * (exit 2) naming it and pointing to `--help`; `--help` works everywhere; status columns line
 * up; destructive commands ask on a terminal and need `--yes` elsewhere; progress reaches a
 * log, not only a terminal.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openMigrator } from "../src/migrate/mod.ts";
import { install, runCli, TASK_FLAGS, tempDir, tree } from "./_cli.ts";
import { sqlQuery, tempSet, trackedVersions } from "./_migrate.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** A migrated board in a new temporary directory. */
async function migratedBoard() {
  const dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  await using migrator = await openMigrator(db);
  await migrator.up();
  return Object.assign(dir, { db });
}

Deno.test("without --db, a command reads IMPULSE_DATABASE_URL, then DATABASE_URL, and says which", async () => {
  await using dir = await tempDir();
  const own = `sqlite:${dir}/own.db`;
  const common = `sqlite:${dir}/common.db`;
  const both = await runCli(["migrate", "up"], {
    cwd: dir,
    env: { IMPULSE_DATABASE_URL: own, DATABASE_URL: common },
  });
  assert.equal(both.code, 0, both.stderr);
  assert.match(
    both.stdout,
    new RegExp(`^migrations of ${own} \\(from IMPULSE_DATABASE_URL\\):$`, "m"),
  );
  const fallback = await runCli(["migrate", "status"], {
    cwd: dir,
    env: { DATABASE_URL: own },
  });
  assert.equal(fallback.code, 0, fallback.stderr);
  assert.match(
    fallback.stdout,
    new RegExp(`^migrations of ${own} \\(from DATABASE_URL\\):$`, "m"),
  );
  // copy's --from comes from there too.
  const copy = await runCli(["copy", "--to", `sqlite:${dir}/copy.db`], {
    cwd: dir,
    env: { DATABASE_URL: own },
  });
  assert.equal(copy.code, 0, copy.stderr);
  assert.match(
    copy.stdout,
    new RegExp(
      `^copied ${own} \\(from DATABASE_URL\\) -> sqlite:.*copy\\.db:$`,
      "m",
    ),
  );
  await Deno.remove(`${dir}/copy.db`);
  // A process that may read only IMPULSE_DATABASE_URL never asks for DATABASE_URL: it uses
  // the default, as it was allowed to.
  const narrow = await runCli(["migrate", "status"], {
    flags: [
      "--allow-read",
      "--allow-write",
      "--allow-env=IMPULSE_DATABASE_URL",
    ],
    cwd: dir,
    env: { DATABASE_URL: common },
  });
  assert.equal(narrow.code, 1, narrow.stdout);
  assert.match(narrow.stderr, /data\/impulse\.db/);
  assert.deepEqual(
    (await tree(dir)).filter((p) => !/-(wal|shm)$/.test(p)),
    ["own.db"],
  );
  // DATABASE_URL's password is hidden like any other.
  const secret = await runCli(["migrate", "status"], {
    cwd: dir,
    env: { DATABASE_URL: "postgres://board:hunter2@127.0.0.1:1/board" },
  });
  assert.equal(secret.code, 1);
  assert.ok(!`${secret.stdout}${secret.stderr}`.includes("hunter2"));
});

Deno.test("every command refuses an unknown flag, a flag without its value and a stray argument with exit 2, naming it", async () => {
  await using dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  const cases: [string[], RegExp][] = [
    [
      ["migrate", "up", "--bogus"],
      /Unknown option "--bogus": see deno task migrate --help/,
    ],
    [
      ["migrate", "sideways", "--db", db],
      /Unknown migrate command: "sideways": see deno task migrate --help/,
    ],
    [
      ["migrate", "status", "extra"],
      /Unexpected argument to migrate status: "extra": see deno task migrate --help/,
    ],
    [
      ["migrate", "up", "--db"],
      /Option "--db" needs a value: see deno task migrate --help/,
    ],
    [
      ["migrate", "up", "--json=yes"],
      /Option "--json" takes no value: see deno task migrate --help/,
    ],
    [
      ["copy", "--to", db, "stray"],
      /Unexpected argument "stray": copy takes no positional arguments: see deno task copy --help/,
    ],
    [
      ["copy", "--to", db, "-x"],
      /Unknown option "-x": see deno task copy --help/,
    ],
    [
      ["import-impulse71", "--from", dir, "--db", db, "again"],
      /Unexpected argument "again": import-impulse71 takes no positional arguments: see deno task import-impulse71 --help/,
    ],
    [
      ["import-ftn", "--from", dir, "--area", "A", "--db", db, "again"],
      /Unexpected argument "again": import-ftn takes no positional arguments: see deno task import-ftn --help/,
    ],
    [
      ["import-ftn", "--from", dir, "--area", "A", "--charset"],
      /Option "--charset" needs a value: see deno task import-ftn --help/,
    ],
    [
      ["backup", "--to", `${dir}/copy.db`, "--db", db, "now"],
      /Unexpected argument "now": backup takes no positional arguments: see deno task backup --help/,
    ],
    [
      ["backup", "--to", `${dir}/copy.db`, "--fast"],
      /Unknown option "--fast": see deno task backup --help/,
    ],
  ];
  for (const [args, pattern] of cases) {
    const run = await runCli(args, { cwd: dir });
    const what = `${args.join(" ")}: ${run.stdout}${run.stderr}`;
    assert.equal(run.code, 2, what);
    assert.equal(run.stdout, "", what);
    assert.match(run.stderr, new RegExp(`^error: ${pattern.source}\\n$`), what);
  }
  assert.deepEqual(await tree(dir), [], "nothing was created");
});

Deno.test("--help works on every command and task, deno task seed --help included", async () => {
  for (
    const command of [
      "migrate",
      "copy",
      "import-impulse71",
      "import-ftn",
      "backup",
    ]
  ) {
    const run = await runCli([command, "--help"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Usage: deno task /, command);
    assert.match(run.stdout, /--help +print this text/, command);
  }
  // Were --help ignored, this seeds a tiny in-memory board and prints no usage, rather than
  // a million messages into ./data/scale.db.
  const tiny = ["--db", "sqlite::memory:", "--messages", "0", "--users", "1"];
  const safe = await denoTask(["seed", "--help", ...tiny, "--files", "0"]);
  assert.match(safe.stdout, /^Usage: deno task seed/, safe.stderr);
  for (const task of ["seed", "backup", "copy"]) {
    const help = await denoTask([task, "--help"]);
    assert.equal(help.code, 0, `${task}: ${help.stderr}`);
    assert.match(help.stdout, new RegExp(`^Usage: deno task ${task}`), task);
    assert.doesNotMatch(help.stderr, /\bat .*\.ts:\d+|Uncaught/, task);
  }
  const bogus = await denoTask(["seed", "--db", "sqlite::memory:", "--bogus"]);
  assert.equal(bogus.code, 2, bogus.stderr);
  assert.equal(
    bogus.stderr,
    'error: Unknown option "--bogus": see deno task seed --help\n',
  );
});

/** Runs a task of the package's deno.json. */
async function denoTask(args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

Deno.test("migrate status lines up its columns whatever the names' and durations' lengths", async () => {
  await using dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  const long = "a_migration_name_well_over_forty_characters_long";
  await using set = await tempSet({
    "0001_a.up.sql": "CREATE TABLE a (id INTEGER PRIMARY KEY);\n",
    "0001_a.down.sql": "DROP TABLE a;\n",
    [`0002_${long}.up.sql`]: "CREATE TABLE b (id INTEGER PRIMARY KEY);\n",
    [`0002_${long}.down.sql`]: "DROP TABLE b;\n",
    "0003_c.up.sql": "CREATE TABLE c (id INTEGER PRIMARY KEY);\n",
    "0003_c.down.sql": "DROP TABLE c;\n",
  });
  assert.equal(
    (await runCli(["migrate", "to", "2", "--dir", set.dir, "--db", db])).code,
    0,
  );
  // One applied step of a much longer duration than the other.
  await sqlQuery(
    db,
    "UPDATE impulse_migrations SET duration_ms = 12345 WHERE version = 2",
  );
  const run = await runCli(["migrate", "status", "--dir", set.dir, "--db", db]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split("\n").slice(1);
  assert.equal(lines.length, 3, run.stdout);
  const at = (pattern: RegExp) => lines.map((line) => line.search(pattern));
  const states = at(/ (applied|pending)\b/);
  assert.ok(states.every((i) => i === states[0]), run.stdout);
  const [one, two] = lines;
  const checksums = [one!, two!].map((line) => line.indexOf("checksum"));
  assert.equal(checksums[0], checksums[1], run.stdout);
  assert.ok(lines.every((line) => line === line.trimEnd()));
});

Deno.test("migrate down of more than one step and to a lower version need --yes without a terminal, and revert nothing without it", async () => {
  await using board = await migratedBoard();
  const before = await trackedVersions(board.db, "impulse");
  for (
    const [args, count] of [
      [["down", "--steps", "2"], 2],
      [["to", "0"], before.length],
      [["to", String(before.at(-3)![0])], 2],
    ] as const
  ) {
    const run = await runCli(["migrate", ...args, "--db", board.db]);
    assert.equal(run.code, 2, `${args}: ${run.stdout}${run.stderr}`);
    assert.match(
      run.stderr,
      new RegExp(
        `^error: This reverts ${count} migrations of sqlite:.*board\\.db: pass --yes to go ahead, as there is no terminal to ask on\\n$`,
      ),
    );
  }
  assert.deepEqual(await trackedVersions(board.db, "impulse"), before);
  // One step, or a --steps larger than what one step leaves, asks nothing.
  const one = await runCli(["migrate", "down", "--db", board.db]);
  assert.equal(one.code, 0, one.stderr);
  const yes = await runCli([
    "migrate",
    "down",
    "--steps",
    "2",
    "--yes",
    "--db",
    board.db,
  ]);
  assert.equal(yes.code, 0, yes.stderr);
  assert.equal(
    (await trackedVersions(board.db, "impulse")).length,
    before.length - 3,
  );
});

Deno.test("copy --force needs --yes without a terminal, and copies nothing without it", async () => {
  await using board = await migratedBoard();
  const to = `sqlite:${board}/copy.db`;
  const run = await runCli(["copy", "--from", board.db, "--to", to, "--force"]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(
    run.stderr,
    /^error: This replaces every row of sqlite:.*copy\.db with the rows of sqlite:.*board\.db: pass --yes to go ahead, as there is no terminal to ask on\n$/,
  );
  assert.ok(!(await tree(board)).includes("copy.db"));
  const yes = await runCli([
    "copy",
    "--from",
    board.db,
    "--to",
    to,
    "--force",
    "--yes",
  ]);
  assert.equal(yes.code, 0, yes.stderr);
  assert.match(yes.stdout, /^copy ok$/m);
});

/**
 * Runs the CLI on a pseudo-terminal (`script`), typing `answer` when it asks.
 *
 * @returns The exit code and what the terminal showed.
 */
async function onTerminal(
  args: string[],
  answer: string,
): Promise<{ code: number; screen: string }> {
  const command = [
    Deno.execPath(),
    "run",
    ...TASK_FLAGS,
    `${ROOT}src/cli/mod.ts`,
    ...args,
  ]
    .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(" ");
  const child = new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(answer));
  await writer.close();
  const { code, stdout } = await child.output();
  return { code, screen: new TextDecoder().decode(stdout) };
}

Deno.test({
  name:
    "on a terminal, migrate down --steps 2 asks first: no reverts nothing, yes reverts",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using board = await migratedBoard();
    const before = await trackedVersions(board.db, "impulse");
    const no = await onTerminal(
      ["migrate", "down", "--steps", "2", "--db", board.db],
      "n\n",
    );
    assert.equal(no.code, 1, no.screen);
    assert.match(
      no.screen,
      /This reverts 2 migrations of .*: go ahead\? \[y\/N\]/,
    );
    assert.match(no.screen, /nothing was reverted/);
    assert.deepEqual(await trackedVersions(board.db, "impulse"), before);
    const yes = await onTerminal(
      ["migrate", "down", "--steps", "2", "--db", board.db],
      "y\n",
    );
    assert.equal(yes.code, 0, yes.screen);
    assert.equal(
      (await trackedVersions(board.db, "impulse")).length,
      before.length - 2,
    );
  },
});

Deno.test("progress reaches standard error as whole lines when it is not a terminal", async () => {
  await using dir = await tempDir();
  await using board = await install();
  const run = await runCli([
    "import-impulse71",
    "--from",
    String(board),
    "--db",
    `sqlite:${dir}/board.db`,
  ]);
  assert.equal(run.code, 0, run.stderr);
  // Standard error is a pipe here: the lines are there, whole, with no terminal escapes.
  assert.match(run.stderr, /^hashing passwords: \d+ of \d+ passwords?$/m);
  assert.ok(!run.stderr.includes("\u001b["), "no terminal escapes");
  assert.doesNotMatch(run.stdout, /hashing passwords/);
});

/**
 * The flags each `migrate` command takes, as its usage describes them; a value where the flag
 * takes one. Every other `migrate` flag is not its own.
 */
const MIGRATE_FLAGS: Record<string, string[]> = {
  up: ["--db", "--dir", "--set", "--lock-timeout", "--json", "--help"],
  down: [
    "--db",
    "--dir",
    "--set",
    "--steps",
    "--lock-timeout",
    "--force",
    "--yes",
    "--json",
    "--help",
  ],
  to: [
    "--db",
    "--dir",
    "--set",
    "--lock-timeout",
    "--force",
    "--yes",
    "--json",
    "--help",
  ],
  status: ["--db", "--dir", "--set", "--exit-code", "--json", "--help"],
  verify: ["--db", "--dir", "--set", "--json", "--help"],
  new: ["--dir", "--json", "--help"],
};
/** Every flag of `migrate`, with a valid value where it takes one. */
const MIGRATE_VALUES: Record<string, string[]> = {
  "--db": ["--db", "sqlite:./other.db"],
  "--set": ["--set", "app"],
  "--steps": ["--steps", "1"],
  "--lock-timeout": ["--lock-timeout", "5"],
  "--force": ["--force"],
  "--yes": ["--yes"],
  "--exit-code": ["--exit-code"],
};

Deno.test("each migrate command refuses another command's flag with exit 2, naming both, and creates nothing", async () => {
  await using dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  const cases: string[][] = [];
  for (const [command, own] of Object.entries(MIGRATE_FLAGS)) {
    const head = command === "to"
      ? ["to", "1", "--db", db]
      : command === "new"
      ? ["new", "widgets", "--dir", `${dir}/set`]
      : [command, "--db", db];
    for (const [flag, given] of Object.entries(MIGRATE_VALUES)) {
      if (!own.includes(flag)) cases.push([...head, ...given]);
    }
  }
  // Without a command, migrate runs up: a flag of down is not its own either.
  cases.push(["--steps", "1", "--db", db]);
  for (const args of cases) {
    const run = await runCli(["migrate", ...args], { cwd: dir });
    const what = `migrate ${args.join(" ")}: ${run.stdout}${run.stderr}`;
    const command = args[0]!.startsWith("-") ? "up" : args[0];
    const flag = args.find((arg) =>
      arg.startsWith("-") && !MIGRATE_FLAGS[command!]!.includes(arg)
    );
    assert.equal(run.code, 2, what);
    assert.equal(run.stdout, "", what);
    assert.equal(
      run.stderr,
      `error: ${flag} is not an option of migrate ${command}: see deno task migrate --help\n`,
      what,
    );
  }
  assert.deepEqual(await tree(dir), [], "nothing was created");
});

Deno.test("migrate up --steps 1 refuses and applies nothing, where it would apply every pending migration", async () => {
  await using dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  const to = await runCli(["migrate", "to", "5", "--yes", "--db", db]);
  assert.equal(to.code, 0, to.stderr);
  const before = await trackedVersions(db, "impulse");
  assert.equal(before.length, 5);
  const run = await runCli(["migrate", "up", "--steps", "1", "--db", db]);
  assert.equal(run.code, 2, run.stdout);
  assert.match(run.stderr, /^error: --steps is not an option of migrate up/);
  assert.deepEqual(await trackedVersions(db, "impulse"), before);
});

Deno.test("each migrate command takes every flag of its own, --help included", async () => {
  await using dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  await using set = await tempSet({
    "0001_a.up.sql": "CREATE TABLE a (id INTEGER PRIMARY KEY);\n",
    "0001_a.down.sql": "DROP TABLE a;\n",
    "0002_b.up.sql": "CREATE TABLE b (id INTEGER PRIMARY KEY);\n",
    "0002_b.down.sql": "DROP TABLE b;\n",
    "0003_c.up.sql": "CREATE TABLE c (id INTEGER PRIMARY KEY);\n",
    "0003_c.down.sql": "DROP TABLE c;\n",
  });
  const mine = ["--dir", set.dir, "--set", "mine", "--db", db, "--json"];
  const lock = ["--lock-timeout", "5000"];
  const run = async (args: string[], code = 0) => {
    const result = await runCli(["migrate", ...args]);
    assert.equal(result.code, code, `${args.join(" ")}: ${result.stderr}`);
    return result.stdout === "" ? undefined : JSON.parse(result.stdout);
  };
  const versions = async () =>
    (await trackedVersions(db, "mine")).map(([version]) => version);
  assert.equal((await run(["up", ...mine, ...lock])).steps.length, 3);
  await run(["status", ...mine, "--exit-code"]);
  await run(["down", ...mine, ...lock, "--steps", "2", "--force", "--yes"]);
  assert.deepEqual(await versions(), [1]);
  await run(["to", "3", ...mine, ...lock, "--force", "--yes"]);
  await run(["to", "1", ...mine, ...lock, "--force", "--yes"]);
  assert.deepEqual(await versions(), [1]);
  await run(["status", ...mine, "--exit-code"], 1);
  assert.equal((await run(["verify", ...mine])).ok, true);
  const created = await run(["new", "d", "--dir", set.dir, "--json"]);
  assert.deepEqual(created.written, [
    `${set.dir}/0004_d.up.sql`,
    `${set.dir}/0004_d.down.sql`,
  ]);
  for (const [command, own] of Object.entries(MIGRATE_FLAGS)) {
    const help = await runCli(["migrate", command, "--help"]);
    assert.equal(help.code, 0, `${command}: ${help.stderr}`);
    assert.match(help.stdout, /^Usage: deno task migrate /, command);
    // Every flag each command takes is in its usage.
    for (const flag of own) assert.match(help.stdout, new RegExp(`${flag}\\b`));
  }
});
