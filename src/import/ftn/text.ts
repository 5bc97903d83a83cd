/**
 * Decoding a FidoNet message as a base stores it ({@linkcode FtnRawMessage}) into text: its code
 * page chosen from the CHRS kludge (FTS-5003), its kludges (FTS-4000) and echomail trailer
 * (SEEN-BY, PATH: FTS-0004) taken out of the body, MSGID and REPLY (FTS-0009) and TZUTC
 * (FTS-4008) read. See `ftn-message-bases.md`, sections 4 and 5, for the conventions.
 *
 * @module
 */

import { canonicalCharset, type Decoder, decoderFor } from "./charsets.ts";
import type { FtnRawMessage } from "./types.ts";

export { canonicalCharset, SUPPORTED_CHARSETS } from "./charsets.ts";

/** One control line of a message: its keyword as written and the rest of the line. */
export interface FtnKludge {
  /** The keyword, case kept (`PID`, `SEEN-BY`, `Via`, `RealName`, or a Cyrillic name). */
  name: string;
  /** The rest of the line after the separator and the blanks that follow it. */
  value: string;
}

/** A message's text, decoded. */
export interface DecodedFtnMessage {
  /** The From name, decoded in the message's code page. */
  fromName: string;
  /** The To name, likewise. */
  toName: string;
  /** The subject, likewise. */
  subject: string;
  /**
   * The text with kludge (^A) lines and the trailing SEEN-BY lines removed; CR, CR LF and LF
   * line ends become "\n"; soft CRs removed (byte 0x8D where the code page has no character
   * there, see {@linkcode decodeFtnMessage}); ANSI and colour codes, the tear line and the origin
   * line kept; NUL becomes a space.
   */
  body: string;
  /**
   * Every control line and kludge line, in order: the control lines, then the text's kludge
   * lines and trailing SEEN-BY lines in their order in the text; without the MSGID and REPLY
   * taken into {@linkcode DecodedFtnMessage.msgid} and {@linkcode DecodedFtnMessage.reply}.
   */
  kludges: FtnKludge[];
  /** The first non-empty MSGID value, trimmed, or null; a second MSGID stays in `kludges`. */
  msgid: string | null;
  /** The first non-empty REPLY value, trimmed, or null (REPLYTO and REPLYADDR are not REPLY). */
  reply: string | null;
  /** The code page used, canonical name (one of `SUPPORTED_CHARSETS`), e.g. "CP866". */
  charset: string;
  /**
   * Why the default code page was used instead of the message's own: no CHRS/CHARSET kludge
   * ("missing"), a set not known ("unknown"), or the obsolete `IBMPC` without a known CODEPAGE
   * kludge ("ibmpc"); null when the kludge decided.
   */
  fallback: "missing" | "unknown" | "ibmpc" | "invalid" | null;
  /** The label as the kludge gave it when `fallback` is "unknown" or "invalid", else null. */
  unknownLabel: string | null;
  /** Minutes east of UTC from the first readable TZUTC or TZUTCINFO kludge, or null. */
  utcOffsetMinutes: number | null;
  /** How many NUL characters (which the store takes in no text) were replaced by spaces. */
  replaced: number;
}

/** Options of {@linkcode decodeFtnMessage}. */
export interface DecodeFtnOptions {
  /**
   * The code page for messages without a CHRS kludge, with an unknown one or with `IBMPC`: the
   * area's usual set (the operator's `--charset`), any label {@linkcode canonicalCharset} knows.
   */
  defaultCharset: string;
}

/** A run of blanks (space and tab; not the characters a code page may put at 0xA0). */
const BLANKS = /^[ \t]*$/;

/**
 * Decodes a message's names, subject, control lines and text.
 *
 * - **Code page:** the first CHRS or CHARSET kludge (control lines first, then the text's ^A
 *   lines) names it by its first word; the level after it is ignored. `IBMPC` means the set a
 *   CODEPAGE kludge names when there is one, else the default; `ASCII` is the default (every set
 *   here has ASCII below 0x80). Names and values of kludges decode with the same set.
 * - **Kludges:** a text line that starts with ^A is a kludge line; further ^A bytes in it start
 *   further kludges (as in Squish control areas). `SEEN-BY:` lines count only in the trailer:
 *   the lines at the end made only of SEEN-BY, ^A and blank lines. A kludge is split at its
 *   first `:`, space or tab: `NAME: value`, `NAME:value` and `NAME value` give NAME and
 *   "value", a bare `NAME` gives an empty value; blanks before the name are skipped, a line
 *   with nothing after ^A is dropped. A value keeps its trailing blanks.
 * - **Soft CRs:** U+008D (what byte 0x8D decodes to in Latin-1, ISO-8859-5 and, unassigned,
 *   CP1252) is removed, before the text is split into lines (so a soft CR before a ^A leaves a
 *   kludge line), from names and kludges too; where the code page has a letter at 0x8D (CP866 Н,
 *   CP437 and CP850 ì, CP1251 Ќ) it stays.
 * - **NUL** becomes a space everywhere, counted in `replaced`.
 *
 * @param raw The message as the base reader gives it.
 * @param options The default code page.
 * @returns The decoded message.
 * @throws {RangeError} When `defaultCharset` names no code page known here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeFtnMessage } from "./text.ts";
 *
 * const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
 * const decoded = decodeFtnMessage({
 *   number: 1, fromName: bytes("Sysop"), toName: bytes("All"), subject: bytes("Hi"),
 *   written: null, arrived: null, attributes: 0, private: false, deleted: false,
 *   origAddr: null, destAddr: null, replyTo: 0, replies: [],
 *   control: [bytes("MSGID: 2:5020/1 1a2b3c4d"), bytes("CHRS: CP866 2")],
 *   text: bytes("\x8d\xa0\r--- \r * Origin: Here (2:5020/1)\rSEEN-BY: 5020/1\r\x01PATH: 5020/1\r"),
 * }, { defaultCharset: "CP437" });
 *
 * assert.equal(decoded.body, "На\n--- \n * Origin: Here (2:5020/1)\n");
 * assert.equal(decoded.msgid, "2:5020/1 1a2b3c4d");
 * assert.deepEqual(decoded.kludges.map((k) => k.name), ["CHRS", "SEEN-BY", "PATH"]);
 * ```
 */
export function decodeFtnMessage(
  raw: FtnRawMessage,
  options: DecodeFtnOptions,
): DecodedFtnMessage {
  const defaultCharset = canonicalCharset(options.defaultCharset);
  if (defaultCharset === null) {
    throw new RangeError(
      `Cannot decode FidoNet messages as the default code page is not known: "${options.defaultCharset}"`,
    );
  }
  // Every set keeps ASCII, so the kludges read in Latin-1 (one character per byte) are the
  // kludges of the real decoding, and the CHRS kludge is found before the set is known. (Only a
  // soft CR just before a ^A at a line start, removed in the real decoding, makes a kludge line
  // the scan does not see.)
  const choice = fitting(
    raw,
    chooseCharset(scanKludges(raw), defaultCharset),
    defaultCharset,
  );
  const decoder = decoderFor(choice.charset);
  const decode = (bytes: Uint8Array) => decoder(bytes).replaceAll("\u008d", "");
  // A fixed-size field (Squish's 36-byte names, 72-byte subject) may end in a character cut
  // by the field's size: in UTF-8, that character is dropped.
  const field = choice.charset === "UTF-8"
    ? (bytes: Uint8Array) => decode(wholeUtf8(bytes))
    : decode;
  const { kludges, body } = parse(raw, decode);
  const label = firstWord(kludges.find(isCharsetKludge)?.value ?? "");

  let replaced = 0;
  const clean = (text: string): string =>
    text.includes("\0")
      ? text.replaceAll("\0", () => {
        replaced++;
        return " ";
      })
      : text;
  const msgid = take(kludges, "MSGID");
  const reply = take(kludges, "REPLY");
  return {
    fromName: clean(field(raw.fromName)),
    toName: clean(field(raw.toName)),
    subject: clean(field(raw.subject)),
    body: clean(body),
    kludges: kludges.map(({ name, value }) => ({
      name: clean(name),
      value: clean(value),
    })),
    msgid: msgid === null ? null : clean(msgid),
    reply: reply === null ? null : clean(reply),
    charset: choice.charset,
    fallback: choice.fallback,
    unknownLabel: choice.fallback === "unknown" || choice.fallback === "invalid"
      ? clean(label)
      : null,
    utcOffsetMinutes: utcOffset(kludges),
    replaced,
  };
}

/** A message's kludges and body, in one decoding. */
interface Parsed {
  kludges: FtnKludge[];
  body: string;
}

/** Splits a message decoded with `decode` into its kludges and its body. */
function parse(raw: FtnRawMessage, decode: Decoder): Parsed {
  const kludges = raw.control.flatMap((line) => kludgesOf(decode(line)));
  const lines = decode(raw.text).split(/\r\n|\r|\n/);
  const trailer = trailerStart(lines);
  let body = "";
  lines.forEach((line, index) => {
    if (line.startsWith("\x01")) {
      kludges.push(...kludgesOf(line));
    } else if (index >= trailer && line.startsWith("SEEN-BY:")) {
      kludges.push(...kludgesOf(line));
    } else {
      body += index < lines.length - 1 ? `${line}\n` : line;
    }
  });
  return { kludges, body };
}

/**
 * The kludges the charset is chosen from, read in Latin-1: the control lines', and the text's
 * too unless a CHRS/CHARSET kludge among the control lines decides already (the first one
 * counts, and the control lines come first; `IBMPC` looks for a CODEPAGE kludge anywhere).
 */
function scanKludges(raw: FtnRawMessage): FtnKludge[] {
  const latin1 = decoderFor("LATIN-1");
  const control = raw.control.flatMap((line) => kludgesOf(latin1(line)));
  const chrs = control.find(isCharsetKludge);
  if (chrs !== undefined && firstWord(chrs.value).toUpperCase() !== "IBMPC") {
    return control;
  }
  return parse(raw, latin1).kludges;
}

/** Where the echomail trailer starts: the last lines that are only SEEN-BY, ^A or blank. */
function trailerStart(lines: readonly string[]): number {
  let start = lines.length;
  while (start > 0) {
    const line = lines[start - 1]!;
    const inTrailer = line.startsWith("\x01") || line.startsWith("SEEN-BY:") ||
      BLANKS.test(line);
    if (!inTrailer) break;
    start--;
  }
  return start;
}

/** The kludges of a control line or a kludge line of the text: one at each ^A, blank ones dropped. */
function kludgesOf(line: string): FtnKludge[] {
  const kludges: FtnKludge[] = [];
  for (const piece of line.split(PIECES)) {
    if (!BLANKS.test(piece)) kludges.push(splitKludge(piece));
  }
  return kludges;
}

// deno-lint-ignore no-control-regex -- ^A starts a kludge
const PIECES = /[\x01\r\n]/;

/** `NAME: value`, `NAME:value`, `NAME value` or `NAME` → name and value (see decodeFtnMessage). */
function splitKludge(line: string): FtnKludge {
  const parts = KLUDGE.exec(line)!;
  return { name: parts[1]!, value: parts[2] ?? "" };
}

/** Blanks, the name (up to a colon, space or tab), then after that one character, blanks. */
const KLUDGE = /^[ \t]*([^: \t]*)(?:[: \t][ \t]*([^]*))?$/;

/** A CHRS kludge, or its older synonym CHARSET. */
function isCharsetKludge(kludge: FtnKludge): boolean {
  return kludge.name === "CHRS" || kludge.name === "CHARSET";
}

/** A value's first word: the label of `CP866 2`, the number of `CODEPAGE: 866`. */
function firstWord(value: string): string {
  return value.replace(/^[ \t]+/, "").split(/[ \t]/, 1)[0]!;
}

/** The code page to decode with, and why when it is not the message's own. */
interface CharsetChoice {
  charset: string;
  fallback: DecodedFtnMessage["fallback"];
  /** The kludge said ASCII (which the default stands for: every set here is ASCII below 0x80). */
  ascii?: boolean;
}

/** The code page the first CHRS/CHARSET kludge names, or the default and the reason. */
function chooseCharset(
  kludges: readonly FtnKludge[],
  defaultCharset: string,
): CharsetChoice {
  const chrs = kludges.find(isCharsetKludge);
  if (chrs === undefined) {
    return { charset: defaultCharset, fallback: "missing" };
  }
  const label = firstWord(chrs.value);
  const upper = label.toUpperCase();
  if (upper === "IBMPC") {
    const codepage = kludges.find((kludge) => kludge.name === "CODEPAGE");
    const named = codepage && canonicalCharset(firstWord(codepage.value));
    return named
      ? { charset: named, fallback: null }
      : { charset: defaultCharset, fallback: "ibmpc" };
  }
  if (upper === "ASCII" || upper === "US-ASCII") {
    return { charset: defaultCharset, fallback: null, ascii: true };
  }
  const named = canonicalCharset(label);
  return named === null
    ? { charset: defaultCharset, fallback: "unknown" }
    : { charset: named, fallback: null };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The choice, unless the message's bytes cannot be in the set its kludge names: text declared
 * UTF-8 that is not valid UTF-8, or declared ASCII with bytes above 0x7F, is decoded in the
 * default set instead (its bytes kept, not turned into U+FFFD), as fallback "invalid".
 */
function fitting(
  raw: FtnRawMessage,
  choice: CharsetChoice,
  defaultCharset: string,
): CharsetChoice {
  if (choice.fallback !== null) return choice;
  const utf8 = choice.charset === "UTF-8";
  const fields = [
    ...[raw.fromName, raw.toName, raw.subject].map((bytes) =>
      utf8 ? wholeUtf8(bytes) : bytes
    ),
    ...raw.control,
    raw.text,
  ];
  const fits = utf8
    ? fields.every((bytes) => {
      try {
        strictUtf8.decode(bytes);
        return true;
      } catch {
        return false;
      }
    })
    : !choice.ascii || fields.every((bytes) => bytes.every((b) => b < 0x80));
  return fits ? choice : { charset: defaultCharset, fallback: "invalid" };
}

/**
 * UTF-8 bytes without a last character that the end cuts short (a lead byte and fewer of its
 * continuation bytes than it announces); other bytes as they are.
 */
export function wholeUtf8(bytes: Uint8Array): Uint8Array {
  let start = bytes.length - 1;
  // Back over at most three continuation bytes (10xxxxxx) to the lead byte.
  while (
    start >= 0 && bytes.length - start <= 3 && (bytes[start]! & 0xc0) === 0x80
  ) {
    start--;
  }
  if (start < 0) return bytes;
  const lead = bytes[start]!;
  const size = lead >= 0xf0 && lead <= 0xf4
    ? 4
    : lead >= 0xe0 && lead <= 0xef
    ? 3
    : lead >= 0xc2 && lead <= 0xdf
    ? 2
    : 1;
  return size > bytes.length - start ? bytes.subarray(0, start) : bytes;
}

/** Removes the first kludge of this name with a non-blank value; returns its value, trimmed. */
function take(kludges: FtnKludge[], name: string): string | null {
  const index = kludges.findIndex((kludge) =>
    kludge.name === name && !BLANKS.test(kludge.value)
  );
  if (index === -1) return null;
  return kludges.splice(index, 1)[0]!.value.replace(/^[ \t]+|[ \t]+$/g, "");
}

/** Minutes east of UTC from the first readable TZUTC/TZUTCINFO value (`[+-]hhmm`, ≤ 14:59). */
function utcOffset(kludges: readonly FtnKludge[]): number | null {
  for (const { name, value } of kludges) {
    if (name !== "TZUTC" && name !== "TZUTCINFO") continue;
    const match = /^[ \t]*([+-]?)(\d\d)([0-5]\d)[ \t]*$/.exec(value);
    if (match === null || Number(match[2]) > 14) continue;
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    return match[1] === "-" && minutes !== 0 ? -minutes : minutes;
  }
  return null;
}
