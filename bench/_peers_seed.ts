/**
 * The peer benchmark's board, seeded through the package: 20 message areas, 10,000 users and
 * 50,000 messages spread over the areas and their authors, a reader with pointers in half the
 * areas, and a live session.
 *
 * @module
 */
import type { Storage } from "../mod.ts";
import { BODY } from "./_raw.ts";
import type { Fixture } from "./_peers_sides.ts";

/** How much to seed. */
export interface PeerSeedSize {
  users: number;
  messages: number;
  areas: number;
}

/** Writes per seeding transaction. */
const BATCH = 1000;

/**
 * Seeds the board.
 *
 * @param storage The storage (empty, migrated).
 * @param size How much.
 * @returns What the operations look up.
 */
export async function seedPeers(
  storage: Storage,
  size: PeerSeedSize,
): Promise<Fixture> {
  const areas: number[] = [];
  for (let k = 1; k <= size.areas; k++) {
    const area = await storage.messageAreas.create({
      tag: `AREA${k}`,
      name: `Area ${k}`,
    });
    areas.push(area.id);
  }
  const userIds: number[] = [];
  const usernames: string[] = [];
  for (let done = 0; done < size.users; done += BATCH) {
    await storage.transaction(async (tx) => {
      for (let i = done; i < Math.min(size.users, done + BATCH); i++) {
        const user = await tx.users.create({
          username: `User${i}`,
          passwordHash: "h",
        });
        userIds.push(user.id);
        usernames.push(user.username);
      }
    });
  }
  for (let done = 0; done < size.messages; done += BATCH) {
    await storage.transaction(async (tx) => {
      for (let i = done; i < Math.min(size.messages, done + BATCH); i++) {
        await tx.messages.post({
          areaId: areas[i % areas.length]!,
          fromUserId: userIds[(i * 31) % userIds.length]!,
          subject: `Seed ${i}`,
          body: BODY,
        });
      }
    });
  }
  const reader = userIds[1]!;
  const perArea = Math.floor(size.messages / size.areas);
  for (const [k, area] of areas.entries()) {
    if (k % 2 === 0) {
      await storage.reading.setPointer(reader, area, perArea - 10 * k);
    }
  }
  const { token } = await storage.sessions.create({
    userId: reader,
    ipAddress: "192.0.2.1",
  });
  return {
    userIds,
    usernames,
    listArea: areas[0]!,
    pages: Math.max(1, Math.floor(perArea / 50)),
    postArea: areas[areas.length - 1]!,
    author: userIds[0]!,
    reader,
    token,
  };
}
