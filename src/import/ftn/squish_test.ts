import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { StorageError } from "../../errors.ts";
import {
  missingIndex,
  parseSquish,
  readSquishBase,
  squishHash,
} from "./squish.ts";
import {
  buildSquishBase,
  type SquishMessageInput,
  writeSquishBase,
} from "./_squish_writer.ts";
import type { FtnRawMessage } from "./types.ts";
import { echomailMessages } from "./_echomail_fixture.ts";

const ascii = (text: string) => new TextEncoder().encode(text);
const MSGUID = 0x20000;

function message(
  number: number,
  more: Partial<SquishMessageInput> = {},
): SquishMessageInput {
  return {
    number,
    fromName: ascii(`Sender ${number}`),
    toName: ascii("All"),
    subject: ascii(`Subject ${number}`),
    written: {
      year: 2013,
      month: 4,
      day: 5,
      hour: 6,
      minute: 7,
      second: 8,
    },
    arrived: null,
    attributes: MSGUID,
    deleted: false,
    origAddr: "2:5020/1",
    destAddr: null,
    replyTo: 0,
    replies: [],
    control: [ascii(`MSGID: 2:5020/1 ${number.toString(16).padStart(8, "0")}`)],
    text: ascii(`Text of ${number}\r`),
    ...more,
  };
}

/** What the reader gives back for a live message the writer wrote. */
function expected(input: SquishMessageInput): FtnRawMessage {
  return {
    ...input,
    private: (input.attributes & 1) !== 0,
    deleted: false,
  };
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

Deno.test("squishHash() gives the spec's check values and folds the top bits", () => {
  // By hand: "All" = 41 6C 6C; A lower-cased to 0x61. 0x61; 0x610 + 0x6C = 0x67C;
  // 0x67C0 + 0x6C = 0x682C.
  assert.equal(squishHash(ascii("All")), 0x682c);
  assert.equal(squishHash(ascii("all")), 0x682c);
  assert.equal(squishHash(ascii("Sysop")), 0x7b0a60);
  assert.equal(squishHash(ascii("Sysop"), { lowerCase: false }), 0x5b0a60);
  // By hand: FF 01 01 01 01 01 01 → 0xFF, 0xFF1, …, 0x0FF11111; the seventh byte makes
  // 0xFF111110 + 1 = 0xFF111111, top nibble 0xF0000000 set, OR 0xF0 → 0xFF1111F1; low 31 bits
  // 0x7F1111F1. An eighth 01: 0xF1111F10 + 1, OR 0xF0 → 0xF1111FF1 → 0x71111FF1.
  const high = [0xff, 1, 1, 1, 1, 1, 1];
  assert.equal(squishHash(Uint8Array.from(high)), 0x7f1111f1);
  assert.equal(squishHash(Uint8Array.from([...high, 1])), 0x71111ff1);
  // The hash stops at the first NUL, as the C string it was made for.
  assert.equal(
    squishHash(Uint8Array.from([0x41, 0x6c, 0x6c, 0, 0x55])),
    0x682c,
  );
});

/**
 * A two-message base laid out by hand from the spec's tables (sections 3.2–3.8), not by the
 * writer. Frame 1 at 256: header 256–283, XMSG 284–521, control 522–554 (33 bytes), text
 * 555–562 (8 bytes), 4 bytes of slack to 566. Frame 2 at 567: header 567–594, XMSG 595–832
 * (attr 595, from 599, to 635, subj 671, orig 743, dest 751, written 759, arrived 763, replyto
 * 769, replies 773, umsgid 809), text 833–835.
 */
function handBase(): { sqd: Uint8Array; sqi: Uint8Array } {
  const sqd = new Uint8Array(836);
  const d = view(sqd);
  const put = (at: number, text: string | number[]) =>
    sqd.set(typeof text === "string" ? ascii(text) : text, at);
  d.setUint16(0, 256, true); // len
  d.setUint32(4, 2, true); // num_msg
  d.setUint32(8, 2, true); // high_msg
  d.setUint32(20, 8, true); // uid
  d.setUint32(104, 256, true); // begin_frame
  d.setUint32(108, 567, true); // last_frame
  d.setUint32(120, 836, true); // end_frame
  d.setUint16(130, 28, true); // sz_sqhdr
  // Frame 1.
  put(256, [0x53, 0x44, 0xae, 0xaf]); // id
  d.setUint32(260, 567, true); // next_frame
  d.setUint32(268, 283, true); // frame_length
  d.setUint32(272, 279, true); // msg_length = 238 + 33 + 8
  d.setUint32(276, 33, true); // clen
  d.setUint32(284, 0x20001, true); // attr: MSGUID | PRIVATE
  put(288, "Ivan Petrov"); // from
  put(324, "All"); // to
  put(360, "Hello there"); // subject
  put(432, [2, 0, 0x9c, 0x13, 1, 0, 0, 0]); // orig 2:5020/1.0
  put(440, [2, 0, 0x9c, 0x13, 0xff, 0xff, 7, 0]); // dest 2:5020/-1.7
  put(448, [0xb7, 0x1c, 0x5c, 0x64]); // date_written 1994-05-23 12:34:56
  d.setUint32(466, 7, true); // replies[1]
  d.setUint32(498, 5, true); // umsgid
  put(502, "23 May 94  12:34:57"); // ftsc_date (one second off, as in real bases)
  put(522, "\x01MSGID: 2:5020/1 1a2b3c4d\x01PID: x\x00");
  put(555, "Hello\r\x00\x00");
  put(563, [0xee, 0xee, 0xee, 0xee]); // slack
  // Frame 2.
  put(567, [0x53, 0x44, 0xae, 0xaf]);
  d.setUint32(575, 256, true); // prev_frame
  d.setUint32(579, 241, true); // frame_length
  d.setUint32(583, 241, true); // msg_length = 238 + 0 + 3
  d.setUint32(595, 0, true); // attr: no MSGUID, so umsgid below is not valid
  put(599, "Petr");
  put(635, "Ivan Petrov");
  put(671, "Re: Hello there");
  put(763, [0x85, 0x42, 0xe4, 0x30]); // date_arrived 2013-04-05 06:07:08
  d.setUint32(769, 5, true); // replyto
  d.setUint32(809, 99, true); // umsgid (invalid: no MSGUID)
  put(833, "Re\r");
  const sqi = new Uint8Array(24);
  const i = view(sqi);
  i.setUint32(0, 256, true);
  i.setUint32(4, 5, true);
  i.setUint32(8, 0x682c, true);
  i.setUint32(12, 567, true);
  i.setUint32(16, 7, true);
  return { sqd, sqi };
}

Deno.test("parseSquish() reads a base laid out byte by byte from the spec", () => {
  const { sqd, sqi } = handBase();
  const sql = Uint8Array.from([0, 0, 0, 0, 5, 0, 0, 0, 7, 0, 0, 0]);
  const base = parseSquish({ sqd, sqi, sql });
  assert.deepEqual(base.problems, []);
  assert.equal(base.format, "squish");
  assert.deepEqual(base.messages, [{
    number: 5,
    fromName: ascii("Ivan Petrov"),
    toName: ascii("All"),
    subject: ascii("Hello there"),
    written: {
      year: 1994,
      month: 5,
      day: 23,
      hour: 12,
      minute: 34,
      second: 56,
    },
    arrived: null,
    attributes: 0x20001,
    private: true,
    deleted: false,
    origAddr: "2:5020/1",
    destAddr: "2:5020/-1.7",
    replyTo: 0,
    replies: [7],
    control: [ascii("MSGID: 2:5020/1 1a2b3c4d"), ascii("PID: x")],
    text: ascii("Hello\r"),
  }, {
    number: 7, // from .sqi, as the XMSG has no MSGUID
    fromName: ascii("Petr"),
    toName: ascii("Ivan Petrov"),
    subject: ascii("Re: Hello there"),
    written: null,
    arrived: { year: 2013, month: 4, day: 5, hour: 6, minute: 7, second: 8 },
    attributes: 0,
    private: false,
    deleted: false,
    origAddr: null,
    destAddr: null,
    replyTo: 5,
    replies: [],
    control: [],
    text: ascii("Re\r"),
  }]);
  assert.deepEqual(base.lastRead, [
    { nameCrc: null, userNumber: 1, lastRead: 5, highRead: null },
    { nameCrc: null, userNumber: 2, lastRead: 7, highRead: null },
  ]);
  // Without .sqi, the message without MSGUID is numbered by its place in the chain.
  const alone = parseSquish({ sqd, sqi: null, sql: null });
  assert.deepEqual(alone.messages.map((m) => m.number), [2, 5]);
  assert.deepEqual(alone.lastRead, []);
  // A missing index is a problem of the base (Squish always writes one), not a failure.
  assert.deepEqual(alone.problems, [missingIndex("base.sqi")]);
  assert.match(alone.problems[0]!.reason, /^the \.sqi index is missing/);
  assert.deepEqual(base.problems, []);
});

Deno.test("buildSquishBase() lays out the bytes the spec describes", () => {
  const files = buildSquishBase([
    message(1, { toName: ascii("Sysop"), attributes: MSGUID | 4 }),
    message(2, { deleted: true }),
    message(3),
  ], [3]);
  const d = view(files.sqd);
  assert.equal(d.getUint16(0, true), 256);
  assert.equal(d.getUint32(4, true), 2);
  assert.equal(d.getUint32(104, true), 256);
  assert.equal(d.getUint16(130, true), 28);
  assert.equal(d.getUint32(120, true), files.sqd.length);
  assert.deepEqual([...files.sqd.subarray(256, 260)], [0x53, 0x44, 0xae, 0xaf]);
  const second = 256 + 28 + d.getUint32(256 + 12, true);
  const third = second + 28 + d.getUint32(second + 12, true);
  assert.equal(d.getUint32(256 + 4, true), third); // next skips the deleted frame
  assert.equal(d.getUint32(third + 8, true), 256);
  assert.equal(d.getUint16(second + 24, true), 1); // free
  assert.equal(d.getUint32(112, true), second); // free_frame
  const i = view(files.sqi!);
  assert.equal(files.sqi!.length, 24);
  assert.deepEqual([i.getUint32(0, true), i.getUint32(4, true)], [256, 1]);
  assert.equal(i.getUint32(8, true), 0x807b0a60); // READ bit + hash 0x7B0A60
  assert.deepEqual([i.getUint32(12, true), i.getUint32(16, true)], [third, 3]);
  assert.deepEqual([...files.sql!], [3, 0, 0, 0]);
});

const bytesWithout = (banned: number[], maxLength: number, minLength = 0) =>
  fc.uint8Array({ minLength, maxLength }).map((bytes) =>
    bytes.map((byte) => banned.includes(byte) ? 0x20 : byte)
  );

const localTime = fc.record({
  year: fc.integer({ min: 1980, max: 2107 }),
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.integer({ min: 0, max: 59 }),
  second: fc.integer({ min: 0, max: 29 }).map((half) => half * 2),
}).map((time) => ({ ...time }));

const address = fc.tuple(
  fc.integer({ min: 1, max: 65534 }),
  fc.integer({ min: -1, max: 65534 }),
  fc.integer({ min: -1, max: 65534 }),
  fc.integer({ min: 0, max: 65534 }),
).map(([zone, net, node, point]) =>
  `${zone}:${net}/${node}${point === 0 ? "" : `.${point}`}`
);

const messageBody = fc.record({
  fromName: bytesWithout([0], 36),
  toName: bytesWithout([0], 36),
  subject: bytesWithout([0], 72),
  written: fc.option(localTime),
  arrived: fc.option(localTime),
  attributes: fc.integer({ min: 0, max: 0xffff }).map((bits) => bits | MSGUID),
  deleted: fc.boolean(),
  origAddr: fc.option(address),
  destAddr: fc.option(address),
  replyTo: fc.nat(),
  replies: fc.array(fc.integer({ min: 1, max: 0xfffffffe }), { maxLength: 9 }),
  control: fc.array(bytesWithout([0, 1, 0x0d, 0x0a], 80, 1), { maxLength: 6 }),
  text: bytesWithout([0], 400),
});

Deno.test("parseSquish() gives back every live message the writer wrote", () => {
  fc.assert(
    fc.property(
      fc.array(messageBody, { maxLength: 30 }),
      fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 30 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      fc.record({
        slack: fc.nat(40),
        index: fc.boolean(),
        lowerCaseHash: fc.boolean(),
      }),
      (bodies, gaps, lastRead, options) => {
        let number = 0;
        const messages = bodies.map((body, k) => {
          number += gaps[k] ?? 1;
          return { number, ...body };
        });
        const base = parseSquish(buildSquishBase(messages, lastRead, options));
        assert.deepEqual(
          base.problems,
          options.index ? [] : [missingIndex("base.sqi")],
        );
        assert.deepEqual(
          base.messages,
          messages.filter((m) => !m.deleted).map(expected),
        );
        assert.deepEqual(
          base.lastRead,
          lastRead.flatMap((value, slot) =>
            value === 0 ? [] : [{
              nameCrc: null,
              userNumber: slot,
              lastRead: value,
              highRead: null,
            }]
          ),
        );
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("readSquishBase() finds the files in any case and reads without .sqi", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const messages = [message(1), message(2), message(4)];
    await writeSquishBase(join(dir, "GENERAL"), messages, [2], {
      upperCase: true,
      index: false,
    });
    const base = await readSquishBase(join(dir, "general"));
    assert.deepEqual(base.problems, [missingIndex("general.sqi")]);
    assert.deepEqual(base.messages, messages.map(expected));
    assert.deepEqual(base.lastRead.map((r) => r.lastRead), [2]);
    await assert.rejects(
      () => readSquishBase(join(dir, "missing")),
      (error) =>
        error instanceof StorageError && error.kind === "not_found" &&
        /missing\.sqd/.test(error.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseSquish() throws only when the base header cannot be read", () => {
  assert.throws(
    () => parseSquish({ sqd: new Uint8Array(100), sqi: null, sql: null }),
    (error) =>
      error instanceof StorageError && error.kind === "validation" &&
      /shorter than the 256-byte base header: "base\.sqd" \(100 bytes/.test(
        error.message,
      ),
  );
  const { sqd } = buildSquishBase([message(1)], null);
  view(sqd).setUint16(130, 40, true);
  assert.throws(
    () => parseSquish({ sqd, sqi: null, sql: null }),
    /sz_sqhdr\) is 40, not 28/,
  );
  const empty = buildSquishBase([], null);
  assert.deepEqual(parseSquish(empty).messages, []);
});

/** Offsets of the frames of a base the writer built, in file order. */
function frameOffsets(sqd: Uint8Array): number[] {
  const offsets: number[] = [];
  for (
    let at = 256;
    at < sqd.length;
    at += 28 + view(sqd).getUint32(at + 12, true)
  ) {
    offsets.push(at);
  }
  return offsets;
}

Deno.test("parseSquish() reports a damaged frame and reads on", () => {
  const messages = [1, 2, 3, 4].map((n) => message(n));
  const files = buildSquishBase(messages, null);
  const [, second, third] = frameOffsets(files.sqd);
  files.sqd[third!] = 0x00; // breaks the third frame's id
  const withIndex = parseSquish(files);
  assert.deepEqual(withIndex.messages.map((m) => m.number), [1, 2, 4]);
  assert.equal(withIndex.problems[0]!.file, "base.sqd");
  assert.equal(withIndex.problems[0]!.offset, third);
  assert.match(
    withIndex.problems[0]!.reason,
    /no frame id .*read through the \.sqi/,
  );
  assert.match(withIndex.problems.at(-1)!.reason, /counts 4 messages but 3/);
  const noIndex = parseSquish({ ...files, sqi: null });
  assert.deepEqual(noIndex.messages.map((m) => m.number), [1, 2]);
  const cut = parseSquish({
    ...files,
    sqd: files.sqd.subarray(0, third! + 10),
  });
  assert.deepEqual(cut.messages.map((m) => m.number), [1, 2]);
  assert.match(
    cut.problems[0]!.reason,
    /end_frame is \d+ but the file has \d+ bytes/,
  );
  assert.match(cut.problems[1]!.reason, /outside the file's frames/);
  assert.match(noIndex.problems[0]!.reason, /lost \(no \.sqi/);
  // A message longer than its frame: that message goes, the chain goes on.
  const again = buildSquishBase(messages, null);
  view(again.sqd).setUint32(second! + 16, 100_000, true);
  const skipped = parseSquish({ ...again, sqi: null });
  assert.deepEqual(skipped.messages.map((m) => m.number), [1, 3, 4]);
  assert.deepEqual(
    [skipped.problems[0]!.offset, skipped.problems[0]!.number],
    [second, null],
  );
  assert.match(skipped.problems[0]!.reason, /msg_length 100000 is larger/);
});

Deno.test("parseSquish() stops at a chain loop and at a link out of the file", () => {
  const files = buildSquishBase([1, 2, 3].map((n) => message(n)), null);
  const [first, , third] = frameOffsets(files.sqd);
  view(files.sqd).setUint32(third! + 4, first!, true);
  const looped = parseSquish({ ...files, sqi: null });
  assert.deepEqual(looped.messages.map((m) => m.number), [1, 2, 3]);
  assert.match(looped.problems[0]!.reason, /loops back/);
  view(files.sqd).setUint32(third! + 4, 0xfffffff0, true);
  const outside = parseSquish({ ...files, sqi: null });
  assert.deepEqual(outside.messages.map((m) => m.number), [1, 2, 3]);
  assert.match(outside.problems[0]!.reason, /outside the file/);
});

Deno.test("parseSquish() never reads deleted (free) frames as messages", () => {
  const files = buildSquishBase([
    message(1, { deleted: true }),
    message(2),
    message(3, { deleted: true }),
  ], null);
  const base = parseSquish(files);
  assert.deepEqual(base.messages.map((m) => m.number), [2]);
  assert.deepEqual(base.problems, []);
  // A free frame met in the message chain stops the chain.
  const [first, second] = frameOffsets(files.sqd);
  view(files.sqd).setUint32(104, first!, true);
  view(files.sqd).setUint32(first! + 4, second!, true);
  const odd = parseSquish({ ...files, sqi: null });
  assert.deepEqual(odd.messages, []);
  assert.match(odd.problems[0]!.reason, /free frame is in the message chain/);
});

Deno.test("parseSquish() numbers messages by UMSGID, then .sqi, then chain position", () => {
  const files = buildSquishBase([
    message(10),
    message(20, { attributes: 0 }),
    message(10),
  ], null);
  const base = parseSquish(files);
  // 20 has no MSGUID but its .sqi record says 20; the second 10 moves above the highest.
  assert.deepEqual(base.messages.map((m) => m.number), [10, 20, 21]);
  assert.match(
    base.problems[0]!.reason,
    /number 10 is also the frame at offset 256/,
  );
  const noIndex = parseSquish({ ...files, sqi: null });
  assert.deepEqual(noIndex.messages.map((m) => m.number), [2, 10, 11]);
});

Deno.test("parseSquish() takes a bad date as not set and reports it", () => {
  const files = buildSquishBase([message(1)], null);
  view(files.sqd).setUint32(256 + 28 + 164, 0x00000000 | (13 << 5) | 1, true);
  const base = parseSquish(files);
  assert.equal(base.messages[0]!.written, null);
  assert.match(
    base.problems[0]!.reason,
    /date_written 0x000001a1 is not a valid date/,
  );
});

Deno.test("parseSquish() splits the control area at ^A and drops NULs, CRs and empties", () => {
  const area = ascii(
    "\x01MSGID: a\x00\x01\x01PID: b\r\x01TZUTC: 0300\x00\x00junk",
  );
  const files = buildSquishBase([message(1, { control: [] })], null);
  const sqd = new Uint8Array(files.sqd.length + area.length);
  sqd.set(files.sqd);
  const d = view(sqd);
  const text = ascii("Hi\r");
  const at = 256 + 28 + 238;
  sqd.set(area, at);
  sqd.set(text, at + area.length);
  d.setUint32(256 + 12, 238 + area.length + text.length, true);
  d.setUint32(256 + 16, 238 + area.length + text.length, true);
  d.setUint32(256 + 20, area.length, true);
  const base = parseSquish({ sqd, sqi: null, sql: null });
  assert.deepEqual(base.messages[0]!.control, [
    ascii("MSGID: a"),
    ascii("PID: b"),
    ascii("TZUTC: 0300"),
  ]);
  assert.deepEqual(base.messages[0]!.text, text);
});

Deno.test("parseSquish() keeps a text's bytes after a NUL (only trailing NULs are padding) and notes a control line cut at one", () => {
  const files = buildSquishBase([
    message(1, {
      control: [ascii("MSGID: 2:5020/1 00000001"), ascii("XK: va\x00lue")],
      text: ascii("first\x00second word\rthird\r\x00\x00"),
    }),
  ], null);
  const base = parseSquish(files);
  assert.deepEqual(
    base.messages[0]!.text,
    ascii("first\x00second word\rthird\r"),
  );
  assert.deepEqual(base.messages[0]!.control, [
    ascii("MSGID: 2:5020/1 00000001"),
    ascii("XK: va"),
  ]);
  assert.deepEqual(base.problems.map((p) => [p.number, p.reason]), [[
    1,
    "a control line holds bytes after a NUL; it is read up to the NUL (5 bytes left out)",
  ]]);
});

Deno.test("parseSquish() reports stray bytes at the end of .sqi and .sql", () => {
  const files = buildSquishBase([message(1)], [1]);
  const base = parseSquish({
    sqd: files.sqd,
    sqi: Uint8Array.from([...files.sqi!, 1, 2]),
    sql: Uint8Array.from([...files.sql!, 9]),
  });
  assert.deepEqual(base.messages.map((m) => m.number), [1]);
  assert.deepEqual(base.problems.map((p) => [p.file, p.offset]), [
    ["base.sqi", 12],
    ["base.sql", 4],
  ]);
});

Deno.test("echomailMessages() gives deterministic CP866 echomail that survives a Squish base", async () => {
  const messages = echomailMessages(600, 42);
  assert.deepEqual(echomailMessages(600, 42), messages);
  assert.notDeepEqual(echomailMessages(600, 43), messages);
  const latin = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);
  const controls = messages.map((m) => m.control.map(latin));
  const msgids = new Set(controls.map((c) => c[0]!.slice("MSGID: ".length)));
  assert.equal(msgids.size, 600);
  const replies = controls.flatMap((c) =>
    c.filter((line) => line.startsWith("REPLY: ")).map((line) => line.slice(7))
  );
  const index = new Map(controls.map((c, i) => [c[0]!.slice(7), i]));
  const targets = replies.map((reply) => index.get(reply));
  assert.ok(
    targets.filter((t) => t === undefined).length > 5,
    "some outside the base",
  );
  const positions = controls.flatMap((c, i) =>
    c.some((line) => line.startsWith("REPLY: ")) ? [i] : []
  );
  const later = positions.filter((p, k) =>
    targets[k] !== undefined && targets[k]! > p
  );
  assert.ok(later.length > 5, "some replies arrive before their parents");
  assert.ok(controls.every((c) => c.includes("CHRS: CP866 2")));
  assert.ok(
    controls.filter((c) => c.some((l) => l.startsWith("TZUTC: "))).length > 200,
  );
  assert.ok(controls.every((c) => c.some((l) => l.startsWith("PID: "))));
  assert.ok(controls.every((c) => c.some((l) => l.startsWith("TID: "))));
  for (const [k, { text }] of messages.entries()) {
    assert.ok(!text.includes(0x0a) && text.at(-1) === 0x0d);
    const lines = latin(text).split("\r");
    const pid = controls[k]!.find((l) => l.startsWith("PID: "))!.slice(5);
    assert.ok(lines.includes(`--- ${pid}`));
    assert.ok(
      lines.some((l) => /^ \* Origin: .* \(2:\d+\/\d+(\.\d+)?\)$/.test(l)),
    );
    assert.ok(lines.at(-3)!.startsWith("SEEN-BY: "));
    assert.ok(lines.at(-2)!.startsWith("\x01PATH: "));
  }
  // 0x8D (CP866 Н) inside words, e.g. "КОНЕЧНО".
  const inside = messages.filter(({ text }) =>
    text.some((byte, i) =>
      byte === 0x8d && text[i - 1]! > 0x7f && text[i + 1]! > 0x7f
    )
  );
  assert.ok(inside.length > 100);
  assert.equal(
    new TextDecoder("ibm866").decode(messages[0]!.control.at(-1)!).slice(0, 5),
    "TID: ",
  );
  const dir = await Deno.makeTempDir();
  try {
    await writeSquishBase(join(dir, "ru.fido"), messages, [300, 0, 600]);
    const base = await readSquishBase(join(dir, "ru.fido"));
    assert.deepEqual(base.problems, []);
    assert.deepEqual(base.messages, messages);
    assert.deepEqual(base.lastRead.map((r) => r.userNumber), [0, 2]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseSquish() skips a frame being updated and notes a wrong prev link", () => {
  const files = buildSquishBase([1, 2, 3].map((n) => message(n)), null);
  const [, second, third] = frameOffsets(files.sqd);
  view(files.sqd).setUint16(second! + 24, 3, true); // frame_type 3
  view(files.sqd).setUint32(third! + 8, 256, true); // prev_frame should be the second
  const base = parseSquish(files);
  assert.deepEqual(base.messages.map((m) => m.number), [1, 3]);
  assert.deepEqual(base.problems.map((p) => [p.offset, p.number]), [
    [second, 2],
    [third, null],
    [4, null],
  ]);
  assert.match(base.problems[0]!.reason, /being updated .*skipped/);
  assert.match(
    base.problems[1]!.reason,
    /prev_frame is 256 but the frame before it is at/,
  );
});

Deno.test("parseSquish() names the message a frame past the end of a cut .sqd held, by its index record", () => {
  const files = buildSquishBase([1, 2, 3].map((n) => message(n)), null);
  const [, second, third] = frameOffsets(files.sqd);
  // Cut inside the second message's frame: the third starts past the end.
  const base = parseSquish({
    ...files,
    sqd: files.sqd.subarray(0, second! + 40),
  });
  assert.deepEqual(base.messages.map((m) => m.number), [1]);
  const numbered = base.problems.filter((p) => p.number !== null);
  assert.deepEqual(numbered.map((p) => [p.offset, p.number]), [
    [second, 2],
    [third, 3],
  ]);
});

Deno.test("parseSquish() reads every message through the chain when .sqi is short", () => {
  const messages = [1, 2, 3].map((n) => message(n));
  const files = buildSquishBase(messages, null);
  const base = parseSquish({ ...files, sqi: files.sqi!.subarray(0, 12) });
  assert.deepEqual(base.problems, []);
  assert.deepEqual(base.messages, messages.map(expected));
});
