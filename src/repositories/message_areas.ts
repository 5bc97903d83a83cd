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
 * ```
 *
 * @module
 */
import type { Definition } from "./_definition.ts";
import type { MessageArea, NewMessageArea } from "../records.ts";
import * as ops from "../ops/areas.ts";

/** Message areas: `storage.messageAreas`, and `tx.messageAreas` in a transaction. */
export interface MessageAreas {
  /** Creates a message area; `conflict` when the tag is taken (case-insensitively). */
  create(input: NewMessageArea): Promise<MessageArea>;
  /** Returns the message area, or `null`. */
  get(id: number): Promise<MessageArea | null>;
  /** Lists every message area by id. */
  list(): Promise<MessageArea[]>;
}

/** The operations behind {@linkcode MessageAreas}: each method's operation, taking the executor first. */
export const MESSAGE_AREAS: Definition<MessageAreas> = {
  create: ops.createMessageArea,
  get: ops.getMessageArea,
  list: ops.listMessageAreas,
};
