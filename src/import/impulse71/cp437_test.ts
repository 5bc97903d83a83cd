import assert from "node:assert/strict";
import { decodeCp437, encodeCp437 } from "./cp437.ts";

const ALL = Uint8Array.from({ length: 256 }, (_, byte) => byte);

Deno.test("decodeCp437() gives 256 distinct characters, one per byte", () => {
  const text = decodeCp437(ALL);
  assert.equal(Array.from(text).length, 256);
  assert.equal(new Set(text).size, 256);
});

Deno.test("decodeCp437() keeps control bytes as the characters they are", () => {
  for (const byte of [...ALL.subarray(0, 0x20), 0x7f]) {
    assert.equal(decodeCp437(new Uint8Array([byte])).codePointAt(0), byte);
  }
  // Impulse colour code 0x03 + digit, an ANSI escape and NUL separators survive.
  const bytes = encodeCp437("\x033Hi \x1b[0;34m999\x00999");
  assert.equal(decodeCp437(bytes), "\x033Hi \x1b[0;34m999\x00999");
});

Deno.test("decodeCp437() decodes ASCII as ASCII", () => {
  const ascii = ALL.subarray(0x20, 0x7f);
  assert.equal(decodeCp437(ascii), String.fromCharCode(...ascii));
});

Deno.test("decodeCp437() maps the high half as IBM PC code page 437", () => {
  const expected: [number, string][] = [
    [0x80, "Ç"],
    [0x99, "Ö"],
    [0x9e, "₧"],
    [0xa9, "⌐"],
    [0xb0, "░"],
    [0xb3, "│"],
    [0xbf, "┐"],
    [0xc4, "─"],
    [0xc9, "╔"],
    [0xda, "┌"],
    [0xdb, "█"],
    [0xdf, "▀"],
    [0xe1, "ß"],
    [0xe6, "µ"],
    [0xf9, "∙"],
    [0xfa, "·"],
    [0xfe, "■"],
    [0xff, "\u00a0"],
  ];
  for (const [byte, char] of expected) {
    assert.equal(
      decodeCp437(new Uint8Array([byte])),
      char,
      `byte 0x${byte.toString(16)}`,
    );
  }
});

Deno.test("encodeCp437() inverts decodeCp437() for every byte", () => {
  assert.deepEqual(encodeCp437(decodeCp437(ALL)), ALL);
});

Deno.test("encodeCp437() refuses a character CP437 lacks", () => {
  assert.throws(() => encodeCp437("€"), RangeError);
});
