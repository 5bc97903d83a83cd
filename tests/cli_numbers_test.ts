/**
 * Numbers on the command line, from the promise: a count or a version is plain ASCII digits
 * within a stated range, else a `validation` error naming the flag (exit 2), and nothing runs:
 * no database is opened, created or changed. The CLI runs as a process, as a person runs it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { runCli, tempDir, tree } from "./_cli.ts";
import { trackedVersions } from "./_migrate.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";

/** What `Number()`, `parseInt()` or `parseFloat()` take, or turn into a surprise. */
const LOOSE = [
  "1e3",
  "0x10",
  " 3",
  "3 ",
  "3.0",
  "+3",
  "-1",
  "",
  "٣",
  "３",
  "99999999999999999999",
  "3abc",
  "0b11",
  "Infinity",
];

/** Each numeric argument, how to give it, and values just outside its range. */
const ARGUMENTS: {
  flag: string;
  args: (value: string, db: string, to: string) => string[];
  outside: string[];
}[] = [
  {
    flag: "--steps",
    args: (v, db) => ["migrate", "down", "--steps", v, "--db", db],
    outside: ["0", "100001"],
  },
  {
    flag: "--steps",
    args: (v, db) => ["migrate", "down", `--steps=${v}`, "--db", db],
    outside: [],
  },
  {
    flag: "version",
    args: (v, db) => ["migrate", "to", v, "--db", db],
    outside: ["9007199254740992"],
  },
  {
    flag: "--lock-timeout",
    args: (v, db) => ["migrate", "up", "--lock-timeout", v, "--db", db],
    outside: ["3600001"],
  },
  {
    flag: "--batch",
    args: (v, db, to) => ["copy", "--from", db, "--to", to, "--batch", v],
    outside: ["0", "2001"],
  },
];

/** Asserts a refusal: exit 2, one `error:` line naming the flag and the value, no output. */
function assertRefused(
  run: { code: number; stdout: string; stderr: string },
  flag: string,
  value: string,
): void {
  const what = `${flag} ${JSON.stringify(value)}: ${run.stdout}${run.stderr}`;
  assert.equal(run.code, 2, what);
  assert.equal(run.stdout, "", what);
  const lines = run.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, what);
  // `--steps -1` reads as a flag without its value, and `to -1` as an unknown flag.
  if (/needs a value|Unknown option/.test(lines[0]!)) {
    assert.ok(value.startsWith("-"), what);
    assert.ok(lines[0]!.includes(value) || lines[0]!.includes(flag), what);
    return;
  }
  assert.ok(
    lines[0]!.startsWith(
      `error: Invalid ${flag}: must be a whole number from `,
    ),
    what,
  );
  assert.ok(lines[0]!.endsWith(`got ${JSON.stringify(value)}`), what);
}

Deno.test("every numeric argument of the CLI refuses loose numbers, naming the flag, and runs nothing", async () => {
  await using dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  const to = `sqlite:${dir}/copy.db`;
  {
    await using migrator = await openMigrator(db);
    await migrator.up();
  }
  const versions = await trackedVersions(db, "impulse");
  const files = await tree(dir);
  let runs = 0;
  for (const { flag, args, outside } of ARGUMENTS) {
    for (const value of [...LOOSE, ...outside]) {
      assertRefused(await runCli(args(value, db, to)), flag, value);
      runs++;
    }
  }
  // Nothing ran: no step was reverted or applied, no copy target was created.
  assert.deepEqual(await trackedVersions(db, "impulse"), versions);
  assert.deepEqual(await tree(dir), files);
  assert.ok(runs >= 60, `${runs} runs`);
});

Deno.test("a missing numeric argument is refused, naming it, before a database is created", async () => {
  await using dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  const run = await runCli(["migrate", "to", "--db", db]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /^error: Invalid version: .* got nothing\n$/);
  assert.deepEqual(await tree(dir), []);
});

Deno.test("a positional argument a command does not take is refused: `migrate down 3` does not revert one step", async () => {
  await using dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  {
    await using migrator = await openMigrator(db);
    await migrator.up();
  }
  const versions = await trackedVersions(db, "impulse");
  const down = await runCli(["migrate", "down", "3", "--db", db]);
  assert.equal(down.code, 2, down.stderr);
  assert.match(
    down.stderr,
    /^error: Unexpected argument to migrate down: "3": give a count with --steps <n>: see deno task migrate --help\n$/,
  );
  const to = await runCli(["migrate", "to", "3", "4", "--db", db]);
  assert.equal(to.code, 2, to.stderr);
  assert.match(to.stderr, /Unexpected argument to migrate to: "4"/);
  assert.deepEqual(await trackedVersions(db, "impulse"), versions);
});

Deno.test("a flag given twice is refused, naming it, and runs nothing: --db a --db b does not act on b", async () => {
  await using dir = await tempDir();
  const a = `sqlite:${dir}/a.db`;
  const b = `sqlite:${dir}/b.db`;
  {
    await using migrator = await openMigrator(a);
    await migrator.up();
  }
  const versions = await trackedVersions(a, "impulse");
  const files = await tree(dir);
  for (
    const args of [
      ["migrate", "up", "--db", a, "--db", b],
      ["migrate", "down", "--db", a, "--db=" + b],
      ["migrate", "down", "--steps", "1", "--steps", "3", "--db", a],
      ["migrate", "down", "--force", "--force", "--db", a],
      ["migrate", "status", "--json", "--json", "--db", a],
      ["copy", "--from", a, "--to", b, "--to", a],
      ["import-impulse71", "--from", dir, "--from", dir, "--db", b],
    ]
  ) {
    const run = await runCli(args);
    const what = `${args.join(" ")}: ${run.stdout}${run.stderr}`;
    assert.equal(run.code, 2, what);
    // Text on stderr, or the JSON error object with --json.
    assert.match(
      `${run.stdout}${run.stderr}`,
      /(^error: |"message": ")--[a-z-]+ is given more than once: give each flag once/,
      what,
    );
  }
  // Nothing ran: a is as it was and b was never created.
  assert.deepEqual(await trackedVersions(a, "impulse"), versions);
  assert.deepEqual(await tree(dir), files);
});

Deno.test("plain digits within range are taken: --steps 2 and --steps=002 revert two steps each, to 0 reverts all", async () => {
  await using dir = await tempDir();
  const db = `sqlite:${dir}/board.db`;
  {
    await using migrator = await openMigrator(db);
    await migrator.up();
  }
  const all = (await trackedVersions(db, "impulse")).map(([v]) => v);
  const first = await runCli([
    "migrate",
    "down",
    "--steps",
    "2",
    "--yes",
    "--db",
    db,
  ]);
  assert.equal(first.code, 0, first.stderr);
  const second = await runCli([
    "migrate",
    "down",
    "--steps=002",
    "--yes",
    "--db",
    db,
  ]);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(
    (await trackedVersions(db, "impulse")).map(([v]) => v),
    all.slice(0, -4),
  );
  const zero = await runCli([
    "migrate",
    "to",
    "0",
    "--force",
    "--yes",
    "--lock-timeout",
    "0005000",
    "--db",
    db,
  ]);
  assert.equal(zero.code, 0, zero.stderr);
  assert.deepEqual(await trackedVersions(db, "impulse"), []);
});

Deno.test({
  name:
    "[postgres] a loose --steps or version is refused and nothing is reverted",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using database = await createDatabase();
    {
      await using migrator = await openMigrator(database.url);
      await migrator.up();
    }
    const versions = await trackedVersions(database.url, "impulse");
    for (const value of ["1e0", " 1", "1.0", "+1"]) {
      assertRefused(
        await runCli([
          "migrate",
          "down",
          "--steps",
          value,
          "--db",
          database.url,
        ]),
        "--steps",
        value,
      );
      assertRefused(
        await runCli(["migrate", "to", `0${value}`, "--db", database.url]),
        "version",
        `0${value}`,
      );
    }
    assert.deepEqual(await trackedVersions(database.url, "impulse"), versions);
  },
});

Deno.test("copy's report writes counts with thousands separators, as its progress lines do", async () => {
  await using dir = await tempDir();
  const from = `sqlite:${dir}/from.db`;
  {
    await using s = await openStorage(from);
    await s.transaction(async (tx) => {
      for (let i = 0; i < 1_200; i++) await tx.events.append({ kind: "tick" });
    });
  }
  const { code, stdout, stderr } = await runCli([
    "copy",
    "--from",
    from,
    "--to",
    `sqlite:${dir}/to.db`,
  ]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /\n {2}events +1,200 rows +checksum ok/);
});
