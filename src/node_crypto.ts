/**
 * `node:crypto`, imported by the first operation that needs it (hashing a session token, a
 * cursor, a password), not with the package: its import costs about a fifth of the package's
 * own, and a board that only reads never loads it.
 *
 * @module
 */
import type * as Crypto from "node:crypto";
import type { Awaitable } from "./driver.ts";

let loaded: typeof Crypto | undefined;

/**
 * Imports `node:crypto`, once; each operation that calls {@linkcode sha256} awaits this first.
 *
 * @returns The module: at once once imported (awaiting it then costs one microtask).
 */
export function nodeCrypto(): Awaitable<typeof Crypto> {
  return loaded ?? import("node:crypto").then((module) => loaded = module);
}

/**
 * The SHA-256 of a text.
 *
 * @param text The text, hashed as UTF-8.
 * @param encoding How the digest is written.
 * @returns The digest.
 * @throws {TypeError} Before {@linkcode nodeCrypto} has finished (a bug of the caller's).
 */
export function sha256(text: string, encoding: "hex" | "base64url"): string {
  if (!loaded) throw new TypeError("sha256() before nodeCrypto() finished");
  return loaded.createHash("sha256").update(text).digest(encoding);
}
