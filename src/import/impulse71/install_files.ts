/**
 * Finds the files of an install the way DOS did: names match case-insensitively, and the
 * absolute DOS paths of STATUS.DAT map onto the install directory by their last component.
 *
 * @module
 */

import { join, relative } from "node:path";
import * as runtime from "../../runtime.ts";
import type { DecodeContext, Impulse71Problem } from "./problems.ts";

/** A file read for decoding, with the context its decoder reports into. */
export interface LoadedFile {
  /** The contents. */
  bytes: Uint8Array;
  /** The file's name for reports, the time zone and the problem list. */
  context: DecodeContext;
}

/** A directory entry: its name as spelled on disk and what it is. */
interface Entry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

/** Case-insensitive access to the files below one install directory. */
export class InstallFiles {
  /** The install directory as given. */
  readonly root: string;
  /** The IANA time zone decoders read dates in. */
  readonly timeZone: string;
  /** Where every decoder of this read reports. */
  readonly problems: Impulse71Problem[];
  readonly #listings = new Map<string, Map<string, Entry>>();

  /**
   * Wraps an install directory; nothing is read until asked.
   *
   * @param root The install directory (the BBS start directory, holding STATUS.DAT).
   * @param timeZone The IANA time zone decoders read dates in.
   * @param problems Where decoders report.
   */
  constructor(root: string, timeZone: string, problems: Impulse71Problem[]) {
    this.root = root;
    this.timeZone = timeZone;
    this.problems = problems;
  }

  /**
   * The decode context of a file: its report name, the time zone and the problem list.
   *
   * @param path The file's path.
   * @returns The context.
   */
  context(path: string): DecodeContext {
    return {
      file: this.name(path),
      timeZone: this.timeZone,
      problems: this.problems,
    };
  }

  /**
   * Reads a file found case-insensitively; a missing file is reported, naming `why`.
   *
   * @param dir The directory to look in.
   * @param name The DOS file name.
   * @param why What the file is for, for the report.
   * @returns The contents and context, or `null` when the file is missing.
   */
  async load(
    dir: string,
    name: string,
    why: string,
  ): Promise<LoadedFile | null> {
    const path = await this.file(dir, name);
    if (path === null) {
      this.problems.push({
        kind: "missing_file",
        file: this.name(join(dir, name)),
        record: null,
        reason: `File is missing: ${why}`,
      });
      return null;
    }
    return { bytes: await runtime.readFile(path), context: this.context(path) };
  }

  /**
   * Reads and decodes a file found case-insensitively; a missing file is reported.
   *
   * @param dir The directory to look in.
   * @param name The DOS file name.
   * @param why What the file is for, for the report.
   * @param decoder Decodes the contents, reporting into the context it is given.
   * @returns The decoded value and the file's report name, or `null` when it is missing.
   */
  async decode<T>(
    dir: string,
    name: string,
    why: string,
    decoder: (bytes: Uint8Array, context: DecodeContext) => T,
  ): Promise<{ value: T; file: string } | null> {
    const loaded = await this.load(dir, name, why);
    return loaded && {
      value: decoder(loaded.bytes, loaded.context),
      file: loaded.context.file,
    };
  }

  /**
   * The size of a file, or `null` when it is not there.
   *
   * @param path The file's path.
   * @returns Its size in bytes.
   */
  async size(path: string): Promise<number | null> {
    try {
      return (await runtime.stat(path)).size;
    } catch (error) {
      if (error instanceof runtime.errors.NotFound) return null;
      throw error;
    }
  }

  /**
   * Finds a file in a directory, ignoring case.
   *
   * @param dir An absolute directory path.
   * @param name The file name, in any case.
   * @returns The path as spelled on disk, or `null` when there is no such file.
   */
  async file(dir: string, name: string): Promise<string | null> {
    const entry = (await this.#list(dir)).get(name.toUpperCase());
    return entry?.isFile ? join(dir, entry.name) : null;
  }

  /**
   * Finds a subdirectory, ignoring case.
   *
   * @param dir An absolute directory path.
   * @param name The subdirectory name, in any case.
   * @returns The path as spelled on disk, or `null` when there is none.
   */
  async directory(dir: string, name: string): Promise<string | null> {
    const entry = (await this.#list(dir)).get(name.toUpperCase());
    return entry?.isDirectory ? join(dir, entry.name) : null;
  }

  /**
   * Lists the files of a directory whose names end with `extension`, ignoring case.
   *
   * @param dir An absolute directory path.
   * @param extension Such as `".MIX"`.
   * @returns The paths as spelled on disk, sorted by upper-case name.
   */
  async filesWithExtension(dir: string, extension: string): Promise<string[]> {
    const wanted = extension.toUpperCase();
    return [...(await this.#list(dir)).entries()]
      .filter(([upper, entry]) => entry.isFile && upper.endsWith(wanted))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => join(dir, entry.name));
  }

  /**
   * Maps an absolute DOS directory (`C:\IMP\DATA\`) onto the install: the directory below
   * the root named like the path's last component, ignoring case.
   *
   * @param dosPath The path as Impulse stored it.
   * @returns The directory, or `null` when the path is empty or names nothing here.
   */
  async dosDirectory(dosPath: string): Promise<string | null> {
    const last = dosPath.replace(/^[A-Za-z]:/, "").split(/[\\/]+/)
      .filter((part) => part !== "").at(-1);
    return last === undefined ? null : await this.directory(this.root, last);
  }

  /**
   * Names a path for reports: relative to the root, with `/` separators.
   *
   * @param path A path below the root.
   * @returns Such as `DATA/USER.LST`.
   */
  name(path: string): string {
    return relative(this.root, path).split(/[\\/]/).join("/");
  }

  async #list(dir: string): Promise<Map<string, Entry>> {
    let listing = this.#listings.get(dir);
    if (listing !== undefined) return listing;
    listing = new Map();
    try {
      for (const found of await runtime.readDir(dir)) {
        const entry = found.isSymlink
          ? await followLink(dir, found.name)
          : found;
        const upper = entry.name.toUpperCase();
        const seen = listing.get(upper);
        // DOS cannot hold two names differing only in case; pick one deterministically.
        if (seen === undefined || entry.name < seen.name) {
          listing.set(upper, entry);
        }
      }
    } catch (error) {
      if (!(error instanceof runtime.errors.NotFound)) throw error;
    }
    this.#listings.set(dir, listing);
    return listing;
  }
}

async function followLink(dir: string, name: string): Promise<Entry> {
  try {
    const info = await runtime.stat(join(dir, name));
    return { name, isFile: info.isFile, isDirectory: info.isDirectory };
  } catch {
    return { name, isFile: false, isDirectory: false };
  }
}
