/**
 * Database URLs and the places they name, from the README's URL grammar: `sqlite:<path>`,
 * `sqlite://<path>` and `sqlite::memory:` with the parameters `engine` and `library` only.
 * Anything else is `validation` naming the URL and creates nothing; a path that cannot hold a
 * database is `unavailable`. Both SQLite engines, and the PostgreSQL URL parser.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { createMigration, openMigrator } from "../src/migrate/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { tree } from "./_cli.ts";
import { TARGETS } from "./_targets.ts";

const ffiMissing = TARGETS.find((t) => t.name === "sqlite-ffi-file")!.ignore;
const ENGINES = ffiMissing ? ["node"] : ["node", "ffi"];

/** A temp dir that is the working directory while it lives; removed on dispose. */
async function workDir(): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "impulse-urls-" });
  const previous = Deno.cwd();
  Deno.chdir(dir);
  return Object.assign(dir, {
    async [Symbol.asyncDispose]() {
      Deno.chdir(previous);
      await Deno.remove(dir, { recursive: true });
    },
  }) as string & AsyncDisposable;
}

/** URLs beyond the grammar, with the field each must be refused naming. */
const REFUSED: [string, string][] = [
  // SQLite URI filenames: an in-memory database behind a file name, no locking, ….
  ["sqlite:file:board.db", "url"],
  ["sqlite:FILE:board.db", "url"],
  ["sqlite://file:board.db", "url"],
  ["sqlite:file:board.db%3Fmode=memory", "url"],
  ["sqlite:file:board.db?mode=memory", "url"],
  ["sqlite:file:./sub/board.db?nolock=1", "url"],
  ["sqlite:file:/tmp/impulse-urls-x.db?vfs=unix-none", "url"],
  // Parameters SQLite would read: never passed on, refused by name.
  ["sqlite:board.db?nolock=1", "url.nolock"],
  ["sqlite:board.db?mode=memory", "url.mode"],
  ["sqlite:board.db?immutable=1", "url.immutable"],
  ["sqlite:board.db?cache=shared", "url.cache"],
  ["sqlite:board.db?vfs=unix-dotfile", "url.vfs"],
  ["sqlite:board.db?engine=node&engine=ffi", "url.engine"],
  ["sqlite:board.db?engine=", "url.engine"],
  ["sqlite:board.db?engine=sqlite", "url.engine"],
  ["sqlite:board.db?library=%00", "url.library"],
  // Special names, empty and unprintable paths.
  ["sqlite:", "url"],
  ["sqlite://", "url"],
  ["sqlite:?engine=node", "url"],
  ["sqlite::memory", "url"],
  ["sqlite::memroy:", "url"],
  ["sqlite::memory:x", "url"],
  ["sqlite::board.db", "url"],
  ["sqlite:board\0.db", "url"],
  ["sqlite:board.db\n", "url"],
  ["sqlite:bo\tard.db", "url"],
  ["sqlite: board.db", "url"],
  ["sqlite:board.db ", "url"],
];

for (const engine of ENGINES) {
  Deno.test(`[${engine}] openStorage() refuses a sqlite: URL beyond a path and engine/library as validation, creating nothing`, async () => {
    await using dir = await workDir();
    for (const [url, field] of REFUSED) {
      const withEngine = `${url}${
        url.includes("?") ? "&" : "?"
      }engine=${engine}`;
      for (const u of url.includes("engine=") ? [url] : [url, withEngine]) {
        const error = await rejectsKind(openStorage(u), "validation", field);
        assert.ok(error.message.includes(field), error.message);
        await rejectsKind(openMigrator(u), "validation", field);
      }
      assert.deepEqual(await tree(dir), [], `${url} created nothing`);
    }
  });

  Deno.test(`[${engine}] a sqlite: path is taken as written: "%", "?"-like text and "file:" inside a path name a file`, async () => {
    await using dir = await workDir();
    const names = [
      "100%.db",
      "a%zz.db",
      "a%3Fmode=memory.db",
      "a%00b.db",
      "x#y.db",
      "sub/file:board.db",
    ];
    for (const name of names) {
      const url = `sqlite:${name}?engine=${engine}`;
      {
        await using s = await openStorage(url);
        await s.users.create({ username: "kept", passwordHash: "h" });
      }
      // Persisted in that very file: not an in-memory database behind a file name.
      await using again = await openStorage(url, { migrate: "check" });
      assert.equal(
        (await again.users.findByUsername("kept"))?.username,
        "kept",
      );
      assert.ok((await Deno.stat(`${dir}/${name}`)).isFile, name);
      if (Deno.build.os !== "windows") {
        assert.equal((await Deno.stat(`${dir}/${name}`)).mode! & 0o777, 0o600);
      }
    }
    assert.deepEqual(
      (await tree(dir)).filter((p) => !/-(wal|shm)$/.test(p)),
      [...names, "sub"].sort(),
    );
  });

  Deno.test(`[${engine}] openStorage() fails as unavailable, never raw, where a path cannot hold a database`, async () => {
    await using dir = await workDir();
    await Deno.writeTextFile(`${dir}/plain.txt`, "not a directory");
    await Deno.writeTextFile(
      `${dir}/garbage.db`,
      "not a database, only text ".repeat(400),
    );
    await Deno.mkdir(`${dir}/folder`);
    const fifo = await new Deno.Command("mkfifo", { args: [`${dir}/pipe`] })
      .output();
    assert.equal(fifo.code, 0);
    const nullBefore = await Deno.stat("/dev/null");
    const cases: [string, RegExp][] = [
      ["/dev/null", /\/dev\/null .*a device/],
      [`${dir}/folder`, /folder .*a directory/],
      [dir, /a directory/],
      [`${dir}/pipe`, /pipe .*a pipe/],
      [`${dir}/plain.txt/board.db`, /plain\.txt\/board\.db .*not a directory/],
      [`${dir}/plain.txt/deeper/board.db`, /not a directory/],
      [`${dir}/garbage.db`, /garbage\.db|not a database/],
    ];
    for (const [path, pattern] of cases) {
      for (const migrate of ["up", "check", "off"] as const) {
        const error = await rejectsKind(
          openStorage(`sqlite:${path}?engine=${engine}`, { migrate }),
          "unavailable",
        );
        assert.match(error.message, pattern);
        assert.match(error.message, /^[A-Z]/);
      }
      await rejectsKind(
        openMigrator(`sqlite:${path}?engine=${engine}`),
        "unavailable",
      );
      await rejectsKind(
        openMigrator(`sqlite:${path}?engine=${engine}`, { readOnly: true }),
        "unavailable",
      );
    }
    // Where even root may not create a file (sysfs): the operating system's refusal.
    if (Deno.build.os === "linux") {
      const url = `sqlite:/sys/impulse-urls-test/board.db?engine=${engine}`;
      for (const open of [() => openStorage(url), () => openMigrator(url)]) {
        const error = await rejectsKind(open(), "unavailable");
        assert.match(error.message, /\/sys\/impulse-urls-test\/board\.db/);
      }
    }
    const nullAfter = await Deno.stat("/dev/null");
    assert.ok(nullAfter.isCharDevice && nullAfter.ino === nullBefore.ino);
    assert.deepEqual(await tree(dir), [
      "folder",
      "garbage.db",
      "pipe",
      "plain.txt",
    ]);
  });
}

Deno.test('openStorage() with create: false or migrate: "check" is not_found for a missing file and creates nothing', async () => {
  await using dir = await workDir();
  for (
    const options of [
      { create: false },
      { migrate: "check" as const },
      { create: false, migrate: "off" as const },
    ]
  ) {
    for (const url of ["sqlite:board.db", "sqlite:typo/deeper/board.db"]) {
      const error = await rejectsKind(
        openStorage(url, options),
        "not_found",
      );
      assert.match(
        error.message,
        /does not exist: \.\/(typo\/deeper\/)?board\.db/,
      );
    }
  }
  assert.deepEqual(await tree(dir), []);
  await rejectsKind(
    openStorage("sqlite:x.db", { create: 0 as never }),
    "validation",
    "options.create",
  );
});

Deno.test("openStorage() refuses a malformed percent-escape in a PostgreSQL URL as validation naming url, without showing it", async () => {
  const secret = "s3cr%zzet-canary";
  for (
    const url of [
      `postgres://bbs:${secret}@127.0.0.1:1/board`,
      `postgres://bbs:pw%@127.0.0.1:1/board`,
      `postgres://bbs:pw%FF@127.0.0.1:1/board`,
      `postgres://b%zzs:pw@127.0.0.1:1/board`,
      `postgres://bbs:pw@127.0.0.1:1/bo%zzard`,
      `postgresql://bbs:${secret}@127.0.0.1:1/board?sslmode=disable`,
    ]
  ) {
    for (const open of [() => openStorage(url), () => openMigrator(url)]) {
      const error = await rejectsKind(open(), "validation", "url");
      assert.match(error.message, /malformed percent-escape/);
      assert.ok(!`${error.stack}`.includes("canary"), error.stack);
    }
  }
});

Deno.test("validation messages of URL parts, set names and migration names show the rejected value's type and size, never its text", async () => {
  const secret = "Tr0ub4dor";
  const long = "Tr0ub4dor".repeat(1112);
  const pg = "postgres://bbs@127.0.0.1:1/bbs";
  const cases: [string, () => Promise<unknown>, string][] = [
    ...[
      "sslmode",
      "poolSize",
      "statementTimeoutMs",
      "connectTimeoutMs",
      "connect_timeout",
      "idleTimeoutMs",
      "acquireTimeoutMs",
    ].map((key): [string, () => Promise<unknown>, string] => [
      key,
      () => openStorage(`${pg}?${key}=${secret}`),
      `url.${key}`,
    ]),
    [
      "sslrootcert",
      () => openStorage(`${pg}?sslmode=verify-ca&sslrootcert=/etc/${secret}`),
      "url.sslrootcert",
    ],
    ["a long unknown parameter", () => openStorage(`${pg}?${long}=1`), "url.?"],
    [
      "engine",
      () => openStorage(`sqlite::memory:?engine=${secret}`),
      "url.engine",
    ],
    [
      "a long unknown SQLite parameter",
      () => openStorage(`sqlite::memory:?${long}=1`),
      "url.?",
    ],
    [
      "engines that disagree",
      () =>
        openStorage(`sqlite::memory:?library=/lib/${secret}.so`, {
          sqlite: { library: `/lib/other-${secret}.so` },
        }),
      "options.sqlite.library",
    ],
    ["set", () => openMigrator("sqlite::memory:", { set: long }), "set"],
    ["own set", () => openMigrator("sqlite::memory:", { set: secret }), "set"],
    [
      "migration name",
      () => createMigration("/nonexistent", `${secret} x`),
      "name",
    ],
    [
      "long migration name",
      () => createMigration("/nonexistent", long),
      "name",
    ],
  ];
  for (const [what, call, field] of cases) {
    const error = await rejectsKind(call(), "validation");
    assert.equal(error.field, field, `${what}: ${error.message}`);
    assert.ok(!error.message.includes(secret), `${what}: ${error.message}`);
    // Two values that disagree are named by their fields; every other value by type and size.
    if (what !== "engines that disagree") {
      assert.match(
        error.message,
        /\d+ characters/,
        `${what}: ${error.message}`,
      );
    }
  }
});
