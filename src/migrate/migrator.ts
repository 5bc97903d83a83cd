/**
 * The migration runner: applies and reverts a migration set on a {@linkcode MigrationTarget},
 * one transaction per migration, under the target's lock.
 *
 * @module
 */
import { manifest } from "../../migrations/mod.ts";
import { bindMethods, methodNames } from "../bind.ts";
import { StorageError } from "../errors.ts";
import { parse } from "../validate.ts";
import { checkedStatus, readStatus } from "./applied.ts";
import * as A from "./arguments.ts";
import type { Migration } from "./migration.ts";
import { type KeptNote, readNotes } from "./notes.ts";
import { assertMigratable, type MigrationStatus } from "./plan.ts";
import type { MigrationTarget } from "./target.ts";
import { cancelled, guarded, throwIfCancelled } from "./scratch.ts";
import {
  applyStep,
  backupLabel,
  descend,
  downTried,
  type MigrationStep,
  newest,
  revertStep,
  type SetRun,
} from "./steps.ts";
import { verifyCopy, type VerifyReport } from "./verify.ts";

export { newest } from "./steps.ts";
export type { MigrationStep } from "./steps.ts";

/** The name of the set of the package's own migrations. */
export const OWN_SET = "impulse";

/** Options of {@linkcode Migrator}. */
export interface MigratorOptions {
  /** The name the set is tracked under; defaults to `"impulse"`. */
  set?: string;
  /**
   * How long to wait for another process's migration, in milliseconds: for PostgreSQL's
   * migration lock, on SQLite for each step's write lock; defaults to 60000.
   */
  lockTimeoutMs?: number;
  /** Refuse `up`, `down` and `to` (the target was opened for reading only). */
  readOnly?: boolean;
}

/** Options of {@linkcode Migrator.verify}. */
export interface VerifyOptions {
  /**
   * Cancels the check: it stops before its next statement, removes its scratch copy and
   * rejects with a `StorageError` of kind `unavailable`.
   */
  signal?: AbortSignal;
}

/** Options of {@linkcode Migrator.down}. */
export interface DownOptions {
  /** How many migrations to revert: a positive integer; 1 by default. */
  steps?: number;
  /** Revert every version above this one instead (0: all); not together with `steps`. */
  to?: number;
  /**
   * Revert even what cannot be shown to come back: a step that would lose data, or one that
   * runs without a transaction. On SQLite a backup copy of the file is written first. Only
   * `true` forces: anything but a boolean is refused as `validation`.
   */
  force?: boolean;
}

/**
 * Applies and reverts one migration set on one database.
 *
 * Every migration runs with its tracking row in one transaction (unless its first line is
 * `-- no-transaction`), and every step re-reads the tracking table inside its transaction, so
 * two processes migrating at once apply each migration exactly once.
 *
 * @example
 * ```ts
 * import { openMigrator } from "@impulse/storage/migrate";
 * import assert from "node:assert/strict";
 *
 * await using migrator = await openMigrator("sqlite::memory:");
 * await migrator.up();
 * const status = await migrator.status();
 * assert.ok(status.every((line) => line.state === "applied"));
 * ```
 */
export class Migrator implements AsyncDisposable {
  #target: MigrationTarget;
  #migrations: readonly Migration[];
  #set: string;
  #lockTimeoutMs: number;
  #readOnly: boolean;
  /** What the steps work on (see `steps.ts`). */
  #run: SetRun;

  /**
   * Creates a runner for one set on one target.
   *
   * @param target The database.
   * @param migrations The migration set, sorted by version.
   * @param options The set's name and the lock timeout.
   */
  constructor(
    target: MigrationTarget,
    migrations: readonly Migration[],
    options: MigratorOptions = {},
  ) {
    const o = parse(A.migratorOptions, options, "options", "Migrator");
    this.#target = target;
    this.#migrations = migrations;
    this.#set = o.set ?? OWN_SET;
    this.#lockTimeoutMs = o.lockTimeoutMs ?? 60_000;
    this.#readOnly = o.readOnly ?? false;
    this.#run = {
      target,
      migrations,
      set: this.#set,
      lockTimeoutMs: this.#lockTimeoutMs,
    };
    // Bound, so a method taken off the runner works like the original (src/bind.ts).
    bindMethods(this, MIGRATOR_METHODS);
  }

  /** The migrations of the set. */
  get migrations(): readonly Migration[] {
    return this.#migrations;
  }

  /**
   * Reports every migration of the set and of the database with its state.
   *
   * @returns One line per version, ascending.
   */
  async status(): Promise<MigrationStatus[]> {
    // Only reads, waiting for no lock: a database without the tracking table has every
    // migration pending.
    return await this.#target.read((q) =>
      readStatus(q, this.#migrations, this.#set)
    );
  }

  /**
   * The notes that the code of applied migrations left (such as names that became one name),
   * kept in the database since they were applied: the way to read what `openStorage` applied.
   *
   * @returns The notes, by version; empty when no applied migration has code.
   */
  async notes(): Promise<KeptNote[]> {
    const coded = new Set(
      this.#migrations.filter((m) => m.code).map((m) => m.version),
    );
    const status = await this.status();
    if (!status.some((l) => l.state === "applied" && coded.has(l.version))) {
      return [];
    }
    return await this.#target.read((q) => readNotes(q, this.#set));
  }

  /**
   * Applies pending migrations in order.
   *
   * @param options `to`: the highest version to apply; all by default.
   * @returns The steps taken (none when the database is current).
   * @throws {StorageError} `validation` for options that are not an object or a `to` that is
   * not a non-negative integer (nothing is read or written); `migration` when the state is
   * unsafe or a script fails (the database stays at the last whole version); `timeout` when
   * the lock cannot be had in time.
   */
  async up(options: { to?: number } = {}): Promise<MigrationStep[]> {
    const o = parse(A.upOptions, options, "options", "up");
    this.#assertWritable("up");
    // A first look that only reads: a database with nothing to apply is left as it is, without
    // waiting for the migration lock or a write lock. An unsafe state is refused even then.
    const seen = await this.#target.read(async (q) => {
      const status = await readStatus(q, this.#migrations, this.#set);
      assertMigratable(status, this.#set);
      return status;
    });
    const due = (version: number) => o.to === undefined || version <= o.to;
    if (!seen.some((l) => l.state === "pending" && due(l.version))) return [];
    return await this.#target.withLock(async () => {
      // Under the lock, read again (another process may have migrated meanwhile), and try only
      // the pending ones (each re-checks inside its own transaction, as another process may
      // have applied it since).
      const status = await this.#target.transaction((q) =>
        checkedStatus(q, this.#migrations, this.#set)
      );
      const pending = new Set(
        status.filter((line) => line.state === "pending").map((line) =>
          line.version
        ),
      );
      const steps: MigrationStep[] = [];
      for (const migration of this.#migrations) {
        if (!due(migration.version)) break;
        if (!pending.has(migration.version)) continue;
        const step = await applyStep(this.#run, migration);
        if (step) steps.push(step);
      }
      return steps;
    }, this.#lockTimeoutMs);
  }

  /**
   * Reverts applied migrations, newest first.
   *
   * Before each step its down script and then its up script are tried inside the run's
   * transaction and rolled back, comparing every row and column of every table (and the id
   * high-water marks) with what they were. If anything would not come back, or a step runs
   * without a transaction (so it cannot be tried), nothing is reverted unless `force` is set.
   * The steps of one run commit together.
   *
   * @param options `steps`: how many (default 1); or `to`: revert every version above it;
   * `force`: revert anyway (after a backup copy of a SQLite file, one step per transaction).
   * @returns The steps taken.
   * Other sessions go on reading while the steps run, but wait to write to the database's
   * tables until they commit (PostgreSQL; on SQLite the step's write lock excludes them).
   *
   * @throws {StorageError} `validation` for options that are not an object, `steps` that is not
   * a positive integer, `to` that is not a non-negative integer, both of them, or `force` that
   * is not a boolean (nothing is read or written); `migration` when the state is unsafe, a
   * step would lose data or
   * cannot be tried (naming each table and column, and how many rows), or a script fails;
   * `timeout` when a writer holds a table past `lockTimeoutMs` (nothing is reverted);
   * `unavailable` when a forced run cannot write its backup copy.
   */
  async down(options: DownOptions = {}): Promise<MigrationStep[]> {
    const o = parse(A.downOptions, options, "options", "down");
    this.#assertWritable("down");
    const steps = o.to === undefined ? o.steps ?? 1 : Infinity;
    const floor = o.to ?? 0;
    return await this.#target.withLock(async () => {
      if (o.force !== true) return await downTried(this.#run, steps, floor);
      const top = newest(await this.status());
      if (top <= floor || steps < 1) return [];
      const backup = await this.#target.backup(backupLabel(this.#set, top));
      const taken: MigrationStep[] = [];
      while (taken.length < steps) {
        const step = await revertStep(this.#run, floor);
        if (!step) break;
        taken.push(step);
      }
      if (backup !== null && taken[0]) taken[0].backup = backup;
      return taken;
    }, this.#lockTimeoutMs);
  }

  /**
   * Migrates up or down until `version` is the newest applied migration (0: none).
   *
   * @param version A version of the set, or 0.
   * @param options `force`: going down, revert even what would not come back (see
   * {@linkcode Migrator.down}).
   * @returns The steps taken.
   * @throws {StorageError} `validation` when the version is not a non-negative integer or the
   * options are not an object with a boolean `force` (nothing is read or written);
   * `migration` when the version is not in the set, or as `up` and `down` do.
   */
  async to(
    version: number,
    options: { force?: boolean } = {},
  ): Promise<MigrationStep[]> {
    parse(A.targetVersion, version, "version", "to");
    const o = parse(A.toOptions, options, "options", "to");
    this.#assertWritable("to");
    if (version !== 0 && !this.#migrations.some((m) => m.version === version)) {
      throw new StorageError(
        "migration",
        `Cannot migrate to version ${version}: the set has no such migration`,
        {
          version,
        },
      );
    }
    const current = newest(await this.status());
    return version >= current
      ? await this.up({ to: version })
      : await this.down({ to: version, force: o.force });
  }

  /**
   * Checks every down script on a scratch copy of the database, rows included: reverts the copy
   * to version 0, trying each step on its rows as {@linkcode Migrator.down} does; then for
   * each migration in turn applies it, tries its down and up steps on the rows again, reverts
   * it, compares the schema with the one before it was applied, and applies it again.
   *
   * The copy holds everything the database holds: a SQLite copy lives in a directory of its
   * own (mode 0700, its files 0600), a PostgreSQL copy is a database of its own on the same
   * server; it is removed after, whether the check passes, fails, throws or is cancelled.
   *
   * @param options `signal`: cancels the check; the copy is removed, and the promise rejects.
   * @returns The report (the first problem ends the check), with the columns that held no data
   * when tried; the copy is deleted after.
   * @throws {StorageError} `timeout` or `unavailable` when the copy cannot be made or used;
   * `unavailable` when `signal` cancels the check (the check stops before its next statement).
   *
   * @example
   * ```ts
   * import { openMigrator } from "@impulse/storage/migrate";
   * import assert from "node:assert/strict";
   *
   * await using migrator = await openMigrator("sqlite::memory:");
   * await migrator.up();
   * const controller = new AbortController();
   * controller.abort(new Error("the board is shutting down"));
   * await assert.rejects(migrator.verify({ signal: controller.signal }), /cancelled/);
   * ```
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const signal = validSignal(options);
    throwIfCancelled(signal);
    // No `await using` in library code: Node 22 cannot parse it.
    const copy = await this.#target.scratch({ signal });
    try {
      const scratch = guarded(copy, signal);
      const runner = new Migrator(scratch, this.#migrations, {
        set: this.#set,
        lockTimeoutMs: this.#lockTimeoutMs,
      });
      const run = runner.#run;
      try {
        if (!copy.whole) {
          // An empty database: migrated here to this one's versions, then given its rows.
          await this.#replay(scratch);
          await copy.copyRows({ signal });
          throwIfCancelled(signal);
        }
        return await verifyCopy(scratch, this.#migrations, {
          descend: (seen) => descend(run, seen),
          up: async (version) => void await runner.up({ to: version }),
          rehearse: async (seen) => void await downTried(run, 1, 0, seen, true),
          revert: async () => void await revertStep(run, 0),
        });
      } catch (error) {
        // Whatever a step threw as the signal fired, the run was cancelled.
        throw signal?.aborted ? cancelled(signal) : error;
      }
    } finally {
      await copy[Symbol.asyncDispose]();
    }
  }

  /** Closes the target. */
  async close(): Promise<void> {
    await this.#target.close();
  }

  /** Closes the target, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Migrates an empty copy to this database's versions: the package's own set (which a
   * caller's set builds on) and this set.
   */
  async #replay(copy: MigrationTarget): Promise<void> {
    const own = manifest[this.#target.dialect] ?? [];
    if (this.#set !== OWN_SET) {
      const ownTop = newest(await new Migrator(this.#target, own).status());
      if (ownTop > 0) await new Migrator(copy, own).up({ to: ownTop });
    }
    const top = newest(await this.status());
    if (top > 0) {
      await new Migrator(copy, this.#migrations, { set: this.#set }).up({
        to: top,
      });
    }
  }

  #assertWritable(doing: string): void {
    if (this.#readOnly) {
      throw new StorageError(
        "validation",
        `Cannot run ${doing}() as the migrator was opened read-only: open it without readOnly to change the database`,
        { field: "readOnly" },
      );
    }
  }
}

const MIGRATOR_METHODS = methodNames(Migrator.prototype, [
  Symbol.asyncDispose,
]);

function validSignal(options: VerifyOptions): AbortSignal | undefined {
  const signal = options?.signal;
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw new StorageError(
    "validation",
    "Invalid verify option: signal must be an AbortSignal: got " +
      typeof signal,
    { field: "options.signal" },
  );
}
