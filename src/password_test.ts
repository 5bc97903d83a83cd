import assert from "node:assert/strict";
import { scryptSync } from "node:crypto";
import { Buffer } from "node:buffer";
import { isStorageError } from "./errors.ts";
import { hashPassword, verifyPassword } from "./password.ts";

const FAST = { cost: 10 };

Deno.test("hashPassword() writes a PHC string with its parameters and a fresh salt", async () => {
  const first = await hashPassword("secret", FAST);
  const second = await hashPassword("secret", FAST);
  assert.match(
    first,
    /^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
  );
  assert.notEqual(first, second);
  assert.match(await hashPassword("x"), /^\$scrypt\$ln=15,r=8,p=1\$/);
});

Deno.test("hashPassword() derives the standard scrypt key of the salt", async () => {
  const phc = await hashPassword("pleaseletmein", FAST);
  const [, , , salt, hash] = phc.split("$");
  const expected = scryptSync(
    "pleaseletmein",
    Buffer.from(salt!, "base64"),
    32,
    { N: 1024, r: 8, p: 1 },
  );
  assert.equal(Buffer.from(hash!, "base64").equals(expected), true);
});

Deno.test("verifyPassword() is case-sensitive for new hashes", async () => {
  const phc = await hashPassword("Secret", FAST);
  assert.equal(await verifyPassword("Secret", phc), true);
  assert.equal(await verifyPassword("secret", phc), false);
  assert.equal(await verifyPassword("SECRET", phc), false);
  assert.equal(await verifyPassword("Secret ", phc), false);
  assert.equal(await verifyPassword("", phc), false);
});

Deno.test("verifyPassword() folds a–z for hashes marked ci=1, as Impulse compared", async () => {
  const phc = await hashPassword("FLARE", { ...FAST, caseInsensitive: true });
  assert.match(phc, /^\$scrypt\$ln=10,r=8,p=1,ci=1\$/);
  for (const typed of ["FLARE", "flare", "FlArE"]) {
    assert.equal(await verifyPassword(typed, phc), true, typed);
  }
  assert.equal(await verifyPassword("FLAME", phc), false);
  // The stored hash is of the upper-cased text, so a lower-case original matches too.
  const lower = await hashPassword("flare", {
    ...FAST,
    caseInsensitive: true,
  });
  assert.equal(await verifyPassword("FLARE", lower), true);
  // Only a–z fold, as Pascal's UpCase did.
  const accented = await hashPassword("É", { ...FAST, caseInsensitive: true });
  assert.equal(await verifyPassword("é", accented), false);
});

Deno.test("verifyPassword() normalises to NFC", async () => {
  const phc = await hashPassword("caf\u00e9", FAST);
  assert.equal(await verifyPassword("cafe\u0301", phc), true);
});

Deno.test("verifyPassword() refuses what is not an scrypt PHC string, without echoing it", async () => {
  const phc = await hashPassword("secret", FAST);
  for (
    const bad of [
      "secret",
      "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
      phc.replace("ln=10", "ln=40"),
      phc.replace("r=8", "r=0"),
    ]
  ) {
    await assert.rejects(verifyPassword("secret", bad), (error) => {
      assert.ok(isStorageError(error, "validation"));
      assert.ok(!error.message.includes(bad));
      return true;
    });
  }
});

/** Asserts a `validation` StorageError naming `field`, in its field and its message. */
async function rejectsNaming(work: Promise<unknown>, field: string) {
  let caught: unknown;
  await work.catch((error) => caught = error);
  assert.ok(
    isStorageError(caught, "validation"),
    `not a StorageError: ${caught}`,
  );
  assert.equal(caught.field, field, caught.message);
  assert.ok(caught.message.includes(field), caught.message);
  return caught;
}

Deno.test("hashPassword() and verifyPassword() fail every bad argument as a validation StorageError naming it", async () => {
  const phc = await hashPassword("secret", FAST);
  const bad = (value: unknown) => value as string;
  const cases: [() => Promise<unknown>, string][] = [
    [() => hashPassword(bad(123), {}), "password"],
    [() => hashPassword(bad(null)), "password"],
    [() => hashPassword("x", bad(null) as never), "options"],
    [() => hashPassword("x", bad(5) as never), "options"],
    [
      () => hashPassword("x", { caseInsensitive: bad("yes") as never }),
      "caseInsensitive",
    ],
    [() => hashPassword("x", { cost: bad("15") as never }), "cost"],
    [() => verifyPassword("x", bad(42)), "hash"],
    [() => verifyPassword("x", bad(undefined)), "hash"],
    [() => verifyPassword(bad(1), phc), "password"],
    [() => verifyPassword(bad({ toString: () => "secret" }), phc), "password"],
  ];
  for (const [work, field] of cases) await rejectsNaming(work(), field);
  // A password of the wrong type is still not shown.
  const error = await rejectsNaming(hashPassword(bad(987654321)), "password");
  assert.ok(!error.message.includes("987654321"), error.message);
});

Deno.test("hashPassword() refuses a cost outside 10–16, naming cost", async () => {
  for (const cost of [9, 17, 20, 21, 12.5]) {
    await rejectsNaming(hashPassword("x", { cost }), "cost");
  }
});

/** A PHC string of `password` with the given parameters, made by node:crypto directly. */
function phcOf(password: string, ln: number, r: number, p: number): string {
  const salt = Buffer.from("0123456789abcdef");
  const key = scryptSync(password, salt, 32, {
    N: 2 ** ln,
    r,
    p,
    maxmem: 256 * 2 ** ln * r + 1_048_576,
  });
  const b64 = (b: Buffer) => b.toString("base64").replace(/=+$/, "");
  return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
}

Deno.test("verifyPassword() refuses a hash asking for over 64 MiB or over 2^19 of work, at once, naming hash", async () => {
  const salt = "MDEyMzQ1Njc4OWFiY2RlZg";
  const key = "A".repeat(43);
  for (
    const [ln, r, p] of [
      [20, 32, 16], // the outside attack's: 4 GiB, minutes
      [17, 8, 1], // 128 MiB
      [16, 9, 1], // 72 MiB
      [14, 8, 5], // 16 MiB, but 2^14 · 8 · 5 > 2^19
      [12, 32, 5], // 16 MiB, 2^12 · 32 · 5 > 2^19
    ]
  ) {
    const started = performance.now();
    const error = await rejectsNaming(
      verifyPassword("x", `$scrypt$ln=${ln},r=${r},p=${p}$${salt}$${key}`),
      "hash",
    );
    assert.ok(performance.now() - started < 100, `ln=${ln},r=${r},p=${p}`);
    assert.match(error.message, /64 MiB/);
    assert.match(error.message, /2\^19/);
  }
});

Deno.test("verifyPassword() checks the hashes hashPassword() makes at its least and greatest cost, and hashes up to the bounds", async () => {
  for (const cost of [10, 16]) {
    const phc = await hashPassword("secret", { cost });
    assert.equal(await verifyPassword("secret", phc), true, `cost ${cost}`);
  }
  // At the bounds exactly: 64 MiB with 2^19 of work; 2^19 of work spread over p.
  for (const [ln, r, p] of [[15, 16, 1], [14, 8, 4], [10, 32, 16]]) {
    const phc = phcOf("secret", ln!, r!, p!);
    assert.equal(await verifyPassword("secret", phc), true, phc.slice(0, 24));
  }
});
