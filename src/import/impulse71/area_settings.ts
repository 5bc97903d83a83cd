/**
 * The settings and access an area carries over from BOARDS.DAT and UPLOADS.DAT.
 *
 * Access conditions (ACS) are a small expression language; only what maps onto a level is
 * translated: an empty condition is level 0 (everyone), `sNN` (security level at least NN) is
 * level NN. Any other condition (flags, download levels, `&`, `|`, `!`) is not translated and the
 * area is closed instead, at level 255, with a change in the report naming the condition: an
 * import never opens an area wider than the old board did. `hidden` is set unless the area was
 * "visible without access" (`mbstat` / `fbstat`).
 *
 * @module
 */
import type {
  AnonymousPosting,
  AreaAccess,
  NewFileArea,
  NewMessageArea,
} from "../../records.ts";
import type { Impulse71BoardRecord } from "./boards.ts";
import type { Impulse71Conference } from "./conferences.ts";
import type { Impulse71FileAreaRecord } from "./file_areas.ts";
import type { Fitted } from "./import_text.ts";
import { plainName } from "./import_text.ts";

/** The level an area is closed at when its condition is not translated. */
const CLOSED = 255;

/**
 * The level an ACS condition requires, or `null` when it is more than a level.
 *
 * @param acs The condition, raw.
 * @returns The level (0 for no condition), or `null`.
 */
export function acsLevel(acs: string): number | null {
  const text = acs.trim();
  if (text === "") return 0;
  const level = /^s(\d{1,3})$/i.exec(text)?.[1];
  return level !== undefined && Number(level) <= 255 ? Number(level) : null;
}

/** A level from a condition, noting a condition that closes the area. */
function level(acs: string, what: string, changes: string[]): number {
  const found = acsLevel(acs);
  if (found !== null) return found;
  changes.push(
    `the ${what} condition "${acs.trim()}" is more than a security level: the area is closed ` +
      `to level ${CLOSED} (sysops) until its access is set`,
  );
  return CLOSED;
}

/** A line of text as the store takes it, its changes noted. */
function line(text: string, field: string, changes: string[]): string {
  const fitted = plainName(text, field);
  changes.push(...fitted.changes);
  return fitted.value;
}

/** How Impulse's anonymous setting maps: "Dear Abby" and "any name" allow anonymity. */
function anonymous(value: number): AnonymousPosting {
  return value === 0 ? "never" : value === 2 ? "forced" : "allowed";
}

/**
 * A message board's settings and access.
 *
 * @param board The BOARDS.DAT record.
 * @param conferences The named message conferences.
 * @returns The settings, with what changed on the way.
 */
export function boardSettings(
  board: Impulse71BoardRecord,
  conferences: readonly Impulse71Conference[],
): Fitted<Partial<NewMessageArea>> {
  const changes: string[] = [];
  const conference = conferences.find((c) => c.number === board.conference);
  const access: Partial<AreaAccess> = {
    readLevel: level(board.acs, "read", changes),
    writeLevel: level(board.postAcs, "post", changes),
    hidden: !board.flags.includes("visibleWithoutAccess"),
  };
  return {
    value: {
      conference: conference
        ? line(conference.name, "conference", changes)
        : "",
      maxMessages: board.maxMessages === 0 ? null : board.maxMessages,
      origin: line(board.origin, "origin", changes),
      anonymous: anonymous(board.anonymous),
      access,
    },
    changes,
  };
}

/**
 * A file area's settings and access.
 *
 * @param area The UPLOADS.DAT record.
 * @returns The settings, with what changed on the way.
 */
export function fileAreaSettings(
  area: Impulse71FileAreaRecord,
): Fitted<Partial<NewFileArea>> {
  const changes: string[] = [];
  const access: Partial<AreaAccess> = {
    readLevel: level(area.acs, "list and download", changes),
    writeLevel: level(area.uploadAcs, "upload", changes),
    hidden: !area.flags.includes("visibleWithoutAccess"),
  };
  return {
    value: {
      storagePath: line(area.downloadPath, "download path", changes),
      access,
    },
    changes,
  };
}
