/**
 * The PostgreSQL benchmark's ratios measured the robust way on a busy machine: many short
 * interleaved rounds, each timing a few calls of every operation through the Storage and through
 * its raw postgres.js twin (the statements of `bench/_raw.ts`), which side goes first changing
 * every round; the medians are compared, so noise from other processes falls on both sides
 * alike. Prints one line per operation and exits 1 if any ratio is above the 1.2× budget.
 *
 * Run: deno run --allow-all bench/postgres_ratios.ts [rounds]
 *
 * @module
 */
import { openStorage } from "../mod.ts";
import { createDatabase, postgresMissing } from "../tests/_postgres.ts";
import { BODY, rawPostgres, rawPostgresClient, seedStorage } from "./_raw.ts";

if (postgresMissing !== undefined) Deno.exit(0);
const rounds = Number(Deno.args[0] ?? 300);
/** Calls per timed batch. */
const BATCH = 5;
/** Rounds run before timing starts (JIT, statement caches). */
const WARMUP = 20;
await using db = await createDatabase("impulse_bench");
await using storage = await openStorage(db.url);
const client = rawPostgresClient(db.url);
const raw = rawPostgres(client);
const { general, other, author } = await seedStorage(storage);
let n = 0;

const pairs: Record<string, [() => Promise<unknown>, () => Promise<unknown>]> =
  {
    "users.get": [
      () => storage.users.get(author.id),
      () => raw.getUser(author.id),
    ],
    "users.findByUsername": [
      () => storage.users.findByUsername("Author"),
      () => raw.findUserByUsername("author"),
    ],
    "users.create": [
      () => storage.users.create({ username: `user${n++}`, passwordHash: "h" }),
      () => raw.createUser(`user${n++}`),
    ],
    "messages.post": [
      () =>
        storage.messages.post({
          areaId: other.id,
          fromUserId: author.id,
          subject: "Hello",
          body: BODY,
        }),
      () =>
        raw.postMessage({
          areaId: other.id,
          authorId: author.id,
          subject: "Hello",
          body: BODY,
        }),
    ],
    "messages.list(limit 50)": [
      () => storage.messages.list(general.id, { afterNum: 1000, limit: 50 }),
      () => raw.listMessages(general.id, { afterNum: 1000, limit: 50 }),
    ],
  };

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
const samples: Record<string, [number[], number[]]> = {};
for (let round = 0; round < WARMUP + rounds; round++) {
  for (const [name, pair] of Object.entries(pairs)) {
    for (const side of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const started = performance.now();
      for (let i = 0; i < BATCH; i++) await pair[side]!();
      const perCall = (performance.now() - started) * 1000 / BATCH;
      if (round >= WARMUP) (samples[name] ??= [[], []])[side]!.push(perCall);
    }
  }
}
let over = false;
for (const [name, [ours, base]] of Object.entries(samples)) {
  const ratio = median(ours) / median(base);
  over ||= ratio > 1.2;
  console.log(
    `${name.padEnd(24)} storage ${
      median(ours).toFixed(0).padStart(5)
    } µs   raw ${median(base).toFixed(0).padStart(5)} µs   ${
      ratio.toFixed(2)
    }×`,
  );
}
await client.end();
if (over) Deno.exitCode = 1;
