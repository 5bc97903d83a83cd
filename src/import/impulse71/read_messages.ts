/**
 * Reads the message side of an install: BOARDS.DAT with every board's base, the e-mail
 * base, and bases on disk that no board refers to.
 *
 * @module
 */

import { basename, extname, join } from "node:path";
import { decodeBoards, type Impulse71BoardRecord } from "./boards.ts";
import type { InstallDirectories } from "./directories.ts";
import type { InstallFiles } from "./install_files.ts";
import {
  decodeMessageBase,
  type Impulse71MessageBase,
} from "./message_base.ts";

/** Where a base's two files are, relative to the install directory. */
export interface Impulse71BaseFiles {
  /** The `.MIX` index, or `null` when it is missing (reported). */
  indexFile: string | null;
  /** The `.BRD` headers and text, or `null` when it is missing (reported). */
  textFile: string | null;
}

/** A board with its base: live messages in slot order, deleted ones, and counts. */
export type Impulse71Board =
  & Impulse71BoardRecord
  & Impulse71MessageBase
  & Impulse71BaseFiles;

/** The private e-mail base (`EMAIL` in the message directory). */
export type Impulse71Mail = Impulse71MessageBase & Impulse71BaseFiles;

/** A base on disk that no board refers to (reported; import it only on request). */
export interface Impulse71OrphanBase
  extends Impulse71MessageBase, Impulse71BaseFiles {
  /** The base name, upper case (such as `LOCAL`). */
  name: string;
}

/** The message side of an install. */
export interface MessageSide {
  /** BOARDS.DAT's report name, or `null` when it is missing (reported). */
  boardsFile: string | null;
  /** Boards in number order. */
  boards: Impulse71Board[];
  /** The e-mail base. */
  mail: Impulse71Mail;
  /** Bases no board refers to. */
  orphans: Impulse71OrphanBase[];
}

/**
 * Reads BOARDS.DAT, every board's base, the e-mail base and the orphan bases; reports
 * the stale `EMAIL.*` of the data directory.
 *
 * @param files The install.
 * @param dirs The data and message directories.
 * @param users User names by slot, to link authors and recipients.
 * @returns Boards with messages, mail, and orphans.
 */
export async function readMessageSide(
  files: InstallFiles,
  dirs: InstallDirectories,
  users: ReadonlyMap<number, string>,
): Promise<MessageSide> {
  const decoded = await files.decode(
    dirs.data,
    "BOARDS.DAT",
    "the message boards",
    decodeBoards,
  );
  const boards: Impulse71Board[] = [];
  for (const board of decoded?.value ?? []) {
    const why = `the base of board ${board.number} "${board.name}"`;
    const base = board.fileName === ""
      ? noBase(files, decoded!.file, board.number - 1, why)
      : await readBase(files, dirs.messages, board.fileName, users, why);
    // Object.assign keeps the board's non-enumerable password.
    boards.push(Object.assign(board, base));
  }
  const mail = await readBase(
    files,
    dirs.messages,
    "EMAIL",
    users,
    "the e-mail base",
    true,
  );
  if (dirs.data !== dirs.messages) await reportStaleMail(files, dirs.data);
  const known = new Set([...boards.map((board) => board.fileName), "EMAIL"]);
  return {
    boardsFile: decoded?.file ?? null,
    boards,
    mail,
    orphans: await readOrphanBases(files, dirs.messages, known, users),
  };
}

async function readOrphanBases(
  files: InstallFiles,
  dir: string,
  known: ReadonlySet<string>,
  users: ReadonlyMap<number, string>,
): Promise<Impulse71OrphanBase[]> {
  const orphans: Impulse71OrphanBase[] = [];
  for (const name of await baseNames(files, dir)) {
    if (known.has(name)) continue;
    const base = await readBase(
      files,
      dir,
      name,
      users,
      `part of the orphan base ${name}`,
    );
    files.problems.push({
      kind: "orphan_base",
      file: base.indexFile ?? base.textFile ?? name,
      record: null,
      reason:
        `Base "${name}" is referred to by no board in BOARDS.DAT: read ${base.messages.length} live and ${base.deletedMessages.length} deleted messages, import only on request`,
    });
    orphans.push({ name, ...base });
  }
  return orphans;
}

async function readBase(
  files: InstallFiles,
  dir: string,
  name: string,
  users: ReadonlyMap<number, string>,
  why: string,
  email = false,
): Promise<Impulse71MessageBase & Impulse71BaseFiles> {
  const mix = await files.load(dir, `${name}.MIX`, why);
  const brd = await files.load(dir, `${name}.BRD`, why);
  const placed = {
    indexFile: mix?.context.file ?? null,
    textFile: brd?.context.file ?? null,
  };
  if (mix === null) return { ...emptyBase(), ...placed };
  const base = decodeMessageBase(mix.bytes, brd?.bytes ?? new Uint8Array(), {
    index: mix.context,
    text: brd?.context ?? files.context(join(dir, `${name}.BRD`)),
    users,
    email,
  });
  return { ...base, ...placed };
}

/** Reports a board without a base file name and gives it an empty base. */
function noBase(
  files: InstallFiles,
  boardsFile: string,
  record: number,
  why: string,
): Impulse71MessageBase & Impulse71BaseFiles {
  files.problems.push({
    kind: "missing_file",
    file: boardsFile,
    record,
    reason: `Board has no base file name, so ${why} cannot be found`,
  });
  return { ...emptyBase(), indexFile: null, textFile: null };
}

function emptyBase(): Impulse71MessageBase {
  return {
    slots: 0,
    usedSlots: 0,
    messages: [],
    deletedMessages: [],
    junkSlots: 0,
    orphanHeaders: 0,
  };
}

/** Upper-case names of the `.MIX`/`.BRD` files in a directory. */
async function baseNames(files: InstallFiles, dir: string): Promise<string[]> {
  const paths = [
    ...await files.filesWithExtension(dir, ".MIX"),
    ...await files.filesWithExtension(dir, ".BRD"),
  ];
  const names = paths.map((path) =>
    basename(path, extname(path)).toUpperCase()
  );
  return [...new Set(names)].sort();
}

/** Reports `EMAIL.MIX`/`EMAIL.BRD` in the data directory, which 7.1 never opens. */
async function reportStaleMail(
  files: InstallFiles,
  dataDir: string,
): Promise<void> {
  for (const name of ["EMAIL.MIX", "EMAIL.BRD"]) {
    const path = await files.file(dataDir, name);
    if (path === null) continue;
    files.problems.push({
      kind: "ignored_file",
      file: files.name(path),
      record: null,
      reason:
        "Impulse 7.1 keeps e-mail in the message directory and never opens this file: ignored",
    });
  }
}
