/**
 * A message the area had once does not come back: what the board deleted, trimmed or moved since
 * an import is skipped as `removed` by every later one, by MSGID or by content.
 */
import assert from "node:assert/strict";
import { openStorage } from "../../open.ts";
import type { Storage } from "../../storage.ts";
import { base, coreOptions, type MessageSpec } from "./_builders_test.ts";
import { importFtnBase } from "./import_base.ts";

/** Three messages with MSGIDs, and two without (found again by their content). */
const MESSAGES: MessageSpec[] = [
  { number: 1, control: ["CHRS: UTF-8 4", "MSGID: 2:5020/9 00000001"] },
  { number: 2, control: ["CHRS: UTF-8 4", "MSGID: 2:5020/9 00000002"] },
  { number: 3, control: ["CHRS: UTF-8 4", "MSGID: 2:5020/9 00000003"] },
  { number: 4, control: ["CHRS: UTF-8 4"] },
  { number: 5, control: ["CHRS: UTF-8 4"] },
];

function importInto(storage: Storage, o: { dryRun?: boolean } = {}) {
  return importFtnBase(
    base(MESSAGES),
    storage,
    coreOptions({ area: "SEA", ...o }),
  );
}

async function subjects(storage: Storage): Promise<string[]> {
  const area = await storage.messageAreas.getByTag("SEA");
  return (await storage.messages.list(area!.id, { limit: 100 })).map((m) =>
    m.subject
  );
}

function reasons(report: Awaited<ReturnType<typeof importInto>>) {
  return report.skipped.map((s) => [s.number, s.reason, s.duplicateOf]);
}

Deno.test("importFtnBase() does not bring back what the board deleted since, by MSGID or by content, and says so", async () => {
  await using storage = await openStorage("sqlite::memory:");
  await importInto(storage);
  const [one, two, three, four, five] = await storage.messages.list(
    (await storage.messageAreas.getByTag("SEA"))!.id,
    { limit: 100 },
  );
  await storage.messages.delete(two!.id);
  await storage.messages.delete(four!.id);
  const dry = await importInto(storage, { dryRun: true });
  assert.equal(dry.counts.imported, 0);
  const again = await importInto(storage);
  assert.deepEqual(again.counts, { read: 5, imported: 0, skipped: 5 });
  assert.deepEqual(reasons(again), [
    [1, "duplicate-msgid", one!.id],
    [2, "removed", null],
    [3, "duplicate-msgid", three!.id],
    [4, "removed", null],
    [5, "duplicate-content", five!.id],
  ]);
  assert.deepEqual(reasons(dry), reasons(again));
  assert.deepEqual(await subjects(storage), [
    "Subject 1",
    "Subject 3",
    "Subject 5",
  ]);
  // Edited on the board, a message without MSGID is no longer there as it came: not again.
  await storage.messages.update(five!.id, {
    body: "Edited by the sysop",
  });
  const third = await importInto(storage);
  assert.equal(third.counts.imported, 0);
  assert.deepEqual(third.skipped[4]?.reason, "removed");
});

Deno.test("importFtnBase() does not bring back what a trim took, and forgets an area that is deleted", async () => {
  await using storage = await openStorage("sqlite::memory:");
  await importInto(storage);
  const area = await storage.messageAreas.getByTag("SEA");
  await storage.messages.trim(area!.id, { keep: 2 });
  assert.deepEqual(await subjects(storage), ["Subject 4", "Subject 5"]);
  const again = await importInto(storage);
  assert.equal(again.counts.imported, 0);
  assert.deepEqual(
    again.skipped.filter((s) => s.reason === "removed").map((s) => s.number),
    [1, 2, 3],
  );
  // Its record goes with the area: an area made again with the tag takes every message.
  await storage.messages.trim(area!.id, { keep: 0 });
  await storage.messageAreas.delete(area!.id);
  const fresh = await importInto(storage);
  assert.equal(fresh.counts.imported, 5);
  assert.equal(fresh.area.created, true);
});

Deno.test("importFtnBase() records what it finds in the area too: a message there before the record is kept from coming back once deleted", async () => {
  await using storage = await openStorage("sqlite::memory:");
  await importInto(storage);
  // As if imported before the record was kept (migration 0023), or posted by the board.
  await storage.sql("DELETE FROM ftn_imported");
  const second = await importInto(storage);
  assert.equal(second.counts.imported, 0);
  const [kept] = await storage.sql<{ n: number }>(
    "SELECT count(*) AS n FROM ftn_imported",
  );
  assert.equal(kept?.n, 5);
  const [first] = await storage.messages.list(second.area.id!, { limit: 1 });
  await storage.messages.delete(first!.id);
  const third = await importInto(storage);
  assert.equal(third.counts.imported, 0);
  assert.deepEqual(third.skipped[0]?.reason, "removed");
});

Deno.test("importFtnBase() skips as removed what another import brought in and the board deleted while it ran", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const late = MESSAGES[3]!; // in the second batch of two
  // Between this run's batches (before its second transaction): another import brings the
  // message in, and the board deletes it.
  let batches = 0;
  const between = new Proxy(storage, {
    get(target, key, receiver) {
      if (key !== "transaction") return Reflect.get(target, key, receiver);
      return async (fn: Parameters<Storage["transaction"]>[0]) => {
        if (++batches === 2) {
          const other = await importFtnBase(
            base([late]),
            storage,
            coreOptions({ area: "SEA" }),
          );
          const [m] = await storage.messages.list(other.area.id!, {
            after: 2,
          });
          await storage.messages.delete(m!.id);
        }
        return await target.transaction(fn);
      };
    },
  });
  const report = await importFtnBase(
    base(MESSAGES.slice(0, 4)),
    between,
    coreOptions({ area: "SEA", batchSize: 2 }),
  );
  assert.deepEqual(reasons(report), [[4, "removed", null]]);
  assert.deepEqual(await subjects(storage), [
    "Subject 1",
    "Subject 2",
    "Subject 3",
  ]);
});

Deno.test("importFtnBase() does not bring into an area what was deleted from an area moved into it", async () => {
  await using storage = await openStorage("sqlite::memory:");
  await importInto(storage);
  const old = await storage.messageAreas.getByTag("SEA");
  await storage.messages.trim(old!.id, { keep: 2 });
  const ocean = await storage.messageAreas.create({
    tag: "OCEAN",
    name: "Ocean",
    kind: "echomail",
  });
  await storage.messageAreas.delete(old!.id, { moveTo: ocean.id });
  const report = await importFtnBase(
    base(MESSAGES),
    storage,
    coreOptions({ area: "OCEAN" }),
  );
  assert.equal(report.counts.imported, 0);
  assert.deepEqual(report.skipped.map((s) => [s.number, s.reason]), [
    [1, "removed"],
    [2, "removed"],
    [3, "removed"],
    [4, "duplicate-content"],
    [5, "duplicate-content"],
  ]);
});
