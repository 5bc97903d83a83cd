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
  await assert.rejects(
    verifyPassword(1 as unknown as string, phc),
    TypeError,
  );
});

Deno.test("hashPassword() refuses a cost outside 10–20", async () => {
  for (const cost of [9, 21, 12.5]) {
    await assert.rejects(
      hashPassword("x", { cost }),
      (error) => isStorageError(error, "validation"),
    );
  }
});
