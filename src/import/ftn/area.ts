/**
 * The area a FidoNet import makes when the board has none with the tag it is given.
 *
 * @module
 */
import type { NewMessageArea } from "../../records.ts";

/**
 * The area an import makes when none has its tag: echomail, the tag its echo tag and its name.
 *
 * @param tag The tag.
 * @returns The new area's input.
 */
export function echoArea(tag: string): NewMessageArea {
  return { tag, name: tag, kind: "echomail", echoTag: tag };
}
