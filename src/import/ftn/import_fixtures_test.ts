/**
 * `importMessageBase()` on the JAM bases of ../shared/fixtures/ftn/jam (written by EleBBS,
 * RemoteAccess and another program) and on a Squish base of generated echomail. The expected
 * values of the JAM bases are written out from what the files hold (their bytes, decoded by hand
 * in jam_fixtures_test.ts and the fixtures' README), not computed by the import's code.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { openStorage } from "../../open.ts";
import type { Message } from "../../records.ts";
import type { Storage } from "../../storage.ts";
import { importMessageBase } from "./import.ts";
import { copyJamFixture, JAM_FIXTURES } from "./_fixtures_test.ts";
import { echomailMessages } from "./_echomail_fixture.ts";
import { writeSquishBase } from "./_squish_writer.ts";

function fixtureTest(name: string, fn: (dir: string) => Promise<void>): void {
  Deno.test({
    name,
    ignore: JAM_FIXTURES === null,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "impulse-ftn-import-" });
      try {
        await fn(dir);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

/** An area's messages as plain values, parents by msgNum. */
async function messagesOf(storage: Storage, tag: string) {
  const area = (await storage.messageAreas.getByTag(tag))!;
  const all: Message[] = [];
  for (;;) {
    const page = await storage.messages.list(area.id, {
      afterNum: all.at(-1)?.msgNum ?? 0,
      limit: 1000,
    });
    if (page.length === 0) break;
    all.push(...page);
  }
  const num = new Map(all.map((m) => [m.id, m.msgNum]));
  return all.map((m: Message) => ({
    msgNum: m.msgNum,
    fromName: m.fromName,
    toName: m.toName,
    subject: m.subject,
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    ftnMsgid: m.ftnMsgid,
    ftnReply: m.ftnReply,
    kludges: m.kludges,
    origAddr: m.origAddr,
    destAddr: m.destAddr,
    private: m.private,
    imported: m.imported,
    parent: m.parentId === null ? null : num.get(m.parentId),
  }));
}

const QUOTE =
  "* In a message originally to All, MIKE KRUEGER said:\n\n > TestMail\n\n";
const ELEBBS = {
  fromName: "MIKE KRUEGER",
  subject: "Test",
  origAddr: "100:213/50.12",
  destAddr: null, // junk: zones 50020 and 46260, kept as DADDRESS kludges
  imported: true,
};
/** The kludges of an EleBBS message: its PID, then its junk DADDRESS as the base holds it. */
const elebbsKludges = (daddress: string) => [
  { name: "PID", value: "EleBBS/DOS v0.09.g1" },
  { name: "DADDRESS", value: daddress },
];

fixtureTest(
  "importMessageBase() imports the EleBBS base exactly",
  async (dir) => {
    await using storage = await openStorage("sqlite::memory:");
    const mike = await storage.users.create({
      username: "Mike Krueger",
      passwordHash: "h",
    });
    const path = await copyJamFixture("elebbs", dir);
    const report = await importMessageBase(path, storage, { area: "ELEBBS" });
    assert.deepEqual(await messagesOf(storage, "ELEBBS"), [
      {
        ...ELEBBS,
        kludges: elebbsKludges("50020:12795/0.62886"),
        msgNum: 1,
        toName: "All",
        body: "TestMail\n\n",
        createdAt: "2024-04-06T11:48:00.000Z",
        ftnMsgid: "100:213/50.12 00afd000",
        ftnReply: null,
        private: true,
        parent: null,
      },
      {
        ...ELEBBS,
        kludges: elebbsKludges("46260:1517/7907"),
        msgNum: 2,
        toName: "MIKE KRUEGER",
        body: `${QUOTE}Private Reply\n\n`,
        createdAt: "2024-04-06T11:48:00.000Z",
        ftnMsgid: "100:213/50.12 00afd7d2",
        ftnReply: "100:213/50.12 00afd000",
        private: true,
        parent: 1,
      },
      {
        ...ELEBBS,
        kludges: elebbsKludges("46260:1517/7907"),
        msgNum: 3,
        toName: "MIKE KRUEGER",
        body: `${QUOTE}Public reply\n\n`,
        createdAt: "2024-04-06T11:48:00.000Z",
        ftnMsgid: "100:213/50.12 00afdc73",
        ftnReply: "100:213/50.12 00afd000",
        private: false,
        parent: 1,
      },
      {
        ...ELEBBS,
        kludges: elebbsKludges("46260:1517/7907.8"),
        msgNum: 4,
        toName: "MIKE KRUEGER",
        body: "Public reply 2\n\n",
        createdAt: "2024-04-06T11:49:00.000Z",
        ftnMsgid: "100:213/50.12 00aff24b",
        ftnReply: "100:213/50.12 00afdc73",
        private: false,
        parent: 3,
      },
    ]);
    assert.deepEqual(report.counts, { read: 4, imported: 4, skipped: 0 });
    assert.equal(report.format, "jam");
    assert.equal(report.linked, 3);
    assert.deepEqual(report.changed.map((c) => [c.number, c.field]), [
      [1, "destAddr"],
      [2, "destAddr"],
      [3, "destAddr"],
      [4, "destAddr"],
    ]);
    assert.match(report.changed[0]!.reason, /"50020:12795\/0\.62886"/);
    assert.deepEqual(report.fallbacks, [
      { kind: "missing", label: null, count: 4 },
    ]);
    // The .jlr record (UserCRC of "mike krueger") read up to message 4.
    assert.deepEqual(report.lastRead, { read: 1, set: 1, unmatched: [] });
    const area = (await storage.messageAreas.getByTag("ELEBBS"))!;
    assert.equal(await storage.reading.pointer(mike.id, area.id), 4);
    assert.equal(area.kind, "echomail");
    assert.equal(area.echoTag, "ELEBBS");
  },
);

const GENERAL = {
  fromName: "omnibrain",
  kludges: [{ name: "TZUTC", value: "0200" }],
  origAddr: null,
  destAddr: null,
  imported: true,
  ftnReply: null,
  parent: null,
  private: false,
};

fixtureTest(
  "importMessageBase() imports the general base exactly, at the instants TZUTCINFO gives",
  async (dir) => {
    await using storage = await openStorage("sqlite::memory:");
    const omnibrain = await storage.users.create({
      username: "omnibrain",
      passwordHash: "h",
    });
    const path = await copyJamFixture("general", dir);
    const report = await importMessageBase(path, storage, {
      area: "GENERAL",
      timeZone: "America/Chicago", // not used: every message has its offset, +02:00
    });
    assert.deepEqual(await messagesOf(storage, "GENERAL"), [
      {
        ...GENERAL,
        msgNum: 1,
        toName: "Sysop",
        subject: "Test",
        body: "Test Mail\n",
        createdAt: "2024-04-05T20:25:38.000Z",
        ftnMsgid: "0:0/0 dd978833",
      },
      {
        ...GENERAL,
        msgNum: 2,
        toName: "All",
        subject: "Hello All",
        body: "Hello World\n",
        createdAt: "2024-04-05T20:26:00.000Z",
        ftnMsgid: "0:0/0 42db93a9",
      },
      {
        ...GENERAL,
        msgNum: 3,
        toName: "omnibrain",
        subject: "Re: Hello All",
        body: "Reply\n",
        createdAt: "2024-04-05T20:26:39.000Z",
        ftnMsgid: "0:0/0 d20d2b14",
        ftnReply: "0:0/0 42db93a9",
        parent: 2,
      },
      {
        ...GENERAL,
        msgNum: 4,
        toName: "omnibrain",
        subject: "test",
        body: "private message\n\n... Multitasking: Reading in the bathroom\n",
        createdAt: "2024-04-05T22:12:26.000Z",
        ftnMsgid: "0:0/0 fd7bcfeb",
        private: true,
      },
    ]);
    assert.deepEqual(report.changed, []);
    assert.deepEqual(report.lastRead, { read: 1, set: 1, unmatched: [] });
    const area = (await storage.messageAreas.getByTag("GENERAL"))!;
    assert.equal(await storage.reading.pointer(omnibrain.id, area.id), 2);
  },
);

const RA = {
  fromName: "Mike Krueger",
  origAddr: null,
  destAddr: null,
  imported: true,
  ftnReply: null,
  parent: null,
  kludges: [{ name: "PID", value: "RA 2.62.1" }],
};

fixtureTest(
  "importMessageBase() imports the RemoteAccess base, whose .jdx is missing, exactly",
  async (dir) => {
    await using storage = await openStorage("sqlite::memory:");
    const path = await copyJamFixture("ra", dir);
    const report = await importMessageBase(path, storage, { area: "RA" });
    assert.deepEqual(await messagesOf(storage, "RA"), [
      {
        ...RA,
        msgNum: 1,
        toName: "All",
        subject: "TEST",
        body: "THIS IS A TEST\n",
        createdAt: "2024-04-06T09:49:00.000Z",
        ftnMsgid: "1:2/3 66111aba",
        private: false,
      },
      {
        ...RA,
        msgNum: 2,
        toName: "All",
        subject: "tEST2",
        body: "TEST2\n",
        createdAt: "2024-04-06T09:50:00.000Z",
        ftnMsgid: "1:2/3 66111aca",
        private: false,
      },
      {
        ...RA,
        msgNum: 3,
        toName: "SysOp",
        subject: "Private",
        body: "Private Message\n",
        createdAt: "2024-04-06T09:50:00.000Z",
        ftnMsgid: "1:2/3 66111af4",
        private: true,
      },
    ]);
    assert.deepEqual(report.problems.map((p) => p.file), ["ra.jdx"]);
    assert.deepEqual(report.lastRead, { read: 0, set: 0, unmatched: [] });
  },
);

fixtureTest(
  "importMessageBase() run again on the JAM bases adds nothing and lists every skip",
  async (dir) => {
    await using storage = await openStorage("sqlite::memory:");
    for (const name of ["elebbs", "general", "ra"]) {
      const path = await copyJamFixture(name, dir);
      const first = await importMessageBase(path, storage, { area: "ALL" });
      const second = await importMessageBase(path, storage, { area: "ALL" });
      assert.equal(second.counts.imported, 0, name);
      assert.equal(second.counts.skipped, first.counts.read, name);
      assert.ok(
        second.skipped.every((s) => s.reason === "duplicate-msgid"),
        name,
      );
    }
    const area = (await storage.messageAreas.getByTag("ALL"))!;
    assert.equal(area.msgCount, 11);
  },
);

/** CP866 text as the tests read it, independently of the import's decoder. */
const ibm866 = new TextDecoder("ibm866");

/**
 * What a generated echomail message must become, written from the generator's layout: ^A lines
 * and the trailing SEEN-BY lines leave the text, CR line ends become "\n", TZUTC gives the
 * instant.
 */
function expectedEchomail(raw: ReturnType<typeof echomailMessages>[number]) {
  const control = raw.control.map((c) => ibm866.decode(c));
  const value = (name: string) =>
    control.find((c) => c.startsWith(`${name}: `))?.slice(name.length + 2) ??
      null;
  const lines = ibm866.decode(raw.text).split("\r");
  const body = lines.filter((l) =>
    !l.startsWith("SEEN-BY: ") && !l.startsWith("\x01")
  ).join("\n");
  const tz = value("TZUTC");
  const w = raw.written!;
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const offset = tz === null ? 0 : (tz.startsWith("-") ? -1 : 1) *
    (Number(tz.replace("-", "").slice(0, 2)) * 60 +
      Number(tz.replace("-", "").slice(2)));
  return {
    fromName: ibm866.decode(raw.fromName),
    toName: ibm866.decode(raw.toName),
    subject: ibm866.decode(raw.subject),
    body,
    createdAt: new Date(wall - offset * 60_000).toISOString(),
    ftnMsgid: value("MSGID"),
    ftnReply: value("REPLY"),
  };
}

/**
 * Each message's parent (by MSGID) as the README's FidoNet rules make it, in posting order: a
 * reply links to a parent posted before it; a root waiting with a REPLY is adopted when its
 * parent comes, unless that parent is in its own thread (the link would close a cycle).
 */
function expectedParents(
  messages: { ftnMsgid: string | null; ftnReply: string | null }[],
): Map<string, string | null> {
  const parent = new Map<string, string | null>();
  const rootOf = (id: string) => {
    let x = id;
    while (parent.get(x)) x = parent.get(x)!;
    return x;
  };
  const waiting = new Map<string, string[]>();
  for (const { ftnMsgid: id, ftnReply: reply } of messages) {
    const p = reply !== null && parent.has(reply) ? reply : null;
    parent.set(id!, p);
    if (p === null && reply !== null) {
      waiting.set(reply, [...(waiting.get(reply) ?? []), id!]);
    }
    for (const orphan of waiting.get(id!) ?? []) {
      if (orphan !== rootOf(id!)) parent.set(orphan, id!);
    }
    waiting.delete(id!);
  }
  return parent;
}

Deno.test("importMessageBase() imports 3,000 messages of CP866 echomail from Squish: text, dates and threads", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-ftn-squish-" });
  try {
    const raws = echomailMessages(3000, 7);
    await writeSquishBase(join(dir, "ru.fido"), raws, null);
    await using storage = await openStorage("sqlite::memory:");
    const report = await importMessageBase(join(dir, "ru.fido"), storage, {
      area: "RU.FIDO",
    });
    assert.deepEqual(report.counts, { read: 3000, imported: 3000, skipped: 0 });
    assert.deepEqual(report.fallbacks, []);
    assert.deepEqual(report.problems, []);
    assert.equal(report.format, "squish");
    const stored = await messagesOf(storage, "RU.FIDO");
    const byMsgid = new Map(stored.map((m) => [m.ftnMsgid, m]));
    const parents = expectedParents(raws.map(expectedEchomail));
    let threaded = 0;
    for (const raw of raws) {
      const want = expectedEchomail(raw);
      const got = byMsgid.get(want.ftnMsgid);
      assert.ok(got, `message ${raw.number}`);
      for (const key of Object.keys(want) as (keyof typeof want)[]) {
        assert.equal(got[key], want[key], `message ${raw.number} ${key}`);
      }
      // The letter Н (CP866 0x8D) is a letter here, not a soft CR.
      assert.equal(
        [...got.body].filter((c) => c === "Н").length,
        [...want.body].filter((c) => c === "Н").length,
      );
      const parentId = parents.get(want.ftnMsgid!);
      const parent = parentId ? byMsgid.get(parentId) : undefined;
      assert.equal(
        got.parent,
        parent?.msgNum ?? null,
        `message ${raw.number} parent`,
      );
      if (parent) threaded++;
      assert.deepEqual(
        got.kludges.map((k) => k.name),
        [
          "PID",
          "CHRS",
          ...(raw.control.some((c) => ibm866.decode(c).startsWith("TZUTC"))
            ? ["TZUTC"]
            : []),
          "TID",
          "SEEN-BY",
          "SEEN-BY",
          "PATH",
        ],
      );
    }
    assert.ok(threaded > 1000, `${threaded} replies linked`);
    assert.equal(report.linked, threaded);
    const again = await importMessageBase(join(dir, "ru.fido"), storage, {
      area: "RU.FIDO",
    });
    assert.deepEqual(again.counts, { read: 3000, imported: 0, skipped: 3000 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
