import assert from "node:assert/strict";
import { Deadline } from "./deadline.ts";
import { nextPause, retry } from "./retry.ts";

/** A clock the test moves by hand. */
function manualClock(start = 1000) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

Deno.test("Deadline counts down from its budget and never below zero", () => {
  const clock = manualClock();
  const deadline = new Deadline(500, clock.read);
  assert.equal(deadline.budgetMs, 500);
  assert.equal(deadline.remainingMs, 500);
  assert.equal(deadline.expired, false);
  clock.now += 320;
  assert.equal(deadline.remainingMs, 180);
  clock.now += 180;
  assert.equal(deadline.remainingMs, 0);
  assert.equal(deadline.expired, true);
  clock.now += 5000;
  assert.equal(deadline.remainingMs, 0);
});

Deno.test("Deadline.waitMs() is what is left, rounded up, and at least 1 ms", () => {
  const clock = manualClock();
  const deadline = new Deadline(1000, clock.read);
  assert.equal(deadline.waitMs(), 1000);
  clock.now += 999.5;
  assert.equal(deadline.waitMs(), 1);
  clock.now += 10;
  // PostgreSQL reads lock_timeout = 0 as "no bound": the floor keeps it bounded.
  assert.equal(deadline.waitMs(), 1);
  assert.equal(new Deadline(0, clock.read).waitMs(), 1);
});

Deno.test("Deadline.pause() cuts a delay to what is left and refuses one after the deadline", () => {
  const clock = manualClock();
  const deadline = new Deadline(100, clock.read);
  assert.equal(deadline.pause(40), 40);
  clock.now += 90;
  assert.equal(deadline.pause(40), 10);
  clock.now += 10;
  assert.equal(deadline.pause(40), null);
  assert.equal(deadline.pause(0), null);
});

Deno.test("nextPause() is the backoff's delay within the deadline, or null after it", () => {
  const backoff = { attempts: 10, baseDelayMs: 1000, maxDelayMs: 1000 };
  const clock = manualClock();
  const deadline = new Deadline(300, clock.read);
  for (let attempt = 1; attempt < 5; attempt++) {
    const pause = nextPause(attempt, backoff, deadline)!;
    assert.ok(pause >= 0 && pause <= 300, `pause ${pause}`);
    const unbounded = nextPause(attempt, backoff)!;
    assert.ok(unbounded >= 0 && unbounded <= 1000);
  }
  clock.now += 300;
  assert.equal(nextPause(1, backoff, deadline), null);
});

Deno.test("retry() gives up when the deadline passes, saying so, before the attempts run out", async () => {
  const clock = manualClock();
  const deadline = new Deadline(100, clock.read);
  let attempts = 0;
  const error = await retry(
    () => {
      attempts++;
      clock.now += 30; // each attempt takes 30 ms of the deadline
      throw new Error("busy");
    },
    () => true,
    { attempts: 1000, baseDelayMs: 0, maxDelayMs: 0 },
    (cause, n, late) =>
      new Error(`gave up after ${n}, late: ${late}: ${cause}`),
    deadline,
  ).then(() => null, (e: Error) => e);
  // 30, 60, 90 ms: time left; 120 ms: past the deadline, so the fourth attempt is the last.
  assert.equal(attempts, 4);
  assert.equal(error?.message, "gave up after 4, late: true: Error: busy");
});

Deno.test("retry() without a deadline stops after its attempts, not late", async () => {
  let attempts = 0;
  const error = await retry(
    () => {
      attempts++;
      throw new Error("busy");
    },
    () => true,
    { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
    (_cause, n, late) => new Error(`gave up after ${n}, late: ${late}`),
  ).then(() => null, (e: Error) => e);
  assert.equal(attempts, 3);
  assert.equal(error?.message, "gave up after 3, late: false");
});

Deno.test("retry() does not retry an error that is not transient", async () => {
  let attempts = 0;
  const error = await retry(
    () => {
      attempts++;
      throw new Error("final");
    },
    () => false,
    { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 },
    () => new Error("gave up"),
    new Deadline(1000),
  ).then(() => null, (e: Error) => e);
  assert.equal(attempts, 1);
  assert.equal(error?.message, "final");
});
