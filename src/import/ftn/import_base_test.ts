import assert from "node:assert/strict";
import { openStorage } from "../../open.ts";
import type { Storage } from "../../storage.ts";
import { at, base, coreOptions, jamCrc32Text } from "./_builders_test.ts";
import { importFtnBase } from "./import_base.ts";
import { importMessageBase, importSource, readMessageBase } from "./import.ts";
import { writeSquishBase } from "./_squish_writer.ts";
import { echomailMessages } from "./_echomail_fixture.ts";
import { StorageError } from "../../errors.ts";
import { writeJam } from "./_jam_writer_test.ts";

async function threadOf(storage: Storage, areaId: number) {
  const all = await storage.messages.list(areaId, { limit: 1000 });
  const byId = new Map(all.map((m) => [m.id, m]));
  return new Map(
    all.map((m) => [
      m.ftnMsgid ?? m.subject,
      m.parentId === null
        ? null
        : (byId.get(m.parentId)?.ftnMsgid ?? byId.get(m.parentId)?.subject),
    ]),
  );
}

Deno.test("importFtnBase() posts every live message into an echomail area made for the tag", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const report = await importFtnBase(
    base([
      {
        number: 1,
        from: "Jane Doe",
        to: "Joe Random",
        subject: "E1M1",
        text: "Where is the \x1b[1msecret\x1b[0m?\r",
        control: [
          "MSGID: 2:280/464 5c3b1e2a",
          "PID: GoldED+ 1.1.5",
          "CHRS: UTF-8 4",
          "SEEN-BY: 280/464 5020/1042",
          "PATH: 280/464",
        ],
        origAddr: "2:280/464.1",
        destAddr: "2:280/464",
        private: true,
      },
      { number: 2, deleted: true },
    ]),
    storage,
    coreOptions({ area: "DOOM" }),
  );
  const area = await storage.messageAreas.getByTag("DOOM");
  assert.equal(area?.kind, "echomail");
  assert.equal(area?.echoTag, "DOOM");
  assert.deepEqual(report.counts, { read: 2, imported: 1, skipped: 1 });
  assert.deepEqual(report.skipped.map((s) => [s.number, s.reason]), [[
    2,
    "deleted",
  ]]);
  const [m] = await storage.messages.list(area!.id);
  assert.equal(m?.fromName, "Jane Doe");
  assert.equal(m?.toName, "Joe Random");
  assert.equal(m?.subject, "E1M1");
  assert.equal(m?.body, "Where is the \x1b[1msecret\x1b[0m?\n");
  assert.equal(m?.ftnMsgid, "2:280/464 5c3b1e2a");
  assert.deepEqual(m?.kludges, [
    { name: "PID", value: "GoldED+ 1.1.5" },
    { name: "CHRS", value: "UTF-8 4" },
    { name: "SEEN-BY", value: "280/464 5020/1042" },
    { name: "PATH", value: "280/464" },
  ]);
  assert.equal(m?.origAddr, "2:280/464.1");
  assert.equal(m?.destAddr, "2:280/464");
  assert.equal(m?.private, true);
  assert.equal(m?.imported, true);
  assert.equal(m?.createdAt.toISOString(), "2024-03-01T12:00:01.000Z");
  assert.equal(report.area.created, true);
});

Deno.test("importFtnBase() imports into an existing echomail or netmail area found by tag", async () => {
  await using storage = await openStorage("sqlite::memory:");
  for (const kind of ["echomail", "netmail"] as const) {
    const area = await storage.messageAreas.create({
      tag: `fido_${kind}`,
      name: kind,
      kind,
      ...(kind === "echomail" ? { echoTag: "FIDO.CHAT" } : {}),
    });
    const report = await importFtnBase(
      base([{ number: 1 }]),
      storage,
      coreOptions({ area: `FIDO_${kind.toUpperCase()}` }),
    );
    assert.equal(report.area.id, area.id);
    assert.equal(report.area.created, false);
    assert.equal((await storage.messageAreas.get(area.id))?.msgCount, 1);
  }
  assert.equal((await storage.messageAreas.list()).length, 2);
});

Deno.test("importFtnBase() refuses a local or private-mail area with the tag, naming options.area, before writing", async () => {
  await using storage = await openStorage("sqlite::memory:");
  for (const kind of ["local", "private"] as const) {
    const area = await storage.messageAreas.create({
      tag: kind,
      name: kind,
      kind,
    });
    await assert.rejects(
      importFtnBase(
        base([{ number: 1 }]),
        storage,
        coreOptions({ area: kind }),
      ),
      (e) =>
        e instanceof StorageError && e.kind === "validation" &&
        e.field === "options.area" &&
        e.message.includes(`names a ${kind} area`),
    );
    assert.equal((await storage.messageAreas.get(area.id))?.msgCount, 0);
  }
  assert.equal((await storage.messageAreas.list()).length, 2);
});

Deno.test("importFtnBase() links replies to parents whatever order they come in", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const report = await importFtnBase(
    base([
      // A reply by REPLY before its parent.
      { number: 1, control: ["MSGID: 1:1/1 0002", "REPLY: 1:1/1 0001"] },
      { number: 2, control: ["MSGID: 1:1/1 0001"] },
      // A REPLY to a message that is not in the base: a root, its ftnReply kept.
      { number: 3, control: ["MSGID: 1:1/1 0003", "REPLY: 9:9/9 dead"] },
      // Without MSGID/REPLY: the base's own links, to a later message and to an earlier one.
      { number: 4, subject: "child of 5", replyTo: 5, control: [] },
      { number: 5, subject: "parent", control: [] },
      { number: 6, subject: "child of 4", replyTo: 4, control: [] },
      // A REPLY that is an Internet Message-ID.
      { number: 7, control: ["MSGID: <a1@example.com> 1b2c3d4e"] },
      {
        number: 8,
        control: ["MSGID: 1:1/1 0008", "REPLY: <a1@example.com> 1b2c3d4e"],
      },
    ]),
    storage,
    coreOptions(),
  );
  assert.equal(report.counts.imported, 8);
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  assert.deepEqual(
    Object.fromEntries(await threadOf(storage, area!.id)),
    {
      "1:1/1 0002": "1:1/1 0001",
      "1:1/1 0001": null,
      "1:1/1 0003": null,
      "child of 5": "parent",
      parent: null,
      "child of 4": "child of 5",
      "<a1@example.com> 1b2c3d4e": null,
      "1:1/1 0008": "<a1@example.com> 1b2c3d4e",
    },
  );
  const outside = await storage.messages.findByMsgid(area!.id, "1:1/1 0003");
  assert.equal(outside?.ftnReply, "9:9/9 dead");
  assert.equal(outside?.threadRootId, outside?.id);
  assert.equal(report.linked, 4);
});

Deno.test("importFtnBase() a second import of the same base adds nothing and lists every skip", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const messages = [
    { number: 1, control: ["MSGID: 1:1/1 0001"] },
    { number: 2, control: [], subject: "no msgid" },
    { number: 3, deleted: true },
    { number: 4, control: ["MSGID: 1:1/1 0004", "REPLY: 1:1/1 0001"] },
  ];
  const first = await importFtnBase(base(messages), storage, coreOptions());
  assert.equal(first.counts.imported, 3);
  const second = await importFtnBase(base(messages), storage, coreOptions());
  assert.deepEqual(second.counts, { read: 4, imported: 0, skipped: 4 });
  assert.deepEqual(second.skipped.map((s) => [s.number, s.reason]), [
    [1, "duplicate-msgid"],
    [2, "duplicate-content"],
    [3, "deleted"],
    [4, "duplicate-msgid"],
  ]);
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  assert.equal(area?.msgCount, 3);
  assert.equal(area?.lastMsgNum, 3);
  const firstPost = await storage.messages.findByMsgid(area!.id, "1:1/1 0001");
  assert.equal(second.skipped[0]?.duplicateOf, firstPost?.id);
});

Deno.test("importFtnBase() an overlapping base adds only what is new; duplicates within a base count once", async () => {
  await using storage = await openStorage("sqlite::memory:");
  await importFtnBase(
    base([
      { number: 1, control: ["MSGID: 1:1/1 0001"] },
      { number: 2, control: ["MSGID: 1:1/1 0002"] },
      { number: 3, control: [], subject: "plain" },
    ]),
    storage,
    coreOptions(),
  );
  const report = await importFtnBase(
    base([
      { number: 10, control: ["MSGID: 1:1/1 0002"] },
      { number: 11, control: ["MSGID: 1:1/1 0003", "REPLY: 1:1/1 0002"] },
      { number: 12, control: ["MSGID: 1:1/1 0003"] },
      // Number 3 again, by its content: its date is its number's (3).
      {
        number: 13,
        control: [],
        subject: "plain",
        text: "Text of 3\r",
        written: at("2024-03-01 12:00:03"),
      },
      // Same text, another date: not a duplicate.
      { number: 14, control: [], subject: "plain", text: "Text of 3\r" },
    ]),
    storage,
    coreOptions(),
  );
  assert.deepEqual(report.skipped.map((s) => [s.number, s.reason]), [
    [10, "duplicate-msgid"],
    [12, "duplicate-msgid"],
    [13, "duplicate-content"],
  ]);
  assert.equal(report.counts.imported, 2);
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const reply = await storage.messages.findByMsgid(area!.id, "1:1/1 0003");
  const parent = await storage.messages.findByMsgid(area!.id, "1:1/1 0002");
  assert.equal(reply?.parentId, parent?.id);
});

Deno.test("importFtnBase() keeps empty names and names up to 100 characters", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const long = "A very long name of a sysop who wrote it all out ".repeat(3)
    .slice(0, 100);
  const report = await importFtnBase(
    base([
      { number: 1, from: "", to: long },
      { number: 2, from: `${long}XYZ`, to: "Bad\x07Bell" },
    ]),
    storage,
    coreOptions(),
  );
  assert.equal(report.counts.imported, 2);
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const [one, two] = await storage.messages.list(area!.id);
  assert.equal(one?.fromName, "");
  assert.equal(one?.toName, long);
  assert.equal(two?.fromName, long);
  assert.equal(two?.toName, "Bad?Bell");
  assert.deepEqual(report.changed.map((c) => [c.number, c.field]), [
    [2, "fromName"],
    [2, "toName"],
  ]);
});

Deno.test("importFtnBase() applies TZUTC; without it reads the date in timeZone", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const written = at("2024-07-01 10:00:00");
  await importFtnBase(
    base([
      { number: 1, written, control: ["MSGID: 1:1/1 1", "TZUTC: 0300"] },
      { number: 2, written, control: ["MSGID: 1:1/1 2", "TZUTC: -0500"] },
      { number: 3, written, control: ["MSGID: 1:1/1 3"] },
    ]),
    storage,
    coreOptions({ timeZone: "America/Chicago" }),
  );
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const dates = (await storage.messages.list(area!.id)).map((m) =>
    m.createdAt.toISOString()
  );
  assert.deepEqual(dates, [
    "2024-07-01T07:00:00.000Z",
    "2024-07-01T15:00:00.000Z",
    "2024-07-01T15:00:00.000Z", // CDT is UTC-5 in July
  ]);
});

Deno.test("importFtnBase() keeps a junk address as the raw kludge and a change, never refusing the message; a 5D address loses only its domain", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const report = await importFtnBase(
    base([
      {
        number: 1,
        origAddr: "2:5020/1042",
        destAddr: "40000:1/2",
        control: [],
      },
      {
        number: 2,
        origAddr: "2:5020/1@fidonet",
        destAddr: "not an address",
        control: [],
      },
    ]),
    storage,
    coreOptions(),
  );
  assert.equal(report.counts.imported, 2);
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const [m, n] = await storage.messages.list(area!.id);
  assert.equal(m?.origAddr, "2:5020/1042");
  assert.equal(m?.destAddr, null);
  assert.deepEqual(m?.kludges, [{ name: "DADDRESS", value: "40000:1/2" }]);
  assert.equal(n?.origAddr, "2:5020/1");
  assert.equal(n?.destAddr, null);
  assert.deepEqual(n?.kludges, [
    { name: "OADDRESS", value: "2:5020/1@fidonet" },
    { name: "DADDRESS", value: "not an address" },
  ]);
  assert.deepEqual(report.changed.map((c) => [c.number, c.field]), [
    [1, "destAddr"],
    [2, "origAddr"],
    [2, "destAddr"],
  ]);
});

Deno.test("importFtnBase() keeps a JAM address subfield that is more than the address where it stands among the kludges", async () => {
  // As the JAM reader gives them: every address subfield is a control line in stored order.
  await using storage = await openStorage("sqlite::memory:");
  await importFtnBase(
    base([{
      number: 1,
      origAddr: "2:5020/1@fidonet",
      destAddr: "40000:1/2",
      control: [
        "DADDRESS: 40000:1/2",
        "PID: x",
        "OADDRESS: 2:5020/1@fidonet",
        "X-FIRST: y",
        "OADDRESS: 3:1/1",
      ],
    }, {
      number: 2,
      origAddr: "2:5020/7",
      destAddr: "2:5020/8",
      control: ["OADDRESS: 2:5020/7", "PID: x", "DADDRESS: 2:5020/8"],
    }]),
    storage,
    coreOptions(),
  );
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const [m, n] = await storage.messages.list(area!.id);
  assert.deepEqual(m?.kludges.map((k) => `${k.name}: ${k.value}`), [
    "DADDRESS: 40000:1/2",
    "PID: x",
    "OADDRESS: 2:5020/1@fidonet",
    "X-FIRST: y",
    "OADDRESS: 3:1/1",
  ]);
  assert.deepEqual([m?.origAddr, m?.destAddr], ["2:5020/1", null]);
  // Addresses stored as written leave no kludge.
  assert.deepEqual(n?.kludges.map((k) => k.name), ["PID"]);
  assert.deepEqual([n?.origAddr, n?.destAddr], ["2:5020/7", "2:5020/8"]);
});

Deno.test("importFtnBase() counts the charset fallbacks by kind and label, decoding them in the default", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const report = await importFtnBase(
    base([
      { number: 1, control: [], subject: "\u00e9" }, // UTF-8 bytes C3 A9
      { number: 2, control: ["CHRS: UTF-8 4"] },
      { number: 3, control: [] },
      { number: 4, control: ["CHRS: KLINGON 2"] },
      { number: 5, control: ["CHRS: IBMPC 2"] },
      { number: 6, control: ["CHRS: KLINGON 2"] },
      { number: 7, control: ["CHARSET: MARTIAN"] },
    ]),
    storage,
    coreOptions({ charset: "CP866" }),
  );
  assert.deepEqual(report.fallbacks, [
    { kind: "ibmpc", label: null, count: 1 },
    { kind: "missing", label: null, count: 2 },
    { kind: "unknown", label: "KLINGON", count: 2 },
    { kind: "unknown", label: "MARTIAN", count: 1 },
  ]);
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  // C3 A9 in CP866 (the default given) is ├ й.
  assert.equal((await storage.messages.getByNum(area!.id, 1))?.subject, "├й");
});

Deno.test("importFtnBase() sets the last-read pointers of the users a record names", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const alice = await storage.users.create({
    username: "Alice Smith",
    passwordHash: "h",
  });
  const bob = await storage.users.create({
    username: "Bob",
    passwordHash: "h",
  });
  // Two messages were already in the area: the base's land at numbers 3…
  const area = await storage.messageAreas.create({
    tag: "TEST_ECHO",
    name: "T",
    kind: "echomail",
  });
  for (const subject of ["a", "b"]) {
    await storage.messages.post({
      areaId: area.id,
      fromName: "X",
      subject,
      body: "",
    });
  }
  const report = await importFtnBase(
    base(
      [{ number: 10 }, { number: 11, deleted: true }, { number: 12 }],
      [
        // Alice read up to 11 (deleted): the pointer goes to 10's number.
        {
          nameCrc: jamCrc32Text("alice smith"),
          userNumber: 0,
          lastRead: 11,
          highRead: 11,
        },
        { nameCrc: 12345, userNumber: 1, lastRead: 12, highRead: 12 },
      ],
    ),
    storage,
    coreOptions(),
  );
  assert.equal(await storage.reading.pointer(alice.id, area.id), 3);
  assert.equal(await storage.reading.pointer(bob.id, area.id), 0);
  assert.equal(report.lastRead.read, 2);
  assert.equal(report.lastRead.set, 1);
  assert.deepEqual(report.lastRead.unmatched.map((u) => u.nameCrc), [12345]);
});

Deno.test("importFtnBase() matches Squish last-read records only through lastReadUsers", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const carol = await storage.users.create({
    username: "Carol",
    passwordHash: "h",
  });
  const records = [
    { nameCrc: null, userNumber: 0, lastRead: 2, highRead: null },
    { nameCrc: null, userNumber: 1, lastRead: 1, highRead: null },
  ];
  const messages = [{ number: 1 }, { number: 2 }];
  const without = await importFtnBase(
    base(messages, records, "squish"),
    storage,
    coreOptions(),
  );
  assert.equal(without.lastRead.set, 0);
  assert.equal(without.lastRead.unmatched.length, 2);
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const mapped = await importFtnBase(
    base(messages, records, "squish"),
    storage,
    coreOptions({ lastReadUsers: new Map([[0, carol.id]]) }),
  );
  assert.equal(mapped.lastRead.set, 1);
  assert.deepEqual(mapped.lastRead.unmatched.map((u) => u.userNumber), [1]);
  assert.equal(await storage.reading.pointer(carol.id, area!.id), 2);
});

Deno.test("importFtnBase() a dry run writes nothing and reports what it would do", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const messages = [
    { number: 1, control: ["MSGID: 1:1/1 1"] },
    { number: 2, control: ["MSGID: 1:1/1 2"] },
  ];
  const dry = await importFtnBase(
    base(messages),
    storage,
    coreOptions({ dryRun: true }),
  );
  assert.equal(dry.counts.imported, 2);
  assert.equal(await storage.messageAreas.getByTag("TEST_ECHO"), null);
  await importFtnBase(base(messages.slice(0, 1)), storage, coreOptions());
  const again = await importFtnBase(
    base(messages),
    storage,
    coreOptions({ dryRun: true }),
  );
  assert.deepEqual(again.counts, { read: 2, imported: 1, skipped: 1 });
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  assert.equal(area?.msgCount, 1);
});

Deno.test("importFtnBase() a dry run finds a message without MSGID that repeats one of the same base with a MSGID, as the import does", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const same = { written: at("2013-01-01 00:00:00"), text: "a\r" };
  const messages = [
    { number: 1, subject: "s", ...same, control: ["MSGID: 1:1/1 1"] },
    { number: 2, subject: "s", ...same, control: [] },
  ];
  const dry = await importFtnBase(
    base(messages),
    storage,
    coreOptions({ dryRun: true }),
  );
  const real = await importFtnBase(base(messages), storage, coreOptions());
  assert.deepEqual(real.counts, { read: 2, imported: 1, skipped: 1 });
  assert.deepEqual(dry.counts, real.counts);
  assert.deepEqual(
    dry.skipped.map((s) => [s.number, s.reason]),
    real.skipped.map((s) => [s.number, s.reason]),
  );
});

Deno.test("importFtnBase() imports in batches and reports progress to the end", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const seen: number[] = [];
  const messages = Array.from({ length: 25 }, (_, i) => ({
    number: i + 1,
    control: [`MSGID: 1:1/1 ${i + 1}`],
  }));
  await importFtnBase(
    base(messages),
    storage,
    coreOptions({ batchSize: 10, onProgress: (p) => seen.push(p.done) }),
  );
  assert.deepEqual(seen, [10, 20, 25]);
});

/**
 * The storage, but each transaction runs its function twice, as PostgreSQL may run one again: a
 * first time in a transaction rolled back after it, then for good.
 */
function runningTwice(storage: Storage): Storage {
  return new Proxy(storage, {
    get(target, key) {
      if (key === "transaction") {
        return async <T>(fn: (tx: unknown) => Promise<T>): Promise<T> => {
          const again = new Error("run it again");
          await target.transaction(async (tx) => {
            await fn(tx);
            throw again;
          }).catch((error) => {
            if (error !== again) throw error;
          });
          return await target.transaction(fn as never);
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

Deno.test("importFtnBase() reports and imports the same when a batch's transaction runs again", async () => {
  // Replies before and after their parents, across batches, and duplicates within the base.
  const raws = echomailMessages(120, 7);
  const messages = [
    ...raws,
    ...raws.slice(0, 10).map((m, i) => ({
      ...m,
      number: 200 + i,
    })),
  ];
  const report = async (storage: Storage) => {
    const r = await importFtnBase(
      { format: "squish", messages, lastRead: [], problems: [] },
      storage,
      coreOptions({ batchSize: 16, charset: "CP866" }),
    );
    const area = await storage.messageAreas.getByTag("TEST_ECHO");
    const posted = await storage.messages.list(area!.id, { limit: 1000 });
    return {
      counts: r.counts,
      linked: r.linked,
      skipped: r.skipped,
      area: r.area,
      threads: posted.map((
        m,
      ) => [m.msgNum, m.ftnMsgid, m.parentId, m.threadRootId]),
    };
  };
  await using once = await openStorage("sqlite::memory:");
  await using twice = await openStorage("sqlite::memory:");
  const expected = await report(once);
  assert.equal(expected.counts.skipped, 10);
  assert.ok(expected.linked > 30, `${expected.linked}`);
  assert.deepEqual(await report(runningTwice(twice)), expected);
});

Deno.test("importMessageBase()'s progress counts its rate from when reading began", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/echo`;
    await writeSquishBase(path, echomailMessages(30, 1), null);
    const source = await readMessageBase(path, { area: "ECHO" });
    // As if reading had taken 100 seconds: 30 messages in about 100 s, not in milliseconds.
    const rates: number[] = [];
    await using storage = await openStorage("sqlite::memory:");
    await importSource({
      ...source,
      startedAt: source.startedAt - 100_000,
      options: { ...source.options, onProgress: (p) => rates.push(p.rate) },
    }, storage);
    assert.ok(
      rates.length > 0 && rates.every((rate) => rate <= 0.3),
      `${rates}`,
    );
    assert.ok(source.startedAt <= performance.now());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importFtnBase() cuts a long subject and keeps a MSGID the store cannot take as a kludge", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const subject = "S".repeat(80);
  const msgid = `2:5020/1 ${"x".repeat(250)}`;
  const report = await importFtnBase(
    base([{ number: 1, subject, control: [`MSGID: ${msgid}`, "PID: X"] }]),
    storage,
    coreOptions(),
  );
  assert.equal(report.counts.imported, 1);
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const [m] = await storage.messages.list(area!.id);
  assert.equal(m?.subject, "S".repeat(72));
  assert.equal(m?.ftnMsgid, null);
  assert.deepEqual(m?.kludges, [
    { name: "MSGID", value: msgid },
    { name: "PID", value: "X" },
  ]);
  assert.deepEqual(report.changed.map((c) => c.field), ["ftnMsgid", "subject"]);
});

Deno.test("importFtnBase() dates a message without a date by its neighbour, so a second import of it adds nothing", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const messages = [
    { number: 1, written: null, control: [], text: "First, undated\r" },
    { number: 2, written: at("2024-03-01 10:00:00"), control: [] },
    { number: 3, written: null, control: [], text: "Third, undated\r" },
  ];
  const first = await importFtnBase(base(messages), storage, coreOptions());
  assert.equal(first.counts.imported, 3);
  assert.deepEqual(
    first.changed.filter((c) => c.field === "createdAt").map((c) => c.number),
    [1, 3],
  );
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const dates = (await storage.messages.list(area!.id)).map((m) =>
    m.createdAt.toISOString()
  );
  assert.deepEqual(dates, [
    "2024-03-01T10:00:00.000Z",
    "2024-03-01T10:00:00.000Z",
    "2024-03-01T10:00:00.000Z",
  ]);
  for (let round = 0; round < 2; round++) {
    const again = await importFtnBase(base(messages), storage, coreOptions());
    assert.deepEqual(again.counts, { read: 3, imported: 0, skipped: 3 });
  }
  assert.equal((await storage.messages.list(area!.id)).length, 3);
});

Deno.test("importFtnBase() lists a lastReadUsers entry naming no user as unmatched, and imports everything", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const records = [{
    nameCrc: null,
    userNumber: 0,
    lastRead: 2,
    highRead: null,
  }];
  const report = await importFtnBase(
    base([{ number: 1 }, { number: 2 }], records, "squish"),
    storage,
    coreOptions({ lastReadUsers: new Map([[0, 999_999]]) }),
  );
  assert.equal(report.counts.imported, 2);
  assert.equal(report.lastRead.set, 0);
  assert.match(
    report.lastRead.unmatched[0]?.reason ?? "",
    /user 999999, who does not exist/,
  );
});

Deno.test("importMessageBase() refuses lastReadUsers entries that are no user numbers and ids, as validation, before writing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeSquishBase(`${dir}/echo`, echomailMessages(3, 1), []);
    await using storage = await openStorage(`sqlite:${dir}/board.db`);
    for (
      const map of [new Map([[0, 1.5]]), new Map([[-1, 1]]), new Map([[0, 0]])]
    ) {
      await assert.rejects(
        importMessageBase(`${dir}/echo`, storage, {
          area: "RU.TEST",
          lastReadUsers: map,
        }),
        (e: unknown) =>
          e instanceof StorageError && e.kind === "validation" &&
          e.field === "options.lastReadUsers",
      );
    }
    assert.equal(await storage.messageAreas.getByTag("RU.TEST"), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importFtnBase() takes a netmail message's addresses from INTL, FMPT and TOPT, and lists an unreadable TZUTC", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const report = await importFtnBase(
    base([
      {
        number: 1,
        origAddr: "0:234/5",
        destAddr: "0:5020/2",
        control: ["INTL 2:5020/2 1:234/5", "FMPT 7", "TOPT 3", "TZUTC: abcd"],
      },
    ]),
    storage,
    coreOptions(),
  );
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const [m] = await storage.messages.list(area!.id);
  assert.equal(m?.origAddr, "1:234/5.7");
  assert.equal(m?.destAddr, "2:5020/2.3");
  assert.deepEqual(m?.kludges.map((k) => k.name), [
    "INTL",
    "FMPT",
    "TOPT",
    "TZUTC",
  ]);
  assert.deepEqual(report.changed.map((c) => [c.number, c.field]), [[
    1,
    "createdAt",
  ]]);
  assert.equal(m?.createdAt.toISOString(), "2024-03-01T12:00:01.000Z");
});

Deno.test("importFtnBase() takes FMPT and TOPT without INTL as the points of the base's own addresses", async () => {
  await using storage = await openStorage("sqlite::memory:");
  await importFtnBase(
    base([
      // To a point of the node: not the node itself.
      { number: 1, destAddr: "2:5020/1", control: ["TOPT 5"] },
      // To the node itself, from a point: TOPT 0 is the node.
      {
        number: 2,
        origAddr: "2:5020/9",
        destAddr: "2:5020/1.5",
        control: ["TOPT 0", "FMPT 4"],
      },
      // Neither: the base's own addresses stand.
      { number: 3, origAddr: "2:5020/9.2", destAddr: "2:5020/1.5" },
    ]),
    storage,
    coreOptions(),
  );
  const area = await storage.messageAreas.getByTag("TEST_ECHO");
  const all = await storage.messages.list(area!.id);
  assert.deepEqual(all.map((m) => [m.origAddr, m.destAddr]), [
    [null, "2:5020/1.5"],
    ["2:5020/9.4", "2:5020/1"],
    ["2:5020/9.2", "2:5020/1.5"],
  ]);
});

Deno.test("importMessageBase() refuses a storage that is not one as validation naming storage", async () => {
  await assert.rejects(
    importMessageBase("/nowhere/base", null as unknown as Storage, {
      area: "RU.TEST",
    }),
    (e: unknown) =>
      e instanceof StorageError && e.kind === "validation" &&
      e.field === "storage",
  );
});

Deno.test("importMessageBase() lists a message it could not read whole as a damaged skip, and a run on the whole base imports it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = writeJam({
      messages: [
        { subfields: [{ id: 4, data: "1:1/1 1" }], text: "one\r" },
        { subfields: [{ id: 4, data: "1:1/1 2" }], text: "two\r" },
      ],
    });
    const path = `${dir}/echo`;
    await Deno.writeFile(`${path}.jhr`, files.jhr);
    await Deno.writeFile(`${path}.jdx`, files.jdx!);
    // The text file cut in the second message's text, as a tosser still writing leaves it.
    await Deno.writeFile(`${path}.jdt`, files.jdt.subarray(0, 6));
    await using storage = await openStorage("sqlite::memory:");
    const first = await importMessageBase(path, storage, { area: "ECHO" });
    assert.deepEqual(first.counts, { read: 2, imported: 1, skipped: 1 });
    assert.deepEqual(
      first.skipped.map((s) => [s.number, s.reason, s.duplicateOf]),
      [[2, "damaged", null]],
    );
    assert.match(first.skipped[0]!.detail, /^echo\.jdt: the text .* left out/);
    await Deno.writeFile(`${path}.jdt`, files.jdt);
    const second = await importMessageBase(path, storage, { area: "ECHO" });
    assert.deepEqual(second.counts, { read: 2, imported: 1, skipped: 1 });
    const area = await storage.messageAreas.getByTag("ECHO");
    assert.deepEqual(
      (await storage.messages.list(area!.id)).map((m) => m.body),
      ["one\n", "two\n"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
