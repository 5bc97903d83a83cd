/**
 * `node:crypto`, imported by the first operation that needs it (hashing a session token, a
 * cursor, a password), not with the package: its import costs about a fifth of the package's
 * own, and a board that only reads never loads it.
 *
 * @module
 */
import type * as Crypto from "node:crypto";
import type { Awaitable } from "./driver.ts";

/** The `node:crypto` module. */
export type NodeCrypto = typeof Crypto;

let loaded: NodeCrypto | undefined;

/**
 * Imports `node:crypto`, once. What hashes takes the module as an argument, so an operation
 * cannot hash before it awaited this.
 *
 * @returns The module: at once once imported (awaiting it then costs one microtask).
 */
export function nodeCrypto(): Awaitable<NodeCrypto> {
  return loaded ?? import("node:crypto").then((module) => loaded = module);
}

/**
 * The SHA-256 of a text.
 *
 * @param crypto The module, from {@linkcode nodeCrypto}.
 * @param text The text, hashed as UTF-8.
 * @param encoding How the digest is written.
 * @returns The digest.
 */
export function sha256(
  crypto: NodeCrypto,
  text: string,
  encoding: "hex" | "base64url",
): string {
  return crypto.createHash("sha256").update(text).digest(encoding);
}
