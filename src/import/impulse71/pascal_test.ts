import assert from "node:assert/strict";
import { encodeCp437 } from "./cp437.ts";
import type { DecodeContext } from "./problems.ts";
import {
  readPascalString,
  readSet,
  RecordReader,
  withSecret,
} from "./pascal.ts";

function context(): DecodeContext {
  return { file: "DATA/TEST.DAT", timeZone: "UTC", problems: [] };
}

Deno.test("readPascalString() reads only L bytes and ignores the garbage after them", () => {
  const field = new Uint8Array([3, ...encodeCp437("ABCgarbage")]);
  assert.deepEqual(readPascalString(field, 0, 10), {
    text: "ABC",
    length: 3,
    clamped: false,
  });
  assert.deepEqual(readPascalString(new Uint8Array([0, 0x41]), 0, 1), {
    text: "",
    length: 0,
    clamped: false,
  });
});

Deno.test("readPascalString() clamps a length above N", () => {
  const field = new Uint8Array([230, ...encodeCp437("12345678ZZZZ")]);
  assert.deepEqual(readPascalString(field, 0, 8), {
    text: "12345678",
    length: 230,
    clamped: true,
  });
  // A length running past the end of the buffer stops at the end.
  assert.equal(
    readPascalString(new Uint8Array([5, 0x41, 0x42]), 0, 8).text,
    "AB",
  );
});

Deno.test("readPascalString() decodes CP437 and keeps colour codes", () => {
  const field = new Uint8Array([4, 0x03, 0x35, 0x99, 0xb3]);
  assert.equal(readPascalString(field, 0, 20).text, "\x035Ö│");
});

Deno.test("readSet() follows the Pascal bit layout", () => {
  // 24 flags in 3 bytes: the SysOp's `ac` 00 88 01 = onekey (11), ansi (15), color (16).
  assert.deepEqual(readSet(new Uint8Array([0x00, 0x88, 0x01]), 0, 3), [
    11,
    15,
    16,
  ]);
  // set of '@'..'Z': '@' is byte 0 bit 0.
  assert.deepEqual(readSet(new Uint8Array([0b1, 0, 0, 0]), 0, 4, 64), [64]);
  // set of 1..254: bit 0 of byte 0 is not a member.
  const all = new Uint8Array(32).fill(0xff);
  const members = readSet(all, 0, 32, 1);
  assert.equal(members[0], 1);
  assert.equal(members.length, 255);
});

Deno.test("RecordReader reads little-endian integers and non-zero booleans", () => {
  // 10 | ef 8e | ff ff ff ff | 00
  const bytes = Uint8Array.from([16, 239, 142, 255, 255, 255, 255, 0]);
  const r = new RecordReader(bytes, context(), 0);
  assert.equal(r.bool(0), true); // NAMES.LST's garbage 0x10 is true
  assert.equal(r.bool(7), false);
  assert.equal(r.i16(1), -28945);
  assert.equal(r.u16(1), 36591); // NOVELL32.EXE's block count, read unsigned
  assert.equal(r.i32(3), -1);
  assert.equal(r.u8(1), 0xef);
});

Deno.test("RecordReader reports a clamped string under its record", () => {
  const c = context();
  const bytes = new Uint8Array([200, ...encodeCp437("ABCDEFGHIJ")]);
  assert.equal(
    new RecordReader(bytes, c, 7).string(0, 8, "privfor"),
    "ABCDEFGH",
  );
  assert.equal(c.problems.length, 1);
  assert.deepEqual({ ...c.problems[0], reason: undefined }, {
    kind: "clamped_string",
    file: "DATA/TEST.DAT",
    record: 7,
    reason: undefined,
  });
  assert.match(
    c.problems[0]!.reason,
    /"privfor" has length 200, more than its 8/,
  );
});

Deno.test("RecordReader keeps an unparseable date raw and reports it", () => {
  const c = context();
  const bytes = new Uint8Array([8, ...encodeCp437("34/44/44")]);
  const date = new RecordReader(bytes, c, 5).date(0, "bday");
  assert.deepEqual(date, { raw: "34/44/44", date: null, at: null });
  assert.equal(c.problems[0]?.kind, "unparseable_date");
  assert.equal(c.problems[0]?.record, 5);
});

Deno.test("RecordReader reads an invalid packed stamp as unset and reports it", () => {
  const c = context();
  const bytes = new Uint8Array([0x01, 0x8d, 0x00, 0, 0, 0]); // day 0
  assert.equal(new RecordReader(bytes, c, 2).stamp(0, "msgdate"), null);
  assert.equal(c.problems[0]?.kind, "unparseable_date");
  assert.match(c.problems[0]!.reason, /01 8d 00 00 00 00/);
  assert.equal(
    new RecordReader(new Uint8Array(6), c, 3).stamp(0, "msgdate"),
    null,
  );
  assert.equal(c.problems.length, 1);
});

Deno.test("withSecret() hides the secret from logs and JSON but not from code", () => {
  const user = withSecret({ name: "SYSOP" }, "password", "HUNTER2");
  assert.equal(user.password, "HUNTER2");
  assert.deepEqual(Object.keys(user), ["name"]);
  assert.equal(JSON.stringify(user), '{"name":"SYSOP"}');
  assert.ok(!Deno.inspect(user).includes("HUNTER2"));
  assert.ok(!Deno.inspect({ ...user }).includes("HUNTER2"));
});
