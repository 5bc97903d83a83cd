/**
 * A ban committed by another storage (another process, in production) while a viewer's write
 * waits: the write is refused. The storage's own transactions hold its writes back (the write
 * gate), so only a second storage on the same database shows that the check of the ban and the
 * write are one transaction that locks the viewer's row first (src/ops/viewed.ts).
 */
import assert from "node:assert/strict";
import { isStorageError, openStorage } from "../mod.ts";
import { createDatabase, postgresMissing } from "./_postgres.ts";

async function race(url: string): Promise<void> {
  await using a = await openStorage(url);
  await using b = await openStorage(url);
  const bob = await a.users.create({ username: "bob", passwordHash: "h" });
  const area = await a.messageAreas.create({ tag: "A", name: "A" });
  const v = await b.as(bob.id);
  let waiting: Promise<unknown> | undefined;
  await a.transaction(async (tx) => {
    await tx.users.update(bob.id, { status: "banned", statusReason: "Spam" });
    waiting = v.messages.post({
      areaId: area.id,
      fromUserId: bob.id,
      subject: "s",
      body: "b",
    }).then(() => "posted", (error) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  const outcome = await waiting;
  assert.ok(isStorageError(outcome, "forbidden"), `${outcome}`);
  assert.equal((await a.messageAreas.get(area.id))!.msgCount, 0);
  // Demoted below the area's write level in the same way.
  await a.users.update(bob.id, { status: "active" });
  await a.messageAreas.update(area.id, { access: { writeLevel: 5 } });
  await a.transaction(async (tx) => {
    await tx.users.update(bob.id, { securityLevel: 1 });
    waiting = v.messages.post({
      areaId: area.id,
      fromUserId: bob.id,
      subject: "s",
      body: "b",
    }).then(() => "posted", (error) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  assert.ok(isStorageError(await waiting, "forbidden"), `${await waiting}`);
}

Deno.test("a ban another storage commits while a viewer's write waits refuses it (SQLite file)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "impulse-race-" });
  try {
    await race(`sqlite:${dir}/board.db`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "a ban another storage commits while a viewer's write waits refuses it (PostgreSQL)",
  ignore: postgresMissing !== undefined,
  async fn() {
    await using db = await createDatabase("impulse_access_race");
    await race(db.url);
  },
});
