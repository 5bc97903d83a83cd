/**
 * PostgreSQL throughput under concurrency: `callers` callers each doing `users.get` in a loop
 * for a fixed time, through a Storage with `poolSize` connections and through raw postgres.js
 * with `max: poolSize`, in interleaved rounds (which side goes first changing every round). Prints
 * the median calls per second of each side and their ratio; exits 1 below the 0.95× budget.
 *
 * Run: deno run --allow-all bench/postgres_concurrency.ts [rounds] [callers] [poolSize]
 *
 * @module
 */
import process from "node:process";
import { openStorage } from "../mod.ts";
import { createDatabase, postgresMissing } from "../tests/_postgres.ts";
import { rawPostgres, rawPostgresClient, seedStorage } from "./_raw.ts";

if (postgresMissing !== undefined) Deno.exit(0);
const rounds = Number(Deno.args[0] ?? 20);
const callers = Number(Deno.args[1] ?? 16);
const poolSize = Number(Deno.args[2] ?? 10);
/** How long each side runs per round, in ms. */
const SPAN_MS = 300;
await using db = await createDatabase("impulse_bench");
await using storage = await openStorage(db.url, { postgres: { poolSize } });
const client = rawPostgresClient(db.url, poolSize);
const raw = rawPostgres(client);
const { author } = await seedStorage(storage);

/** Calls per second of `callers` loops of `call` for `SPAN_MS`, and CPU µs per call. */
async function throughput(
  call: () => Promise<unknown>,
): Promise<[number, number]> {
  let calls = 0;
  const cpu = process.cpuUsage();
  const end = performance.now() + SPAN_MS;
  const loop = async () => {
    while (performance.now() < end) {
      await call();
      calls++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, loop));
  const { user, system } = process.cpuUsage(cpu);
  return [
    calls * 1000 / (performance.now() - started),
    (user + system) / calls,
  ];
}

const sides = [
  () => storage.users.get(author.id),
  () => raw.getUser(author.id),
];
const rates: [number[], number[]] = [[], []];
const cpus: [number[], number[]] = [[], []];
for (let round = -3; round < rounds; round++) {
  for (const side of round % 2 === 0 ? [0, 1] : [1, 0]) {
    const [rate, cpu] = await throughput(sides[side]!);
    if (round >= 0) rates[side]!.push(rate), cpus[side]!.push(cpu);
  }
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
const [ours, base] = rates.map(median) as [number, number];
const [ourCpu, baseCpu] = cpus.map(median) as [number, number];
const ratio = ours / base;
console.log(
  `users.get, ${callers} callers, pool ${poolSize}: storage ${
    ours.toFixed(0)
  }/s ` +
    `(${ourCpu.toFixed(1)} µs CPU a call)   raw ${base.toFixed(0)}/s ` +
    `(${baseCpu.toFixed(1)} µs)   ${ratio.toFixed(2)}×`,
);
await client.end();
if (ratio < 0.95) Deno.exitCode = 1;
