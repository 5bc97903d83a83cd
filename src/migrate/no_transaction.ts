/**
 * The opt-out of a migration's transaction. Apart from `migration.ts`, which hashes with
 * `node:crypto`: applying migrations needs only this, so opening a storage does not import it.
 *
 * @module
 */

const NO_TRANSACTION = /^--\s*no-transaction\s*$/;

/**
 * Whether a script opts out of the transaction with a first line `-- no-transaction`.
 *
 * @param script The script text.
 * @returns `true` if the script must run outside a transaction.
 */
export function isNoTransaction(script: string): boolean {
  return NO_TRANSACTION.test(script.split(/\r?\n/, 1)[0] ?? "");
}
