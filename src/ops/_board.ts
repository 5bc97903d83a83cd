/**
 * The board's settings the operations read besides their arguments: the open options
 * `maxNodes`, `timeZone` and `clock`, kept per executor (the storage's, and each transaction's), so that
 * the operations keep taking the executor alone. A viewer's executor (`as()`) reads its inner
 * executor's.
 *
 * @module
 */
import type { Executor } from "../driver.ts";
import { ViewerExecutor } from "./_access.ts";
import { StorageError } from "../errors.ts";
import { describe } from "../describe.ts";

/** The nodes of a board when `openStorage` was not told: 250. */
export const DEFAULT_MAX_NODES = 250;

/** The board's settings. */
export interface Board {
  /** The open option `maxNodes`, parsed. */
  readonly maxNodes: number;
  /** The open option `timeZone`: an IANA name, valid. */
  readonly zone: string;
  /** The open option `clock`: now, in milliseconds since the epoch. */
  readonly now: () => number;
}

/** What an executor no one told gets: the defaults. */
export const DEFAULT_BOARD: Board = Object.freeze({
  maxNodes: DEFAULT_MAX_NODES,
  zone: "UTC",
  now: Date.now,
});

const BOARDS = new WeakMap<Executor, Board>();

/**
 * Sets the board's settings for the operations run on an executor.
 *
 * @param x The executor (the storage's, or a transaction's).
 * @param board The settings.
 */
export function setBoard(x: Executor, board: Board): void {
  BOARDS.set(x, board);
}

/**
 * The board's settings on an executor: what `setBoard` set, else the defaults.
 *
 * @param x The executor (a viewer's reads its inner executor's).
 * @returns The settings.
 */
export function boardOf(x: Executor): Board {
  return BOARDS.get(x instanceof ViewerExecutor ? x.inner : x) ?? DEFAULT_BOARD;
}

/**
 * The board's node count on an executor.
 *
 * @param x The executor.
 * @returns The node count.
 */
export function maxNodesOf(x: Executor): number {
  return boardOf(x).maxNodes;
}

/**
 * Now on an executor's clock (`OpenOptions.clock`, else `Date.now`).
 *
 * @param x The executor.
 * @returns Milliseconds since the epoch.
 * @throws {StorageError} `validation` when the clock returns no finite number.
 */
export function nowOf(x: Executor): number {
  const now = boardOf(x).now;
  if (now === Date.now) return Date.now();
  const t = now();
  if (typeof t === "number" && Number.isFinite(t)) return t;
  throw new StorageError(
    "validation",
    `The clock given as options.clock returned ${
      describe(t)
    }: it must return a finite number (milliseconds since the epoch), as Date.now does`,
    { field: "options.clock" },
  );
}
