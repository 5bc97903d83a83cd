/**
 * Boards, the e-mail base and (on request) orphan bases, as message areas with their live
 * messages in slot order.
 *
 * @module
 */

import { boardSettings } from "./area_settings.ts";
import { foldKey } from "../../keys.ts";
import type { MessageAreaKind, NewMessageArea } from "../../records.ts";
import type { Impulse71ImportKind } from "./import_report.ts";
import {
  fit,
  type ImportedBase,
  type ImportRun,
  tryWrite,
} from "./import_run.ts";
import {
  fillDates,
  type Fitted,
  isAnonymous,
  partyName,
  plainName,
  storable,
} from "./import_text.ts";
import type { Impulse71Message, Impulse71MessageBase } from "./message_base.ts";
import type { Impulse71Install } from "./read_impulse71.ts";
import type { Impulse71BaseFiles } from "./read_messages.ts";

/** The tag of the e-mail area. */
export const MAIL_TAG = "EMAIL";

/** A base to import and the area it becomes. */
export interface BaseToImport extends Impulse71MessageBase, Impulse71BaseFiles {
  tag: string;
  name: string;
  kind: MessageAreaKind;
  /** The board number, or `null` for the e-mail and orphan bases. */
  board: number | null;
  /** The control file and record that define the area. */
  file: string | null;
  record: number | null;
  /** Why the base is not imported, or `null` to import it. */
  leaveOut: string | null;
  /** The board's settings and access (none for the e-mail and orphan bases). */
  settings: Fitted<Partial<NewMessageArea>>;
}

/** The settings of an area no BOARDS.DAT record describes: the defaults. */
const NO_SETTINGS: Fitted<Partial<NewMessageArea>> = { value: {}, changes: [] };

/**
 * The bases of an install as areas to create: boards in number order, the e-mail base,
 * then orphan bases.
 *
 * @param install The decoded install.
 * @param includeOrphans Whether orphan bases are imported.
 * @returns The bases, each with its area.
 */
export function messageBases(
  install: Impulse71Install,
  includeOrphans: boolean,
): BaseToImport[] {
  const boards = install.boards.map((board): BaseToImport => ({
    ...board,
    tag: board.fileName,
    name: board.name,
    kind: board.type === 1 ? "echomail" : "local",
    board: board.number,
    file: install.sources.boards,
    record: board.number - 1,
    leaveOut: board.fileName === "" ? "the board names no base file" : null,
    settings: boardSettings(board, install.conferences.message),
  }));
  const mail: BaseToImport[] = install.mail.indexFile === null ? [] : [{
    ...install.mail,
    tag: MAIL_TAG,
    name: "E-mail",
    kind: "private",
    board: null,
    file: install.mail.indexFile,
    record: null,
    leaveOut: null,
    settings: NO_SETTINGS,
  }];
  const orphans = install.orphans.messageBases.map((base): BaseToImport => ({
    ...base,
    tag: base.name,
    name: base.name,
    kind: "local",
    board: null,
    file: base.indexFile ?? base.textFile,
    record: null,
    leaveOut: includeOrphans
      ? null
      : "it is an orphan base (no board refers to it), imported only with includeOrphans",
    settings: NO_SETTINGS,
  }));
  return [...boards, ...mail, ...orphans];
}

/**
 * Writes each base as an area with its live messages; records boards in `run.boards`.
 *
 * @param run The import, after the users.
 */
export async function importMessageSide(run: ImportRun): Promise<void> {
  const bases = messageBases(run.install, run.includeOrphans);
  run.tally.read("messageAreas", bases.length);
  const tags = new Set<string>();
  for (const base of bases) {
    const kind = base.kind === "private" ? "mail" : "messages";
    run.tally.skipProblems(kind, run.install.problems, {
      kinds: ["deleted_message", "junk_index_entry", "orphan_header"],
      files: [base.indexFile, base.textFile],
    });
    run.tally.read(kind, base.messages.length);
    const areaId = await createArea(run, base, tags);
    if (areaId === undefined) {
      for (const message of base.messages) {
        run.tally.skip(
          kind,
          { file: base.indexFile, record: message.slot },
          `Message in slot ${message.slot} of "${base.tag}" is skipped with its area`,
        );
      }
      continue;
    }
    const posted = await importMessages(run, kind, base, areaId);
    if (base.board !== null) run.boards.set(base.board, { areaId, posted });
  }
}

/** Creates a base's area unless it is left out or its tag is taken; returns its id. */
async function createArea(
  run: ImportRun,
  base: BaseToImport,
  tags: Set<string>,
): Promise<number | undefined> {
  const where = { file: base.file, record: base.record };
  const leaveOut = base.leaveOut ??
    (tags.has(foldKey(base.tag))
      ? `its tag "${base.tag}" is taken by an area before it`
      : null);
  if (leaveOut !== null) {
    run.tally.skip(
      "messageAreas",
      where,
      `Base "${base.tag}" is not imported, as ${leaveOut}`,
    );
    return undefined;
  }
  tags.add(foldKey(base.tag));
  const name = fit(run, "messageAreas", where, plainName(base.name, "name"));
  const settings = fit(run, "messageAreas", where, base.settings);
  const area = await tryWrite(
    run,
    "messageAreas",
    where,
    () =>
      run.tx.messageAreas.create({
        tag: base.tag,
        name: name || base.tag,
        kind: base.kind,
        ...settings,
      }),
  );
  return area?.id;
}

/** Posts a base's live messages in slot order; returns what was written. */
async function importMessages(
  run: ImportRun,
  kind: Impulse71ImportKind,
  base: BaseToImport,
  areaId: number,
): Promise<ImportedBase["posted"]> {
  const written: ImportedBase["posted"] = [];
  const ids = new Map<number, number>();
  const { dates, filled } = fillDates(
    base.messages.map((m) => m.postedAt?.at ?? null),
    run.now,
  );
  for (const [index, message] of base.messages.entries()) {
    const where = { file: base.indexFile, record: message.slot };
    const leaveOut = message.flags.includes("unvalidated")
      ? "it awaits the SysOp's validation (hidden from callers)"
      : message.flags.includes("encrypted")
      ? "its text is encrypted"
      : null;
    if (leaveOut !== null) {
      run.tally.skip(
        kind,
        where,
        `Message in slot ${message.slot} of "${base.tag}" is skipped, as ${leaveOut}`,
      );
      continue;
    }
    if (filled.has(index)) {
      run.tally.change(
        kind,
        where,
        `the message has no readable date: dated ${
          dates[index]!.toISOString()
        } from its neighbours`,
      );
    }
    const parentId = parentOf(run, kind, where, message, ids);
    // Impulse 7.1 keeps no received flag for e-mail: reading a letter deletes it (clears
    // miexist) and deleted letters are left out when the base is read, so a letter imported is still waiting
    // (receivedAt null; the user record's `waiting` count is derived from the same).
    const posted = await tryWrite(run, kind, where, () =>
      run.tx.messages.post({
        areaId,
        fromUserId: isAnonymous(message.from)
          ? null
          : userOf(run, message.from.user),
        fromName: fit(run, kind, where, partyName(message.from, "from")),
        toUserId: userOf(run, message.to.user),
        toName: fit(run, kind, where, partyName(message.to, "to")),
        subject: fit(run, kind, where, storable(message.title, "subject")),
        body: fit(run, kind, where, storable(message.lines.join("\n"), "text")),
        parentId,
        createdAt: dates[index]!,
        // The old board's history: never exported again by a tosser (listUnexported).
        imported: true,
      }));
    if (posted === undefined) continue;
    written.push({ msgNum: posted.msgNum, at: posted.createdAt });
    ids.set(message.slot, posted.id);
  }
  return written;
}

function userOf(run: ImportRun, number: number | null): number | null {
  return number === null ? null : run.users.get(number) ?? null;
}

/** The id of the reply's parent, when the parent was imported before it. */
function parentOf(
  run: ImportRun,
  kind: Impulse71ImportKind,
  where: { file: string | null; record: number },
  message: Impulse71Message,
  ids: ReadonlyMap<number, number>,
): number | null {
  if (message.parentSlot === null) return null;
  const id = ids.get(message.parentSlot);
  if (id === undefined) {
    run.tally.change(
      kind,
      where,
      `its parent (slot ${message.parentSlot}) was not imported before it: kept as a thread start`,
    );
  }
  return id ?? null;
}
