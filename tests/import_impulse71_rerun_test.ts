/**
 * Running an Impulse 7.1 import again, as a dry run, into a board in use, and failing half
 * way: the target holds the install once or not at all, on every target.
 */
import assert from "node:assert/strict";
import type { Storage } from "../mod.ts";
import {
  area,
  BaseBuilder,
  board,
  concat,
  lastCaller,
  listing,
  status,
  user,
  writeInstall,
} from "../src/import/impulse71/_builders_test.ts";
import { importImpulse71 } from "../src/import/mod.ts";
import { rejectsKind } from "./_assert.ts";
import { FAST, importTest, snapshot } from "./_impulse71.ts";

/** A small install: two users, a board with a reply, mail, a file area, two callers. */
async function smallInstall(): Promise<string> {
  const sysop = { number: 1, name: "SYSOP" };
  const base = new BaseBuilder();
  base.add({ msgid: 1, from: sysop, title: "Hi", lines: ["Hello"] });
  base.add({
    msgid: 2,
    replyToId: 1,
    from: { number: 2, name: "ANN" },
    title: "Re: Hi",
    lines: ["Hey"],
  });
  const mail = new BaseBuilder();
  mail.add({
    messageNumber: 2,
    from: sysop,
    to: { number: 2, name: "ANN" },
    title: "Mail",
    lines: ["x"],
  });
  const general = base.build();
  const email = mail.build();
  return await writeInstall({
    "STATUS.DAT": status("C:\\BBS\\DATA\\", "C:\\BBS\\MSGS\\"),
    "DATA/USER.LST": concat(
      user({ name: "NEW USER" }),
      user({ name: "SYSOP" }),
      user({ name: "ANN" }),
    ),
    "DATA/BOARDS.DAT": board("General", "GENERAL"),
    "MSGS/GENERAL.MIX": general.mix,
    "MSGS/GENERAL.BRD": general.brd,
    "MSGS/EMAIL.MIX": email.mix,
    "MSGS/EMAIL.BRD": email.brd,
    "DATA/UPLOADS.DAT": concat(
      area("Unused", "NEWDIR"),
      area("Files", "FILES"),
    ),
    "DATA/FILES.DIR": listing([{ fileName: "A.ZIP" }, { fileName: "B.ZIP" }]),
    "DATA/LASTON.DAT": concat(
      lastCaller(2, "Ann", 2),
      lastCaller(1, "Sysop", 1),
    ),
  });
}

async function withInstall<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await smallInstall();
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Board data that has nothing to do with the install. */
async function boardInUse(storage: Storage): Promise<void> {
  const other = await storage.users.create({
    username: "Other",
    passwordHash: "h",
  });
  const area = await storage.messageAreas.create({
    tag: "OTHER",
    name: "Other",
  });
  await storage.messages.post({
    areaId: area.id,
    fromUserId: other.id,
    subject: "s",
    body: "b",
  });
  await storage.users.recordLogin(other.id);
}

importTest(
  "importImpulse71() refuses to import the same install twice, and changes nothing",
  async (storage) => {
    await withInstall(async (dir) => {
      const first = await importImpulse71(dir, storage, FAST);
      assert.equal(first.counts.messages.imported, 2);
      const before = await snapshot(storage);
      const error = await rejectsKind(
        importImpulse71(dir, storage, FAST),
        "conflict",
      );
      assert.match(
        error.message,
        /already holds user "SYSOP", user "ANN", message area "GENERAL", message area "EMAIL", file area "FILES": was it imported before\?/,
      );
      assert.deepEqual(await snapshot(storage), before);
    });
  },
);

importTest(
  "importImpulse71() refuses a board in use that holds one of the install's names",
  async (storage) => {
    await boardInUse(storage);
    await storage.fileAreas.create({ tag: "files", name: "Ours" });
    const before = await snapshot(storage);
    await withInstall(async (dir) => {
      const error = await rejectsKind(
        importImpulse71(dir, storage, FAST),
        "conflict",
      );
      assert.match(error.message, /already holds file area "FILES"/);
      assert.doesNotMatch(error.message, /user/);
    });
    assert.deepEqual(await snapshot(storage), before);
  },
);

importTest(
  "importImpulse71() with dryRun reports what an import would do and writes nothing",
  async (storage) => {
    await boardInUse(storage);
    const before = await snapshot(storage);
    await withInstall(async (dir) => {
      const dry = await importImpulse71(dir, storage, { dryRun: true });
      assert.equal(dry.dryRun, true);
      assert.deepEqual(await snapshot(storage), before);
      const real = await importImpulse71(dir, storage, FAST);
      assert.equal(real.dryRun, false);
      assert.deepEqual(real.counts, dry.counts);
      assert.deepEqual(real.skipped, dry.skipped);
      assert.deepEqual(real.counts.users, { read: 3, imported: 2, skipped: 1 });
      // A dry run against the imported board predicts the refusal.
      await rejectsKind(
        importImpulse71(dir, storage, { dryRun: true }),
        "conflict",
      );
    });
    // The board's own data is still there, next to the import.
    const users =
      (await snapshot(storage) as { users: { username: string }[] }).users;
    assert.deepEqual(users.map((u) => u.username), ["Other", "SYSOP", "ANN"]);
  },
);

importTest(
  "importImpulse71() that fails part-way leaves the target as it was",
  async (storage) => {
    await boardInUse(storage);
    const before = await snapshot(storage);
    await withInstall(async (dir) => {
      const seen = new Set<string>();
      const failure = new Error("cancelled by the test");
      await assert.rejects(
        importImpulse71(dir, storage, {
          ...FAST,
          onProgress: ({ stage, kind }) => {
            seen.add(`${stage} ${kind}`);
            if (kind === "files") throw failure;
          },
        }),
        (error) => error === failure,
      );
      // Users, areas and messages had been written when it failed.
      assert.ok(
        seen.has("import users") && seen.has("import messages"),
        [...seen].join(),
      );
      assert.deepEqual(await snapshot(storage), before);
      // Nothing of it is left to refuse a new attempt.
      const report = await importImpulse71(dir, storage, FAST);
      assert.equal(report.counts.files.imported, 2);
    });
  },
);

importTest(
  "importImpulse71() validates its options before reading anything",
  async (storage) => {
    await withInstall(async (dir) => {
      await rejectsKind(
        importImpulse71(dir, storage, { timeZone: "Mars/Olympus" }),
        "validation",
        "options.timeZone",
      );
      await rejectsKind(
        importImpulse71(dir, storage, { passwordCost: 9 }),
        "validation",
        "options.passwordCost",
      );
      await rejectsKind(
        importImpulse71(dir, storage, { dryrun: true } as never),
        "validation",
        "options.dryrun",
      );
      await rejectsKind(
        importImpulse71(`${dir}/nowhere`, storage),
        "not_found",
      );
    });
    assert.deepEqual(
      (await snapshot(storage) as { users: unknown[] }).users,
      [],
    );
  },
);
