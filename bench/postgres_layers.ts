/**
 * Where the time of a PostgreSQL write goes: `users.create` beside each layer under it, in
 * interleaved rounds on one database, each as a ratio to the same `INSERT … RETURNING` with the
 * same parameters on raw postgres.js (one connection, prepared, rows as arrays). The layers: the
 * driver's executor (pool, write gate, watchdog, retry rules) running the operation's statement
 * with the operation's parameters, and the operation (validation, lookup keys, the row mapped to
 * a `User`). Beside them, raw postgres.js spinning for a few microseconds before each statement:
 * what work of the client's between a reply and its next statement costs a round trip on the
 * machine at hand. Each line also gives the process's CPU time per call (all threads).
 *
 * Run: deno run -A bench/postgres_layers.ts [rounds]
 *
 * @module
 */
import process from "node:process";
import { openStorage } from "../mod.ts";
import { sql } from "../src/driver.ts";
import { parseOpenOptions } from "../src/connect.ts";
import { newUser } from "../src/schemas.ts";
import { USERS } from "../src/tables/mod.ts";
import { insertOf } from "../src/tables/table.ts";
import { driver } from "../drivers/postgres/mod.ts";
import { toDollar } from "../drivers/postgres/dialect.ts";
import { createDatabase, postgresMissing } from "../tests/_postgres.ts";
import { rawPostgresClient } from "./_raw.ts";
import { quantile } from "./_peers_measure.ts";

if (postgresMissing !== undefined) Deno.exit(0);
const ROUNDS = Number(Deno.args[0] ?? 150);
/** Calls per timed batch. */
const BATCH = 10;
const WARMUP = 10;

await using db = await createDatabase("impulse_bench_layers");
await using storage = await openStorage(db.url);
const connection = await driver.connect(
  db.url,
  parseOpenOptions({ migrate: "off" }, "bench").options,
);
// The operation's own statement and parameters (src/ops/users.ts), so every layer inserts the
// same row.
const insert = insertOf<ReturnType<typeof newUser.parse>>(USERS, [
  "created_at",
  "updated_at",
]);
const statement = sql("bench.users.insert", insert.text, true);
const text = toDollar(insert.text);
let n = 0;
/** What the operation validated for a user with only a name and a password hash. */
const parsed = newUser.parse({ username: "template", passwordHash: "h" });
/** The operation's parameters for a new user named after `prefix`, by its own `insert`. */
const params = (prefix: string) => {
  const now = Date.now();
  return insert.params({ ...parsed, username: `${prefix}${n++}` }, [
    now,
    now,
  ]) as never[];
};
/** Spins for `us` microseconds: work of the client's that touches nothing else. */
const spin = (us: number) => {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
};
// Each layer has a connection of its own, as the storage and the executor have theirs: a
// connection's server process that ran just before answers sooner than one that sat idle.
const clients: ReturnType<typeof rawPostgresClient>[] = [];
/** Raw postgres.js on a client of its own, spinning `us` microseconds before each statement. */
const raw = (prefix: string, us = 0) => {
  const client = rawPostgresClient(db.url);
  clients.push(client);
  return () => {
    if (us > 0) spin(us);
    return client.unsafe(text, params(prefix), { prepare: true }).values();
  };
};

const layers: Record<string, () => unknown> = {
  "raw postgres.js": raw("r"),
  "raw again": raw("a"),
  "raw + 2 µs spin": raw("s", 2),
  "raw + 5 µs spin": raw("t", 5),
  "raw + 10 µs spin": raw("u", 10),
  "executor get": () => connection.root.get(statement, params("e")),
  "users.create": () =>
    storage.users.create({ username: `p${n++}`, passwordHash: "h" }),
};

const names = Object.keys(layers);
const times: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(round + k) % names.length]!;
    const layer = layers[name]!;
    const started = performance.now();
    const used = process.cpuUsage();
    for (let b = 0; b < BATCH; b++) await layer();
    const spent = process.cpuUsage(used);
    if (round < WARMUP) continue;
    (times[name] ??= []).push((performance.now() - started) * 1000 / BATCH);
    (cpu[name] ??= []).push((spent.user + spent.system) / BATCH);
  }
}
const base = times[names[0]!]!;
console.log(
  `${ROUNDS} interleaved rounds of ${BATCH} calls; ratio to raw: median (p25–p75)`,
);
for (const name of names) {
  const xs = times[name]!;
  const ratios = xs.map((x, r) => x / base[r]!);
  console.log(
    `${name.padEnd(18)} ${quantile([...xs], 0.5).toFixed(1).padStart(7)} µs  ${
      quantile(ratios, 0.5).toFixed(3)
    }× (${quantile(ratios, 0.25).toFixed(2)}–${
      quantile(ratios, 0.75).toFixed(2)
    })  CPU ${quantile([...cpu[name]!], 0.5).toFixed(1)} µs`,
  );
}
for (const client of clients) await client.end();
await connection.close();
