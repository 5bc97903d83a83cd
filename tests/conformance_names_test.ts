/**
 * Names are one name when Unicode calls them a compatibility caseless match (a full case fold
 * and NFKC), and names that show nothing or hide invisible characters are refused: issue 10,
 * item 13. Written from the README's Users and Areas sections.
 */
import assert from "node:assert/strict";
import { conformance } from "./_targets.ts";
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
};

conformance(
  "createUser() takes every spelling of one caseless name as the same name",
  async (s) => {
    for (const [first, ...others] of SAME) {
      const user = await s.createUser({ username: first!, passwordHash: "h" });
      for (const other of others) {
        const error = await rejectsKind(
          s.createUser({ username: other, passwordHash: "h" }),
          "conflict",
        );
        assert.equal(error.field, "username");
        assert.deepEqual(
          await s.findUserByUsername(other),
          user,
          `findUserByUsername(${JSON.stringify(other)}) finds ${first}`,
        );
      }
      assert.deepEqual(await s.findUserByUsername(first!), user);
    }
  },
);

conformance(
  "updateUser() refuses a rename to another spelling of a taken name",
  async (s) => {
    await s.createUser({ username: "STRASSE", passwordHash: "h" });
    const other = await s.createUser({ username: "Weg", passwordHash: "h" });
    await rejectsKind(
      s.updateUser(other.id, { username: "straße" }),
      "conflict",
    );
    // A user may respell their own name.
    const own = await s.createUser({ username: "ΟΔΟΣ", passwordHash: "h" });
    const renamed = await s.updateUser(own.id, { username: "οδος" });
    assert.equal(renamed.username, "οδος");
    assert.equal((await s.findUserByUsername("ΟΔΟΣ"))?.id, own.id);
  },
);

conformance(
  "createUser() refuses names that show nothing or hide invisible characters",
  async (s) => {
    for (const [what, name] of Object.entries(INVISIBLE)) {
      const error = await rejectsKind(
        s.createUser({ username: name, passwordHash: "h" }),
        "validation",
        "username",
      );
      assert.match(error.message, /username/, what);
      await rejectsKind(
        s.findUserByUsername(name),
        "validation",
        "username",
      );
    }
    const user = await s.createUser({ username: "alice", passwordHash: "h" });
    for (const name of Object.values(INVISIBLE)) {
      await rejectsKind(
        s.updateUser(user.id, { username: name }),
        "validation",
        "username",
      );
    }
    assert.equal((await s.getUser(user.id))?.username, "alice");
    assert.equal(await s.getUser(user.id + 1), null, "nothing else written");
  },
);

conformance(
  "names with spaces, symbols and marks inside stay valid",
  async (s) => {
    for (
      const name of ["Joe Random", "a\u2800b", "Zoë", "★Star★", "d'Artagnan"]
    ) {
      const user = await s.createUser({ username: name, passwordHash: "h" });
      assert.equal((await s.findUserByUsername(name))?.id, user.id);
    }
  },
);

conformance(
  "area tags are one tag under the same fold, and invisible tags are refused",
  async (s) => {
    await s.createMessageArea({ tag: "STRASSE", name: "Roads" });
    await rejectsKind(
      s.createMessageArea({ tag: "straße", name: "Roads again" }),
      "conflict",
    );
    await s.createFileArea({ tag: "ΟΔΟΣ", name: "Roads" });
    await rejectsKind(
      s.createFileArea({ tag: "οδοσ", name: "Roads again" }),
      "conflict",
    );
    for (const tag of ["\u3164", "\u2800", "A\u200BB"]) {
      await rejectsKind(
        s.createMessageArea({ tag, name: "Hidden" }),
        "validation",
        "tag",
      );
      await rejectsKind(
        s.createFileArea({ tag, name: "Hidden" }),
        "validation",
        "tag",
      );
    }
    assert.equal((await s.listMessageAreas()).length, 1);
    assert.equal((await s.listFileAreas()).length, 1);
  },
);
