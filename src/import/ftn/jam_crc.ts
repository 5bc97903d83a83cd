/**
 * The CRC-32 JAM keeps of names and MSGIDs (JAM-001; reference section 2.7): the common
 * reflected CRC-32 (polynomial 0xEDB88320, start 0xFFFFFFFF) without its final inversion.
 *
 * @module
 */

import { crc32 } from "node:zlib";

/**
 * The JAM CRC-32 of some bytes, as JAM stores it (`.jdx` name CRCs, `.jlr` UserCRC, MSGIDcrc):
 * the bitwise NOT of the zlib CRC-32.
 *
 * @param bytes The bytes to hash, as they are (see {@linkcode jamNameCrc32} for names).
 * @returns The CRC as an unsigned 32-bit number; `0xFFFFFFFF` for no bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jamCrc32 } from "./jam_crc.ts";
 * assert.equal(jamCrc32(new TextEncoder().encode("sysop")), 0x754FADB6);
 * ```
 */
export function jamCrc32(bytes: Uint8Array): number {
  return ~crc32(bytes) >>> 0;
}

/**
 * The JAM CRC-32 of a name, as `.jdx` and `.jlr` store it: A–Z lower-cased first, every other
 * byte (those of 0x80 and above included) left as it is.
 *
 * @param name The name's bytes in the base's code page.
 * @returns The CRC as an unsigned 32-bit number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jamNameCrc32 } from "./jam_crc.ts";
 * assert.equal(jamNameCrc32(new TextEncoder().encode("All")), 0xC4E78E22);
 * ```
 */
export function jamNameCrc32(name: Uint8Array): number {
  return jamCrc32(
    name.map((byte) => byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte),
  );
}
