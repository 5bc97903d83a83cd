/**
 * The message-areas repository, `storage.messageAreas`: the areas messages are posted in.
 *
 * ```ts
 * import { openStorage } from "@impulse/storage";
 * import assert from "node:assert/strict";
 *
 * await using storage = await openStorage("sqlite::memory:");
 * const general = await storage.messageAreas.create({ tag: "GENERAL", name: "General" });
 * assert.equal((await storage.messageAreas.get(general.id))?.tag, "GENERAL");
 * assert.deepEqual(await storage.messageAreas.list(), [general]);
 *
 * // A sysop's area editor: settings, access, order, retiring an area into another.
 * const old = await storage.messageAreas.create({ tag: "OLD", name: "Old chat" });
 * await storage.messageAreas.update(old.id, {
 *   description: "Retired",
 *   access: { readLevel: 20, writeFlags: "CB" },
 * });
 * assert.equal((await storage.messageAreas.getByTag("old"))?.access.writeFlags, "BC");
 * await storage.messageAreas.reorder([old.id, general.id]);
 * assert.deepEqual((await storage.messageAreas.list()).map((a) => a.tag), ["OLD", "GENERAL"]);
 * await storage.messageAreas.delete(old.id, { moveTo: general.id });
 * assert.equal(await storage.messageAreas.get(old.id), null);
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type {
  DeleteAreaOptions,
  MessageArea,
  MessageAreaPatch,
  NewMessageArea,
} from "../records.ts";
import * as ops from "../ops/areas.ts";
import * as admin from "../ops/area_admin.ts";
import * as deletion from "../ops/area_delete.ts";

/** Message areas: `storage.messageAreas`, and `tx.messageAreas` in a transaction. */
export interface MessageAreas {
  /**
   * Creates a message area, after every other in `list()` unless `position` says otherwise;
   * `conflict` when the tag is taken (case-insensitively).
   */
  create(input: NewMessageArea): Promise<MessageArea>;
  /** Returns the message area, or `null`. */
  get(id: number): Promise<MessageArea | null>;
  /** Returns the message area with this tag (compared case-insensitively, as tags are), or `null`. */
  getByTag(tag: string): Promise<MessageArea | null>;
  /** Lists every message area by position, then id. */
  list(): Promise<MessageArea[]>;
  /**
   * Changes the fields the patch gives (access settings one by one) and returns the area;
   * `not_found` when there is none, `conflict` for a taken tag or a kind that may not change
   * (only `"local"` and `"echomail"` change into each other).
   */
  update(id: number, patch: MessageAreaPatch): Promise<MessageArea>;
  /**
   * Deletes the area. One holding messages is refused (`conflict`, with the count) unless
   * `options.moveTo` names another message area (private only with private): the messages move
   * there, numbered after its high-water mark in their order, and read pointers follow (see
   * the README, "Areas"). `not_found` when there is no such area.
   */
  delete(id: number, options?: DeleteAreaOptions): Promise<void>;
  /**
   * Puts the areas in this order (positions 1, 2, 3 …): `ids` must name every message area
   * once (`conflict` otherwise: list them again).
   */
  reorder(ids: number[]): Promise<void>;
}

/** The operations behind {@linkcode MessageAreas}: each method's operation, taking the executor first. */
export const MESSAGE_AREAS: Definition<MessageAreas> = {
  create: ops.createMessageArea,
  get: ops.getMessageArea,
  getByTag: admin.getMessageAreaByTag,
  list: ops.listMessageAreas,
  update: admin.updateMessageArea,
  delete: deletion.deleteMessageArea,
  reorder: admin.reorderMessageAreas,
};
