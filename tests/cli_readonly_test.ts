/**
 * The command line's reading commands, from their promise: `migrate status`, `migrate verify`
 * (but for its scratch copy), `copy`'s source and every dry run never create or change a
 * database. In process (`main()`) and as processes.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { main } from "../src/cli/mod.ts";
import { install, runCli, tempDir, tree } from "./_cli.ts";
import { capture, type CliRun, persistentTest, snapshot } from "./_migrate.ts";
import { TARGETS } from "./_targets.ts";

const ffiMissing = TARGETS.find((t) => t.name === "sqlite-ffi-file")!.ignore;
const ENGINES = ffiMissing ? ["node"] : ["node", "ffi"];

/** Runs `main()` in process; returns the exit code and everything printed. */
async function inProcess(args: string[]): Promise<CliRun> {
  const { out, lines, errors, data } = capture(args.includes("--json"));
  const code = await main(args, out);
  const json = data.map((d) => JSON.stringify(d));
  return {
    code,
    stdout: [...lines, ...json].join("\n"),
    stderr: errors.join("\n"),
  };
}

/** SHA-256 of a file's bytes, or `null` when it does not exist. */
async function digest(path: string): Promise<string | null> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

for (const engine of ENGINES) {
  Deno.test(`[${engine}] reading commands on a mistyped SQLite path say it does not exist and leave no file or directory behind`, async () => {
    await using dir = await tempDir();
    await using board = await install();
    const typo = `sqlite:${dir}/typo/deeper/board.db?engine=${engine}`;
    const relative = `sqlite:typo/board.db?engine=${engine}`;
    const refusals = [
      ["migrate", "status", "--db", typo],
      ["migrate", "status", "--db", typo, "--json"],
      ["migrate", "status", "--exit-code", "--db", relative],
      ["migrate", "verify", "--db", typo],
      ["copy", "--from", typo, "--to", `sqlite:${dir}/target.db`],
      ["copy", "--from", relative, "--to", `sqlite:${dir}/target.db`, "--json"],
    ];
    for (const args of refusals) {
      for (const run of [inProcess, (a: string[]) => runCli(a, { cwd: dir })]) {
        const { code, stdout, stderr } = await run(args);
        const what = `${run.name || "process"}: ${args.join(" ")}`;
        assert.equal(code, 1, `${what}: ${stdout}${stderr}`);
        if (args.includes("--json")) {
          const { error } = JSON.parse(stdout);
          assert.equal(error.kind, "not_found", what);
          assert.match(error.message, /does not exist/, what);
        } else {
          assert.match(
            stderr,
            /^error: Cannot open the SQLite database as it does not exist: \S*board\.db: /,
            what,
          );
        }
        assert.deepEqual(await tree(dir), [], `${what} created nothing`);
        await assert.rejects(Deno.stat("typo"), Deno.errors.NotFound);
      }
    }
    // A dry run into a database that does not exist yet runs against an empty in-memory one.
    for (const db of [typo, relative]) {
      for (const json of [false, true]) {
        const args = [
          "import-impulse71",
          "--from",
          String(board),
          "--dry-run",
          "--db",
          db,
        ];
        if (json) args.push("--json");
        for (
          const run of [inProcess, (a: string[]) => runCli(a, { cwd: dir })]
        ) {
          const { code, stdout, stderr } = await run(args);
          assert.equal(code, 0, `${args.join(" ")}: ${stderr}`);
          const note =
            /does not exist yet: the dry run ran against an empty in-memory database/;
          if (json) {
            const report = JSON.parse(stdout);
            assert.equal(report.dryRun, true);
            assert.equal(report.counts.users.imported, 1);
            assert.match(report.note, note);
          } else {
            assert.match(
              stdout,
              new RegExp(
                `^note: \\S*board\\.db\\?engine=${engine} ${note.source}`,
              ),
            );
            assert.match(stdout, /\n {2}users +2 +1 +1\n/);
          }
          assert.deepEqual(
            await tree(dir),
            [],
            `${args.join(" ")} created nothing`,
          );
        }
      }
    }
  });

  Deno.test(`[${engine}] migrate status, verify and copy leave an existing database's bytes and its -wal as they were`, async () => {
    await using dir = await tempDir();
    const live = `${dir}/live.db`;
    const crashed = `${dir}/crashed.db`;
    // A database whose last commits are only in its -wal, and a copy of it as a process killed
    // now would leave it: a reader that opened it for writing would checkpoint it on close.
    await using storage = await openStorage(`sqlite:${live}?engine=${engine}`);
    for (let i = 0; i < 20; i++) {
      await storage.users.create({ username: `user${i}`, passwordHash: "h" });
    }
    assert.ok((await Deno.stat(`${live}-wal`)).size > 0);
    await Deno.copyFile(live, crashed);
    await Deno.copyFile(`${live}-wal`, `${crashed}-wal`);
    // And one closed cleanly: no -wal at all.
    const closed = `${dir}/closed.db`;
    {
      await using s = await openStorage(`sqlite:${closed}?engine=${engine}`);
      for (let i = 0; i < 20; i++) {
        await s.users.create({ username: `user${i}`, passwordHash: "h" });
      }
    }
    assert.equal(await digest(`${closed}-wal`), null);
    /** SHA-256 of no bytes: an empty -wal a reader of a WAL database may leave. */
    const EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    for (const path of [live, crashed, closed]) {
      const url = `sqlite:${path}?engine=${engine}`;
      const before = [await digest(path), await digest(`${path}-wal`)];
      const target = `sqlite:${dir}/copy-${crypto.randomUUID()}.db`;
      const commands = [
        ["migrate", "status", "--db", url],
        ["migrate", "status", "--db", url, "--json"],
        ["migrate", "verify", "--db", url],
        ["copy", "--from", url, "--to", target],
      ];
      for (const args of commands) {
        for (const run of [inProcess, (a: string[]) => runCli(a)]) {
          const { code, stdout, stderr } = await run(args);
          const what = `${run.name || "process"}: ${args.join(" ")} on ${path}`;
          assert.equal(code, 0, `${what}: ${stdout}${stderr}`);
          if (args[0] === "copy") {
            // It read the rows that are only in the -wal.
            assert.match(stdout, /\n {2}users +20 rows +checksum ok/, what);
            await Deno.remove(target.slice("sqlite:".length));
            await Deno.remove(`${target.slice("sqlite:".length)}-wal`).catch(
              () => {},
            );
            await Deno.remove(`${target.slice("sqlite:".length)}-shm`).catch(
              () => {},
            );
          } else if (args[1] === "status") {
            assert.doesNotMatch(stdout, /pending/, what);
          }
          const wal = await digest(`${path}-wal`);
          assert.deepEqual(
            [
              await digest(path),
              before[1] === null && wal === EMPTY ? null : wal,
            ],
            before,
            `${what} changed the database or its -wal (an empty -wal may appear)`,
          );
        }
      }
    }
  });
}

persistentTest(
  "a dry run into an existing database changes nothing in it, not even its id sequences",
  async ({ url }) => {
    await using board = await install();
    let first: number;
    {
      await using s = await openStorage(url);
      first =
        (await s.users.create({ username: "Resident", passwordHash: "h" }))
          .id;
    }
    const before = await snapshot(url);
    for (const run of [inProcess, (a: string[]) => runCli(a)]) {
      const { code, stdout, stderr } = await run([
        "import-impulse71",
        "--from",
        String(board),
        "--dry-run",
        "--db",
        url,
      ]);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^dry run of .* -> \S+: nothing was written/);
      assert.match(stdout, /\n {2}users +2 +1 +1\n/);
      assert.doesNotMatch(stdout, /in-memory/);
    }
    assert.deepEqual(await snapshot(url), before);
    // The next id is the one it would have been: the import's rows were never inserted here.
    await using s = await openStorage(url);
    const next = await s.users.create({
      username: "Newcomer",
      passwordHash: "h",
    });
    assert.equal(next.id, first + 1);
  },
);
