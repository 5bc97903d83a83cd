/**
 * Conformance cases of file depth (issue 13, item 4): a file's DIZ text, storage path, offline
 * flag and scan status; lists ordered by upload time, name, size or downloads with keyset pages;
 * counts.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { FileEntry, Repositories } from "../../mod.ts";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";
import { member } from "./_access.ts";

const names = (files: readonly FileEntry[]) => files.map((f) => f.filename);

/** An area of files: name, size, downloads and upload minute each. */
async function board(s: Repositories) {
  const area = await s.fileAreas.create({ tag: "FILES", name: "Files" });
  const other = await s.fileAreas.create({ tag: "OTHER", name: "Other" });
  const user = await member(s, "downloader");
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
  const spec: Array<[string, number, number, number]> = [
    ["b.zip", 300, 2, 1],
    ["A.zip", 100, 0, 2],
    ["c.zip", 300, 5, 3],
    ["d.zip", 200, 2, 3],
    ["e.zip", 50, 9, 5],
  ];
  const files: Record<string, FileEntry> = {};
  for (const [filename, size, downloads, minute] of spec) {
    const file = await s.files.add({
      areaId: area.id,
      filename,
      size,
      uploadedAt: at(minute),
    });
    for (let i = 0; i < downloads; i++) {
      await s.files.recordDownload(file.id, user.id);
    }
    files[filename] = (await s.files.get(file.id))!;
  }
  await s.files.add({ areaId: other.id, filename: "x.zip", size: 1 });
  return { area, other, user, files };
}

testCase(
  "file depth: files keep their DIZ text, storage path, offline flag and scan status",
  async (s) => {
    const area = await s.fileAreas.create({ tag: "FILES", name: "Files" });
    const plain = await s.files.add({
      areaId: area.id,
      filename: "a",
      size: 1,
    });
    assert.equal(plain.diz, "");
    assert.equal(plain.storagePath, "");
    assert.equal(plain.offline, false);
    assert.equal(plain.scanStatus, "clean", "a new file is clean unless given");
    const diz = "Doom v1.9 shareware\r\n\x1b[1mid Software\x1b[0m ░▒▓ 😀";
    const full = await s.files.add({
      areaId: area.id,
      filename: "DOOM19S.ZIP",
      size: 2,
      diz,
      storagePath: "/srv/bbs/files/doom19s.zip",
      offline: true,
      scanStatus: "pending",
    });
    assert.deepEqual(
      [full.diz, full.storagePath, full.offline, full.scanStatus],
      [diz, "/srv/bbs/files/doom19s.zip", true, "pending"],
    );
    assert.deepEqual(await s.files.get(full.id), full);
    for (const scanStatus of ["infected", "failed", "clean"] as const) {
      const changed = await s.files.update(full.id, { scanStatus });
      assert.equal(changed.scanStatus, scanStatus);
    }
    const back = await s.files.update(full.id, {
      offline: false,
      diz: "",
      storagePath: "/elsewhere",
    });
    assert.deepEqual(
      [back.diz, back.storagePath, back.offline, back.scanStatus],
      ["", "/elsewhere", false, "clean"],
    );
    assert.deepEqual(await s.files.get(full.id), back);
  },
);

testCase(
  "file depth: bad DIZ text, storage paths, offline flags and scan statuses are refused, writing nothing",
  async (s) => {
    const area = await s.fileAreas.create({ tag: "FILES", name: "Files" });
    const file = await s.files.add({ areaId: area.id, filename: "a", size: 1 });
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ diz: 5 }, "diz"],
      [{ diz: "x".repeat(65_537) }, "diz"],
      [{ storagePath: "a\nb" }, "storagePath"],
      [{ storagePath: "x".repeat(1025) }, "storagePath"],
      [{ offline: 1 }, "offline"],
      [{ offline: "yes" }, "offline"],
      [{ scanStatus: "unknown" }, "scanStatus"],
      [{ scanStatus: "CLEAN" }, "scanStatus"],
      [{ scanStatus: null }, "scanStatus"],
    ];
    for (const [fields, field] of bad) {
      await rejectsKind(
        s.files.add({
          areaId: area.id,
          filename: "b",
          size: 1,
          ...fields,
        } as never),
        "validation",
        field,
      );
      await rejectsKind(
        s.files.update(file.id, fields as never),
        "validation",
        field,
      );
    }
    assert.deepEqual(names(await s.files.list(area.id)), ["a"]);
    assert.deepEqual(await s.files.get(file.id), file);
  },
);

testCase(
  "file depth: files.list and files.count leave out offline and unscanned files unless asked",
  async (s) => {
    const area = await s.fileAreas.create({ tag: "FILES", name: "Files" });
    const add = (filename: string, more: Record<string, unknown> = {}) =>
      s.files.add({ areaId: area.id, filename, size: 1, ...more });
    await add("clean");
    await add("offline", { offline: true });
    for (const scanStatus of ["pending", "infected", "failed"] as const) {
      await add(scanStatus, { scanStatus });
    }
    const shown = async (options = {}) =>
      names(await s.files.list(area.id, options)).sort();
    assert.deepEqual(await shown(), ["clean"]);
    for (
      const orderBy of ["uploadedAt", "name", "size", "downloads"] as const
    ) {
      assert.deepEqual(await shown({ orderBy }), ["clean"], orderBy);
      assert.deepEqual(
        await shown({ orderBy, descending: false }),
        ["clean"],
        orderBy,
      );
    }
    const every = ["clean", "failed", "infected", "offline", "pending"];
    assert.deepEqual(await shown({ includeUnavailable: true }), every);
    assert.deepEqual(
      await shown({ orderBy: "downloads", includeUnavailable: true }),
      every,
    );
    assert.equal(await s.files.count(area.id), 1);
    assert.equal(await s.files.count(area.id, { includeUnavailable: true }), 5);
    // A file comes and goes from the list with its status.
    const pending = (await s.files.list(area.id, { includeUnavailable: true }))
      .find((f) => f.filename === "pending")!;
    await s.files.update(pending.id, { scanStatus: "clean" });
    assert.deepEqual(await shown(), ["clean", "pending"]);
    assert.equal(await s.files.count(area.id), 2);
    await s.files.update(pending.id, { offline: true });
    assert.deepEqual(await shown(), ["clean"]);
    assert.equal(await s.files.count(area.id), 1);
    await rejectsKind(
      s.files.list(area.id, { includeUnavailable: "yes" } as never),
      "validation",
      "options.includeUnavailable",
    );
    await rejectsKind(
      s.files.count(area.id, { includeUnavailable: 1 } as never),
      "validation",
      "filter.includeUnavailable",
    );
    await rejectsKind(s.files.count(0), "validation", "areaId");
    assert.equal(await s.files.count(area.id + 100), 0);
  },
);

testCase(
  "file depth: files.list orders by upload time, name, size or downloads, either way, ties by id",
  async (s) => {
    const { area } = await board(s);
    const order = async (options: Record<string, unknown>) =>
      names(await s.files.list(area.id, options));
    // The default: newest first, as before (c and d share a minute: the later id first).
    assert.deepEqual(await order({}), [
      "e.zip",
      "d.zip",
      "c.zip",
      "A.zip",
      "b.zip",
    ]);
    assert.deepEqual(
      await order({ orderBy: "uploadedAt" }),
      ["e.zip", "d.zip", "c.zip", "A.zip", "b.zip"],
    );
    assert.deepEqual(
      await order({ orderBy: "uploadedAt", descending: false }),
      ["b.zip", "A.zip", "c.zip", "d.zip", "e.zip"],
    );
    // Names A to Z by default, letters compared case-insensitively.
    assert.deepEqual(
      await order({ orderBy: "name" }),
      ["A.zip", "b.zip", "c.zip", "d.zip", "e.zip"],
    );
    assert.deepEqual(
      await order({ orderBy: "name", descending: true }),
      ["e.zip", "d.zip", "c.zip", "b.zip", "A.zip"],
    );
    // Largest first by default; b and c are both 300 bytes: the later id first.
    assert.deepEqual(
      await order({ orderBy: "size" }),
      ["c.zip", "b.zip", "d.zip", "A.zip", "e.zip"],
    );
    assert.deepEqual(
      await order({ orderBy: "size", descending: false }),
      ["e.zip", "A.zip", "d.zip", "b.zip", "c.zip"],
    );
    // Most downloaded first; b and d were downloaded twice each.
    assert.deepEqual(
      await order({ orderBy: "downloads" }),
      ["e.zip", "c.zip", "d.zip", "b.zip", "A.zip"],
    );
    assert.deepEqual(
      await order({ orderBy: "downloads", descending: false }),
      ["A.zip", "b.zip", "d.zip", "c.zip", "e.zip"],
    );
    await rejectsKind(
      s.files.list(area.id, { orderBy: "popularity" } as never),
      "validation",
      "options.orderBy",
    );
    await rejectsKind(
      s.files.list(area.id, { descending: "yes" } as never),
      "validation",
      "options.descending",
    );
  },
);

testCase(
  "file depth: files.page walks every order in pages by its cursor, both ways",
  async (s) => {
    const { area } = await board(s);
    for (
      const orderBy of ["uploadedAt", "name", "size", "downloads"] as const
    ) {
      for (const descending of [false, true]) {
        const whole = names(
          await s.files.list(area.id, { orderBy, descending }),
        );
        for (const limit of [1, 2, 3, 5]) {
          const walked: string[] = [];
          let after: string | undefined;
          let pages = 0;
          do {
            const page = await s.files.page(area.id, {
              orderBy,
              descending,
              limit,
              ...(after === undefined ? {} : { after }),
            });
            assert.ok(page.files.length <= limit);
            // files.list takes the same cursor and gives the same page.
            assert.deepEqual(
              await s.files.list(area.id, {
                orderBy,
                descending,
                limit,
                ...(after === undefined ? {} : { after }),
              }),
              page.files,
            );
            walked.push(...names(page.files));
            after = page.next ?? undefined;
            pages++;
            assert.ok(pages <= 5, `${orderBy} ${descending} ${limit}: no end`);
          } while (after !== undefined);
          assert.deepEqual(walked, whole, `${orderBy} ${descending} ${limit}`);
          assert.equal(pages, Math.ceil(5 / limit), "no empty last page");
        }
        // Listed the other way, a cursor gives the files before it, nearest first.
        const first = await s.files.page(area.id, {
          orderBy,
          descending,
          limit: 3,
        });
        const back = await s.files.list(area.id, {
          orderBy,
          descending: !descending,
          after: first.next!,
        });
        assert.deepEqual(
          names(back),
          whole.slice(0, 2).reverse(),
          `${orderBy} ${descending} back`,
        );
      }
    }
  },
);

testCase(
  "file depth: a cursor of another order, area or making is refused, naming options.after",
  async (s) => {
    const { area, other } = await board(s);
    const page = await s.files.page(area.id, { orderBy: "size", limit: 2 });
    assert.ok(page.next);
    const refused = async (
      areaId: number,
      options: Record<string, unknown>,
    ) => {
      const error = await rejectsKind(
        s.files.list(areaId, options),
        "validation",
        "options.after",
      );
      return error.message;
    };
    assert.match(
      await refused(area.id, { orderBy: "downloads", after: page.next }),
      /by size/,
    );
    assert.match(await refused(area.id, { after: page.next }), /by size/);
    assert.match(
      await refused(other.id, { orderBy: "size", after: page.next }),
      new RegExp(`area ${area.id}`),
    );
    const [payload, check] = page.next.split(".");
    const altered = `${payload!.slice(0, -2)}${
      payload!.endsWith("A") ? "B" : "A"
    }${payload!.slice(-1)}.${check}`;
    for (
      const after of [
        altered,
        `${payload}.${check}x`,
        `${payload}`,
        "",
        "x.y.z",
        btoa("[1]"),
        5,
      ]
    ) {
      await rejectsKind(
        s.files.list(area.id, { orderBy: "size", after } as never),
        "validation",
        "options.after",
      );
    }
    // The old `before` paging keeps working in the default order, and only there.
    const newest = await s.files.list(area.id, { limit: 2 });
    assert.deepEqual(
      names(await s.files.list(area.id, { before: newest[1]!.id })),
      ["c.zip", "A.zip", "b.zip"],
    );
    await rejectsKind(
      s.files.list(area.id, { before: newest[1]!.id, orderBy: "size" }),
      "validation",
      "options.orderBy",
    );
    await rejectsKind(
      s.files.list(area.id, { before: newest[1]!.id, descending: false }),
      "validation",
      "options.descending",
    );
    await rejectsKind(
      s.files.list(area.id, { before: newest[1]!.id, after: page.next }),
      "validation",
      "options.after",
    );
  },
);

testCase(
  "file depth: through as(), lists, pages and counts hold only files the viewer may read",
  async (s) => {
    const open = await s.fileAreas.create({ tag: "OPEN", name: "Open" });
    const closed = await s.fileAreas.create({
      tag: "CLOSED",
      name: "Closed",
      access: { readLevel: 100 },
    });
    await s.files.add({ areaId: open.id, filename: "a", size: 1 });
    await s.files.add({ areaId: open.id, filename: "b", size: 2 });
    await s.files.add({ areaId: closed.id, filename: "c", size: 3 });
    const low = await member(s, "low", 10);
    const high = await member(s, "high", 100);
    const lowView = await s.as(low.id);
    const highView = await s.as(high.id);
    for (
      const orderBy of ["uploadedAt", "name", "size", "downloads"] as const
    ) {
      assert.deepEqual(await lowView.files.list(closed.id, { orderBy }), []);
      assert.deepEqual(
        (await lowView.files.page(closed.id, { orderBy })).files,
        [],
      );
      assert.deepEqual(
        names(await highView.files.list(closed.id, { orderBy })),
        ["c"],
      );
      const first = await lowView.files.page(open.id, { orderBy, limit: 1 });
      const rest = await lowView.files.list(open.id, {
        orderBy,
        after: first.next!,
      });
      assert.equal(first.files.length + rest.length, 2);
    }
    assert.equal(await lowView.files.count(closed.id), 0);
    assert.equal(
      await lowView.files.count(closed.id, { includeUnavailable: true }),
      0,
    );
    assert.equal(await highView.files.count(closed.id), 1);
    assert.equal(await lowView.files.count(open.id), 2);
  },
);

testCase(
  "file depth: through as(), an uploader may not change a file's storage path, offline flag or scan status",
  async (s) => {
    const area = await s.fileAreas.create({
      tag: "UP",
      name: "Uploads",
      access: { sysopLevel: 200 },
    });
    const uploader = await member(s, "uploader", 10);
    const sysop = await member(s, "areasysop", 200);
    const mine = await s.as(uploader.id);
    const file = await mine.files.add({
      areaId: area.id,
      filename: "up.zip",
      size: 1,
      uploaderId: uploader.id,
      scanStatus: "pending",
    });
    for (
      const patch of [
        { scanStatus: "clean" },
        { offline: false },
        { storagePath: "/etc/passwd" },
        { diz: "fine", scanStatus: "clean" },
      ] as const
    ) {
      const error = await rejectsKind(
        mine.files.update(file.id, patch),
        "forbidden",
      );
      assert.match(error.message, /UP/);
    }
    assert.deepEqual(await s.files.get(file.id), file);
    const edited = await mine.files.update(file.id, { diz: "My upload" });
    assert.equal(edited.diz, "My upload");
    const cleared = await (await s.as(sysop.id)).files.update(file.id, {
      scanStatus: "clean",
      storagePath: "/srv/up.zip",
    });
    assert.equal(cleared.scanStatus, "clean");
    assert.deepEqual(names(await mine.files.list(area.id)), ["up.zip"]);
  },
);

testCase(
  "file depth: fileAreas.stats counts every area's files and bytes, through as() only areas the viewer may read",
  async (s) => {
    const a = await s.fileAreas.create({ tag: "A", name: "A", position: 2 });
    const b = await s.fileAreas.create({ tag: "B", name: "B", position: 1 });
    const empty = await s.fileAreas.create({
      tag: "E",
      name: "E",
      position: 3,
    });
    const closed = await s.fileAreas.create({
      tag: "C",
      name: "C",
      position: 4,
      access: { readLevel: 100 },
    });
    await s.files.add({ areaId: a.id, filename: "1", size: 2 ** 40 });
    await s.files.add({ areaId: a.id, filename: "2", size: 5, offline: true });
    await s.files.add({ areaId: b.id, filename: "3", size: 0 });
    await s.files.add({ areaId: closed.id, filename: "4", size: 7 });
    const gone = await s.files.add({ areaId: b.id, filename: "5", size: 9 });
    await s.files.delete(gone.id);
    assert.deepEqual(await s.fileAreas.stats(), [
      { areaId: b.id, files: 1, bytes: 0 },
      { areaId: a.id, files: 2, bytes: 2 ** 40 + 5 },
      { areaId: empty.id, files: 0, bytes: 0 },
      { areaId: closed.id, files: 1, bytes: 7 },
    ]);
    const low = await s.as((await member(s, "low", 10)).id);
    assert.deepEqual(
      (await low.fileAreas.stats()).map((r) => r.areaId),
      [b.id, a.id, empty.id],
    );
    const high = await s.as((await member(s, "high", 100)).id);
    assert.deepEqual(await high.fileAreas.stats(), await s.fileAreas.stats());
  },
);

testCase(
  "file depth: files.move moves a file between areas; a taken name is a conflict naming toAreaId, writing nothing",
  async (s) => {
    const { area, other, files } = await board(s);
    const moved = await s.files.move(files["c.zip"]!.id, other.id);
    assert.deepEqual(moved, { ...files["c.zip"]!, areaId: other.id });
    assert.deepEqual(await s.files.get(moved.id), moved);
    assert.deepEqual(
      names(await s.files.list(other.id, { orderBy: "name" })),
      ["c.zip", "x.zip"],
    );
    assert.equal(await s.files.count(area.id), 4);
    // Into its own area: nothing changes.
    assert.deepEqual(await s.files.move(moved.id, other.id), moved);
    const twin = await s.files.add({
      areaId: area.id,
      filename: "X.ZIP",
      size: 1,
    });
    const error = await rejectsKind(
      s.files.move(twin.id, other.id),
      "conflict",
      "toAreaId",
    );
    assert.match(error.message, /X\.ZIP|taken/);
    assert.deepEqual(await s.files.get(twin.id), twin);
    await rejectsKind(s.files.move(twin.id, other.id + 100), "not_found");
    await rejectsKind(s.files.move(twin.id + 100, other.id), "not_found");
    await rejectsKind(s.files.move(0, other.id), "validation", "id");
    await rejectsKind(s.files.move(twin.id, 1.5), "validation", "toAreaId");
    assert.deepEqual(await s.files.get(twin.id), twin);
  },
);

testCase(
  "file depth: through as(), files.move needs the sysop of both areas",
  async (s) => {
    const from = await s.fileAreas.create({
      tag: "FROM",
      name: "From",
      access: { sysopLevel: 100 },
    });
    const to = await s.fileAreas.create({
      tag: "TO",
      name: "To",
      access: { sysopLevel: 200 },
    });
    const file = await s.files.add({ areaId: from.id, filename: "f", size: 1 });
    const uploaderView = await s.as((await member(s, "user", 10)).id);
    const fromSysop = await s.as((await member(s, "fromsysop", 100)).id);
    const bothSysop = await s.as((await member(s, "bothsysop", 200)).id);
    const refused = await rejectsKind(
      uploaderView.files.move(file.id, to.id),
      "forbidden",
    );
    assert.match(refused.message, /FROM/);
    const half = await rejectsKind(
      fromSysop.files.move(file.id, to.id),
      "forbidden",
    );
    assert.match(half.message, /TO/);
    assert.equal((await s.files.get(file.id))?.areaId, from.id);
    assert.equal((await bothSysop.files.move(file.id, to.id)).areaId, to.id);
    // Back again, by a sysop of both.
    assert.equal(
      (await bothSysop.files.move(file.id, from.id)).areaId,
      from.id,
    );
  },
);
