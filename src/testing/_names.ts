/**
 * Names are one name when Unicode calls them a compatibility caseless match (a full case fold
 * and NFKC), and names that show nothing or hide invisible characters are refused: issue 10,
 * item 13. Written from the README's Users and Areas sections.
 */
import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

/** Spellings of one name each: the first is registered, every other is the same name. */
const SAME: readonly (readonly string[])[] = [
  ["ΟΔΟΣ", "οδοσ", "οδος", "Οδος"],
  ["STRASSE", "straße", "Straße", "STRAẞE", "strasse"],
  ["ǅ", "Ǆ", "ǆ", "DŽ", "dž"],
  ["ＳｙｓＯｐ", "SysOp", "sysop", "ＳＹＳＯＰ"],
  ["ﬀ", "ff", "FF", "Ff"],
];

/** Names that show nothing or hold an invisible character, by what they are. */
const INVISIBLE: Readonly<Record<string, string>> = {
  "U+3164 HANGUL FILLER alone": "\u3164",
  "U+2800 BRAILLE PATTERN BLANK alone": "\u2800",
  "U+115F and U+1160 alone": "\u115F\u1160",
  "U+FFA0 HALFWIDTH HANGUL FILLER alone": "\uFFA0",
  "U+200B ZERO WIDTH SPACE inside": "ali\u200Bce",
  "U+00AD SOFT HYPHEN inside": "ali\u00ADce",
  "U+034F COMBINING GRAPHEME JOINER inside": "ali\u034Fce",
  "U+FE0F VARIATION SELECTOR-16 inside": "ali\uFE0Fce",
  "U+3164 after a letter": "a\u3164",
  "only spaces": "   ",
  "only U+3000 IDEOGRAPHIC SPACE": "\u3000",
  "a lone combining accent": "\u0301",
  "an unassigned code point": "ali\u0378ce",
  "U+1D159 MUSICAL SYMBOL NULL NOTEHEAD alone": "\u{1D159}",
  "U+1D159 twice": "\u{1D159}\u{1D159}",
  "U+13441 EGYPTIAN HIEROGLYPH FULL BLANK alone": "\u{13441}",
  "U+13442 EGYPTIAN HIEROGLYPH HALF BLANK alone": "\u{13442}",
  "U+FFFC OBJECT REPLACEMENT CHARACTER alone": "\uFFFC",
  "blanks of every kind together":
    "\u2800\u{1D159}\u{13441}\u{13442}\uFFFC\u3000",
  "U+2800 after the name": "alice\u2800",
  "U+1D159 before the name": "\u{1D159}alice",
  "U+00A0 NO-BREAK SPACE after the name": "alice\u00A0",
  "U+1D173 MUSICAL SYMBOL BEGIN BEAM inside": "ali\u{1D173}ce",
  "U+2062 INVISIBLE TIMES inside": "ali\u2062ce",
  "U+E0041 TAG LATIN CAPITAL LETTER A inside": "ali\u{E0041}ce",
  "U+180E MONGOLIAN VOWEL SEPARATOR inside": "ali\u180Ece",
};

/**
 * Blanks: code points that show nothing or only empty space (see src/blanks.ts). Each counts as
 * a space: a name must show something else, and a tag holds none.
 */
const BLANKS = [
  "\u2800",
  "\u{1D159}",
  "\u{13441}",
  "\u{13442}",
  "\uFFFC",
  "\u00A0",
  "\u1680",
  "\u2002",
  "\u202F",
  "\u205F",
  "\u3000",
  "\u3164",
  "\u115F",
  "\uFFA0",
];

testCase(
  "users.create() takes every spelling of one caseless name as the same name",
  async (s) => {
    for (const [first, ...others] of SAME) {
      const user = await s.users.create({
        username: first!,
        passwordHash: "h",
      });
      for (const other of others) {
        const error = await rejectsKind(
          s.users.create({ username: other, passwordHash: "h" }),
          "conflict",
        );
        assert.equal(error.field, "username");
        assert.deepEqual(
          await s.users.findByUsername(other),
          user,
          `users.findByUsername(${JSON.stringify(other)}) finds ${first}`,
        );
      }
      assert.deepEqual(await s.users.findByUsername(first!), user);
    }
  },
);

testCase(
  "users.update() refuses a rename to another spelling of a taken name",
  async (s) => {
    await s.users.create({ username: "STRASSE", passwordHash: "h" });
    const other = await s.users.create({ username: "Weg", passwordHash: "h" });
    await rejectsKind(
      s.users.update(other.id, { username: "straße" }),
      "conflict",
    );
    // A user may respell their own name.
    const own = await s.users.create({ username: "ΟΔΟΣ", passwordHash: "h" });
    const renamed = await s.users.update(own.id, { username: "οδος" });
    assert.equal(renamed.username, "οδος");
    assert.equal((await s.users.findByUsername("ΟΔΟΣ"))?.id, own.id);
  },
);

testCase(
  "users.create() refuses names that show nothing or hide invisible characters",
  async (s) => {
    for (const [what, name] of Object.entries(INVISIBLE)) {
      const error = await rejectsKind(
        s.users.create({ username: name, passwordHash: "h" }),
        "validation",
        "username",
      );
      assert.match(error.message, /username/, what);
      // A lookup by a name nobody can hold finds nobody.
      assert.equal(await s.users.findByUsername(name), null, what);
    }
    const user = await s.users.create({ username: "alice", passwordHash: "h" });
    for (const name of Object.values(INVISIBLE)) {
      await rejectsKind(
        s.users.update(user.id, { username: name }),
        "validation",
        "username",
      );
    }
    assert.equal((await s.users.get(user.id))?.username, "alice");
    assert.equal(await s.users.get(user.id + 1), null, "nothing else written");
  },
);

testCase(
  "names with spaces, symbols and marks inside stay valid",
  async (s) => {
    for (
      const name of ["Joe Random", "a\u2800b", "Zoë", "★Star★", "d'Artagnan"]
    ) {
      const user = await s.users.create({ username: name, passwordHash: "h" });
      assert.equal((await s.users.findByUsername(name))?.id, user.id);
    }
  },
);

testCase(
  "area tags are one tag under the same fold, and invisible tags are refused",
  async (s) => {
    await s.messageAreas.create({ tag: "STRASSE", name: "Roads" });
    await rejectsKind(
      s.messageAreas.create({ tag: "straße", name: "Roads again" }),
      "conflict",
    );
    await s.fileAreas.create({ tag: "ΟΔΟΣ", name: "Roads" });
    await rejectsKind(
      s.fileAreas.create({ tag: "οδοσ", name: "Roads again" }),
      "conflict",
    );
    const blankTags = BLANKS.flatMap((b) => [b, `A${b}B`, `${b}${b}`]);
    for (const tag of [...blankTags, "A\u200BB"]) {
      await rejectsKind(
        s.messageAreas.create({ tag, name: "Hidden" }),
        "validation",
        "tag",
      );
      await rejectsKind(
        s.fileAreas.create({ tag, name: "Hidden" }),
        "validation",
        "tag",
      );
    }
    assert.equal((await s.messageAreas.list()).length, 1);
    assert.equal((await s.fileAreas.list()).length, 1);
  },
);

testCase(
  "names and file names made of blanks are refused, and nothing is written",
  async (s) => {
    for (const blank of BLANKS) {
      for (const name of [blank, blank + blank, `${blank} ${blank}`]) {
        await rejectsKind(
          s.users.create({ username: name, passwordHash: "h" }),
          "validation",
          "username",
        );
        await rejectsKind(
          s.messageAreas.create({ tag: "T", name }),
          "validation",
          "name",
        );
      }
    }
    const area = await s.fileAreas.create({ tag: "FILES", name: "Files" });
    for (const blank of BLANKS) {
      await rejectsKind(
        s.files.add({ areaId: area.id, filename: blank, size: 1 }),
        "validation",
        "filename",
      );
    }
    assert.equal((await s.messageAreas.list()).length, 0);
    assert.equal((await s.files.list(area.id)).length, 0);
    assert.equal(await s.users.get(1), null);
  },
);

testCase(
  "users.findByUsername() finds a holder by every spelling whose key is theirs",
  async (s) => {
    // U+FDFA is one character; NFKC writes it out as 18 ("صلى الله عليه وسلم"): thirty of
    // them are a valid name whose key, spelled out, is 540 characters.
    const long = await s.users.create({
      username: "\uFDFA".repeat(30),
      passwordHash: "h",
    });
    const written = "\uFDFA".normalize("NFKC");
    assert.equal([...written].length, 18);
    assert.equal(
      (await s.users.findByUsername(written.repeat(30)))?.id,
      long.id,
    );
    assert.equal(
      (await s.users.findByUsername("\uFDFA".repeat(15) + written.repeat(15)))
        ?.id,
      long.id,
    );
    // "¨" (U+00A8) is a symbol; its key begins with a space, which no name may begin with.
    const diaeresis = await s.users.create({
      username: "¨Ann",
      passwordHash: "h",
    });
    assert.equal(
      (await s.users.findByUsername(" \u0308ANN"))?.id,
      diaeresis.id,
    );
    // A decomposed spelling is longer than the name: ǖ is u, ̈ and ̄.
    const marks = await s.users.create({
      username: "ǖ".repeat(30),
      passwordHash: "h",
    });
    assert.equal(
      (await s.users.findByUsername("U\u0308\u0304".repeat(30)))?.id,
      marks.id,
    );
    // Past the longest spelling any name can have: validation; nothing found, not an error,
    // for text no name can be.
    await rejectsKind(
      s.users.findByUsername(written.repeat(30) + "x"),
      "validation",
      "username",
    );
    assert.equal(await s.users.findByUsername(" "), null);
    assert.equal(await s.users.findByUsername("x".repeat(540)), null);
    // Text no name can hold is text all the same: empty, a NUL, a lone surrogate (the
    // outside attack's repro: "a\0b" and "x\uD800" were validation errors).
    for (
      const text of [
        "",
        "a\0b",
        "\0",
        "x\uD800",
        "\uDC00y",
        "Ann\0".repeat(108),
      ]
    ) {
      assert.equal(
        await s.users.findByUsername(text),
        null,
        JSON.stringify(text),
      );
    }
    await rejectsKind(
      s.users.findByUsername("\0".repeat(541)),
      "validation",
      "username",
    );
  },
);
