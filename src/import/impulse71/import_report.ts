/**
 * The report of an Impulse 7.1 import: per kind of record, how many were read, imported and
 * skipped, every skip and every change with its reason, and the decoder's findings.
 *
 * @module
 */

import type { Impulse71Problem } from "./problems.ts";

/**
 * A kind of record: `users` (USER.LST slots), `messageAreas` (boards, the e-mail base and
 * orphan bases), `messages` (board and orphan-base index slots in use, plus headers no slot
 * uses), `mail` (the same for the e-mail base), `fileAreas` (UPLOADS.DAT records and orphan
 * listings), `files` (listing entries), `lastCallers` (LASTON.DAT entries) and `lastRead`
 * (ZSCAN.DAT read points of users, plus ZSCAN.DAT records of no user).
 */
export type Impulse71ImportKind =
  | "users"
  | "messageAreas"
  | "messages"
  | "mail"
  | "fileAreas"
  | "files"
  | "lastCallers"
  | "lastRead";

/** The kinds of record an import counts, in report order. */
export const IMPORT_KINDS: readonly Impulse71ImportKind[] = [
  "users",
  "messageAreas",
  "messages",
  "mail",
  "fileAreas",
  "files",
  "lastCallers",
  "lastRead",
];

/** How many records of a kind were read, imported and skipped (`read = imported + skipped`). */
export interface Impulse71ImportCount {
  /** Records found in the install. */
  read: number;
  /** Records written (or, in a dry run, that would be). */
  imported: number;
  /** Records left out, each listed in `skipped` with its reason. */
  skipped: number;
}

/** One record skipped, or imported with a change. */
export interface Impulse71ImportFinding {
  /** The kind of record. */
  kind: Impulse71ImportKind;
  /** The file, relative to the install directory, or `null` when not known. */
  file: string | null;
  /** The 0-based record (slot) in `file`, or `null`. */
  record: number | null;
  /** What was found and what was done. */
  reason: string;
}

/** What an import did. */
export interface Impulse71ImportReport {
  /** The install directory read. */
  directory: string;
  /** Whether this was a dry run (everything rolled back). */
  dryRun: boolean;
  /** The IANA time zone dates were read in. */
  timeZone: string;
  /** Whether orphan bases and listings were imported. */
  includeOrphans: boolean;
  /** Per kind: read, imported, skipped. */
  counts: Record<Impulse71ImportKind, Impulse71ImportCount>;
  /** Every record skipped, with the reason, in the order met. */
  skipped: Impulse71ImportFinding[];
  /** Records imported with a change (a control character removed, a date filled in, …). */
  changed: Impulse71ImportFinding[];
  /** Every finding of the decoder (`readImpulse71`), skips included, in the order found. */
  problems: Impulse71Problem[];
}

/** Progress of an import, as `onProgress` receives it. */
export interface Impulse71ImportProgress {
  /** `hash` while passwords are hashed (before writing), then `import`. */
  stage: "hash" | "import";
  /** The kind of record being imported. */
  kind: Impulse71ImportKind;
  /** Records of that kind handled so far. */
  done: number;
  /** Records of that kind to handle. */
  total: number;
}

/** Counts records and collects findings while an import runs. */
export class Tally {
  readonly counts = Object.fromEntries(
    IMPORT_KINDS.map((kind) => [kind, { read: 0, imported: 0, skipped: 0 }]),
  ) as Record<Impulse71ImportKind, Impulse71ImportCount>;
  readonly skipped: Impulse71ImportFinding[] = [];
  readonly changed: Impulse71ImportFinding[] = [];
  readonly #progress: (progress: Impulse71ImportProgress) => void;

  /** @param onProgress Told after each record handled. */
  constructor(onProgress: (progress: Impulse71ImportProgress) => void) {
    this.#progress = onProgress;
  }

  /** Counts `n` records of `kind` found. */
  read(kind: Impulse71ImportKind, n = 1): void {
    this.counts[kind].read += n;
  }

  /** Counts one record of `kind` written. */
  imported(kind: Impulse71ImportKind): void {
    this.counts[kind].imported++;
    this.#tell(kind);
  }

  /** Counts one record of `kind` left out, and why. */
  skip(
    kind: Impulse71ImportKind,
    where: { file: string | null; record: number | null },
    reason: string,
  ): void {
    this.counts[kind].skipped++;
    this.skipped.push({ kind, file: where.file, record: where.record, reason });
    this.#tell(kind);
  }

  /** Notes a change made to a record of `kind` that was imported. */
  change(
    kind: Impulse71ImportKind,
    where: { file: string | null; record: number | null },
    reason: string,
  ): void {
    this.changed.push({ kind, file: where.file, record: where.record, reason });
  }

  /** Skips each decoder finding of `kinds` about one of `files`, as records of `kind`. */
  skipProblems(
    kind: Impulse71ImportKind,
    problems: readonly Impulse71Problem[],
    filter: {
      kinds: readonly string[];
      files: readonly (string | null)[];
    },
  ): void {
    for (const problem of problems) {
      if (
        filter.kinds.includes(problem.kind) &&
        filter.files.includes(problem.file)
      ) {
        this.read(kind);
        this.skip(kind, problem, problem.reason);
      }
    }
  }

  #tell(kind: Impulse71ImportKind): void {
    const { read, imported, skipped } = this.counts[kind];
    this.#progress({
      stage: "import",
      kind,
      done: imported + skipped,
      total: read,
    });
  }
}
