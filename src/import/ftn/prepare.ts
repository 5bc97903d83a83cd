/**
 * One message of a base, decoded, made into what `messages.post` takes: names, subject and body
 * fitted to the storage's bounds (each change reported), the date as an instant, MSGID, REPLY,
 * kludges and addresses.
 *
 * @module
 */
import { characters } from "../../describe.ts";
import { IMPORTED_NAME_MAX, plainFtnAddress } from "../../schemas.ts";
import { toInstant } from "../impulse71/dates.ts";
import type { FtnChange } from "./report.ts";
import type { DecodedFtnMessage } from "./text.ts";
import type { FtnLocalTime, FtnRawMessage } from "./types.ts";

/** A message ready to post, with what was changed to fit. */
export interface PreparedMessage {
  /** The base's number, its reply link and whether it is deleted. */
  number: number;
  replyTo: number;
  deleted: boolean;
  fromName: string;
  toName: string;
  subject: string;
  body: string;
  /** When written; for a message with no readable date, 1970-01-01 until `dateUndated`. */
  createdAt: Date;
  /** Whether the base gave a readable date (written or arrived). */
  dated: boolean;
  ftnMsgid: string | null;
  ftnReply: string | null;
  kludges: { name: string; value: string }[];
  /** The addresses in their plain form (`plainFtnAddress`), as stored and compared. */
  origAddr: string | null;
  destAddr: string | null;
  private: boolean;
  /** How the text was decoded (fallbacks are counted from these). */
  fallback: DecodedFtnMessage["fallback"];
  unknownLabel: string | null;
  replaced: number;
  changes: FtnChange[];
}

/** How dates without a TZUTC kludge are read. */
export interface PrepareOptions {
  timeZone: string;
}

const SUBJECT_MAX = 72;
const BODY_MAX = 1_048_576;
const MSGID_MAX = 200;
const KLUDGE_NAME_MAX = 64;
const KLUDGE_VALUE_MAX = 65_536;
const KLUDGES_MAX = 10_000;

/**
 * Makes a decoded message ready to post.
 *
 * @param raw The message as the base stores it.
 * @param text The message decoded by text.ts.
 * @param options The time zone of dates without TZUTC.
 * @returns The message, with every change made to fit.
 */
export function prepareMessage(
  raw: FtnRawMessage,
  text: DecodedFtnMessage,
  options: PrepareOptions,
): PreparedMessage {
  const changes: FtnChange[] = [];
  const change = (field: string, reason: string) =>
    changes.push({ number: raw.number, field, reason });
  const kludges = text.kludges.map((k) => ({ ...k }));
  const msgid = ftnId(text.msgid, "MSGID", "ftnMsgid", kludges, change);
  const reply = ftnId(text.reply, "REPLY", "ftnReply", kludges, change);
  const createdAt = dateOf(raw, text.utcOffsetMinutes, options, change);
  const netmail = netmailAddresses(kludges, raw);
  const origAddr = address("origAddr", netmail.orig, raw, kludges, change);
  const destAddr = address("destAddr", netmail.dest, raw, kludges, change);
  if (
    text.utcOffsetMinutes === null &&
    kludges.some((k) => k.name === "TZUTC" || k.name === "TZUTCINFO")
  ) {
    change(
      "createdAt",
      "the TZUTC kludge's value is not an offset [+-]hhmm: the date was read in the time zone given",
    );
  }
  return {
    number: raw.number,
    replyTo: raw.replyTo,
    deleted: raw.deleted,
    fromName: fitName(text.fromName, "fromName", change),
    toName: fitName(text.toName, "toName", change),
    subject: fitText(text.subject, SUBJECT_MAX, "subject", change, true),
    body: fitText(text.body, BODY_MAX, "body", change, false),
    createdAt: createdAt ?? new Date(0),
    dated: createdAt !== null,
    ftnMsgid: msgid,
    ftnReply: reply,
    kludges: fitKludges(kludges, change),
    origAddr,
    destAddr,
    private: raw.private,
    fallback: text.fallback,
    unknownLabel: text.unknownLabel,
    replaced: text.replaced,
    changes,
  };
}

type Change = (field: string, reason: string) => void;

/** A name on one line: control characters become `?`, and at most 100 characters are kept. */
function fitName(name: string, field: string, change: Change): string {
  let fitted = name.replaceAll("\0", " ").replace(/\p{Cc}/gu, "?");
  if (fitted !== name) {
    change(
      field,
      "control characters became ?, as a name is shown on one line",
    );
  }
  if (characters(fitted) > IMPORTED_NAME_MAX) {
    fitted = [...fitted].slice(0, IMPORTED_NAME_MAX).join("");
    change(field, `cut to ${IMPORTED_NAME_MAX} characters`);
  }
  return fitted;
}

/** Text without NUL (the storage takes none: each becomes a space), cut to `max` characters. */
function fitText(
  value: string,
  max: number,
  field: string,
  change: Change,
  oneLine: boolean,
): string {
  let fitted = value.replaceAll("\0", " ");
  if (fitted !== value) change(field, "NUL characters became spaces");
  if (oneLine && /[\r\n]/.test(fitted)) {
    fitted = fitted.replace(/[\r\n]+/g, " ");
    change(field, "line breaks became spaces");
  }
  // A string of at most `max` UTF-16 units has at most `max` characters: no need to count.
  if (fitted.length > max && characters(fitted) > max) {
    fitted = [...fitted].slice(0, max).join("");
    change(field, `cut to ${max} characters`);
  }
  return fitted;
}

/**
 * A MSGID or REPLY the storage takes (1–200 characters, no control character); another is kept
 * only as a kludge of its name, in front of the others.
 */
function ftnId(
  value: string | null,
  name: string,
  field: string,
  kludges: { name: string; value: string }[],
  change: Change,
): string | null {
  if (value === null) return null;
  const n = characters(value);
  if (n >= 1 && n <= MSGID_MAX && !/[\p{Cc}\p{Cf}]/u.test(value)) return value;
  kludges.unshift({ name, value });
  change(
    field,
    `the ${name} value is empty, longer than ${MSGID_MAX} characters or holds control characters: kept as a ${name} kludge only`,
  );
  return null;
}

/** Kludges within the storage's bounds (names one line of 64, values 65,536, 10,000 in all). */
function fitKludges(
  kludges: { name: string; value: string }[],
  change: Change,
): { name: string; value: string }[] {
  const out = kludges.slice(0, KLUDGES_MAX).map(({ name, value }) => {
    let n = name.replace(/\p{Cc}/gu, "?");
    if (n === "") n = "?";
    if (characters(n) > KLUDGE_NAME_MAX) {
      n = [...n].slice(0, KLUDGE_NAME_MAX).join("");
    }
    let v = value.replaceAll("\0", " ");
    if (v.length > KLUDGE_VALUE_MAX && characters(v) > KLUDGE_VALUE_MAX) {
      v = [...v].slice(0, KLUDGE_VALUE_MAX).join("");
    }
    if (n !== name || v !== value) {
      change("kludges", `the ${JSON.stringify(n)} kludge was changed to fit`);
    }
    return { name: n, value: v };
  });
  if (kludges.length > KLUDGES_MAX) {
    change("kludges", `only the first ${KLUDGES_MAX} kludges were kept`);
  }
  return out;
}

/**
 * A netmail message's full addresses from its INTL, FMPT and TOPT kludges (FTS-4001): INTL gives
 * the destination's and origin's zone:net/node, FMPT and TOPT their points (none without them).
 * Without INTL, a FMPT or TOPT gives the point of the base's own address on its side (`0`: the
 * node itself). `null` where the kludges do not say (the base's own address then stands).
 */
function netmailAddresses(
  kludges: readonly { name: string; value: string }[],
  raw: FtnRawMessage,
): { orig: string | null; dest: string | null } {
  const value = (name: string) =>
    kludges.find((k) => k.name === name)?.value.trim();
  const intl = /^(\d+:\d+\/\d+)\s+(\d+:\d+\/\d+)$/.exec(value("INTL") ?? "");
  const side = (
    node: string | undefined,
    stored: string | null,
    kludge: string,
  ): string | null => {
    const p = value(kludge);
    const point = p !== undefined && /^\d+$/.test(p) ? Number(p) : undefined;
    const suffix = point ? `.${point}` : "";
    if (node !== undefined) return `${node}${suffix}`;
    if (point === undefined) return null;
    const own = /^(\d+:\d+\/\d+)(?:\.\d+)?$/.exec(stored?.trim() ?? "");
    return own === null ? null : `${own[1]}${suffix}`;
  };
  return {
    dest: side(intl?.[1], raw.destAddr, "TOPT"),
    orig: side(intl?.[2], raw.origAddr, "FMPT"),
  };
}

const ZONE_MAX = 32767;
const ADDRESS = /^(\d{1,5}:\d{1,5}\/\d{1,5}(?:\.\d{1,5})?)(@[!-~]+)?$/;

/**
 * An address the storage takes (each part 0–65535), in its plain form (as it is stored and
 * compared: `plainFtnAddress`), whose zone is at most 32767 (FidoNet's zones
 * are small numbers; JAM writers put junk with zones above 32767 in DADDRESS), else `null`: the
 * message is imported without it, and the value as the base holds it is kept as a kludge named
 * after JAM's subfield (`OADDRESS`, `DADDRESS`), reported as a change. A 5D address
 * (`2:5020/1@fidonet`) is stored without its domain, which that kludge keeps.
 *
 * The address is the netmail kludges' (`netmail`, see `netmailAddresses`) else the base's own.
 * A JAM base's first address subfield is a kludge already, where it stands among the others
 * (see jam_message.ts): it stays there when it is more than the address stored, and is dropped
 * when it is that address as written; another base's address becomes a kludge at the end.
 */
function address(
  field: "origAddr" | "destAddr",
  netmail: string | null,
  raw: FtnRawMessage,
  kludges: { name: string; value: string }[],
  change: Change,
): string | null {
  const stored = raw[field];
  const value = netmail ?? stored;
  const name = field === "origAddr" ? "OADDRESS" : "DADDRESS";
  const own = stored === null
    ? -1
    : kludges.findIndex((k) => k.name === name && k.value === stored);
  const keep = () => {
    if (own === -1) kludges.push({ name, value: value! });
  };
  if (value === null) return null;
  const text = value.trim();
  const match = ADDRESS.exec(text);
  const address = match?.[1];
  if (
    address !== undefined && Number(address.split(":")[0]) <= ZONE_MAX &&
    address.split(/[:/.]/).every((p) => Number(p) <= 65535)
  ) {
    const plain = plainFtnAddress(address);
    if (match![2] !== undefined) {
      keep();
      change(
        field,
        `${
          JSON.stringify(value)
        }: stored as ${plain}; its domain is kept in the ${name} kludge`,
      );
    } else if (own !== -1 && stored!.trim() === text) kludges.splice(own, 1);
    return plain;
  }
  keep();
  change(
    field,
    `${
      JSON.stringify(value)
    } is not a FidoNet address zone:net/node[.point] (zone 0–32767, other parts 0–65535): kept only as the ${name} kludge`,
  );
  return null;
}

/**
 * The instant the message was written: its wall clock, with the TZUTC offset when the message
 * has one, else read in `timeZone`. Without a readable date written, the date it arrived; without
 * that, `null` (see `dateUndated`); each reported.
 */
function dateOf(
  raw: FtnRawMessage,
  utcOffsetMinutes: number | null,
  o: PrepareOptions,
  change: Change,
): Date | null {
  const local = valid(raw.written) ?? valid(raw.arrived);
  if (local === null) {
    change(
      "createdAt",
      "no readable date written or arrived: the date of the message before it in the base (else after it; else 1970-01-01), the same on every import",
    );
    return null;
  }
  if (local !== raw.written) {
    change("createdAt", "no readable date written: the date it arrived");
  }
  if (utcOffsetMinutes !== null) {
    const wall = Date.UTC(
      local.year,
      local.month - 1,
      local.day,
      local.hour,
      local.minute,
      local.second,
    );
    return new Date(wall - utcOffsetMinutes * 60_000);
  }
  return toInstant({ ...local, hundredths: 0 }, o.timeZone);
}

/**
 * Dates the messages the base gave no readable date: each takes the date of the dated message
 * before it in base order, the first ones that of the first dated message after them, and with
 * none dated 1970-01-01. Never the import's own time: a second import must find the message
 * again by its content (its date is part of it).
 *
 * @param messages The live messages, in base order.
 */
export function dateUndated(messages: PreparedMessage[]): void {
  let last: Date | null = null;
  const waiting: PreparedMessage[] = [];
  for (const m of messages) {
    if (!m.dated) {
      if (last === null) waiting.push(m);
      else m.createdAt = last;
      continue;
    }
    last = m.createdAt;
    for (const w of waiting) w.createdAt = last;
    waiting.length = 0;
  }
}

/** The time when it is a real calendar date and time, else `null`. */
function valid(t: FtnLocalTime | null): FtnLocalTime | null {
  if (t === null) return null;
  const d = new Date(
    Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second),
  );
  const ok = t.year >= 1970 && t.year <= 9999 &&
    d.getUTCFullYear() === t.year && d.getUTCMonth() === t.month - 1 &&
    d.getUTCDate() === t.day && d.getUTCHours() === t.hour &&
    d.getUTCMinutes() === t.minute && d.getUTCSeconds() === t.second;
  return ok ? t : null;
}
