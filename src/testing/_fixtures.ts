/**
 * Fixtures shared by the conformance cases and, through tests/_fixtures.ts, the project's suites.
 *
 * @module
 */
import type { Repositories } from "../../mod.ts";

/**
 * Creates message areas and file areas 1 … `count` (a fresh database gives them exactly those
 * ids), so tests can post to `areaId: 3` without ceremony.
 *
 * @param s The storage.
 * @param count How many of each.
 */
export async function seedAreas(s: Repositories, count = 10): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const message = await s.messageAreas.create({
      tag: `M${i}`,
      name: `Message area ${i}`,
    });
    const file = await s.fileAreas.create({
      tag: `F${i}`,
      name: `File area ${i}`,
    });
    if (message.id !== i || file.id !== i) {
      throw new Error("seedAreas() needs a fresh database");
    }
  }
}
