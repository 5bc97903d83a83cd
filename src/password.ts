/**
 * Password hashes for logins: scrypt (`node:crypto`) in a PHC string that records its own
 * parameters, compared in constant time.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { describe } from "./describe.ts";
import { nodeCrypto } from "./node_crypto.ts";
import { StorageError } from "./errors.ts";

/** Options of {@linkcode hashPassword}. */
export interface HashPasswordOptions {
  /**
   * Compare the password case-insensitively, as Impulse 7.1 and its kin did: the letters
   * a–z are folded to upper case before hashing and before every check, and the hash is
   * marked `ci=1`. Only for passwords imported from such boards; defaults to `false`.
   */
  caseInsensitive?: boolean;
  /**
   * The scrypt cost as log2 N: 10–16; defaults to 15 (N = 32768, 32 MiB with r = 8). Each step
   * doubles the time and memory a hash takes; at 16 (64 MiB) a hash is at the bounds of what
   * {@linkcode verifyPassword} checks.
   */
  cost?: number;
}

/** The least scrypt cost (log2 N) {@linkcode hashPassword} takes. */
export const MIN_COST = 10;
/**
 * The greatest scrypt cost (log2 N) {@linkcode hashPassword} takes: with r = 8, the most
 * memory and work {@linkcode verifyPassword} spends on a hash.
 */
export const MAX_COST = 16;
const DEFAULT_COST = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
/** The most memory scrypt may take to check a hash, 128 · r · N bytes: 64 MiB. */
const MAX_MEMORY = 128 * BLOCK_SIZE * 2 ** MAX_COST;
/** The most work scrypt may do to check a hash, N · r · p: hashPassword's greatest (2^19). */
const MAX_WORK = 2 ** MAX_COST * BLOCK_SIZE * PARALLELISM;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const PHC =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})(,ci=1)?\$([A-Za-z0-9+/]{11,88})\$([A-Za-z0-9+/]{22,88})$/;

/**
 * Hashes a password with scrypt and a random 16-byte salt into a PHC string:
 * `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (unpadded base64), or with `ci=1` after `p=1` for
 * a case-insensitive password. The text is NFC-normalised first.
 *
 * @param password The password, as the caller typed it (may be empty).
 * @param options Case-insensitivity and cost.
 * @returns The PHC string, for `passwordHash`.
 * @throws {StorageError} `validation` naming the field: `password` when it is not a string,
 * `options` when they are not an object, `caseInsensitive` when it is not a boolean, `cost`
 * when it is not an integer from 10 to 16.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashPassword, verifyPassword } from "@impulse/storage";
 *
 * const phc = await hashPassword("Tr0ub4dor&3", { cost: 10 });
 * assert.ok(phc.startsWith("$scrypt$ln=10,r=8,p=1$"));
 * assert.equal(await verifyPassword("Tr0ub4dor&3", phc), true);
 * assert.equal(await verifyPassword("tr0ub4dor&3", phc), false);
 * ```
 */
export async function hashPassword(
  password: string,
  options: HashPasswordOptions = {},
): Promise<string> {
  if (typeof password !== "string") throw notText("hash", "password", password);
  if (typeof options !== "object" || options === null) {
    throw refused(
      "hash",
      "options",
      `must be an object: got ${typeName(options)}`,
    );
  }
  const cost = options.cost ?? DEFAULT_COST;
  if (
    typeof cost !== "number" || !Number.isInteger(cost) || cost < MIN_COST ||
    cost > MAX_COST
  ) {
    throw refused(
      "hash",
      "cost",
      `must be an integer from ${MIN_COST} to ${MAX_COST}: got ${
        typeof cost === "number" ? cost : typeName(cost)
      }`,
    );
  }
  const ci = options.caseInsensitive ?? false;
  if (typeof ci !== "boolean") {
    throw refused(
      "hash",
      "caseInsensitive",
      `must be a boolean: got ${typeName(ci)}`,
    );
  }
  const salt = (await nodeCrypto()).randomBytes(SALT_BYTES);
  const key = await derive(prepare(password, ci), salt, {
    cost,
    blockSize: BLOCK_SIZE,
    parallelism: PARALLELISM,
    length: KEY_BYTES,
  });
  return `$scrypt$ln=${cost},r=${BLOCK_SIZE},p=${PARALLELISM}${
    ci ? ",ci=1" : ""
  }$${b64(salt)}$${b64(key)}`;
}

/**
 * Checks a password against a PHC string made by {@linkcode hashPassword} (or by the
 * Impulse 7.1 importer), with the parameters the string records, in constant time. A hash
 * marked `ci=1` folds a–z to upper case, as the old board compared.
 *
 * The work a stored hash may ask for is bounded, so that a hostile or corrupt one cannot stall
 * logins: at most 64 MiB of memory (128 · r · 2^ln bytes) and at most 2^19 for 2^ln · r · p,
 * what {@linkcode hashPassword} at its greatest cost (16, with r = 8 and p = 1) asks; every hash
 * `hashPassword` makes is within both.
 *
 * @param password The password the caller typed.
 * @param hash The stored hash.
 * @returns Whether the password matches.
 * @throws {StorageError} `validation` naming `password` when it is not a string, and `hash`
 *   when it is not a string or not an scrypt PHC string this package checks (another scheme,
 *   parameters out of range, or asking for more memory or work than the bounds above).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashPassword, verifyPassword } from "@impulse/storage";
 *
 * const imported = await hashPassword("FLARE", { caseInsensitive: true, cost: 10 });
 * assert.ok(imported.includes(",ci=1$"));
 * assert.equal(await verifyPassword("flare", imported), true);
 * assert.equal(await verifyPassword("flame", imported), false);
 * ```
 */
export async function verifyPassword(
  password: string,
  hash: string,
): Promise<boolean> {
  if (typeof password !== "string") {
    throw notText("verify", "password", password);
  }
  if (typeof hash !== "string") throw notText("verify", "hash", hash);
  const match = PHC.exec(hash);
  const [cost, blockSize, parallelism] = (match?.slice(1, 4) ?? []).map(Number);
  if (
    match === null || !inRange(cost!, 1, 20) || !inRange(blockSize!, 1, 32) ||
    !inRange(parallelism!, 1, 16)
  ) {
    throw refused(
      "verify",
      "hash",
      `must be an scrypt PHC string with ln 1–20, r 1–32, p 1–16: got ${
        describe(hash)
      }`,
    );
  }
  const memory = 128 * blockSize! * 2 ** cost!;
  const work = 2 ** cost! * blockSize! * parallelism!;
  if (memory > MAX_MEMORY || work > MAX_WORK) {
    throw refused(
      "verify",
      "hash",
      `asks for more scrypt memory or work than a check may take: 128·r·2^ln must be at most 64 MiB and ` +
        `2^ln·r·p at most 2^19 (hashPassword's cost ${MAX_COST}): got ln=${cost}, ` +
        `r=${blockSize}, p=${parallelism}: set a new password hash with hashPassword`,
    );
  }
  const expected = Buffer.from(match[6]!, "base64");
  const key = await derive(
    prepare(password, match[4] !== undefined),
    Buffer.from(match[5]!, "base64"),
    {
      cost: cost!,
      blockSize: blockSize!,
      parallelism: parallelism!,
      length: expected.length,
    },
  );
  return (await nodeCrypto()).timingSafeEqual(key, expected);
}

/** NFC, and a–z folded to upper case for a case-insensitive password (Pascal's `UpCase`). */
function prepare(password: string, caseInsensitive: boolean): string {
  const text = password.normalize("NFC");
  return caseInsensitive
    ? text.replace(/[a-z]/g, (c) => c.toUpperCase())
    : text;
}

async function derive(
  password: string,
  salt: Uint8Array,
  p: { cost: number; blockSize: number; parallelism: number; length: number },
): Promise<Buffer> {
  const { scrypt } = await nodeCrypto();
  const N = 2 ** p.cost;
  return await new Promise((resolve, reject) =>
    scrypt(password, salt, p.length, {
      N,
      r: p.blockSize,
      p: p.parallelism,
      maxmem: 256 * N * p.blockSize + 1_048_576,
    }, (error, key) => error ? reject(error) : resolve(key))
  );
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/=+$/, "");
}

/** The `validation` error of a bad argument of hashing (`hash`) or checking (`verify`). */
function refused(
  doing: "hash" | "verify",
  field: string,
  why: string,
): StorageError {
  return new StorageError(
    "validation",
    `Cannot ${doing} the password as ${field} ${why}`,
    { field },
  );
}

function notText(
  doing: "hash" | "verify",
  field: string,
  value: unknown,
): StorageError {
  return refused(doing, field, `must be a string: got ${typeName(value)}`);
}

/** A value's type for a message: never the value itself, which may be a secret. */
function typeName(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function inRange(value: number, min: number, max: number): boolean {
  return value >= min && value <= max;
}
