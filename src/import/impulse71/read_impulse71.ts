/**
 * {@linkcode readImpulse71}: decodes a whole Impulse 7.1 install into plain data.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { StorageError } from "../../errors.ts";
import * as runtime from "../../runtime.ts";
import { decodeConferences, type Impulse71Conference } from "./conferences.ts";
import { isKnownTimeZone } from "./dates.ts";
import { InstallFiles } from "./install_files.ts";
import { decodeLastCallers, type Impulse71LastCaller } from "./last_callers.ts";
import { checkNames, decodeNames } from "./names.ts";
import type { Impulse71Problem } from "./problems.ts";
import {
  type Impulse71FileArea,
  type Impulse71OrphanListing,
  readFileSide,
} from "./read_files.ts";
import {
  type Impulse71Board,
  type Impulse71Mail,
  type Impulse71OrphanBase,
  readMessageSide,
} from "./read_messages.ts";
import { type InstallDirectories, resolveDirectories } from "./directories.ts";
import { type Impulse71ScanState, scanStates } from "./scan_state.ts";
import { decodeStatus, type Impulse71System } from "./status.ts";
import { decodeUsers, type Impulse71User } from "./users.ts";
import { decodeZscan } from "./zscan.ts";

/** Options of {@linkcode readImpulse71}. */
export interface ReadImpulse71Options {
  /**
   * The IANA time zone the board ran in (such as `"America/Los_Angeles"`): dates and
   * packed stamps are wall-clock times in it. Defaults to `"UTC"`, which keeps the
   * wall-clock digits as they were.
   */
  timeZone?: string;
}

/** Everything decoded from an install, as plain data, with every finding. */
export interface Impulse71Install {
  /** The install directory read. */
  directory: string;
  /** STATUS.DAT, or `null` when it is missing (reported). */
  system: Impulse71System | null;
  /** USER.LST slots 1..n in slot order, deleted accounts included (flagged). */
  users: Impulse71User[];
  /** Boards in number order, each with its live messages in original (slot) order. */
  boards: Impulse71Board[];
  /** The private e-mail base. */
  mail: Impulse71Mail;
  /** File areas in number order (base 0, hidden, included), each with its files. */
  fileAreas: Impulse71FileArea[];
  /** Remote calls, most recent first. */
  lastCallers: Impulse71LastCaller[];
  /** Per-user new-scan and last-read state, for users USER.LST holds. */
  scans: Impulse71ScanState[];
  /** Named message and file conferences. */
  conferences: { message: Impulse71Conference[]; file: Impulse71Conference[] };
  /** What is on disk but referred to by no control file. */
  orphans: {
    /** Message bases no board refers to. */
    messageBases: Impulse71OrphanBase[];
    /** File listings no area refers to. */
    listings: Impulse71OrphanListing[];
  };
  /** Everything skipped or odd, in the order found. */
  problems: Impulse71Problem[];
  /** The control files read, as named in `problems`; `null` for one that is missing. */
  sources: Impulse71Sources;
}

/** Where an install's control files were found, relative to the install directory. */
export interface Impulse71Sources {
  /** `USER.LST`. */
  users: string | null;
  /** `BOARDS.DAT`. */
  boards: string | null;
  /** `UPLOADS.DAT`. */
  fileAreas: string | null;
  /** `LASTON.DAT`. */
  lastCallers: string | null;
  /** `ZSCAN.DAT`. */
  scans: string | null;
}

/**
 * Decodes an Impulse 7.1 install: STATUS.DAT in `directory`, then the data and message
 * directories it names (mapped onto `directory` by their last path component, falling
 * back to `DATA/` and `MSGS/`). File names match case-insensitively. Nothing is written.
 * Damaged or odd records are skipped or kept and listed in `problems`, never thrown.
 *
 * @param directory The install directory (the BBS start directory).
 * @param options The time zone the board ran in.
 * @returns The decoded install.
 * @throws {StorageError} `validation` when the time zone is unknown; `not_found` when the
 *   directory does not exist or holds neither STATUS.DAT nor USER.LST.
 *
 * @example
 * ```ts ignore
 * const install = await readImpulse71("./imp71", { timeZone: "America/Los_Angeles" });
 * console.log(install.users.length, install.problems.length);
 * ```
 */
export async function readImpulse71(
  directory: string | URL,
  options: ReadImpulse71Options = {},
): Promise<Impulse71Install> {
  const root = directory instanceof URL ? fileURLToPath(directory) : directory;
  const timeZone = options.timeZone ?? "UTC";
  if (!isKnownTimeZone(timeZone)) {
    throw new StorageError(
      "validation",
      `Cannot read the Impulse 7.1 install as the time zone is unknown: "${timeZone}"`,
      { field: "timeZone" },
    );
  }
  await checkDirectory(root);
  const files = new InstallFiles(root, timeZone, []);
  const status = await files.decode(
    root,
    "STATUS.DAT",
    "the system record",
    decodeStatus,
  );
  const system = status?.value ?? null;
  const dirs = await resolveDirectories(
    files,
    status && system && { system, file: status.file },
  );
  const users = await files.decode(
    dirs.data,
    "USER.LST",
    "the user accounts",
    decodeUsers,
  );
  if (status === null && users === null) {
    throw new StorageError(
      "not_found",
      `Cannot read the Impulse 7.1 install as it holds neither STATUS.DAT nor DATA/USER.LST: "${root}"`,
    );
  }
  return await readRest(files, dirs, system, {
    users: users?.value ?? [],
    file: users?.file ?? null,
  });
}

/** Everything after STATUS.DAT and USER.LST. */
async function readRest(
  files: InstallFiles,
  dirs: InstallDirectories,
  system: Impulse71System | null,
  { users, file: usersFile }: { users: Impulse71User[]; file: string | null },
): Promise<Impulse71Install> {
  const names = new Map(users.map((user) => [user.number, user.name]));
  await files.decode(
    dirs.data,
    "NAMES.LST",
    "the name index",
    (bytes, context) => checkNames(decodeNames(bytes, context), names, context),
  );
  const messageSide = await readMessageSide(files, dirs, names);
  const fileSide = await readFileSide(files, dirs.data, names);
  const conferences = await readConferences(files, dirs.data);
  checkConferences(files, messageSide.boards, conferences.message, {
    file: messageSide.boardsFile,
    firstNumber: 1,
  });
  checkConferences(files, fileSide.fileAreas, conferences.file, {
    file: fileSide.areasFile,
    firstNumber: 0,
  });
  const lastCallers = await files.decode(
    dirs.data,
    "LASTON.DAT",
    "the last callers",
    (bytes, context) => decodeLastCallers(bytes, context, names),
  );
  const scans = await files.decode(
    dirs.data,
    "ZSCAN.DAT",
    "the new-scan state",
    (bytes, context) =>
      scanStates(decodeZscan(bytes, context), {
        context,
        users,
        boards: messageSide.boards,
        fileAreas: fileSide.fileAreas,
      }),
  );
  return {
    directory: files.root,
    system,
    users,
    boards: messageSide.boards,
    mail: messageSide.mail,
    fileAreas: fileSide.fileAreas,
    lastCallers: lastCallers?.value ?? [],
    scans: scans?.value ?? [],
    conferences,
    orphans: { messageBases: messageSide.orphans, listings: fileSide.orphans },
    problems: files.problems,
    sources: {
      users: usersFile,
      boards: messageSide.boardsFile,
      fileAreas: fileSide.areasFile,
      lastCallers: lastCallers?.file ?? null,
      scans: scans?.file ?? null,
    },
  };
}

async function checkDirectory(root: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await runtime.stat(root)).isDirectory;
  } catch (error) {
    if (!(error instanceof runtime.errors.NotFound)) throw error;
  }
  if (!isDirectory) {
    throw new StorageError(
      "not_found",
      `Cannot read the Impulse 7.1 install as the directory does not exist: "${root}"`,
    );
  }
}

async function readConferences(
  files: InstallFiles,
  dataDir: string,
): Promise<Impulse71Install["conferences"]> {
  const message = await files.decode(
    dataDir,
    "MCONF.DAT",
    "the message conferences",
    decodeConferences,
  );
  const file = await files.decode(
    dataDir,
    "FCONF.DAT",
    "the file conferences",
    decodeConferences,
  );
  return { message: message?.value ?? [], file: file?.value ?? [] };
}

/**
 * Reports boards or areas in a conference slot that is blank; `firstNumber` is the number
 * of record 0 (boards count from 1, file areas from 0).
 */
function checkConferences(
  files: InstallFiles,
  areas: readonly { number: number; name: string; conference: number }[],
  conferences: readonly Impulse71Conference[],
  { file, firstNumber }: { file: string | null; firstNumber: number },
): void {
  if (file === null) return;
  const named = new Set(conferences.map((conference) => conference.number));
  for (const area of areas) {
    if (area.conference === 0 || named.has(area.conference)) continue;
    files.problems.push({
      kind: "missing_conference",
      file,
      record: area.number - firstNumber,
      reason:
        `"${area.name}" is in conference ${area.conference}, whose slot is blank: kept without a conference`,
    });
  }
}
