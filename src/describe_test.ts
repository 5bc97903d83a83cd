import assert from "node:assert/strict";
import { describe, plural } from "./describe.ts";

Deno.test("describe() gives a string's size in characters, and a huge one's in UTF-16 units without reading it", () => {
  assert.equal(describe("😀ab"), "a string of 3 characters");
  assert.equal(
    describe("a".repeat(1 << 20)),
    `a string of ${1 << 20} characters`,
  );
  // Counting the characters of 64 MiB takes as long as reading it (100–500 ms a refusal, seen
  // in the hostile test): its length in units is known at once.
  const huge = "😀".repeat(1 << 23);
  assert.equal(describe(huge), `a string of ${2 << 23} UTF-16 code units`);
});

Deno.test("describe() and plural() say one in the singular: a string of 1 character, 1 row", () => {
  assert.equal(describe("😀"), "a string of 1 character");
  assert.equal(describe(""), "a string of 0 characters");
  assert.deepEqual([0, 1, 2].map((n) => plural(n, "row")), [
    "0 rows",
    "1 row",
    "2 rows",
  ]);
  assert.equal(plural(1, "entry", "entries"), "1 entry");
  assert.equal(plural(3, "entry", "entries"), "3 entries");
});
