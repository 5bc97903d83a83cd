/**
 * Keyset pages: a page of `limit` rows is read with one row more, which says whether another
 * page follows.
 *
 * @module
 */

/**
 * Splits rows read with `LIMIT limit + 1` into the page and, when more follow, the page's last
 * row (whose keys make the cursor).
 *
 * @param rows The rows read, at most `limit + 1`.
 * @param limit The page's size.
 * @returns The page, and its last row when another page follows.
 */
export function keysetPage<R>(
  rows: R[],
  limit: number,
): { page: R[]; last: R | undefined } {
  if (rows.length <= limit) return { page: rows, last: undefined };
  const page = rows.slice(0, limit);
  return { page, last: page[page.length - 1] };
}
