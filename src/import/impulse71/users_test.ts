import assert from "node:assert/strict";
import { Bytes, concat, user } from "./_builders_test.ts";
import { checkNames, decodeNames } from "./names.ts";
import type { DecodeContext } from "./problems.ts";
import { decodeUsers } from "./users.ts";

function context(file: string): DecodeContext {
  return { file, timeZone: "UTC", problems: [] };
}

Deno.test("decodeUsers() skips scratch slot 0 and keeps deleted users, flagged", () => {
  const c = context("DATA/USER.LST");
  const users = decodeUsers(
    concat(
      user({ name: "NEW USER" }),
      user({ name: "SYSOP", password: "FLARE2" }),
      user({
        name: "GONE",
        deleted: true,
        firstOn: "03/04/05",
        laston: "12/31/99",
      }),
    ),
    c,
  );
  assert.deepEqual(users.map((u) => [u.number, u.name, u.deleted]), [
    [1, "SYSOP", false],
    [2, "GONE", true],
  ]);
  assert.equal(users[1]!.firstOn.date, "2005-03-04");
  assert.equal(users[1]!.lastOn.date, "1999-12-31");
  assert.deepEqual(c.problems.map((p) => [p.kind, p.record]), [[
    "scratch_record",
    0,
  ]]);
});

Deno.test("decodeUsers() keeps the password readable but out of logs and JSON", () => {
  const [sysop] = decodeUsers(
    concat(
      user({ name: "NEW USER" }),
      user({ name: "SYSOP", password: "FLARE2" }),
    ),
    context("DATA/USER.LST"),
  );
  assert.equal(sysop!.password, "FLARE2");
  assert.ok(!JSON.stringify(sysop).includes("FLARE2"));
  assert.ok(!Deno.inspect(sysop, { depth: 9 }).includes("FLARE2"));
});

Deno.test("decodeUsers() clamps an over-long name, normalises phone NULs, reads flags", () => {
  const c = context("DATA/USER.LST");
  const record = new Bytes(843).str(0, 36, "X".repeat(36), { length: 77 })
    .str(95, 12, "999\u0000999\u00009999").raw(379, [0x00, 0x88, 0x01]).raw(
      383,
      [0b110, 0, 0, 0b100],
    )
    .raw(814, [3, 255, 0, 255, 255]).bytes;
  const [clamped] = decodeUsers(concat(new Uint8Array(843), record), c);
  assert.equal(clamped!.name, "X".repeat(36));
  assert.equal(clamped!.phone, "999-999-9999");
  assert.deepEqual(clamped!.flags, ["onekey", "ansi", "color"]);
  assert.equal(clamped!.accessFlags, "ABZ");
  assert.deepEqual(clamped!.moderates, [3]);
  assert.deepEqual(c.problems.map((p) => [p.kind, p.record]), [
    ["scratch_record", 0],
    ["clamped_string", 1],
  ]);
});

Deno.test("checkNames() reports junk, duplicates and names that do not match their slot", () => {
  const c = context("DATA/NAMES.LST");
  const entry = (name: string, number: number) =>
    new Bytes(40).str(0, 36, name).u8(37, 0x10).i16(38, number).bytes;
  const entries = decodeNames(
    concat(
      entry("SYSOP", 1),
      entry("SYSOP", 1),
      entry("NEW USER", 0),
      entry("HORRID", 2),
      entry("GHOST", 9),
      entry("d", 3),
    ),
    c,
  );
  checkNames(entries, new Map([[1, "SYSOP"], [2, "FLARE"], [3, "D"]]), c);
  assert.deepEqual(c.problems.map((p) => [p.kind, p.record]), [
    ["junk_index_entry", 1],
    ["junk_index_entry", 2],
    ["index_mismatch", 3],
    ["index_mismatch", 4],
  ]);
});
