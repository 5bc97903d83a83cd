/**
 * Private mail to the board's users. A private message whose destination address is one of the
 * board's own (the import's `addresses`) goes to the user its To name names, as usernames
 * compare (`users.findByUsername`): it is posted with that user as `toUserId`, so they read it
 * as its addressee. Private messages to other addresses (mail in transit), or without one, keep
 * no local addressee (the area's sysops read them), and one to the board naming no user is
 * listed in the report.
 *
 * @module
 */
import { isStorageError } from "../../errors.ts";
import type { Ops } from "./duplicates.ts";
import type { PreparedMessage } from "./prepare.ts";

/** A private message to the board that names none of its users. */
export interface FtnUndelivered {
  /** Its number in the base. */
  number: number;
  /** The name it is addressed to. */
  toName: string;
  /** The board's address it was sent to. */
  destAddr: string;
}

/**
 * Whether a message is private mail to one of the board's addresses.
 *
 * @param m The message (its destination in its plain form, as prepare.ts gives it).
 * @param addresses The board's own addresses, in their plain form; none when not given.
 * @returns Whether it goes to a user of the board.
 */
export function toBoard(
  m: PreparedMessage,
  addresses: ReadonlySet<string> | undefined,
): boolean {
  return m.private && m.destAddr !== null && addresses !== undefined &&
    addresses.has(m.destAddr);
}

/**
 * The board's user a name names, as usernames compare, or `null`.
 *
 * @param ops Where to look the user up (the batch's transaction, or the storage in a dry run).
 * @param name The name.
 * @returns The user's id, or `null`.
 */
export async function userNamed(
  ops: Ops,
  name: string,
): Promise<number | null> {
  try {
    return (await ops.users.findByUsername(name))?.id ?? null;
  } catch (error) {
    // A name no username can be (too long, control characters) names nobody.
    if (isStorageError(error, "validation")) return null;
    throw error;
  }
}
