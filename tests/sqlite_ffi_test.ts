/**
 * The SQLite driver on the FFI engine, through the public API: engine selection, 64-bit ids and
 * sizes, error kinds, busy retry, and several processes on one file. The conformance, migration
 * and concurrency suites run on it too (targets `sqlite-ffi-*` in `_targets.ts`).
 */
import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import { connect, parseOpenOptions } from "../src/connect.ts";
import type { SqliteConnection } from "../drivers/sqlite/connection.ts";
import { ffiEngine } from "../drivers/sqlite/ffi/mod.ts";
import { rejectsKind } from "./_assert.ts";

const MAX = Number.MAX_SAFE_INTEGER;

async function tempDir(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "impulse-ffi-" });
  return {
    dir,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

async function engineOf(url: string, options?: unknown): Promise<string> {
  const { options: parsed, sections } = parseOpenOptions(options, "test");
  const connection = await connect(url, parsed, {
    sections,
  }) as SqliteConnection;
  try {
    return connection.engineName;
  } finally {
    await connection.close();
  }
}

Deno.test("openStorage() picks the SQLite engine from the URL or options.sqlite", async () => {
  assert.equal(await engineOf("sqlite::memory:"), "node");
  assert.equal(await engineOf("sqlite::memory:?engine=ffi"), "ffi");
  assert.equal(await engineOf("sqlite::memory:?engine=node"), "node");
  assert.equal(
    await engineOf("sqlite::memory:", { sqlite: { engine: "ffi" } }),
    "ffi",
  );
  const library = ffiEngine().library;
  assert.equal(
    await engineOf(`sqlite::memory:?library=${encodeURIComponent(library)}`),
    "ffi",
  );
  assert.equal(
    await engineOf("sqlite::memory:?engine=ffi", { sqlite: { library } }),
    "ffi",
  );
});

Deno.test("openStorage() refuses bad SQLite engine parameters as validation errors", async () => {
  await rejectsKind(
    openStorage("sqlite::memory:?engine=rust"),
    "validation",
    "url.engine",
  );
  await rejectsKind(
    openStorage("sqlite::memory:?mode=ro"),
    "validation",
    "url.mode",
  );
  await rejectsKind(
    openStorage("sqlite::memory:?engine=ffi&engine=ffi"),
    "validation",
    "url.engine",
  );
  await rejectsKind(
    openStorage("sqlite::memory:?engine=node", { sqlite: { engine: "ffi" } }),
    "validation",
    "options.sqlite.engine",
  );
  await rejectsKind(
    openStorage("sqlite::memory:", {
      sqlite: { engine: "node", library: "x.so" },
    }),
    "validation",
    "options.sqlite.library",
  );
  await rejectsKind(
    openStorage("sqlite::memory:", { sqlite: { engin: "ffi" } } as never),
    "validation",
    "options.sqlite.engin",
  );
  await rejectsKind(
    openStorage("sqlite::memory:", { sqlite: { engine: "wasm" } } as never),
    "validation",
    "options.sqlite.engine",
  );
});

Deno.test("openStorage() names the place it looked when the FFI library is missing", async () => {
  const error = await rejectsKind(
    openStorage("sqlite::memory:?library=/nonexistent/libsqlite3.so"),
    "unavailable",
  );
  assert.match(error.message, /Cannot load the SQLite library/);
  assert.match(error.message, /"\/nonexistent\/libsqlite3\.so"/);
});

Deno.test("[sqlite-ffi-file] ids and sizes above 2^31, up to 2^53 − 1, round-trip exactly", async () => {
  await using temp = await tempDir();
  const path = `${temp.dir}/board.db`;
  const url = `sqlite:${path}?engine=ffi`;
  await using storage = await openStorage(url);
  // Move every AUTOINCREMENT sequence close to the top through the engine itself.
  const db = ffiEngine().open(path, { busyTimeoutMs: 1000 });
  // sqlite_sequence has no key: a migrated database already holds a row per table.
  const seq = db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = ?");
  seq.run([MAX - 10, "users"]);
  seq.run([2 ** 31 + 5, "files"]);
  seq.run([2 ** 32, "messages"]);
  seq.run([MAX - 1, "sessions"]);
  // An area id above 2^32, inserted by hand.
  db.prepare(
    "INSERT INTO file_areas (id, tag, tag_key, name, created_at) VALUES (?, 'BIG', 'big', 'Big', 0)",
  )
    .run([2 ** 40]);
  db.prepare(
    "INSERT INTO message_areas (id, tag, tag_key, name, created_at) VALUES (1, 'M1', 'm1', 'One', 0)",
  ).run(
    [],
  );
  db.close();

  const user = await storage.users.create({
    username: "big",
    passwordHash: "h",
  });
  assert.equal(user.id, MAX - 9);
  assert.equal((await storage.users.get(MAX - 9))?.username, "big");
  const file = await storage.files.add({
    areaId: 2 ** 40,
    filename: "huge.iso",
    size: MAX,
    uploaderId: user.id,
  });
  assert.equal(file.id, 2 ** 31 + 6);
  assert.deepEqual(await storage.files.get(file.id), file);
  assert.equal((await storage.files.list(2 ** 40))[0]?.size, MAX);
  const message = await storage.messages.post({
    areaId: 1,
    fromUserId: user.id,
    toUserId: user.id,
    subject: "hi",
    body: "b",
  });
  assert.equal(message.id, 2 ** 32 + 1);
  assert.equal(
    (await storage.messages.list(1, { after: 2 ** 32 }))[0]?.id,
    message.id,
  );
  const { session } = await storage.sessions.create({
    userId: user.id,
    ipAddress: "::1",
  });
  assert.equal(session.id, MAX);
  const stats =
    (await storage.users.incrementStats(user.id, { downloadBytes: MAX - 1 }))
      .stats;
  assert.equal(stats.uploadBytes, MAX);
  assert.equal(stats.downloadBytes, MAX - 1);
  assert.equal((await storage.users.get(user.id))?.stats.uploadBytes, MAX);

  // Counters cannot pass 2^53 − 1 (the schema checks them); an id can, written by hand. Reading
  // it is a clear error, not a silently rounded id.
  const raw = ffiEngine().open(path, { busyTimeoutMs: 1000 });
  raw.prepare(
    "INSERT INTO users (id, username, username_key, password_hash, created_at, updated_at) " +
      "VALUES (?, 'huge', 'huge', 'h', 0, 0)",
  ).run([2n ** 53n + 1n]);
  raw.close();
  const error = await rejectsKind(
    storage.users.findByUsername("huge"),
    "internal",
  );
  assert.match(error.message, /"id".*outside the safe range.*9007199254740993/);
});

Deno.test("[sqlite-ffi] errors map to the same kinds as on the built-in engine", async () => {
  for (const url of ["sqlite::memory:", "sqlite::memory:?engine=ffi"]) {
    await using storage = await openStorage(url);
    const user = await storage.users.create({
      username: "sysop",
      passwordHash: "h",
    });
    await rejectsKind(
      storage.users.create({ username: "SYSOP", passwordHash: "h" }),
      "conflict",
    );
    await rejectsKind(
      storage.messages.post({
        areaId: 1,
        fromUserId: user.id + 1,
        subject: "s",
        body: "b",
      }),
      "constraint",
    );
    await rejectsKind(
      storage.sessions.create({ userId: user.id + 1, ipAddress: "127.0.0.1" }),
      "constraint",
    );
    await rejectsKind(
      storage.users.update(user.id + 1, { securityLevel: 1 }),
      "not_found",
    );
  }
});

Deno.test("[sqlite-ffi-file] a busy database is retried, then timeout at acquireTimeoutMs", async () => {
  await using temp = await tempDir();
  const path = `${temp.dir}/board.db`;
  await using storage = await openStorage(`sqlite:${path}?engine=ffi`, {
    acquireTimeoutMs: 300,
    retry: { attempts: 1, baseDelayMs: 2, maxDelayMs: 10 },
  });
  const holder = ffiEngine().open(path, { busyTimeoutMs: 0 });
  try {
    holder.exec("BEGIN IMMEDIATE");
    const released = new Promise((resolve) => setTimeout(resolve, 30)).then(
      () => holder.exec("ROLLBACK"),
    );
    const user = await storage.users.create({
      username: "patient",
      passwordHash: "h",
    });
    await released;
    assert.equal((await storage.users.get(user.id))?.username, "patient");

    holder.exec("BEGIN IMMEDIATE");
    const error = await rejectsKind(
      storage.users.create({ username: "blocked", passwordHash: "h" }),
      "timeout",
    );
    assert.match(error.message, /300 ms.*write lock/);
    holder.exec("ROLLBACK");
  } finally {
    holder.close();
  }
  assert.equal(await storage.users.findByUsername("blocked"), null);
});

Deno.test("[sqlite-ffi-file] two processes writing one file on the FFI engine lose nothing", async () => {
  await using temp = await tempDir();
  const url = `sqlite:${temp.dir}/board.db?engine=ffi`;
  const userId = await (async () => {
    await using s = await openStorage(url);
    await s.messageAreas.create({ tag: "M1", name: "Shared area" });
    return (await s.users.create({ username: "shared", passwordHash: "h" })).id;
  })();
  const rounds = 200;
  const worker = new URL("./_worker.ts", import.meta.url).pathname;
  const results = await Promise.all(Array.from(
    { length: 2 },
    () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", worker, url, String(userId), String(rounds)],
        stdout: "piped",
        stderr: "piped",
      }).output(),
  ));
  for (const result of results) {
    assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
  }
  const posts = results.map((r) =>
    JSON.parse(new TextDecoder().decode(r.stdout)).posts
  )
    .reduce((a, b) => a + b, 0);
  await using s = await openStorage(url, { migrate: "check" });
  const stats = (await s.users.get(userId))!.stats;
  assert.equal(stats.posts, posts);
  assert.equal(stats.logins, 2 * (rounds / 4) * 3);
  assert.equal((await s.messages.list(1, { limit: 1000 })).length, posts);
});

Deno.test("the FFI engine is loaded only when asked for: no --allow-ffi needed otherwise", async () => {
  await using temp = await tempDir();
  const script = `${temp.dir}/probe.ts`;
  const mod = new URL("../mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    script,
    `import { openStorage } from "${mod}";
     await using plain = await openStorage("sqlite::memory:");
     await plain.users.create({ username: "a", passwordHash: "h" });
     const error = await openStorage("sqlite::memory:?engine=ffi").catch((e) => e);
     console.log(JSON.stringify({ kind: error.kind, message: error.message }));`,
  );
  const config = new URL("../deno.json", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, "--allow-read", "--allow-write", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const result = JSON.parse(new TextDecoder().decode(stdout));
  assert.equal(result.kind, "unavailable");
  assert.match(result.message, /--allow-ffi/);
});
