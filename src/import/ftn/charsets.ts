/**
 * The code pages FidoNet messages are written in (FTS-5003 identifiers), and their decoders.
 *
 * Every set here keeps bytes 0x00–0x7F as the ASCII characters of the same number (control
 * bytes included: ^A, CR, LF, ESC and NUL survive decoding), so the structure of a message
 * (kludge lines, line ends) reads the same whichever set decodes it. Each single-byte set is a
 * table of 256 characters: CP437's is read from the Impulse 7.1 import's decoder; CP850, CP1252
 * and Latin-1 are written below (WHATWG has no CP850, its `latin1` label means windows-1252, and
 * Node's `TextDecoder("windows-1252")` gives ISO-8859-1); the others take their upper half from
 * the built-in `TextDecoder` (WHATWG's sets). UTF-8 is the built-in `TextDecoder`'s.
 *
 * @module
 */

import { decodeCp437 } from "../impulse71/cp437.ts";

/** Turns bytes into text; nothing is dropped, a byte with no character gives U+FFFD (UTF-8). */
export type Decoder = (bytes: Uint8Array) => string;

/** UTF-16 in this machine's byte order, the order of a `Uint16Array`'s bytes. */
const UTF16 = new TextDecoder(
  new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? "utf-16le" : "utf-16be",
  { ignoreBOM: true },
);

/**
 * A decoder from the characters for 0x80–0xFF, in byte order (0x00–0x7F are ASCII): each byte
 * becomes its UTF-16 unit, and the built-in UTF-16 decoder makes the string (several times
 * faster than adding up characters).
 */
function table(upper: string): Decoder {
  const units = Uint16Array.from(
    { length: 256 },
    (_, byte) => byte < 0x80 ? byte : upper.charCodeAt(byte - 0x80),
  );
  return (bytes) => {
    const length = bytes.length;
    if (scratch.length < length) {
      scratch = new Uint16Array(Math.max(length, 2 * scratch.length));
    }
    const text = scratch;
    for (let at = 0; at < length; at++) text[at] = units[bytes[at]!]!;
    const used = text.subarray(0, length);
    // A call of the built-in decoder costs more than a short string's characters: names,
    // subjects and kludge lines are made from their units directly.
    return length <= SHORT
      ? String.fromCharCode.apply(null, used as unknown as number[])
      : UTF16.decode(used);
  };
}

/** The longest text made from its units directly (past it, the built-in decoder is faster). */
const SHORT = 256;

/** The units of the text being decoded: one buffer for every table, grown as needed. */
let scratch = new Uint16Array(4096);

/** The characters of a code page's bytes 0x80–0xFF, from a decoder that has them. */
function upperHalf(decode: Decoder): string {
  return decode(Uint8Array.from({ length: 0x80 }, (_, i) => 0x80 + i));
}

/** ISO-8859-1's 0xA0–0xFF: the code points of the same number. */
const LATIN1_UPPER = String.fromCharCode(
  ...Array.from({ length: 0x60 }, (_, i) => 0xa0 + i),
);

/** ISO-8859-1's 0x80–0x9F: the C1 controls. */
const C1 = String.fromCharCode(
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
);

/** Windows-1252's 0x80–0x9F; its five unassigned bytes stay C1 controls, as WHATWG has them. */
const CP1252_C1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f" +
  "\u0090‘’“”•–—˜™š›œ\u009džŸ";

/** IBM code page 850 (DOS Western Europe), 0x80–0xFF. */
const CP850_HIGH = "ÇüéâäàåçêëèïîìÄÅ" +
  "ÉæÆôöòûùÿÖÜø£Ø×ƒ" +
  "áíóúñÑªº¿®¬½¼¡«»" +
  "░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐" +
  "└┴┬├─┼ãÃ╚╔╩╦╠═╬¤" +
  "ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀" +
  "ÓßÔÒõÕµþÞÚÛÙýÝ¯´" +
  "\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0";

/** IBM code page 852 (DOS Central Europe, FTS-5003 level 2), 0x80–0xFF. */
const CP852_HIGH = "ÇüéâäůćçłëŐőîŹÄĆ" +
  "ÉĹĺôöĽľŚśÖÜŤťŁ×č" +
  "áíóúĄąŽžĘę¬źČş«»" +
  "░▒▓│┤ÁÂĚŞ╣║╗╝Żż┐" +
  "└┴┬├─┼Ăă╚╔╩╦╠═╬¤" +
  "đĐĎËďŇÍÎě┘┌█▄ŢŮ▀" +
  "ÓßÔŃńňŠšŔÚŕŰýÝţ´" +
  "\u00ad˝˛ˇ˘§÷¸°¨˙űŘř■\u00a0";

/**
 * The characters for 0x80–0xFF of a single-byte set the built-in `TextDecoder` has, read once.
 * Only this half is taken from it: Node's `TextDecoder("ibm866")` (ICU) swaps 0x1A, 0x1C and
 * 0x7F, where WHATWG and Deno keep them as they are.
 */
function highHalf(label: string): string {
  const high = upperHalf((bytes) => new TextDecoder(label).decode(bytes));
  if (high.length !== 0x80) {
    throw new RangeError(
      `Cannot use the built-in decoder as it gives more than one character a byte: "${label}"`,
    );
  }
  return high;
}

/**
 * UTF-8 by the built-in `TextDecoder`: not fatal (bad bytes give U+FFFD), and a byte-order mark
 * is kept as U+FEFF, so no byte vanishes and a text's lines stay where they are.
 */
function utf8(): Decoder {
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  return (bytes) => decoder.decode(bytes);
}

/**
 * Each canonical name, how to make its decoder (made at first use, so that a runtime whose
 * `TextDecoder` lacks a set fails only for that set), and its other labels (compared by
 * {@linkcode labelKey}).
 */
const SETS: Record<string, { make: () => Decoder; labels: string[] }> = {
  "CP437": {
    make: () => table(upperHalf(decodeCp437)),
    labels: ["IBM437", "437", "PC8"],
  },
  "CP850": { make: () => table(CP850_HIGH), labels: ["IBM850", "850"] },
  "CP852": { make: () => table(CP852_HIGH), labels: ["IBM852", "852"] },
  "CP866": {
    make: () => table(highHalf("ibm866")),
    labels: ["IBM866", "866", "ALT", "+7_FIDO"],
  },
  "CP1250": {
    make: () => table(highHalf("windows-1250")),
    labels: ["WINDOWS-1250", "WIN1250", "1250"],
  },
  "CP1251": {
    make: () => table(highHalf("windows-1251")),
    labels: ["WINDOWS-1251", "WIN1251", "1251"],
  },
  "CP1252": {
    make: () => table(CP1252_C1 + LATIN1_UPPER),
    labels: ["WINDOWS-1252", "WIN1252", "1252"],
  },
  "KOI8-R": { make: () => table(highHalf("koi8-r")), labels: ["KOI8"] },
  "KOI8-U": {
    // WHATWG's koi8-u is KOI8-RU: ў and Ў at 0xAE and 0xBE, where KOI8-U (RFC 2319) has ╝ ╬.
    make: () => table(highHalf("koi8-u").replace("ў", "╝").replace("Ў", "╬")),
    labels: [],
  },
  "LATIN-1": {
    make: () => table(C1 + LATIN1_UPPER),
    labels: ["ISO-8859-1", "ISO-LATIN-1", "L1"],
  },
  "LATIN-2": {
    make: () => table(highHalf("iso-8859-2")),
    labels: ["ISO-8859-2", "L2"],
  },
  "LATIN-9": {
    make: () => table(highHalf("iso-8859-15")),
    labels: ["ISO-8859-15", "L9"],
  },
  "ISO-8859-5": { make: () => table(highHalf("iso-8859-5")), labels: [] },
  "MAC": {
    make: () => table(highHalf("macintosh")),
    labels: ["MACINTOSH", "MACROMAN"],
  },
  "UTF-8": { make: utf8, labels: [] },
};

/** The decoders made so far. */
const DECODERS = new Map<string, Decoder>();

/** A label reduced for comparison: upper case, without spaces, `-`, `_` and `.`. */
function labelKey(label: string): string {
  return label.toUpperCase().replace(/[\s_.-]/g, "");
}

/** Every label's key → its canonical name. */
const BY_KEY: ReadonlyMap<string, string> = new Map(
  Object.entries(SETS).flatMap(([name, { labels }]) =>
    [name, ...labels].map((label) => [labelKey(label), name] as const)
  ),
);

/**
 * The canonical names of the code pages {@linkcode canonicalCharset} knows, FTS-5003's
 * identifiers where it has one (`CP866`, `KOI8-R`, `LATIN-1`, `UTF-8`, …).
 */
export const SUPPORTED_CHARSETS: readonly string[] = Object.freeze(
  Object.keys(SETS),
);

/**
 * The canonical name of a code page label, for a CHRS kludge or the `--charset` option.
 * Case, spaces, `-`, `_` and `.` do not matter (`cp866`, `CP-866`, `IBM866` and `866` are all
 * `CP866`); the Russian networks' `ALT` and `+7_FIDO` are CP866, `ISO-8859-1` is `LATIN-1`.
 * `IBMPC` and `ASCII` are not sets of their own and give null, like any label not known.
 *
 * @param label The label as written.
 * @returns The canonical name (one of {@linkcode SUPPORTED_CHARSETS}), or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalCharset } from "./charsets.ts";
 *
 * assert.equal(canonicalCharset("ibm-866"), "CP866");
 * assert.equal(canonicalCharset("ISO-8859-1"), "LATIN-1");
 * assert.equal(canonicalCharset("EBCDIC"), null);
 * ```
 */
export function canonicalCharset(label: string): string | null {
  const key = labelKey(label.trim());
  return key === "" ? null : BY_KEY.get(key) ?? null;
}

/**
 * The decoder of a code page.
 *
 * @param charset A canonical name (one of {@linkcode SUPPORTED_CHARSETS}).
 * @returns The function that decodes bytes in that code page.
 * @throws {RangeError} When the name is not a canonical one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decoderFor } from "./charsets.ts";
 *
 * assert.equal(decoderFor("CP866")(new Uint8Array([0x8d, 0xa0])), "На");
 * ```
 */
export function decoderFor(charset: string): Decoder {
  const made = DECODERS.get(charset);
  if (made !== undefined) return made;
  if (!Object.hasOwn(SETS, charset)) {
    throw new RangeError(
      `Cannot decode text as the code page is not a canonical name (see canonicalCharset): "${charset}"`,
    );
  }
  const decoder = SETS[charset]!.make();
  DECODERS.set(charset, decoder);
  return decoder;
}
