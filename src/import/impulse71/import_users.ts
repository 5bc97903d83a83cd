/**
 * Users, their counters, the last callers and the last-read pointers of an install.
 *
 * @module
 */

import { foldKey } from "../../keys.ts";
import type { UserStats } from "../../records.ts";
import {
  fit,
  type ImportedBase,
  type ImportRun,
  tryWrite,
} from "./import_run.ts";
import { type Fitted, plainName, storable } from "./import_text.ts";
import type { Impulse71LastCaller } from "./last_callers.ts";
import type { Impulse71User } from "./users.ts";

/**
 * Writes every user USER.LST holds, except deleted accounts and a name met before; records
 * each user's id in `run.users`. A deleted account is skipped even when it is locked out:
 * Impulse's deletion took the name out of NAMES.LST, so anyone could sign up with it, and
 * the slot goes to the next new user.
 *
 * @param run The import.
 * @param hashes The password hash of each user number to import.
 */
export async function importUsers(
  run: ImportRun,
  hashes: ReadonlyMap<number, string>,
): Promise<void> {
  const { install, tally } = run;
  const file = install.sources.users;
  tally.skipProblems("users", install.problems, {
    kinds: ["scratch_record"],
    files: [file],
  });
  tally.read("users", install.users.length);
  const taken = new Map<string, number>();
  for (const user of install.users) {
    const where = { file, record: user.number };
    const name = userName(user);
    if (user.deleted) {
      tally.skip(
        "users",
        where,
        `User ${user.number} "${user.name}" is deleted${
          user.lockedOut ? " (and locked out)" : ""
        }: skipped, as Impulse let anyone sign up with a deleted user's name (their messages keep the name)`,
      );
      continue;
    }
    const other = taken.get(foldKey(name.value));
    if (other !== undefined) {
      tally.skip(
        "users",
        where,
        `User ${user.number} "${user.name}" has the name of user ${other} (names compare case-insensitively): skipped`,
      );
      continue;
    }
    taken.set(foldKey(name.value), user.number);
    const id = await tryWrite(
      run,
      "users",
      where,
      () => writeUser(run, user, fit(run, "users", where, name), hashes),
    );
    if (id !== undefined) run.users.set(user.number, id);
  }
}

/**
 * The name a user gets: as stored (upper case), control characters shown as their code
 * page 437 glyphs; never cut, so a name the store refuses skips the user.
 *
 * @param user The decoded user.
 * @returns The name, and what changed.
 */
export function userName(user: Impulse71User): Fitted<string> {
  return plainName(user.name, "name", Infinity);
}

async function writeUser(
  run: ImportRun,
  user: Impulse71User,
  username: string,
  hashes: ReadonlyMap<number, string>,
): Promise<number> {
  const where = { file: run.install.sources.users, record: user.number };
  const createdAt = user.firstOn.at ?? user.lastOn.at ?? run.now;
  if (user.firstOn.at === null) {
    run.tally.change(
      "users",
      where,
      `first call "${user.firstOn.raw}" is no date: created at ${createdAt.toISOString()}`,
    );
  }
  const created = await run.tx.users.create({
    username,
    passwordHash: hashes.get(user.number)!,
    securityLevel: user.securityLevel,
    realName: fit(
      run,
      "users",
      where,
      plainName(user.realName, "real name", 64),
    ),
    location: fit(
      run,
      "users",
      where,
      plainName(user.cityState, "location", 64),
    ),
    note: fit(run, "users", where, storable(user.note, "note")),
    flags: user.accessFlags.replaceAll("@", ""),
    ...userStatus(run, user),
    createdAt,
  });
  if (user.lastOn.at !== null) {
    await run.tx.users.update(created.id, { lastLoginAt: user.lastOn.at });
  }
  return created.id;
}

/**
 * The status a user gets: a locked-out account (USER.LST's `lockedout` flag) is `banned`,
 * with a reason naming the flag and the lockout file Impulse showed before hanging up;
 * every other account is `active`. Impulse refused a locked-out caller at every logon until
 * the SysOp lifted the lock by hand, and had no lock that ended by itself, so no
 * `lockedUntil` is set. The security level plays no part: Impulse let a level-0 caller on.
 *
 * @param run The import (control characters in the lockout file's name are reported).
 * @param user The decoded user.
 * @returns The `status` and `statusReason` to create the user with.
 */
export function userStatus(
  run: ImportRun,
  user: Impulse71User,
): { status: "active" | "banned"; statusReason: string | null } {
  if (!user.lockedOut) return { status: "active", statusReason: null };
  const where = { file: run.install.sources.users, record: user.number };
  const file = fit(
    run,
    "users",
    where,
    plainName(user.lockedFile, "lockout file's name", 8),
  );
  const shown = file === "" ? "" : `; lockout file "${file}" shown at logon`;
  return {
    status: "banned",
    statusReason: `Locked out in Impulse 7.1 (USER.LST lockedout flag${shown})`,
  };
}

/**
 * Sets each imported user's counters to what USER.LST says (posting and uploading during
 * the import counted too), negative values as 0.
 *
 * @param run The import, after messages and files.
 */
export async function settleUserStats(run: ImportRun): Promise<void> {
  for (const user of run.install.users) {
    const id = run.users.get(user.number);
    if (id === undefined) continue;
    // Time online is not carried over: the sessions of this package count it from the import on.
    const target: Omit<UserStats, "timeOnlineSeconds"> = {
      logins: user.calls,
      posts: user.posts,
      uploads: user.uploads,
      downloads: user.downloads,
      uploadBytes: user.uploadKilobytes * 1024,
      downloadBytes: user.downloadKilobytes * 1024,
    };
    const current = (await run.tx.users.get(id))!.stats;
    const delta: Partial<UserStats> = {};
    for (const key of Object.keys(target) as (keyof typeof target)[]) {
      if (target[key] < 0) {
        run.tally.change(
          "users",
          { file: run.install.sources.users, record: user.number },
          `${key} is ${target[key]} in USER.LST: set to 0`,
        );
      }
      delta[key] = Math.max(0, target[key]) - current[key];
    }
    await run.tx.users.incrementStats(id, delta);
  }
}

/**
 * Writes LASTON.DAT's callers, oldest first, so the list keeps its order. Impulse kept no
 * call times: see {@linkcode callTimes}.
 *
 * @param run The import, after the users.
 */
export async function importLastCallers(run: ImportRun): Promise<void> {
  const callers = run.install.lastCallers;
  const file = run.install.sources.lastCallers;
  const times = callTimes(run);
  run.tally.read("lastCallers", callers.length);
  for (let index = callers.length - 1; index >= 0; index--) {
    const caller = callers[index]!;
    const where = { file, record: caller.record };
    await tryWrite(run, "lastCallers", where, () =>
      run.tx.callers.add({
        userId: caller.user === null
          ? null
          : run.users.get(caller.user) ?? null,
        username: fit(
          run,
          "lastCallers",
          where,
          plainName(caller.name, "name", 36),
        ),
        loginAt: times[index]!,
      }));
  }
}

/**
 * When each call of LASTON.DAT (newest first) was, as near as the install tells: a user's
 * newest call on the list is their last-call date, unless that is later than the call after
 * it (SysOp logons at the console were dated but never listed); every other call takes the
 * time of the call after it. The newest call without a date of its own takes STATUS.DAT's
 * last date.
 */
function callTimes(run: ImportRun): Date[] {
  const { install } = run;
  const users = new Map(install.users.map((user) => [user.number, user]));
  const seen = new Set<number>();
  let after: Date | null = null;
  return install.lastCallers.map((caller: Impulse71LastCaller) => {
    let own: Date | null = null;
    if (caller.user !== null && !seen.has(caller.user)) {
      seen.add(caller.user);
      own = users.get(caller.user)?.lastOn.at ?? null;
    }
    let at: Date = own ?? after ?? install.system?.lastDate.at ?? run.now;
    if (after !== null && at > after) at = after;
    after = at;
    return at;
  });
}

/**
 * Moves each imported user's last-read pointer in each imported board past the messages
 * posted at or before their ZSCAN.DAT read point (Impulse's "new" was "posted later"), and
 * takes the boards they left out of new-scan out of theirs.
 *
 * @param run The import, after users and messages.
 */
export async function importLastRead(run: ImportRun): Promise<void> {
  const { install, tally } = run;
  const file = install.sources.scans;
  tally.skipProblems("lastRead", install.problems, {
    kinds: ["unmapped_scan"],
    files: [file],
  });
  for (const scan of install.scans) {
    tally.read("lastRead", scan.lastRead.length);
    const where = { file, record: scan.userNumber };
    const userId = run.users.get(scan.userNumber);
    for (const point of scan.lastRead) {
      const what =
        `User ${scan.userNumber}'s read point in board ${point.board} (${point.readUpTo.wallClock})`;
      const base = run.boards.get(point.board);
      const msgNum = base === undefined ? 0 : readUpTo(base, point.readUpTo.at);
      if (userId === undefined || base === undefined || !msgNum) {
        const why = userId === undefined
          ? "the user was not imported"
          : base === undefined
          ? "the board was not imported"
          : "no imported message of the board was posted at or before it";
        tally.skip("lastRead", where, `${what}: skipped, as ${why}`);
        continue;
      }
      await tryWrite(
        run,
        "lastRead",
        where,
        () => run.tx.reading.markRead(userId, base.areaId, msgNum),
      );
    }
    // The boards the user left out of new-scan (ZSCAN.DAT's mzscan) stay out of it. The file
    // bases' scan set (fzscan) has no place in the store: it is not carried.
    if (userId === undefined) continue;
    const scanned = new Set(scan.boards);
    for (const [board, base] of run.boards) {
      if (scanned.has(board)) continue;
      await run.tx.reading.setScanned(userId, base.areaId, false);
    }
  }
}

/**
 * The pointer for a read point: the number of the last message in the run, from the first,
 * of messages posted at or before it. Dates out of order stop the run early, so nothing
 * posted after the read point is ever marked read.
 */
function readUpTo(base: ImportedBase, at: Date): number {
  let msgNum = 0;
  for (const message of base.posted) {
    if (message.at > at) break;
    msgNum = message.msgNum;
  }
  return msgNum;
}
