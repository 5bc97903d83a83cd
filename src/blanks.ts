/**
 * Blanks: the code points that show nothing, or only empty space, where a name is shown. A name
 * must show something besides them, may not start or end with one, and an area tag, which holds
 * no spaces, holds none of them.
 *
 * A blank is a code point of one of these classes:
 * - `White_Space`: the space, the no-break, en, em, thin, ideographic and other spaces, tabs, the
 *   line and paragraph separators;
 * - `Default_Ignorable_Code_Point`: what renderers show as nothing: zero-width spaces and joiners,
 *   the soft hyphen, the invisible operators U+2061–U+2064, variation selectors, the tag
 *   characters of U+E0000, U+180E and U+034F, the musical format controls U+1D173–U+1D17A, and
 *   the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0, letters that have no shape;
 * - {@linkcode BLANK_GRAPHICS}: letters and symbols that fonts draw as empty space although
 *   Unicode gives them neither property.
 *
 * The last list was found by looking, not by a property: every letter, number, punctuation mark
 * and symbol drawn with no ink by any of 198 fonts (Noto, Noto CJK, DejaVu, Unifont, Symbola)
 * was checked against the other fonts that have it, and every code point whose Unicode name says
 * it is blank, empty, a filler, a space, a gap or a placeholder was looked at. `blanks_test.ts`
 * holds that survey against every code point the platform's Unicode assigns, by name, so a newer
 * Unicode that adds another blank letter fails the suite until it is looked at.
 *
 * @module
 */

/**
 * Letters and symbols drawn as empty space: U+2800 BRAILLE PATTERN BLANK, U+FFFC OBJECT
 * REPLACEMENT CHARACTER (blank in DejaVu, a placeholder for an object elsewhere), U+13441 and
 * U+13442 EGYPTIAN HIEROGLYPH FULL BLANK and HALF BLANK, U+1D159 MUSICAL SYMBOL NULL NOTEHEAD.
 */
export const BLANK_GRAPHICS = "\u2800\uFFFC\u{13441}\u{13442}\u{1D159}";

const CLASS = String.raw`\p{White_Space}\p{Default_Ignorable_Code_Point}` +
  BLANK_GRAPHICS;

/** A blank (see the module doc). */
export const BLANK: RegExp = new RegExp(`[${CLASS}]`, "u");

/** A blank at the start or the end. */
export const EDGE_BLANK: RegExp = new RegExp(
  `^[${CLASS}]|[${CLASS}]$`,
  "u",
);

/** A code point that shows something: a letter, digit, punctuation mark or symbol, not blank. */
export const VISIBLE: RegExp = new RegExp(
  String.raw`[[\p{L}\p{N}\p{P}\p{S}]--[${CLASS}]]`,
  "v",
);
