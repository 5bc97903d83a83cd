import { openStorage } from "./mod.ts";
for (const url of ["sqlite::memory:", "postgres://postgres@127.0.0.1:5432/test"]) {
  await using s = await openStorage(url);
  if (url.startsWith("postgres")) {
    // fresh
  }
  const tag = Math.random().toString(36).slice(2, 8);
  const alice = await s.users.create({ username: "A" + tag, passwordHash: "h", securityLevel: 10 });
  const bob = await s.users.create({ username: "B" + tag, passwordHash: "h", securityLevel: 10 });
  const carol = await s.users.create({ username: "C" + tag, passwordHash: "h", securityLevel: 10, flags: "X" });
  const email = await s.messageAreas.create({ tag: "E" + tag, name: "E", kind: "private" });
  const secret = await s.messageAreas.create({ tag: "S" + tag, name: "S", access: { readLevel: 0, readFlags: "X", hidden: true } });
  const m = await s.messages.post({ areaId: email.id, fromUserId: alice.id, toUserId: bob.id, subject: "hi zebra", body: "secret zebra" });
  const m2 = await s.messages.post({ areaId: secret.id, fromUserId: alice.id, subject: "zebra", body: "flagged zebra" });
  const asCarol = await s.as(carol.id);
  const asBob = await s.as(bob.id);
  console.log(url, "carol get mail", await asCarol.messages.get(m.id), "bob get", (await asBob.messages.get(m.id))?.id);
  console.log("carol search", (await asCarol.messages.search("zebra")).map((x) => x.id), "bob search", (await asBob.messages.search("zebra")).map((x) => x.id));
  console.log("carol list email", (await asCarol.messages.list(email.id)).length, "bob list", (await asBob.messages.list(email.id)).length);
  console.log("bob areas", (await asBob.messageAreas.list()).map((a) => [a.tag, a.msgCount]).filter(([t]) => String(t).endsWith(tag)));
  console.log("carol areas", (await asCarol.messageAreas.list()).map((a) => [a.tag, a.msgCount]).filter(([t]) => String(t).endsWith(tag)));
  console.log("carol mail bob", (await asCarol.mail.listFor(bob.id)).length, "bob mail", (await asBob.mail.listFor(bob.id)).length);
  console.log("bob readNext", (await asBob.reading.readNext(bob.id, email.id)).length, "carol readNext", (await asCarol.reading.readNext(bob.id, email.id)).length);
  console.log("carol thread", (await asCarol.messages.thread(m.id)).length, "bob newscan", (await asBob.reading.newScan(bob.id)).filter((e) => e.area.tag.endsWith(tag)).map((e) => e.area.tag));
  try { await asBob.messages.post({ areaId: secret.id, fromUserId: bob.id, subject: "x", body: "y" }); } catch (e) { console.log("bob post secret:", (e as any).kind, (e as Error).message); }
  try { await asCarol.messages.post({ areaId: secret.id, fromUserId: bob.id, subject: "x", body: "y" }); } catch (e) { console.log("carol post as bob:", (e as any).kind, (e as Error).message); }
  console.log("carol post ok", (await asCarol.messages.post({ areaId: secret.id, fromUserId: carol.id, subject: "x", body: "y" })).msgNum);
  await s.users.update(carol.id, { status: "banned", statusReason: "spam" });
  try { await asCarol.messages.post({ areaId: secret.id, fromUserId: carol.id, subject: "x", body: "y" }); } catch (e) { console.log("banned:", (e as any).kind, (e as Error).message); }
  await s.transaction(async (tx) => { const t = await tx.as(bob.id); console.log("tx bob get", (await t.messages.get(m.id))?.id, "tx bob secret", await t.messages.get(m2.id)); });
}
