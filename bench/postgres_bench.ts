/**
 * Each Storage operation on PostgreSQL beside the same SQL on a raw postgres.js client (the
 * statements of `bench/_raw.ts`), in one run, plus 16 concurrent callers on a mixed workload.
 * Deno prints, per group, how many times slower the Storage call is than the raw baseline.
 * Budget: every operation within 1.2× raw; the mixed workload without errors.
 *
 * Run: deno task bench (the server: IMPULSE_TEST_POSTGRES_URL, by default
 * postgres://postgres@127.0.0.1:5432/test; without a server the file registers nothing).
 * Network round trips make these timings noisy on a busy machine: `bench/postgres_ratios.ts`
 * measures the same pairs alternately and compares medians.
 *
 * @module
 */
import { openStorage, type Storage } from "../mod.ts";
import {
  createDatabase,
  postgresMissing,
  rawClient,
} from "../tests/_postgres.ts";
import { BODY, rawPostgres, rawPostgresClient, seedStorage } from "./_raw.ts";

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
  const raw = rawPostgres(rawPostgresClient(db.url));
  const rawPool = rawPostgresClient(db.url, 10);
  const pooled = rawPostgres(rawPool);

  const { general, other, author } = await seedStorage(storage);
  const busy = await storage.messageAreas.create({ tag: "BUSY", name: "BUSY" });
  let n = 0;

  Deno.bench("users.get", { group: "users.get" }, async () => {
    await storage.users.get(author.id);
  });
  Deno.bench(
    "raw postgres.js",
    { group: "users.get", baseline: true },
    async () => {
      await raw.getUser(author.id);
    },
  );

  Deno.bench(
    "users.findByUsername",
    { group: "users.findByUsername" },
    async () => {
      await storage.users.findByUsername("Author");
    },
  );
  Deno.bench(
    "raw postgres.js",
    { group: "users.findByUsername", baseline: true },
    async () => {
      await raw.findUserByUsername("author");
    },
  );

  Deno.bench("users.create", { group: "users.create" }, async () => {
    await storage.users.create({ username: `user${n++}`, passwordHash: "h" });
  });
  Deno.bench(
    "raw postgres.js",
    { group: "users.create", baseline: true },
    async () => {
      await raw.createUser(`user${n++}`);
    },
  );

  Deno.bench("messages.post", { group: "messages.post" }, async () => {
    await storage.messages.post({
      areaId: other.id,
      fromUserId: author.id,
      subject: "Hello",
      body: BODY,
    });
  });
  Deno.bench(
    "raw postgres.js",
    { group: "messages.post", baseline: true },
    async () => {
      await raw.postMessage({
        areaId: other.id,
        authorId: author.id,
        subject: "Hello",
        body: BODY,
      });
    },
  );

  Deno.bench(
    "messages.list(limit 50)",
    { group: "messages.list" },
    async () => {
      await storage.messages.list(general.id, { afterNum: 1000, limit: 50 });
    },
  );
  Deno.bench(
    "raw postgres.js",
    { group: "messages.list", baseline: true },
    async () => {
      await raw.listMessages(general.id, { afterNum: 1000, limit: 50 });
    },
  );

  Deno.bench("16 callers, mixed", { group: "mixed16" }, async () => {
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => mixed(storage, i)),
    );
  });
  Deno.bench(
    "raw postgres.js pool",
    { group: "mixed16", baseline: true },
    async () => {
      await Promise.all(Array.from({ length: 16 }, (_, i) => rawMixed(i)));
    },
  );

  /** One caller's share of the mixed workload; any error fails the benchmark. */
  async function mixed(storage: Storage, i: number): Promise<void> {
    await storage.users.get(author.id);
    await storage.messages.list(general.id, { afterNum: 1900 - i, limit: 50 });
    if (i % 4 === 0) {
      await storage.messages.post({
        areaId: busy.id,
        fromUserId: author.id,
        subject: "Hi",
        body: BODY,
      });
    }
    await storage.users.findByUsername("author");
  }

  /** The same share on the raw pool; the post on a connection reserved for it. */
  async function rawMixed(i: number): Promise<void> {
    await pooled.getUser(author.id);
    await pooled.listMessages(general.id, { afterNum: 1900 - i, limit: 50 });
    if (i % 4 === 0) {
      const connection = await rawPool.reserve();
      try {
        await rawPostgres(connection).postMessage({
          areaId: busy.id,
          authorId: author.id,
          subject: "Hi",
          body: BODY,
        });
      } finally {
        connection.release();
      }
    }
    await pooled.findUserByUsername("author");
  }
}
