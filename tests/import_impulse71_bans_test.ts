/**
 * Impulse 7.1's ban state, in USER.LST records built byte by byte: a locked-out account
 * (`lockedout`, offset 366) is imported `banned` with a reason naming the flag and its
 * lockout file (`lockedfile`, offset 368); a deleted account (`deleted`, offset 367) is
 * skipped even when locked out, and its name is free; security level 0 is no ban. On every
 * target.
 */
import assert from "node:assert/strict";
import type { Storage } from "../mod.ts";
import {
  Bytes,
  concat,
  status,
  user,
  writeInstall,
} from "../src/import/impulse71/_builders_test.ts";
import {
  importImpulse71,
  type Impulse71ImportReport,
} from "../src/import/mod.ts";
import { FAST, importTest } from "./_impulse71.ts";

/** A USER.LST record with the ban fields set as given. */
function account(
  name: string,
  fields: {
    lockedOut?: number;
    lockedFile?: string;
    deleted?: boolean;
    sl?: number;
  } = {},
): Uint8Array {
  const record = user({ name, deleted: fields.deleted ?? false });
  const b = new Bytes(record.length).raw(0, record);
  b.u8(366, fields.lockedOut ?? 0);
  if (fields.lockedFile !== undefined) b.str(368, 8, fields.lockedFile);
  if (fields.sl !== undefined) b.u8(782, fields.sl).u8(783, fields.sl);
  return b.bytes;
}

/** USER.LST slots 0..8. */
function users(): Uint8Array {
  return concat(
    account("NEW USER"),
    account("SYSOP", { sl: 255 }),
    account("TROLL", { lockedOut: 1, lockedFile: "BADGUY" }),
    account("QUIET", { lockedOut: 1 }),
    // Booleans are "not 0": 0x10 is true. Colour code and a control byte in the file name.
    account("ODD", { lockedOut: 0x10, lockedFile: "\x034BAD\x01" }),
    account("GONE", { deleted: true, lockedOut: 1, lockedFile: "BYE" }),
    account("ZERO", { sl: 0 }),
    // Un-locked by the SysOp: the lockout file's name stays behind in the record.
    account("FORGIVEN", { lockedFile: "OLDLOCK" }),
    // Signed up with the deleted user's name, as Impulse allowed.
    account("GONE"),
  );
}

async function imported(storage: Storage): Promise<Impulse71ImportReport> {
  const dir = await writeInstall({
    "STATUS.DAT": status("C:\\BBS\\DATA\\", "C:\\BBS\\MSGS\\"),
    "DATA/USER.LST": users(),
  });
  try {
    return await importImpulse71(dir, storage, FAST);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

importTest(
  "importImpulse71() bans locked-out users with a reason naming USER.LST's flag and lockout file",
  async (storage) => {
    const report = await imported(storage);
    assert.deepEqual(report.counts.users, { read: 9, imported: 7, skipped: 2 });
    const rows = [];
    for (let id = 1; id <= 7; id++) {
      const u = (await storage.users.get(id))!;
      rows.push([
        u.username,
        u.status,
        u.statusReason,
        u.lockedUntil,
        u.securityLevel,
      ]);
    }
    assert.deepEqual(rows, [
      ["SYSOP", "active", null, null, 255],
      [
        "TROLL",
        "banned",
        'Locked out in Impulse 7.1 (USER.LST lockedout flag; lockout file "BADGUY" shown at logon)',
        null,
        30,
      ],
      [
        "QUIET",
        "banned",
        "Locked out in Impulse 7.1 (USER.LST lockedout flag)",
        null,
        30,
      ],
      [
        "ODD",
        "banned",
        'Locked out in Impulse 7.1 (USER.LST lockedout flag; lockout file "BAD☺" shown at logon)',
        null,
        30,
      ],
      ["ZERO", "active", null, null, 0],
      ["FORGIVEN", "active", null, null, 30],
      ["GONE", "active", null, null, 30],
    ]);
    assert.equal(await storage.users.get(8), null);
    assert.equal(await storage.users.count({ status: "banned" }), 3);
    // The ban holds whatever time it is: no lock that ends.
    assert.equal(await storage.users.count({ status: "locked" }), 0);
    // The lockout file's name was fitted, and the report says so.
    assert.deepEqual(
      report.changed.filter((c) => c.kind === "users" && c.record === 4).map((
        c,
      ) => c.reason),
      [
        "colour codes removed from the lockout file's name",
        "control characters in the lockout file's name became the code page 437 glyphs DOS showed",
      ],
    );
  },
);

importTest(
  "importImpulse71() skips a deleted user even when locked out, leaving the name to the user who took it",
  async (storage) => {
    const report = await imported(storage);
    const skips = report.skipped.filter((s) =>
      s.kind === "users" && s.record !== 0
    );
    assert.deepEqual(skips.map((s) => [s.record, s.reason]), [[
      5,
      'User 5 "GONE" is deleted (and locked out): skipped, as Impulse let anyone sign up with a deleted user\'s name (their messages keep the name)',
    ]]);
    const gone = (await storage.users.findByUsername("gone"))!;
    assert.deepEqual([gone.status, gone.statusReason], ["active", null]);
  },
);
