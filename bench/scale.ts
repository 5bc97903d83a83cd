/**
 * The hot queries at two sizes, in one run: a board of 10,000 messages and 1,000 users, and one
 * of 1,000,000 messages and 100,000 users. Each group's baseline is the small board; the budget
 * is the large one within 1.5× of it.
 *
 * The boards are seeded once (a few minutes for the large one) and kept under ./data/ for later
 * runs; delete them to seed again. Run: `deno task bench:scale` (IMPULSE_SCALE_URL_SMALL and
 * IMPULSE_SCALE_URL_LARGE choose other databases, such as PostgreSQL ones).
 *
 * @module
 */
import { openStorage, type Storage } from "../mod.ts";
import { seedBoard, type Seeded, type SeedSize } from "./seed.ts";

async function board(
  url: string,
  size: SeedSize,
): Promise<{ storage: Storage; seeded: Seeded }> {
  const storage = await openStorage(url);
  const marker = `${url.replace(/\W+/g, "_")}.json`;
  let seeded: Seeded;
  try {
    seeded = JSON.parse(await Deno.readTextFile(`./data/${marker}`));
  } catch {
    console.error(
      `seeding ${url} with ${size.messages} messages and ${size.users} users …`,
    );
    seeded = await seedBoard(storage, size);
    await Deno.mkdir("./data", { recursive: true });
    await Deno.writeTextFile(`./data/${marker}`, JSON.stringify(seeded));
  }
  return { storage, seeded };
}

const small = await board(
  Deno.env.get("IMPULSE_SCALE_URL_SMALL") ?? "sqlite:./data/scale-10k.db",
  { users: 1_000, messages: 10_000, files: 1_000 },
);
const large = await board(
  Deno.env.get("IMPULSE_SCALE_URL_LARGE") ?? "sqlite:./data/scale-1m.db",
  { users: 100_000, messages: 1_000_000, files: 100_000 },
);

for (
  const [label, { storage, seeded }, baseline] of [["10k", small, true], [
    "1M",
    large,
    false,
  ]] as const
) {
  Deno.bench(`readNext ${label}`, { group: "readNext", baseline }, async () => {
    await storage.readNext(seeded.readerId, seeded.areaId, { limit: 20 });
  });
  Deno.bench(`newScan ${label}`, { group: "newScan", baseline }, async () => {
    await storage.newScan(seeded.readerId);
  });
  Deno.bench(
    `getThread ${label}`,
    { group: "getThread", baseline },
    async () => {
      await storage.getThread(seeded.threadRootId);
    },
  );
  Deno.bench(`findUserByUsername ${label}`, {
    group: "findUserByUsername",
    baseline,
  }, async () => {
    await storage.findUserByUsername(seeded.username);
  });
  Deno.bench(
    `listFiles ${label}`,
    { group: "listFiles", baseline },
    async () => {
      await storage.listFiles(seeded.fileAreaId, { limit: 20 });
    },
  );
}
