/**
 * Name keys: what usernames and area tags are unique and found by.
 *
 * Two names are the same name when Unicode calls them a compatibility caseless match (The
 * Unicode Standard, §3.13, D146): both are compared after a full case fold (CaseFolding.txt,
 * statuses C and F) and NFKC, twice over, which is Unicode's `NFKC_Casefold` for names without
 * default-ignorable code points (validation refuses those). So `ＳｙｓＯｐ`, `SYSOP` and `sysop`
 * are one name, and so are `STRASSE` and `straße`, `ΟΔΟΣ`, `οδοσ` and `οδος`, `Ǆ`, `ǅ` and `ǆ`,
 * `ﬀ` and `ff`.
 *
 * `String.prototype.toLowerCase()` is not a case fold: it maps `ß` to itself (its upper case is
 * `SS`, so `STRASSE` and `straße` stay apart), maps a capital sigma to `ς` or `σ` depending on
 * where it stands in the word (so `ΟΔΟΣ` and `οδοσ` stay apart), and leaves `ẞ` as `ß`. The
 * fold maps each code point on its own (`ß` → `ss`, `ς` → `σ`, `ẞ` → `ss`, `ﬀ` → `ff`), from
 * the Unicode data of the pinned `unicode-case-folding` package; `keys_test.ts` holds that data
 * against the platform's own (`\p{Changes_When_Casefolded}`, `\p{Changes_When_NFKC_Casefolded}`)
 * for every code point, so a Deno whose Unicode is newer than the package fails the suite
 * instead of folding new letters by half.
 *
 * This is not PRECIS's UsernameCaseMapped profile (RFC 8265) to the letter: that profile maps
 * case with `toLowerCase()` (keeping `straße` and `STRASSE` apart) and refuses spaces and
 * symbols, which BBS names have always had. It follows its other rules: width and compatibility
 * forms fold (NFKC), and names holding default-ignorable, control or unassigned code points, or
 * showing nothing, are refused (see `validate.ts`), so a key never depends on a Unicode version.
 *
 * @module
 */
import { caseFold } from "unicode-case-folding";

const ASCII = /^\p{ASCII}*$/u;

/**
 * The key a name is unique and found by: the full case fold and NFKC of D146 (see the module
 * doc). ASCII names, most of them, skip the normalisations: NFKC leaves ASCII as it is and the
 * fold of an ASCII letter is its lower case.
 *
 * @param name A valid name.
 * @returns Its key.
 *
 * @example
 * ```ts
 * import { foldKey } from "./keys.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(foldKey("STRASSE"), foldKey("straße"));
 * assert.equal(foldKey("ΟΔΟΣ"), foldKey("οδος"));
 * assert.equal(foldKey("ＳｙｓＯｐ"), "sysop");
 * ```
 */
export function foldKey(name: string): string {
  if (ASCII.test(name)) return name.toLowerCase();
  const known = recent.get(name);
  if (known !== undefined) return known;
  // D146: NFKD(fold(NFKD(fold(NFD(name))))), stored composed (NFKC of the same).
  const once = caseFold(name.normalize("NFD")).normalize("NFKD");
  const key = caseFold(once).normalize("NFKC");
  if (name.length <= RECENT_LENGTH) {
    if (recent.size >= RECENT_SIZE) recent.clear();
    recent.set(name, key);
  }
  return key;
}

/**
 * The keys of the last non-ASCII names folded: the same names come back (a board's users post
 * and log in again, an import's authors repeat), and a lookup here costs a twentieth of a fold.
 * Emptied when full; only short names are kept.
 */
const recent = new Map<string, string>();
const RECENT_SIZE = 1024;
const RECENT_LENGTH = 100;

/**
 * The most characters a code point of a name can become in its key's full decomposition:
 * U+FDFA ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM becomes 18 (`keys_test.ts` holds this
 * against every code point).
 */
export const KEY_GROWTH = 18;

/**
 * The key a file name is unique by in its area: ASCII letters lower-cased, everything else as
 * is (the same folding SQL's `lower()` does in SQLite, so migrations can compute it).
 *
 * @param filename The name.
 * @returns Its key.
 *
 * @example
 * ```ts
 * import { filenameKey } from "./keys.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(filenameKey("DOOM.ZIP"), "doom.zip");
 * assert.equal(filenameKey("ÉTÉ.TXT"), "ÉtÉ.txt"); // only ASCII letters fold
 * ```
 */
export function filenameKey(filename: string): string {
  return filename.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
