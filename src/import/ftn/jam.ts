/**
 * The JAM message-base reader (JAM-001; reference sections 2 and 5): a base's `.jhr`, `.jdt`,
 * `.jdx` and `.jlr` read into the readers' common form (types.ts). Damaged content is stepped
 * over and listed in `problems`; only a base that cannot be read at all throws.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { StorageError } from "../../errors.ts";
import { readBaseFile } from "./base_file.ts";
import * as runtime from "../../runtime.ts";
import {
  checkAreaHeader,
  jamBaseNames,
  type JamFiles,
  parseJam,
} from "./jam_parse.ts";
import type { FtnBase } from "./types.ts";

export { jamCrc32, jamNameCrc32 } from "./jam_crc.ts";
export { type JamFileNames, type JamFiles, parseJam } from "./jam_parse.ts";

/** The four files of a base, by extension. */
const EXTENSIONS = ["jhr", "jdt", "jdx", "jlr"] as const;

/**
 * Reads a JAM base from disk. Its files are found by extension in any case (`.jhr` or
 * `.JHR`); a missing `.jdx` makes the reader walk `.jhr` instead (a problem), a missing or
 * empty `.jlr` means no last-read records.
 *
 * @param path The base's path without extension, e.g. `msgbase/general`.
 * @returns The base: messages in number order (deleted ones included), last-read records and
 *   the problems met.
 * @throws {StorageError} `not_found` when the folder, the `.jhr` or the `.jdt` file is missing;
 *   `validation` when `.jhr` does not start with a JAM area header.
 *
 * @example
 * ```ts ignore
 * const base = await readJamBase("./msgbase/general");
 * console.log(base.messages.length, base.problems);
 * ```
 */
export async function readJamBase(path: string): Promise<FtnBase> {
  const folder = dirname(path);
  const base = basename(path);
  const found = await findFiles(folder, base);
  if (found.jhr === undefined) {
    throw new StorageError(
      "not_found",
      `Cannot read the JAM base as its header file is missing: no "${base}.jhr" (in any case) in "${folder}"; give the base's path without an extension`,
    );
  }
  const upper = found.jhr.endsWith(".JHR");
  const names = jamBaseNames(base, upper);
  const read = async (ext: keyof JamFiles) => {
    const name = found[ext];
    if (name === undefined) return null;
    names[ext] = name;
    return await readBaseFile(join(folder, name), "JAM");
  };
  const [jhr, jdt, jdx, jlr] = await Promise.all([
    read("jhr"),
    read("jdt"),
    read("jdx"),
    read("jlr"),
  ]);
  checkAreaHeader(jhr!, names.jhr);
  if (jdt === null) {
    // Imported without their text, the messages would be duplicates of themselves once the
    // file is back: nothing is read.
    throw new StorageError(
      "not_found",
      `Cannot read the JAM base as its text file is missing: no "${base}.jdt" (in any case) in "${folder}", which holds the messages' text; nothing was imported`,
    );
  }
  return parseJam({ jhr: jhr!, jdt, jdx, jlr }, names);
}

/** The names on disk of a base's files, by extension (undefined when missing). */
async function findFiles(
  folder: string,
  base: string,
): Promise<Partial<Record<keyof JamFiles, string>>> {
  let entries: runtime.DirEntry[];
  try {
    entries = await runtime.readDir(folder);
  } catch (error) {
    if (!(error instanceof runtime.errors.NotFound)) throw error;
    throw new StorageError(
      "not_found",
      `Cannot read the JAM base as its folder does not exist: "${folder}"`,
    );
  }
  const files = entries.filter((entry) => !entry.isDirectory).map((entry) =>
    entry.name
  )
    .sort();
  const found: Partial<Record<keyof JamFiles, string>> = {};
  for (const ext of EXTENSIONS) {
    const wanted = `${base}.${ext}`.toLowerCase();
    const matches = files.filter((name) => name.toLowerCase() === wanted);
    // The base name as given wins over another case of it (two bases on a case-sensitive disk).
    found[ext] = matches.find((name) => name.startsWith(`${base}.`)) ??
      matches[0];
  }
  return found;
}
