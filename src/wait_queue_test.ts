import assert from "node:assert/strict";
import { Deadline } from "./deadline.ts";
import { WaitQueue } from "./wait_queue.ts";

const timedOut = () => new Error("timed out");
const later = (ms = 10_000) => new Deadline(ms);

/** Settles `p` into what happened, so a test can look without awaiting forever. */
function watch(p: Promise<void>) {
  const state = { done: false, error: undefined as unknown };
  p.then(() => state.done = true, (e) => state.error = e);
  return state;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("WaitQueue grants holds first come, first served: a shared request waits behind a waiting exclusive one", async () => {
  const q = new WaitQueue();
  assert.ok(q.tryEnter(false));
  const exclusive = watch(q.enter(true, later(), timedOut));
  // A shared hold would fit beside the one granted, but the exclusive request came first.
  assert.equal(q.tryEnter(false), false);
  const shared = watch(q.enter(false, later(), timedOut));
  await tick();
  assert.deepEqual([exclusive.done, shared.done], [false, false]);
  q.leave(false);
  await tick();
  assert.deepEqual([exclusive.done, shared.done], [true, false]);
  q.leave(true);
  await tick();
  assert.equal(shared.done, true);
  q.leave(false);
  assert.equal(q.holds, 0);
});

Deno.test("WaitQueue grants at most capacity shared holds at once", async () => {
  const q = new WaitQueue(2);
  assert.ok(q.tryEnter());
  assert.ok(q.tryEnter());
  assert.equal(q.tryEnter(), false);
  const third = watch(q.enter(false, later(), timedOut));
  await tick();
  assert.equal(third.done, false);
  assert.equal(q.waiting, 1);
  q.leave();
  await tick();
  assert.equal(third.done, true);
  assert.equal(q.holds, 2);
});

Deno.test("WaitQueue ends a wait at its deadline with the caller's error, not before", async () => {
  const q = new WaitQueue();
  assert.ok(q.tryEnter(true));
  const started = performance.now();
  const error = await q.enter(true, new Deadline(150), timedOut).then(
    () => null,
    (e: Error) => e,
  );
  const took = performance.now() - started;
  assert.equal(error?.message, "timed out");
  assert.ok(took >= 145, `gave up early: ${took} ms`);
  assert.ok(took < 150 + 1000, `gave up late: ${took} ms`);
  assert.equal(q.waiting, 0);
  q.leave(true);
  assert.equal(q.holds, 0);
});

Deno.test("WaitQueue lets shared waiters in when the exclusive waiter ahead of them times out", async () => {
  const q = new WaitQueue();
  assert.ok(q.tryEnter(false));
  const exclusive = watch(q.enter(true, new Deadline(30), timedOut));
  const shared = watch(q.enter(false, later(), timedOut));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(exclusive.error instanceof Error);
  assert.equal(shared.done, true);
  assert.equal(q.holds, 2);
});

Deno.test("WaitQueue fails a wait whose deadline has passed at once, and failWaiting() ends every wait", async () => {
  const q = new WaitQueue();
  assert.ok(q.tryEnter(true));
  const clock = { now: 0 };
  const passed = new Deadline(10, () => clock.now);
  clock.now = 20;
  await assert.rejects(q.enter(true, passed, timedOut), /timed out/);
  const a = watch(q.enter(false, later(), timedOut));
  const b = watch(q.enter(true, later(), timedOut));
  q.failWaiting(() => new Error("closed"));
  await tick();
  assert.match(String(a.error), /closed/);
  assert.match(String(b.error), /closed/);
  assert.equal(q.holds, 1, "the granted hold stays");
  q.leave(true);
});

Deno.test("WaitQueue ends one wait when its signal aborts: the others keep their places, and those it held back go in", async () => {
  const q = new WaitQueue();
  assert.ok(q.tryEnter(false));
  const controller = new AbortController();
  const exclusive = watch(
    q.enter(true, later(), timedOut, controller.signal),
  );
  const shared = watch(q.enter(false, later(), timedOut));
  const other = watch(q.enter(true, later(), timedOut));
  await tick();
  assert.equal(q.waiting, 3);
  controller.abort(new Error("caller gave up"));
  await tick();
  assert.match(String(exclusive.error), /caller gave up/);
  assert.equal(shared.done, true, "the shared wait behind it goes in");
  assert.equal(other.done, false);
  assert.equal(other.error, undefined, "the wait after it keeps waiting");
  assert.equal(q.waiting, 1);
  assert.equal(q.holds, 2);
  q.leave(false);
  q.leave(false);
  await tick();
  assert.equal(other.done, true);
  q.leave(true);
  // An aborted signal refuses at once, even with a hold free.
  await assert.rejects(
    q.enter(false, later(), timedOut, AbortSignal.abort(new Error("already"))),
    /already/,
  );
  assert.equal(q.holds, 0);
});
