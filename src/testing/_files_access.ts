import assert from "node:assert/strict";
import type { FileEntry, Storage, StorageOps } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

const HASH = "c".repeat(64);
const DAY_AGO = () => new Date(Date.now() - 86_400_000);

const ids = (files: readonly FileEntry[]) => files.map((f) => f.id).sort();

/** What a viewer sees of `files`, each read checked against the files it may read. */
async function seesExactly(
  v: StorageOps,
  who: string,
  all: Record<string, FileEntry>,
  readable: readonly string[],
): Promise<void> {
  const expected = readable.map((name) => all[name]!.id).sort();
  for (const [name, file] of Object.entries(all)) {
    const mayRead = readable.includes(name);
    assert.deepEqual(
      await v.files.get(file.id),
      mayRead ? file : null,
      `${who}: files.get of the ${name} file`,
    );
    assert.deepEqual(
      ids(await v.files.list(file.areaId)),
      mayRead ? [file.id] : [],
      `${who}: files.list of the ${name} area`,
    );
    assert.deepEqual(
      ids(await v.files.search("archive", { areaId: file.areaId })),
      mayRead ? [file.id] : [],
      `${who}: files.search in the ${name} area`,
    );
  }
  assert.deepEqual(
    ids(await v.files.listNew(DAY_AGO())),
    expected,
    `${who}: files.listNew`,
  );
  assert.deepEqual(
    ids(await v.files.findByHash(HASH)),
    expected,
    `${who}: files.findByHash`,
  );
  assert.deepEqual(
    ids(await v.files.search("archive")),
    expected,
    `${who}: files.search`,
  );
}

testCase(
  "access: files of areas a user may not read are hidden through as() (get, list, listNew, findByHash, search); the area's sysop and qualified users see them",
  async (s) => {
    // `low` needs level 50; `flagged` needs flags C and D; `open` needs nothing.
    const areas = {
      low: await s.fileAreas.create({
        tag: "LOW",
        name: "Level 50",
        access: { readLevel: 50, sysopLevel: 200 },
      }),
      flagged: await s.fileAreas.create({
        tag: "FLAGGED",
        name: "Flags C and D",
        access: { readFlags: "DC", sysopLevel: 200 },
      }),
      open: await s.fileAreas.create({ tag: "OPEN", name: "Open" }),
    };
    const all: Record<string, FileEntry> = {};
    for (const [name, area] of Object.entries(areas)) {
      all[name] = await s.files.add({
        areaId: area.id,
        filename: `${name.toUpperCase()}.ZIP`,
        description: `the ${name} archive`,
        size: 10,
        sha256: HASH,
      });
    }
    const user = (username: string, securityLevel: number, flags: string) =>
      s.users.create({ username, passwordHash: "h", securityLevel, flags });
    // Below `low`'s level, with the flags `flagged` needs.
    const novice = await user("novice", 10, "CDE");
    // Of `low`'s level, lacking flag D.
    const partial = await user("partial", 100, "C");
    // No flags, but the sysop of every area.
    const sysop = await user("sysop", 200, "");
    // Of `low`'s level, with both flags.
    const qualified = await user("qualified", 50, "CD");

    await seesExactly(await s.as(novice.id), "novice", all, [
      "flagged",
      "open",
    ]);
    await seesExactly(await s.as(partial.id), "partial", all, ["low", "open"]);
    await seesExactly(await s.as(sysop.id), "sysop", all, [
      "low",
      "flagged",
      "open",
    ]);
    await seesExactly(await s.as(qualified.id), "qualified", all, [
      "low",
      "flagged",
      "open",
    ]);
    // The system's view sees every file.
    await seesExactly(s, "the system", all, ["low", "flagged", "open"]);

    // A file the viewer may not read is no cursor: its existence is not revealed.
    const v = await s.as(novice.id);
    await rejectsKind(
      v.files.list(areas.open.id, { before: all.low!.id }),
      "not_found",
    );
    // A readable cursor does not open an unreadable area.
    assert.deepEqual(
      ids(await s.files.list(areas.low.id, { before: all.open!.id })),
      [all.low!.id],
    );
    assert.deepEqual(
      await v.files.list(areas.low.id, { before: all.open!.id }),
      [],
    );
    // A readable one is, as for the system.
    assert.deepEqual(
      await v.files.list(areas.open.id, { before: all.flagged!.id }),
      await s.files.list(areas.open.id, { before: all.flagged!.id }),
    );

    // The viewer's row is read by every call: a raise counts from the next one.
    await s.users.update(novice.id, { securityLevel: 50 });
    await seesExactly(v, "novice raised", all, ["low", "flagged", "open"]);
    await s.users.update(novice.id, { securityLevel: 10 });

    // The same in a transaction, through tx.as().
    await s.transaction(async (tx) => {
      const t = await tx.as(novice.id);
      assert.equal(await t.files.get(all.low!.id), null);
      assert.deepEqual(await t.files.get(all.open!.id), all.open);
      assert.deepEqual(
        ids(await t.files.listNew(DAY_AGO())),
        [all.flagged!.id, all.open!.id].sort(),
      );
    });
  },
);

/** `count` files in `areaId`, uploaded `at`, one second apart, each described by `text`. */
async function upload(
  s: Storage,
  areaId: number,
  prefix: string,
  count: number,
  at: number,
  text: string,
): Promise<FileEntry[]> {
  const files: FileEntry[] = [];
  for (let i = 0; i < count; i++) {
    files.push(
      await s.files.add({
        areaId,
        filename: `${prefix}${i}.ZIP`,
        description: text,
        size: 1,
        uploadedAt: new Date(at + i * 1000),
      }),
    );
  }
  return files;
}

testCase(
  "access: files through as() fill a limit with readable files when unreadable ones come first (listNew, search)",
  async (s) => {
    const N = 4;
    const open = await s.fileAreas.create({ tag: "OPEN", name: "Open" });
    const closed = await s.fileAreas.create({
      tag: "CLOSED",
      name: "Closed",
      access: { readLevel: 100 },
    });
    const user = await s.users.create({
      username: "caller",
      passwordHash: "h",
      securityLevel: 10,
    });
    const hour = Date.now() - 3_600_000;
    // Readable files first (older, lower ids, the term once), then twice as many unreadable
    // ones (newer, higher ids, the term three times): unreadable files lead every order.
    const readable = await upload(s, open.id, "R", N, hour, "archive");
    const unreadable = await upload(
      s,
      closed.id,
      "U",
      2 * N,
      hour + 600_000,
      "archive archive archive",
    );
    const newest = (files: FileEntry[]) =>
      files.map((f) => f.id).reverse().slice(0, N);

    // The system's view: the unreadable files come first.
    assert.deepEqual(
      (await s.files.listNew(DAY_AGO(), { limit: N })).map((f) => f.id),
      newest(unreadable),
    );
    assert.deepEqual(
      ids(await s.files.search("archive", { limit: N })),
      [...newest(unreadable)].sort(),
    );

    const v = await s.as(user.id);
    assert.deepEqual(
      (await v.files.listNew(DAY_AGO(), { limit: N })).map((f) => f.id),
      newest(readable),
      "listNew fills its limit with readable files",
    );
    assert.deepEqual(
      ids(await v.files.search("archive", { limit: N })),
      ids(readable),
      "search fills its limit with readable files",
    );
    assert.deepEqual(
      ids(await v.files.list(open.id, { limit: N })),
      ids(readable),
    );
    assert.deepEqual(await v.files.list(closed.id, { limit: N }), []);
    assert.deepEqual(
      await v.files.search("archive", { areaId: closed.id, limit: N }),
      [],
    );
  },
);
