import assert from "node:assert/strict";
import {
  canonicalCharset,
  decoderFor,
  SUPPORTED_CHARSETS,
} from "./charsets.ts";

// Expected characters checked against Python's codecs (cp866, cp437, cp850, cp1251, koi8_r, …)
// and `iconv -f CP866`; only where WHATWG and Python disagree on purpose is it said below.
const KNOWN: Record<string, [number, string][]> = {
  "CP437": [[0x8d, "ì"], [0x99, "Ö"], [0xe1, "ß"], [0xb3, "│"]],
  "CP850": [[0x8d, "ì"], [0x9b, "ø"], [0xb5, "Á"], [0xd5, "ı"], [0xe7, "þ"]],
  "CP852": [[0x85, "ů"], [0x88, "ł"], [0x9f, "č"], [0xa5, "ą"], [0xe6, "Š"]],
  "CP866": [[0x8d, "Н"], [0xa0, "а"], [0xf0, "Ё"], [0xe0, "р"], [0x80, "А"]],
  "CP1250": [[0x8a, "Š"], [0x9a, "š"], [0xe8, "č"]],
  "CP1251": [[0xc0, "А"], [0xff, "я"], [0x8d, "Ќ"], [0xa8, "Ё"]],
  // 0x8D has no character in CP1252: WHATWG (and this table) keep it as the C1 control.
  "CP1252": [[0x80, "€"], [0x99, "™"], [0xe9, "é"], [0x8d, "\u008d"]],
  "KOI8-R": [[0xc1, "а"], [0xe1, "А"], [0xb3, "Ё"], [0x8d, "█"]],
  // RFC 2319 (Python's koi8_u): 0xAE is ╝, where WHATWG's koi8-u has ў.
  "KOI8-U": [[0xa4, "є"], [0xae, "╝"], [0xb4, "Є"], [0xc1, "а"]],
  "LATIN-1": [[0x80, "\u0080"], [0xe9, "é"], [0x8d, "\u008d"]],
  "LATIN-2": [[0xa9, "Š"], [0xb9, "š"], [0xe8, "č"]],
  "LATIN-9": [[0xa4, "€"], [0xbd, "œ"]],
  "ISO-8859-5": [[0xb0, "А"], [0xef, "я"], [0x8d, "\u008d"]],
  "MAC": [[0x80, "Ä"], [0x8d, "ç"], [0xa5, "•"]],
};

Deno.test("decoderFor() decodes known letters of every single-byte code page", () => {
  for (const [charset, pairs] of Object.entries(KNOWN)) {
    const decode = decoderFor(charset);
    for (const [byte, char] of pairs) {
      assert.equal(
        decode(new Uint8Array([byte])),
        char,
        `${charset} 0x${byte.toString(16)}`,
      );
    }
  }
  assert.deepEqual(
    Object.keys(KNOWN).sort(),
    SUPPORTED_CHARSETS.filter((c) => c !== "UTF-8").sort(),
  );
});

Deno.test("decoderFor() decodes UTF-8, bad bytes as U+FFFD and a byte-order mark kept", () => {
  const decode = decoderFor("UTF-8");
  const hello = new TextEncoder().encode("Привет, мир");
  assert.equal(decode(hello), "Привет, мир");
  assert.equal(decode(new Uint8Array([0x41, 0x8d, 0x0d, 0x42])), "A\ufffd\rB");
  assert.equal(decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x01])), "\ufeff\x01");
});

Deno.test("decoderFor() keeps every byte below 0x80 as the ASCII character, in every set", () => {
  const ascii = Uint8Array.from({ length: 0x80 }, (_, i) => i);
  const expected = String.fromCharCode(...ascii);
  for (const charset of SUPPORTED_CHARSETS) {
    assert.equal(decoderFor(charset)(ascii), expected, charset);
  }
});

Deno.test("decoderFor() gives one character per byte in every single-byte set", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (const charset of SUPPORTED_CHARSETS.filter((c) => c !== "UTF-8")) {
    assert.equal([...decoderFor(charset)(all)].length, 256, charset);
  }
});

Deno.test("decoderFor() decodes text of any length as its bytes one by one", () => {
  // Short text and long text are made in two ways (see charsets.ts); both give each byte's
  // character, in order, at every length around the switch.
  for (const charset of SUPPORTED_CHARSETS.filter((c) => c !== "UTF-8")) {
    const decode = decoderFor(charset);
    const one = Array.from({ length: 256 }, (_, b) => decode(Uint8Array.of(b)));
    for (const length of [0, 1, 255, 256, 257, 1000, 70_000]) {
      const bytes = Uint8Array.from(
        { length },
        (_, i) => (i * 7 + length) & 0xff,
      );
      const expected = Array.from(bytes, (b) => one[b]).join("");
      assert.equal(decode(bytes), expected, `${charset}, ${length} bytes`);
    }
  }
});

Deno.test("decoderFor() refuses a name that is not canonical", () => {
  assert.throws(() => decoderFor("cp866"), RangeError);
  assert.throws(() => decoderFor("toString"), RangeError);
});

Deno.test("canonicalCharset() knows the usual spellings of each code page", () => {
  const cases: [string, string][] = [
    ["cp866", "CP866"],
    ["866", "CP866"],
    ["IBM866", "CP866"],
    ["CP-866", "CP866"],
    ["ALT", "CP866"],
    ["+7_FIDO", "CP866"],
    ["CP437", "CP437"],
    ["ibm437", "CP437"],
    ["850", "CP850"],
    ["KOI8-R", "KOI8-R"],
    ["koi8r", "KOI8-R"],
    ["LATIN-1", "LATIN-1"],
    ["latin1", "LATIN-1"],
    ["ISO-8859-1", "LATIN-1"],
    ["windows-1251", "CP1251"],
    ["CP1252", "CP1252"],
    ["UTF-8", "UTF-8"],
    ["utf8", "UTF-8"],
    [" cp 866 ", "CP866"],
  ];
  for (const [label, name] of cases) {
    assert.equal(canonicalCharset(label), name, label);
  }
  for (const name of SUPPORTED_CHARSETS) {
    assert.equal(canonicalCharset(name), name);
  }
});

Deno.test("canonicalCharset() gives null for labels it does not know, IBMPC and ASCII", () => {
  for (
    const label of [
      "",
      " ",
      "IBMPC",
      "ASCII",
      "EBCDIC",
      "GERMAN",
      "toString",
      "CP",
    ]
  ) {
    assert.equal(canonicalCharset(label), null, label);
  }
});
