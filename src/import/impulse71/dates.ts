/**
 * The two date forms of Impulse 7.1: `MM/DD/YY` strings and 6-byte packed stamps.
 *
 * Two-digit years pivot at {@linkcode YEAR_PIVOT}: `YY < 80` is 20YY, otherwise 19YY.
 * Both forms are local wall-clock time with no zone; they become instants in the IANA time
 * zone the caller names (UTC by default), so a wall-clock time reads back unchanged in
 * that zone.
 *
 * @module
 */

/** Two-digit years below this are 20YY, the rest 19YY (80 is the installer's `01/01/80`). */
export const YEAR_PIVOT = 80;

/** A `MM/DD/YY` date as stored, with its calendar reading. */
export interface Impulse71Date {
  /** The text as stored (CP437-decoded), kept even when it does not parse. */
  raw: string;
  /** The calendar date `YYYY-MM-DD`, or `null` when `raw` is empty or not a valid date. */
  date: string | null;
  /** Midnight of `date` in the chosen time zone, or `null` like `date`. */
  at: Date | null;
}

/** A packed date/time stamp (`cpackdatetime`). */
export interface Impulse71Stamp {
  /** The wall-clock time as stored: `YYYY-MM-DDTHH:MM:SS.cc` (hundredths of a second). */
  wallClock: string;
  /** That wall-clock time as an instant in the chosen time zone. */
  at: Date;
}

/** The fields of a calendar date and time. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  hundredths: number;
}

/**
 * Reads a `MM/DD/YY` date with the year pivot.
 *
 * @param raw The stored text.
 * @param timeZone The IANA zone in which midnight of the date is taken.
 * @returns The reading; `date` and `at` are `null` when the text is empty or no valid date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDateText } from "./dates.ts";
 *
 * assert.equal(parseDateText("08/29/98", "UTC").date, "1998-08-29");
 * assert.equal(parseDateText("01/02/03", "UTC").date, "2003-01-02");
 * assert.equal(parseDateText("10/34/03", "UTC").date, null);
 * ```
 */
export function parseDateText(raw: string, timeZone: string): Impulse71Date {
  const match = /^(\d\d)\/(\d\d)\/(\d\d)$/.exec(raw);
  if (match === null) return { raw, date: null, at: null };
  const yy = Number(match[3]);
  const clock = {
    year: yy < YEAR_PIVOT ? 2000 + yy : 1900 + yy,
    month: Number(match[1]),
    day: Number(match[2]),
    hour: 0,
    minute: 0,
    second: 0,
    hundredths: 0,
  };
  if (!isValid(clock)) return { raw, date: null, at: null };
  return { raw, date: isoDate(clock), at: toInstant(clock, timeZone) };
}

/**
 * Reads a 6-byte packed stamp: two big-endian 24-bit numbers, the date
 * (`(year − 1800) << 9 | month << 5 | day`) and the time
 * (`hour << 19 | minute << 13 | second << 7 | hundredths`).
 *
 * @param bytes The bytes holding the stamp.
 * @param offset Where the stamp starts.
 * @param timeZone The IANA zone the wall-clock time is read in.
 * @returns The stamp, `null` when all six bytes are zero ("never"), or `"invalid"` when a
 *   field is out of range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeStamp } from "./dates.ts";
 *
 * const bytes = new Uint8Array([0x01, 0x8d, 0x0b, 0xae, 0xb5, 0x3a]);
 * const stamp = decodeStamp(bytes, 0, "UTC");
 * assert.ok(stamp !== null && stamp !== "invalid");
 * assert.equal(stamp.wallClock, "1998-08-11T21:53:42.58");
 * ```
 */
export function decodeStamp(
  bytes: Uint8Array,
  offset: number,
  timeZone: string,
): Impulse71Stamp | null | "invalid" {
  const b = (index: number) => bytes[offset + index] ?? 0;
  const date = (b(0) << 16) | (b(1) << 8) | b(2);
  const time = (b(3) << 16) | (b(4) << 8) | b(5);
  if (date === 0 && time === 0) return null;
  const clock = {
    year: (date >> 9) + 1800,
    month: (date >> 5) & 0x0f,
    day: date & 0x1f,
    hour: time >> 19,
    minute: (time >> 13) & 0x3f,
    second: (time >> 7) & 0x3f,
    hundredths: time & 0x7f,
  };
  if (!isValid(clock)) return "invalid";
  const wallClock = `${isoDate(clock)}T${pad(clock.hour)}:${
    pad(clock.minute)
  }:${pad(clock.second)}.${pad(clock.hundredths)}`;
  return { wallClock, at: toInstant(clock, timeZone) };
}

/**
 * Encodes a wall-clock time as a packed stamp, the inverse of {@linkcode decodeStamp}.
 *
 * @param clock The date and time fields.
 * @returns The six bytes.
 */
export function encodeStamp(clock: WallClock): Uint8Array {
  const date = ((clock.year - 1800) << 9) | (clock.month << 5) | clock.day;
  const time = (clock.hour << 19) | (clock.minute << 13) |
    (clock.second << 7) | clock.hundredths;
  return new Uint8Array([
    date >> 16,
    (date >> 8) & 0xff,
    date & 0xff,
    time >> 16,
    (time >> 8) & 0xff,
    time & 0xff,
  ]);
}

/**
 * Checks that an IANA time zone name is known.
 *
 * @param timeZone The name, such as `"UTC"` or `"America/Chicago"`.
 * @returns Whether the runtime knows the zone.
 */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function isValid(clock: WallClock): boolean {
  const monthDays = new Date(Date.UTC(clock.year, clock.month, 0)).getUTCDate();
  return clock.month >= 1 && clock.month <= 12 && clock.day >= 1 &&
    clock.day <= monthDays && clock.hour < 24 && clock.minute < 60 &&
    clock.second < 60 && clock.hundredths < 100;
}

function isoDate(clock: WallClock): string {
  return `${clock.year}-${pad(clock.month)}-${pad(clock.day)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/**
 * The instant at which the wall clock in `timeZone` shows `clock` (the FidoNet import reads its
 * zone-less dates with it too).
 *
 * @param clock The wall-clock time, its fields as valid calendar values.
 * @param timeZone An IANA zone (see {@linkcode isKnownTimeZone}).
 * @returns The instant.
 */
export function toInstant(clock: WallClock, timeZone: string): Date {
  const wall = Date.UTC(
    clock.year,
    clock.month - 1,
    clock.day,
    clock.hour,
    clock.minute,
    clock.second,
    clock.hundredths * 10,
  );
  if (timeZone === "UTC") return new Date(wall);
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone));
}

/** How far ahead of UTC the wall clock of `timeZone` is at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const field = (type: string) =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  const shown = Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
  return shown - (instant - (((instant % 1000) + 1000) % 1000));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
