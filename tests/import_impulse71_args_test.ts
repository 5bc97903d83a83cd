/**
 * The import's arguments, from the promises "bad input fails as `validation`, naming the field,
 * and writes nothing" and "if the import fails, the database is left as it was":
 * `importImpulse71` refuses a directory, storage or options that are not ones as `validation`
 * naming the field, before it reads anything, leaving the target as it was; the
 * `import-impulse71` command checks its options and reads the install before it opens a
 * database, so bad options or a missing install create and migrate nothing, on SQLite and
 * PostgreSQL.
 *
 * @module
 */
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { StorageError } from "../mod.ts";
import { main } from "../src/cli/mod.ts";
import { importImpulse71 } from "../src/import/mod.ts";
import {
  status,
  user,
  writeInstall,
} from "../src/import/impulse71/_builders_test.ts";
import { concat } from "../src/import/impulse71/_builders_test.ts";
import { FAST } from "./_impulse71.ts";
import { capture, persistentTest, snapshot, sqlQuery } from "./_migrate.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;

/** A revoked Proxy: reading anything of it throws a TypeError. */
function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** The smallest install: STATUS.DAT and USER.LST with the scratch slot and one user. */
function smallInstall(): Promise<string> {
  return writeInstall({
    "STATUS.DAT": status("C:\\BBS\\DATA\\", "C:\\BBS\\MSGS\\"),
    "DATA/USER.LST": concat(user({ name: "" }), user({ name: "SYSOP" })),
  });
}

/** `importImpulse71(directory, storage, options)` calls that must fail, with the field. */
function badCalls(storage: unknown): [string, unknown[], string][] {
  const ok = "/nonexistent/impulse71";
  return [
    ["an https: URL", [new URL("https://x/"), storage, {}], "directory"],
    [
      "a file: URL with a host",
      [new URL("file://host/x"), storage, {}],
      "directory",
    ],
    ["a NUL in the path", ["/bbs/imp\0", storage, {}], "directory"],
    ["an empty path", ["", storage, {}], "directory"],
    ["a number", [42, storage, {}], "directory"],
    ["null", [null, storage, {}], "directory"],
    ["no directory", [], "storage"],
    ["a revoked Proxy directory", [revoked(), storage, {}], "directory"],
    ["null storage", [ok, null, {}], "storage"],
    ["an object as storage", [ok, {}, {}], "storage"],
    ["a revoked Proxy storage", [ok, revoked(), {}], "storage"],
    ["null options", [ok, storage, null], "options"],
    ["revoked Proxy options", [ok, storage, revoked()], "options"],
    ['dryRun "yes"', [ok, storage, { dryRun: "yes" }], "options.dryRun"],
    ['dryRun "false"', [ok, storage, { dryRun: "false" }], "options.dryRun"],
    [
      "an unknown zone",
      [ok, storage, { timeZone: "Mars/Olympus" }],
      "options.timeZone",
    ],
    [
      "passwordCost 9",
      [ok, storage, { passwordCost: 9 }],
      "options.passwordCost",
    ],
    ["an unknown option", [ok, storage, { dryrun: true }], "options.dryrun"],
    ["onProgress 1", [ok, storage, { onProgress: 1 }], "options.onProgress"],
  ];
}

persistentTest(
  "importImpulse71() refuses a bad directory, storage or option as validation, writing nothing",
  async (fresh) => {
    await using storage = await fresh.open();
    const before = await snapshot(fresh.url);
    for (const [label, args, field] of badCalls(storage)) {
      await assert.rejects(
        () => (importImpulse71 as Loose)(...args),
        (error: unknown) => {
          assert.ok(error instanceof StorageError, `${label}: ${error}`);
          assert.equal(error.kind, "validation", `${label}: ${error.message}`);
          assert.equal(error.field, field, `${label}: ${error.message}`);
          return true;
        },
        label,
      );
    }
    assert.deepEqual(await snapshot(fresh.url), before);
    // A file: URL is a directory like its path.
    const install = await smallInstall();
    try {
      const report = await importImpulse71(
        pathToFileURL(install),
        storage,
        FAST,
      );
      assert.equal(report.directory, install);
      assert.equal(report.counts.users.imported, 1);
    } finally {
      await Deno.remove(install, { recursive: true });
    }
  },
);

/** What a database URL of the test holds: the SQLite files, or PostgreSQL's tables. */
async function contents(url: string, dir: string): Promise<string[]> {
  if (url.startsWith("sqlite:")) {
    const names: string[] = [];
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
    return names.sort();
  }
  const rows = await sqlQuery(
    url,
    "SELECT table_name AS name FROM information_schema.tables " +
      "WHERE table_schema = current_schema() ORDER BY 1",
  );
  return rows.map((row) => String(row.name));
}

persistentTest(
  "import-impulse71 with bad options or no install creates and migrates no database",
  async (fresh) => {
    // SQLite: a database that does not exist yet, in a directory that does not either.
    const url = fresh.url.replace("/board.db", "/new/board.db");
    const dir = fresh.url.startsWith("sqlite:")
      ? fresh.url.slice("sqlite:".length, fresh.url.indexOf("/board.db"))
      : "";
    if (dir) await Deno.mkdir(dir, { recursive: true });
    const empty = await Deno.makeTempDir({ prefix: "impulse-empty-" });
    const install = await smallInstall();
    try {
      const before = await contents(url, dir);
      for (
        const [args, code, pattern] of [
          [
            ["--from", "/nonexistent", "--time-zone", "Mars/Olympus"],
            2,
            /options\.timeZone must be an IANA time zone/,
          ],
          [
            ["--from", install, "--time-zone", "Mars/Olympus"],
            2,
            /options\.timeZone must be an IANA time zone/,
          ],
          [["--from", "/nonexistent"], 1, /directory does not exist/],
          [
            ["--from", empty],
            1,
            /holds neither STATUS\.DAT nor DATA\/USER\.LST/,
          ],
          [
            ["--from", "/nonexistent", "--dry-run"],
            1,
            /directory does not exist/,
          ],
        ] as const
      ) {
        const { out, errors } = capture();
        const exit = await main(
          ["import-impulse71", ...args, "--db", url],
          out,
        );
        assert.equal(exit, code, `${args}: ${errors}`);
        assert.match(errors.join("\n"), pattern);
        assert.deepEqual(await contents(url, dir), before, `${args} created`);
      }
      // The same command with good input creates and migrates the database.
      const { out, errors } = capture();
      assert.equal(
        await main(["import-impulse71", "--from", install, "--db", url], out),
        0,
        errors.join("\n"),
      );
      assert.notDeepEqual(await contents(url, dir), before);
    } finally {
      await Deno.remove(empty, { recursive: true });
      await Deno.remove(install, { recursive: true });
    }
  },
);
