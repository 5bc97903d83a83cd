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
