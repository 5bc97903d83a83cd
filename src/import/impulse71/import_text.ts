/**
 * Fitting decoded Impulse 7.1 text and dates to what the store accepts, saying what changed.
 *
 * @module
 */

import { plural } from "../../describe.ts";
import type { Impulse71Party } from "./brd.ts";

/** What Impulse showed for an anonymous author, by `anon` value (5 is a chosen name). */
const ANONYMOUS_NAMES: Record<number, string> = {
  1: "Anonymous",
  2: "Anonymous",
  3: "Abby",
  4: "Problemed Person",
};

/** The most characters a name on a message may have. */
const NAME_LENGTH = 36;

/** A value fitted to the store, and what was changed to fit it (empty when nothing). */
export interface Fitted<T> {
  /** The value to store. */
  value: T;
  /** What changed, for the report; empty when the value is as decoded. */
  changes: string[];
}

/**
 * Text for a message body, subject, description or note: kept exactly, colour, MCI and ANSI
 * codes included, except NUL (which no database stores in text), which becomes a space.
 *
 * @param text The decoded text.
 * @param field What the text is, for the report.
 * @returns The text to store.
 */
export function storable(text: string, field: string): Fitted<string> {
  if (!text.includes("\0")) return { value: text, changes: [] };
  return {
    value: text.replaceAll("\0", " "),
    changes: [`NUL characters in the ${field} became spaces`],
  };
}

/** What DOS showed for the control bytes 0x00–0x1F (code page 437's glyphs); NUL was blank. */
const GLYPHS = " ☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼";

/**
 * A name or profile field shown on one line (area names, real names, locations, names on
 * messages), where the store allows no control characters: Impulse colour codes (0x03 and
 * the colour digit) are removed, other control bytes become the code page 437 glyphs DOS
 * showed for them (0x13 is `‼`, 0x7F is `⌂`), and spaces are trimmed. Pipe codes (`|07`)
 * are plain text and stay.
 *
 * @param text The decoded text.
 * @param field What the text is, for the report.
 * @param max The most characters the store takes; longer text is cut.
 * @returns The text to store.
 */
export function plainName(
  text: string,
  field: string,
  max = 80,
): Fitted<string> {
  const changes: string[] = [];
  // deno-lint-ignore no-control-regex -- 0x03 and a digit is an Impulse colour code
  let value = text.replace(/\x03[0-9]/g, "");
  if (value !== text) changes.push(`colour codes removed from the ${field}`);
  const shown = value.replace(
    /\p{Cc}/gu,
    (c) => [...GLYPHS][c.charCodeAt(0)] ?? "⌂",
  );
  if (shown !== value) {
    changes.push(
      `control characters in the ${field} became the code page 437 glyphs DOS showed`,
    );
    value = shown;
  }
  if (value.trim() !== value) {
    value = value.trim();
    changes.push(`spaces trimmed from the ${field}`);
  }
  if ([...value].length > max) {
    value = [...value].slice(0, max).join("").trimEnd();
    changes.push(`the ${field} was cut to ${plural(max, "character")}`);
  }
  return { value, changes };
}

/**
 * The name a message shows for its author or addressee: for an anonymous author what
 * Impulse showed callers (`Anonymous`, `Abby`, `Problemed Person`, or the name chosen),
 * otherwise the displayed name without the ` #<user number>` Impulse appended (that number
 * named a USER.LST slot, which means nothing on the new board and may since have been
 * reused), falling back to the handle and the real name.
 *
 * @param party The decoded party.
 * @param role `from` or `to`; an addressee without a name is `All`.
 * @returns The name, 1–36 characters.
 */
export function partyName(
  party: Impulse71Party,
  role: "from" | "to",
): Fitted<string> {
  const field = role === "from" ? "author's name" : "addressee's name";
  const anonymous = role === "from"
    ? ANONYMOUS_NAMES[party.anonymous]
    : undefined;
  if (anonymous !== undefined) return { value: anonymous, changes: [] };
  for (
    const raw of [
      party.shownAs.replace(/ #\d+$/, ""),
      party.alias,
      party.realName,
    ]
  ) {
    const fitted = plainName(raw, field, NAME_LENGTH);
    if (fitted.value !== "") return fitted;
  }
  return role === "to" ? { value: "All", changes: [] } : {
    value: "Unknown",
    changes: ["the message names no author: shown as Unknown"],
  };
}

/** Whether the author hid behind anonymity (the message is not linked to a user). */
export function isAnonymous(party: Impulse71Party): boolean {
  return party.anonymous !== 0;
}

/**
 * Fills the dates a sequence lacks (an unset or unreadable stamp) with the nearest readable
 * one before it, else after it, else `fallback`, so the order is kept.
 *
 * @param dates Each item's date, or `null`.
 * @param fallback The date when none is readable.
 * @returns The dates, and the indexes that were filled.
 */
export function fillDates(
  dates: readonly (Date | null)[],
  fallback: Date,
): { dates: Date[]; filled: Set<number> } {
  const filled = new Set<number>();
  const out: Date[] = [];
  const nextKnown = (from: number) =>
    dates.slice(from).find((date): date is Date => date !== null);
  for (const [index, date] of dates.entries()) {
    if (date === null) filled.add(index);
    out.push(date ?? out[index - 1] ?? nextKnown(index) ?? fallback);
  }
  return { dates: out, filled };
}
