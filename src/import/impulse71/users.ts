/**
 * USER.LST, the user accounts (`userrec`, 843 bytes). Slot = user number; slot 0 is
 * scratch space, not a user.
 *
 * @module
 */

import { decodeCp437 } from "./cp437.ts";
import type { Impulse71Date } from "./dates.ts";
import { flagNames, RecordReader, withSecret } from "./pascal.ts";
import { type DecodeContext, report, splitRecords } from "./problems.ts";

/** The size of a USER.LST record. */
export const USER_SIZE = 843;

/** The `ac` restriction and preference flags, by ordinal. */
export const USER_FLAGS = [
  "rlogon",
  "rchat",
  "rvalidate",
  "rbackspace",
  "ramsg",
  "rpostan",
  "rpost",
  "remail",
  "rvoting",
  "rmsg",
  "spcsr",
  "onekey",
  "avatar",
  "pause",
  "novice",
  "ansi",
  "color",
  "alert",
  "smw",
  "nomail",
  "fnodlratio",
  "fnopostratio",
  "fnofilepts",
  "fnodeletion",
] as const;

/** The `fflag` file-list columns, by bit. */
export const FILE_LIST_COLUMNS = [
  "filename",
  "size",
  "points",
  "description",
  "extended",
  "uploader",
  "date",
  "downloads",
] as const;

/** One user account. Text is CP437-decoded with colour codes and NULs kept. */
export interface Impulse71User {
  /** The USER.LST slot, which is the user number (1 is normally the SysOp). */
  number: number;
  /** Handle, upper case as stored; the login key. */
  name: string;
  /** Real name as typed. */
  realName: string;
  /**
   * Clear-text password, upper case (logins compared it upper-cased). Non-enumerable, so
   * logging or serialising a user never shows it; hash it, never store or print it.
   */
  readonly password: string;
  /** Phone, `NNN-NNN-NNNN`; NUL separators are turned into `-`. */
  phone: string;
  /** Birthday, free-form user input; often not a date. */
  birthday: Impulse71Date;
  /** First call. */
  firstOn: Impulse71Date;
  /** Last call. */
  lastOn: Impulse71Date;
  /** Street address. */
  street: string;
  /** "City, State". */
  cityState: string;
  /** Zip code. */
  zipCode: string;
  /** Signature appended to new messages. */
  autoSignature: string;
  /** The SysOp's note about the user. */
  note: string;
  /** Account deleted (the slot stays and may be reused). */
  deleted: boolean;
  /** Account locked out. */
  lockedOut: boolean;
  /** Text file shown to a locked-out user. */
  lockedFile: string;
  /** `ac` flags that are set, by name ({@linkcode USER_FLAGS}). */
  flags: (typeof USER_FLAGS)[number][];
  /** `ar` access flags that are set, as letters `@`..`Z` in order. */
  accessFlags: string;
  /** `fflag` file-list columns shown ({@linkcode FILE_LIST_COLUMNS}). */
  fileListColumns: (typeof FILE_LIST_COLUMNS)[number][];
  /** Security level 0..255. */
  securityLevel: number;
  /** Download security level 0..255. */
  downloadSecurityLevel: number;
  /** `M` or `F`, or whatever was typed. */
  sex: string;
  /** Total calls (`loggedon`). */
  calls: number;
  /** Calls today. */
  callsToday: number;
  /** Total minutes online. */
  minutesOnline: number;
  /** Minutes left today. */
  minutesLeftToday: number;
  /** Public posts (not kept consistent with the bases). */
  posts: number;
  /** E-mails sent. */
  emailSent: number;
  /** Feedback (mail to user 1) sent. */
  feedbackSent: number;
  /** Number of uploads. */
  uploads: number;
  /** Number of downloads. */
  downloads: number;
  /** Kilobytes uploaded. */
  uploadKilobytes: number;
  /** Kilobytes downloaded. */
  downloadKilobytes: number;
  /** File points balance. */
  filePoints: number;
  /** Credit in dollars. */
  credit: number;
  /** Minutes in the time bank. */
  timeBank: number;
  /** Failed logon attempts. */
  failedLogons: number;
  /** Forward mail to this user number (0 = none). */
  forwardTo: number;
  /** Unread-mail counter as stored (derived; recompute it). */
  waiting: number;
  /** New-user voting: no and yes votes. */
  votes: { no: number; yes: number };
  /** Screen columns and rows. */
  screen: { columns: number; rows: number };
  /** Colour table: 10 entries for mono, 10 for colour. */
  colours: { mono: number[]; colour: number[] };
  /** Menu-prompt style (1..4). */
  prompt: number;
  /** Start menu override. */
  startMenu: string;
  /** Last message area and file area used. */
  lastArea: { message: number; file: number };
  /** Boards this user moderates; entries 0 and 255 (no board) are left out. */
  moderates: number[];
  /** 1 = clear screen before each message, 2 = don't. */
  clearScreen: number;
  /** File-list style. */
  fileListStyle: number;
  /** 0 = chronological, 1 = reply tree. */
  messageOrder: number;
  /** AVATAR colour adjust (1 = no, 2 = yes). */
  avatarAdjust: number;
}

/**
 * Decodes USER.LST. Slot 0 is skipped and reported; deleted users are kept, flagged.
 *
 * @param bytes The file contents.
 * @param context The file, the time zone and the problem list.
 * @returns The users of slots 1..n, in slot order.
 */
export function decodeUsers(
  bytes: Uint8Array,
  context: DecodeContext,
): Impulse71User[] {
  const records = splitRecords(bytes, USER_SIZE, context);
  const first = records[0];
  if (first !== undefined) {
    const name = new RecordReader(first, context, 0).string(0, 36, "name");
    report(
      context,
      "scratch_record",
      0,
      `Slot 0 is scratch space, not a user: skipped "${name}"`,
    );
  }
  return records.slice(1).map((record, index) =>
    decodeUser(new RecordReader(record, context, index + 1), index + 1)
  );
}

function decodeUser(r: RecordReader, number: number): Impulse71User {
  const user = {
    number,
    name: r.string(0, 36, "name"),
    realName: r.string(37, 36, "realname"),
    phone: r.string(95, 12, "ph").replaceAll("\0", "-"),
    birthday: r.date(108, "bday"),
    firstOn: r.date(117, "firston"),
    lastOn: r.date(128, "laston"),
    street: r.string(139, 30, "street"),
    cityState: r.string(170, 30, "citystate"),
    zipCode: r.string(201, 10, "zipcode"),
    autoSignature: r.string(243, 40, "autosig"),
    note: r.string(325, 39, "note"),
    deleted: r.bool(367),
    lockedOut: r.bool(366),
    lockedFile: r.string(368, 8, "lockedfile"),
    flags: flagNames(r.set(379, 3), USER_FLAGS),
    accessFlags: String.fromCharCode(...r.set(383, 4, 64)),
    fileListColumns: flagNames(r.set(382, 1), FILE_LIST_COLUMNS),
    securityLevel: r.u8(782),
    downloadSecurityLevel: r.u8(783),
    sex: r.u8(740) === 0 ? "" : decodeCp437(new Uint8Array([r.u8(740)])),
    calls: r.i16(763),
    callsToday: r.u8(780),
    minutesOnline: r.i32(741),
    minutesLeftToday: r.i16(765),
    posts: r.i16(767),
    emailSent: r.i16(769),
    feedbackSent: r.i16(771),
    uploads: r.i16(759),
    downloads: r.i16(761),
    uploadKilobytes: r.i32(747),
    downloadKilobytes: r.i32(753),
    filePoints: r.i16(775),
    credit: r.i32(806),
    timeBank: r.i16(812),
    failedLogons: r.u8(781),
    forwardTo: r.i16(773),
    waiting: r.u8(777),
    votes: { no: r.u8(377), yes: r.u8(378) },
    screen: { columns: r.u8(778), rows: r.u8(779) },
    colours: { mono: r.bytes(784, 10), colour: r.bytes(794, 10) },
    prompt: r.u8(365),
    startMenu: r.string(829, 8, "userstartmenu"),
    lastArea: { message: r.u8(804), file: r.u8(805) },
    moderates: r.bytes(814, 5).filter((board) => board !== 0 && board !== 255),
    clearScreen: r.u8(839),
    fileListStyle: r.u8(840),
    messageOrder: r.u8(841),
    avatarAdjust: r.u8(842),
  };
  return withSecret(user, "password", r.string(74, 20, "pw"));
}
