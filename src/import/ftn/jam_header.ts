/**
 * One JAM message header of a `.jhr` file (reference section 2.3–2.4): the 76-byte fixed part
 * and its subfields, checked against the file's size and its own SubfieldLen.
 *
 * @module
 */

/** The size of the area header at the start of `.jhr`; message headers follow it. */
export const AREA_HEADER_SIZE = 1024;
/** The size of a message header's fixed part. */
export const FIXED_HEADER_SIZE = 76;
/** The size of a subfield's own header (LoID, HiID, DatLen). */
const SUBFIELD_HEADER_SIZE = 8;
/** `J` `A` `M` NUL, at the start of the area header and of every message header. */
const SIGNATURE = [0x4a, 0x41, 0x4d, 0x00] as const;

/** A subfield: its LoID (HiID is reserved and not kept) and its data bytes. */
export interface JamSubfield {
  /** LoID: 0 OADDRESS … 2004 TZUTCINFO. */
  id: number;
  /** The DatLen bytes after it (a view into the file). */
  data: Uint8Array;
}

/** The fields of a message header an importer uses, and its subfields in stored order. */
export interface JamHeader {
  /** Where it starts in `.jhr`. */
  offset: number;
  /** Where the next header would start: after the fixed part and SubfieldLen bytes. */
  end: number;
  replyTo: number;
  reply1st: number;
  replyNext: number;
  dateWritten: number;
  dateReceived: number;
  dateProcessed: number;
  messageNumber: number;
  attribute: number;
  /** Offset and TxtLen: where the text is in `.jdt`. */
  textOffset: number;
  textLength: number;
  /** The subfields that lie wholly inside SubfieldLen, in stored order. */
  subfields: JamSubfield[];
  /** Null when the subfields add up to SubfieldLen exactly; otherwise what is wrong with them. */
  damage: string | null;
}

/**
 * Whether `bytes` holds the JAM signature at `offset`.
 *
 * @param bytes A `.jhr` file.
 * @param offset Where to look.
 * @returns True for `JAM` NUL there.
 */
export function hasSignature(bytes: Uint8Array, offset: number): boolean {
  return SIGNATURE.every((byte, i) => bytes[offset + i] === byte);
}

/**
 * Where the next JAM signature at or after `from` is.
 *
 * @param bytes A `.jhr` file.
 * @param from Where to start looking.
 * @returns Its offset, or -1 when there is none.
 */
export function findSignature(bytes: Uint8Array, from: number): number {
  for (
    let at = bytes.indexOf(SIGNATURE[0], from);
    at >= 0;
    at = bytes.indexOf(SIGNATURE[0], at + 1)
  ) {
    if (hasSignature(bytes, at)) return at;
  }
  return -1;
}

/**
 * Reads the message header at `offset`.
 *
 * @param jhr The whole `.jhr` file.
 * @param offset Where the header should start.
 * @returns The header (with `damage` set when its subfields do not add up), or, when there is
 *   no header to read there, the reason as a sentence fragment.
 */
export function readHeader(
  jhr: Uint8Array,
  offset: number,
): JamHeader | string {
  if (offset + FIXED_HEADER_SIZE > jhr.length) {
    return `the header's fixed part (${FIXED_HEADER_SIZE} bytes) runs past the end of the file (${jhr.length} bytes)`;
  }
  if (!hasSignature(jhr, offset)) return "there is no JAM header signature";
  const view = new DataView(jhr.buffer, jhr.byteOffset, jhr.byteLength);
  const u32 = (at: number) => view.getUint32(offset + at, true);
  const subfieldLen = u32(8);
  const start = offset + FIXED_HEADER_SIZE;
  const { subfields, damage } = readSubfields(jhr, view, start, subfieldLen);
  return {
    offset,
    end: start + subfieldLen,
    replyTo: u32(24),
    reply1st: u32(28),
    replyNext: u32(32),
    dateWritten: u32(36),
    dateReceived: u32(40),
    dateProcessed: u32(44),
    messageNumber: u32(48),
    attribute: u32(52),
    textOffset: u32(60),
    textLength: u32(64),
    subfields,
    damage,
  };
}

function readSubfields(
  jhr: Uint8Array,
  view: DataView,
  start: number,
  subfieldLen: number,
): Pick<JamHeader, "subfields" | "damage"> {
  const subfields: JamSubfield[] = [];
  const declaredEnd = start + subfieldLen;
  const end = Math.min(declaredEnd, jhr.length);
  let at = start;
  const damaged = (damage: string) => ({ subfields, damage });
  while (at < end) {
    if (end - at < SUBFIELD_HEADER_SIZE) {
      return damaged(
        `SubfieldLen ${subfieldLen} leaves ${
          end - at
        } bytes after the last whole subfield, too few for another`,
      );
    }
    const id = view.getUint16(at, true);
    const length = view.getUint32(at + 4, true);
    const dataEnd = at + SUBFIELD_HEADER_SIZE + length;
    if (dataEnd > end) {
      return damaged(
        `subfield ${id} at offset ${at} claims ${length} bytes, which run past the end of SubfieldLen ${subfieldLen}` +
          (end < declaredEnd ? " (itself past the end of the file)" : ""),
      );
    }
    subfields.push({
      id,
      data: jhr.subarray(at + SUBFIELD_HEADER_SIZE, dataEnd),
    });
    at = dataEnd;
  }
  if (end < declaredEnd) {
    return damaged(
      `SubfieldLen ${subfieldLen} runs past the end of the file (${jhr.length} bytes)`,
    );
  }
  return { subfields, damage: null };
}
