/**
 * The machinery of the model-based tests' commands. A {@linkcode Step} applies one operation to
 * the model and to a storage (or a transaction's handle), checks the answer (a record, or an
 * error of the kind the model predicts) and updates the model. Steps pick records through
 * {@linkcode pick}, so one generated step works on any state. The steps themselves are in
 * `_model_users.ts`, `_model_sessions.ts`, `_model_messages.ts` and `_model_files.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import fc from "fast-check";
import type { Repositories, Storage, StorageErrorKind } from "../mod.ts";
import { rejectsKind } from "./_assert.ts";
import { assertMatches, type Model } from "./_model.ts";
import { within } from "./_within.ts";

/** What the steps run against. */
export interface Real {
  /** A storage on a database that was empty when the sequence began. */
  storage: Storage;
  /** Whether reads on the storage see the committed state while a transaction is open. */
  snapshotReads: boolean;
}

/** Runs a step on the model and on `ops`, checking the answer. */
type Apply<S> = (m: Model, ops: Repositories, spec: S) => Promise<void>;

/** The longest one step (or one check of the whole state) may take before it counts as a hang. */
export const STEP_TIMEOUT_MS = 30_000;

/** How often each operation ended in each way (`users.create ok`, `files.add conflict` …). */
export const TALLY: Map<string, number> = new Map();
/** The outcome of the step running in this async context (sequences may run side by side). */
const outcome = new AsyncLocalStorage<{ kind: StorageErrorKind | "ok" }>();

/**
 * Expects `work` to reject with `kind` whose `field` is `field` (and, for `validation`, whose
 * message names it), and counts the outcome.
 */
export async function fails(
  work: Promise<unknown>,
  kind: StorageErrorKind,
  field?: string,
): Promise<void> {
  const named = kind === "validation" ? field : undefined;
  const error = await rejectsKind(work, kind, named);
  assert.equal(error.field, field, `the field of: ${error.message}`);
  const current = outcome.getStore();
  if (current) current.kind = kind;
}

/** One operation with its generated arguments. */
export class Step implements fc.AsyncCommand<Model, Real> {
  /**
   * @param name The operation, for reports.
   * @param spec The generated arguments, for reports.
   * @param apply Runs it on the model and on `ops`, checking the answer.
   */
  constructor(
    readonly name: string,
    readonly spec: unknown,
    readonly apply: (m: Model, ops: Repositories) => Promise<void>,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    await this.on(m, r.storage);
    await within(
      () => assertMatches(m, r.storage, `after ${this}`),
      `the check after ${this}`,
      STEP_TIMEOUT_MS,
    );
  }
  /** Applies the step to the model and to `ops` (a storage or a transaction), counting it. */
  async on(m: Model, ops: Repositories): Promise<void> {
    const current = { kind: "ok" as StorageErrorKind | "ok" };
    await outcome.run(
      current,
      () => within(() => this.apply(m, ops), String(this), STEP_TIMEOUT_MS),
    );
    const key = `${this.name} ${current.kind}`;
    TALLY.set(key, (TALLY.get(key) ?? 0) + 1);
  }
  toString(): string {
    return `${this.name}(${JSON.stringify(this.spec)})`;
  }
}

/** An arbitrary of steps of one operation. */
export function step<S>(
  name: string,
  spec: fc.Arbitrary<S>,
  apply: Apply<S>,
): fc.Arbitrary<Step> {
  return spec.map((s) => new Step(name, s, (m, ops) => apply(m, ops, s)));
}

/** A reference to a record: resolved by {@linkcode pick} against the model. */
export const ref: fc.Arbitrary<number> = fc.nat(199);

/**
 * Resolves a reference: mostly a live record, sometimes a deleted one, sometimes an id that
 * never existed.
 */
export function pick(
  ids: Iterable<number>,
  gone: readonly number[],
  r: number,
): number {
  const known = [...ids];
  const slot = r % 20, i = Math.floor(r / 20);
  if (slot < 18 && known.length > 0) return known[i % known.length]!;
  if (slot < 19 && gone.length > 0) return gone[i % gone.length]!;
  return 999_000_000 + r;
}

/** A field made invalid, and so the field the `validation` error must name. */
export type Bad = readonly [field: string, value: unknown];

/** Mostly `undefined`; now and then a value of `arb` (a bad field, an odd case). */
export function rarely<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { weight: 7, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: arb },
  );
}

/** Calls `work` with `input` spoiled by `bad`, expecting `validation` naming the field. */
export function refusesBad<I>(
  bad: Bad,
  input: I,
  work: (input: I) => Promise<unknown>,
): Promise<void> {
  const spoiled = { ...input, [bad[0]]: bad[1] } as I;
  return fails(work(spoiled), "validation", bad[0]);
}

/** Runs `work` between two clock readings. */
export async function timed<T>(
  work: () => Promise<T>,
): Promise<[T, number, number]> {
  const from = Date.now();
  const result = await work();
  return [result, from, Date.now()];
}

/** The largest counter value: 2^53-1. */
export const MAX = Number.MAX_SAFE_INTEGER;

/** Fixed times for imports (`createdAt`, `uploadedAt`), so that ties happen. */
export const DATES: readonly Date[] = [
  new Date("1994-03-01T12:00:00Z"),
  new Date("2001-09-09T01:46:40Z"),
];

/** Area tags: some clash case- and width-insensitively. */
export const TAGS: readonly string[] = [
  "GENERAL",
  "general",
  "ＧＥＮＥＲＡＬ",
  "FIDO.ECHO",
  "Fido.Echo",
  "FILES",
];
