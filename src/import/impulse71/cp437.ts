/**
 * IBM code page 437, the character set of every text field Impulse 7.1 wrote.
 *
 * Bytes 0x00–0x1F and 0x7F decode to the control characters of the same number (not the
 * smiley and arrow glyphs a DOS screen drew for them), so Impulse colour codes (0x03 then a
 * digit), ANSI escapes (0x1B) and NUL separators survive decoding unchanged. Bytes
 * 0x20–0x7E are ASCII, and 0x80–0xFF use the table below.
 *
 * @module
 */

/** Characters for 0x80–0xFF, in byte order. */
const HIGH_HALF = "ÇüéâäàåçêëèïîìÄÅ" +
  "ÉæÆôöòûùÿÖÜ¢£¥₧ƒ" +
  "áíóúñÑªº¿⌐¬½¼¡«»" +
  "░▒▓│┤╡╢╖╕╣║╗╝╜╛┐" +
  "└┴┬├─┼╞╟╚╔╩╦╠═╬╧" +
  "╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀" +
  "αßΓπΣσµτΦΘΩδ∞φε∩" +
  "≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

/** The full table: one character per byte value. */
const TABLE: readonly string[] = Array.from(
  { length: 256 },
  (_, byte) =>
    byte < 0x80 ? String.fromCharCode(byte) : HIGH_HALF[byte - 0x80]!,
);

/** The byte for each character of the table, for {@linkcode encodeCp437}. */
const REVERSE: ReadonlyMap<string, number> = new Map(
  TABLE.map((char, byte) => [char, byte]),
);

/**
 * Decodes CP437 bytes to a string, one character per byte; nothing is dropped.
 *
 * @param bytes The bytes to decode.
 * @returns The text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeCp437 } from "./cp437.ts";
 *
 * assert.equal(decodeCp437(new Uint8Array([0x03, 0x31, 0x99, 0xb3])), "\x031Ö│");
 * ```
 */
export function decodeCp437(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += TABLE[byte];
  return text;
}

/**
 * Encodes a string to CP437, the inverse of {@linkcode decodeCp437}.
 *
 * @param text Text made only of characters CP437 has.
 * @returns One byte per character.
 * @throws {RangeError} When a character has no CP437 byte.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeCp437 } from "./cp437.ts";
 *
 * assert.deepEqual(encodeCp437("Ö│"), new Uint8Array([0x99, 0xb3]));
 * ```
 */
export function encodeCp437(text: string): Uint8Array {
  const chars = Array.from(text);
  const bytes = new Uint8Array(chars.length);
  chars.forEach((char, index) => {
    const byte = REVERSE.get(char);
    if (byte === undefined) {
      throw new RangeError(
        `Cannot encode the text as CP437 has no such character: "${char}"`,
      );
    }
    bytes[index] = byte;
  });
  return bytes;
}
