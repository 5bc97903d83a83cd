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

/**
 * The most bytes a word of a query may take in UTF-8, as written and in lower case:
 * PostgreSQL's `tsvector` holds no lexeme longer (it drops a longer word from the text it
 * indexes and from the query alike, so such a word would count on SQLite but not there). A
 * query with a longer word is a `validation` error on every driver.
 */
export const MAX_WORD_BYTES = 2047;

/** A word as both databases' tokenizers see one: a run of letters, marks and digits. */
const WORD = /[\p{L}\p{M}\p{N}\p{Co}]+/gu;

const utf8 = new TextEncoder();

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
 * The bytes in UTF-8 of a query's longest word, phrases included, as written or in lower case
 * (whichever is longer, as the databases index words lower-cased): what
 * {@linkcode MAX_WORD_BYTES} bounds.
 *
 * @param query The user's text.
 * @returns The byte length of the longest word; 0 when there is none.
 *
 * @example
 * ```ts
 * import { longestWordBytes } from "./search.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(longestWordBytes('doom "あああ"'), 9);
 * ```
 */
export function longestWordBytes(query: string): number {
  let longest = 0;
  for (const [word] of query.matchAll(WORD)) {
    longest = Math.max(
      longest,
      utf8.encode(word).length,
      utf8.encode(word.toLowerCase()).length,
    );
  }
  return longest;
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
