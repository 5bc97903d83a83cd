/**
 * Security: file modes of what the SQLite driver creates, secrets that must never reach the
 * database files, errors or command-line output, redaction of connection passwords, and the
 * least permissions each driver runs with (the flags the README documents).
 *
 * @module
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { openStorage, type Storage, StorageError } from "../mod.ts";
import { main, type Output } from "../src/cli/mod.ts";
import { redactUrl } from "../src/redact.ts";
import { rejectsKind } from "./_assert.ts";
import { runMigrate } from "./_migrate.ts";
import { FAST } from "./_impulse71.ts";
import {
  concat,
  status,
  user,
  writeInstall,
} from "../src/import/impulse71/_builders_test.ts";
import { importImpulse71 } from "../src/import/mod.ts";
import {
  createDatabase,
  POSTGRES_URL,
  postgresMissing,
  rawClient,
} from "./_postgres.ts";
import { testPath } from "./_stress.ts";
import { TARGETS } from "./_targets.ts";

const ffiMissing = TARGETS.find((t) => t.name === "sqlite-ffi-file")!.ignore;
const ENGINES = ffiMissing ? ["node"] : ["node", "ffi"];
const ROOT = new URL("..", import.meta.url).pathname;

function modeOf(path: string): string {
  return (Deno.statSync(path).mode! & 0o777).toString(8);
}

/** Runs `fn` with the process's umask set to `mask`. */
async function withUmask<T>(mask: number, fn: () => Promise<T>): Promise<T> {
  const old = Deno.umask(mask);
  try {
    return await fn();
  } finally {
    Deno.umask(old);
  }
}

async function tempDir(): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "impulse-security-" });
  return Object.assign(dir, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as string & AsyncDisposable;
}

for (const engine of ENGINES) {
  Deno.test({
    name:
      `[${engine}] openStorage() creates the file, its -wal and -shm, and missing directories for the owner only, whatever the umask`,
    ignore: Deno.build.os === "windows",
    async fn() {
      await using dir = await tempDir();
      await withUmask(0, async () => {
        const path = `${dir}/a/b/board.db`;
        await using s = await openStorage(`sqlite:${path}?engine=${engine}`);
        await s.users.create({ username: "sysop", passwordHash: "h" });
        assert.deepEqual(
          [
            `${dir}/a`,
            `${dir}/a/b`,
            path,
            `${path}-wal`,
            `${path}-shm`,
          ].map(modeOf),
          ["700", "700", "600", "600", "600"],
        );
      });
    },
  });
}

Deno.test({
  name:
    "openStorage() applies options.sqlite.fileMode and dirMode exactly and leaves existing files alone",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using dir = await tempDir();
    await withUmask(0o077, async () => {
      const path = `${dir}/shared/board.db`;
      await using s = await openStorage(`sqlite:${path}`, {
        sqlite: { fileMode: 0o640, dirMode: 0o750 },
      });
      await s.users.create({ username: "sysop", passwordHash: "h" });
      assert.deepEqual(
        [`${dir}/shared`, path, `${path}-wal`].map(modeOf),
        ["750", "640", "640"],
      );
    });
    // A file and directory that exist keep their modes.
    await Deno.mkdir(`${dir}/mine`, { mode: 0o755 });
    await Deno.chmod(`${dir}/mine`, 0o755);
    await Deno.writeFile(`${dir}/mine/board.db`, new Uint8Array(), {
      mode: 0o644,
    });
    await Deno.chmod(`${dir}/mine/board.db`, 0o644);
    {
      await using _s = await openStorage(`sqlite:${dir}/mine/board.db`);
    }
    assert.deepEqual(
      [`${dir}/mine`, `${dir}/mine/board.db`].map(modeOf),
      ["755", "644"],
    );
  },
});

Deno.test("openStorage() refuses file modes that lock the owner out, creating nothing", async () => {
  await using dir = await tempDir();
  const url = `sqlite:${dir}/new/board.db`;
  const cases: [Record<string, number>, string][] = [
    [{ fileMode: 0o400 }, "options.sqlite.fileMode"],
    [{ fileMode: 0o1600 }, "options.sqlite.fileMode"],
    [{ fileMode: 6.5 }, "options.sqlite.fileMode"],
    [{ dirMode: 0o600 }, "options.sqlite.dirMode"],
    [{ dirMode: -1 }, "options.sqlite.dirMode"],
  ];
  for (const [sqlite, field] of cases) {
    const error = await rejectsKind(
      openStorage(url, { sqlite }),
      "validation",
      field,
    );
    assert.doesNotMatch(error.message, /got undefined/);
  }
  assert.deepEqual([...Deno.readDirSync(dir)], []);
});

/** Every form a 32-byte token could take in a file: as given, its raw bytes, and hex. */
function tokenForms(token: string): Uint8Array[] {
  const raw = Uint8Array.from(
    atob(token.replaceAll("-", "+").replaceAll("_", "/") + "="),
    (c) => c.charCodeAt(0),
  );
  const hex = Array.from(raw, (b) => b.toString(16).padStart(2, "0")).join("");
  const encoder = new TextEncoder();
  return [encoder.encode(token), raw, encoder.encode(hex)];
}

/** Bytes as a string of one character per byte, for fast native searching. */
const bytes = new TextDecoder("latin1");

function contains(haystack: string, needle: Uint8Array): boolean {
  return haystack.includes(bytes.decode(needle));
}

function sha256Hex(text: string): Uint8Array {
  return new TextEncoder().encode(
    createHash("sha256").update(text).digest("hex"),
  );
}

/** Creates sessions and uses their tokens; returns the tokens. */
async function useTokens(s: Storage, count: number): Promise<string[]> {
  const user = await s.users.create({ username: "caller", passwordHash: "h" });
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const { session, token } = await s.sessions.create({
      userId: user.id,
      ipAddress: "192.0.2.1",
      node: i + 1,
    });
    assert.equal((await s.sessions.getByToken(token))?.id, session.id);
    await s.sessions.touch(session.id, { activity: "Reading mail" });
    if (i % 2) await s.sessions.end(session.id);
    tokens.push(token);
  }
  return tokens;
}

/**
 * Asserts that no token appears in `files` in any form, and, so the search is known to see the
 * rows, that each token's SHA-256 (what is stored) does.
 */
function assertNoTokens(
  files: Map<string, Uint8Array>,
  tokens: string[],
) {
  const texts = new Map([...files].map(([n, b]) => [n, bytes.decode(b)]));
  const all = [...texts.values()];
  for (const token of tokens) {
    for (const form of tokenForms(token)) {
      for (const [name, text] of texts) {
        assert.ok(!contains(text, form), `a session token is in ${name}`);
      }
    }
    assert.ok(
      all.some((text) => contains(text, sha256Hex(token))),
      "the stored hash is found: the search sees the rows",
    );
  }
}

for (const engine of ENGINES) {
  Deno.test(`[${engine}] session tokens never reach the database file, its -wal or -shm`, async () => {
    await using dir = await tempDir();
    const path = `${dir}/board.db`;
    const read = (names: string[]) =>
      new Map(
        names.filter((n) => {
          try {
            return Deno.statSync(n).isFile;
          } catch {
            return false;
          }
        }).map((n) => [n, Deno.readFileSync(n)]),
      );
    let tokens: string[];
    {
      await using s = await openStorage(`sqlite:${path}?engine=${engine}`);
      tokens = await useTokens(s, 20);
      // While open, the newest pages are in the WAL.
      const open = read([path, `${path}-wal`, `${path}-shm`]);
      assert.ok(open.has(`${path}-wal`));
      assertNoTokens(open, tokens);
    }
    assertNoTokens(read([path, `${path}-wal`]), tokens);
  });
}

/** The server's files of one database, and the WAL written since `since`, when readable. */
async function postgresFiles(
  name: string,
  since: number,
): Promise<Map<string, Uint8Array> | undefined> {
  const admin = rawClient();
  try {
    await admin`CHECKPOINT`;
    const [row] = await admin`
      SELECT current_setting('data_directory') AS dir, oid::text AS oid
      FROM pg_database WHERE datname = ${name}`;
    const dir = String(row!.dir);
    const files = new Map<string, Uint8Array>();
    const walk = (path: string, filter: (info: Deno.FileInfo) => boolean) => {
      for (const entry of Deno.readDirSync(path)) {
        const full = `${path}/${entry.name}`;
        const info = Deno.statSync(full);
        if (info.isFile && filter(info)) {
          files.set(full, Deno.readFileSync(full));
        }
      }
    };
    try {
      walk(`${dir}/base/${row!.oid}`, () => true);
      walk(`${dir}/pg_wal`, (i) => (i.mtime?.getTime() ?? 0) >= since - 1000);
    } catch (error) {
      if (error instanceof Deno.errors.PermissionDenied) return undefined;
      throw error;
    }
    return files;
  } finally {
    await admin.end();
  }
}

Deno.test({
  name:
    "[postgres] session tokens never reach the server's files (tables and WAL)",
  ignore: postgresMissing !== undefined,
  async fn() {
    const since = Date.now();
    await using db = await createDatabase("impulse_secret");
    let tokens: string[];
    {
      await using s = await openStorage(db.url);
      tokens = await useTokens(s, 20);
    }
    const files = await postgresFiles(db.name, since);
    if (files === undefined) {
      console.warn("skipped: the PostgreSQL data directory is not readable");
      return;
    }
    assertNoTokens(files, tokens);
  },
});

/** Impulse 7.1 kept passwords in clear; the import must store only their hashes. */
const OLD_PASSWORDS = ["ZEBRA7CANARY", "quasar99canary"];

async function importOldBoard(s: Storage): Promise<unknown> {
  const dir = await writeInstall({
    "STATUS.DAT": status("C:\\BBS\\DATA\\", "C:\\BBS\\MSGS\\"),
    "DATA/USER.LST": concat(
      user({ name: "NEW USER" }),
      user({ name: "SYSOP", password: OLD_PASSWORDS[0] }),
      user({ name: "ANNABELLE", password: OLD_PASSWORDS[1] }),
    ),
  });
  try {
    const report = await importImpulse71(dir, s, FAST);
    assert.equal(report.counts.users.imported, 2);
    return report;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Asserts that no old password is in `files` in any case, and that "ANNABELLE" is. */
function assertNoPasswords(files: Map<string, Uint8Array>, report: unknown) {
  const encoder = new TextEncoder();
  const texts = [...files.values()].map((b) => bytes.decode(b));
  for (const password of OLD_PASSWORDS) {
    for (
      const form of [password, password.toUpperCase(), password.toLowerCase()]
    ) {
      for (const text of texts) {
        assert.ok(!contains(text, encoder.encode(form)), "a password in clear");
      }
      assert.ok(!JSON.stringify(report).includes(form), "the report shows it");
    }
  }
  assert.ok(texts.some((t) => contains(t, encoder.encode("ANNABELLE"))));
}

Deno.test("[sqlite] passwords imported from Impulse 7.1 reach no database file in clear", async () => {
  await using dir = await tempDir();
  const path = `${dir}/board.db`;
  await using s = await openStorage(`sqlite:${path}`);
  const report = await importOldBoard(s);
  const files = new Map(
    [path, `${path}-wal`].map((n) => [n, Deno.readFileSync(n)]),
  );
  assertNoPasswords(files, report);
});

Deno.test({
  name:
    "[postgres] passwords imported from Impulse 7.1 reach none of the server's files in clear",
  ignore: postgresMissing !== undefined,
  async fn() {
    const since = Date.now();
    await using db = await createDatabase("impulse_import_secret");
    let report: unknown;
    {
      await using s = await openStorage(db.url);
      report = await importOldBoard(s);
    }
    const files = await postgresFiles(db.name, since);
    if (files === undefined) {
      console.warn("skipped: the PostgreSQL data directory is not readable");
      return;
    }
    assertNoPasswords(files, report);
  },
});

const SECRET = "Sw0rdf1sh-canary-7f3a";
/** A password that must be percent-encoded in a URL. */
const URL_PASSWORD = "p@ss/w0rd?#canary-91";
/** A password with a bare `@`, which URL parsers accept (the last `@` ends it). */
const AT_PASSWORD = "p@ssw0rd!canary";

/** A capturing CLI output. */
function captured(json = false): Output & { all(): string } {
  const lines: string[] = [];
  return {
    json,
    text: (line) => lines.push(line),
    data: (value) => lines.push(JSON.stringify(value)),
    error: (line) => lines.push(line),
    progress: (line) => lines.push(line),
    all: () => lines.join("\n"),
  };
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

function assertHidden(text: string, what: string): void {
  for (
    const secret of [
      SECRET,
      URL_PASSWORD,
      encodeURIComponent(URL_PASSWORD),
      AT_PASSWORD,
      "w0rd",
    ]
  ) {
    assert.ok(!text.includes(secret), `${what} shows a secret: ${text}`);
  }
  assert.ok(
    !text.includes("canary"),
    `${what} shows part of a secret: ${text}`,
  );
}

Deno.test("errors never show a password hash or token given to an operation", async () => {
  await using s = await openStorage("sqlite::memory:");
  const errors: unknown[] = [];
  const fail = async (work: () => Promise<unknown>) => {
    try {
      await work();
      assert.fail(`expected a failure: ${work}`);
    } catch (error) {
      assert.ok(error instanceof StorageError, String(error));
      errors.push(error);
    }
  };
  const user = await s.users.create({
    username: "taken",
    passwordHash: SECRET,
  });
  await fail(() => s.users.create({ username: "TAKEN", passwordHash: SECRET }));
  await fail(() =>
    s.users.create({ username: "bad\u0001", passwordHash: SECRET })
  );
  await fail(() =>
    s.users.create({ username: "long", passwordHash: SECRET.repeat(40) })
  );
  await fail(() => s.users.update(user.id + 99, { passwordHash: SECRET }));
  await fail(() =>
    s.users.update(user.id, { passwordHash: SECRET, securityLevel: 999 })
  );
  await fail(() =>
    s.transaction(async (tx) => {
      await tx.users.create({ username: "intx", passwordHash: SECRET });
      await tx.users.create({ username: "INTX", passwordHash: SECRET });
    })
  );
  const { token } = await s.sessions.create({
    userId: user.id,
    ipAddress: "192.0.2.1",
  });
  assert.equal(await s.sessions.getByToken(token + SECRET + "\0"), null);
  await s.close();
  await fail(() => s.sessions.getByToken(token));
  await fail(() => s.users.create({ username: "after", passwordHash: SECRET }));
  assert.equal(errors.length, 8);
  for (const error of errors) {
    const text = shown(error);
    assertHidden(text, "an error");
    assert.ok(!text.includes(token), `an error shows a session token: ${text}`);
  }
});

Deno.test("redactUrl() hides every connection password, with @, /, ? or # in it", () => {
  const cases = [
    `postgres://bbs:${URL_PASSWORD}@db.example:5432/board`,
    `postgresql://bbs:${
      encodeURIComponent(URL_PASSWORD)
    }@db/board?sslmode=require`,
    `postgres://bbs:${SECRET}@[::1]:5432/board`,
    `postgres://bbs:${AT_PASSWORD}@db.example/board`,
  ];
  for (const url of cases) {
    const out = redactUrl(url);
    assertHidden(out, "redactUrl()");
    assert.match(out, /:\*\*\*@/);
  }
  assert.equal(
    redactUrl("postgres://bbs@h:5432/db"),
    "postgres://bbs@h:5432/db",
  );
  assert.equal(
    redactUrl("sqlite:./data/impulse.db"),
    "sqlite:./data/impulse.db",
  );
});

Deno.test({
  name:
    "connection passwords never show in errors or in the output of migrate and copy",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_redact");
    const withPassword = (url: string, password = URL_PASSWORD) => {
      const u = new URL(url);
      u.password = encodeURIComponent(password);
      return u.toString();
    };
    // Trust authentication ignores the password: these connect.
    const good = withPassword(db.url);
    const raw = good.replace(encodeURIComponent(URL_PASSWORD), AT_PASSWORD);
    const refused = withPassword("postgres://postgres@127.0.0.1:1/none");
    const missing = withPassword(
      new URL("/impulse_no_such_database", POSTGRES_URL).toString(),
    );
    const fast = { retry: { attempts: 1 } };
    const errors: unknown[] = [];
    for (const url of [refused, missing, `${good}?poolSize=0`]) {
      errors.push(await openStorage(url, fast).catch((e) => e));
    }
    errors.push(await openStorage(`mysql://u:${SECRET}@h/db`).catch((e) => e));
    for (const error of errors) {
      assert.ok(error instanceof StorageError, String(error));
      assertHidden(shown(error), "an open error");
    }
    await using sqlite = await tempDir();
    const outputs: string[] = [];
    for (
      const args of [
        ["migrate", "up", "--db", good],
        ["migrate", "status", "--db", raw],
        ["migrate", "status", "--db", raw, "--json"],
        ["migrate", "status", "--db", missing],
        ["copy", "--from", good, "--to", `sqlite:${sqlite}/copy.db`],
        ["copy", "--from", `sqlite:${sqlite}/copy.db`, "--to", good],
        ["copy", "--from", good, "--to", good],
      ]
    ) {
      const out = captured(args.includes("--json"));
      await main(args, out);
      assertHidden(out.all(), args.slice(0, 2).join(" "));
      outputs.push(out.all());
    }
    const process = await runMigrate(["status", "--db", raw]);
    outputs.push(process.stdout + process.stderr);
    for (const output of outputs) {
      assertHidden(output, "the command line");
      assert.match(output, /\S/, "the command printed something");
    }
  },
});

/** The least permissions of each driver, as the README's Permissions section lists them. */
const SQLITE_FLAGS = "--allow-read=<dir> --allow-write=<dir>";
const FFI_FLAGS = "--allow-read=<dir> --allow-write=<dir> --allow-ffi";
const POSTGRES_FLAGS = "--allow-net=127.0.0.1:5432 --allow-env";
/** The variables postgres.js 3.4 reads when the URL names host, port, user and database. */
const POSTGRES_ENV = [
  "PGPASSWORD",
  "PGAPPNAME",
  "PGSSLNEGOTIATION",
  "PGMAX_LIFETIME",
  "PGMAX_PIPELINE",
  "PGKEEP_ALIVE",
  "PGDEBUG",
  "PGPUBLICATIONS",
  "PGTARGET_SESSION_ATTRS",
  "PGTARGETSESSIONATTRS",
];

async function runLeast(
  flags: string,
  url: string,
): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      ...flags.split(" "),
      testPath("./_least_privilege.ts"),
      url,
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code,
    output: decoder.decode(stdout) + decoder.decode(stderr),
  };
}

Deno.test("the README lists the least permissions the tests run with", async () => {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const section = readme.slice(readme.indexOf("## Permissions"));
  for (const flags of [SQLITE_FLAGS, FFI_FLAGS, POSTGRES_FLAGS]) {
    assert.ok(section.includes(flags), `README lists ${flags}`);
  }
  assert.ok(section.includes(`--allow-env=${POSTGRES_ENV.join(",")}`));
});

for (const engine of ENGINES) {
  Deno.test(`[${engine}] the SQLite driver works with only ${engine === "ffi" ? FFI_FLAGS : SQLITE_FLAGS}`, async () => {
    await using dir = await tempDir();
    const flags = (engine === "ffi" ? FFI_FLAGS : SQLITE_FLAGS)
      .replaceAll("<dir>", dir);
    const url = `sqlite:${dir}/board.db?engine=${engine}`;
    const run = await runLeast(flags, url);
    assert.equal(run.code, 0, run.output);
    assert.equal(run.output, "ok\n");
    // One permission fewer fails clearly, as unavailable, naming the missing flag.
    const fewer = await runLeast(
      flags.replace(/ --allow-write=\S+/, ""),
      `sqlite:${dir}/other.db?engine=${engine}`,
    );
    assert.notEqual(fewer.code, 0);
    assert.match(
      fewer.output,
      /StorageError: .*permission is missing.*--allow-write/,
    );
    // The database's directory may not exist yet: it is made with those flags alone, without
    // reading its parent.
    const made = await runLeast(
      flags.replaceAll(`=${dir}`, `=${dir}/data`),
      `sqlite:${dir}/data/board.db?engine=${engine}`,
    );
    assert.equal(made.code, 0, made.output);
    assert.equal(made.output, "ok\n");
  });
}

Deno.test({
  name: `[postgres] the PostgreSQL driver works with only ${POSTGRES_FLAGS}`,
  ignore: postgresMissing !== undefined ||
    !/^postgres:\/\/[^:@]+@127\.0\.0\.1:5432\//.test(POSTGRES_URL),
  async fn() {
    for (
      const flags of [
        POSTGRES_FLAGS,
        `--allow-net=127.0.0.1:5432 --allow-env=${POSTGRES_ENV.join(",")}`,
      ]
    ) {
      await using db = await createDatabase("impulse_least");
      const run = await runLeast(flags, db.url);
      assert.equal(run.code, 0, `${flags}: ${run.output}`);
      assert.equal(run.output, "ok\n");
    }
    await using db = await createDatabase("impulse_least");
    const fewer = await runLeast("--allow-net=127.0.0.1:5432", db.url);
    assert.notEqual(fewer.code, 0);
    assert.match(
      fewer.output,
      /StorageError: .*permission is missing.*--allow-env/,
    );
  },
});
