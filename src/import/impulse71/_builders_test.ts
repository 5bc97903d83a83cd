/**
 * Builders of synthetic Impulse 7.1 records and installs, byte by byte, for tests that
 * cover what the sample install lacks. (A `_test.ts` name keeps it out of the package.)
 *
 * @module
 */

import { dirname, join } from "node:path";
import { encodeCp437 } from "./cp437.ts";
import { encodeStamp } from "./dates.ts";

/** One fixed-size record under construction; every setter returns `this`. */
export class Bytes {
  readonly bytes: Uint8Array;
  readonly #view: DataView;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.#view = new DataView(this.bytes.buffer);
  }

  u8(offset: number, value: number): this {
    this.#view.setUint8(offset, value);
    return this;
  }

  i16(offset: number, value: number): this {
    this.#view.setInt16(offset, value, true);
    return this;
  }

  u16(offset: number, value: number): this {
    this.#view.setUint16(offset, value, true);
    return this;
  }

  i32(offset: number, value: number): this {
    this.#view.setInt32(offset, value, true);
    return this;
  }

  raw(offset: number, bytes: ArrayLike<number>): this {
    this.bytes.set(bytes, offset);
    return this;
  }

  /** A `string[max]`: `length` overrides the length byte; `garbage` follows the text. */
  str(
    offset: number,
    max: number,
    text: string,
    options: { length?: number; garbage?: string } = {},
  ): this {
    const bytes = encodeCp437(text + (options.garbage ?? ""));
    this.u8(offset, options.length ?? encodeCp437(text).length);
    return this.raw(offset + 1, bytes.subarray(0, max));
  }

  /** A packed stamp from `YYYY-MM-DDTHH:MM:SS.cc`. */
  stamp(offset: number, wallClock: string): this {
    const [year, month, day, hour, minute, second, hundredths] = wallClock
      .split(/[-T:.]/).map(Number) as number[];
    return this.raw(
      offset,
      encodeStamp({
        year: year!,
        month: month!,
        day: day!,
        hour: hour!,
        minute: minute!,
        second: second!,
        hundredths: hundredths!,
      }),
    );
  }
}

/** Joins byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** STATUS.DAT with the two paths. */
export function status(dataPath: string, messagePath: string): Uint8Array {
  return new Bytes(4319).str(0, 79, dataPath).str(320, 79, messagePath)
    .str(563, 80, "Synthetic BBS").str(657, 30, "Tester").i32(4183, 3)
    .i16(4187, 3).str(4172, 8, "01/02/03").bytes;
}

/** A USER.LST record. */
export function user(
  fields: {
    name: string;
    password?: string;
    deleted?: boolean;
    firstOn?: string;
    laston?: string;
  },
): Uint8Array {
  return new Bytes(843).str(0, 36, fields.name).str(
    37,
    36,
    fields.name.toLowerCase(),
  )
    .str(74, 20, fields.password ?? "SECRET").str(
      117,
      8,
      fields.firstOn ?? "01/01/80",
    )
    .str(128, 8, fields.laston ?? "01/01/80").u8(367, fields.deleted ? 1 : 0)
    .u8(782, 30).u8(783, 30).bytes;
}

/** A BOARDS.DAT record. */
export function board(
  name: string,
  fileName: string,
  conference = 0,
  settings: BoardSettings = {},
): Uint8Array {
  return new Bytes(256).str(0, 40, name).str(41, 8, fileName).i32(50, 100)
    .str(95, 20, settings.acs ?? "s30").str(116, 20, settings.postAcs ?? "")
    .u16(158, settings.maxMessages ?? 0).u8(160, settings.anonymous ?? 0)
    .u16(182, settings.visible ? 1 : 0).str(190, 50, settings.origin ?? "")
    .u8(253, conference).bytes;
}

/** What {@linkcode board} sets besides its name, file and conference. */
export interface BoardSettings {
  acs?: string;
  postAcs?: string;
  maxMessages?: number;
  anonymous?: number;
  /** `mbstat` bit 0, visible without access. */
  visible?: boolean;
  origin?: string;
}

/** An author or addressee. */
export interface Party {
  anon?: number;
  number: number;
  name: string;
}

/** A message for {@linkcode BaseBuilder}. */
export interface Message {
  messageNumber?: number;
  msgid?: number;
  replyToId?: number;
  replyToSlot?: number;
  posted?: string;
  /** `msgindexstat`; defaults to exists (1). */
  status?: number;
  from: Party;
  to?: Party;
  title: string;
  lines: string[];
}

/** Builds a `.MIX`/`.BRD` pair in posting order. */
export class BaseBuilder {
  readonly #slots: Uint8Array[] = [];
  #brd: Uint8Array = new Uint8Array();

  /** Appends a header and its text, and a slot pointing at it; returns the slot. */
  add(message: Message): number {
    const offset = this.#appendHeaderAndText(message);
    return this.slot(message, offset);
  }

  /** Appends a header and text that no slot points at; returns its offset. */
  orphan(message: Message): number {
    return this.#appendHeaderAndText(message);
  }

  /** Appends a header whose text is elsewhere (a mass-mail copy); returns its offset. */
  header(message: Message, textOffset: number, textLength: number): number {
    const offset = this.#brd.length;
    this.#brd = concat(this.#brd, header(message, textOffset, textLength));
    return offset;
  }

  /** Appends a slot pointing at `headerOffset`; returns the slot. */
  slot(message: Message, headerOffset: number): number {
    const slot = new Bytes(26).u16(
      0,
      message.messageNumber ?? this.#slots.length + 1,
    )
      .i32(2, headerOffset).i32(6, message.msgid ?? 0).i32(
        10,
        message.replyToId ?? 0,
      )
      .stamp(14, message.posted ?? "1998-08-11T21:53:42.58").u8(
        21,
        message.status ?? 1,
      )
      .u16(22, message.replyToSlot ?? 65535);
    this.#slots.push(slot.bytes);
    return this.#slots.length - 1;
  }

  /** Appends raw bytes to the `.BRD`. */
  append(bytes: Uint8Array): void {
    this.#brd = concat(this.#brd, bytes);
  }

  /** The two files; the index is padded with empty slots to a multiple of 100. */
  build(): { mix: Uint8Array; brd: Uint8Array } {
    const empty = new Bytes(26).i32(2, -1).bytes;
    const slots = [...this.#slots];
    while (slots.length === 0 || slots.length % 100 !== 0) slots.push(empty);
    return { mix: concat(...slots), brd: this.#brd };
  }

  #appendHeaderAndText(message: Message): number {
    const offset = this.#brd.length;
    const body = text(message.lines);
    this.#brd = concat(
      this.#brd,
      header(message, offset + 333, body.length),
      body,
    );
    return offset;
  }
}

/** A 333-byte message header. */
export function header(
  message: Message,
  textOffset: number,
  textLength: number,
): Uint8Array {
  const b = new Bytes(333).i32(0, -1).i32(4, textOffset).i32(8, textLength);
  party(b, 12, message.from);
  party(b, 132, message.to ?? { number: 0, name: "" });
  return b.str(252, 60, message.title).bytes;
}

function party(b: Bytes, at: number, who: Party): void {
  const shown = who.name === "" ? "" : `${who.name} #${who.number}`;
  b.u8(at, who.anon ?? 0).u16(at + 1, who.number).str(at + 3, 42, shown)
    .str(at + 46, 36, who.name).str(at + 83, 36, who.name);
}

/** A text block: `FF`, length, text, per line. */
export function text(lines: string[]): Uint8Array {
  return concat(
    ...lines.map((line) =>
      concat(new Uint8Array([0xff, line.length]), encodeCp437(line))
    ),
  );
}

/** An UPLOADS.DAT record. */
export function area(
  name: string,
  fileName: string,
  downloadPath = "",
): Uint8Array {
  return new Bytes(237).str(0, 40, name).str(41, 12, fileName).str(
    54,
    40,
    downloadPath,
  )
    .bytes;
}

/** A `.DIR` entry. */
export interface Entry {
  fileName: string;
  description?: string;
  blocks?: number;
  owner?: number;
  uploader?: string;
  date?: string;
  pointer?: number;
  status?: number;
  privateFor?: string;
}

/** A `.DIR` listing: the header (counting `declared` files, by default all) then entries. */
export function listing(
  entries: Entry[],
  declared = entries.length,
): Uint8Array {
  const head = new Bytes(146).i16(79, declared).bytes;
  return concat(
    head,
    ...entries.map((e) => {
      const [base = "", ext = ""] = e.fileName.split(".");
      const b = new Bytes(146).str(0, 12, `${base.padEnd(8)}.${ext.padEnd(3)}`)
        .str(13, 60, e.description ?? "").u8(78, 255).u16(79, e.blocks ?? 1)
        .i16(81, e.owner ?? 1).str(83, 36, e.uploader ?? "SYSOP")
        .str(120, 8, e.date ?? "08/29/98").i32(131, e.pointer ?? -1)
        .u8(135, e.status ?? 0).u8(136, e.privateFor === undefined ? 0 : 1);
      // privfor is garbage unless priv is set: write a wild length byte when it is not.
      return e.privateFor === undefined
        ? b.u8(137, 230).bytes
        : b.str(137, 8, e.privateFor).bytes;
    }),
  );
}

/** A VERBOSE.DAT record: the lines, then an empty line and `garbage` lines after it. */
export function verbose(lines: string[], garbage: string[] = []): Uint8Array {
  const b = new Bytes(1020);
  lines.forEach((line, index) => b.str(index * 51, 50, line));
  garbage.forEach((line, index) =>
    b.str((lines.length + 1 + index) * 51, 50, line, { length: 200 })
  );
  return b.bytes;
}

/** A LASTON.DAT record. */
export function lastCaller(
  call: number,
  name: string,
  number: number,
): Uint8Array {
  return new Bytes(72).i16(0, call).str(2, 36, name).i16(39, number).str(
    41,
    30,
    "Town",
  )
    .bytes;
}

/** Writes files (paths relative to the install, `/`-separated) into a new temp dir. */
export async function writeInstall(
  files: Record<string, Uint8Array>,
): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "impulse71-" });
  for (const [path, bytes] of Object.entries(files)) {
    const full = join(root, ...path.split("/"));
    await Deno.mkdir(dirname(full), { recursive: true });
    await Deno.writeFile(full, bytes);
  }
  return root;
}
