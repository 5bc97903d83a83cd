/**
 * Last-read records of a base (JAM `.jlr`, Squish `.sql`) as last-read pointers of the board's
 * users.
 *
 * A JAM record names its reader by the CRC of the name with A–Z lower-cased: it matches the one
 * user of the board whose username gives that CRC, in the base's default code page or in UTF-8
 * (two users with one CRC match neither). A Squish
 * record holds numbers only: it matches through the caller's `lastReadUsers` (base user number
 * → user id), else it is reported. A matched record moves the user's pointer forward
 * (`reading.markRead`) to the area number of the newest message of the base, at or below the
 * record's `lastRead`, that is in the area (imported now or before); it never moves a pointer
 * back, so a tosser running the import on every poll does not undo what users read since.
 *
 * @module
 */
import type { Storage } from "../../storage.ts";
import type { FtnUnmatchedLastRead } from "./report.ts";
import type { FtnBase, FtnLastRead } from "./types.ts";

/** What the last-read step needs of the run. */
interface LastReadRun {
  areaId: number | null;
  placed: ReadonlyMap<number, { msgNum: number | null }>;
}

/** What it needs of the options. */
interface LastReadOptions {
  dryRun: boolean;
  lastReadUsers?: ReadonlyMap<number, number>;
  nameCrcs: (name: string) => number[];
}

/**
 * Sets the pointers of the records that match a user.
 *
 * @param storage The target.
 * @param base The base, its messages and records.
 * @param run Where each message went.
 * @param o Dry run, the user-number map and the CRC function.
 * @returns Records read, pointers set, and the records that set none, with the reason.
 */
export async function applyLastRead(
  storage: Storage,
  base: FtnBase,
  run: LastReadRun,
  o: LastReadOptions,
): Promise<
  { read: number; set: number; unmatched: FtnUnmatchedLastRead[] }
> {
  const unmatched: FtnUnmatchedLastRead[] = [];
  if (base.lastRead.length === 0) return { read: 0, set: 0, unmatched };
  const byCrc = base.lastRead.some((r) => r.nameCrc !== null)
    ? await usersByCrc(storage, o.nameCrcs)
    : new Map<number, number[]>();
  const numbers = [...run.placed.keys()].sort((a, b) => a - b);
  let set = 0;
  for (const record of base.lastRead) {
    const no = (reason: string) =>
      unmatched.push({
        userNumber: record.userNumber,
        nameCrc: record.nameCrc,
        lastRead: record.lastRead,
        reason,
      });
    const user = userOf(record, byCrc, o.lastReadUsers);
    if (typeof user === "string") {
      no(user);
      continue;
    }
    if (record.nameCrc === null && await storage.users.get(user) === null) {
      no(
        `lastReadUsers maps this user number to user ${user}, who does not exist`,
      );
      continue;
    }
    const msgNum = pointerFor(record.lastRead, numbers, run.placed);
    if (!o.dryRun && run.areaId !== null) {
      await storage.reading.markRead(user, run.areaId, msgNum);
    }
    set++;
  }
  return { read: base.lastRead.length, set, unmatched };
}

/** The user a record names, or why none. */
function userOf(
  record: FtnLastRead,
  byCrc: ReadonlyMap<number, number[]>,
  lastReadUsers: ReadonlyMap<number, number> | undefined,
): number | string {
  if (record.nameCrc !== null) {
    const users = byCrc.get(record.nameCrc >>> 0) ?? [];
    if (users.length === 1) return users[0]!;
    return users.length === 0
      ? "no user of the board has a name with this CRC"
      : `${users.length} users of the board have names with this CRC`;
  }
  const mapped = lastReadUsers?.get(record.userNumber);
  if (mapped !== undefined) return mapped;
  return lastReadUsers === undefined
    ? "the record holds a user number only: give lastReadUsers to match it"
    : "lastReadUsers does not map this user number";
}

/** Every user's id by the CRCs of their username. */
async function usersByCrc(
  storage: Storage,
  nameCrcs: (name: string) => number[],
): Promise<Map<number, number[]>> {
  const byCrc = new Map<number, number[]>();
  let after: string | undefined;
  do {
    const page = await storage.users.list({
      limit: 1000,
      orderBy: "id",
      after,
    });
    for (const user of page.users) {
      for (const crc of new Set(nameCrcs(user.username).map((c) => c >>> 0))) {
        byCrc.set(crc, [...(byCrc.get(crc) ?? []), user.id]);
      }
    }
    after = page.next ?? undefined;
  } while (after !== undefined);
  return byCrc;
}

/** The area number of the newest message at or below `lastRead` that is in the area (0: none). */
function pointerFor(
  lastRead: number,
  numbers: readonly number[],
  placed: ReadonlyMap<number, { msgNum: number | null }>,
): number {
  let best = 0;
  for (const n of numbers) {
    if (n > lastRead) break;
    best = Math.max(best, placed.get(n)?.msgNum ?? 0);
  }
  return best;
}
