/**
 * What the tests of bounded waits share: the SQLite targets another process can lock, their
 * file, and an assertion that a call failed as `timeout` at its deadline.
 *
 * @module
 */
import assert from "node:assert/strict";
import { StorageError } from "../mod.ts";
import { type Fresh, type Target, TARGETS } from "./_targets.ts";

/** A generous bound on what a call may take past its deadline on a loaded machine. */
const SLACK_MS = 2500;

/** The SQLite targets whose database is a file another process can lock. */
export const FILE_TARGETS: readonly Target[] = TARGETS.filter((t) =>
  t.name.startsWith("sqlite") && t.name.endsWith("-file")
);

/**
 * The database file of a fresh SQLite file target.
 *
 * @param fresh The database.
 * @returns Its path.
 */
export function filePath(fresh: Fresh): string {
  return fresh.url.slice("sqlite:".length).split("?")[0]!;
}

/**
 * Runs `work` and measures it.
 *
 * @param work The call.
 * @returns How it ended and how long it took, in ms.
 */
export async function timed(
  work: () => Promise<unknown>,
): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await work().then(() => undefined, (e) => e);
  return { error, ms: performance.now() - started };
}

/**
 * Asserts that a call failed as `timeout` at its deadline: not before it, not long after it,
 * saying that another process holds the lock.
 *
 * @param outcome What {@linkcode timed} measured.
 * @param deadlineMs The call's `acquireTimeoutMs`.
 * @param what The call, for messages.
 */
export function assertTimedOut(
  outcome: { error: unknown; ms: number },
  deadlineMs: number,
  what: string,
): StorageError {
  const { error, ms } = outcome;
  assert.ok(
    error instanceof StorageError && error.kind === "timeout",
    `${what}: expected timeout, got ${error}`,
  );
  assert.ok(ms >= deadlineMs * 0.9, `${what} gave up early: ${ms} ms`);
  assert.ok(ms < deadlineMs + SLACK_MS, `${what} waited ${ms} ms`);
  assert.match(error.message, new RegExp(`${deadlineMs} ms`), what);
  assert.match(error.message, /another process/, what);
  return error;
}
