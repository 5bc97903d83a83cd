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
import { ffiEngine } from "../drivers/sqlite/ffi/engine.ts";
import { BODY, rawSqlite, SEED, seedStorage } from "./_raw.ts";

const OPERATIONS = [
  "users.get",
  "users.findByUsername",
  "users.create",
  "messages.post",
  "messages.list(limit 50)",
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
  const { general: area, other, author } = await seedStorage(storage);
  return {
    "users.get": () => storage.users.get(author.id),
    "users.findByUsername": () => storage.users.findByUsername("Author"),
    "users.create": () =>
      storage.users.create({ username: `user${n++}`, passwordHash: "h" }),
    "messages.post": () =>
      storage.messages.post({
        areaId: other.id,
        fromUserId: author.id,
        subject: "Hello",
        body: BODY,
      }),
    "messages.list(limit 50)": () =>
      storage.messages.list(area.id, { afterNum: 1000, limit: 50 }),
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
  const raw = rawSqlite((text) => {
    const statement = db.prepare(text);
    return {
      get: (params) => statement.value(params),
      all: (params) => statement.values(params),
      run: (params) => statement.run(params),
    };
  });
  const area = raw.createArea("A");
  const other = raw.createArea("B");
  const author = raw.createUser("author");
  for (let i = 0; i < SEED; i++) {
    raw.postMessage({
      areaId: area,
      authorId: author,
      subject: `seed ${i}`,
      body: BODY,
    });
  }
  return {
    "users.get": () => raw.getUser(author),
    "users.findByUsername": () => raw.findUserByUsername("author"),
    "users.create": () => raw.createUser(`user${n++}`),
    "messages.post": () =>
      raw.postMessage({
        areaId: other,
        authorId: author,
        subject: "Hello",
        body: BODY,
      }),
    "messages.list(limit 50)": () =>
      raw.listMessages(area, { afterNum: 1000, limit: 50 }),
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
 * Median µs per operation of each variant, from many short interleaved rounds: each round times
 * a small batch of every operation on every variant (which variant goes first turning round by
 * round), so that noise from other processes falls on every variant alike, and a batch is short
 * enough to run between preemptions.
 */
async function measure(
  rounds = 401,
  batch = 25,
): Promise<Record<Operation, Record<Variant, number>>> {
  const variants = Object.keys(VARIANTS) as Variant[];
  const each = <T>(keys: readonly string[], value: (key: string) => T) =>
    Object.fromEntries(keys.map((key) => [key, value(key)]));
  const samples = each(OPERATIONS, () => each(variants, () => [] as number[]));
  for (let round = 0; round < rounds; round++) {
    for (const operation of OPERATIONS) {
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(round + i) % variants.length]!;
        const run = VARIANTS[variant][operation];
        const started = performance.now();
        for (let j = 0; j < batch; j++) await run();
        samples[operation]![variant]!.push(
          (performance.now() - started) * 1000 / batch,
        );
      }
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  return each(
    OPERATIONS,
    (operation) =>
      each(variants, (variant) => median(samples[operation]![variant]!)),
  ) as Record<Operation, Record<Variant, number>>;
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
