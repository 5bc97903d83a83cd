/**
 * The byte layout of a Squish version 1 base (FSP-1037; reference section 3), in one place for
 * the reader (squish.ts, squish_frame.ts) and the test writer (_squish_writer.ts). Offsets are
 * from the start of the structure each table names; all numbers are little-endian.
 *
 * @module
 */

/** Size of the `.sqd` base header. */
export const BASE_HEADER_SIZE = 256;
/** Size of a frame header (the base header's `sz_sqhdr` in version 1). */
export const FRAME_HEADER_SIZE = 28;
/** Size of the XMSG message header that follows a normal frame's header. */
export const XMSG_SIZE = 238;
/** Size of one `.sqi` record. */
export const INDEX_RECORD_SIZE = 12;
/** Size of one `.sql` slot. */
export const LAST_READ_SIZE = 4;

/** The id every frame header starts with (bytes `53 44 AE AF`). */
export const FRAME_ID = 0xafae4453;

/** Frame types (frame header `frame_type`); 2, LZSS, is reserved and never written. */
export const FRAME_NORMAL = 0;
export const FRAME_FREE = 1;
export const FRAME_UPDATING = 3;

/** Base header fields (section 3.2). */
export const BASE = {
  len: 0,
  numMsg: 4,
  highMsg: 8,
  skipMsg: 12,
  highWater: 16,
  uid: 20,
  base: 24,
  beginFrame: 104,
  lastFrame: 108,
  freeFrame: 112,
  lastFree: 116,
  endFrame: 120,
  maxMsg: 124,
  keepDays: 128,
  szSqhdr: 130,
} as const;

/** Frame header fields (section 3.3). */
export const FRAME = {
  id: 0,
  next: 4,
  prev: 8,
  frameLength: 12,
  msgLength: 16,
  clen: 20,
  type: 24,
} as const;

/** XMSG fields (section 3.4). */
export const XMSG = {
  attr: 0,
  from: 4,
  to: 40,
  subject: 76,
  orig: 148,
  dest: 156,
  written: 164,
  arrived: 168,
  utcOfs: 172,
  replyTo: 174,
  replies: 178,
  umsgid: 214,
  ftscDate: 218,
} as const;

/** Sizes of the XMSG text fields and of the replies array. */
export const NAME_SIZE = 36;
export const SUBJECT_SIZE = 72;
export const FTSC_DATE_SIZE = 20;
export const REPLY_SLOTS = 9;

/** Attribute bits (section 3.5) the reader looks at. */
export const ATTR_PRIVATE = 0x1;
export const ATTR_READ = 0x4;
export const ATTR_MSGUID = 0x20000;

/** `.sqi` umsgid value of an invalid record. */
export const INVALID_UMSGID = 0xffffffff;
/** `.sqi` hash bit that says the message was read. */
export const INDEX_READ_BIT = 0x80000000;
