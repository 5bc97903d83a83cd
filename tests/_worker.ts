/**
 * A child process of the multi-process tests: opens the storage at a URL and does a fixed
 * mix of writes, printing one JSON line with what it did.
 *
 * Usage: deno run -A tests/_worker.ts <url> <userId> <rounds>
 *
 * @module
 */
import { openStorage } from "../mod.ts";

const [url, userIdText, roundsText] = Deno.args;
const userId = Number(userIdText);
const rounds = Number(roundsText);
await using storage = await openStorage(url!, {
  migrate: "up",
  retry: { attempts: 60, maxDelayMs: 200 },
});
let posts = 0;
let maxWaitMs = 0;
const started = performance.now();
for (let i = 0; i < rounds; i++) {
  const t = performance.now();
  if (i % 4 === 3) {
    await storage.transaction(async (tx) => {
      await tx.users.incrementStats(userId, { logins: 1 });
      await tx.messages.post({
        areaId: 1,
        fromUserId: userId,
        subject: `tx ${i}`,
        body: "b",
      });
    });
    posts++;
  } else if (i % 4 === 2) {
    await storage.messages.post({
      areaId: 1,
      fromUserId: userId,
      subject: `m ${i}`,
      body: "b",
    });
    posts++;
  } else {
    await storage.users.incrementStats(userId, { logins: 1 });
    await storage.users.get(userId);
  }
  maxWaitMs = Math.max(maxWaitMs, performance.now() - t);
}
console.log(
  JSON.stringify({ rounds, posts, ms: performance.now() - started, maxWaitMs }),
);
