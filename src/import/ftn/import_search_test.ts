/**
 * The FidoNet import on SQLite indexes each batch's messages for search at the batch's end
 * (migration 0022): what it imports is found by search as a post is, the index stays whole when
 * the import fails halfway, and the triggers leave no message out of the index, or in it twice,
 * whatever a deferring transaction does to its messages.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openStorage } from "../../open.ts";
import type { Repositories, Storage } from "../../storage.ts";
import { base, coreOptions } from "./_builders_test.ts";
import { deferSearch, importFtnBase, indexDeferred } from "./import_base.ts";

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "impulse_ftn_search_" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/** Fails unless the search index holds exactly the messages' subjects and bodies. */
async function assertIndexWhole(storage: Storage): Promise<void> {
  // FTS5's check of an external-content index against its table (an error when they differ).
  await storage.sql(
    "INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)",
  );
  const [deferred] = await storage.sql<{ n: number }>(
    "SELECT count(*) AS n FROM messages_fts_deferred",
  );
  assert.equal(deferred?.n, 0, "no deferral outlives its transaction");
}

async function found(storage: Storage, word: string): Promise<string[]> {
  return (await storage.messages.search(word)).map((m) => m.subject).sort();
}

function messages(count: number, word: (n: number) => string) {
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    subject: `Topic ${i + 1}`,
    text: `The ${word(i + 1)} of message ${i + 1}\r`,
    control: [`MSGID: 2:5020/1 ${(i + 1).toString(16).padStart(8, "0")}`],
  }));
}

Deno.test("importFtnBase() on SQLite leaves every imported message found by search, in every batch, edits and deletes included", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const area = await storage.messageAreas.create({
    tag: "LOCAL",
    name: "Local",
  });
  const before = await storage.messages.post({
    areaId: area.id,
    fromName: "Sysop",
    subject: "Before",
    body: "a walrus before the import",
  });
  const report = await importFtnBase(
    base(messages(7, (n) => (n % 2 ? "walrus" : "narwhal"))),
    storage,
    coreOptions({ area: "SEA", batchSize: 3 }),
  );
  assert.equal(report.counts.imported, 7);
  await assertIndexWhole(storage);
  assert.deepEqual(await found(storage, "walrus"), [
    "Before",
    "Topic 1",
    "Topic 3",
    "Topic 5",
    "Topic 7",
  ]);
  assert.deepEqual(await found(storage, "narwhal"), [
    "Topic 2",
    "Topic 4",
    "Topic 6",
  ]);
  assert.deepEqual(await found(storage, "topic"), [
    "Topic 1",
    "Topic 2",
    "Topic 3",
    "Topic 4",
    "Topic 5",
    "Topic 6",
    "Topic 7",
  ]);
  // An imported message is indexed as any other: an edit and a delete reach the index.
  const seaId = report.area.id!;
  const [first, second] = await storage.messages.list(seaId, { limit: 2 });
  await storage.messages.update(first!.id, { body: "now a dolphin" });
  await storage.messages.delete(second!.id);
  await storage.messages.delete(before.id);
  await assertIndexWhole(storage);
  assert.deepEqual(await found(storage, "walrus"), [
    "Topic 3",
    "Topic 5",
    "Topic 7",
  ]);
  assert.deepEqual(await found(storage, "dolphin"), ["Topic 1"]);
  assert.deepEqual(await found(storage, "narwhal"), ["Topic 4", "Topic 6"]);
  // What the board posts after the import is indexed at once, as before.
  await storage.messages.post({
    areaId: seaId,
    fromName: "Sysop",
    subject: "After",
    body: "an orca after the import",
  });
  assert.deepEqual(await found(storage, "orca"), ["After"]);
  await assertIndexWhole(storage);
});

Deno.test("importFtnBase() on SQLite that fails in a batch leaves the index whole and no deferral behind", async () => {
  await using dir = await tempDir();
  const file = join(dir.path, "board.db");
  await using storage = await openStorage(`sqlite:${file}`);
  // The fifth message makes the database refuse it, in the second batch of three (a trigger,
  // which storage.sql does not take as one statement, made on a connection of the test's own).
  const db = new DatabaseSync(file);
  db.exec(
    `CREATE TRIGGER refuse_topic_5 BEFORE INSERT ON messages WHEN new.subject = 'Topic 5'
     BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
  );
  db.close();
  await assert.rejects(
    importFtnBase(
      base(messages(7, () => "walrus")),
      storage,
      coreOptions({ area: "SEA", batchSize: 3 }),
    ),
  );
  await assertIndexWhole(storage);
  // The first batch committed and is found; the second rolled back whole.
  assert.deepEqual(await found(storage, "walrus"), [
    "Topic 1",
    "Topic 2",
    "Topic 3",
  ]);
  const area = await storage.messageAreas.getByTag("SEA");
  await storage.messages.post({
    areaId: area!.id,
    fromName: "Sysop",
    subject: "After",
    body: "an orca",
  });
  assert.deepEqual(await found(storage, "orca"), ["After"]);
  await assertIndexWhole(storage);
});

Deno.test("the search triggers leave a deferring transaction's own messages to it, and index every other message at once", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const area = await storage.messageAreas.create({ tag: "SEA", name: "Sea" });
  const post = (
    s: Pick<Repositories, "messages">,
    subject: string,
    body: string,
  ) => s.messages.post({ areaId: area.id, fromName: "Sysop", subject, body });
  const old = await post(storage, "Old", "an old walrus");
  const gone = await post(storage, "Gone", "a gone walrus");
  await storage.transaction(async (tx) => {
    await deferSearch(tx);
    // Messages made before the deferral are indexed as they change, in the transaction.
    await tx.messages.update(old.id, { body: "an old narwhal" });
    await tx.messages.delete(gone.id);
    // The transaction's own: added, changed and deleted before it indexes them.
    const kept = await post(tx, "Kept", "a kept walrus");
    const changed = await post(tx, "Changed", "a changing walrus");
    const dropped = await post(tx, "Dropped", "a dropped walrus");
    await tx.messages.update(changed.id, { body: "a changed narwhal" });
    await tx.messages.delete(dropped.id);
    assert.ok(kept.id > gone.id);
    await indexDeferred(tx);
  });
  await assertIndexWhole(storage);
  assert.deepEqual(await found(storage, "walrus"), ["Kept"]);
  assert.deepEqual(await found(storage, "narwhal"), ["Changed", "Old"]);
  // Each is in the index once: a change after the transaction leaves nothing of what it was.
  const changed = await storage.messages.list(area.id, { limit: 10 });
  for (const m of changed) {
    await storage.messages.update(m.id, { body: "a seal", subject: "Seal" });
  }
  await assertIndexWhole(storage);
  assert.deepEqual(await found(storage, "narwhal"), []);
  assert.deepEqual(await found(storage, "walrus"), []);
  assert.equal((await found(storage, "seal")).length, changed.length);
});
