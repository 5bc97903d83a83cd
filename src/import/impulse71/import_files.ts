/**
 * File areas and their entries, with long descriptions (as DIZ text), oldest upload first.
 *
 * @module
 */

import { fileAreaSettings } from "./area_settings.ts";
import { filenameKey, foldKey } from "../../keys.ts";
import type { Impulse71FileEntry } from "./file_listing.ts";
import { fit, type ImportRun, tryWrite, type Where } from "./import_run.ts";
import { fillDates, type Fitted, plainName, storable } from "./import_text.ts";
import type { NewFileArea } from "../../records.ts";
import type { Impulse71Install } from "./read_impulse71.ts";

/** A listing to import and the area it becomes. */
export interface ListingToImport {
  tag: string;
  name: string;
  listingFile: string | null;
  entries: Impulse71FileEntry[];
  /** The control file and record that define the area. */
  where: Where;
  /** Why the area is not imported, or `null` to import it. */
  leaveOut: string | null;
  /** The area's settings and access (none for orphan listings). */
  settings: Fitted<Partial<NewFileArea>>;
}

/**
 * The listings of an install as areas to create: file areas in number order, then orphan
 * listings.
 *
 * @param install The decoded install.
 * @param includeOrphans Whether orphan listings are imported.
 * @returns The listings, each with its area.
 */
export function fileListings(
  install: Impulse71Install,
  includeOrphans: boolean,
): ListingToImport[] {
  const areas = install.fileAreas.map((area): ListingToImport => ({
    tag: area.fileName,
    name: area.name,
    listingFile: area.listingFile,
    entries: area.entries,
    where: { file: install.sources.fileAreas, record: area.number },
    leaveOut: area.fileName === ""
      ? "the area names no listing file"
      : area.hidden && area.entries.length === 0
      ? "it is base 0, which callers never saw, and lists no files"
      : null,
    settings: fileAreaSettings(area),
  }));
  const orphans = install.orphans.listings.map((listing): ListingToImport => ({
    tag: listing.name,
    name: listing.name,
    listingFile: listing.listingFile,
    entries: listing.entries,
    where: { file: listing.listingFile, record: null },
    leaveOut: includeOrphans
      ? null
      : "it is an orphan listing (no area refers to it), imported only with includeOrphans",
    settings: { value: {}, changes: [] },
  }));
  return [...areas, ...orphans];
}

/**
 * Writes each file area and orphan listing (on request) with its entries.
 *
 * @param run The import, after the users.
 */
export async function importFileSide(run: ImportRun): Promise<void> {
  const all = fileListings(run.install, run.includeOrphans);
  run.tally.read("fileAreas", all.length);
  const tags = new Set<string>();
  for (const listing of all) {
    run.tally.read("files", listing.entries.length);
    const leaveOut = listing.leaveOut ??
      (tags.has(foldKey(listing.tag))
        ? `its tag "${listing.tag}" is taken by an area before it`
        : null);
    if (leaveOut !== null) {
      run.tally.skip(
        "fileAreas",
        listing.where,
        `File area "${listing.tag}" is not imported, as ${leaveOut}`,
      );
      for (const entry of listing.entries) {
        run.tally.skip(
          "files",
          { file: listing.listingFile, record: entry.slot },
          `File "${entry.fileName}" is skipped with its area`,
        );
      }
      continue;
    }
    tags.add(foldKey(listing.tag));
    const name = fit(
      run,
      "fileAreas",
      listing.where,
      plainName(listing.name, "name"),
    );
    const settings = fit(run, "fileAreas", listing.where, listing.settings);
    const area = await tryWrite(
      run,
      "fileAreas",
      listing.where,
      () =>
        run.tx.fileAreas.create({
          tag: listing.tag,
          name: name || listing.tag,
          ...settings,
        }),
    );
    if (area !== undefined) await importEntries(run, listing, area.id);
  }
}

/** Adds a listing's entries, oldest (last listed) first. */
async function importEntries(
  run: ImportRun,
  listing: ListingToImport,
  areaId: number,
): Promise<void> {
  const entries = [...listing.entries].reverse();
  const { dates, filled } = fillDates(
    entries.map((e) => e.uploadedOn.at),
    run.now,
  );
  const names = new Map<string, number>();
  for (const [index, entry] of entries.entries()) {
    const where = { file: listing.listingFile, record: entry.slot };
    const leaveOut = skipReason(entry, names.get(filenameKey(entry.fileName)));
    if (leaveOut !== null) {
      run.tally.skip(
        "files",
        where,
        `File "${entry.fileName}" is skipped, as ${leaveOut}`,
      );
      continue;
    }
    if (filled.has(index)) {
      run.tally.change(
        "files",
        where,
        `upload date "${entry.uploadedOn.raw}" is no date: dated ${
          dates[index]!.toISOString()
        } from its neighbours`,
      );
    }
    const uploaderId = entry.uploader === null
      ? null
      : run.users.get(entry.uploader) ?? null;
    if (uploaderId === null && entry.uploaderName !== "") {
      run.tally.change(
        "files",
        where,
        `uploader "${entry.uploaderName}" is no user of the board: imported without an uploader`,
      );
    }
    // The one-line description is the description; the long one (VERBOSE.DAT, the extended
    // description boards filled from FILE_ID.DIZ or SAUCE) is the DIZ text. A request-only file
    // is offline: listed, but not on the board's disks.
    const added = await tryWrite(run, "files", where, () =>
      run.tx.files.add({
        areaId,
        filename: entry.fileName,
        description: fit(
          run,
          "files",
          where,
          storable(entry.description, "description"),
        ),
        diz: fit(
          run,
          "files",
          where,
          storable(entry.longDescription ?? "", "long description"),
        ),
        offline: entry.flags.includes("requestOnly"),
        uploaderId,
        size: entry.size ?? entry.blocks * 128,
        uploadedAt: dates[index]!,
      }));
    if (added !== undefined) names.set(filenameKey(entry.fileName), entry.slot);
  }
}

/** Why an entry is left out, or `null` to import it. */
function skipReason(
  entry: Impulse71FileEntry,
  sameName: number | undefined,
): string | null {
  if (entry.flags.includes("unvalidated")) {
    return "it awaits the SysOp's validation (hidden from callers)";
  }
  if (entry.flags.includes("resumeLater")) {
    return "its upload was never finished";
  }
  if (entry.privateFor !== null) {
    return `it is private for "${entry.privateFor}" and the store has no private files`;
  }
  if (sameName !== undefined) {
    return `the area already lists a file of that name (slot ${sameName})`;
  }
  return null;
}
