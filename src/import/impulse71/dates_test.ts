import assert from "node:assert/strict";
import {
  decodeStamp,
  encodeStamp,
  isKnownTimeZone,
  parseDateText,
  YEAR_PIVOT,
} from "./dates.ts";

Deno.test("parseDateText() pivots two-digit years at 80", () => {
  assert.equal(YEAR_PIVOT, 80);
  assert.equal(parseDateText("01/01/80", "UTC").date, "1980-01-01");
  assert.equal(parseDateText("12/31/99", "UTC").date, "1999-12-31");
  assert.equal(parseDateText("01/01/00", "UTC").date, "2000-01-01");
  assert.equal(parseDateText("06/15/03", "UTC").date, "2003-06-15");
  assert.equal(parseDateText("12/31/79", "UTC").date, "2079-12-31");
});

Deno.test("parseDateText() gives midnight in the chosen zone", () => {
  assert.equal(
    parseDateText("02/29/00", "UTC").at?.toISOString(),
    "2000-02-29T00:00:00.000Z",
  );
  assert.equal(
    parseDateText("07/04/01", "America/New_York").at?.toISOString(),
    "2001-07-04T04:00:00.000Z",
  );
});

Deno.test("parseDateText() keeps the raw text when it is no date", () => {
  for (
    const raw of [
      "10/34/03",
      "33/33/33",
      "02/29/99",
      "00/10/98",
      "1/2/98",
      "abc",
      "  /  /  ",
    ]
  ) {
    assert.deepEqual(parseDateText(raw, "UTC"), { raw, date: null, at: null });
  }
  assert.deepEqual(parseDateText("", "UTC"), { raw: "", date: null, at: null });
});

Deno.test("decodeStamp() reads the spec's example", () => {
  const stamp = decodeStamp(
    new Uint8Array([0x01, 0x8d, 0x0b, 0xae, 0xb5, 0x3a]),
    0,
    "UTC",
  );
  assert.ok(stamp !== null && stamp !== "invalid");
  assert.equal(stamp.wallClock, "1998-08-11T21:53:42.58");
  assert.equal(stamp.at.toISOString(), "1998-08-11T21:53:42.580Z");
});

Deno.test("decodeStamp() reads the wall clock in the chosen time zone", () => {
  const summer = decodeStamp(
    encodeStamp(clock(1998, 8, 11, 21, 53, 42, 58)),
    0,
    "America/Los_Angeles",
  );
  assert.ok(summer !== null && summer !== "invalid");
  assert.equal(summer.wallClock, "1998-08-11T21:53:42.58");
  assert.equal(summer.at.toISOString(), "1998-08-12T04:53:42.580Z");
  const winter = decodeStamp(
    encodeStamp(clock(1997, 12, 22, 23, 33, 16, 11)),
    0,
    "America/Los_Angeles",
  );
  assert.ok(winter !== null && winter !== "invalid");
  assert.equal(winter.at.toISOString(), "1997-12-23T07:33:16.110Z");
});

Deno.test("decodeStamp() reads dates from 2000 on", () => {
  const bytes = encodeStamp(clock(2003, 2, 28, 23, 59, 59, 99));
  const stamp = decodeStamp(bytes, 0, "UTC");
  assert.ok(stamp !== null && stamp !== "invalid");
  assert.equal(stamp.wallClock, "2003-02-28T23:59:59.99");
  assert.equal(stamp.at.toISOString(), "2003-02-28T23:59:59.990Z");
});

Deno.test("decodeStamp() gives null for all zeros and flags out-of-range fields", () => {
  assert.equal(decodeStamp(new Uint8Array(6), 0, "UTC"), null);
  assert.equal(
    decodeStamp(encodeStamp(clock(1998, 13, 1, 0, 0, 0, 0)), 0, "UTC"),
    "invalid",
  );
  assert.equal(
    decodeStamp(encodeStamp(clock(1999, 2, 29, 0, 0, 0, 0)), 0, "UTC"),
    "invalid",
  );
  assert.equal(
    decodeStamp(encodeStamp(clock(1998, 1, 1, 24, 0, 0, 0)), 0, "UTC"),
    "invalid",
  );
  assert.equal(
    decodeStamp(encodeStamp(clock(1998, 1, 1, 0, 0, 0, 100)), 0, "UTC"),
    "invalid",
  );
});

Deno.test("isKnownTimeZone() tells known zones from unknown ones", () => {
  assert.ok(isKnownTimeZone("UTC"));
  assert.ok(isKnownTimeZone("Europe/Berlin"));
  assert.ok(!isKnownTimeZone("Mars/Olympus_Mons"));
});

function clock(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  hundredths: number,
) {
  return { year, month, day, hour, minute, second, hundredths };
}
