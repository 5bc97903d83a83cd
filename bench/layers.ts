/**
 * Where the time of a SQLite read goes: `users.get` and `users.findByUsername` beside each layer
 * under them, on one database file, in interleaved rounds, each as a ratio to the raw
 * `node:sqlite` statement returning arrays (the fastest raw form; the raw form returning objects
 * keyed by column name is shown too). The layers: the raw statement, the same with the row
 * mapped to a record, the driver's executor, and the operation. Then `sessions.getByToken`
 * beside its raw statement with the token hashed as the operation hashes it, and the same with
 * the row mapped to a `Session`, as ratios to the raw statement and hash.
 *
 * Run: deno run -A bench/layers.ts [rounds]
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { openStorage } from "../mod.ts";
import { declaredStatements, sql } from "../src/driver.ts";
import { parseOpenOptions } from "../src/connect.ts";
import { nodeCrypto, sha256 } from "../src/node_crypto.ts";
import { toSession, toUser, USER_COLUMNS } from "../src/rows.ts";
import { driver } from "../drivers/sqlite/mod.ts";

const ROUNDS = Number(Deno.args[0] ?? 15);
const CALLS = 20_000;

const dir = await Deno.makeTempDir({ prefix: "impulse-layers-" });
const url = `sqlite:${dir}/board.db`;
const storage = await openStorage(url);
const { id } = await storage.users.create({
  username: "author",
  passwordHash: "h",
});
const { token } = await storage.sessions.create({
  userId: id,
  ipAddress: "192.0.2.1",
});
const byId = `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`;
const db = new DatabaseSync(`${dir}/board.db`);
const asArrays = (s: StatementSync) => {
  (s as StatementSync & { setReturnArrays(on: boolean): void })
    .setReturnArrays(true);
  return s;
};
const named = db.prepare(byId);
const arrays = asArrays(db.prepare(byId));
// The statement sessions.getByToken runs, and the token hashed as it hashes it.
const byToken = asArrays(db.prepare(
  declaredStatements().find((s) => s.name === "sessions.byTokenHash")!.text,
));
const crypto = await nodeCrypto();
const hash = (text: string) => sha256(crypto, text, "hex");
const connection = await driver.connect(
  url,
  parseOpenOptions({ migrate: "off" }, "bench").options,
);
const q = sql("bench.userById", byId);

/** Layers in groups, each group's first the baseline its ratios are to. */
const groups: Record<string, () => unknown>[] = [{
  "raw, rows as arrays": () => arrays.get(id),
  "raw, rows as objects": () => named.get(id),
  "raw arrays + toUser": () =>
    toUser(arrays.get(id) as unknown as unknown[], Date.now()),
  "executor get": () => connection.root.get(q, [id]),
  "users.get": () => storage.users.get(id),
  "users.findByUsername": () => storage.users.findByUsername("Author"),
}, {
  "raw token + hash": () => byToken.get(hash(token), Date.now()),
  "raw token + toSession": () =>
    toSession(byToken.get(hash(token), Date.now()) as unknown as unknown[]),
  "sessions.getByToken": () => storage.sessions.getByToken(token),
}];
const layers = Object.assign({}, ...groups) as Record<string, () => unknown>;

const times: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(layers);
  if (round % 2 === 1) names.reverse();
  for (const name of names) {
    const layer = layers[name]!;
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) {
      const answer = layer();
      if (answer instanceof Promise) await answer;
    }
    (times[name] ??= []).push((performance.now() - start) / CALLS * 1000);
  }
}
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[xs.length >> 1]!;
for (const group of groups) {
  const names = Object.keys(group);
  const base = median(times[names[0]!]!);
  for (const name of names) {
    const m = median(times[name]!);
    console.log(
      `${name.padEnd(22)} ${m.toFixed(2).padStart(7)} µs  ${
        (m / base).toFixed(2)
      }×`,
    );
  }
}
db.close();
await connection.close();
await storage.close();
await Deno.remove(dir, { recursive: true });
