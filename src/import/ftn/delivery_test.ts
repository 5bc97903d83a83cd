import assert from "node:assert/strict";
import { openStorage } from "../../open.ts";
import type { Storage } from "../../storage.ts";
import { StorageError } from "../../errors.ts";
import {
  at,
  base,
  coreOptions,
  message,
  type MessageSpec,
} from "./_builders_test.ts";
import { importFtnBase } from "./import_base.ts";
import { importMessageBase } from "./import.ts";
import { writeSquishBase } from "./_squish_writer.ts";

/** A netmail base: private mail to the board, mail in transit, a public message. */
const NETMAIL: MessageSpec[] = [
  // To the board's node (its point .0 is the node), the name in another case.
  { number: 1, to: "jane doe", destAddr: "2:5020/1.0", private: true },
  // In transit: the same name at another node is somebody else.
  { number: 2, to: "Jane Doe", destAddr: "2:5020/2", private: true },
  // To the board, naming nobody on it.
  { number: 3, to: "Nobody Here", destAddr: "2:5020/1", private: true },
  // Public: read by all as it is.
  { number: 4, to: "Jane Doe", destAddr: "2:5020/1" },
  // No destination at all.
  { number: 5, to: "Jane Doe", private: true },
  // To the board's second address, a point of it.
  { number: 6, to: "Bob", destAddr: "2:5020/1.7", private: true },
].map((m) => ({
  ...m,
  control: ["CHRS: UTF-8 4", `MSGID: 2:5020/9 0000000${m.number}`],
}));

const NETMAIL_DATE = at("2024-03-01 12:00:00");

async function board(storage: Storage) {
  const jane = await storage.users.create({
    username: "Jane Doe",
    passwordHash: "h",
  });
  const bob = await storage.users.create({
    username: "Bob",
    passwordHash: "h",
  });
  const area = await storage.messageAreas.create({
    tag: "NETMAIL",
    name: "Netmail",
    kind: "netmail",
  });
  return { jane, bob, area };
}

async function addressees(storage: Storage, areaId: number) {
  const all = await storage.messages.list(areaId, { limit: 100 });
  return all.map((m) => [m.subject, m.toUserId]);
}

Deno.test("importFtnBase() posts a private message to one of the board's addresses to the user its To name names, and no other message", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const { jane, bob, area } = await board(storage);
  const report = await importFtnBase(
    base(NETMAIL),
    storage,
    coreOptions({
      area: "NETMAIL",
      addresses: new Set(["2:5020/1", "2:5020/1.7"]),
    }),
  );
  assert.equal(report.counts.imported, 6);
  assert.deepEqual(report.delivery, {
    delivered: 2,
    undelivered: [{ number: 3, toName: "Nobody Here", destAddr: "2:5020/1" }],
  });
  assert.deepEqual(await addressees(storage, area.id), [
    ["Subject 1", jane.id],
    ["Subject 2", null],
    ["Subject 3", null],
    ["Subject 4", null],
    ["Subject 5", null],
    ["Subject 6", bob.id],
  ]);
  // The addressee reads their mail; nobody else of the board does, the namesake in transit
  // included.
  const [first] = await storage.messages.list(area.id, { limit: 1 });
  const asJane = await storage.as(jane.id);
  const asBob = await storage.as(bob.id);
  assert.equal((await asJane.messages.get(first!.id))?.toName, "jane doe");
  assert.equal(await asBob.messages.get(first!.id), null);
  assert.deepEqual(
    (await asJane.messages.list(area.id, { limit: 100 })).map((m) => m.subject),
    ["Subject 1", "Subject 4"],
  );
  assert.deepEqual(
    (await asBob.messages.list(area.id, { limit: 100 })).map((m) => m.subject),
    ["Subject 4", "Subject 6"],
  );
});

Deno.test("importFtnBase() without the board's addresses gives no message a local addressee", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const { area } = await board(storage);
  const report = await importFtnBase(
    base(NETMAIL),
    storage,
    coreOptions({ area: "NETMAIL" }),
  );
  assert.deepEqual(report.delivery, { delivered: 0, undelivered: [] });
  assert.ok(
    (await addressees(storage, area.id)).every(([, to]) => to === null),
  );
});

Deno.test("importFtnBase() in a dry run counts the deliveries it would make and writes nothing", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const { area } = await board(storage);
  const report = await importFtnBase(
    base(NETMAIL),
    storage,
    coreOptions({
      area: "NETMAIL",
      dryRun: true,
      addresses: new Set(["2:5020/1"]),
    }),
  );
  assert.equal(report.delivery.delivered, 1);
  assert.deepEqual(report.delivery.undelivered.map((u) => u.number), [3]);
  assert.deepEqual(await storage.messages.list(area.id), []);
});

Deno.test("importMessageBase() refuses addresses that are not FidoNet addresses, as validation naming the entry, before writing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse_ftn_delivery_" });
  try {
    const path = `${dir}/netmail`;
    // Squish keeps "private" as the attribute bit 0x0001.
    await writeSquishBase(
      path,
      NETMAIL.map(message).map((m) => ({
        ...m,
        attributes: m.private ? 1 : 0,
      })),
      null,
    );
    await using storage = await openStorage("sqlite::memory:");
    for (
      const [addresses, field] of [
        [["2:5020/1", "2:5020"], "options.addresses.1"],
        [["2:5020/1@fidonet"], "options.addresses.0"],
        ["2:5020/1", "options.addresses"],
      ] as const
    ) {
      const error = await importMessageBase(path, storage, {
        area: "NETMAIL",
        addresses: addresses as unknown as string[],
      }).catch((e) => e);
      assert.ok(error instanceof StorageError, String(error));
      assert.equal(error.kind, "validation");
      assert.equal(error.field, field);
    }
    assert.equal(await storage.messageAreas.getByTag("NETMAIL"), null);
    const report = await importMessageBase(path, storage, {
      area: "NETMAIL",
      addresses: ["2:5020/1"],
    });
    // This board has no users: both messages to its address name nobody on it.
    assert.deepEqual(report.delivery.undelivered.map((u) => u.number), [1, 3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importFtnBase() takes the same private letter to a namesake at another node and to the board as two letters, and delivers the board's", async () => {
  await using storage = await openStorage("sqlite::memory:");
  const { jane, area } = await board(storage);
  const letter = (number: number, destAddr: string) => ({
    number,
    to: "Jane Doe",
    destAddr,
    private: true,
    subject: "Hello",
    text: "The same words\r",
    written: NETMAIL_DATE,
    control: ["CHRS: UTF-8 4"],
  });
  const letters = [
    letter(1, "2:5020/2"),
    letter(2, "2:5020/1"),
    letter(3, "2:5020/1.0"), // the second again
  ];
  const report = await importFtnBase(
    base(letters),
    storage,
    coreOptions({ area: "NETMAIL", addresses: new Set(["2:5020/1"]) }),
  );
  assert.deepEqual(report.counts, { read: 3, imported: 2, skipped: 1 });
  assert.deepEqual(report.skipped.map((s) => [s.number, s.reason]), [[
    3,
    "duplicate-content",
  ]]);
  assert.equal(report.delivery.delivered, 1);
  assert.deepEqual(
    (await storage.messages.list(area.id)).map((m) => [m.destAddr, m.toUserId]),
    [["2:5020/2", null], ["2:5020/1", jane.id]],
  );
  // Again, from the area itself: still two, the board's delivered.
  const again = await importFtnBase(
    base(letters),
    storage,
    coreOptions({ area: "NETMAIL", addresses: new Set(["2:5020/1"]) }),
  );
  assert.equal(again.counts.imported, 0);
});
