/**
 * Area administration (issue 12, item 2, and the data of item 3): settings and access stored
 * and validated, look-up by tag, kinds, order. Deletion is in `_area_delete.ts`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { testCase } from "./_case.ts";
import { rejectsKind } from "./_assert.ts";

testCase(
  "messageAreas.create() and update() keep settings and access, normalised",
  async (s) => {
    const a = await s.messageAreas.create({ tag: "Chat", name: "Chat" });
    assert.equal(a.description, "");
    assert.equal(a.conference, "");
    assert.equal(a.maxMessages, null);
    assert.equal(a.maxAgeDays, null);
    assert.equal(a.origin, "");
    assert.equal(a.anonymous, "never");
    assert.deepEqual(a.access, {
      readLevel: 0,
      writeLevel: 0,
      readFlags: "",
      writeFlags: "",
      hidden: false,
      sysopLevel: 255,
    });
    const b = await s.messageAreas.create({
      tag: "SYSOP",
      name: "Sysops only",
      conference: "Local",
      maxMessages: 200,
      maxAgeDays: 30,
      origin: "Impulse BBS",
      anonymous: "forced",
      access: { readLevel: 200, writeFlags: "ZAZ", hidden: true },
    });
    assert.deepEqual(b.access, {
      readLevel: 200,
      writeLevel: 0,
      readFlags: "",
      writeFlags: "AZ",
      hidden: true,
      sysopLevel: 255,
    });
    assert.deepEqual(await s.messageAreas.get(b.id), b);
    const changed = await s.messageAreas.update(b.id, {
      name: "Sysop lounge",
      description: "For the staff",
      maxMessages: null,
      access: { writeLevel: 100, readFlags: "S" },
    });
    assert.equal(changed.name, "Sysop lounge");
    assert.equal(changed.maxMessages, null);
    assert.equal(changed.maxAgeDays, 30);
    assert.deepEqual(changed.access, {
      readLevel: 200,
      writeLevel: 100,
      readFlags: "S",
      writeFlags: "AZ",
      hidden: true,
      sysopLevel: 255,
    });
    assert.deepEqual(await s.messageAreas.get(b.id), changed);
    assert.deepEqual(await s.messageAreas.update(b.id, {}), changed);
    for (
      const [patch, field] of [
        [{ access: { readLevel: 256 } }, "access.readLevel"],
        [{ access: { sysopLevel: -1 } }, "access.sysopLevel"],
        [{ access: { readFlags: "a1" } }, "access.readFlags"],
        [{ access: { hidden: "yes" } }, "access.hidden"],
        [{ access: { other: 1 } }, "access.other"],
        [{ anonymous: "sometimes" }, "anonymous"],
        [{ maxAgeDays: 0 }, "maxAgeDays"],
        [{ position: -1 }, "position"],
        [{ origin: "two\nlines" }, "origin"],
      ] as const
    ) {
      await rejectsKind(
        s.messageAreas.update(b.id, patch as never),
        "validation",
        field,
      );
    }
    assert.deepEqual(await s.messageAreas.get(b.id), changed);
    await rejectsKind(
      s.messageAreas.update(b.id, { tag: "chat" }),
      "conflict",
      "tag",
    );
    await rejectsKind(s.messageAreas.update(999, { name: "x" }), "not_found");
    await rejectsKind(s.messageAreas.update(999, {}), "not_found");
    assert.deepEqual(await s.messageAreas.get(a.id), a);
  },
);

testCase(
  "messageAreas.update() changes kind only between local and echomail",
  async (s) => {
    const local = await s.messageAreas.create({ tag: "L", name: "L" });
    const echo = await s.messageAreas.update(local.id, {
      kind: "echomail",
      echoTag: "LECHO",
    });
    assert.equal(echo.kind, "echomail");
    assert.equal(
      (await s.messageAreas.update(local.id, { kind: "local" })).kind,
      "local",
    );
    await rejectsKind(
      s.messageAreas.update(local.id, { kind: "private" }),
      "conflict",
      "kind",
    );
    await rejectsKind(
      s.messageAreas.update(local.id, { kind: "netmail" }),
      "conflict",
      "kind",
    );
    const mail = await s.messageAreas.create({
      tag: "MAIL",
      name: "Mail",
      kind: "private",
    });
    await rejectsKind(
      s.messageAreas.update(mail.id, { kind: "local", name: "Public now" }),
      "conflict",
      "kind",
    );
    assert.deepEqual(await s.messageAreas.get(mail.id), mail);
    assert.equal(
      (await s.messageAreas.update(mail.id, { kind: "private", name: "M" }))
        .name,
      "M",
    );
  },
);

testCase(
  "getByTag() finds areas case-insensitively, and renamed tags",
  async (s) => {
    const m = await s.messageAreas.create({ tag: "Fido.Doom", name: "Doom" });
    const f = await s.fileAreas.create({ tag: "Utils", name: "Utils" });
    assert.deepEqual(await s.messageAreas.getByTag("FIDO.DOOM"), m);
    assert.deepEqual(await s.messageAreas.getByTag("ｆｉｄｏ.doom"), m);
    assert.deepEqual(await s.fileAreas.getByTag("utils"), f);
    assert.equal(await s.messageAreas.getByTag("utils"), null);
    assert.equal(await s.fileAreas.getByTag("fido.doom"), null);
    assert.equal(await s.messageAreas.getByTag("has space"), null);
    assert.equal(await s.messageAreas.getByTag("a\u001fb"), null);
    await rejectsKind(s.messageAreas.getByTag(""), "validation", "tag");
    await rejectsKind(s.fileAreas.getByTag(7 as never), "validation", "tag");
    await s.messageAreas.update(m.id, { tag: "DOOM" });
    assert.equal(await s.messageAreas.getByTag("fido.doom"), null);
    assert.equal((await s.messageAreas.getByTag("doom"))?.id, m.id);
    await s.fileAreas.update(f.id, { tag: "TOOLS" });
    assert.equal((await s.fileAreas.getByTag("tools"))?.id, f.id);
    assert.equal(await s.fileAreas.getByTag("utils"), null);
  },
);

testCase(
  "fileAreas.create() and update() keep settings and access",
  async (s) => {
    const a = await s.fileAreas.create({ tag: "A", name: "A" });
    assert.equal(a.storagePath, "");
    assert.equal(a.maxFileSize, null);
    assert.equal(a.uploadsAllowed, true);
    assert.equal(a.access.sysopLevel, 255);
    const b = await s.fileAreas.update(a.id, {
      storagePath: "/srv/files/a",
      maxFileSize: 0,
      uploadsAllowed: false,
      access: { readLevel: 5, hidden: true },
    });
    assert.equal(b.storagePath, "/srv/files/a");
    assert.equal(b.maxFileSize, 0);
    assert.equal(b.uploadsAllowed, false);
    assert.equal(b.access.readLevel, 5);
    assert.equal(b.access.hidden, true);
    assert.deepEqual(await s.fileAreas.get(a.id), b);
    await rejectsKind(
      s.fileAreas.update(a.id, { storagePath: "a\u0000b" }),
      "validation",
      "storagePath",
    );
    await rejectsKind(
      s.fileAreas.update(a.id, { uploadsAllowed: 1 as never }),
      "validation",
      "uploadsAllowed",
    );
    await rejectsKind(
      s.fileAreas.update(a.id, { kind: "local" } as never),
      "validation",
      "kind",
    );
    await rejectsKind(
      s.fileAreas.create({ tag: "B", name: "B", access: { writeLevel: 1.5 } }),
      "validation",
      "access.writeLevel",
    );
    await rejectsKind(s.fileAreas.update(77, {}), "not_found");
    assert.deepEqual(await s.fileAreas.list(), [b]);
  },
);

testCase(
  "list() returns areas by position, reorder() sets it, new areas go last",
  async (s) => {
    const [a, b, c] = [
      await s.messageAreas.create({ tag: "A", name: "A" }),
      await s.messageAreas.create({ tag: "B", name: "B" }),
      await s.messageAreas.create({ tag: "C", name: "C" }),
    ];
    const tags = async () => (await s.messageAreas.list()).map((x) => x.tag);
    assert.deepEqual(await tags(), ["A", "B", "C"]);
    await s.messageAreas.reorder([c.id, a.id, b.id]);
    assert.deepEqual(await tags(), ["C", "A", "B"]);
    assert.deepEqual(
      (await s.messageAreas.list()).map((x) => x.position),
      [1, 2, 3],
    );
    await s.messageAreas.create({ tag: "D", name: "D" });
    await s.messageAreas.create({ tag: "Z", name: "Z", position: 0 });
    assert.deepEqual(await tags(), ["Z", "C", "A", "B", "D"]);
    await s.messageAreas.update(a.id, { position: 1 });
    // Equal positions list by id.
    assert.deepEqual(await tags(), ["Z", "A", "C", "B", "D"]);
    await rejectsKind(
      s.messageAreas.reorder([a.id, b.id]),
      "conflict",
      "ids",
    );
    const all = (await s.messageAreas.list()).map((x) => x.id);
    await rejectsKind(
      s.messageAreas.reorder([...all, 999]),
      "conflict",
      "ids",
    );
    await rejectsKind(
      s.messageAreas.reorder([...all, all[0]!]),
      "validation",
      "ids",
    );
    await rejectsKind(
      s.messageAreas.reorder("1,2" as never),
      "validation",
      "ids",
    );
    assert.deepEqual(await tags(), ["Z", "A", "C", "B", "D"]);
    const f1 = await s.fileAreas.create({ tag: "F1", name: "F1" });
    const f2 = await s.fileAreas.create({ tag: "F2", name: "F2" });
    await s.fileAreas.reorder([f2.id, f1.id]);
    assert.deepEqual((await s.fileAreas.list()).map((x) => x.id), [
      f2.id,
      f1.id,
    ]);
    await rejectsKind(s.fileAreas.reorder([f2.id]), "conflict", "ids");
  },
);
