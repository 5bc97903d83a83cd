/**
 * Every length limit counts characters one way: Unicode code points, so an emoji or a
 * mathematical letter (two UTF-16 units each) is one character, as `é` is. Written from the
 * README ("Lengths"): each text field with a limit takes exactly its limit in astral characters,
 * reads it back unchanged, and refuses one more as `validation` naming the field, writing
 * nothing. The outside attack's repro (40 emoji refused as a 72-character subject) is here.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Storage } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

const EMOJI = "😀"; // U+1F600, two UTF-16 units
const LETTER = "𝐀"; // U+1D400 MATHEMATICAL BOLD CAPITAL A, a letter: names and tags

/** A text field with a limit: how to write a value into it and read it back. */
interface Field {
  field: string;
  limit: number;
  char: string;
  /** Writes `value` and returns what reading it back gives. */
  write(s: Storage, value: string): Promise<unknown>;
}

/** The areas messages and files go to, and a user: made before anything is counted. */
const fixtures = new WeakMap<
  Storage,
  { messages: number; files: number; user: number }
>();

async function post(s: Storage, input: Record<string, unknown>) {
  return await s.messages.post({
    areaId: fixtures.get(s)!.messages,
    fromName: "Joe",
    subject: "s",
    body: "b",
    ...input,
  });
}

let serial = 0;
const user = (s: Storage, input: Record<string, unknown>) =>
  s.users.create({ username: `u${serial++}`, passwordHash: "h", ...input });

const FIELDS: readonly Field[] = [
  {
    field: "username",
    limit: 30,
    char: LETTER,
    write: async (s, v) =>
      (await s.users.create({ username: v, passwordHash: "h" })).username,
  },
  {
    field: "passwordHash",
    limit: 512,
    char: EMOJI,
    write: async (s, v) => (await user(s, { passwordHash: v })).passwordHash,
  },
  {
    field: "realName",
    limit: 64,
    char: EMOJI,
    write: async (s, v) => (await user(s, { realName: v })).realName,
  },
  {
    field: "location",
    limit: 64,
    char: EMOJI,
    write: async (s, v) => (await user(s, { location: v })).location,
  },
  {
    field: "note",
    limit: 1000,
    char: EMOJI,
    write: async (s, v) => (await user(s, { note: v })).note,
  },
  {
    field: "tag",
    limit: 40,
    char: LETTER,
    write: async (s, v) =>
      (await s.fileAreas.create({ tag: v, name: "n" })).tag,
  },
  {
    field: "name",
    limit: 80,
    char: LETTER,
    write: async (s, v) =>
      (await s.messageAreas.create({ tag: "NAMED", name: v })).name,
  },
  {
    field: "echoTag",
    limit: 40,
    char: LETTER,
    write: async (s, v) =>
      (await s.messageAreas.create({ tag: "ECHO", name: "n", echoTag: v }))
        .echoTag,
  },
  {
    field: "filename",
    limit: 255,
    char: EMOJI,
    write: async (s, v) => (await file(s, { filename: v })).filename,
  },
  {
    field: "description",
    limit: 65_536,
    char: EMOJI,
    write: async (s, v) => (await file(s, { description: v })).description,
  },
  {
    field: "fromName",
    limit: 36,
    char: EMOJI,
    write: async (s, v) => (await post(s, { fromName: v })).fromName,
  },
  {
    field: "toName",
    limit: 36,
    char: EMOJI,
    write: async (s, v) => (await post(s, { toName: v })).toName,
  },
  {
    field: "fromName",
    limit: 100,
    char: EMOJI,
    write: async (s, v) =>
      (await post(s, { fromName: v, imported: true })).fromName,
  },
  {
    field: "toName",
    limit: 100,
    char: EMOJI,
    write: async (s, v) =>
      (await post(s, { toName: v, imported: true })).toName,
  },
  {
    field: "subject",
    limit: 72,
    char: EMOJI,
    write: async (s, v) => (await post(s, { subject: v })).subject,
  },
  {
    field: "body",
    limit: 1_048_576,
    char: EMOJI,
    write: async (s, v) => (await post(s, { body: v })).body,
  },
  {
    field: "ftnMsgid",
    limit: 200,
    char: EMOJI,
    write: async (s, v) => {
      const m = await post(s, { ftnMsgid: v });
      return (await s.messages.findByMsgid(m.areaId, v))?.ftnMsgid;
    },
  },
  {
    field: "ftnReply",
    limit: 200,
    char: EMOJI,
    write: async (s, v) => (await post(s, { ftnReply: v })).ftnReply,
  },
  {
    field: "kludges.0.name",
    limit: 64,
    char: EMOJI,
    write: async (s, v) =>
      (await post(s, { kludges: [{ name: v, value: "" }] })).kludges[0]?.name,
  },
  {
    field: "kludges.0.value",
    limit: 65_536,
    char: EMOJI,
    write: async (s, v) =>
      (await post(s, { kludges: [{ name: "K", value: v }] })).kludges[0]
        ?.value,
  },
  {
    field: "activity",
    limit: 80,
    char: EMOJI,
    write: async (s, v) => {
      const { token } = await s.sessions.create({
        userId: fixtures.get(s)!.user,
        ipAddress: "203.0.113.9",
        activity: v,
      });
      return (await s.sessions.getByToken(token))?.activity;
    },
  },
  {
    field: "username",
    limit: 36,
    char: EMOJI,
    write: async (s, v) =>
      (await s.callers.add({ username: v, loginAt: new Date() })).username,
  },
];

let files = 0;
async function file(s: Storage, input: Record<string, unknown>) {
  return await s.files.add({
    areaId: fixtures.get(s)!.files,
    filename: `F${files++}.ZIP`,
    size: 1,
    ...input,
  });
}

testCase(
  "every length limit counts code points: astral characters up to the limit, not one more",
  async (s) => {
    await fix(s);
    for (const { field, limit, char, write } of FIELDS) {
      const what = `${field} (${limit} × U+${
        char.codePointAt(0)!.toString(16)
      })`;
      const at = char.repeat(limit);
      assert.equal(await write(s, at), at, what);
      const before = await counts(s);
      const error = await rejectsKind(
        write(s, at + char),
        "validation",
        field,
      );
      assert.match(error.message, new RegExp(`${limit} characters`), what);
      assert.match(
        error.message,
        new RegExp(`got a string of ${limit + 1} characters`),
        what,
      );
      assert.deepEqual(await counts(s), before, `${what}: nothing written`);
    }
  },
);

testCase(
  "a message's kludges hold 1,048,576 characters in all, astral ones counted once",
  async (s) => {
    await fix(s);
    // 16 kludges of "K" and 65,535 emoji: exactly 1,048,576 characters, names included.
    const kludges = Array.from(
      { length: 16 },
      () => ({ name: "K", value: EMOJI.repeat(65_535) }),
    );
    const message = await post(s, { kludges });
    assert.deepEqual(message.kludges, kludges);
    kludges[15]!.name = "KK";
    await rejectsKind(post(s, { kludges }), "validation", "kludges");
  },
);

testCase(
  "names on messages are empty only on imported messages",
  async (s) => {
    await fix(s);
    const imported = await post(s, {
      fromName: "",
      toName: "",
      imported: true,
    });
    assert.equal(imported.fromName, "");
    assert.equal(imported.toName, "");
    for (const field of ["fromName", "toName"]) {
      const before = await counts(s);
      await rejectsKind(post(s, { [field]: "" }), "validation", field);
      assert.deepEqual(await counts(s), before, `${field}: nothing written`);
    }
  },
);

testCase(
  "a search query holds 1000 characters, astral ones counted once",
  async (s) => {
    // Two words of 499 and 500 letters: 1000 characters in all, and each
    // word within the 2047 bytes of UTF-8 a word may hold.
    const words = `${LETTER.repeat(499)} ${LETTER.repeat(500)}`;
    assert.deepEqual(await s.messages.search(words), []);
    await rejectsKind(
      s.messages.search(`${words}${LETTER}`),
      "validation",
      "query",
    );
  },
);

async function fix(s: Storage): Promise<void> {
  fixtures.set(s, {
    messages:
      (await s.messageAreas.create({ tag: "MSGS", name: "Messages" })).id,
    files: (await s.fileAreas.create({ tag: "FILES", name: "Files" })).id,
    user: (await s.users.create({ username: "Fixture", passwordHash: "h" })).id,
  });
}

/** How many users there are (ids are never reused, and no test here deletes one). */
async function users(s: Storage): Promise<number> {
  let n = 0;
  while (await s.users.get(n + 1) !== null) n++;
  return n;
}

/** How many users, areas, messages and last callers there are: what a refusal must not change. */
async function counts(s: Storage): Promise<number[]> {
  const areas = await s.messageAreas.list();
  let messages = 0;
  for (const a of areas) messages += a.msgCount;
  return [
    (await s.fileAreas.list()).length,
    (await s.files.list(fixtures.get(s)!.files)).length,
    areas.length,
    messages,
    (await s.callers.recent(1000)).length,
    (await s.sessions.listOnline()).length,
    await users(s),
  ];
}
