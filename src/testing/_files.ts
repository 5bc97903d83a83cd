import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { seedAreas } from "./_fixtures.ts";
import { rejectsKind } from "./_assert.ts";

testCase(
  "files.add() stores the entry and counts it to the uploader",
  async (s) => {
    await seedAreas(s);
    const user = await s.users.create({
      username: "uploader",
      passwordHash: "h",
    });
    const file = await s.files.add({
      areaId: 3,
      filename: "DOOM19S.ZIP",
      description: "Doom shareware\n\x1b[1;31mred\x1b[0m",
      uploaderId: user.id,
      size: 2_390_000_000,
    });
    assert.equal(file.areaId, 3);
    assert.equal(file.filename, "DOOM19S.ZIP");
    assert.equal(file.description, "Doom shareware\n\x1b[1;31mred\x1b[0m");
    assert.equal(file.size, 2_390_000_000);
    assert.equal(file.uploaderId, user.id);
    assert.deepEqual(await s.files.get(file.id), file);
    const stats = (await s.users.get(user.id))!.stats;
    assert.equal(stats.uploads, 1);
    assert.equal(stats.uploadBytes, 2_390_000_000);
    const anonymous = await s.files.add({
      areaId: 3,
      filename: "anon.txt",
      size: 0,
    });
    assert.equal(anonymous.uploaderId, null);
    assert.equal(anonymous.description, "");
  },
);

testCase(
  "files.add() refuses a missing uploader and bad fields, writing nothing",
  async (s) => {
    await seedAreas(s);
    await rejectsKind(
      s.files.add({ areaId: 1, filename: "a.zip", size: 1, uploaderId: 777 }),
      "constraint",
      "uploaderId",
    );
    const bad: Array<[unknown, string]> = [
      [{ areaId: 1, filename: "", size: 1 }, "filename"],
      [{ areaId: 1, filename: "a/b", size: 1 }, "filename"],
      [{ areaId: 1, filename: "a\\b", size: 1 }, "filename"],
      [{ areaId: 1, filename: "..", size: 1 }, "filename"],
      [{ areaId: 1, filename: "a\nb", size: 1 }, "filename"],
      [{ areaId: 1, filename: "x".repeat(256), size: 1 }, "filename"],
      [{ areaId: 1, filename: "a", size: -1 }, "size"],
      [{ areaId: 1, filename: "a", size: 2 ** 53 }, "size"],
      [{ areaId: 1, filename: "a", size: 1.5 }, "size"],
      [{ areaId: 0, filename: "a", size: 1 }, "areaId"],
      [{ areaId: 1, filename: "a", size: 1, description: 5 }, "description"],
      [{ areaId: 1, filename: "a", size: 1, hash: "x" }, "hash"],
    ];
    for (const [input, field] of bad) {
      await rejectsKind(s.files.add(input as never), "validation", field);
    }
    assert.deepEqual(await s.files.list(1), []);
  },
);

testCase(
  "files.list() lists newest first and pages by file id",
  async (s) => {
    await seedAreas(s);
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) {
      ids.push(
        (await s.files.add({ areaId: 7, filename: `f${i}.zip`, size: i })).id,
      );
    }
    await s.files.add({ areaId: 8, filename: "other.zip", size: 1 });
    const all = await s.files.list(7, { limit: 1000 });
    assert.deepEqual(all.map((f) => f.id), [...ids].reverse());
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1]!, all[i]!];
      assert.ok(
        a.uploadedAt.getTime() > b.uploadedAt.getTime() ||
          (a.uploadedAt.getTime() === b.uploadedAt.getTime() && a.id > b.id),
      );
    }
    const pages: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await s.files.list(
        7,
        before === undefined ? { limit: 10 } : { limit: 10, before },
      );
      if (page.length === 0) break;
      assert.ok(page.length <= 10);
      pages.push(...page.map((f) => f.id));
      before = page.at(-1)!.id;
    }
    assert.deepEqual(pages, all.map((f) => f.id));
    assert.equal((await s.files.list(7)).length, 25);
    assert.deepEqual(await s.files.list(99), []);
    await rejectsKind(s.files.list(7, { before: 999_999 }), "not_found");
    await rejectsKind(
      s.files.list(7, { limit: 0 }),
      "validation",
      "options.limit",
    );
    await rejectsKind(
      s.files.list(7, { limit: 1001 }),
      "validation",
      "options.limit",
    );
    await rejectsKind(
      s.files.list(7, { after: 1 } as never),
      "validation",
      "options.after",
    );
  },
);

testCase("files.list() defaults to 100 entries", async (s) => {
  await seedAreas(s);
  await s.transaction(async (tx) => {
    for (let i = 0; i < 120; i++) {
      await tx.files.add({ areaId: 1, filename: `f${i}`, size: 1 });
    }
  });
  assert.equal((await s.files.list(1)).length, 100);
  assert.equal((await s.files.list(1, { limit: 1000 })).length, 120);
});

testCase("files.get() returns null for a missing file", async (s) => {
  await seedAreas(s);
  assert.equal(await s.files.get(5), null);
  await rejectsKind(s.files.get(-5), "validation", "id");
});
