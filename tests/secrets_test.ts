/**
 * Connection passwords never reach any output, error message, stack or JSON, whatever
 * characters they hold: every ASCII punctuation character, spaces, `%` sequences, non-ASCII.
 * Redaction works on the URL's structure (the password between `user:` and the host's `@`, in
 * every spelling: as written, as a URL parser normalises it, percent-decoded, percent-encoded,
 * JSON-escaped), so no character can end it early. Every command of the CLI, in process and as
 * a process, and the errors of `openStorage` and `openMigrator`.
 *
 * Every password holds the marker `canary`: no output may hold it.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { main } from "../src/cli/mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { install, runCli } from "./_cli.ts";
import { capture } from "./_migrate.ts";
import { createDatabase, postgresMissing, rawClient } from "./_postgres.ts";
import {
  ALL_PUNCTUATION,
  PASSWORDS,
  urlsWith,
} from "../src/_passwords_test.ts";

/** Passwords for the runs against the server: one of each kind of trouble. */
const LIVE = [
  "pass word canary",
  'a"canary"b',
  "a'canary'b",
  "a<canary>b",
  "a`canary`b",
  ALL_PUNCTUATION,
  "canary%41%42",
  "pässwörd-密码-canary",
];

function assertNoCanary(text: string, what: string): void {
  assert.ok(!text.includes("canary"), `${what} shows a password: ${text}`);
}

/** Everything a log could show of an error: message, stack, inspection (causes too), JSON. */
function shown(error: unknown): string {
  return [
    String(error),
    (error as Error)?.stack ?? "",
    Deno.inspect(error, { depth: 10 }),
    JSON.stringify(error),
  ].join("\n");
}

/** Runs `main()` in process and returns everything it printed. */
async function printed(args: string[]): Promise<string> {
  const { out, lines, errors, data } = capture(args.includes("--json"));
  await main(args, out);
  return [...lines, ...errors, ...data.map((d) => JSON.stringify(d))].join(
    "\n",
  );
}

Deno.test("the command line never prints the password of a server it cannot reach", async () => {
  await using board = await install();
  const from = String(board);
  // Each refused connection is retried for about 3 s: two passwords of every kind of trouble.
  for (const password of [ALL_PUNCTUATION, "a`\"'<canary> %41ä"]) {
    for (
      const url of urlsWith(password, "postgres://bbs@127.0.0.1:1/board")
    ) {
      const refused = `${url}${
        url.includes("?") ? "&" : "?"
      }connectTimeoutMs=2000`;
      for (
        const args of [
          ["migrate", "status", "--db", refused],
          ["migrate", "up", "--db", refused, "--json"],
          ["copy", "--from", refused, "--to", "sqlite::memory:"],
          ["import-impulse71", "--from", from, "--dry-run", "--db", refused],
          ["migrate", "status", `--db=${refused}`],
        ]
      ) {
        const output = await printed(args);
        assertNoCanary(output, args.slice(0, 2).join(" "));
        assert.match(output, /error/, "the command failed");
      }
    }
  }
});

Deno.test("openStorage() and openMigrator() never show a password in their errors", async () => {
  for (const password of PASSWORDS) {
    const urls = [
      ...urlsWith(password, "postgres://bbs@127.0.0.1:1/board"),
      `postgres://bbs:${encodeURIComponent(password)}%zz@127.0.0.1:1/board`,
      `postgres://bbs:${
        encodeURIComponent(password)
      }@127.0.0.1:1/board?poolSize=0`,
      `postgres://bbs:${
        encodeURIComponent(password)
      }@127.0.0.1:1/board?password=x`,
      `mysql://bbs:${encodeURIComponent(password)}@127.0.0.1/board`,
      `//bbs:${encodeURIComponent(password)}@127.0.0.1/board`,
    ];
    for (const url of urls) {
      // openMigrator() retries a refused connection for about 3 s: a few passwords only.
      const migrator = LIVE.includes(password) && !url.includes("%zz");
      for (
        const open of [
          () => openStorage(url, { retry: { attempts: 1 } }),
          ...(migrator ? [() => openMigrator(url)] : []),
        ]
      ) {
        const error = await open().then((s) => s.close(), (e) => e);
        assert.ok(error instanceof StorageError, String(error));
        assertNoCanary(shown(error), "an open error");
      }
    }
  }
});

Deno.test({
  name:
    "no command prints a connection password of any characters, in process or as a process",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_secrets");
    const sqlite = await Deno.makeTempDir({ prefix: "impulse-secrets-" });
    await using board = await install();
    const from = String(board);
    try {
      const base = new URL(db.url);
      base.password = "";
      const outputs: [string, string][] = [];
      for (const [i, password] of LIVE.entries()) {
        // Trust authentication ignores the password: every URL connects.
        for (const url of urlsWith(password, base.href)) {
          const copy = `sqlite:${sqlite}/copy-${i}-${outputs.length}.db`;
          for (
            const args of [
              ["migrate", "up", "--db", url],
              ["migrate", "down", "--db", url],
              ["migrate", "to", "1", "--yes", "--db", url, "--json"],
              ["migrate", "up", "--db", url, "--json"],
              ["migrate", "status", "--db", url],
              ["migrate", "status", "--db", url, "--json"],
              ["import-impulse71", "--from", from, "--dry-run", "--db", url],
              [
                "import-impulse71",
                "--from",
                from,
                "--dry-run",
                "--db",
                url,
                "--json",
              ],
              ["copy", "--from", url, "--to", copy],
              [
                "copy",
                "--from",
                copy,
                "--to",
                url,
                "--force",
                "--yes",
                "--json",
              ],
              ["copy", "--from", url, "--to", url],
            ]
          ) {
            outputs.push([args.slice(0, 2).join(" "), await printed(args)]);
          }
        }
      }
      // Slower: the scratch database of verify, and every command as a process.
      for (const [i, password] of LIVE.slice(0, 4).entries()) {
        const [url] = urlsWith(password, base.href);
        outputs.push([
          "migrate verify",
          await printed(["migrate", "verify", "--db", url!]),
        ]);
        for (
          const args of [
            ["migrate", "status", "--db", url!],
            ["migrate", "up", "--json", `--db=${url}`],
            [
              "copy",
              "--from",
              url!,
              "--to",
              `sqlite:${sqlite}/process-${i}.db`,
            ],
            ["import-impulse71", "--from", from, "--dry-run", "--db", url!],
          ]
        ) {
          const run = await runCli(args);
          outputs.push([
            `process: ${args.slice(0, 2).join(" ")}`,
            run.stdout + run.stderr,
          ]);
        }
      }
      for (const [what, output] of outputs) {
        assertNoCanary(output, what);
        assert.match(output, /\S/, `${what} printed something`);
      }
      assert.ok(
        outputs.some(([, o]) => o.includes(":***@")),
        "URLs are shown, redacted",
      );
    } finally {
      await Deno.remove(sqlite, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "a login the server refuses never shows the role's password, set with ALTER ROLE … PASSWORD",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_secrets_role");
    const role = `impulse_secret_${Deno.pid}_${
      crypto.randomUUID().slice(0, 6)
    }`;
    const admin = rawClient();
    try {
      // The cluster trusts 127.0.0.1, so the refusal comes from the role: it may not log in.
      await admin.unsafe(`CREATE ROLE "${role}" NOLOGIN`);
      for (const password of LIVE) {
        await admin.unsafe(
          `ALTER ROLE "${role}" PASSWORD '${password.replaceAll("'", "''")}'`,
        );
        const base = new URL(db.url);
        base.username = role;
        base.password = "";
        for (const url of urlsWith(password, base.href)) {
          const error = await openStorage(url, { retry: { attempts: 1 } })
            .then((s) => s.close(), (e) => e);
          assert.ok(error instanceof StorageError, String(error));
          assert.equal(error.kind, "unavailable", error.message);
          assert.match(error.message, /not permitted to log in|login/i);
          assertNoCanary(shown(error), "a refused login");
          const output = await printed(["migrate", "status", "--db", url]);
          assertNoCanary(output, "migrate status of a refused login");
          assert.match(output, /^error: /);
        }
      }
    } finally {
      await admin.unsafe(`DROP ROLE IF EXISTS "${role}"`).catch(() => {});
      await admin.end();
    }
  },
});
