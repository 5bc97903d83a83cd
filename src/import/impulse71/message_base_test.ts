import assert from "node:assert/strict";
import {
  BaseBuilder,
  concat,
  header,
  type Message,
  text,
} from "./_builders_test.ts";
import { decodeMessageBase, type MessageBaseOptions } from "./message_base.ts";
import type { Impulse71Problem } from "./problems.ts";

const SYSOP = { number: 1, name: "SYSOP" };
const ALL = { number: 0, name: "" };
const USERS = new Map([[1, "SYSOP"], [2, "NEWGUY"]]);

function options(
  email = false,
): MessageBaseOptions & { problems: Impulse71Problem[] } {
  const problems: Impulse71Problem[] = [];
  const name = email ? "EMAIL" : "BASE";
  return {
    index: { file: `MSGS/${name}.MIX`, timeZone: "UTC", problems },
    text: { file: `MSGS/${name}.BRD`, timeZone: "UTC", problems },
    users: USERS,
    email,
    problems,
  };
}

function post(msgid: number, extra: Partial<Message> = {}): Message {
  return {
    msgid,
    from: SYSOP,
    to: ALL,
    title: `Post ${msgid}`,
    lines: [`Body ${msgid}`],
    ...extra,
  };
}

Deno.test("decodeMessageBase() keeps live messages in slot order with header, text and index fields", () => {
  const base = new BaseBuilder();
  base.add(post(10, {
    posted: "2001-03-04T05:06:07.08",
    status: 0x11,
    lines: ["\x031Hi |07there \x1b[0;34mblue", "", "Sig"],
  }));
  base.add(
    post(11, { from: { anon: 1, number: 2, name: "NEWGUY" }, to: SYSOP }),
  );
  const { mix, brd } = base.build();
  const o = options();
  const decoded = decodeMessageBase(mix, brd, o);
  assert.equal(decoded.slots, 100);
  assert.equal(decoded.usedSlots, 2);
  assert.deepEqual(decoded.messages.map((m) => m.msgid), [10, 11]);
  const [first, second] = decoded.messages;
  assert.equal(first!.postedAt?.wallClock, "2001-03-04T05:06:07.08");
  assert.equal(first!.postedAt?.at.toISOString(), "2001-03-04T05:06:07.080Z");
  assert.deepEqual(first!.flags, ["exists", "allowMci"]);
  assert.deepEqual(first!.lines, [
    "\x031Hi |07there \x1b[0;34mblue",
    "",
    "Sig",
  ]);
  assert.equal(first!.to.shownAs, "");
  assert.equal(first!.replyToSlot, null);
  assert.equal(second!.from.anonymous, 1);
  assert.equal(second!.from.shownAs, "NEWGUY #2");
  assert.equal(second!.from.user, 2);
  assert.equal(second!.to.user, 1);
  assert.deepEqual(o.problems, []);
});

Deno.test("decodeMessageBase() resolves replies by msgid, then by slot, and reports dangling ones", () => {
  const base = new BaseBuilder();
  base.add(post(10)); // slot 0
  base.add(post(11, { replyToId: 10, replyToSlot: 7, status: 0x21 })); // id wins over a stale slot
  base.add(post(12, { status: 0 })); // slot 2, deleted
  base.add(post(13, { replyToSlot: 1 })); // no id: falls back to the slot
  base.add(post(14, { replyToId: 12, replyToSlot: 2 })); // parent deleted
  base.add(post(15, { replyToId: 99 })); // parent never existed
  const { mix, brd } = base.build();
  const o = options();
  const decoded = decodeMessageBase(mix, brd, o);
  const parents = decoded.messages.map((m) => [m.msgid, m.parentSlot]);
  assert.deepEqual(parents, [[10, null], [11, 0], [13, 1], [14, null], [
    15,
    null,
  ]]);
  assert.deepEqual(decoded.deletedMessages.map((m) => m.msgid), [12]);
  assert.deepEqual(
    o.problems.map((p) => [p.kind, p.file, p.record]),
    [
      ["deleted_message", "MSGS/BASE.MIX", 2],
      ["dangling_reply", "MSGS/BASE.MIX", 4],
      ["dangling_reply", "MSGS/BASE.MIX", 5],
    ],
  );
});

Deno.test("decodeMessageBase() reports junk slots and orphan headers", () => {
  const base = new BaseBuilder();
  base.add(post(1));
  base.slot(post(2), 5000); // past the end of the .BRD
  base.slot(post(3), 10); // inside the first header: no signature there
  const orphan = base.orphan(post(4, { title: "Validation E-mail" }));
  const { mix, brd } = base.build();
  const o = options();
  const decoded = decodeMessageBase(mix, brd, o);
  assert.equal(decoded.messages.length, 1);
  assert.equal(decoded.junkSlots, 2);
  assert.equal(decoded.orphanHeaders, 1);
  assert.deepEqual(
    o.problems.map((p) => [p.kind, p.record, p.offset]),
    [["junk_index_entry", 1, undefined], ["junk_index_entry", 2, undefined], [
      "orphan_header",
      null,
      orphan,
    ]],
  );
  assert.match(
    o.problems[2]!.reason,
    /probably an aborted post: skipped "Validation E-mail"/,
  );
});

Deno.test("decodeMessageBase() keeps the lines of a text block that breaks off", () => {
  const body = concat(
    text(["first", "second"]),
    new Uint8Array([0x58, 0x59, 0x5a]),
  );
  const brd = concat(header(post(1), 333, body.length), body);
  const base = new BaseBuilder();
  base.slot(post(1), 0);
  const o = options();
  const decoded = decodeMessageBase(base.build().mix, brd, o);
  assert.deepEqual(decoded.messages[0]?.lines, ["first", "second"]);
  assert.equal(o.problems[0]?.kind, "corrupt_text");
  assert.equal(o.problems[0]?.file, "MSGS/BASE.BRD");
  assert.match(o.problems[0]!.reason, /Byte 0x58 at 348/);
});

Deno.test("decodeMessageBase() reads e-mail: recipients by number, shared mass-mail text", () => {
  const base = new BaseBuilder();
  const mass: Message = {
    from: { anon: 2, number: 1, name: "MARDUKK" },
    title: "Hello all",
    lines: ["one text", "for everyone"],
    status: 0x41,
  };
  const first = base.orphan({ ...mass, to: { number: 8, name: "SOMEONE" } });
  const textLength = text(mass.lines).length;
  for (const number of [1, 2]) {
    const to = { number, name: USERS.get(number)! };
    const at = base.header({ ...mass, to }, first + 333, textLength);
    base.slot({ ...mass, to, messageNumber: number, replyToId: 5 }, at);
  }
  const { mix, brd } = base.build();
  const o = options(true);
  const decoded = decodeMessageBase(mix, brd, o);
  assert.deepEqual(decoded.messages.map((m) => m.messageNumber), [1, 2]);
  assert.deepEqual(decoded.messages.map((m) => m.to.user), [1, 2]);
  assert.deepEqual(decoded.messages.map((m) => m.from.user), [null, null]); // MARDUKK is not SYSOP
  assert.deepEqual(decoded.messages.map((m) => m.lines), [
    mass.lines,
    mass.lines,
  ]);
  assert.deepEqual(decoded.messages.map((m) => m.parentSlot), [null, null]);
  assert.deepEqual(decoded.messages.map((m) => m.flags), [[
    "exists",
    "massMail",
  ], [
    "exists",
    "massMail",
  ]]);
  assert.deepEqual(o.problems.map((p) => [p.kind, p.offset]), [[
    "orphan_header",
    0,
  ]]);
  assert.match(o.problems[0]!.reason, /shared with indexed messages/);
});

Deno.test("decodeMessageBase() reads an empty base and a missing .BRD", () => {
  const o = options();
  const empty = decodeMessageBase(
    new BaseBuilder().build().mix,
    new Uint8Array(),
    o,
  );
  assert.deepEqual(
    [empty.slots, empty.usedSlots, empty.messages.length, o.problems.length],
    [100, 0, 0, 0],
  );
  const base = new BaseBuilder();
  base.add(post(1));
  const junk = decodeMessageBase(base.build().mix, new Uint8Array(), o);
  assert.equal(junk.junkSlots, 1);
});
