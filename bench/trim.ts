/**
 * The budget for trimming: 100,000 messages trimmed from a 1,000,000-message area in one
 * call, under a minute on SQLite. Seeds (once, kept under ./data/) an area of 1,000,000 messages
 * (every tenth a thread root with a reply and a grandchild, one day apart per 10,000) and 200
 * readers with pointers spread over it, copies it, and times
 * `messages.trim(area, { keep: 900_000 })` on the copy.
 *
 * Run: `deno run -A bench/trim.ts` (SQLite), or with a PostgreSQL URL as the argument (seeded
 * each run: the trim changes it).
 *
 * @module
 */
import { openStorage } from "../mod.ts";

const TOTAL = Number(Deno.env.get("IMPULSE_TRIM_TOTAL") ?? 1_000_000);
const TRIM = TOTAL / 10;
const BATCH = 10_000;
const url = Deno.args[0] ?? "sqlite:./data/trim-1m.db";
const sqlite = url.startsWith("sqlite:");
const file = url.slice("sqlite:".length);

async function seed(target: string): Promise<number> {
  await using storage = await openStorage(target);
  const area = await storage.messageAreas.create({ tag: "BIG", name: "Big" });
  const users: number[] = [];
  for (let i = 0; i < 200; i++) {
    users.push(
      (await storage.users.create({
        username: `reader${i}`,
        passwordHash: "h",
      }))
        .id,
    );
  }
  const t0 = Date.UTC(2020, 0, 1);
  let root = 0, reply = 0;
  const started = performance.now();
  for (let done = 0; done < TOTAL; done += BATCH) {
    await storage.transaction(async (tx) => {
      for (let i = done; i < Math.min(TOTAL, done + BATCH); i++) {
        const kind = i % 10;
        const m = await tx.messages.post({
          areaId: area.id,
          fromUserId: users[i % users.length]!,
          subject: `Topic ${i % 997}`,
          body: `Message ${i} about doom, quake and the ${i % 31}th door.`,
          parentId: kind === 1 && root
            ? root
            : kind === 2 && reply
            ? reply
            : null,
          createdAt: new Date(t0 + Math.floor(i / 10_000) * 86_400_000),
        });
        if (kind === 0) root = m.id;
        if (kind === 1) reply = m.id;
      }
    });
    if (done % 100_000 === 0) {
      console.error(
        `seeded ${done + BATCH}/${TOTAL} (${
          ((performance.now() - started) / 1000).toFixed(0)
        } s)`,
      );
    }
  }
  for (let i = 0; i < users.length; i++) {
    await storage.reading.setPointer(
      users[i]!,
      area.id,
      Math.floor(TOTAL * i / users.length),
    );
  }
  return area.id;
}

let target = url;
let areaId: number;
if (sqlite) {
  const marker = `${file}.json`;
  try {
    areaId = JSON.parse(await Deno.readTextFile(marker)).areaId;
  } catch {
    await Deno.mkdir("./data", { recursive: true });
    areaId = await seed(url);
    await Deno.writeTextFile(marker, JSON.stringify({ areaId }));
  }
  // The trim runs on a copy: the seeded board stays for the next run.
  const copy = `${file}.run`;
  await Deno.copyFile(file, copy);
  target = `sqlite:${copy}`;
} else {
  areaId = await seed(url);
}

{
  await using storage = await openStorage(target);
  const before = (await storage.messageAreas.get(areaId))!;
  const started = performance.now();
  const deleted = await storage.messages.trim(areaId, {
    keep: TOTAL - TRIM,
  });
  const seconds = (performance.now() - started) / 1000;
  const after = (await storage.messageAreas.get(areaId))!;
  console.log(
    `${url}: trimmed ${deleted} of ${before.msgCount} messages in ${
      seconds.toFixed(1)
    } s (${after.msgCount} left, high-water ${after.lastMsgNum})`,
  );
  if (deleted !== TRIM || after.msgCount !== TOTAL - TRIM) Deno.exit(1);
}
if (sqlite) await Deno.remove(`${file}.run`);
