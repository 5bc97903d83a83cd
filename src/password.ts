/**
 * Password hashes for logins: scrypt (`node:crypto`) in a PHC string that records its own
 * parameters, compared in constant time.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { StorageError } from "./errors.ts";

/** Options of {@linkcode hashPassword}. */
export interface HashPasswordOptions {
  /**
   * Compare the password case-insensitively, as Impulse 7.1 and its kin did: the letters
   * a–z are folded to upper case before hashing and before every check, and the hash is
   * marked `ci=1`. Only for passwords imported from such boards; defaults to `false`.
   */
  caseInsensitive?: boolean;
  /** The scrypt cost as log2 N: 10–20; defaults to 15 (N = 32768, 32 MiB with r = 8). */
  cost?: number;
}

const DEFAULT_COST = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
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
 * @throws {TypeError} When `password` is not a string.
 * @throws {StorageError} `validation` when `cost` is not an integer from 10 to 20.
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
  if (typeof password !== "string") {
    throw new TypeError("Cannot hash the password as it is not a string");
  }
  const cost = options.cost ?? DEFAULT_COST;
  if (!Number.isInteger(cost) || cost < 10 || cost > 20) {
    throw new StorageError(
      "validation",
      `Cannot hash the password as the cost must be an integer from 10 to 20: got ${cost}`,
      { field: "cost" },
    );
  }
  const ci = options.caseInsensitive === true;
  const salt = randomBytes(SALT_BYTES);
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
 * @param password The password the caller typed.
 * @param phc The stored hash.
 * @returns Whether the password matches.
 * @throws {TypeError} When `password` or `phc` is not a string.
 * @throws {StorageError} `validation` when `phc` is not an scrypt PHC string this package
 *   can check (another scheme, or parameters out of range).
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
  phc: string,
): Promise<boolean> {
  if (typeof password !== "string" || typeof phc !== "string") {
    throw new TypeError(
      "Cannot verify the password as the password or the hash is not a string",
    );
  }
  const match = PHC.exec(phc);
  const [cost, blockSize, parallelism] = (match?.slice(1, 4) ?? []).map(Number);
  if (
    match === null || !inRange(cost!, 1, 20) || !inRange(blockSize!, 1, 32) ||
    !inRange(parallelism!, 1, 16)
  ) {
    throw new StorageError(
      "validation",
      `Cannot verify the password as the hash is not an scrypt PHC string with ln 1–20, r 1–32, p 1–16: got a string of ${phc.length} characters`,
      { field: "phc" },
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
  return timingSafeEqual(key, expected);
}

/** NFC, and a–z folded to upper case for a case-insensitive password (Pascal's `UpCase`). */
function prepare(password: string, caseInsensitive: boolean): string {
  const text = password.normalize("NFC");
  return caseInsensitive
    ? text.replace(/[a-z]/g, (c) => c.toUpperCase())
    : text;
}

function derive(
  password: string,
  salt: Uint8Array,
  p: { cost: number; blockSize: number; parallelism: number; length: number },
): Promise<Buffer> {
  const N = 2 ** p.cost;
  return new Promise((resolve, reject) =>
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

function inRange(value: number, min: number, max: number): boolean {
  return value >= min && value <= max;
}
