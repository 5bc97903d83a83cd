/**
 * The SQLite engines side by side, in one run: each operation through the Storage on the
 * built-in engine (`node:sqlite`) and on the FFI engine (`?engine=ffi`), and the same SQL on each
 * raw engine (the engine port the driver calls, no Storage around it). Goal: the FFI engine
 * within 1.3× of the built-in one on every operation.
 *
 * Run: `deno task bench` (Deno's report, baseline: the Storage on `node:sqlite`), or, for a table
 * of every ratio from interleaved rounds:
 * `deno run --allow-read --allow-write --allow-env --allow-ffi bench/sqlite_engines_bench.ts --table`
 *
 * @module
 */
import { openStorage, type Storage } from "../mod.ts";
import { type EngineDatabase, nodeEngine } from "../drivers/sqlite/engine.ts";
import { ffiEngine } from "../drivers/sqlite/ffi_engine.ts";

const USER =
  "id, username, password_hash, security_level, logins, posts, uploads, downloads, " +
  "upload_bytes, download_bytes, last_login_at, created_at, updated_at";
const MESSAGE =
  "id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at";
const BODY = "A message body of a typical length for a BBS post.\n".repeat(8);
const SEED = 2000;

const OPERATIONS = [
  "getUser",
  "findUserByUsername",
  "createUser",
  "postMessage",
  "listMessages(limit 50)",
] as const;
type Operation = typeof OPERATIONS[number];
type Run = () => unknown;

const dir = await Deno.makeTempDir({ prefix: "impulse-engines-bench-" });
let n = 0;

async function storageVariant(
  engine: "node" | "ffi",
): Promise<Record<Operation, Run>> {
  const storage: Storage = await openStorage(
    `sqlite:${dir}/storage-${engine}.db?engine=${engine}`,
  );
  const author = await storage.createUser({
    username: "author",
    passwordHash: "h",
  });
  for (let i = 0; i < SEED; i++) {
    await storage.postMessage({
      areaId: 1,
      fromUserId: author.id,
      subject: `seed ${i}`,
      body: BODY,
    });
  }
  return {
    getUser: () => storage.getUser(author.id),
    findUserByUsername: () => storage.findUserByUsername("Author"),
    createUser: () =>
      storage.createUser({ username: `user${n++}`, passwordHash: "h" }),
    postMessage: () =>
      storage.postMessage({
        areaId: 2,
        fromUserId: author.id,
        subject: "Hello",
        body: BODY,
      }),
    "listMessages(limit 50)": () =>
      storage.listMessages(1, { after: 1000, limit: 50 }),
  };
}

async function rawVariant(
  engine: "node" | "ffi",
): Promise<Record<Operation, Run>> {
  const path = `${dir}/raw-${engine}.db`;
  await (await openStorage(`sqlite:${path}`)).close(); // the schema, from the migrations
  const db: EngineDatabase = (engine === "node" ? nodeEngine : ffiEngine())
    .open(path, { busyTimeoutMs: 10 });
  db.exec(
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
  );
  const s = {
    insertUser: db.prepare(
      `INSERT INTO users (username, username_key, password_hash, security_level, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING ${USER}`,
    ),
    userById: db.prepare(`SELECT ${USER} FROM users WHERE id = ?`),
    userByKey: db.prepare(`SELECT ${USER} FROM users WHERE username_key = ?`),
    begin: db.prepare("BEGIN IMMEDIATE"),
    commit: db.prepare("COMMIT"),
    insertMessage: db.prepare(
      `INSERT INTO messages (area_id, from_user_id, to_user_id, subject, body, parent_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${MESSAGE}`,
    ),
    addPost: db.prepare("UPDATE users SET posts = posts + 1 WHERE id = ?"),
    list: db.prepare(
      `SELECT ${MESSAGE} FROM messages WHERE area_id = ? AND id > ? ORDER BY id LIMIT ?`,
    ),
  };
  const now = Date.now();
  const author = s.insertUser.value(["author", "author", "h", 10, now, now])!;
  const authorId = author[0] as number;
  const post = (areaId: number, subject: string) => {
    s.begin.run([]);
    s.insertMessage.value([
      areaId,
      authorId,
      null,
      subject,
      BODY,
      null,
      Date.now(),
    ]);
    s.addPost.run([authorId]);
    s.commit.run([]);
  };
  for (let i = 0; i < SEED; i++) post(1, `seed ${i}`);
  return {
    getUser: () => s.userById.value([authorId]),
    findUserByUsername: () => s.userByKey.value(["author"]),
    createUser: () => {
      const t = Date.now();
      const name = `user${n++}`;
      return s.insertUser.value([name, name, "h", 10, t, t]);
    },
    postMessage: () => post(2, "Hello"),
    "listMessages(limit 50)": () => s.list.values([1, 1000, 50]),
  };
}

const VARIANTS = {
  "storage node": await storageVariant("node"),
  "storage ffi": await storageVariant("ffi"),
  "raw node": await rawVariant("node"),
  "raw ffi": await rawVariant("ffi"),
};
type Variant = keyof typeof VARIANTS;

for (const operation of OPERATIONS) {
  for (const [variant, runs] of Object.entries(VARIANTS)) {
    const run = runs[operation];
    Deno.bench(`${operation}: ${variant}`, {
      group: operation,
      baseline: variant === "storage node",
    }, async () => {
      await run();
    });
  }
}

/**
 * Median µs per operation of each variant, from many short interleaved rounds (so that noise
 * from other processes falls on every variant alike).
 */
async function measure(
  rounds = 41,
  batch = 250,
): Promise<Record<Operation, Record<Variant, number>>> {
  const result = {} as Record<Operation, Record<Variant, number>>;
  for (const operation of OPERATIONS) {
    const samples = {} as Record<Variant, number[]>;
    for (let round = 0; round < rounds; round++) {
      for (const variant of Object.keys(VARIANTS) as Variant[]) {
        const run = VARIANTS[variant][operation];
        const started = performance.now();
        for (let i = 0; i < batch; i++) await run();
        (samples[variant] ??= []).push(
          (performance.now() - started) * 1000 / batch,
        );
      }
    }
    result[operation] = Object.fromEntries(
      Object.entries(samples).map((
        [variant, times],
      ) => [variant, times.sort((a, b) => a - b)[times.length >> 1]!]),
    ) as Record<Variant, number>;
  }
  return result;
}

if (Deno.args.includes("--table")) {
  const engine = ffiEngine();
  console.log(
    `FFI engine: ${engine.library} (SQLite ${engine.version}); Deno ${Deno.version.deno}`,
  );
  const rows = Object.entries(await measure()).map(([operation, t]) => ({
    operation,
    "storage node µs": t["storage node"].toFixed(2),
    "storage ffi µs": t["storage ffi"].toFixed(2),
    "raw node µs": t["raw node"].toFixed(2),
    "raw ffi µs": t["raw ffi"].toFixed(2),
    "ffi/node (storage)": (t["storage ffi"] / t["storage node"]).toFixed(2),
    "ffi/node (raw)": (t["raw ffi"] / t["raw node"]).toFixed(2),
    "storage/raw node": (t["storage node"] / t["raw node"]).toFixed(2),
    "storage/raw ffi": (t["storage ffi"] / t["raw ffi"]).toFixed(2),
    "storage ffi/raw node": (t["storage ffi"] / t["raw node"]).toFixed(2),
  }));
  console.table(rows);
}

globalThis.addEventListener("unload", () => {
  Deno.removeSync(dir, { recursive: true });
});
