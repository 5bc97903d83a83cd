import assert from "node:assert/strict";
import fc from "fast-check";
import { foldKey, KEY_GROWTH } from "./keys.ts";
import { foldKey as fromOps } from "./ops/mod.ts";
import { caseFold } from "unicode-case-folding";

const ASSIGNED = /\P{Cn}/u;
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const CWKCF = /\p{Changes_When_NFKC_Casefolded}/u;

function* assignedCodePoints(): Generator<string> {
  for (let c = 0; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const s = String.fromCodePoint(c);
    if (ASSIGNED.test(s)) yield s;
  }
}

Deno.test("foldKey() joins the names Unicode calls one caseless name", () => {
  const same = [
    ["ΟΔΟΣ", "οδοσ", "οδος", "Οδος"],
    ["STRASSE", "straße", "Straße", "STRAẞE", "strasse"],
    ["Ǆ", "ǅ", "ǆ", "DŽ", "dž"],
    ["ＳｙｓＯｐ", "SYSOP", "sysop"],
    ["ﬀ", "ff", "FF"],
    ["Zoë", "ZOË", "Zoe\u0308"],
    ["ǰ", "J\u030c"],
    ["İ", "i\u0307"],
    ["ᾳ", "ᾼ", "αι"],
    ["㎒", "MHz"],
  ];
  for (const names of same) {
    const keys = new Set(names.map(foldKey));
    assert.equal(keys.size, 1, `${names.join(", ")} give ${[...keys]}`);
  }
  // Different names stay different: the fold is not a loose match.
  for (const [a, b] of [["ı", "i"], ["é", "e"], ["ß", "s"], ["σ", "s"]]) {
    assert.notEqual(foldKey(a!), foldKey(b!), `${a} and ${b}`);
  }
});

Deno.test("foldKey() is toLowerCase() on ASCII, and a fixed point", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme-ascii" }), (name) => {
      assert.equal(foldKey(name), name.toLowerCase());
    }),
  );
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (name) => {
      const key = foldKey(name);
      assert.equal(foldKey(key), key);
      assert.equal(foldKey(name.toLowerCase()), key);
      // Dotless ı is its own letter (Turkish), but its upper case is the Latin I: the one
      // code point whose upper-case spelling folds to another key (checked on every code point
      // below).
      if (!name.includes("ı")) assert.equal(foldKey(name.toUpperCase()), key);
    }),
  );
});

Deno.test("a code point's upper- and lower-case spellings give its key, dotless ı's upper case aside", () => {
  const upper: string[] = [];
  const lower: string[] = [];
  for (const c of assignedCodePoints()) {
    const key = foldKey(c);
    const at = `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`;
    if (foldKey(c.toUpperCase()) !== key) upper.push(at);
    if (foldKey(c.toLowerCase()) !== key) lower.push(at);
  }
  assert.deepEqual(upper, ["U+131"]);
  assert.deepEqual(lower, []);
});

Deno.test("foldKey() agrees with the platform's Unicode on every code point", () => {
  // A code point the key changes is exactly one that Changes_When_NFKC_Casefolded (default
  // ignorables aside, which that property removes and validation refuses): a fold table older
  // or newer than the platform's Unicode fails here, naming the code point.
  const wrong: string[] = [];
  for (const c of assignedCodePoints()) {
    if (IGNORABLE.test(c)) continue;
    if ((foldKey(c) !== c) !== CWKCF.test(c)) {
      wrong.push(`U+${c.codePointAt(0)!.toString(16).toUpperCase()}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("no code point grows past KEY_GROWTH in its key's full decomposition", () => {
  // The bound on a lookup's spelling (validate.ts): NFKD(key) of one code point, as the key's
  // steps make it, is at most KEY_GROWTH code points, and U+FDFA reaches it.
  let most = 0;
  const at: string[] = [];
  for (const c of assignedCodePoints()) {
    if (IGNORABLE.test(c) || /[\p{Cc}\p{Cf}]/u.test(c)) continue;
    const once = caseFold(c.normalize("NFD")).normalize("NFKD");
    const grown = [...caseFold(once).normalize("NFKD")].length;
    assert.equal([...foldKey(c).normalize("NFKD")].length, grown);
    if (grown > most) at.length = 0;
    most = Math.max(most, grown);
    if (grown === most) at.push(c);
  }
  assert.equal(most, KEY_GROWTH);
  assert.deepEqual(at, ["\uFDFA"]);
});

Deno.test("foldKey() is the one the operations use", () => {
  assert.equal(fromOps, foldKey);
});
