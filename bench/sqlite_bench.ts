/**
 * Each Storage operation on a SQLite file beside the same SQL on raw `node:sqlite`, in one run.
 * Deno prints, per group, how many times slower the Storage call is than the raw baseline.
 * Budget: every operation within 1.5× raw.
 *
 * Run: deno task bench
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { openStorage } from "../mod.ts";
import { BODY, rawSqlite, SEED, seedStorage } from "./_raw.ts";

const dir = await Deno.makeTempDir({ prefix: "impulse-bench-" });
const storage = await openStorage(`sqlite:${dir}/storage.db`);
// The raw database gets the same schema from the same migrations, then is used directly.
await (await openStorage(`sqlite:${dir}/raw.db`)).close();
const db = new DatabaseSync(`${dir}/raw.db`);
db.exec(
  "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
);
const raw = rawSqlite((text) => {
  const statement = db.prepare(text);
  return {
    get: (params) => statement.get(...params as never[]),
    all: (params) => statement.all(...params as never[]),
    run: (params) => statement.run(...params as never[]),
  };
});

const { general: area, other, author } = await seedStorage(storage);
const rawArea = raw.createArea("GENERAL");
const rawOther = raw.createArea("OTHER");
const rawAuthor = raw.createUser("author");
for (let i = 0; i < SEED; i++) {
  raw.postMessage({
    areaId: rawArea,
    authorId: rawAuthor,
    subject: `seed ${i}`,
    body: BODY,
  });
}
let n = 0;

Deno.bench("users.get", { group: "users.get" }, async () => {
  await storage.users.get(author.id);
});
Deno.bench("raw node:sqlite", { group: "users.get", baseline: true }, () => {
  raw.getUser(rawAuthor);
});

Deno.bench(
  "users.findByUsername",
  { group: "users.findByUsername" },
  async () => {
    await storage.users.findByUsername("Author");
  },
);
Deno.bench(
  "raw node:sqlite",
  { group: "users.findByUsername", baseline: true },
  () => {
    raw.findUserByUsername("author");
  },
);

Deno.bench("users.create", { group: "users.create" }, async () => {
  await storage.users.create({ username: `user${n++}`, passwordHash: "h" });
});
Deno.bench("raw node:sqlite", { group: "users.create", baseline: true }, () => {
  raw.createUser(`user${n++}`);
});

Deno.bench("messages.post", { group: "messages.post" }, async () => {
  await storage.messages.post({
    areaId: other.id,
    fromUserId: author.id,
    subject: "Hello",
    body: BODY,
  });
});
Deno.bench(
  "raw node:sqlite",
  { group: "messages.post", baseline: true },
  () => {
    raw.postMessage({
      areaId: rawOther,
      authorId: rawAuthor,
      subject: "Hello",
      body: BODY,
    });
  },
);

Deno.bench("messages.list(limit 50)", { group: "messages.list" }, async () => {
  await storage.messages.list(area.id, { afterNum: 1000, limit: 50 });
});
Deno.bench(
  "raw node:sqlite",
  { group: "messages.list", baseline: true },
  () => {
    raw.listMessages(rawArea, { afterNum: 1000, limit: 50 });
  },
);

globalThis.addEventListener("unload", () => {
  db.close();
  Deno.removeSync(dir, { recursive: true });
});
