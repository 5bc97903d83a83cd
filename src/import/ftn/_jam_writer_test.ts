/**
 * A small JAM writer for the reader's tests: it lays out `.jhr`, `.jdt`, `.jdx` and `.jlr`
 * bytes as JAM-001 does (reference section 2), with knobs to damage them. Test-only (a
 * `_test.ts` name keeps it out of the package); its own tests check the layout.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { JamFiles } from "./jam_parse.ts";

/** A subfield to write: its LoID and data (a string is written as Latin-1 bytes). */
export interface TestSubfield {
  id: number;
  data: string | Uint8Array;
}

/** A message to write; every field has a plain default. */
export interface TestMessage {
  /** MessageNumber (default: its position + BaseMsgNum). */
  number?: number;
  attribute?: number;
  subfields?: TestSubfield[];
  text?: string | Uint8Array;
  replyTo?: number;
  reply1st?: number;
  replyNext?: number;
  dateWritten?: number;
  dateReceived?: number;
  dateProcessed?: number;
  /** MSGIDcrc (default 0xFFFFFFFF, as the fixtures' writers put when there is none). */
  msgidCrc?: number;
  /** Damage: a SubfieldLen other than the subfields' sum, a signature, a text Offset/TxtLen. */
  subfieldLen?: number;
  signature?: string;
  textOffset?: number;
  textLength?: number;
}

/** A base to write. */
export interface TestBase {
  messages: TestMessage[];
  /** BaseMsgNum (default 1). */
  baseNumber?: number;
  /** ActiveMsgs (default: the messages without the DELETED bit). */
  activeMsgs?: number;
  /** `.jlr` records: [UserCRC, UserID, LastReadMsg, HighReadMsg]. */
  lastRead?: [number, number, number, number][];
  /** `.jdx` records to write instead of one per message: [CRC, header offset]. */
  index?: [number, number][];
}

/** Little-endian bytes of unsigned 16- and 32-bit numbers, appended to a list. */
class Bytes {
  readonly list: number[] = [];
  u16(value: number): this {
    this.list.push(value & 0xff, (value >>> 8) & 0xff);
    return this;
  }
  u32(value: number): this {
    return this.u16(value & 0xffff).u16(value >>> 16);
  }
  raw(bytes: string | Uint8Array): this {
    this.list.push(...latin1(bytes));
    return this;
  }
  get bytes(): Uint8Array {
    return Uint8Array.from(this.list);
  }
}

/**
 * Bytes as given, or a string's characters as Latin-1 bytes.
 *
 * @param value The bytes or text.
 * @returns The bytes.
 */
export function latin1(value: string | Uint8Array): Uint8Array {
  return typeof value === "string"
    ? Uint8Array.from(value, (char) => char.charCodeAt(0))
    : value;
}

/**
 * Writes a base's four files; `.jdx` points at every message's header in order.
 *
 * @param base The base.
 * @returns The files' bytes.
 */
export function writeJam(
  base: TestBase,
): JamFiles & { jdx: Uint8Array; jlr: Uint8Array } {
  const baseNumber = base.baseNumber ?? 1;
  const live = base.messages.filter((m) =>
    ((m.attribute ?? 0) & 0x80000000) === 0
  );
  const jhr = new Bytes().raw("JAM\0").u32(0x66000000).u32(1)
    .u32(base.activeMsgs ?? live.length).u32(0xffffffff).u32(baseNumber)
    .raw(new Uint8Array(1000));
  const jdt = new Bytes();
  const offsets: number[] = [];
  base.messages.forEach((message, i) => {
    offsets.push(jhr.list.length);
    const text = latin1(message.text ?? "");
    const subfields = new Bytes();
    for (const { id, data } of message.subfields ?? []) {
      subfields.u16(id).u16(0).u32(latin1(data).length).raw(data);
    }
    jhr.raw(message.signature ?? "JAM\0").u16(1).u16(0)
      .u32(message.subfieldLen ?? subfields.list.length).u32(0)
      .u32(message.msgidCrc ?? 0xffffffff).u32(0xffffffff)
      .u32(message.replyTo ?? 0).u32(message.reply1st ?? 0).u32(
        message.replyNext ?? 0,
      )
      .u32(message.dateWritten ?? 0).u32(message.dateReceived ?? 0)
      .u32(message.dateProcessed ?? 0).u32(message.number ?? baseNumber + i)
      .u32(message.attribute ?? 0).u32(0).u32(
        message.textOffset ?? jdt.list.length,
      )
      .u32(message.textLength ?? text.length).u32(0xffffffff).u32(0)
      .raw(subfields.bytes);
    jdt.raw(text);
  });
  const jdx = new Bytes();
  for (
    const [crc, offset] of base.index ?? offsets.map((offset) => [0, offset])
  ) {
    jdx.u32(crc).u32(offset);
  }
  const jlr = new Bytes();
  for (const record of base.lastRead ?? []) {
    record.forEach((value) => jlr.u32(value));
  }
  return { jhr: jhr.bytes, jdt: jdt.bytes, jdx: jdx.bytes, jlr: jlr.bytes };
}

Deno.test("writeJam() lays out the area header, headers back to back, texts and index", () => {
  const files = writeJam({
    baseNumber: 7,
    messages: [
      { subfields: [{ id: 2, data: "Al" }], text: "Hi\r" },
      { attribute: 0x80000000, text: "Yo\r" },
    ],
    lastRead: [[1, 2, 3, 4]],
  });
  const view = new DataView(files.jhr.buffer);
  assert.deepEqual([...files.jhr.subarray(0, 4)], [0x4a, 0x41, 0x4d, 0]);
  assert.equal(view.getUint32(12, true), 1); // ActiveMsgs: the deleted one not counted
  assert.equal(view.getUint32(20, true), 7); // BaseMsgNum
  assert.equal(view.getUint32(1024 + 8, true), 10); // SubfieldLen: 8 + "Al"
  assert.equal(view.getUint32(1024 + 48, true), 7); // MessageNumber
  assert.equal(files.jhr.length, 1024 + 76 + 10 + 76);
  assert.equal(view.getUint32(1024 + 86 + 60, true), 3); // second text's Offset
  assert.equal(view.getUint32(1024 + 86 + 52, true), 0x80000000);
  assert.deepEqual([...files.jdt], [...latin1("Hi\rYo\r")]);
  assert.deepEqual(
    [...new Uint32Array(files.jdx.buffer)],
    [0, 1024, 0, 1024 + 86],
  );
  assert.deepEqual([...new Uint32Array(files.jlr.buffer)], [1, 2, 3, 4]);
});
