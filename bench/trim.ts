/**
 * The budget for trimming: 100,000 messages trimmed from a 1,000,000-message area in one
 * call, under a minute on SQLite. Seeds (once, kept under ./data/) an area of 1,000,000 messages
 * (every tenth a thread root with a reply and a grandchild, one day apart per 10,000) and 200
 * readers with pointers spread over it, copies it, and times
 * `messages.trim(area, { keep: 900_000 })` on the copy.
 *
 * Run: `deno run -A bench/trim.ts` (SQLite), or with the URL of an empty PostgreSQL database as
 * the argument (seeded each run by SQL: the trim changes it).
 *
 * @module
 */
import { type MessageArea, openStorage, type Storage } from "../mod.ts";

const TOTAL = Number(Deno.env.get("IMPULSE_TRIM_TOTAL") ?? 1_000_000);
const TRIM = TOTAL / 10;
const BATCH = 10_000;
const url = Deno.args[0] ?? "sqlite:./data/trim-1m.db";
const sqlite = url.startsWith("sqlite:");
const file = url.slice("sqlite:".length);

/** The area and its 200 readers, the same whichever way the messages are seeded. */
async function board(
  storage: Storage,
): Promise<{ area: MessageArea; users: number[] }> {
  const area = await storage.messageAreas.create({ tag: "BIG", name: "Big" });
  const users: number[] = [];
  for (let i = 0; i < 200; i++) {
    const user = await storage.users.create({
      username: `reader${i}`,
      passwordHash: "h",
    });
    users.push(user.id);
  }
  return { area, users };
}

/** The readers' pointers, spread evenly over the area's numbers. */
async function spreadPointers(
  storage: Storage,
  areaId: number,
  users: number[],
): Promise<void> {
  for (let i = 0; i < users.length; i++) {
    await storage.reading.setPointer(
      users[i]!,
      areaId,
      Math.floor(TOTAL * i / users.length),
    );
  }
}

/**
 * Seeds PostgreSQL in a few statements (posting a million messages one by one over a loaded
 * machine's round trips would take hours): the same area, threads, dates and pointers as
 * {@linkcode seed}, written with the application's SQL (the package's own tables, for a benchmark
 * only).
 */
async function seedBySql(target: string): Promise<number> {
  await using storage = await openStorage(target);
  const { area, users } = await board(storage);
  const t0 = Date.UTC(2020, 0, 1);
  for (let done = 0; done < TOTAL; done += 100_000) {
    await storage.sql(
      `INSERT INTO messages (area_id, msg_num, from_user_id, from_name, to_name, subject, body,
         created_at)
       SELECT ?, g, ?, 'reader0', 'All', 'Topic ' || (g % 997),
         'Message ' || g || ' about doom, quake and the ' || (g % 31) || 'th door.',
         ? + ((g - 1) / 10000) * 86400000
       FROM generate_series(?::bigint, ?::bigint) AS g`,
      [area.id, users[0], t0, done + 1, Math.min(TOTAL, done + 100_000)],
    );
    console.error(`seeded ${Math.min(TOTAL, done + 100_000)}/${TOTAL}`);
  }
  // Every tenth message a root (msg_num 1, 11, …), with a reply and a grandchild after it.
  await storage.sql(
    `UPDATE messages SET parent_id = id - 1,
       thread_root_id = CASE WHEN msg_num % 10 = 2 THEN id - 1 ELSE id - 2 END
     WHERE area_id = ? AND msg_num % 10 IN (2, 3)`,
    [area.id],
  );
  await storage.sql(
    "UPDATE message_areas SET last_msg_num = ?, msg_count = ? WHERE id = ?",
    [TOTAL, TOTAL, area.id],
  );
  await storage.sql("ANALYZE", []);
  await spreadPointers(storage, area.id, users);
  return area.id;
}

async function seed(target: string): Promise<number> {
  await using storage = await openStorage(target);
  const { area, users } = await board(storage);
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
  await spreadPointers(storage, area.id, users);
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
  areaId = await seedBySql(url);
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
