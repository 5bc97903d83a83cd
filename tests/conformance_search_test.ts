import assert from "node:assert/strict";
import { conformance } from "./_targets.ts";
import { rejectsKind } from "./_assert.ts";
import type { StorageOps } from "../mod.ts";

async function board(s: StorageOps) {
  const a = await s.createMessageArea({ tag: "A", name: "A" });
  const b = await s.createMessageArea({ tag: "B", name: "B" });
  const user = await s.createUser({ username: "u", passwordHash: "h" });
  const post = (areaId: number, subject: string, body: string) =>
    s.postMessage({ areaId, fromUserId: user.id, subject, body });
  return { a, b, post };
}

conformance(
  "searchMessages() ANDs words, matches phrases, filters by area",
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
      (await s.searchMessages(q, areaId === undefined ? {} : { areaId })).map((
        m,
      ) => m.id).sort((x, y) => x - y);
    assert.deepEqual(await ids("doom"), [m1.id, m2.id, m3.id]);
    assert.deepEqual(await ids("DOOM quake"), [m2.id]);
    assert.deepEqual(await ids('"shareware version"'), [m1.id]);
    assert.deepEqual(await ids('"version shareware"'), []);
    assert.deepEqual(await ids("doom", b.id), [m3.id]);
    assert.deepEqual((await s.searchMessages("doom", { limit: 1 })).length, 1);
    // Subject matches weigh more than body matches: "shareware" is in m1's subject.
    assert.equal((await s.searchMessages("shareware"))[0]!.id, m1.id);
  },
);

conformance("search keeps up with edits and deletes", async (s) => {
  const { a, post } = await board(s);
  const m = await post(a.id, "Lost", "original words");
  assert.equal((await s.searchMessages("original")).length, 1);
  await s.updateMessage(m.id, { body: "replacement text" });
  assert.deepEqual(await s.searchMessages("original"), []);
  assert.equal((await s.searchMessages("replacement"))[0]!.id, m.id);
  await s.deleteMessage(m.id);
  assert.deepEqual(await s.searchMessages("replacement"), []);
  const area = await s.createFileArea({ tag: "F", name: "F" });
  const f = await s.addFile({
    areaId: area.id,
    filename: "PKZ204G.EXE",
    description: "PKZIP archiver",
    size: 1,
  });
  assert.equal((await s.searchFiles("pkzip"))[0]!.id, f.id);
  assert.equal((await s.searchFiles("pkz204g"))[0]!.id, f.id);
  await s.updateFile(f.id, { description: "ARJ archiver" });
  assert.deepEqual(await s.searchFiles("pkzip"), []);
  assert.equal((await s.searchFiles("arj", { areaId: area.id }))[0]!.id, f.id);
  await s.deleteFile(f.id);
  assert.deepEqual(await s.searchFiles("arj"), []);
});

conformance(
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
      assert.ok(Array.isArray(await s.searchMessages(q)), q);
      assert.ok(Array.isArray(await s.searchFiles(q)), q);
    }
    assert.equal(
      (await s.searchMessages("hello OR world")).length,
      0,
      "OR is a word, ANDed",
    );
    assert.equal((await s.searchMessages("hello world")).length, 1);
    for (const blank of ["", "   ", "\t\n"]) {
      await rejectsKind(s.searchMessages(blank), "validation", "query");
      await rejectsKind(s.searchFiles(blank), "validation", "query");
    }
    await rejectsKind(
      s.searchMessages("x".repeat(1001)),
      "validation",
      "query",
    );
    await rejectsKind(
      s.searchMessages("hello", { areaId: 0 }),
      "validation",
      "options.areaId",
    );
  },
);
