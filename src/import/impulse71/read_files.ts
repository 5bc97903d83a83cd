/**
 * Reads the file side of an install: UPLOADS.DAT with every area's listing, long
 * descriptions from VERBOSE.DAT and sizes found on disk, and listings no area refers to.
 *
 * @module
 */

import { plural } from "../../describe.ts";
import * as runtime from "../../runtime.ts";
import { basename, extname } from "node:path";
import { decodeFileAreas, type Impulse71FileAreaRecord } from "./file_areas.ts";
import { decodeListing, type Impulse71FileEntry } from "./file_listing.ts";
import type { InstallFiles } from "./install_files.ts";
import {
  attachLongDescriptions,
  decodeVerbose,
  settleSharedPointers,
} from "./verbose.ts";

/** A file area with its files. */
export type Impulse71FileArea = Impulse71FileAreaRecord & {
  /** The `.DIR` listing, or `null` when it is missing (reported). */
  listingFile: string | null;
  /** The files, newest first as listed. */
  entries: Impulse71FileEntry[];
};

/** A `.DIR` listing that no area refers to (reported; import it only on request). */
export interface Impulse71OrphanListing {
  /** The listing's base name, upper case (such as `MISC`). */
  name: string;
  /** The `.DIR` file. */
  listingFile: string;
  /** The files, newest first as listed. */
  entries: Impulse71FileEntry[];
}

/** The file side of an install. */
export interface FileSide {
  /** UPLOADS.DAT's report name, or `null` when it is missing (reported). */
  areasFile: string | null;
  /** Areas in number order, base 0 included. */
  fileAreas: Impulse71FileArea[];
  /** Listings no area refers to. */
  orphans: Impulse71OrphanListing[];
}

/** Long descriptions by VERBOSE.DAT record, or `null` when the file is missing. */
type Verbose = readonly (string | null)[] | null;

/**
 * Reads UPLOADS.DAT, every area's listing and the orphan listings of the data directory,
 * with their long descriptions.
 *
 * @param files The install.
 * @param dataDir The data directory.
 * @param users User names by slot, to link uploaders.
 * @returns Areas with entries, and orphans.
 */
export async function readFileSide(
  files: InstallFiles,
  dataDir: string,
  users: ReadonlyMap<number, string>,
): Promise<FileSide> {
  const areas = await files.decode(
    dataDir,
    "UPLOADS.DAT",
    "the file areas",
    decodeFileAreas,
  );
  const verbose = (await files.decode(
    dataDir,
    "VERBOSE.DAT",
    "the long descriptions",
    decodeVerbose,
  ))?.value ?? null;
  const fileAreas: Impulse71FileArea[] = [];
  for (const area of areas?.value ?? []) {
    fileAreas.push(await readArea(files, dataDir, area, verbose, users));
  }
  const listed = new Set(fileAreas.map((area) => area.listingFile));
  const orphans = await readOrphanListings(
    files,
    dataDir,
    listed,
    verbose,
    users,
  );
  settleSharedPointers(
    [...fileAreas, ...orphans].flatMap(({ listingFile, entries }) =>
      listingFile === null ? [] : [{ file: listingFile, entries }]
    ),
    files.problems,
  );
  return { areasFile: areas?.file ?? null, fileAreas, orphans };
}

async function readArea(
  files: InstallFiles,
  dataDir: string,
  area: Impulse71FileAreaRecord,
  verbose: Verbose,
  users: ReadonlyMap<number, string>,
): Promise<Impulse71FileArea> {
  const downloads = await files.dosDirectory(area.downloadPath);
  const dir = area.flags.includes("listingInDownloadPath")
    ? downloads ?? dataDir
    : dataDir;
  const loaded = await files.load(
    dir,
    `${area.fileName}.DIR`,
    `the listing of file area ${area.number} "${area.name}"`,
  );
  const entries = loaded === null
    ? []
    : decodeListing(loaded.bytes, loaded.context, users);
  if (loaded !== null) attachLongDescriptions(entries, verbose, loaded.context);
  if (downloads !== null) await measure(files, downloads, entries);
  // Object.assign keeps the area's non-enumerable password.
  return Object.assign(area, {
    listingFile: loaded?.context.file ?? null,
    entries,
  });
}

async function readOrphanListings(
  files: InstallFiles,
  dataDir: string,
  listed: ReadonlySet<string | null>,
  verbose: Verbose,
  users: ReadonlyMap<number, string>,
): Promise<Impulse71OrphanListing[]> {
  const orphans: Impulse71OrphanListing[] = [];
  for (const path of await files.filesWithExtension(dataDir, ".DIR")) {
    const context = files.context(path);
    if (listed.has(context.file)) continue;
    const entries = decodeListing(await runtime.readFile(path), context, users);
    attachLongDescriptions(entries, verbose, context);
    files.problems.push({
      kind: "orphan_listing",
      file: context.file,
      record: null,
      reason: `Listing is referred to by no file area in UPLOADS.DAT: read ${
        plural(entries.length, "file")
      }, import only on request`,
    });
    orphans.push({
      name: basename(path, extname(path)).toUpperCase(),
      listingFile: context.file,
      entries,
    });
  }
  return orphans;
}

/** Fills in the exact size of each entry whose file is in the download directory. */
async function measure(
  files: InstallFiles,
  dir: string,
  entries: Impulse71FileEntry[],
): Promise<void> {
  for (const entry of entries) {
    const path = await files.file(dir, entry.fileName);
    if (path !== null) entry.size = await files.size(path);
  }
}
