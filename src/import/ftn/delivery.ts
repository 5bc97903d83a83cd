/**
 * Private mail to the board's users. A private message whose destination address is one of the
 * board's own (the import's `addresses`) goes to the user its To name names, as usernames
 * compare (`users.findByUsername`): it is posted with that user as `toUserId`, so they read it
 * as its addressee. Private messages to other addresses (mail in transit), or without one, keep
 * no local addressee (their author's system and the area's sysops read them), and one to the
 * board naming no user is listed in the report.
 *
 * @module
 */
import { isStorageError } from "../../errors.ts";
import { ftnAddress } from "../../schemas.ts";
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
 * The board's user a message goes to: their id; `"nobody"` for a private message to the board
 * that names no user; `null` for any other message.
 *
 * @param ops Where to look the user up (the batch's transaction, or the storage in a dry run).
 * @param m The message.
 * @param addresses The board's own addresses, in their plain form.
 * @returns The user's id, `"nobody"`, or `null`.
 */
export async function recipientOf(
  ops: Ops,
  m: PreparedMessage,
  addresses: ReadonlySet<string>,
): Promise<number | "nobody" | null> {
  if (!m.private || addresses.size === 0 || ownAddress(m, addresses) === null) {
    return null;
  }
  try {
    return (await ops.users.findByUsername(m.toName))?.id ?? "nobody";
  } catch (error) {
    // A name no username can be (too long, control characters) names nobody.
    if (isStorageError(error, "validation")) return "nobody";
    throw error;
  }
}

/** The message's destination in its plain form when it is one of the board's, else `null`. */
export function ownAddress(
  m: PreparedMessage,
  addresses: ReadonlySet<string>,
): string | null {
  if (m.destAddr === null) return null;
  const dest = ftnAddress.safeParse(m.destAddr);
  return dest.success && addresses.has(dest.data) ? dest.data : null;
}
