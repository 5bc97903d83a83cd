/**
 * The board's time zone (`OpenOptions.timeZone`) as the operations see it (src/ops/_board.ts), read by the daily counters, whose day is the
 * date in that zone.
 *
 * @module
 */
import type { Executor } from "../driver.ts";
import { boardOf, nowOf } from "./_board.ts";

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The time zone the operations on `x` count days in: UTC unless set (`setBoard`).
 *
 * @param x An executor (a viewer's counts in its inner executor's zone).
 * @returns The zone's name.
 */
export function zoneOf(x: Executor): string {
  return boardOf(x).zone;
}

/**
 * The date of `time` in `zone`, as `YYYY-MM-DD`.
 *
 * @param zone A valid IANA time zone name.
 * @param time A time, in milliseconds since the epoch.
 * @returns The date.
 */
export function dayIn(zone: string, time: number): string {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formats.set(zone, format);
  }
  const parts: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(time)) parts[type] = value;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * The day a daily counter counts now on `x`.
 *
 * @param x The executor the operation runs on.
 * @param time The time, in milliseconds since the epoch; now by default.
 * @returns `YYYY-MM-DD` in the board's time zone.
 */
export function today(x: Executor, time: number = nowOf(x)): string {
  return dayIn(zoneOf(x), time);
}

/**
 * The canonical name of an IANA time zone, or `undefined` when `Intl` knows no such zone.
 *
 * @param zone The name as given.
 * @returns The canonical name.
 */
export function canonicalZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone })
      .resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
