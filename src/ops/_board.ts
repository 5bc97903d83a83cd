/**
 * The board's settings the operations read besides their arguments: the open option
 * `maxNodes`, kept per executor (the storage's, and each transaction's), so that the operations
 * keep taking the executor alone.
 *
 * @module
 */
import type { Executor } from "../driver.ts";

/** The nodes of a board when `openStorage` was not told: 250. */
export const DEFAULT_MAX_NODES = 250;

const MAX_NODES = new WeakMap<Executor, number>();

/**
 * Sets the board's node count for the operations run on an executor.
 *
 * @param x The executor (the storage's, or a transaction's).
 * @param maxNodes The open option `maxNodes`, parsed.
 */
export function setMaxNodes(x: Executor, maxNodes: number): void {
  MAX_NODES.set(x, maxNodes);
}

/**
 * The board's node count on an executor: what `setMaxNodes` set, else the default.
 *
 * @param x The executor.
 * @returns The node count.
 */
export function maxNodesOf(x: Executor): number {
  return MAX_NODES.get(x) ?? DEFAULT_MAX_NODES;
}
