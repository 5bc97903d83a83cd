/**
 * Text tables for the command line: every column as wide as its widest cell, so the rows line
 * up whatever their lengths.
 *
 * @module
 */

/**
 * Lays out rows of cells as aligned lines, two spaces between columns, no trailing spaces.
 *
 * @param rows The cells, row by row.
 * @param right Which columns are aligned to the right (numbers).
 * @returns One line per row.
 *
 * @example
 * ```ts
 * import { columns } from "./table.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(columns([["a", "1"], ["long", "100"]], [false, true]), [
 *   "a       1",
 *   "long  100",
 * ]);
 * ```
 */
export function columns(
  rows: readonly (readonly string[])[],
  right: readonly boolean[] = [],
): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length));
  }
  return rows.map((row) =>
    row.map((cell, i) =>
      right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)
    ).join("  ").trimEnd()
  );
}
