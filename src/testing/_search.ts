import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import type { Repositories } from "../../mod.ts";

async function board(s: Repositories) {
  const a = await s.messageAreas.create({ tag: "A", name: "A" });
  const b = await s.messageAreas.create({ tag: "B", name: "B" });
  const user = await s.users.create({ username: "u", passwordHash: "h" });
  const post = (areaId: number, subject: string, body: string) =>
    s.messages.post({ areaId, fromUserId: user.id, subject, body });
  return { a, b, post };
}

testCase(
  "messages.search() ANDs words, matches phrases, filters by area",
  async (s) => {
    const { a, b, post } = await board(s);
    const m1 = await post(
      a.id,
      "Doom shareware",
      "Get the shareware version of doom here",
    );
    const m2 = await post(a.id, "Quake", "doom is older than quake");
    const m3 = await post(b.id, "Doom in B", "nothing else");
    const ids = async (q: string, areaId?: number) =>
      (await s.messages.search(q, areaId === undefined ? {} : { areaId })).map((
        m,
      ) => m.id).sort((x, y) => x - y);
    assert.deepEqual(await ids("doom"), [m1.id, m2.id, m3.id]);
    assert.deepEqual(await ids("DOOM quake"), [m2.id]);
    assert.deepEqual(await ids('"shareware version"'), [m1.id]);
    assert.deepEqual(await ids('"version shareware"'), []);
    assert.deepEqual(await ids("doom", b.id), [m3.id]);
    assert.deepEqual((await s.messages.search("doom", { limit: 1 })).length, 1);
    // Subject matches weigh more than body matches: "shareware" is in m1's subject.
    assert.equal((await s.messages.search("shareware"))[0]!.id, m1.id);
  },
);

testCase("search keeps up with edits and deletes", async (s) => {
  const { a, post } = await board(s);
  const m = await post(a.id, "Lost", "original words");
  assert.equal((await s.messages.search("original")).length, 1);
  await s.messages.update(m.id, { body: "replacement text" });
  assert.deepEqual(await s.messages.search("original"), []);
  assert.equal((await s.messages.search("replacement"))[0]!.id, m.id);
  await s.messages.delete(m.id);
  assert.deepEqual(await s.messages.search("replacement"), []);
  const area = await s.fileAreas.create({ tag: "F", name: "F" });
  const f = await s.files.add({
    areaId: area.id,
    filename: "PKZ204G.EXE",
    description: "PKZIP archiver",
    size: 1,
  });
  assert.equal((await s.files.search("pkzip"))[0]!.id, f.id);
  assert.equal((await s.files.search("pkz204g"))[0]!.id, f.id);
  await s.files.update(f.id, { description: "ARJ archiver" });
  assert.deepEqual(await s.files.search("pkzip"), []);
  assert.equal((await s.files.search("arj", { areaId: area.id }))[0]!.id, f.id);
  await s.files.delete(f.id);
  assert.deepEqual(await s.files.search("arj"), []);
});

testCase(
  "any text is a valid query; a blank one is a validation error",
  async (s) => {
    const { a, post } = await board(s);
    await post(a.id, "Hello", "world");
    const hostile = [
      "hello OR world",
      "NEAR(hello world)",
      "hello*",
      '"unterminated',
      '""',
      "''",
      "hello -world",
      "!!! ??? ***",
      "a AND (b OR",
      "' OR 1=1 --",
      "%_%",
      "\\",
      "col:hello",
      "^hello",
      "héllo wörld",
      "x".repeat(1000),
      "a b c d e f g h i j k l m n o p q r s t u v w x y z",
    ];
    for (const q of hostile) {
      assert.ok(Array.isArray(await s.messages.search(q)), q);
      assert.ok(Array.isArray(await s.files.search(q)), q);
    }
    assert.equal(
      (await s.messages.search("hello OR world")).length,
      0,
      "OR is a word, ANDed",
    );
    assert.equal((await s.messages.search("hello world")).length, 1);
    for (const blank of ["", "   ", "\t\n"]) {
      await rejectsKind(s.messages.search(blank), "validation", "query");
      await rejectsKind(s.files.search(blank), "validation", "query");
    }
    await rejectsKind(
      s.messages.search("x".repeat(1001)),
      "validation",
      "query",
    );
    await rejectsKind(
      s.messages.search("hello", { areaId: 0 }),
      "validation",
      "options.areaId",
    );
  },
);
