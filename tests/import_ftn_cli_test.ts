/**
 * `import-ftn`: the command as a sysop runs it on a JAM base (twice, then as JSON and as a dry
 * run), and its usage errors, which create no database.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStorage } from "../mod.ts";
import type { FtnImportReport } from "../src/import/mod.ts";
import {
  copyJamFixture,
  JAM_FIXTURES,
} from "../src/import/ftn/_fixtures_test.ts";
import { message } from "../src/import/ftn/_builders_test.ts";
import { writeSquishBase } from "../src/import/ftn/_squish_writer.ts";
import { runCli, tempDir } from "./_cli.ts";

const ignore = JAM_FIXTURES === null;

Deno.test({
  name:
    "import-ftn imports a JAM base into SQLite, and run again adds nothing and lists the skips",
  ignore,
  async fn() {
    await using temp = await tempDir("impulse-import-ftn-");
    const dir = `${temp}`;
    const base = await copyJamFixture("elebbs", dir);
    const url = `sqlite:${join(dir, "board.db")}`;
    {
      await using storage = await openStorage(url);
      await storage.users.create({
        username: "Mike Krueger",
        passwordHash: "h",
      });
    }
    const args = ["import-ftn", "--from", base, "--area", "FIDO.TEST"];
    const first = await runCli([...args, "--db", url]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /^imported .*elebbs \(jam\) -> sqlite:.*, area FIDO.TEST \(created, echomail\)\n/,
    );
    assert.match(
      first.stdout,
      /messages: 4 read, 4 imported, 0 skipped; 3 replies linked/,
    );
    assert.match(first.stdout, /last-read: 1 records, 1 pointers set/);
    assert.match(first.stdout, /#1 destAddr: "50020:12795\/0\.62886" is not/);
    const second = await runCli([...args, "--db", url]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /messages: 4 read, 0 imported, 4 skipped/);
    for (const n of [1, 2, 3, 4]) {
      assert.match(second.stdout, new RegExp(`#${n}: duplicate-msgid: `));
    }
    const json = await runCli([...args, "--db", url, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as FtnImportReport;
    assert.deepEqual(report.counts, { read: 4, imported: 0, skipped: 4 });
    await using storage = await openStorage(url);
    assert.equal(
      (await storage.messageAreas.getByTag("FIDO.TEST"))?.msgCount,
      4,
    );
  },
});

Deno.test({
  name: "import-ftn --dry-run writes nothing and creates no database",
  ignore,
  async fn() {
    await using temp = await tempDir("impulse-import-ftn-");
    const dir = `${temp}`;
    const base = await copyJamFixture("general", dir);
    const db = join(dir, "new.db");
    const run = await runCli([
      "import-ftn",
      "--from",
      base,
      "--area",
      "GENERAL",
      "--dry-run",
      "--db",
      `sqlite:${db}`,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /does not exist yet/);
    assert.match(run.stdout, /nothing was written/);
    assert.match(run.stdout, /messages: 4 read, 4 imported, 0 skipped/);
    await assert.rejects(Deno.stat(db));
  },
});

Deno.test("import-ftn --address, given for each of the board's addresses, delivers private mail to the users it names", async () => {
  await using temp = await tempDir("impulse-import-ftn-");
  const dir = `${temp}`;
  const url = `sqlite:${join(dir, "board.db")}`;
  const base = join(dir, "netmail");
  const letter = (number: number, to: string, destAddr: string) => ({
    ...message({
      number,
      to,
      destAddr,
      private: true,
      control: ["CHRS: UTF-8 4", `MSGID: 2:5020/9 0000000${number}`],
    }),
    attributes: 1,
  });
  await writeSquishBase(base, [
    letter(1, "Mike Krueger", "2:5020/1"),
    letter(2, "mike krueger", "2:5020/1.7"),
    letter(3, "Nobody", "2:5020/1"),
    letter(4, "Mike Krueger", "2:5020/2"),
  ], null);
  let mike;
  {
    await using storage = await openStorage(url);
    mike = await storage.users.create({
      username: "Mike Krueger",
      passwordHash: "h",
    });
  }
  const run = await runCli([
    ...["import-ftn", "--from", base, "--area", "NETMAIL", "--db", url],
    ...["--address", "2:5020/1", "--address", "2:5020/1.7"],
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /private mail to the board: 2 delivered to users, 1 naming no user/,
  );
  await using storage = await openStorage(url);
  const area = await storage.messageAreas.getByTag("NETMAIL");
  const to = (await storage.messages.list(area!.id)).map((m) => m.toUserId);
  assert.deepEqual(to, [mike.id, mike.id, null, null]);
});

Deno.test("import-ftn refuses bad usage with exit code 2 before it opens a database", async () => {
  await using temp = await tempDir("impulse-import-ftn-");
  const dir = `${temp}`;
  const db = `sqlite:${join(dir, "board.db")}`;
  const cases: [string[], RegExp][] = [
    [["--from", join(dir, "x"), "--area", "A", "--bogus"], /bogus/],
    [["--from", join(dir, "x")], /Missing --area/],
    [
      ["--from", join(dir, "x"), "--area", "A", "--charset", "EBCDIC"],
      /charset must be a code page this import knows: CP437/,
    ],
    [
      ["--from", join(dir, "x"), "--area", "RU FIDO"],
      /options.area must be an area tag/,
    ],
    [
      ["--from", join(dir, "x"), "--area", "A", "--format", "msg"],
      /format must be "jam" or "squish"/,
    ],
    [
      [
        ...["--from", join(dir, "x"), "--area", "A"],
        ...["--address", "2:5020/1", "--address", "nowhere"],
      ],
      /options.addresses.1 must be a FidoNet address/,
    ],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(["import-ftn", ...args, "--db", db]);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
  const missing = await runCli([
    "import-ftn",
    "--from",
    join(dir, "nothing"),
    "--area",
    "A",
    "--db",
    db,
  ]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no JAM \(\.jhr\) or Squish \(\.sqd\) base/);
  assert.deepEqual([...Deno.readDirSync(dir)], []);
});

Deno.test("import-ftn fails (exit 1, not the usage code) on a base it cannot read, and on a directory named like a base's file, saying which", async () => {
  await using tmp = await tempDir();
  const dir = String(tmp);
  await Deno.writeFile(
    join(dir, "bad.jhr"),
    new TextEncoder().encode("NOT A JAM BASE"),
  );
  await Deno.mkdir(join(dir, "dir.sqd"));
  const db = `sqlite:${join(dir, "board.db")}`;
  const bad = await runCli([
    "import-ftn",
    "--from",
    join(dir, "bad"),
    "--area",
    "BAD",
    "--db",
    db,
  ]);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.match(
    bad.stderr,
    /^error: Cannot read the JAM base as its header file does not start with a JAM area header/,
  );
  const folder = await runCli([
    "import-ftn",
    "--from",
    join(dir, "dir"),
    "--area",
    "DIR",
    "--db",
    db,
  ]);
  assert.equal(folder.code, 1, folder.stdout + folder.stderr);
  assert.match(
    folder.stderr,
    /^error: Cannot read the Squish base as ".*dir\.sqd" is a directory, not a regular file/,
  );
  await assert.rejects(Deno.stat(join(dir, "board.db")));
});
