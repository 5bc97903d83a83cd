/**
 * The command line's environment, from its promise: without the permission to read
 * `IMPULSE_DATABASE_URL`, a command that would use it stops and names the flag to add
 * (`--allow-env=IMPULSE_DATABASE_URL`, or `--db`) instead of acting on another database. As
 * processes, with exactly the flags given.
 *
 * @module
 */
import assert from "node:assert/strict";
import { install, runCli, tempDir, tree } from "./_cli.ts";

Deno.test("without permission to read IMPULSE_DATABASE_URL, a command stops and names --allow-env=IMPULSE_DATABASE_URL", async () => {
  await using dir = await tempDir();
  await using board = await install();
  const env = { IMPULSE_DATABASE_URL: `sqlite:${dir}/from-env.db` };
  const noEnv = ["--allow-read", "--allow-write"];
  for (
    const args of [
      ["migrate"],
      ["migrate", "up"],
      ["migrate", "status"],
      ["migrate", "down"],
      ["migrate", "up", "--json"],
      ["import-impulse71", "--from", String(board)],
    ]
  ) {
    const run = await runCli(args, { flags: noEnv, cwd: dir, env });
    const what = args.join(" ");
    assert.equal(run.code, 1, `${what}: ${run.stdout}${run.stderr}`);
    const text = args.includes("--json")
      ? JSON.parse(run.stdout).error.message
      : run.stderr;
    assert.match(
      text,
      /Cannot read IMPULSE_DATABASE_URL as permission is missing: run with --allow-env=IMPULSE_DATABASE_URL,DATABASE_URL, or name the database with --db <url>/,
      what,
    );
    // Neither the variable's database nor the default one was touched.
    assert.deepEqual(await tree(dir), [], `${what} created nothing`);
  }
  // With --db, the variable is not needed.
  const given = await runCli(
    ["migrate", "up", "--db", `sqlite:${dir}/given.db`],
    { flags: noEnv, cwd: dir, env },
  );
  assert.equal(given.code, 0, given.stderr);
  // With the narrow flag the variable is used.
  const narrow = await runCli(["migrate", "up"], {
    flags: [...noEnv, "--allow-env=IMPULSE_DATABASE_URL"],
    cwd: dir,
    env,
  });
  assert.equal(narrow.code, 0, narrow.stderr);
  assert.match(
    narrow.stdout,
    new RegExp(
      `migrations of ${env.IMPULSE_DATABASE_URL} \\(from IMPULSE_DATABASE_URL\\):`,
    ),
  );
  assert.deepEqual(
    (await tree(dir)).filter((p) => !/-(wal|shm)$/.test(p)),
    ["from-env.db", "given.db"],
  );
});

Deno.test("a bad database URL read from IMPULSE_DATABASE_URL or DATABASE_URL names the variable to fix; one given with --db does not", async () => {
  await using dir = await tempDir();
  const cases: [string, string][] = [
    ["mysql://board@127.0.0.1/board", "URL scheme is unsupported"],
    [" sqlite:./board.db", "URL has no scheme"],
    ["postgres://board@127.0.0.1/board?bogus=1", 'parameter: "bogus"'],
  ];
  for (const variable of ["IMPULSE_DATABASE_URL", "DATABASE_URL"]) {
    for (const [url, problem] of cases) {
      const run = await runCli(["migrate", "status"], {
        cwd: String(dir),
        env: { [variable]: url },
      });
      assert.equal(run.code, 2, run.stderr);
      assert.ok(run.stderr.includes(problem), run.stderr);
      assert.ok(
        run.stderr.endsWith(
          `: the URL came from ${variable}: fix it there, or give --db <url>\n`,
        ),
        run.stderr,
      );
    }
  }
  const given = await runCli(["migrate", "status", "--db", cases[0]![0]], {
    cwd: String(dir),
  });
  assert.equal(given.code, 2, given.stderr);
  assert.ok(!given.stderr.includes("came from"), given.stderr);
  assert.deepEqual(await tree(String(dir)), []);
});
