/**
 * Search queries as users type them: words are ANDed, `"quoted phrases"` match as phrases,
 * and no text is ever a syntax error. Drivers turn the terms into their own query language.
 *
 * @module
 */

/** The most terms a query keeps; later ones are ignored. */
export const MAX_TERMS = 16;

/**
 * Splits a query into terms: each `"quoted phrase"` (an unclosed quote runs to the end) and
 * each remaining whitespace-separated word.
 *
 * @param query The user's text.
 * @returns The terms, at most {@linkcode MAX_TERMS}; each is non-blank.
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
  const terms: string[] = [];
  for (const match of query.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const term = (match[1] ?? match[2] ?? "").trim();
    if (term !== "") terms.push(term);
  }
  return terms.slice(0, MAX_TERMS);
}
