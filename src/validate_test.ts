import assert from "node:assert/strict";
import type { z } from "zod";
import { parse, text } from "./validate.ts";
import { newMessage } from "./schemas.ts";
import { StorageError } from "./errors.ts";

/** The message parse gives for `value` against `schema`, or "ok". */
function verdict(schema: z.ZodType, value: unknown): string {
  try {
    parse(schema, value, "input", "test");
    return "ok";
  } catch (error) {
    assert.ok(error instanceof StorageError && error.kind === "validation");
    return error.message.replace(/^Invalid test input: input /, "").replace(
      /: got .*$/s,
      "",
    );
  }
}

Deno.test("text() counts characters as code points, at both bounds", () => {
  const t = text(5, 3);
  assert.equal(verdict(t, "😀".repeat(5)), "ok"); // 10 UTF-16 units, 5 characters
  assert.equal(verdict(t, "abcde"), "ok");
  assert.equal(verdict(t, "😀".repeat(6)), "must have at most 5 characters");
  assert.equal(verdict(t, "abcdef"), "must have at most 5 characters");
  assert.equal(verdict(t, "x".repeat(11)), "must have at most 5 characters");
  assert.equal(verdict(t, "😀😀😀"), "ok"); // 6 units, 3 characters
  assert.equal(verdict(t, "😀😀"), "must have at most 5 characters"); // too short: size message
  assert.equal(verdict(text(5, 1), ""), "must not be empty");
  assert.equal(verdict(text(5, 1), "😀"), "ok");
  assert.equal(verdict(text(1, 1), ""), "must not be empty");
});

Deno.test("text() refuses lone surrogates and NUL, the length first", () => {
  const t = text(5);
  assert.equal(
    verdict(t, "a\ud800b"),
    "must be well-formed Unicode (no lone surrogates)",
  );
  assert.equal(verdict(t, "a\0b"), "must not contain NUL characters");
  assert.equal(verdict(t, "\0".repeat(6)), "must have at most 5 characters");
  assert.equal(
    verdict(t, "\ud800\0"),
    "must be well-formed Unicode (no lone surrogates)",
  );
  assert.equal(verdict(t, 5), "must be a string");
});

Deno.test("a message's kludges hold at most 1048576 characters in all, counted as code points", () => {
  const post = (values: string[]) =>
    verdict(newMessage, {
      areaId: 1,
      fromName: "A",
      subject: "",
      body: "",
      kludges: values.map((value) => ({ name: "X", value })),
    });
  // 16 names of one character each: the values may hold 1048560.
  const values = (last: string) => [
    ...Array.from({ length: 15 }, () => "v".repeat(65_536)),
    last,
  ];
  assert.equal(post(values("v".repeat(65_536 - 16))), "ok");
  assert.match(
    post(values("v".repeat(65_536 - 15))),
    /must have at most 1048576 characters in all/,
  );
  // Two UTF-16 units a character: 1179648 units, 589824 characters, counted, not refused by
  // the units alone.
  assert.equal(
    post(Array.from({ length: 9 }, () => "😀".repeat(65_536))),
    "ok",
  );
});
