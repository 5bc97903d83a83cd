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

const dir = await Deno.makeTempDir({ prefix: "impulse-bench-" });
const storage = await openStorage(`sqlite:${dir}/storage.db`);
// The raw database gets the same schema from the same migrations, then is used directly.
await (await openStorage(`sqlite:${dir}/raw.db`)).close();
const raw = new DatabaseSync(`${dir}/raw.db`);
raw.exec(
  "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
);

const USER =
  "id, username, password_hash, security_level, logins, posts, uploads, downloads, " +
  "upload_bytes, download_bytes, last_login_at, created_at, updated_at";
const MESSAGE =
  "id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at";
const rawStatements = {
  insertUser: raw.prepare(
    `INSERT INTO users (username, username_key, password_hash, security_level, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING ${USER}`,
  ),
  userById: raw.prepare(`SELECT ${USER} FROM users WHERE id = ?`),
  userByKey: raw.prepare(`SELECT ${USER} FROM users WHERE username_key = ?`),
  begin: raw.prepare("BEGIN IMMEDIATE"),
  commit: raw.prepare("COMMIT"),
  insertMessage: raw.prepare(
    `INSERT INTO messages (area_id, from_user_id, to_user_id, subject, body, parent_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${MESSAGE}`,
  ),
  addPost: raw.prepare("UPDATE users SET posts = posts + 1 WHERE id = ?"),
  listMessages: raw.prepare(
    `SELECT ${MESSAGE} FROM messages WHERE area_id = ? AND id > ? ORDER BY id LIMIT ?`,
  ),
};

const author = await storage.createUser({
  username: "author",
  passwordHash: "h",
});
const now = Date.now();
const rawAuthor = rawStatements.insertUser.get(
  "author",
  "author",
  "h",
  10,
  now,
  now,
) as { id: number };
const body = "A message body of a typical length for a BBS post.\n".repeat(8);
for (let i = 0; i < 2000; i++) {
  await storage.postMessage({
    areaId: 1,
    fromUserId: author.id,
    subject: `seed ${i}`,
    body,
  });
  rawStatements.insertMessage.get(
    1,
    rawAuthor.id,
    null,
    `seed ${i}`,
    body,
    null,
    now,
  );
}
let n = 0;

Deno.bench("getUser", { group: "getUser" }, async () => {
  await storage.getUser(author.id);
});
Deno.bench("raw node:sqlite", { group: "getUser", baseline: true }, () => {
  rawStatements.userById.get(rawAuthor.id);
});

Deno.bench("findUserByUsername", { group: "findUserByUsername" }, async () => {
  await storage.findUserByUsername("Author");
});
Deno.bench(
  "raw node:sqlite",
  { group: "findUserByUsername", baseline: true },
  () => {
    rawStatements.userByKey.get("author");
  },
);

Deno.bench("createUser", { group: "createUser" }, async () => {
  await storage.createUser({ username: `user${n++}`, passwordHash: "h" });
});
Deno.bench("raw node:sqlite", { group: "createUser", baseline: true }, () => {
  const t = Date.now();
  const name = `user${n++}`;
  rawStatements.insertUser.get(name, name, "h", 10, t, t);
});

Deno.bench("postMessage", { group: "postMessage" }, async () => {
  await storage.postMessage({
    areaId: 2,
    fromUserId: author.id,
    subject: "Hello",
    body,
  });
});
Deno.bench("raw node:sqlite", { group: "postMessage", baseline: true }, () => {
  rawStatements.begin.run();
  rawStatements.insertMessage.get(
    2,
    rawAuthor.id,
    null,
    "Hello",
    body,
    null,
    Date.now(),
  );
  rawStatements.addPost.run(rawAuthor.id);
  rawStatements.commit.run();
});

Deno.bench("listMessages(limit 50)", { group: "listMessages" }, async () => {
  await storage.listMessages(1, { after: 1000, limit: 50 });
});
Deno.bench("raw node:sqlite", { group: "listMessages", baseline: true }, () => {
  rawStatements.listMessages.all(1, 1000, 50);
});

globalThis.addEventListener("unload", () => {
  raw.close();
  Deno.removeSync(dir, { recursive: true });
});
