/**
 * Maps the data and message directories STATUS.DAT names onto the install directory.
 *
 * @module
 */

import type { InstallFiles } from "./install_files.ts";
import type { Impulse71System } from "./status.ts";

/** The two directories the decoders read from. */
export interface InstallDirectories {
  /** Users, boards, file areas, listings, … (`gfilepath`). */
  data: string;
  /** Every message base, e-mail included (`msgpath`). */
  messages: string;
}

/** STATUS.DAT as decoded, with its report name. */
export interface StatusFile {
  /** The decoded record. */
  system: Impulse71System;
  /** The file's name relative to the install. */
  file: string;
}

/**
 * Finds the data and message directories: the subdirectory named like the last component
 * of the STATUS.DAT path, else `DATA/` or `MSGS/`, else the install directory itself.
 * Every fallback is reported (without STATUS.DAT, the defaults are used silently, as its
 * absence is already reported).
 *
 * @param files The install.
 * @param status The decoded STATUS.DAT, or `null` when it is missing.
 * @returns The two directories.
 */
export async function resolveDirectories(
  files: InstallFiles,
  status: StatusFile | null,
): Promise<InstallDirectories> {
  return {
    data: await resolve(files, status, "gfilepath", "DATA"),
    messages: await resolve(files, status, "msgpath", "MSGS"),
  };
}

async function resolve(
  files: InstallFiles,
  status: StatusFile | null,
  field: "gfilepath" | "msgpath",
  fallback: string,
): Promise<string> {
  const dosPath = field === "gfilepath"
    ? status?.system.dataPath ?? ""
    : status?.system.messagePath ?? "";
  const named = await files.dosDirectory(dosPath);
  if (named !== null) return named;
  const defaulted = await files.directory(files.root, fallback);
  if (status !== null) {
    const used = defaulted === null ? "the install directory" : `${fallback}/`;
    files.problems.push({
      kind: "path_fallback",
      file: status.file,
      record: null,
      reason:
        `Field "${field}" names no directory of the install, used ${used}: "${dosPath}"`,
    });
  }
  return defaulted ?? files.root;
}
