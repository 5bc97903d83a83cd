import assert from "node:assert/strict";
import fc from "fast-check";
import { concat } from "../impulse71/_builders_test.ts";
import {
  type DecodedFtnMessage,
  decodeFtnMessage,
  type FtnKludge,
  SUPPORTED_CHARSETS,
  wholeUtf8,
} from "./text.ts";
import type { FtnRawMessage } from "./types.ts";

/** Bytes from a string of characters 0x00–0xFF, one byte each (`"\x8d"` is the byte 0x8D). */
function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    if (code > 0xff) throw new RangeError(`Not a byte: "${char}"`);
    return code;
  });
}

/** A message with the given text and control lines (as byte strings), the rest plain. */
function message(
  text: string,
  control: string[] = [],
  names: { from?: string; to?: string; subject?: string } = {},
): FtnRawMessage {
  return {
    number: 1,
    fromName: bytes(names.from ?? "Sysop"),
    toName: bytes(names.to ?? "All"),
    subject: bytes(names.subject ?? "Test"),
    written: null,
    arrived: null,
    attributes: 0,
    private: false,
    deleted: false,
    origAddr: null,
    destAddr: null,
    replyTo: 0,
    replies: [],
    control: control.map(bytes),
    text: bytes(text),
  };
}

function decode(
  text: string,
  control: string[] = [],
  defaultCharset = "CP437",
): DecodedFtnMessage {
  return decodeFtnMessage(message(text, control), { defaultCharset });
}

const k = (name: string, value: string): FtnKludge => ({ name, value });

Deno.test("decodeFtnMessage() decodes text, names and kludges in the code page CHRS names", () => {
  // label in CHRS, bytes, expected text (letters checked against Python's codecs)
  const cases: [string, string, string][] = [
    ["CP866 2", "\x8f\xe0\xa8\xa2\xa5\xe2 \x8d\xf0", "Привет НЁ"],
    ["CP437 2", "\x99\xe1\xb3\x8d", "Öß│ì"],
    ["CP850 2", "\x9b\xb5\xd5\xe7", "øÁıþ"],
    ["CP1251 2", "\xcf\xf0\xe8\xe2\xe5\xf2 \x8d\xa8", "Привет ЌЁ"],
    ["CP1252 2", "\x80\x99\xe9", "€™é"],
    ["KOI8-R 2", "\xf0\xd2\xc9\xd7\xc5\xd4 \xb3", "Привет Ё"],
    ["LATIN-1 2", "caf\xe9 \x80", "café \u0080"],
    ["ISO-8859-5 2", "\xb0\xef", "Ая"],
    ["UTF-8 4", "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", "Привет"],
  ];
  for (const [label, text, expected] of cases) {
    const decoded = decode(text, [`CHRS: ${label}`], "LATIN-1");
    assert.equal(decoded.body, expected, label);
    assert.equal(decoded.fallback, null, label);
  }
  const cyrillic = decodeFtnMessage(
    message("\x01\x80\xe1\xef: 12345\r\x8f\xe0\xa8\xa2\xa5\xe2", [
      "CHRS: CP866 2",
    ], {
      from: "\x88\xa2\xa0\xad",
      to: "\x82\xe1\xa5\xac",
      subject: "\x92\xa5\xe1\xe2",
    }),
    { defaultCharset: "CP437" },
  );
  assert.equal(cyrillic.charset, "CP866");
  assert.equal(cyrillic.fromName, "Иван");
  assert.equal(cyrillic.toName, "Всем");
  assert.equal(cyrillic.subject, "Тест");
  assert.deepEqual(cyrillic.kludges, [k("CHRS", "CP866 2"), k("Ася", "12345")]);
  assert.equal(cyrillic.body, "Привет");
});

Deno.test("decodeFtnMessage() uses the default code page without CHRS, and says why", () => {
  const missing = decode("\x8d\xa0", [], "CP866");
  assert.equal(missing.body, "На");
  assert.equal(missing.charset, "CP866");
  assert.equal(missing.fallback, "missing");
  assert.equal(missing.unknownLabel, null);

  const unknown = decode("\x8d\xa0", ["CHRS: EBCDIC 2"], "cp866");
  assert.equal(unknown.body, "На");
  assert.equal(unknown.charset, "CP866");
  assert.equal(unknown.fallback, "unknown");
  assert.equal(unknown.unknownLabel, "EBCDIC");
  // The label is decoded like the text, in the code page used.
  assert.equal(
    decode("x", ["CHRS: \x8d\xa0\xe8 2"], "CP866").unknownLabel,
    "Наш",
  );

  const ibmpc = decode("\x8d\xa0", ["CHRS: IBMPC 2"], "866");
  assert.equal(ibmpc.body, "На");
  assert.equal(ibmpc.charset, "CP866");
  assert.equal(ibmpc.fallback, "ibmpc");
  assert.equal(ibmpc.unknownLabel, null);
});

Deno.test("decodeFtnMessage() takes IBMPC's set from a CODEPAGE kludge it knows", () => {
  const named = decode("\x8d\xa0", ["CHRS: IBMPC 2", "CODEPAGE: 866"], "CP437");
  assert.equal(named.charset, "CP866");
  assert.equal(named.fallback, null);
  assert.equal(named.body, "На");
  const unknown = decode("\x8d", ["CHRS: IBMPC 2", "CODEPAGE: 9999"], "CP437");
  assert.equal(unknown.charset, "CP437");
  assert.equal(unknown.fallback, "ibmpc");
  // The CODEPAGE kludge may be a kludge line of the text, after a CHRS among the control lines.
  const inText = decode(
    "\x8d\xa0\r\x01CODEPAGE: 866\r",
    ["CHRS: IBMPC 2"],
    "CP437",
  );
  assert.equal(inText.charset, "CP866");
  assert.equal(inText.body, "На\n");
});

Deno.test("decodeFtnMessage() takes the first CHRS, among the control lines or else in the text", () => {
  const control = decode("\x8d\xa0\r\x01CHRS: KOI8-R 2\r", ["CHRS: CP866 2"]);
  assert.equal(control.charset, "CP866");
  const text = decode("\x8d\xa0\r\x01CHRS: CP866 2\r", ["PID: x"]);
  assert.equal(text.charset, "CP866");
  assert.equal(text.body, "На\n");
});

Deno.test("decodeFtnMessage() reads CHARSET like CHRS, ignores the level, and takes ASCII as the default", () => {
  assert.equal(decode("x", ["CHARSET: KOI8-R"]).charset, "KOI8-R");
  assert.equal(decode("x", ["CHRS: utf-8 2"]).charset, "UTF-8");
  assert.equal(decode("x", ["CHRS: CP-866"]).charset, "CP866");
  const ascii = decode("x", ["CHRS: ASCII 1"], "CP850");
  assert.equal(ascii.charset, "CP850");
  assert.equal(ascii.fallback, null);
  // A lower-case keyword is not the CHRS kludge (FTN keywords are recognised as written).
  assert.equal(decode("x", ["chrs: CP866 2"]).fallback, "missing");
  const empty = decode("x", ["CHRS:"]);
  assert.equal(empty.fallback, "unknown");
  assert.equal(empty.unknownLabel, "");
});

Deno.test("decodeFtnMessage() finds CHRS in the text's ^A lines too; the first one wins", () => {
  const inText = decode("\x01CHRS: CP866 2\r\x8d\xa0\r", [], "CP437");
  assert.equal(inText.charset, "CP866");
  assert.equal(inText.body, "На\n");
  assert.equal(inText.fallback, null);

  const both = decode(
    "\x01CHRS: CP437 2\r\x8d\r",
    ["CHRS: CP866 2"],
    "LATIN-1",
  );
  assert.equal(both.charset, "CP866");
  assert.equal(both.body, "Н\n");

  const twoInText = decode(
    "\x01CHRS: CP437 2\r\x01CHRS: CP866 2\r\x8d",
    [],
    "LATIN-1",
  );
  assert.equal(twoInText.charset, "CP437");
  assert.equal(twoInText.body, "ì");
  assert.deepEqual(twoInText.kludges, [
    k("CHRS", "CP437 2"),
    k("CHRS", "CP866 2"),
  ]);
});

Deno.test("decodeFtnMessage() takes MSGID and REPLY out of the kludges, trimmed; REPLYTO and REPLYADDR stay", () => {
  const decoded = decode(
    "\x01REPLY:  2:5020/1 11223344 \r\x01REPLYTO 2:5020/2 UUCP\r\x01REPLYADDR: a@b.example\rHi",
    ["MSGID: 2:5020/1.0@fidonet 1a2b3c4d ", "PID: GoldED 2.50"],
  );
  assert.equal(decoded.msgid, "2:5020/1.0@fidonet 1a2b3c4d");
  assert.equal(decoded.reply, "2:5020/1 11223344");
  assert.deepEqual(decoded.kludges, [
    k("PID", "GoldED 2.50"),
    k("REPLYTO", "2:5020/2 UUCP"),
    k("REPLYADDR", "a@b.example"),
  ]);
  assert.equal(decoded.body, "Hi");

  const none = decode("Hi", ["REPLYTO: 2:5020/2"]);
  assert.equal(none.msgid, null);
  assert.equal(none.reply, null);
});

Deno.test("decodeFtnMessage() keeps Internet Message-IDs as they are", () => {
  const decoded = decode(
    "\x01MSGID: <abc.123$x@news.example.org> 5e1f2a3b\rHi",
    [
      "REPLY: <parent@host.example> 0badcafe",
    ],
  );
  assert.equal(decoded.msgid, "<abc.123$x@news.example.org> 5e1f2a3b");
  assert.equal(decoded.reply, "<parent@host.example> 0badcafe");
  assert.deepEqual(decoded.kludges, []);
});

Deno.test("decodeFtnMessage() takes the first MSGID; a second stays in the kludges", () => {
  const decoded = decode("\x01MSGID: 2:5020/3 00000002\rHi", [
    "MSGID: 2:5020/1 00000001",
  ]);
  assert.equal(decoded.msgid, "2:5020/1 00000001");
  assert.deepEqual(decoded.kludges, [k("MSGID", "2:5020/3 00000002")]);
  // An empty MSGID is no MSGID: it stays, and the next one counts.
  const empty = decode("\x01MSGID: 2:5020/3 00000002\rHi", ["MSGID: "]);
  assert.equal(empty.msgid, "2:5020/3 00000002");
  assert.deepEqual(empty.kludges, [k("MSGID", "")]);
});

Deno.test("decodeFtnMessage() reads TZUTC and TZUTCINFO offsets as minutes east of UTC", () => {
  const offset = (control: string[]) => decode("x", control).utcOffsetMinutes;
  assert.equal(offset(["TZUTC: 0300"]), 180);
  assert.equal(offset(["TZUTC: -0500"]), -300);
  assert.equal(offset(["TZUTC: +0100"]), 60);
  assert.equal(offset(["TZUTC: 0545"]), 345);
  assert.equal(offset(["TZUTCINFO: -0330"]), -210);
  assert.ok(Object.is(offset(["TZUTC: -0000"]), 0));
  assert.equal(decode("\x01TZUTC: 1000\rx").utcOffsetMinutes, 600);
  assert.equal(offset([]), null);
  for (const bad of ["03:00", "300", "2500", "0360", "abc", "", "+-0100"]) {
    assert.equal(offset([`TZUTC: ${bad}`]), null, bad);
  }
  // The first readable one counts; both stay in the kludges.
  const decoded = decode("x", [
    "TZUTC: junk",
    "TZUTCINFO: 0200",
    "TZUTC: 0400",
  ]);
  assert.equal(decoded.utcOffsetMinutes, 120);
  assert.equal(decoded.kludges.length, 3);
});

Deno.test("decodeFtnMessage() keeps 0x8D where the code page has a letter there, removes it as a soft CR elsewhere", () => {
  assert.equal(decode("\x8d\xa9\xe1", ["CHRS: CP866 2"]).body, "Нйс");
  assert.equal(decode("\x8d", ["CHRS: CP437 2"]).body, "ì");
  assert.equal(decode("\x8d", ["CHRS: CP850 2"]).body, "ì");
  assert.equal(decode("\x8d", ["CHRS: CP1251 2"]).body, "Ќ");
  assert.equal(decode("soft\x8d wrap", ["CHRS: LATIN-1 2"]).body, "soft wrap");
  assert.equal(decode("soft\x8d wrap", ["CHRS: CP1252 2"]).body, "soft wrap");
  assert.equal(decode("soft\x8d wrap", [], "LATIN-1").body, "soft wrap");
  // Removed before the text is split: a soft CR before a ^A leaves a kludge line.
  const beforeKludge = decode("a\r\x8d\x01PID: x\rb", [], "LATIN-1");
  assert.equal(beforeKludge.body, "a\nb");
  assert.deepEqual(beforeKludge.kludges, [k("PID", "x")]);
  assert.equal(
    decode("a\r\x8d\x01PID: x\rb", [], "CP866").body,
    "a\nН\x01PID: x\nb",
  );
});

Deno.test("decodeFtnMessage() lists control lines, text kludges, then SEEN-BY and PATH in order; tear and origin stay", () => {
  const text =
    "\x01PID: GoldED+/LNX 1.1.5\rHello\r\r--- GoldED+\r * Origin: Home (2:5020/1)\r" +
    "SEEN-BY: 5020/1 2 3\rSEEN-BY: 5030/7\r\x01PATH: 5020/1\r\x01PATH: 5030/7\r";
  const decoded = decode(text, [
    "MSGID: 2:5020/1 1a2b3c4d",
    "TZUTC: 0300",
    "CHRS: CP866 2",
  ]);
  assert.equal(
    decoded.body,
    "Hello\n\n--- GoldED+\n * Origin: Home (2:5020/1)\n",
  );
  assert.deepEqual(decoded.kludges, [
    k("TZUTC", "0300"),
    k("CHRS", "CP866 2"),
    k("PID", "GoldED+/LNX 1.1.5"),
    k("SEEN-BY", "5020/1 2 3"),
    k("SEEN-BY", "5030/7"),
    k("PATH", "5020/1"),
    k("PATH", "5030/7"),
  ]);
});

Deno.test("decodeFtnMessage() keeps a SEEN-BY line that is not in the trailer as text", () => {
  const text =
    "Quoted:\rSEEN-BY: 5020/1\rmore text\r * Origin: x (1:2/3)\rSEEN-BY: 5020/2\r";
  const decoded = decode(text);
  assert.equal(
    decoded.body,
    "Quoted:\nSEEN-BY: 5020/1\nmore text\n * Origin: x (1:2/3)\n",
  );
  assert.deepEqual(decoded.kludges, [k("SEEN-BY", "5020/2")]);
});

Deno.test("decodeFtnMessage() turns CR, CR LF and LF line ends into \\n", () => {
  assert.equal(decode("a\rb\r\nc\nd").body, "a\nb\nc\nd");
  assert.equal(decode("a\r\n\x01PID: x\r\nb\r\n").body, "a\nb\n");
  assert.equal(decode("a\r\r\nb").body, "a\n\nb");
  assert.equal(decode("").body, "");
});

Deno.test("decodeFtnMessage() keeps ANSI escapes, pipe codes and other control bytes in the body", () => {
  const text = "\x1b[1;31mRed\x1b[0m |07grey\x07\tTab\x03";
  assert.equal(decode(text).body, text);
});

Deno.test("decodeFtnMessage() replaces NUL with a space everywhere, and counts them", () => {
  const decoded = decodeFtnMessage(
    message("a\x00b\r\x01PID: x\x00y\r\x00", ["MSGID: 1:2/3\x00 1"], {
      from: "A\x00B",
    }),
    { defaultCharset: "CP437" },
  );
  assert.equal(decoded.body, "a b\n ");
  assert.equal(decoded.fromName, "A B");
  assert.deepEqual(decoded.kludges, [k("PID", "x y")]);
  assert.equal(decoded.msgid, "1:2/3  1");
  assert.equal(decoded.replaced, 5);
  assert.equal(decode("plain").replaced, 0);
});

Deno.test("decodeFtnMessage() splits a kludge at its first colon, space or tab", () => {
  const decoded = decode(
    "\x01NAME:value\r\x01BARE\r\x01Via 2:5020/1 @20140101.120000 tosser\r" +
      "\x01INTL 2:5020/1 2:5030/7\r\x01  FMPT 3\r\x01\r\x01 \rx",
    ["RFC-Message-ID: <a:b@c>", "FLAGS\tDIR"],
  );
  assert.deepEqual(decoded.kludges, [
    k("RFC-Message-ID", "<a:b@c>"),
    k("FLAGS", "DIR"),
    k("NAME", "value"),
    k("BARE", ""),
    k("Via", "2:5020/1 @20140101.120000 tosser"),
    k("INTL", "2:5020/1 2:5030/7"),
    k("FMPT", "3"),
  ]);
  assert.equal(decoded.body, "x");
});

Deno.test("decodeFtnMessage() reads each ^A of a kludge line as a kludge of its own", () => {
  const decoded = decode("\x01PID: A\x01TID: B\rx", [
    "TZUTC: 0100\x01CHRS: CP866 2",
  ]);
  assert.deepEqual(decoded.kludges, [
    k("TZUTC", "0100"),
    k("CHRS", "CP866 2"),
    k("PID", "A"),
    k("TID", "B"),
  ]);
  assert.equal(decoded.charset, "CP866");
});

Deno.test("decodeFtnMessage() refuses a default code page it does not know", () => {
  assert.throws(
    () => decode("x", [], "EBCDIC"),
    (error: unknown) =>
      error instanceof RangeError && error.message.includes('"EBCDIC"'),
  );
});

Deno.test("decodeFtnMessage() decodes any bytes without throwing; the body has no ^A line and no NUL", () => {
  // Bytes that matter to the parser come often: ^A, CR, LF, NUL, 0x8D, SEEN-BY and blanks.
  const piece = fc.oneof(
    fc.uint8Array({ maxLength: 8 }),
    fc.constantFrom(
      "\x01",
      "\r",
      "\n",
      "\x00",
      "\x8d",
      "SEEN-BY: ",
      " ",
      "CHRS: CP866 2",
      "MSGID: ",
      "TZUTC: ",
    ).map(bytes),
  );
  const field = fc.array(piece, { maxLength: 12 }).map((parts) =>
    concat(...parts)
  );
  fc.assert(
    fc.property(
      field,
      fc.array(field, { maxLength: 4 }),
      field,
      fc.constantFrom(...SUPPORTED_CHARSETS),
      (text, control, name, defaultCharset) => {
        const raw = { ...message(""), text, control, fromName: name };
        const decoded = decodeFtnMessage(raw, { defaultCharset });
        assert.ok(!decoded.body.includes("\0"));
        assert.ok(
          !decoded.body.split("\n").some((line) => line.startsWith("\x01")),
        );
        assert.ok(!/[\r\0]/.test(decoded.body));
        assert.ok(!decoded.fromName.includes("\0"));
        for (const { name, value } of decoded.kludges) {
          // deno-lint-ignore no-control-regex -- no kludge may keep a ^A, NUL or line end
          assert.ok(!/[\0\x01\r\n]/.test(name + value));
        }
        assert.ok(SUPPORTED_CHARSETS.includes(decoded.charset));
      },
    ),
    { numRuns: 2000 },
  );
});

Deno.test("decodeFtnMessage() decodes text its CHRS set cannot hold (bad UTF-8, 8-bit ASCII) in the default set, as fallback invalid", () => {
  const raw = (chrs: string, text: number[]) =>
    message(String.fromCharCode(...text), [`CHRS: ${chrs}`]);
  const utf8 = decodeFtnMessage(raw("UTF-8 4", [0x8d, 0xa0, 0xff]), {
    defaultCharset: "CP866",
  });
  assert.equal(utf8.body, "На\u00a0");
  assert.deepEqual([utf8.charset, utf8.fallback, utf8.unknownLabel], [
    "CP866",
    "invalid",
    "UTF-8",
  ]);
  const ascii = decodeFtnMessage(raw("ASCII 1", [0x41, 0x8e]), {
    defaultCharset: "CP437",
  });
  assert.equal(ascii.body, "AÄ");
  assert.deepEqual([ascii.fallback, ascii.unknownLabel], ["invalid", "ASCII"]);
  const clean = decodeFtnMessage(raw("UTF-8 4", [0xd0, 0x9d]), {
    defaultCharset: "CP866",
  });
  assert.deepEqual([clean.body, clean.fallback], ["Н", null]);
  const plain = decodeFtnMessage(raw("ASCII 1", [0x41]), {
    defaultCharset: "CP437",
  });
  assert.deepEqual([plain.body, plain.fallback], ["A", null]);
});

Deno.test("wholeUtf8() drops only a last character the end cuts short", () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const cut = (s: string, n: number) => utf8(s).subarray(0, utf8(s).length - n);
  const cases: [Uint8Array, Uint8Array][] = [
    [new Uint8Array(), new Uint8Array()],
    [utf8("a"), utf8("a")],
    [utf8("aé"), utf8("aé")],
    [cut("aé", 1), utf8("a")],
    [cut("a€", 1), utf8("a")],
    [cut("a€", 2), utf8("a")],
    [cut("a😀", 1), utf8("a")],
    [cut("a😀", 3), utf8("a")],
    [utf8("a😀"), utf8("a😀")],
    // Not a cut character: bytes that are no UTF-8 stay, for the check to refuse.
    [Uint8Array.of(0x61, 0x80), Uint8Array.of(0x61, 0x80)],
    [Uint8Array.of(0x61, 0xff), Uint8Array.of(0x61, 0xff)],
  ];
  for (const [bytes, expected] of cases) {
    assert.deepEqual(wholeUtf8(bytes), expected, `${bytes}`);
  }
});

Deno.test("decodeFtnMessage() keeps a UTF-8 message whose name or subject its field's size cut mid-character", () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const name = utf8("Привет Мир").subarray(0, 11); // "Приве" and half of "т"
  const raw = {
    ...message("", ["CHRS: UTF-8 4"]),
    fromName: name,
    subject: utf8("Тема").subarray(0, 7),
    text: utf8("Тело письма\r"),
  };
  const decoded = decodeFtnMessage(raw, { defaultCharset: "CP866" });
  assert.equal(decoded.charset, "UTF-8");
  assert.equal(decoded.fallback, null);
  assert.equal(decoded.fromName, "Приве");
  assert.equal(decoded.subject, "Тем");
  assert.equal(decoded.body, "Тело письма\n");
  // A body cut mid-character is no field cut by its size: the message falls back.
  const body = decodeFtnMessage(
    { ...raw, text: utf8("Тело").subarray(0, 7) },
    { defaultCharset: "CP866" },
  );
  assert.equal(body.fallback, "invalid");
});
