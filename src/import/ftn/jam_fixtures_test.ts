/**
 * The JAM reader on the real bases of /work/shared/fixtures/ftn/jam (see its README): found
 * through `IMPULSE_FTN_FIXTURES`, or at `../shared/fixtures/ftn/` beside the repository; the
 * tests are registered as ignored without them. Every expected value below was decoded by hand
 * from the files' bytes (`xxd`), not from the reader.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { jamCrc32, jamNameCrc32, parseJam, readJamBase } from "./jam.ts";
import { latin1, writeJam } from "./_jam_writer_test.ts";
import { JAM_FIXTURES } from "./_fixtures_test.ts";
import { at } from "./_builders_test.ts";
import type { FtnRawMessage } from "./types.ts";

const JAM = JAM_FIXTURES;

function fixtureTest(name: string, fn: (jam: string) => Promise<void>): void {
  Deno.test({ name, ignore: JAM === null, fn: () => fn(JAM!) });
}

type Expected =
  & Omit<FtnRawMessage, "fromName" | "toName" | "subject" | "control" | "text">
  & {
    fromName: string;
    toName: string;
    subject: string;
    control: string[];
    text: string;
  };

function bytes(message: Expected): FtnRawMessage {
  return {
    ...message,
    fromName: latin1(message.fromName),
    toName: latin1(message.toName),
    subject: latin1(message.subject),
    control: message.control.map(latin1),
    text: latin1(message.text),
  };
}

const QUOTE =
  "* In a message originally to All, MIKE KRUEGER said:\r\r > TestMail\r\r";
const ELEBBS_COMMON = {
  fromName: "MIKE KRUEGER",
  subject: "Test",
  deleted: false,
  origAddr: "100:213/50.12",
};
const ELEBBS: Expected[] = [
  {
    ...ELEBBS_COMMON,
    number: 1,
    toName: "All",
    written: at("2024-04-06 11:48:00"),
    arrived: at("2024-04-06 11:48:12"),
    attributes: 0x00800005,
    private: true,
    destAddr: "50020:12795/0.62886",
    replyTo: 0,
    replies: [2, 3],
    control: [
      "PID: EleBBS/DOS v0.09.g1",
      "MSGID: 100:213/50.12 00afd000",
      "DADDRESS: 50020:12795/0.62886",
      "OADDRESS: 100:213/50.12",
    ],
    text: "TestMail\r\r",
  },
  {
    ...ELEBBS_COMMON,
    number: 2,
    toName: "MIKE KRUEGER",
    written: at("2024-04-06 11:48:00"),
    arrived: at("2024-04-06 11:48:32"),
    attributes: 0x0080000d,
    private: true,
    destAddr: "46260:1517/7907",
    replyTo: 1,
    replies: [],
    control: [
      "PID: EleBBS/DOS v0.09.g1",
      "MSGID: 100:213/50.12 00afd7d2",
      "REPLY: 100:213/50.12 00afd000",
      "DADDRESS: 46260:1517/7907",
      "OADDRESS: 100:213/50.12",
    ],
    text: QUOTE + "Private Reply\r\r",
  },
  {
    ...ELEBBS_COMMON,
    number: 3,
    toName: "MIKE KRUEGER",
    written: at("2024-04-06 11:48:00"),
    arrived: at("2024-04-06 11:48:44"),
    attributes: 0x00800009,
    private: false,
    destAddr: "46260:1517/7907",
    replyTo: 1,
    replies: [4],
    control: [
      "PID: EleBBS/DOS v0.09.g1",
      "MSGID: 100:213/50.12 00afdc73",
      "REPLY: 100:213/50.12 00afd000",
      "DADDRESS: 46260:1517/7907",
      "OADDRESS: 100:213/50.12",
    ],
    text: QUOTE + "Public reply\r\r",
  },
  {
    ...ELEBBS_COMMON,
    number: 4,
    toName: "MIKE KRUEGER",
    written: at("2024-04-06 11:49:00"),
    arrived: at("2024-04-06 11:49:00"),
    attributes: 0x00800009,
    private: false,
    destAddr: "46260:1517/7907.8",
    replyTo: 3,
    replies: [],
    control: [
      "PID: EleBBS/DOS v0.09.g1",
      "MSGID: 100:213/50.12 00aff24b",
      "REPLY: 100:213/50.12 00afdc73",
      "DADDRESS: 46260:1517/7907.8",
      "OADDRESS: 100:213/50.12",
    ],
    text: "Public reply 2\r\r",
  },
];

const GENERAL_COMMON = {
  fromName: "omnibrain",
  deleted: false,
  origAddr: null,
  destAddr: null,
};
const GENERAL: Expected[] = [
  {
    ...GENERAL_COMMON,
    number: 1,
    toName: "Sysop",
    subject: "Test",
    written: at("2024-04-05 22:25:38"),
    arrived: at("2024-04-05 22:25:38"),
    attributes: 0x00800001,
    private: false,
    replyTo: 0,
    replies: [],
    control: ["MSGID: 0:0/0 dd978833", "TZUTC: 0200"],
    text: "Test Mail\r",
  },
  {
    ...GENERAL_COMMON,
    number: 2,
    toName: "All",
    subject: "Hello All",
    written: at("2024-04-05 22:26:00"),
    arrived: at("2024-04-05 22:26:00"),
    attributes: 0x00800001,
    private: false,
    replyTo: 0,
    replies: [3],
    control: ["MSGID: 0:0/0 42db93a9", "TZUTC: 0200"],
    text: "Hello World\r",
  },
  {
    ...GENERAL_COMMON,
    number: 3,
    toName: "omnibrain",
    subject: "Re: Hello All",
    written: at("2024-04-05 22:26:39"),
    arrived: at("2024-04-05 22:26:39"),
    attributes: 0x00800001,
    private: false,
    replyTo: 2,
    replies: [],
    control: ["MSGID: 0:0/0 d20d2b14", "REPLY: 0:0/0 42db93a9", "TZUTC: 0200"],
    text: "Reply\r",
  },
  {
    ...GENERAL_COMMON,
    number: 4,
    toName: "omnibrain",
    subject: "test",
    written: at("2024-04-06 00:12:26"),
    arrived: at("2024-04-06 00:12:26"),
    attributes: 0x00800005,
    private: true,
    replyTo: 0,
    replies: [],
    control: ["MSGID: 0:0/0 fd7bcfeb", "TZUTC: 0200"],
    text: "private message\r\r... Multitasking: Reading in the bathroom\r",
  },
];

const RA_COMMON = {
  fromName: "Mike Krueger",
  arrived: null,
  deleted: false,
  origAddr: null,
  destAddr: null,
  replyTo: 0,
  replies: [],
};
const RA: Expected[] = [
  {
    ...RA_COMMON,
    number: 1,
    toName: "All",
    subject: "TEST",
    written: at("2024-04-06 09:49:00"),
    attributes: 1,
    private: false,
    control: ["PID: RA 2.62.1", "MSGID: 1:2/3 66111aba"],
    text: "THIS IS A TEST\r",
  },
  {
    ...RA_COMMON,
    number: 2,
    toName: "All",
    subject: "tEST2",
    written: at("2024-04-06 09:50:00"),
    attributes: 1,
    private: false,
    control: ["PID: RA 2.62.1", "MSGID: 1:2/3 66111aca"],
    text: "TEST2\r",
  },
  {
    ...RA_COMMON,
    number: 3,
    toName: "SysOp",
    subject: "Private",
    written: at("2024-04-06 09:50:00"),
    attributes: 5,
    private: true,
    control: ["PID: RA 2.62.1", "MSGID: 1:2/3 66111af4"],
    text: "Private Message\r",
  },
];

fixtureTest(
  "readJamBase() reads the EleBBS base: addresses, junk zones, reply links",
  async (jam) => {
    assert.deepEqual(await readJamBase(join(jam, "elebbs")), {
      format: "jam",
      messages: ELEBBS.map(bytes),
      lastRead: [{
        nameCrc: 0xc6432bfd,
        userNumber: 1,
        lastRead: 4,
        highRead: 4,
      }],
      problems: [],
    });
  },
);

fixtureTest(
  "readJamBase() reads the general base: TZUTCINFO, zone-0 MSGIDs",
  async (jam) => {
    assert.deepEqual(await readJamBase(join(jam, "general")), {
      format: "jam",
      messages: GENERAL.map(bytes),
      lastRead: [{
        nameCrc: 0x505408f8,
        userNumber: 1,
        lastRead: 2,
        highRead: 2,
      }],
      problems: [],
    });
  },
);

fixtureTest(
  "readJamBase() walks the ra base, whose index is misnamed ra..jdx",
  async (jam) => {
    assert.deepEqual(await readJamBase(join(jam, "ra")), {
      format: "jam",
      messages: RA.map(bytes),
      lastRead: [],
      problems: [{
        file: "ra.jdx",
        offset: 0,
        number: null,
        reason:
          "the index file is missing; the headers were found by walking the header file",
      }],
    });
    // Its index under the other name leads to the same messages.
    const read = (name: string) => Deno.readFile(join(jam, name));
    const files = {
      jhr: await read("ra.jhr"),
      jdt: await read("ra.jdt"),
      jdx: await read("ra..jdx"),
      jlr: await read("ra.jlr"),
    };
    assert.deepEqual(parseJam(files).messages, RA.map(bytes));
  },
);

fixtureTest(
  "jamNameCrc32() gives the CRCs the fixtures' .jdx and .jlr hold",
  async (jam) => {
    for (
      const [jdxName, expected] of [["elebbs.jdx", ELEBBS], [
        "general.jdx",
        GENERAL,
      ], ["ra..jdx", RA]] as const
    ) {
      const jdx = new DataView(
        (await Deno.readFile(join(jam, jdxName))).buffer,
      );
      expected.forEach((message, i) => {
        assert.equal(
          jamNameCrc32(latin1(message.toName)),
          jdx.getUint32(i * 8, true),
          `${jdxName} ${i}`,
        );
      });
    }
    // The .jlr UserCRCs are those of the names the writers use for their sysop.
    assert.equal(jamNameCrc32(latin1("Mike Krueger")), 0xc6432bfd);
    assert.equal(jamNameCrc32(latin1("omnibrain")), 0x505408f8);
    // MSGIDcrc (offset 16 of a header) is the CRC of the MSGID value as it stands.
    const ra = new DataView((await Deno.readFile(join(jam, "ra.jhr"))).buffer);
    assert.equal(
      jamCrc32(latin1("1:2/3 66111aba")),
      ra.getUint32(1024 + 16, true),
    );
  },
);

fixtureTest(
  "writeJam() writes the first header of ra.jhr byte for byte",
  async (jam) => {
    const ra = await Deno.readFile(join(jam, "ra.jhr"));
    const { jhr } = writeJam({
      messages: [{
        subfields: [
          { id: 3, data: "All" },
          { id: 6, data: "TEST" },
          { id: 2, data: "Mike Krueger" },
          { id: 7, data: "RA 2.62.1" },
          { id: 4, data: "1:2/3 66111aba" },
        ],
        msgidCrc: 0x7e722975,
        dateWritten: 0x66111a8c,
        attribute: 1,
        text: "THIS IS A TEST\r",
      }],
    });
    assert.deepEqual(jhr.subarray(1024), ra.subarray(1024, 1024 + 76 + 0x52));
  },
);
