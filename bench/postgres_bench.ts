/**
 * Each Storage operation on PostgreSQL beside the same SQL on a raw postgres.js client, in one
 * run, plus 16 concurrent callers on a mixed workload. Deno prints, per group, how many times
 * slower the Storage call is than the raw baseline. Budget: every operation within 1.2× raw.
 *
 * Run: deno task bench (the server: IMPULSE_TEST_POSTGRES_URL, by default
 * postgres://postgres@127.0.0.1:5432/test; without a server the file registers nothing).
 * Network round trips make these timings noisy on a busy machine: `bench/postgres_ratios.ts`
 * measures the same pairs alternately and compares medians.
 *
 * @module
 */
import postgres from "postgres";
import { openStorage, type Storage } from "../mod.ts";
import {
  createDatabase,
  postgresMissing,
  rawClient,
} from "../tests/_postgres.ts";

const USER =
  "id, username, password_hash, security_level, logins, posts, uploads, downloads, " +
  "upload_bytes, download_bytes, last_login_at, created_at, updated_at";
const MESSAGE =
  "id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at";
const SQL = {
  insertUser:
    `INSERT INTO users (username, username_key, password_hash, security_level, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER}`,
  userById: `SELECT ${USER} FROM users WHERE id = $1`,
  userByKey: `SELECT ${USER} FROM users WHERE username_key = $1`,
  insertMessage:
    `INSERT INTO messages (area_id, from_user_id, to_user_id, subject, body, parent_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${MESSAGE}`,
  addPost: "UPDATE users SET posts = posts + 1 WHERE id = $1",
  listMessages:
    `SELECT ${MESSAGE} FROM messages WHERE area_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
};

if (postgresMissing === undefined) await register();

async function register(): Promise<void> {
  const admin = rawClient();
  for (
    const { datname }
      of await admin`SELECT datname FROM pg_database WHERE datname LIKE 'impulse_bench_%'`
  ) {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.end();
  const db = await createDatabase("impulse_bench");
  const storage = await openStorage(db.url);
  const options = {
    max: 1,
    fetch_types: false,
    onnotice: () => {},
    types: { bigint: { to: 20, from: [20], parse: Number, serialize: String } },
  };
  const raw = postgres(db.url, options);
  const rawPool = postgres(db.url, { ...options, max: 10 });
  const q = (text: string, params: unknown[]) =>
    raw.unsafe(text, params as never[], { prepare: true }).values();

  const author = await storage.createUser({
    username: "author",
    passwordHash: "h",
  });
  const body = "A message body of a typical length for a BBS post.\n".repeat(8);
  await storage.transaction(async (tx) => {
    for (let i = 0; i < 2000; i++) {
      await tx.postMessage({
        areaId: 1,
        fromUserId: author.id,
        subject: `seed ${i}`,
        body,
      });
    }
  });
  const after = (await storage.listMessages(1, { limit: 1000 })).at(-1)!.id;
  let n = 0;

  Deno.bench("getUser", { group: "getUser" }, async () => {
    await storage.getUser(author.id);
  });
  Deno.bench(
    "raw postgres.js",
    { group: "getUser", baseline: true },
    async () => {
      await q(SQL.userById, [author.id]);
    },
  );

  Deno.bench(
    "findUserByUsername",
    { group: "findUserByUsername" },
    async () => {
      await storage.findUserByUsername("Author");
    },
  );
  Deno.bench(
    "raw postgres.js",
    { group: "findUserByUsername", baseline: true },
    async () => {
      await q(SQL.userByKey, ["author"]);
    },
  );

  Deno.bench("createUser", { group: "createUser" }, async () => {
    await storage.createUser({ username: `user${n++}`, passwordHash: "h" });
  });
  Deno.bench(
    "raw postgres.js",
    { group: "createUser", baseline: true },
    async () => {
      const t = Date.now();
      const name = `user${n++}`;
      await q(SQL.insertUser, [name, name, "h", 10, t, t]);
    },
  );

  Deno.bench("postMessage", { group: "postMessage" }, async () => {
    await storage.postMessage({
      areaId: 2,
      fromUserId: author.id,
      subject: "Hello",
      body,
    });
  });
  Deno.bench(
    "raw postgres.js",
    { group: "postMessage", baseline: true },
    async () => {
      await raw.unsafe("BEGIN");
      await q(SQL.insertMessage, [
        2,
        author.id,
        null,
        "Hello",
        body,
        null,
        Date.now(),
      ]);
      await q(SQL.addPost, [author.id]);
      await raw.unsafe("COMMIT");
    },
  );

  Deno.bench("listMessages(limit 50)", { group: "listMessages" }, async () => {
    await storage.listMessages(1, { after: after - 500, limit: 50 });
  });
  Deno.bench(
    "raw postgres.js",
    { group: "listMessages", baseline: true },
    async () => {
      await q(SQL.listMessages, [1, after - 500, 50]);
    },
  );

  Deno.bench("16 callers, mixed", { group: "mixed16" }, async () => {
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => mixed(storage, author.id, i, body)),
    );
  });
  Deno.bench(
    "raw postgres.js pool",
    { group: "mixed16", baseline: true },
    async () => {
      await Promise.all(Array.from({ length: 16 }, async (_, i) => {
        const p = (text: string, params: unknown[]) =>
          rawPool.unsafe(text, params as never[], { prepare: true }).values();
        await p(SQL.userById, [author.id]);
        await p(SQL.listMessages, [1, after - 100 - i, 50]);
        if (i % 4 === 0) {
          await rawPool.begin(async (tx) => {
            await tx.unsafe(SQL.insertMessage, [
              3,
              author.id,
              null,
              "Hi",
              body,
              null,
              Date.now(),
            ], {
              prepare: true,
            });
            await tx.unsafe(SQL.addPost, [author.id], { prepare: true });
          });
        }
        await p(SQL.userByKey, ["author"]);
      }));
    },
  );
}

/** One caller's share of the mixed workload; any error fails the benchmark. */
async function mixed(
  storage: Storage,
  author: number,
  i: number,
  body: string,
): Promise<void> {
  await storage.getUser(author);
  await storage.listMessages(1, { after: 1900 - i, limit: 50 });
  if (i % 4 === 0) {
    await storage.postMessage({
      areaId: 3,
      fromUserId: author,
      subject: "Hi",
      body,
    });
  }
  await storage.findUserByUsername("author");
}
