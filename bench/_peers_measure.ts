/**
 * How the peer benchmark measures, the house way (`bench/postgres_ratios.ts`): many short
 * interleaved rounds, each timing a small batch of calls of every operation on every side, the
 * side that goes first changing every round, so noise from other processes falls on all sides
 * alike. Each round's time of a side is divided by the raw driver's time in the same round; the
 * table gives the median of those ratios and their spread (p25–p75 over rounds).
 *
 * @module
 */
import type { Operation, Side } from "./_peers_sides.ts";

/** How long to measure. */
export interface RoundsOptions {
  rounds: number;
  /** Rounds run before timing starts (JIT, statement caches). */
  warmup: number;
  /** Calls per timed batch. */
  batch: number;
}

/** One side's result on one operation. */
export interface Cell {
  /** Median µs per call. */
  us: number;
  /** Median of the per-round ratios to raw. */
  ratio: number;
  /** 25th and 75th percentile of those ratios. */
  p25: number;
  p75: number;
}

/** Results by operation, then side. */
export type Results = Record<string, Record<string, Cell>>;

/**
 * The value at quantile `q` of `xs` (sorted in place).
 *
 * @param xs The values.
 * @param q From 0 to 1.
 */
export function quantile(xs: number[], q: number): number {
  xs.sort((a, b) => a - b);
  return xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
}

/**
 * Awaits an answer when it is a promise or a thenable (Drizzle's queries run when awaited);
 * raw SQLite answers at once, and pays no microtask.
 */
async function settle(answer: unknown): Promise<void> {
  if (typeof (answer as PromiseLike<unknown>)?.then === "function") {
    await answer;
  }
}

async function call(side: Side, op: Operation, i: number): Promise<void> {
  await settle(side[op](i));
}

/** What a read found, comparable across sides: a row's id, or a list's length. */
function found(answer: unknown): unknown {
  if (answer === null || answer === undefined) return null;
  if (!Array.isArray(answer)) return (answer as { id: unknown }).id;
  // A raw row is an array of columns, the id first; a list is an array of rows or entries.
  return typeof answer[0] === "object" || answer.length === 0
    ? `${answer.length} rows`
    : answer[0];
}

/**
 * Holds every side to the raw side's answers on the reads, so none does less work.
 *
 * @param sides The sides by name; the first is the raw driver.
 * @param ops The reads to compare.
 * @throws {Error} When a side finds something else.
 */
export async function checkSides(
  sides: Record<string, Side>,
  ops: readonly Operation[],
): Promise<void> {
  const [base, ...others] = Object.keys(sides);
  for (const op of ops) {
    for (let i = 0; i < 3; i++) {
      const want = found(await sides[base!]![op](i));
      for (const name of others) {
        const got = found(await sides[name]![op](i));
        if (String(got) !== String(want)) {
          throw new Error(
            `The ${name} side's ${op}(${i}) found ${got}, raw found ${want}`,
          );
        }
      }
    }
  }
}

/**
 * Times every operation on every side in interleaved rounds.
 *
 * @param sides The sides by name; the first is the raw driver, the baseline.
 * @param ops The operations.
 * @param options Rounds, warm-up, batch.
 * @returns Each side's median time and ratio to the baseline, per operation.
 */
export async function measureRounds(
  sides: Record<string, Side>,
  ops: readonly Operation[],
  options: RoundsOptions,
): Promise<Results> {
  const names = Object.keys(sides);
  const calls = new Map<string, number>();
  const times: Record<string, Record<string, number[]>> = {};
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    for (const op of ops) {
      const perCall: Record<string, number> = {};
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length]!;
        const key = `${name} ${op}`;
        let i = calls.get(key) ?? 0;
        const started = performance.now();
        for (let b = 0; b < options.batch; b++) {
          await call(sides[name]!, op, i++);
        }
        perCall[name] = (performance.now() - started) * 1000 / options.batch;
        calls.set(key, i);
      }
      if (round < options.warmup) continue;
      for (const name of names) {
        ((times[op] ??= {})[name] ??= []).push(perCall[name]!);
      }
    }
  }
  return summarise(times, names[0]!);
}

/** Medians and per-round ratios to `baseline` of per-call times by operation and side. */
function summarise(
  times: Record<string, Record<string, number[]>>,
  baseline: string,
): Results {
  const results: Results = {};
  for (const [op, bySide] of Object.entries(times)) {
    const base = bySide[baseline]!;
    for (const [name, xs] of Object.entries(bySide)) {
      const ratios = xs.map((x, r) => x / base[r]!);
      (results[op] ??= {})[name] = {
        us: quantile([...xs], 0.5),
        ratio: quantile(ratios, 0.5),
        p25: quantile(ratios, 0.25),
        p75: quantile(ratios, 0.75),
      };
    }
  }
  return results;
}

/**
 * Throughput of `callers` concurrent callers, each calling `run` in a loop, for `ms`
 * milliseconds, per side in interleaved rounds.
 *
 * @param sides One call per side, by name; the first is the baseline.
 * @param options Callers, milliseconds per side and round, rounds.
 * @returns Each side's median calls per second and ratio to the baseline.
 */
export async function measureThroughput(
  sides: Record<string, (i: number) => Promise<unknown>>,
  options: { callers: number; ms: number; rounds: number },
): Promise<Record<string, Cell>> {
  const names = Object.keys(sides);
  const rates: Record<string, number[]> = {};
  for (let round = -1; round < options.rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + 1 + k) % names.length]!;
      const run = sides[name]!;
      let done = 0;
      const until = performance.now() + options.ms;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: options.callers }, async (_, c) => {
          for (let i = c; performance.now() < until; i += options.callers) {
            await run(i);
            done++;
          }
        }),
      );
      // Round -1 warms every side up (its connections opened) and is not counted.
      if (round >= 0) {
        (rates[name] ??= []).push(
          done * 1000 / (performance.now() - started),
        );
      }
    }
  }
  const base = rates[names[0]!]!;
  return Object.fromEntries(names.map((name) => {
    const xs = rates[name]!;
    const ratios = xs.map((x, r) => x / base[r]!);
    return [name, {
      us: quantile([...xs], 0.5),
      ratio: quantile(ratios, 0.5),
      p25: quantile(ratios, 0.25),
      p75: quantile(ratios, 0.75),
    }];
  }));
}

/** Memory before and after many reads on one side, after a garbage collection each time. */
export interface Growth {
  reads: number;
  /** Growth of the resident set, MiB. */
  rssMiB: number;
  /** Growth of the V8 heap in use, MiB. */
  heapMiB: number;
}

const MIB = 1024 * 1024;
const collect = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * The memory one side keeps after `reads` sequential calls of `run`.
 *
 * @param run One read.
 * @param reads How many.
 * @returns The growth of RSS and heap across them.
 */
export async function measureGrowth(
  run: (i: number) => unknown,
  reads: number,
): Promise<Growth> {
  // Warmed up first, so buffers and compiled code that any first calls make are not counted.
  for (let i = 0; i < 1000; i++) await settle(run(i));
  collect();
  const before = Deno.memoryUsage();
  for (let i = 0; i < reads; i++) {
    await settle(run(i));
  }
  collect();
  const after = Deno.memoryUsage();
  return {
    reads,
    rssMiB: (after.rss - before.rss) / MIB,
    heapMiB: (after.heapUsed - before.heapUsed) / MIB,
  };
}
