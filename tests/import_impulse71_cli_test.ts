/**
 * `deno task import-impulse71`: the task as a sysop runs it (the sample into SQLite, twice),
 * and the command's report, JSON and usage errors in process.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openStorage, verifyPassword } from "../mod.ts";
import { main } from "../src/cli/mod.ts";
import type { Impulse71ImportReport } from "../src/import/mod.ts";
import { SAMPLE } from "./_impulse71.ts";
import { capture } from "./_migrate.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const ignore = SAMPLE === null;

/** Runs `deno task import-impulse71 …` in the repository, as a sysop would. */
async function task(args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "import-impulse71", ...args],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

Deno.test({
  name:
    "deno task import-impulse71 brings the sample into SQLite, then refuses to do it again",
  ignore,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "impulse-import-cli-" });
    try {
      const url = `sqlite:${dir}/data/imported.db`;
      const first = await task(["--from", SAMPLE!, "--db", url]);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^imported .* -> sqlite:/);
      for (
        const row of [
          /users +6 +5 +1/,
          /messageAreas +4 +3 +1/,
          /mail +98 +80 +18/,
          /files +64 +13 +51/,
          /lastCallers +10 +10 +0/,
        ]
      ) {
        assert.match(first.stdout, row);
      }
      assert.match(
        first.stdout,
        /files: DATA\/TEST.DIR #1: File "ZZ-IMP.DIZ" is skipped with its area/,
      );
      {
        await using storage = await openStorage(url);
        const sysop = (await storage.users.findByUsername("sysop"))!;
        // The default cost, marked case-insensitive.
        assert.match(sysop.passwordHash, /^\$scrypt\$ln=15,r=8,p=1,ci=1\$/);
        assert.equal(await verifyPassword("Flare", sysop.passwordHash), true);
      }
      const second = await task(["--from", SAMPLE!, "--db", url]);
      assert.equal(second.code, 1);
      assert.equal(second.stdout, "");
      const lines = second.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, second.stderr);
      assert.match(
        lines[0]!,
        /^error: Cannot import the Impulse 7.1 install as the target already holds user "SYSOP"/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "import-impulse71 --dry-run --json prints the report of an import into an empty database",
  ignore,
  async fn() {
    const { out, data, lines } = capture(true);
    const code = await main([
      "import-impulse71",
      "--from",
      SAMPLE!,
      "--dry-run",
      "--json",
    ], out);
    assert.equal(code, 0);
    assert.deepEqual(lines, []);
    const report = data[0] as Impulse71ImportReport;
    assert.equal(report.dryRun, true);
    assert.deepEqual(report.counts.users, { read: 6, imported: 5, skipped: 1 });
    assert.equal(report.problems.length, 74);
    // The report never carries a password.
    assert.doesNotMatch(JSON.stringify(report), /FLARE/);
  },
});

Deno.test({
  name:
    "import-impulse71 prints a dry run as text with the time zone it was given",
  ignore,
  async fn() {
    const { out, lines } = capture();
    const code = await main([
      "import-impulse71",
      "--from",
      SAMPLE!,
      "--dry-run",
      "--include-orphans",
      "--time-zone",
      "Europe/Berlin",
    ], out);
    assert.equal(code, 0);
    assert.match(
      lines[0]!,
      /^dry run of .* -> sqlite::memory:: nothing was written$/,
    );
    assert.ok(lines.some((line) => /fileAreas +4 +3 +1/.test(line)));
    assert.match(
      lines.at(-1)!,
      /^decoder findings \(--json lists each\): scratch_record 1, /,
    );
  },
});

Deno.test("import-impulse71 says what is wrong with its arguments in one line", async () => {
  for (
    const [args, pattern] of [
      [[], /^error: Missing --from/],
      [
        ["--from", "x", "--bogus"],
        /^error: Unknown option "--bogus": see deno task import-impulse71 --help$/,
      ],
      [
        ["--from", "x", "stray"],
        /^error: Unexpected argument "stray": import-impulse71 takes no positional arguments: see deno task import-impulse71 --help$/,
      ],
      [
        ["--from", "/nowhere/at/all", "--dry-run"],
        /^error: Cannot read the Impulse 7.1 install as the directory does not exist/,
      ],
      [
        ["--from", ".", "--dry-run", "--time-zone", "Nowhere"],
        /^error: Invalid importImpulse71 input: options.timeZone must be an IANA time zone/,
      ],
    ] as const
  ) {
    const { out, errors, lines } = capture();
    const code = await main(["import-impulse71", ...args], out);
    assert.ok(code === 1 || code === 2, `${args}: ${code}`);
    assert.deepEqual(lines, []);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, pattern);
  }
  const { out, lines } = capture();
  assert.equal(await main(["import-impulse71", "--help"], out), 0);
  assert.match(
    lines[0]!,
    /^Usage: deno task import-impulse71 --from <install dir> --db <url>/,
  );
});
