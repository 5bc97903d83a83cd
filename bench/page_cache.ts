/**
 * Whether another node:sqlite connection in the same process evicts the storage's page cache:
 * node:sqlite is built with SQLITE_ENABLE_MEMORY_MANAGEMENT, so every connection's page cache
 * draws on one process-wide pool and LRU list, and a connection that reads a lot recycles the
 * least recently used pages of all of them. The storage's reads then go back to the file. The
 * count of read system calls per call (from /proc/self/io, beside another connection less
 * alone) shows it without timing noise; the times are given beside it. The count is the whole
 * process's, every thread's: a stray read of the runtime's now and then can add up to about one
 * a call (seen on the FFI engine, where `strace -f -e trace=pread64` shows no read of the board).
 *
 * The FFI engine loads the system's libsqlite3, usually built without that option: its caches
 * stay its own. Each argument is a URL query to try (e.g. `engine=ffi`); none tries the defaults.
 * Then a raw node:sqlite connection reads the same way with SQLite's default cache and with a
 * 64 MiB one: does a bigger cache of its own keep the storage's pages? Linux only.
 *
 * Run: deno run -A bench/page_cache.ts "" engine=ffi (reading /proc needs --allow-all)
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { openStorage } from "../mod.ts";

const dir = await Deno.makeTempDir({ prefix: "impulse_page_cache_" });
const HOT = 5_000;
const OTHER_ROWS = 400_000;

/** Another application database of the same process: 400,000 rows, about 120 MB. */
function otherDatabase(): DatabaseSync {
  const db = new DatabaseSync(`${dir}/other.db`);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
  db.exec("BEGIN");
  const insert = db.prepare("INSERT INTO t (body) VALUES (?)");
  for (let i = 0; i < OTHER_ROWS; i++) insert.run("x".repeat(200 + (i % 100)));
  db.exec("COMMIT");
  return db;
}

const syscr = () =>
  Number(Deno.readTextFileSync("/proc/self/io").match(/syscr: (\d+)/)![1]);
/** The reads `syscr()` itself makes, measured as it runs now (the fewest of a few tries). */
function selfReads(): number {
  let fewest = Infinity;
  for (let i = 0; i < 5; i++) {
    const a = syscr();
    fewest = Math.min(fewest, syscr() - a);
  }
  return fewest;
}

const other = otherDatabase();
const otherRead = other.prepare("SELECT body FROM t WHERE id = ?");
let seed = 1;

/**
 * Times `read` (of the i-th call) alone and beside another connection's reads, and counts the
 * file reads it makes more there.
 */
async function measure(
  label: string,
  read: (i: number) => unknown,
): Promise<void> {
  const run = async (n: number, busy: boolean) => {
    let calls = 0, ms = 0;
    const self = selfReads();
    for (let i = 0; i < n; i++) {
      if (busy) {
        // The other connection's work between two of ours: 20 random rows.
        for (let j = 0; j < 20; j++) {
          otherRead.get(
            1 + ((seed = (seed * 48271) % 2147483647) % OTHER_ROWS),
          );
        }
      }
      const before = syscr();
      const t0 = performance.now();
      await read(i);
      ms += performance.now() - t0;
      calls += syscr() - before - self;
    }
    return { reads: calls / n, us: (ms * 1000) / n };
  };
  await run(20_000, false);
  const alone = await run(10_000, false);
  const busy = await run(10_000, true);
  const more = (busy.reads - alone.reads).toFixed(2);
  console.log(
    `${label.padEnd(40)} alone ${
      alone.us.toFixed(1)
    } µs, beside another connection ` +
      `${busy.us.toFixed(1)} µs and ${more} more file reads a call`,
  );
}

/** A board of {@linkcode HOT} users at `url`; returns their ids. */
async function board(url: string): Promise<number[]> {
  await using storage = await openStorage(url);
  const ids: number[] = [];
  await storage.transaction(async (tx) => {
    for (let i = 0; i < HOT; i++) {
      const user = await tx.users.create({
        username: `user${i}`,
        passwordHash: "h",
      });
      ids.push(user.id);
    }
  });
  return ids;
}

try {
  for (const query of Deno.args.length > 0 ? Deno.args : [""]) {
    const url = `sqlite:${dir}/${crypto.randomUUID()}.db${
      query ? `?${query}` : ""
    }`;
    const ids = await board(url);
    await using storage = await openStorage(url);
    await measure(
      `users.get ${query || "(defaults)"}`,
      (i) => storage.users.get(ids[(i * 7919) % HOT]!),
    );
  }
  // Would a bigger cache of its own keep the storage's pages? The same read on a raw node:sqlite
  // connection, with SQLite's default cache (2 MiB) and with 64 MiB.
  const path = `${dir}/raw.db`;
  const ids = await board(`sqlite:${path}`);
  for (const cache of [null, -65_536]) {
    const db = new DatabaseSync(path);
    if (cache !== null) db.exec(`PRAGMA cache_size = ${cache}`);
    const get = db.prepare("SELECT * FROM users WHERE id = ?");
    await measure(
      `raw node:sqlite, cache_size ${cache ?? "default"}`,
      (i) => get.get(ids[(i * 7919) % HOT]!),
    );
    db.close();
  }
} finally {
  other.close();
  await Deno.remove(dir, { recursive: true });
}
