/**
 * Checks shared by the transaction cases and, through tests/_counters.ts, the project's suites.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Message, type Storage, StorageError } from "../../mod.ts";

/**
 * Checks that the counters agree with the rows: each message area's numbers run 1..n with
 * `lastMsgNum` and `msgCount` equal to n, and each user's posts, uploads and upload bytes count
 * that user's messages and files.
 */
export async function assertCountersAgree(s: Storage, areas: number[]) {
  const messages: Message[] = [];
  const uploads = new Map<number, { count: number; bytes: number }>();
  for (const areaId of areas) {
    const list = await s.messages.list(areaId, { limit: 1000 });
    const area = (await s.messageAreas.get(areaId))!;
    const numbers = list.map((m) => m.msgNum);
    assert.deepEqual(numbers, list.map((_, i) => i + 1), `area ${areaId}`);
    assert.equal(area.msgCount, list.length, `area ${areaId} msgCount`);
    assert.equal(area.lastMsgNum, list.length, `area ${areaId} lastMsgNum`);
    messages.push(...list);
    for (const file of await s.files.list(areaId, { limit: 1000 })) {
      if (file.uploaderId === null) continue;
      const u = uploads.get(file.uploaderId) ?? { count: 0, bytes: 0 };
      uploads.set(file.uploaderId, {
        count: u.count + 1,
        bytes: u.bytes + file.size,
      });
    }
  }
  const authors = new Set(messages.map((m) => m.fromUserId));
  for (const id of new Set([...authors, ...uploads.keys()])) {
    if (id === null) continue;
    const stats = (await s.users.get(id))!.stats;
    const posts = messages.filter((m) => m.fromUserId === id).length;
    assert.equal(stats.posts, posts, `user ${id} posts`);
    assert.equal(stats.uploads, uploads.get(id)?.count ?? 0, `user ${id}`);
    assert.equal(stats.uploadBytes, uploads.get(id)?.bytes ?? 0);
  }
}

/** The kind of a settled outcome: `ok` or the error's kind. */
export function kindOf(outcome: PromiseSettledResult<unknown>): string {
  if (outcome.status === "fulfilled") return "ok";
  const reason = outcome.reason;
  return reason instanceof StorageError ? reason.kind : String(reason);
}
