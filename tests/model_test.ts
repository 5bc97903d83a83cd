/**
 * Model-based property tests: random sequences of operations run against every target and
 * against the in-memory model of `_model.ts`; after every step the whole observable state read
 * back through the API must equal the model's, and every failure must be of the kind the model
 * predicts. Transactions run a few steps on their handle and then commit or throw; the model
 * takes their steps only on commit, and while one is open, reads on the storage itself must
 * still see the committed state (where the target promises snapshot reads).
 *
 * Each sequence starts on an empty database with a prelude (three users, two message areas, a
 * file area, a session, two posts), then runs up to {@linkcode MAX_COMMANDS} random commands;
 * at the end the slow checks of `assertPaging` run too. CI runs {@linkcode RUNS} sequences per
 * target (about 40 s for all five on an idle machine). For a release run 10,000 per target:
 * `IMPULSE_DEEP=1 deno task test`, or `deno test -A tests/model_test.ts -- --deep`.
 * `IMPULSE_MODEL_RUNS=n` runs n instead and `IMPULSE_MODEL_SEED=s` fixes the seed; each run
 * prints how often each operation ended in each way. Counterexamples found are kept in
 * `model_regressions.ts` and replayed first.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Repositories, Storage } from "../mod.ts";
import {
  assertMatches,
  assertPaging,
  emptyModel,
  type Model,
} from "./_model.ts";
import * as F from "./_model_files.ts";
import * as M from "./_model_messages.ts";
import * as SE from "./_model_sessions.ts";
import {
  DATES,
  type Real,
  type Step,
  STEP_TIMEOUT_MS,
  TALLY,
} from "./_model_steps.ts";
import * as U from "./_model_users.ts";
import { openRaw } from "./_raw.ts";
import { type Target, TARGETS } from "./_targets.ts";
import { within } from "./_within.ts";
import { MODEL_REGRESSIONS } from "./model_regressions.ts";

const DEEP = Deno.env.get("IMPULSE_DEEP") === "1" ||
  Deno.args.includes("--deep");
/** Sequences per target (`IMPULSE_MODEL_RUNS` overrides, to try a change quickly). */
export const RUNS = Number(Deno.env.get("IMPULSE_MODEL_RUNS") || 0) ||
  (DEEP ? 10_000 : 200);
/** The longest random part of a sequence. */
export const MAX_COMMANDS = 48;

const ROLLBACK = new Error("the transaction command rolls back");

/** A transaction: its steps run on `tx` against a copy of the model, kept only on commit. */
class Transaction implements fc.AsyncCommand<Model, Real> {
  constructor(readonly steps: Step[], readonly commit: boolean) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    const draft = structuredClone(m);
    try {
      await within(
        () =>
          r.storage.transaction(async (tx: Repositories) => {
            for (const step of this.steps) await step.on(draft, tx);
            await assertMatches(draft, tx, `inside ${this}`);
            await assertPaging(draft, tx, `inside ${this}`, DATES[0]!);
            if (r.snapshotReads) {
              await assertMatches(m, r.storage, `outside the open ${this}`);
            }
            if (!this.commit) throw ROLLBACK;
          }),
        String(this),
        4 * STEP_TIMEOUT_MS,
      );
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
    if (this.commit) Object.assign(m, draft);
    await assertMatches(m, r.storage, `after ${this}`);
  }
  toString(): string {
    return `transaction(${this.commit ? "commit" : "throw"}: ${
      this.steps.join(", ")
    })`;
  }
}

const WRITES = [
  U.createUser,
  U.updateUser,
  U.deleteUser,
  U.incrementUserStats,
  U.recordLogin,
  M.createMessageArea,
  F.createFileArea,
  M.postMessage,
  M.updateMessage,
  M.deleteMessage,
  M.markRead,
  F.addFile,
  F.recordDownload,
  F.updateFile,
  F.deleteFile,
  SE.createSession,
  SE.touchSession,
  SE.endSession,
  SE.deleteSession,
];

const transaction = fc.record({
  steps: fc.array(fc.oneof(...WRITES), { minLength: 1, maxLength: 4 }),
  commit: fc.boolean(),
}).map(({ steps, commit }) => new Transaction(steps, commit));

/** Creation is weighted up so that sequences reach interesting states. */
const COMMANDS: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[] = [
  ...WRITES,
  U.createUser,
  M.createMessageArea,
  M.postMessage,
  M.postMessage,
  M.postMessage,
  M.postMessage,
  M.postMessage,
  F.addFile,
  F.addFile,
  SE.createSession,
  SE.lookUpToken,
  transaction,
  transaction,
];

/**
 * The random runs' commands: {@linkcode COMMANDS} and the steps added after the saved
 * counterexamples were found (trims, issue 13), which the replays (of COMMANDS' shape) leave
 * out. A counterexample found since is saved with `trims: true`, and its replay draws from these.
 */
const RANDOM_COMMANDS = [...COMMANDS, M.trimMessages];

/** A storage on an empty database, emptied again before each sequence. */
interface Bench {
  /** Returns the storage, its database empty. */
  empty(): Promise<Storage>;
  /** Closes everything. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * In-memory databases are made afresh for each sequence (a few milliseconds); the others are
 * opened once and emptied with plain DELETEs (a new PostgreSQL database takes a second). Ids
 * then keep growing across sequences, which the model does not mind.
 */
async function openBench(target: Target): Promise<Bench> {
  const fresh = await target.fresh();
  let storage = await fresh.open();
  const raw = openRaw(fresh.url);
  return {
    async empty() {
      if (raw) {
        await raw.empty();
      } else {
        await storage.close();
        storage = await fresh.open();
      }
      return storage;
    },
    async [Symbol.asyncDispose]() {
      await raw?.[Symbol.asyncDispose]();
      await storage.close();
      await fresh[Symbol.asyncDispose]();
    },
  };
}

/** Steps every sequence starts with, so that most commands find records to work on. */
const PRELUDE = fc.tuple(
  U.createUser,
  U.createUser,
  U.createUser,
  M.createMessageArea,
  M.createMessageArea,
  F.createFileArea,
  SE.createSession,
  M.postMessage,
  M.postMessage,
);

type Commands = Iterable<fc.AsyncCommand<Model, Real>>;

/** How a saved counterexample's sequence was generated. */
interface Replay {
  /** The commands' `replayPath`. */
  replayPath: string;
  /** The longest sequence when it was found. */
  maxCommands: number;
  /** Whether the run drew trims too ({@linkcode RANDOM_COMMANDS}). */
  trims?: boolean;
}

/** A sequence as text: every step, prelude first. */
function script(prelude: readonly Step[], cmds: Commands): string {
  return [...prelude, ...cmds].map(String).join("\n");
}

function property(
  bench: Bench,
  target: Target,
  replay?: Replay,
  seen?: (script: string) => void,
) {
  const drawn = replay === undefined || replay.trims
    ? RANDOM_COMMANDS
    : COMMANDS;
  const commands = fc.commands(drawn, {
    maxCommands: replay?.maxCommands ?? MAX_COMMANDS,
    size: "max",
    ...(replay === undefined ? {} : { replayPath: replay.replayPath }),
  });
  return fc.asyncProperty(PRELUDE, commands, async (prelude, cmds) => {
    seen?.(script(prelude, cmds));
    const storage = await bench.empty();
    await assertMatches(emptyModel(), storage, "at the start");
    const real = { storage, snapshotReads: target.capabilities.snapshotReads };
    const model = emptyModel();
    await fc.asyncModelRun(async () => {
      for (const step of prelude) await step.on(model, storage);
      await assertMatches(model, storage, "after the prelude");
      return { model, real };
    }, cmds);
    await assertPaging(model, storage, "at the end", DATES[0]!);
  });
}

/** Runs `prop`; on failure, the report says what to add to `model_regressions.ts`. */
async function check(
  target: Target,
  prop: fc.IAsyncPropertyWithHooks<[Step[], Commands]>,
  params: fc.Parameters<[Step[], Commands]>,
): Promise<number> {
  const details = await fc.check(prop, params);
  if (!details.failed) return details.numRuns;
  const replayPath = String(details.counterexample?.[1] ?? "")
    .match(/replayPath="([^"]*)"/)?.[1];
  const [prelude, cmds] = details.counterexample ?? [[], []];
  const entry = {
    seed: details.seed,
    path: details.counterexamplePath,
    replayPath,
    maxCommands: MAX_COMMANDS,
    trims: true,
    script: script(prelude, cmds),
  };
  assert.fail(
    `[${target.name}] ${fc.defaultReportMessage(details)}\n\n` +
      `${details.errorInstance}\n\n` +
      `After fixing it, add to tests/model_regressions.ts:\n  ${
        JSON.stringify({ ...entry, note: "…" })
      }`,
  );
}

for (const target of TARGETS) {
  Deno.test({
    name: `[${target.name}] model: saved counterexamples replay`,
    ignore: target.ignore !== undefined || MODEL_REGRESSIONS.length === 0,
    async fn() {
      await using bench = await openBench(target);
      for (const entry of MODEL_REGRESSIONS) {
        const { seed, path, note, script: expected, ...replay } = entry;
        const stale = new Error(
          `The saved counterexample "${note}" no longer replays: the command arbitraries ` +
            `changed shape. Find the case again and refresh its entry (see model_regressions.ts)`,
        );
        let replayed = "";
        const prop = property(bench, target, replay, (s) => replayed = s);
        await check(target, prop, { seed, path, endOnFailure: true }).catch(
          (error) => {
            throw String(error).includes("Unable to replay") ? stale : error;
          },
        );
        if (Deno.env.get("IMPULSE_SHOW_SCRIPT")) {
          console.log(JSON.stringify(replayed));
        }
        if (replayed !== expected) throw stale;
      }
    },
  });

  Deno.test({
    name: `[${target.name}] model: ${RUNS} random sequences match the model`,
    ignore: target.ignore !== undefined,
    async fn() {
      const started = performance.now();
      // A server spends most of a sequence waiting on round trips and commits: there, several
      // sequences run side by side, each on a database of its own.
      const lanes = target.name === "postgres" ? 4 : 1;
      const seed = Number(Deno.env.get("IMPULSE_MODEL_SEED")) ||
        Math.floor(Math.random() * 2 ** 31);
      const results = await Promise.allSettled(
        Array.from({ length: lanes }, async (_, lane) => {
          await using bench = await openBench(target);
          return await check(target, property(bench, target), {
            numRuns: Math.ceil(RUNS / lanes),
            seed: (seed + lane) | 0,
          });
        }),
      );
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
      const runs = results.reduce(
        (sum, r) => sum + (r.status === "fulfilled" ? r.value : 0),
        0,
      );
      assert.ok(runs >= RUNS, `${runs} sequences ran`);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const steps = [...TALLY.values()].reduce((a, b) => a + b, 0);
      console.log(
        `[${target.name}] ${runs} sequences, ${steps} operations in ${seconds} s: ${
          [...TALLY].sort().map(([k, n]) => `${k} ${n}`).join(", ")
        }`,
      );
      TALLY.clear();
    },
  });
}
