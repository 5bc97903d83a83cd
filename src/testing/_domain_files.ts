import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

const HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

testCase(
  "filenames are unique per area, ASCII letters case-insensitively",
  async (s) => {
    const a = await s.fileAreas.create({ tag: "A", name: "A" });
    const b = await s.fileAreas.create({ tag: "B", name: "B" });
    await s.files.add({ areaId: a.id, filename: "DOOM.ZIP", size: 1 });
    await rejectsKind(
      s.files.add({ areaId: a.id, filename: "doom.zip", size: 1 }),
      "conflict",
      "filename",
    );
    assert.ok(
      await s.files.add({ areaId: b.id, filename: "doom.zip", size: 1 }),
    );
    const other = await s.files.add({
      areaId: a.id,
      filename: "quake.zip",
      size: 1,
    });
    await rejectsKind(
      s.files.update(other.id, { filename: "Doom.Zip" }),
      "conflict",
      "filename",
    );
    assert.equal(
      (await s.files.update(other.id, { filename: "QUAKE.ZIP" })).filename,
      "QUAKE.ZIP",
    );
  },
);

testCase(
  "files.findByHash() finds duplicates by SHA-256 in any area",
  async (s) => {
    const a = await s.fileAreas.create({ tag: "A", name: "A" });
    const b = await s.fileAreas.create({ tag: "B", name: "B" });
    const one = await s.files.add({
      areaId: a.id,
      filename: "x.zip",
      size: 4,
      sha256: HASH.toUpperCase(),
    });
    assert.equal(one.sha256, HASH);
    const two = await s.files.add({
      areaId: b.id,
      filename: "y.zip",
      size: 4,
      sha256: HASH,
    });
    await s.files.add({ areaId: b.id, filename: "z.zip", size: 4 });
    assert.deepEqual((await s.files.findByHash(HASH)).map((f) => f.id), [
      one.id,
      two.id,
    ]);
    assert.deepEqual(await s.files.findByHash("0".repeat(64)), []);
    await rejectsKind(s.files.findByHash("xyz"), "validation", "sha256");
    await rejectsKind(
      s.files.add({ areaId: a.id, filename: "w", size: 1, sha256: "abc" }),
      "validation",
      "sha256",
    );
  },
);

testCase(
  "files.recordDownload() counts the file's and the user's downloads atomically",
  async (s) => {
    const area = await s.fileAreas.create({ tag: "A", name: "A" });
    const user = await s.users.create({ username: "leech", passwordHash: "h" });
    const file = await s.files.add({
      areaId: area.id,
      filename: "big.zip",
      size: 1_000_000,
    });
    assert.equal(file.downloads, 0);
    await Promise.all(
      Array.from(
        { length: 20 },
        () => s.files.recordDownload(file.id, user.id),
      ),
    );
    assert.equal((await s.files.get(file.id))!.downloads, 20);
    const stats = (await s.users.get(user.id))!.stats;
    assert.equal(stats.downloads, 20);
    assert.equal(stats.downloadBytes, 20_000_000);
    await rejectsKind(s.files.recordDownload(999, user.id), "not_found");
    await rejectsKind(s.files.recordDownload(file.id, 999), "not_found");
    assert.equal(
      (await s.files.get(file.id))!.downloads,
      20,
      "a failed download counts nothing",
    );
  },
);

testCase(
  "files.listNew() lists files uploaded after a time across areas, newest first",
  async (s) => {
    const a = await s.fileAreas.create({ tag: "A", name: "A" });
    const b = await s.fileAreas.create({ tag: "B", name: "B" });
    const t = (iso: string) => new Date(iso);
    await s.files.add({
      areaId: a.id,
      filename: "old",
      size: 1,
      uploadedAt: t("1996-05-01T00:00:00Z"),
    });
    const n1 = await s.files.add({
      areaId: b.id,
      filename: "new1",
      size: 1,
      uploadedAt: t("2024-01-02T00:00:00Z"),
    });
    const n2 = await s.files.add({
      areaId: a.id,
      filename: "new2",
      size: 1,
      uploadedAt: t("2024-03-04T00:00:00Z"),
    });
    assert.deepEqual(
      (await s.files.listNew(t("2024-01-01T00:00:00Z"))).map((f) => f.id),
      [n2.id, n1.id],
    );
    assert.deepEqual(
      (await s.files.listNew(t("2024-01-01T00:00:00Z"), { limit: 1 })).map((
        f,
      ) => f.id),
      [n2.id],
    );
    assert.deepEqual(await s.files.listNew(t("2030-01-01T00:00:00Z")), []);
    await rejectsKind(
      s.files.listNew("yesterday" as never),
      "validation",
      "since",
    );
  },
);

testCase(
  "files.update() and files.delete() change and remove entries",
  async (s) => {
    const area = await s.fileAreas.create({ tag: "A", name: "A" });
    const file = await s.files.add({
      areaId: area.id,
      filename: "a.zip",
      description: "old",
      size: 1,
    });
    assert.equal(
      (await s.files.update(file.id, { description: "new", sha256: HASH }))
        .description,
      "new",
    );
    assert.equal(
      (await s.files.update(file.id, { sha256: null })).sha256,
      null,
    );
    await s.files.delete(file.id);
    assert.equal(await s.files.get(file.id), null);
    await rejectsKind(s.files.delete(file.id), "not_found");
    await rejectsKind(
      s.files.update(file.id, { description: "x" }),
      "not_found",
    );
    assert.ok(
      await s.files.add({ areaId: area.id, filename: "a.zip", size: 1 }),
      "the name is free again",
    );
  },
);
