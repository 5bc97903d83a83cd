import assert from "node:assert/strict";
import { join } from "node:path";
import { StorageError } from "../../errors.ts";
import { jamCrc32, jamNameCrc32, parseJam, readJamBase } from "./jam.ts";
import { jamBaseNames } from "./jam_parse.ts";
import { latin1, type TestBase, writeJam } from "./_jam_writer_test.ts";
import type { FtnBase, FtnRawMessage } from "./types.ts";

const DELETED = 0x80000000;
const text = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);
const lines = (message: FtnRawMessage) => message.control.map(text);

function parse(base: TestBase, without: { jdx?: boolean } = {}): FtnBase {
  const files = writeJam(base);
  return parseJam(
    { ...files, jdx: without.jdx ? null : files.jdx },
    jamBaseNames("area"),
  );
}

Deno.test("parseJam() maps every subfield, keeping control lines in stored order, every address subfield among them", () => {
  const [message] = parse({
    messages: [{
      subfields: [
        { id: 2004, data: "-0130" },
        { id: 0, data: "2:5020/1.5" },
        { id: 8, data: "20240406114800 2:5020/1" },
        { id: 4, data: "2:5020/1.5 1a2b3c4d" },
        { id: 2000, data: "CHRS: CP866 2" },
        { id: 1, data: "99999:12795/0.62886\xe9" },
        { id: 2, data: "Sender Name" },
        { id: 3, data: "Receiver Name" },
        { id: 9, data: "FILE.ZIP" },
        { id: 5, data: "2:5020/2 0badf00d" },
        { id: 6, data: "The subject" },
        { id: 1000, data: "binary" },
        { id: 7, data: "GoldED 2.50" },
        { id: 2001, data: "5020/1 2" },
        { id: 2002, data: "5020/1" },
        { id: 2003, data: "DIR" },
        { id: 0, data: "9:9/9" },
        { id: 1, data: "8:8/8" },
        { id: 2, data: "Second Sender" },
      ],
    }],
  }).messages;
  assert.ok(message);
  assert.equal(text(message.fromName), "Sender Name");
  assert.equal(text(message.toName), "Receiver Name");
  assert.equal(text(message.subject), "The subject");
  assert.equal(message.origAddr, "2:5020/1.5");
  assert.equal(message.destAddr, "99999:12795/0.62886\u00e9");
  // Every address subfield is a control line too, where it stands (the import drops the
  // first where it stores it as written).
  assert.deepEqual(lines(message), [
    "TZUTC: -0130",
    "OADDRESS: 2:5020/1.5",
    "Via 20240406114800 2:5020/1",
    "MSGID: 2:5020/1.5 1a2b3c4d",
    "CHRS: CP866 2",
    "DADDRESS: 99999:12795/0.62886\u00e9",
    "REPLY: 2:5020/2 0badf00d",
    "PID: GoldED 2.50",
    "SEEN-BY: 5020/1 2",
    "PATH: 5020/1",
    "FLAGS DIR",
    // The second OADDRESS and DADDRESS (carbon copies).
    "OADDRESS: 9:9/9",
    "DADDRESS: 8:8/8",
  ]);
});

Deno.test("parseJam() cuts names and values at a NUL, and a kludge's ^A and line end", () => {
  const base = parse({
    messages: [{
      subfields: [
        { id: 2, data: "Padded\0\0junk" },
        { id: 3, data: "" },
        { id: 2000, data: "\x01REALNAME: Someone\r" },
        { id: 4, data: "1:2/3 abcd\0" },
      ],
    }],
  });
  const [message] = base.messages;
  assert.ok(message);
  assert.equal(text(message.fromName), "Padded");
  // What follows a NUL is lost, and listed, unless it is only more NULs (padding).
  assert.deepEqual(base.problems.map((p) => [p.file, p.number, p.reason]), [[
    "area.jhr",
    1,
    "the SENDERNAME subfield holds bytes after a NUL; it is read up to the NUL (6 bytes left out)",
  ]]);
  assert.deepEqual(message.toName, new Uint8Array());
  assert.deepEqual(message.subject, new Uint8Array());
  assert.equal(message.origAddr, null);
  assert.equal(message.destAddr, null);
  assert.deepEqual(lines(message), ["REALNAME: Someone", "MSGID: 1:2/3 abcd"]);
});

Deno.test("parseJam() keeps 100-byte names and bytes above 0x7F as they are", () => {
  const long = "N".repeat(99) + "\x8d";
  const [message] = parse({
    messages: [{
      subfields: [{ id: 2, data: long }, { id: 3, data: long }, {
        id: 6,
        data: long,
      }],
    }],
  }).messages;
  assert.ok(message);
  for (const field of [message.fromName, message.toName, message.subject]) {
    assert.deepEqual(field, latin1(long));
  }
});

Deno.test("parseJam() reads dates as wall-clock readings, 0 as not set, arrival as DateProcessed", () => {
  const base = parse({
    messages: [
      {
        dateWritten: 0x66113670,
        dateReceived: 0x66113700,
        dateProcessed: 0x6611367c,
      },
      { dateWritten: 0, dateReceived: 86399, dateProcessed: 0 },
      {},
    ],
  });
  const [a, b, c] = base.messages;
  assert.deepEqual(a?.written, {
    year: 2024,
    month: 4,
    day: 6,
    hour: 11,
    minute: 48,
    second: 0,
  });
  assert.deepEqual(a?.arrived, {
    year: 2024,
    month: 4,
    day: 6,
    hour: 11,
    minute: 48,
    second: 12,
  });
  assert.equal(b?.written, null);
  assert.deepEqual(b?.arrived, {
    year: 1970,
    month: 1,
    day: 1,
    hour: 23,
    minute: 59,
    second: 59,
  });
  assert.equal(c?.written, null);
  assert.equal(c?.arrived, null);
});

Deno.test("parseJam() keeps deleted messages, flagged, with attributes as stored", () => {
  const base = parse({
    messages: [
      { attribute: 0x00800005, text: "private\r" },
      { attribute: DELETED | 0x4, text: "gone\r" },
      { attribute: 0x01000000 },
    ],
  });
  assert.deepEqual(
    base.messages.map((
      m,
    ) => [m.number, m.attributes, m.private, m.deleted, text(m.text)]),
    [
      [1, 0x00800005, true, false, "private\r"],
      [2, (DELETED | 0x4) >>> 0, true, true, "gone\r"],
      [3, 0x01000000, false, false, ""],
    ],
  );
  assert.deepEqual(base.problems, []);
});

Deno.test("parseJam() numbers by .jdx position plus BaseMsgNum and skips empty slots", () => {
  const files = writeJam({
    baseNumber: 100,
    messages: [{ text: "a" }, { text: "b" }],
  });
  const base = parseJam({
    ...files,
    jdx: Uint8Array.from([
      ...writeJam({ messages: [], index: [[0xffffffff, 0xffffffff]] }).jdx,
      ...files.jdx,
    ]),
  });
  assert.deepEqual(base.messages.map((m) => [m.number, text(m.text)]), [[
    101,
    "a",
  ], [102, "b"]]);
  // Headers say 100 and 101: the index's numbers are kept, and the disagreement reported.
  assert.deepEqual(base.problems.map((p) => [p.file, p.offset, p.number]), [
    ["base.jhr", 1024, 101],
    ["base.jhr", 1024 + 76, 102],
  ]);
});

Deno.test("parseJam() walks .jhr without .jdx, keeping the live copy of a grown header", () => {
  const base = parse({
    messages: [
      {
        number: 1,
        attribute: DELETED,
        subfields: [{ id: 6, data: "old copy" }],
        textLength: 0,
      },
      { number: 2, attribute: DELETED, text: "deleted for real\r" },
      { number: 1, subfields: [{ id: 6, data: "new copy" }], text: "body\r" },
      { number: 3, text: "last\r" },
    ],
  }, { jdx: true });
  assert.deepEqual(
    base.messages.map((
      m,
    ) => [m.number, text(m.subject), m.deleted, text(m.text)]),
    [[1, "new copy", false, "body\r"], [2, "", true, "deleted for real\r"], [
      3,
      "",
      false,
      "last\r",
    ]],
  );
  assert.deepEqual(base.problems, [{
    file: "area.jdx",
    offset: 0,
    number: null,
    reason:
      "the index file is missing; the headers were found by walking the header file",
  }]);
});

Deno.test("parseJam() walks .jhr when .jdx is empty or leads nowhere", () => {
  const files = writeJam({ messages: [{ text: "a" }, { text: "b" }] });
  for (
    const jdx of [
      new Uint8Array(),
      writeJam({ messages: [], index: [[0, 5], [0, 99999]] }).jdx,
    ]
  ) {
    const base = parseJam({ ...files, jdx });
    assert.deepEqual(base.messages.map((m) => text(m.text)), ["a", "b"]);
    assert.equal(base.problems.length, 1);
    assert.equal(base.problems[0]?.file, "base.jdx");
    assert.match(base.problems[0]!.reason, /found by walking the header file/);
  }
});

Deno.test("parseJam() reads no message from the area header, where a zeroed .jdx points", () => {
  const files = writeJam({ messages: [{ text: "a" }, { text: "b" }] });
  const base = parseJam({ ...files, jdx: new Uint8Array(32) });
  assert.deepEqual(base.messages.map((m) => [m.number, text(m.text)]), [
    [1, "a"],
    [2, "b"],
  ]);
  assert.match(
    base.problems[0]!.reason,
    /points to offset 0: offset 0 is inside the 1024-byte area header\); the headers were found by walking/,
  );
});

Deno.test("parseJam() keeps the live headers no index record points to, by their MessageNumber", () => {
  const files = writeJam({
    messages: [{ text: "a" }, { text: "b" }, { text: "c" }, { text: "d" }],
  });
  // The index cut after two records, as a crash while it was written would leave it.
  const cut = parseJam({ ...files, jdx: files.jdx.subarray(0, 16) });
  assert.deepEqual(cut.messages.map((m) => [m.number, text(m.text)]), [
    [1, "a"],
    [2, "b"],
    [3, "c"],
    [4, "d"],
  ]);
  assert.deepEqual(
    cut.problems.map((p) => [p.file, p.number]),
    [["base.jhr", 3], ["base.jhr", 4]],
  );
  assert.match(
    cut.problems[0]!.reason,
    /no index record points to this header/,
  );
  // Record 2 pointing at message 1's header: message 2's header is found, but the index gave
  // its number to nobody else, so it is kept; the record pointing again is reported.
  const view = new DataView(files.jdx.buffer.slice(0));
  view.setUint32(12, view.getUint32(4, true), true);
  const astray = parseJam({ ...files, jdx: new Uint8Array(view.buffer) });
  assert.deepEqual(astray.messages.map((m) => [m.number, text(m.text)]), [
    [1, "a"],
    [2, "b"],
    [3, "c"],
    [4, "d"],
  ]);
  // A live header whose number the index gives another header is reported and skipped.
  const renumbered = writeJam({
    messages: [{ text: "a" }, { text: "b" }, { text: "c", number: 1 }],
  });
  const clash = parseJam({
    ...renumbered,
    jdx: renumbered.jdx.subarray(0, 16),
  });
  assert.deepEqual(clash.messages.map((m) => text(m.text)), ["a", "b"]);
  assert.ok(
    clash.problems.some((p) =>
      /the index gives its number \(1\) to another; it is skipped/.test(
        p.reason,
      )
    ),
    JSON.stringify(clash.problems),
  );
});

Deno.test("parseJam() reads the live copy of a grown header the index does not point to", () => {
  // The writer appended the grown header's new copy and marked the old one deleted, but the
  // index (cut before the new copy's record) still points to the old one.
  const files = writeJam({
    messages: [
      { text: "a" },
      { text: "old", attribute: 0x80000000 },
      { text: "c" },
      { text: "new", number: 2 },
    ],
  });
  const base = parseJam({ ...files, jdx: files.jdx.subarray(0, 24) });
  assert.deepEqual(
    base.messages.map((m) => [m.number, text(m.text), m.deleted]),
    [[1, "a", false], [2, "new", false], [3, "c", false]],
  );
  assert.match(
    base.problems[0]!.reason,
    /the index points to a deleted copy of this message .* is read instead/,
  );
});

Deno.test("parseJam() with a whole index reads no header out of another header's bytes", () => {
  const fake = writeJam({
    messages: [{ number: 9, subfields: [{ id: 6, data: "EVIL" }], text: "a" }],
  }).jhr.subarray(1024);
  const files = writeJam({
    messages: [
      { text: "a" },
      {
        // A SubfieldLen too short: the rest of its subfields, a header's bytes among them,
        // follow the header as it says it ends.
        subfields: [
          { id: 6, data: "two" },
          { id: 2000, data: String.fromCharCode(...fake) },
        ],
        subfieldLen: 11,
        text: "b",
      },
      { text: "c" },
    ],
  });
  const base = parseJam(files);
  assert.deepEqual(base.messages.map((m) => text(m.text)), ["a", "b", "c"]);
  assert.ok(base.messages.every((m) => text(m.subject) !== "EVIL"));
});

Deno.test("parseJam() reports a header with a bad signature and reads the others", () => {
  const files = writeJam({
    messages: [{ text: "a" }, { text: "b", signature: "JAX\0" }, { text: "c" }],
  });
  const byIndex = parseJam(files);
  const walked = parseJam({ ...files, jdx: null });
  for (const base of [byIndex, walked]) {
    assert.deepEqual(base.messages.map((m) => text(m.text)), ["a", "c"]);
    const problem = base.problems.find((p) =>
      p.file === "base.jhr" && p.offset === 1024 + 76
    );
    assert.ok(problem, JSON.stringify(base.problems));
    assert.match(problem.reason, /no JAM header signature/);
  }
  assert.equal(byIndex.problems.find((p) => p.offset === 1024 + 76)?.number, 2);
  assert.match(
    walked.problems.find((p) => p.offset === 1024 + 76)!.reason,
    /76 bytes were skipped/,
  );
  // ActiveMsgs says 3, two were read.
  assert.ok(
    byIndex.problems.some((p) =>
      p.offset === 12 && /counts 3 .* but 2/.test(p.reason)
    ),
  );
});

Deno.test("parseJam() reports a SubfieldLen that the subfields do not add up to", () => {
  const subfields = [{ id: 2, data: "From" }, { id: 6, data: "Subject" }];
  for (const subfieldLen of [12 + 15 + 4, 12 + 10]) {
    const files = writeJam({
      messages: [{ subfields, subfieldLen, text: "a" }],
    });
    // A SubfieldLen past the real end would swallow the next header: give it one more message.
    const base = parseJam({ ...files, jdx: null });
    const [message] = base.messages;
    assert.equal(text(message!.fromName), "From");
    assert.equal(text(message!.subject), subfieldLen > 27 ? "Subject" : "");
    assert.equal(base.problems.length, 2, JSON.stringify(base.problems)); // + the missing .jdx
    assert.deepEqual(
      [
        base.problems[1]?.file,
        base.problems[1]?.offset,
        base.problems[1]?.number,
      ],
      ["base.jhr", 1024, 1],
    );
    assert.match(base.problems[1]!.reason, /SubfieldLen/);
  }
});

Deno.test("parseJam() walks on to the next header after a damaged SubfieldLen", () => {
  const files = writeJam({
    messages: [
      { subfields: [{ id: 6, data: "one" }], subfieldLen: 500, text: "a" },
      { subfields: [{ id: 6, data: "two" }], text: "b" },
    ],
  });
  const base = parseJam({ ...files, jdx: null });
  assert.deepEqual(base.messages.map((m) => text(m.subject)), ["one", "two"]);
});

Deno.test("parseJam() leaves out a message whose text is not all in .jdt, and reports it", () => {
  const base = parse({
    messages: [
      { text: "12345" },
      { text: "", textOffset: 5, textLength: 10 },
      { text: "", textOffset: 3, textLength: 10 },
      { text: "", textOffset: 3, textLength: 2 },
      // A deleted message's text is not read: it is skipped as deleted.
      { text: "", textOffset: 99, textLength: 10, attribute: 0x80000000 },
    ],
  });
  assert.deepEqual(
    base.messages.map((m) => [m.number, text(m.text), m.deleted]),
    [[1, "12345", false], [4, "45", false], [5, "", true]],
  );
  assert.deepEqual(base.problems.map((p) => [p.file, p.offset, p.number]), [
    ["area.jdt", 5, 2],
    ["area.jdt", 3, 3],
    ["area.jhr", 12, null],
  ]);
  assert.match(
    base.problems[0]!.reason,
    /runs past the end of the file \(5 bytes\); the message is left out/,
  );
  assert.match(
    base.problems[2]!.reason,
    /counts \d+ messages .* but 2 were found/,
  );
});

Deno.test("parseJam() follows Reply1st then ReplyNext, stopping at a loop or a missing answer", () => {
  const base = parse({
    messages: [
      { reply1st: 2 },
      { replyTo: 1, replyNext: 3, reply1st: 4 },
      { replyTo: 1, replyNext: 2 },
      { replyTo: 2, replyNext: 9 },
    ],
  });
  assert.deepEqual(base.messages.map((m) => [m.number, m.replyTo, m.replies]), [
    [1, 0, [2, 3]],
    [2, 1, [4]],
    [3, 1, []],
    [4, 2, []],
  ]);
});

Deno.test("parseJam() reads .jlr records, skipping deleted ones", () => {
  const files = writeJam({
    messages: [],
    lastRead: [[0x754fadb6, 1, 4, 5], [0xffffffff, 0xffffffff, 1, 1], [
      7,
      2,
      0,
      0,
    ]],
  });
  const base = parseJam({
    ...files,
    jlr: Uint8Array.from([...files.jlr, 1, 2, 3]),
  });
  assert.deepEqual(base.lastRead, [
    { nameCrc: 0x754fadb6, userNumber: 1, lastRead: 4, highRead: 5 },
    { nameCrc: 7, userNumber: 2, lastRead: 0, highRead: 0 },
  ]);
  assert.deepEqual(base.problems.map((p) => [p.file, p.offset]), [[
    "base.jlr",
    48,
  ]]);
  assert.deepEqual(parseJam({ ...files, jlr: null }).lastRead, []);
  assert.deepEqual(parseJam({ ...files, jlr: new Uint8Array() }).lastRead, []);
});

Deno.test("parseJam() refuses a .jhr without a JAM area header", () => {
  const { jhr, jdt } = writeJam({ messages: [] });
  for (
    const bad of [
      jhr.slice(0, 1000),
      Uint8Array.from([0x4a, 0x41, 0x4e, 0, ...jhr.subarray(4)]),
    ]
  ) {
    assert.throws(
      () =>
        parseJam({ jhr: bad, jdt, jdx: null, jlr: null }, jamBaseNames("x")),
      (error) =>
        error instanceof StorageError && error.kind === "validation" &&
        /JAM area header.*"x\.jhr"/.test(error.message),
    );
  }
});

Deno.test("jamCrc32() is the JAM CRC-32; jamNameCrc32() lower-cases A-Z only", () => {
  const bytes = (s: string) => latin1(s);
  assert.equal(jamCrc32(bytes("")), 0xffffffff);
  // The zlib CRC-32 of "123456789" is 0xCBF43926 (the standard check value); JAM's is its NOT.
  assert.equal(jamCrc32(bytes("123456789")), ~0xcbf43926 >>> 0);
  assert.equal(jamNameCrc32(bytes("SysOp")), jamCrc32(bytes("sysop")));
  assert.equal(jamNameCrc32(bytes("\xc9T\xc9")), jamCrc32(bytes("\xc9t\xc9")));
  assert.notEqual(jamNameCrc32(bytes("\xc9")), jamCrc32(bytes("\xe9")));
});

Deno.test("readJamBase() finds upper-case extensions and a missing .jdx and .jlr, and refuses a missing .jdt", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = writeJam({
      messages: [{ subfields: [{ id: 6, data: "Hi" }], text: "x\r" }],
    });
    await Deno.writeFile(join(dir, "AREA.JHR"), files.jhr);
    await Deno.writeFile(join(dir, "AREA.JDT"), files.jdt);
    const base = await readJamBase(join(dir, "AREA"));
    assert.deepEqual(
      base.messages.map((m) => [m.number, text(m.subject), text(m.text)]),
      [[1, "Hi", "x\r"]],
    );
    assert.deepEqual(base.lastRead, []);
    assert.deepEqual(base.problems.map((p) => p.file), ["AREA.JDX"]);
    await Deno.writeFile(join(dir, "area.jdx"), files.jdx);
    assert.deepEqual((await readJamBase(join(dir, "AREA"))).problems, []);
    // Without its text file the base is not read: imported without their text, the messages
    // would be duplicates of themselves once the file is back.
    await Deno.remove(join(dir, "AREA.JDT"));
    await assert.rejects(
      readJamBase(join(dir, "AREA")),
      (error) =>
        error instanceof StorageError && error.kind === "not_found" &&
        /text file is missing: no "AREA\.jdt"/.test(error.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readJamBase() says which file is missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      readJamBase(join(dir, "general")),
      (error) =>
        error instanceof StorageError && error.kind === "not_found" &&
        error.message.includes('no "general.jhr" (in any case)'),
    );
    await assert.rejects(
      readJamBase(join(dir, "nowhere", "general")),
      (error) =>
        error instanceof StorageError && error.kind === "not_found" &&
        /folder does not exist/.test(error.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseJam() reads a header once however many index records point to it, reporting them in one problem", () => {
  const index: [number, number][] = Array.from(
    { length: 50_000 },
    () => [0, 1024],
  );
  const base = parseJam(writeJam({ messages: [{ text: "only" }], index }));
  assert.deepEqual(base.messages.map((m) => [m.number, text(m.text)]), [[
    1,
    "only",
  ]]);
  const again = base.problems.filter((p) => p.file === "base.jdx");
  assert.equal(again.length, 1);
  assert.match(again[0]!.reason, /^49,999 index records point to a header/);
});
