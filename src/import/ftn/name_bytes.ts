/**
 * A user's name as the bytes a FidoNet program would have written it: what a JAM last-read
 * record's name CRC is computed over.
 *
 * @module
 */
import { decoderFor } from "./charsets.ts";

/**
 * An encoder of names into the bytes they may have had in a base: in the base's code page (when
 * every character of the name is in it) and in UTF-8, without repeats.
 *
 * @param charset A canonical charset name (see `SUPPORTED_CHARSETS`).
 * @returns The encoder: a name's candidate byte strings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nameEncoder } from "./name_bytes.ts";
 *
 * const encode = nameEncoder("CP866");
 * assert.deepEqual(encode("Ёж").map((b) => [...b]), [[0xf0, 0xa6], [0xd0, 0x81, 0xd0, 0xb6]]);
 * assert.deepEqual(encode("Sysop").map((b) => [...b]), [[0x53, 0x79, 0x73, 0x6f, 0x70]]);
 * ```
 */
export function nameEncoder(charset: string): (name: string) => Uint8Array[] {
  const table = singleByteTable(charset);
  const utf8 = new TextEncoder();
  return (name) => {
    const out: Uint8Array[] = [];
    if (table !== null) {
      const bytes: number[] = [];
      for (const c of name) {
        const b = table.get(c);
        if (b === undefined) break;
        bytes.push(b);
      }
      if (bytes.length === [...name].length) out.push(Uint8Array.from(bytes));
    }
    const u = utf8.encode(name);
    if (
      !out.some((b) => b.length === u.length && b.every((x, i) => x === u[i]))
    ) {
      out.push(u);
    }
    return out;
  };
}

/** Character → byte of a single-byte code page (the first byte giving it), or null for UTF-8. */
function singleByteTable(charset: string): Map<string, number> | null {
  if (charset === "UTF-8") return null;
  const decode = decoderFor(charset);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const c = decode(Uint8Array.of(b));
    if ([...c].length === 1 && !table.has(c)) table.set(c, b);
  }
  return table;
}
