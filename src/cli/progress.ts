/**
 * Progress of a long command as lines a person can act on: how far, how fast, how long still:
 * `copying messages: 12,000 of 50,000 rows, 4,100 rows/s, about 9 s left`.
 *
 * @module
 */
import type { Output } from "./output.ts";

/** Reports that `done` of `total` units of the stage `what` are through. */
export type Meter = (what: string, done: number, total: number) => void;

/** How long a stage runs before its rate means something. */
const SETTLE_MS = 250;
/** The least time between two lines of a stage, but for its last. */
const EVERY_MS = 100;

/**
 * A meter printing to `out.progress`: each stage's rate is measured from its first report, and
 * the time left follows from it.
 *
 * @param out Where to print (it paces the lines: see {@linkcode Output.progress}).
 * @param unit What is counted, in the singular (`row`, `page`).
 * @param now The clock, in milliseconds.
 * @returns The meter.
 *
 * @example
 * ```ts
 * import { progressMeter } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * let time = 0;
 * const meter = progressMeter({
 *   json: false, text() {}, data() {}, error() {}, progress: (line) => void lines.push(line),
 * }, "row", () => time);
 * meter("copying users", 0, 5000);
 * time = 2000;
 * meter("copying users", 1000, 5000);
 * assert.equal(lines[1], "copying users: 1,000 of 5,000 rows, 500 rows/s, about 8 s left");
 * ```
 */
export function progressMeter(
  out: Output,
  unit: string,
  now: () => number = () => performance.now(),
): Meter {
  let stage = { what: "", startedAt: 0, startDone: 0 };
  let printedAt = -Infinity;
  return (what, done, total) => {
    const time = now();
    if (what !== stage.what) {
      stage = { what, startedAt: time, startDone: done };
    } else if (time - printedAt < EVERY_MS && done < total) return;
    printedAt = time;
    const elapsed = time - stage.startedAt;
    const perSecond = (done - stage.startDone) / (elapsed / 1000);
    const units = total === 1 ? unit : `${unit}s`;
    const parts = [`${what}: ${count(done)} of ${count(total)} ${units}`];
    if (elapsed >= SETTLE_MS && perSecond > 0) {
      parts.push(`${count(Math.round(perSecond))} ${unit}s/s`);
      if (done < total) {
        parts.push(`about ${duration((total - done) / perSecond)} left`);
      }
    }
    out.progress(parts.join(", "));
  };
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** A time to wait, rounded up as a person would say it: `8 s`, `3 min`, `2 h 5 min`. */
function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
