/**
 * Search queries as users type them: words are ANDed, `"quoted phrases"` match as phrases,
 * and no text is ever a syntax error. Drivers turn the terms into their own query language.
 *
 * @module
 */

/**
 * The most words a query may hold, counting the words inside phrases: every one of them counts,
 * and a longer query is a `validation` error (no real query comes near: a 1000-character query
 * holds at most 500 words, and each costs the database a posting-list lookup).
 */
export const MAX_WORDS = 32;

/** A word as both databases' tokenizers see one: a run of letters, marks and digits. */
const WORD = /[\p{L}\p{M}\p{N}\p{Co}]+/gu;

/**
 * How many words a query holds, phrases included: what {@linkcode MAX_WORDS} bounds.
 *
 * @param query The user's text.
 * @returns The count.
 *
 * @example
 * ```ts
 * import { countWords } from "./search.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(countWords('doom "shareware v1.9" wad'), 5); // v1.9 is two words
 * ```
 */
export function countWords(query: string): number {
  let n = 0;
  for (const _ of query.matchAll(WORD)) n++;
  return n;
}

/**
 * Splits a query into terms: each `"quoted phrase"` (an unclosed quote runs to the end) and
 * each remaining whitespace-separated word, each once. Every term counts: the query's schema bounds
 * them.
 *
 * @param query The user's text.
 * @returns The terms, in order; each is non-blank and none repeats another in any case.
 *
 * @example
 * ```ts
 * import { searchTerms } from "./search.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(searchTerms('doom "shareware v1.9" wad'), ["doom", "shareware v1.9", "wad"]);
 * ```
 */
export function searchTerms(query: string): string[] {
  // A term repeated (in any case) adds nothing to an AND but work: it is kept once.
  const terms = new Map<string, string>();
  for (const match of query.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const term = (match[1] ?? match[2] ?? "").trim();
    if (term !== "" && !terms.has(term.toLowerCase())) {
      terms.set(term.toLowerCase(), term);
    }
  }
  return [...terms.values()];
}
