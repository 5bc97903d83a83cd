/**
 * The PostgreSQL benchmark's ratios measured the robust way on a busy machine: each Storage call
 * and its raw postgres.js twin run alternately, and the medians are compared. Prints one line
 * per operation and exits 1 if any ratio is above the 1.2× budget.
 *
 * Run: deno run --allow-all bench/postgres_ratios.ts [iterations]
 *
 * @module
 */
import postgres from "postgres";
import { openStorage } from "../mod.ts";
import { createDatabase, postgresMissing } from "../tests/_postgres.ts";

if (postgresMissing !== undefined) Deno.exit(0);
const iterations = Number(Deno.args[0] ?? 1500);
await using db = await createDatabase("impulse_bench");
await using storage = await openStorage(db.url);
const raw = postgres(db.url, {
  max: 1,
  fetch_types: false,
  onnotice: () => {},
  types: { bigint: { to: 20, from: [20], parse: Number, serialize: String } },
});
const q = (text: string, params: unknown[]) =>
  raw.unsafe(text, params as never[], { prepare: true }).values();
const USER =
  "id, username, password_hash, security_level, logins, posts, uploads, downloads, " +
  "upload_bytes, download_bytes, last_login_at, created_at, updated_at";
const MESSAGE =
  "id, area_id, from_user_id, to_user_id, subject, body, parent_id, created_at";
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

const pairs: Record<string, [() => Promise<unknown>, () => Promise<unknown>]> =
  {
    getUser: [
      () => storage.getUser(author.id),
      () => q(`SELECT ${USER} FROM users WHERE id = $1`, [author.id]),
    ],
    findUserByUsername: [
      () => storage.findUserByUsername("Author"),
      () => q(`SELECT ${USER} FROM users WHERE username_key = $1`, ["author"]),
    ],
    createUser: [
      () => storage.createUser({ username: `user${n++}`, passwordHash: "h" }),
      () => {
        const t = Date.now();
        const name = `user${n++}`;
        return q(
          `INSERT INTO users (username, username_key, password_hash, security_level, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER}`,
          [name, name, "h", 10, t, t],
        );
      },
    ],
    postMessage: [
      () =>
        storage.postMessage({
          areaId: 2,
          fromUserId: author.id,
          subject: "Hello",
          body,
        }),
      async () => {
        await raw.unsafe("BEGIN");
        await q(
          `INSERT INTO messages (area_id, from_user_id, to_user_id, subject, body, parent_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${MESSAGE}`,
          [2, author.id, null, "Hello", body, null, Date.now()],
        );
        await q("UPDATE users SET posts = posts + 1 WHERE id = $1", [
          author.id,
        ]);
        await raw.unsafe("COMMIT");
      },
    ],
    "listMessages(limit 50)": [
      () => storage.listMessages(1, { after: after - 500, limit: 50 }),
      () =>
        q(
          `SELECT ${MESSAGE} FROM messages WHERE area_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
          [1, after - 500, 50],
        ),
    ],
  };

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
let over = false;
for (const [name, [ours, base]] of Object.entries(pairs)) {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < iterations + 100; i++) {
    let t = performance.now();
    await ours();
    if (i >= 100) a.push(performance.now() - t);
    t = performance.now();
    await base();
    if (i >= 100) b.push(performance.now() - t);
  }
  const ratio = median(a) / median(b);
  over ||= ratio > 1.2;
  console.log(
    `${name.padEnd(24)} storage ${
      (median(a) * 1000).toFixed(0).padStart(5)
    } µs   raw ${(median(b) * 1000).toFixed(0).padStart(5)} µs   ${
      ratio.toFixed(2)
    }×`,
  );
}
await raw.end();
if (over) Deno.exitCode = 1;
