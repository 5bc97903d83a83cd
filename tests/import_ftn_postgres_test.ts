/**
 * The FidoNet import's core on PostgreSQL: threads in any order, a second and an overlapping
 * import adding nothing, last-read pointers, several batches (each a transaction, with the
 * statistics refreshed after the first). Ignored without a PostgreSQL server (tests/_postgres.ts).
 */
import assert from "node:assert/strict";
import { openStorage } from "../mod.ts";
import {
  base,
  coreOptions,
  jamCrc32Text,
  type MessageSpec,
} from "../src/import/ftn/_builders_test.ts";
import { importFtnBase } from "../src/import/ftn/import_base.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";

Deno.test({
  name:
    "importFtnBase() on PostgreSQL: threads, no message twice, pointers, batches",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_ftn");
    await using storage = await openStorage(db.url);
    const reader = await storage.users.create({
      username: "Reader",
      passwordHash: "h",
    });
    // 1,200 messages: a reply to the next one, a reply to the one before, a plain one, a
    // REPLY outside the base, a reply by the base's link alone; three batches of 500.
    const messages: MessageSpec[] = [];
    for (let n = 1; n <= 1200; n++) {
      const id = `1:1/1 ${n}`;
      const kind = n % 5;
      messages.push(
        kind === 0
          ? { number: n, control: [`MSGID: ${id}`, `REPLY: 1:1/1 ${n + 1}`] }
          : kind === 1
          ? { number: n, control: [`MSGID: ${id}`, `REPLY: 1:1/1 ${n - 1}`] }
          : kind === 2
          ? { number: n, control: [`MSGID: ${id}`] }
          : kind === 3
          ? { number: n, control: [`MSGID: ${id}`, "REPLY: 9:9/9 gone"] }
          : { number: n, control: [], replyTo: n - 2, subject: `plain ${n}` },
      );
    }
    const lastRead = [{
      nameCrc: jamCrc32Text("reader"),
      userNumber: 0,
      lastRead: 600,
      highRead: 600,
    }];
    const report = await importFtnBase(
      base(messages, lastRead),
      storage,
      coreOptions(),
    );
    assert.deepEqual(report.counts, { read: 1200, imported: 1200, skipped: 0 });
    const area = (await storage.messageAreas.getByTag("TEST_ECHO"))!;
    const byMsgid = async (n: number) =>
      (await storage.messages.findByMsgid(area.id, `1:1/1 ${n}`))!;
    // 5 replies to 6 (which comes after it), 6 to 5: 6 links to 5, and the link that would
    // close the cycle is not made.
    assert.equal((await byMsgid(6)).parentId, (await byMsgid(5)).id);
    assert.equal((await byMsgid(5)).parentId, null);
    assert.equal((await byMsgid(11)).parentId, (await byMsgid(10)).id);
    const outside = await byMsgid(8);
    assert.equal(outside.parentId, null);
    assert.equal(outside.ftnReply, "9:9/9 gone");
    const plain =
      (await storage.messages.list(area.id, { afterNum: 8, limit: 1 }))[0]!;
    assert.equal(plain.subject, "plain 9");
    assert.equal(plain.parentId, (await byMsgid(7)).id);
    assert.equal(await storage.reading.pointer(reader.id, area.id), 600);

    const again = await importFtnBase(
      base(messages.slice(600).concat([{ number: 5000 }])),
      storage,
      coreOptions(),
    );
    assert.deepEqual(again.counts, { read: 601, imported: 1, skipped: 600 });
    assert.deepEqual(
      new Set(again.skipped.map((s) => s.reason)),
      new Set(["duplicate-msgid", "duplicate-content"]),
    );
    assert.equal(
      (await storage.messageAreas.get(area.id))?.msgCount,
      1201,
    );
  },
});

Deno.test({
  name:
    "importFtnBase() on PostgreSQL: two imports of one base at once add each message once (with or without MSGID), and both succeed",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_ftn_race");
    await using first = await openStorage(db.url);
    await using second = await openStorage(db.url);
    const messages: MessageSpec[] = Array.from({ length: 300 }, (_, i) => ({
      number: i + 1,
      control: [`MSGID: 1:1/1 ${i + 1}`],
    }));
    // Small batches, so that the two runs meet in the middle: on the area they both make and
    // on messages both post.
    const run = (storage: typeof first) =>
      importFtnBase(base(messages), storage, coreOptions({ batchSize: 7 }));
    const [a, b] = await Promise.all([run(first), run(second)]);
    assert.equal(a.counts.imported + b.counts.imported, 300);
    assert.equal(a.counts.skipped + b.counts.skipped, 300);
    assert.equal(a.area.id, b.area.id);
    // One of them made the area, and says so.
    assert.deepEqual([a.area.created, b.area.created].sort(), [false, true]);
    const area = (await first.messageAreas.getByTag("TEST_ECHO"))!;
    assert.equal(area.msgCount, 300);
    assert.equal((await first.messageAreas.list()).length, 1);
    // Messages without MSGID, found again by their content only: each once too.
    const plain: MessageSpec[] = Array.from({ length: 300 }, (_, i) => ({
      number: i + 1,
      control: [],
      subject: `plain ${i + 1}`,
    }));
    const runPlain = (storage: typeof first) =>
      importFtnBase(
        base(plain),
        storage,
        coreOptions({ area: "PLAIN", batchSize: 7 }),
      );
    const [c, d] = await Promise.all([runPlain(first), runPlain(second)]);
    assert.equal(c.counts.imported + d.counts.imported, 300);
    const plainArea = (await first.messageAreas.getByTag("PLAIN"))!;
    assert.equal(plainArea.msgCount, 300);
  },
});
