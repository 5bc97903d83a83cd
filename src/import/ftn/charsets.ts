/**
 * The code pages FidoNet messages are written in (FTS-5003 identifiers), and their decoders.
 *
 * Every set here keeps bytes 0x00–0x7F as the ASCII characters of the same number (control
 * bytes included: ^A, CR, LF, ESC and NUL survive decoding), so the structure of a message
 * (kludge lines, line ends) reads the same whichever set decodes it. Sets the WHATWG Encoding
 * standard has are decoded by the built-in `TextDecoder`; CP437 by the table the Impulse 7.1
 * import already has; CP850, CP1252 and Latin-1 by the tables below (WHATWG has no CP850, and
 * its `latin1` label means windows-1252, while Node's `TextDecoder("windows-1252")` gives
 * ISO-8859-1: a table is the one answer that is the same everywhere).
 *
 * @module
 */

import { decodeCp437 } from "../impulse71/cp437.ts";

/** Turns bytes into text; nothing is dropped, a byte with no character gives U+FFFD (UTF-8). */
export type Decoder = (bytes: Uint8Array) => string;

/** A decoder from the characters for 0x80–0xFF, in byte order (0x00–0x7F are ASCII). */
function table(highHalf: string): Decoder {
  const chars = Array.from(
    { length: 256 },
    (_, byte) =>
      byte < 0x80 ? String.fromCharCode(byte) : highHalf[byte - 0x80]!,
  );
  return (bytes) => {
    let text = "";
    for (const byte of bytes) text += chars[byte];
    return text;
  };
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

/**
 * A decoder from the built-in `TextDecoder`: not fatal (bad UTF-8 gives U+FFFD), and a UTF-8
 * byte-order mark is kept as U+FEFF, so no byte vanishes and a text's lines stay where they are.
 */
function builtIn(label: string): Decoder {
  const decoder = new TextDecoder(label, { ignoreBOM: true });
  return (bytes) => decoder.decode(bytes);
}

const whatwgKoi8u = builtIn("koi8-u");

/**
 * KOI8-U (RFC 2319). WHATWG's `koi8-u` is KOI8-RU, which puts ў and Ў at 0xAE and 0xBE, where
 * KOI8-U has the box-drawing ╝ and ╬; nothing else gives ў or Ў, so they are put back.
 */
function koi8u(bytes: Uint8Array): string {
  return whatwgKoi8u(bytes).replace(/[ўЎ]/g, (c) => c === "ў" ? "╝" : "╬");
}

/** Each canonical name, its decoder, and its other labels (compared by {@linkcode labelKey}). */
const SETS: Record<string, { decode: Decoder; labels: string[] }> = {
  "CP437": { decode: decodeCp437, labels: ["IBM437", "437", "PC8"] },
  "CP850": { decode: table(CP850_HIGH), labels: ["IBM850", "850"] },
  "CP866": {
    decode: builtIn("ibm866"),
    labels: ["IBM866", "866", "ALT", "+7_FIDO"],
  },
  "CP1250": {
    decode: builtIn("windows-1250"),
    labels: ["WINDOWS-1250", "WIN1250", "1250"],
  },
  "CP1251": {
    decode: builtIn("windows-1251"),
    labels: ["WINDOWS-1251", "WIN1251", "1251"],
  },
  "CP1252": {
    decode: table(CP1252_C1 + LATIN1_UPPER),
    labels: ["WINDOWS-1252", "WIN1252", "1252"],
  },
  "KOI8-R": { decode: builtIn("koi8-r"), labels: ["KOI8"] },
  "KOI8-U": { decode: koi8u, labels: [] },
  "LATIN-1": {
    decode: table(C1 + LATIN1_UPPER),
    labels: ["ISO-8859-1", "ISO-LATIN-1", "L1"],
  },
  "LATIN-2": { decode: builtIn("iso-8859-2"), labels: ["ISO-8859-2", "L2"] },
  "LATIN-9": { decode: builtIn("iso-8859-15"), labels: ["ISO-8859-15", "L9"] },
  "ISO-8859-5": { decode: builtIn("iso-8859-5"), labels: [] },
  "MAC": { decode: builtIn("macintosh"), labels: ["MACINTOSH", "MACROMAN"] },
  "UTF-8": { decode: builtIn("utf-8"), labels: [] },
};

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
  const set = Object.hasOwn(SETS, charset) ? SETS[charset] : undefined;
  if (set === undefined) {
    throw new RangeError(
      `Cannot decode text as the code page is not a canonical name (see canonicalCharset): "${charset}"`,
    );
  }
  return set.decode;
}
