/**
 * A message base: the `.MIX` index (`msgindexrec`, 26 bytes a slot) and the `.BRD` headers
 * and text it points at. Public boards and private e-mail use the same formats.
 *
 * @module
 */

import { plural } from "../../describe.ts";
import {
  findHeaders,
  type Impulse71Party,
  isHeaderAt,
  readHeader,
  readText,
} from "./brd.ts";
import type { Impulse71Stamp } from "./dates.ts";
import { flagNames, RecordReader } from "./pascal.ts";
import { type DecodeContext, report, splitRecords } from "./problems.ts";

/** The size of a `.MIX` slot. */
export const INDEX_SIZE = 26;

/** The `msgindexstat` flags, by bit. */
export const MESSAGE_FLAGS = [
  "exists",
  "encrypted",
  "unvalidated",
  "permanent",
  "allowMci",
  "threaded",
  "massMail",
  "exported",
] as const;

/** One message: its index slot, header and text. */
export interface Impulse71Message {
  /** The `.MIX` slot (0-based); users saw it as number slot + 1 until the next pack. */
  slot: number;
  /** `messagenum`: the serial number on public boards; **the recipient's user number in e-mail**. */
  messageNumber: number;
  /** Unique within a board, with gaps; 0 in e-mail. With the board, the legacy key. */
  msgid: number;
  /** When it was posted, or `null` when the stamp is unset or invalid (reported). */
  postedAt: Impulse71Stamp | null;
  /** `msgindexstat` flags that are set ({@linkcode MESSAGE_FLAGS}). */
  flags: (typeof MESSAGE_FLAGS)[number][];
  /** `isreplytoid`: the parent's msgid, 0 when none. */
  replyToId: number;
  /** `isreplyto`: the parent's slot, `null` when none (65535). */
  replyToSlot: number | null;
  /** `numreplys` as stored (derived). */
  replyCount: number;
  /**
   * The slot of the live parent message, found by msgid and then by slot; `null` when not
   * a reply or when the parent is gone (reported). Always `null` in e-mail.
   */
  parentSlot: number | null;
  /** The author. */
  from: Impulse71Party;
  /** The addressee. */
  to: Impulse71Party;
  /** The subject. */
  title: string;
  /** Original date text of echomail; empty for local messages. */
  originDate: string;
  /** The body lines, CP437-decoded with colour, MCI and ANSI codes kept as stored. */
  lines: string[];
  /** Byte offset of the header in the `.BRD`. */
  headerOffset: number;
  /** Byte offset of the text block (shared by the copies of an unpacked mass mailing). */
  textOffset: number;
}

/** What a base holds, message by message. */
export interface Impulse71MessageBase {
  /** `.MIX` slots in the file. */
  slots: number;
  /** Slots in use (header pointer not −1). */
  usedSlots: number;
  /** Live messages, in slot order. */
  messages: Impulse71Message[];
  /** Deleted messages (exist flag clear), in slot order; each is also reported. */
  deletedMessages: Impulse71Message[];
  /** Slots in use whose header pointer misses the `.BRD` (reported). */
  junkSlots: number;
  /** `.BRD` headers no slot points at (reported). */
  orphanHeaders: number;
}

/** How to decode a base. */
export interface MessageBaseOptions {
  /** The `.MIX` file and the problem list. */
  index: DecodeContext;
  /** The `.BRD` file and the problem list. */
  text: DecodeContext;
  /** User names by slot, to link parties to the users now in their slots. */
  users: ReadonlyMap<number, string>;
  /** Whether this is the e-mail base (no msgids, no reply links). */
  email: boolean;
}

/**
 * Decodes a message base: every slot in use, in slot order.
 *
 * @param mix The `.MIX` contents.
 * @param brd The `.BRD` contents.
 * @param options The files, the users, and whether it is e-mail.
 * @returns The live and deleted messages with counts; junk and orphans are reported.
 */
export function decodeMessageBase(
  mix: Uint8Array,
  brd: Uint8Array,
  options: MessageBaseOptions,
): Impulse71MessageBase {
  const slots = splitRecords(mix, INDEX_SIZE, options.index);
  const base: Impulse71MessageBase = {
    slots: slots.length,
    usedSlots: 0,
    messages: [],
    deletedMessages: [],
    junkSlots: 0,
    orphanHeaders: 0,
  };
  slots.forEach((bytes, slot) => {
    const r = new RecordReader(bytes, options.index, slot);
    const headerOffset = r.i32(2);
    if (headerOffset === -1) return;
    base.usedSlots++;
    if (!isHeaderAt(brd, headerOffset)) {
      base.junkSlots++;
      report(
        options.index,
        "junk_index_entry",
        slot,
        `Slot points at byte ${headerOffset} of ${options.text.file} (${
          plural(brd.length, "byte")
        }), where no header is: skipped`,
      );
      return;
    }
    const message = decodeMessage(r, slot, brd, options);
    if (message.flags.includes("exists")) {
      base.messages.push(message);
    } else {
      base.deletedMessages.push(message);
      report(
        options.index,
        "deleted_message",
        slot,
        `Message ${describe(message, options.email)} is deleted: skipped`,
      );
    }
  });
  if (!options.email) linkParents(base.messages, options.index);
  reportOrphanHeaders(brd, base, options);
  return base;
}

function decodeMessage(
  r: RecordReader,
  slot: number,
  brd: Uint8Array,
  options: MessageBaseOptions,
): Impulse71Message {
  const headerOffset = r.i32(2);
  const header = readHeader(
    brd,
    headerOffset,
    options.text,
    slot,
    options.users,
  );
  const text = readText(brd, header.textOffset, header.textLength);
  if (text.error !== null) {
    options.text.problems.push({
      kind: "corrupt_text",
      file: options.text.file,
      record: slot,
      offset: headerOffset,
      reason: `Text of the message in slot ${slot} breaks off: ${text.error}`,
    });
  }
  const replyToSlot = r.u16(22);
  return {
    slot,
    messageNumber: r.u16(0),
    msgid: r.i32(6),
    postedAt: r.stamp(14, "msgdate"),
    flags: flagNames(r.set(21, 1), MESSAGE_FLAGS),
    replyToId: r.i32(10),
    replyToSlot: replyToSlot === 65535 ? null : replyToSlot,
    replyCount: r.u16(24),
    parentSlot: null,
    from: header.from,
    to: header.to,
    title: header.title,
    originDate: header.originDate,
    lines: text.lines,
    headerOffset,
    textOffset: header.textOffset,
  };
}

/** Resolves reply links by msgid, then by slot, among the live messages. */
function linkParents(
  messages: Impulse71Message[],
  context: DecodeContext,
): void {
  const byId = new Map(messages.map((message) => [message.msgid, message]));
  const bySlot = new Map(messages.map((message) => [message.slot, message]));
  for (const message of messages) {
    if (message.replyToId === 0 && message.replyToSlot === null) continue;
    const parent =
      (message.replyToId !== 0 ? byId.get(message.replyToId) : undefined) ??
        (message.replyToSlot !== null
          ? bySlot.get(message.replyToSlot)
          : undefined);
    if (parent !== undefined && parent !== message) {
      message.parentSlot = parent.slot;
      continue;
    }
    report(
      context,
      "dangling_reply",
      message.slot,
      `Message ${
        describe(message, false)
      } replies to msgid ${message.replyToId} (slot ${
        message.replyToSlot ?? "none"
      }), which is not a live message: kept as a thread start`,
    );
  }
}

function reportOrphanHeaders(
  brd: Uint8Array,
  base: Impulse71MessageBase,
  options: MessageBaseOptions,
): void {
  const indexed = [...base.messages, ...base.deletedMessages];
  const headers = new Set(indexed.map((message) => message.headerOffset));
  const texts = new Set(indexed.map((message) => message.textOffset));
  for (const offset of findHeaders(brd)) {
    if (headers.has(offset)) continue;
    base.orphanHeaders++;
    const header = readHeader(brd, offset, options.text, null, options.users);
    const why = texts.has(header.textOffset)
      ? "its text is shared with indexed messages (the first copy of a mass mailing)"
      : "probably an aborted post";
    options.text.problems.push({
      kind: "orphan_header",
      file: options.text.file,
      record: null,
      offset,
      reason:
        `Header at byte ${offset} is in no index slot, ${why}: skipped "${header.title}" from "${header.from.shownAs}"`,
    });
  }
}

function describe(message: Impulse71Message, email: boolean): string {
  const key = email
    ? `to user ${message.messageNumber}`
    : `msgid ${message.msgid}`;
  return `(${key}) "${message.title}" from "${message.from.shownAs}"`;
}
