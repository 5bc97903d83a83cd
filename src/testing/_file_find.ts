/**
 * Conformance cases of `files.find` (issue 13, item 4): DOS wildcards over every area,
 * case-insensitive on ASCII, with `%`, `_` and `\` literal; the other conditions; name order and
 * keyset pages; unavailable files left out; through `as()`, only readable areas.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { FileEntry, Repositories } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import { member } from "./_access.ts";

const names = (files: readonly FileEntry[]) => files.map((f) => f.filename);

/** Two areas of files with names that wildcards tell apart. */
async function board(s: Repositories) {
  const games = await s.fileAreas.create({ tag: "GAMES", name: "Games" });
  const utils = await s.fileAreas.create({ tag: "UTILS", name: "Utils" });
  const add = (areaId: number, filename: string, size = 10, minute = 0) =>
    s.files.add({
      areaId,
      filename,
      size,
      uploadedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
    });
  await add(games.id, "GAME1.ZIP", 100, 1);
  await add(games.id, "game2.zip", 200, 2);
  await add(games.id, "Game10.Zip", 300, 3);
  await add(games.id, "GAMES.TXT", 5, 4);
  await add(games.id, "DOOM.ZIP", 2_400_000, 5);
  await add(utils.id, "gamex.zip", 50, 6);
  await add(utils.id, "PKZ204G.EXE", 200_000, 7);
  await add(utils.id, "100%_OK.ZIP", 1, 8);
  await add(utils.id, "10_OK.ZIP", 1, 9);
  await add(utils.id, "ÉTÉ.ZIP", 1, 10);
  return { games, utils };
}

testCase(
  "files.find: DOS wildcards match whole names, ASCII letters case-insensitively, in name order",
  async (s) => {
    await board(s);
    const find = async (pattern: string) =>
      names(await s.files.find({ pattern }));
    assert.deepEqual(await find("game*.zip"), [
      "GAME1.ZIP",
      "Game10.Zip",
      "game2.zip",
      "gamex.zip",
    ]);
    assert.deepEqual(await find("GAME?.ZIP"), [
      "GAME1.ZIP",
      "game2.zip",
      "gamex.zip",
    ], "? is exactly one character");
    assert.deepEqual(await find("game?"), [], "the whole name must match");
    assert.deepEqual(await find("games.txt"), ["GAMES.TXT"]);
    assert.deepEqual(await find("*.EXE"), ["PKZ204G.EXE"]);
    assert.deepEqual(await find("*o*.zip"), [
      "100%_OK.ZIP",
      "10_OK.ZIP",
      "DOOM.ZIP",
    ]);
    assert.deepEqual(await find("*"), [
      "100%_OK.ZIP",
      "10_OK.ZIP",
      "DOOM.ZIP",
      "GAME1.ZIP",
      "Game10.Zip",
      "game2.zip",
      "GAMES.TXT",
      "gamex.zip",
      "PKZ204G.EXE",
      "ÉTÉ.ZIP",
    ], "by name key, the code points of the ASCII-folded names, then id");
    assert.deepEqual(await find("ÉTÉ.zip"), ["ÉTÉ.ZIP"]);
    assert.deepEqual(
      await find("été.zip"),
      [],
      "only ASCII letters fold, as file names compare",
    );
    assert.deepEqual(await find("?T?.ZIP"), ["ÉTÉ.ZIP"], "? is one character");
    assert.deepEqual(await find("nothing*"), []);
  },
);

testCase(
  "files.find: %, _ and \\ in a pattern are literal characters",
  async (s) => {
    await board(s);
    const find = async (pattern: string) =>
      names(await s.files.find({ pattern }));
    assert.deepEqual(await find("100%_ok.zip"), ["100%_OK.ZIP"]);
    assert.deepEqual(await find("10%"), [], "% is no wildcard");
    assert.deepEqual(await find("10_ok.zip"), ["10_OK.ZIP"]);
    assert.deepEqual(await find("1__ok.zip"), [], "_ is no wildcard");
    assert.deepEqual(await find("10?ok.zip"), ["10_OK.ZIP"]);
    // After a wildcard too, where no prefix range narrows the search.
    assert.deepEqual(await find("*%*"), ["100%_OK.ZIP"]);
    assert.deepEqual(await find("*_*"), ["100%_OK.ZIP", "10_OK.ZIP"]);
    assert.deepEqual(await find("*0\\%*"), []);
    assert.deepEqual(await find("*\\*"), [], "\\ escapes nothing");
    assert.deepEqual(await find("100\\%_ok.zip"), []);
  },
);

testCase(
  "files.find: uploader, sizes, upload times and areas narrow the search",
  async (s) => {
    const { games, utils } = await board(s);
    const alice = await member(s, "alice");
    await s.files.add({
      areaId: utils.id,
      filename: "GAMEALICE.ZIP",
      size: 70,
      uploaderId: alice.id,
      uploadedAt: new Date(Date.UTC(2026, 0, 1, 0, 30)),
    });
    const find = async (o: Parameters<Repositories["files"]["find"]>[0]) =>
      names(await s.files.find(o));
    assert.deepEqual(await find({ pattern: "game*", uploaderId: alice.id }), [
      "GAMEALICE.ZIP",
    ]);
    assert.deepEqual(await find({ pattern: "game*", minSize: 100 }), [
      "GAME1.ZIP",
      "Game10.Zip",
      "game2.zip",
    ]);
    assert.deepEqual(
      await find({ pattern: "game*", minSize: 50, maxSize: 100 }),
      ["GAME1.ZIP", "GAMEALICE.ZIP", "gamex.zip"],
      "both bounds inclusive",
    );
    const minute = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
    assert.deepEqual(
      await find({ pattern: "game*", since: minute(2), until: minute(6) }),
      ["Game10.Zip", "game2.zip", "GAMES.TXT"],
      "since inclusive, until exclusive",
    );
    assert.deepEqual(
      await find({ pattern: "game*.zip", areaIds: [utils.id] }),
      ["GAMEALICE.ZIP", "gamex.zip"],
    );
    assert.deepEqual(
      await find({ areaIds: [games.id, games.id], maxSize: 100 }),
      ["GAME1.ZIP", "GAMES.TXT"],
      "without a pattern, every name",
    );
    assert.deepEqual(await find({ areaIds: [utils.id + 100] }), []);
    assert.deepEqual(await find({ uploaderId: alice.id + 100 }), []);
  },
);

testCase(
  "files.find: keyset pages by name then id, the cursor bound to its search",
  async (s) => {
    const { games, utils } = await board(s);
    // The same name in two areas: the id breaks the tie.
    await s.files.add({ areaId: utils.id, filename: "GAME1.ZIP", size: 1 });
    const all = names(await s.files.find({ pattern: "game*" }));
    assert.deepEqual(all, [
      "GAME1.ZIP",
      "GAME1.ZIP",
      "Game10.Zip",
      "game2.zip",
      "GAMES.TXT",
      "gamex.zip",
    ]);
    const seen: FileEntry[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await s.files.findPage({
        pattern: "game*",
        limit: 2,
        after,
      });
      seen.push(...page.files);
      if (page.next === null) break;
      after = page.next;
    }
    assert.deepEqual(names(seen), all);
    assert.equal(new Set(seen.map((f) => f.id)).size, all.length);
    assert.deepEqual(
      seen.slice(0, 2).map((f) => f.areaId),
      [games.id, utils.id],
    );
    const first = await s.files.findPage({ pattern: "game*", limit: 2 });
    assert.deepEqual(
      names(
        await s.files.find({ pattern: "game*", limit: 2, after: first.next! }),
      ),
      ["Game10.Zip", "game2.zip"],
    );
    await rejectsKind(
      s.files.find({ pattern: "doom*", after: first.next! }),
      "validation",
      "options.after",
    );
    await rejectsKind(
      s.files.find({ pattern: "game*", after: first.next!.replace(/.$/, "x") }),
      "validation",
      "options.after",
    );
    await rejectsKind(
      s.files.find({ pattern: "game*", after: "nonsense" }),
      "validation",
      "options.after",
    );
    assert.equal(
      (await s.files.findPage({ pattern: "game*", limit: 6 })).next,
      null,
    );
  },
);

testCase(
  "files.find: offline and not-clean files only with includeUnavailable",
  async (s) => {
    const area = await s.fileAreas.create({ tag: "F", name: "F" });
    const add = (filename: string) =>
      s.files.add({ areaId: area.id, filename, size: 1 });
    await add("GAME1.ZIP");
    await s.files.update((await add("GAME2.ZIP")).id, { offline: true });
    for (
      const [n, scanStatus] of [[3, "pending"], [4, "infected"], [
        5,
        "failed",
      ]] as const
    ) {
      await s.files.update((await add(`GAME${n}.ZIP`)).id, { scanStatus });
    }
    assert.deepEqual(names(await s.files.find({ pattern: "game*" })), [
      "GAME1.ZIP",
    ]);
    assert.deepEqual(
      names(await s.files.find({ pattern: "game*", includeUnavailable: true })),
      ["GAME1.ZIP", "GAME2.ZIP", "GAME3.ZIP", "GAME4.ZIP", "GAME5.ZIP"],
    );
    assert.deepEqual(
      names(await s.files.find({ includeUnavailable: true })),
      ["GAME1.ZIP", "GAME2.ZIP", "GAME3.ZIP", "GAME4.ZIP", "GAME5.ZIP"],
      "no condition at all: every file",
    );
  },
);

testCase(
  "files.find: bad input is a validation error naming the field",
  async (s) => {
    await rejectsKind(
      s.files.find({ pattern: "" }),
      "validation",
      "options.pattern",
    );
    await rejectsKind(
      s.files.find({ pattern: "a\nb" }),
      "validation",
      "options.pattern",
    );
    await rejectsKind(
      s.files.find({ pattern: "x".repeat(256) }),
      "validation",
      "options.pattern",
    );
    await rejectsKind(
      s.files.find({ minSize: -1 }),
      "validation",
      "options.minSize",
    );
    await rejectsKind(
      s.files.find({ areaIds: [] }),
      "validation",
      "options.areaIds",
    );
    await rejectsKind(
      s.files.find({ areaIds: [0] }),
      "validation",
      "options.areaIds.0",
    );
    await rejectsKind(
      s.files.find({ since: new Date(NaN) }),
      "validation",
      "options.since",
    );
    await rejectsKind(
      s.files.find({ limit: 0 }),
      "validation",
      "options.limit",
    );
    await rejectsKind(
      s.files.find({ bogus: 1 } as never),
      "validation",
      "options.bogus",
    );
  },
);

testCase(
  "files.find: through as(), only files of areas the viewer may read",
  async (s) => {
    const open = await s.fileAreas.create({ tag: "OPEN", name: "Open" });
    const closed = await s.fileAreas.create({
      tag: "CLOSED",
      name: "Closed",
      access: { readLevel: 100 },
    });
    await s.files.add({ areaId: open.id, filename: "GAME1.ZIP", size: 1 });
    await s.files.add({ areaId: closed.id, filename: "GAME2.ZIP", size: 1 });
    await s.files.add({ areaId: open.id, filename: "GAME3.ZIP", size: 1 });
    const low = await s.as((await member(s, "low", 10)).id);
    const high = await s.as((await member(s, "high", 100)).id);
    assert.deepEqual(names(await low.files.find({ pattern: "game*" })), [
      "GAME1.ZIP",
      "GAME3.ZIP",
    ]);
    assert.deepEqual(names(await high.files.find({ pattern: "game*" })), [
      "GAME1.ZIP",
      "GAME2.ZIP",
      "GAME3.ZIP",
    ]);
    assert.deepEqual(await low.files.find({ areaIds: [closed.id] }), []);
    assert.deepEqual(
      await low.files.find({ pattern: "GAME2.ZIP", includeUnavailable: true }),
      [],
    );
    const first = await low.files.findPage({ pattern: "game*", limit: 1 });
    assert.deepEqual(
      names(await low.files.find({ pattern: "game*", after: first.next! })),
      ["GAME3.ZIP"],
      "the page after skips the closed area's file",
    );
    assert.deepEqual(await low.files.findPage({ areaIds: [closed.id] }), {
      files: [],
      next: null,
    });
  },
);

testCase(
  "files.find: a name key made unique by migration 0006 (key, U+001F, id) matches as its name",
  async (s) => {
    const area = await s.fileAreas.create({ tag: "F", name: "F" });
    const file = await s.files.add({
      areaId: area.id,
      filename: "GAME.ZIP",
      size: 1,
    });
    await s.files.add({ areaId: area.id, filename: "GAME.ZIP5", size: 1 });
    // What 0006 left for the second of two names that were the same in an area.
    await s.sql("UPDATE files SET filename_key = ? WHERE id = ?", [
      `game.zip\u001f${file.id}`,
      file.id,
    ]);
    const find = async (pattern: string) =>
      (await s.files.find({ pattern })).map((f) => f.filename);
    assert.deepEqual(await find("game.zip"), ["GAME.ZIP"]);
    assert.deepEqual(await find("*.zip"), ["GAME.ZIP"]);
    assert.deepEqual(
      await find("*5"),
      ["GAME.ZIP5"],
      "the id is no part of the name",
    );
    assert.deepEqual(await find("game.zip?"), ["GAME.ZIP5"]);
  },
);
