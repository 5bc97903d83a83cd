import assert from "node:assert/strict";
import { type Output, pacedLines } from "./output.ts";
import { progressMeter } from "./progress.ts";

function recorder(): { out: Output; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: {
      json: false,
      text() {},
      data() {},
      error() {},
      progress: (line) => void lines.push(line),
    },
  };
}

Deno.test("progressMeter() gives each stage's count, its rate and the time left", () => {
  const { out, lines } = recorder();
  let time = 0;
  const meter = progressMeter(out, "row", () => time);
  meter("copying users", 0, 90_000);
  time = 3_000;
  meter("copying users", 30_000, 90_000);
  time = 4_000;
  meter("copying users", 90_000, 90_000);
  // A new stage measures its own rate from its own start.
  meter("copying messages", 0, 1);
  time = 6_000;
  meter("copying messages", 1, 1);
  assert.deepEqual(lines, [
    "copying users: 0 of 90,000 rows",
    "copying users: 30,000 of 90,000 rows, 10,000 rows/s, about 6 s left",
    "copying users: 90,000 of 90,000 rows, 22,500 rows/s",
    "copying messages: 0 of 1 row",
    "copying messages: 1 of 1 row, 1 rows/s",
  ]);
});

Deno.test("progressMeter() says minutes and hours for long waits, and skips reports within 100 ms but a stage's last", () => {
  const { out, lines } = recorder();
  let time = 0;
  const meter = progressMeter(out, "page", () => time);
  meter("backing up", 0, 1_000_000);
  time = 1_000;
  meter("backing up", 100, 1_000_000);
  time = 1_050;
  meter("backing up", 110, 1_000_000);
  time = 1_060;
  meter("backing up", 1_000_000, 1_000_000);
  time = 2_000;
  meter("checking", 0, 10_000_000);
  time = 3_000;
  meter("checking", 10_000, 10_000_000);
  assert.deepEqual(lines.slice(1), [
    "backing up: 100 of 1,000,000 pages, 100 pages/s, about 2 h 47 min left",
    "backing up: 1,000,000 of 1,000,000 pages, 943,396 pages/s",
    "checking: 0 of 10,000,000 pages",
    "checking: 10,000 of 10,000,000 pages, 10,000 pages/s, about 17 min left",
  ]);
});

Deno.test("pacedLines() lets a line through at most once a second", () => {
  let time = 0;
  const gate = pacedLines(1000, () => time);
  const passed = [];
  for (time = 0; time <= 5_000; time += 100) if (gate()) passed.push(time);
  assert.deepEqual(passed, [0, 1000, 2000, 3000, 4000, 5000]);
});
