/**
 * Model steps on message areas and messages: tags, numbering, authors by id or name, threads,
 * FidoNet MSGID/REPLY links, edits, deletion, and last-read pointers.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Kludge, MessageArea, NewMessage } from "../src/storage.ts";
import {
  areaDefaults,
  areaMessages,
  assertWithin,
  type MMessage,
  type Model,
  nameKey,
  overflows,
  pointer,
  takeId,
} from "./_model.ts";
import {
  type Bad,
  DATES,
  fails,
  MAX,
  pick,
  rarely,
  ref,
  refusesBad,
  step,
  TAGS,
  timed,
} from "./_model_steps.ts";

/** createMessageArea: tags that clash case- and width-insensitively, kinds, bad fields. */
export const createMessageArea = step(
  "createMessageArea",
  fc.record({
    tag: fc.constantFrom(...TAGS),
    name: fc.constantFrom("General chat", "Ünïcödé 🎉"),
    kind: fc.constantFrom("local", "echomail", "netmail", "private"),
    echoTag: fc.constantFrom(null, "FIDO.ECHO"),
    bad: rarely(
      fc.constantFrom<Bad>(["tag", "two words"], ["kind", "usenet"], [
        "name",
        "",
      ]),
    ),
  }),
  async (m, ops, s) => {
    const input = {
      tag: s.tag,
      name: s.name,
      kind: s.kind,
      echoTag: s.echoTag,
    };
    if (s.bad) {
      return void await refusesBad(
        s.bad,
        input,
        (i) => ops.messageAreas.create(i),
      );
    }
    if ([...m.areas.values()].some((a) => nameKey(a.tag) === nameKey(s.tag))) {
      return void await fails(
        ops.messageAreas.create(input),
        "conflict",
        "tag",
      );
    }
    const [area, from, to] = await timed(() => ops.messageAreas.create(input));
    takeId(m, "areas", area.id);
    assertWithin("createdAt", area.createdAt, from, to);
    const expected: MessageArea = {
      id: area.id,
      ...input,
      lastMsgNum: 0,
      msgCount: 0,
      createdAt: area.createdAt,
      ...areaDefaults(m.areas.values()),
      conference: "",
      maxMessages: null,
      maxAgeDays: null,
      origin: "",
      anonymous: "never",
    };
    assert.deepStrictEqual(area, expected);
    m.areas.set(area.id, expected);
  },
);

const MSGIDS = ["2:280/464 5c3b1e2a", "2:280/464 5c3b1e2b", "1:1/1 0001"];

const kludges: fc.Arbitrary<Kludge[]> = fc.constantFrom(
  [],
  [{ name: "PID", value: "Impulse 7" }],
  [{ name: "SEEN-BY", value: "280/464 1" }, { name: "PATH", value: "" }],
);

/** Sets a message's thread root, keeping the record view in step. */
function setRoot(x: MMessage, root: number | null): void {
  x.storedRoot = root;
  x.threadRootId = root ?? x.id;
}

/** Replies that arrived before their parent (by FidoNet REPLY) move under it, with their threads. */
function adoptOrphans(m: Model, parent: MMessage): void {
  for (const orphan of m.messages.values()) {
    if (
      orphan.areaId !== parent.areaId || orphan.ftnReply !== parent.ftnMsgid ||
      orphan.parentId !== null || orphan.storedRoot !== null ||
      orphan.id === parent.id || orphan.id === parent.threadRootId
    ) continue;
    for (const member of m.messages.values()) {
      if (member.storedRoot === orphan.id) setRoot(member, parent.threadRootId);
    }
    orphan.parentId = parent.id;
    setRoot(orphan, parent.threadRootId);
  }
}

/** FidoNet addresses a post may carry: none, a node, a point. */
const ADDRS = [null, "2:280/464", "1:2/3.4"] as const;

/** postMessage: numbering, authors by id or name, replies, FidoNet MSGID/REPLY, bad references. */
export const postMessage = step(
  "postMessage",
  fc.record({
    area: ref,
    from: fc.constantFrom("user", "name", "both"),
    fromUser: ref,
    to: fc.constantFrom("none", "user", "name", "both"),
    toUser: ref,
    parent: fc.option(ref, { freq: 2 }),
    subject: fc.constantFrom("", "Hello", "Re: 100% _done_", "Ünï 🎉"),
    body: fc.constantFrom(
      "",
      "text",
      "\u001b[1;31mANSI\u001b[0m\r\n",
      "x".repeat(5000),
    ),
    ftnMsgid: fc.option(fc.constantFrom(...MSGIDS)),
    ftnReply: fc.option(fc.constantFrom(...MSGIDS)),
    kludges,
    createdAt: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
    bad: rarely(fc.constantFrom<Bad>(
      ["subject", "s".repeat(73)],
      ["body", "nul\0"],
      ["fromUserId", null],
      ["areaId", 0],
      ["parentId", -1],
      ["ftnMsgid", ""],
    )),
  }),
  async (m, ops, s) => {
    const users = (r: number) => pick(m.users.keys(), m.gone.users, r);
    const input: NewMessage = {
      areaId: pick(m.areas.keys(), [], s.area),
      subject: s.subject,
      body: s.body,
      kludges: s.kludges,
      ftnMsgid: s.ftnMsgid,
      ftnReply: s.ftnReply,
      // The export state, from values drawn already (the arbitrary keeps its shape, so saved
      // counterexamples still replay).
      origAddr: ADDRS[s.fromUser % 3]!,
      destAddr: ADDRS[s.toUser % 3]!,
      imported: s.toUser % 2 === 0,
      // With no message to reply to yet, mostly post a new thread instead of a doomed reply.
      parentId:
        s.parent === null || (m.messages.size === 0 && s.parent % 20 < 18)
          ? null
          : pick(m.messages.keys(), m.gone.messages, s.parent),
      ...(s.from === "name" ? {} : { fromUserId: users(s.fromUser) }),
      ...(s.from === "user" ? {} : { fromName: "Remote Sysop" }),
      ...(s.to === "user" || s.to === "both"
        ? { toUserId: users(s.toUser) }
        : {}),
      ...(s.to === "name" || s.to === "both" ? { toName: "Everyone" } : {}),
      ...(s.createdAt ? { createdAt: s.createdAt } : {}),
    };
    const post = (i: NewMessage) => ops.messages.post(i);
    if (s.bad) {
      const bad: Bad = s.bad[0] === "fromUserId" ? ["fromUserId", null] : s.bad;
      const base = bad[0] === "fromUserId"
        ? { ...input, fromName: undefined }
        : input;
      return void await refusesBad(bad, base, post);
    }
    const from = input.fromUserId ?? null, to = input.toUserId ?? null;
    const missing = (field: string) => fails(post(input), "constraint", field);
    if (from !== null && !m.users.has(from)) {
      return void await missing("fromUserId");
    }
    if (to !== null && !m.users.has(to)) return void await missing("toUserId");
    const parentId = input.parentId ?? null;
    if (parentId !== null && !m.messages.has(parentId)) {
      return void await missing("parentId");
    }
    const area = m.areas.get(input.areaId);
    const parent = parentId !== null
      ? m.messages.get(parentId)
      : s.ftnReply === null
      ? undefined
      : [...m.messages.values()].find((x) =>
        x.areaId === input.areaId && x.ftnMsgid === s.ftnReply
      );
    if (!area) return void await missing("areaId");
    if (
      s.ftnMsgid !== null &&
      areaMessages(m, area.id).some((x) => x.ftnMsgid === s.ftnMsgid)
    ) {
      return void await fails(post(input), "conflict", "ftnMsgid");
    }
    if (from !== null && overflows(m.users.get(from)!, { posts: 1 })) {
      return void await fails(post(input), "constraint");
    }
    const [message, from0, to0] = await timed(() => post(input));
    takeId(m, "messages", message.id);
    if (!s.createdAt) assertWithin("createdAt", message.createdAt, from0, to0);
    const storedRoot = parent ? parent.threadRootId : null;
    const expected: MMessage = {
      id: message.id,
      areaId: area.id,
      msgNum: area.lastMsgNum + 1,
      fromUserId: from,
      fromName: input.fromName ?? m.users.get(from!)!.username,
      toUserId: to,
      toName: input.toName ?? (to === null ? "All" : m.users.get(to)!.username),
      subject: s.subject,
      body: s.body,
      parentId: parent?.id ?? null,
      threadRootId: storedRoot ?? message.id,
      ftnMsgid: s.ftnMsgid,
      ftnReply: s.ftnReply,
      kludges: s.kludges,
      createdAt: s.createdAt ?? message.createdAt,
      receivedAt: null,
      // Every message of a private area is private; an area that forces anonymity makes every
      // post anonymous (the model never asks for either).
      private: area.kind === "private",
      anonymous: area.anonymous === "forced",
      origAddr: input.origAddr!,
      destAddr: input.destAddr!,
      imported: input.imported!,
      exportedAt: null,
      storedRoot,
    };
    const { storedRoot: _, ...view } = expected;
    assert.deepStrictEqual(message, view);
    m.areas.set(area.id, {
      ...area,
      lastMsgNum: area.lastMsgNum + 1,
      msgCount: area.msgCount + 1,
    });
    if (from !== null) {
      const user = m.users.get(from)!;
      m.users.set(from, {
        ...user,
        stats: { ...user.stats, posts: user.stats.posts + 1 },
      });
      // A caught-up author has read their own message.
      if (pointer(m, from, area.id) >= area.lastMsgNum) {
        m.lastRead.set(`${from}:${area.id}`, area.lastMsgNum + 1);
      }
    }
    m.messages.set(message.id, expected);
    if (s.ftnMsgid !== null) adoptOrphans(m, expected);
  },
);

/** updateMessage: subject and body. */
export const updateMessage = step(
  "updateMessage",
  fc.record({
    message: ref,
    patch: fc.record({
      subject: fc.constantFrom("Edited", ""),
      body: fc.constantFrom("new body", "ünï"),
    }, { requiredKeys: [] }),
  }),
  async (m, ops, s) => {
    const id = pick(m.messages.keys(), m.gone.messages, s.message);
    const message = m.messages.get(id);
    if (!message) {
      return void await fails(ops.messages.update(id, s.patch), "not_found");
    }
    Object.assign(message, s.patch);
    const { storedRoot: _, ...view } = message;
    assert.deepStrictEqual(await ops.messages.update(id, s.patch), view);
  },
);

/** deleteMessage: the count drops, the high-water mark stays, replies lose their parent. */
export const deleteMessage = step("deleteMessage", ref, async (m, ops, r) => {
  const id = pick(m.messages.keys(), m.gone.messages, r);
  const message = m.messages.get(id);
  if (!message) return void await fails(ops.messages.delete(id), "not_found");
  await ops.messages.delete(id);
  m.messages.delete(id);
  m.gone.messages.push(id);
  const area = m.areas.get(message.areaId)!;
  m.areas.set(area.id, { ...area, msgCount: area.msgCount - 1 });
  for (const x of m.messages.values()) if (x.parentId === id) x.parentId = null;
});

/**
 * trimMessages: by `keep`, by `olderThan` or both (either lets a message go); the count drops,
 * the high-water mark stays, a survivor whose parent (or, parentless, whose root) went becomes
 * a root and its replies follow it, pointers below the trim's reach move past the numbers no
 * message holds.
 */
export const trimMessages = step(
  "trimMessages",
  fc.record({
    area: ref,
    keep: fc.option(fc.nat(4), { nil: undefined }),
    olderThan: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
  }),
  async (m, ops, s) => {
    const areaId = pick(m.areas.keys(), [], s.area);
    const options = {
      ...(s.keep === undefined ? {} : { keep: s.keep }),
      ...(s.olderThan === undefined ? {} : { olderThan: s.olderThan }),
    };
    if (s.keep === undefined && s.olderThan === undefined) {
      return void await fails(
        ops.messages.trim(areaId, options),
        "validation",
        "options",
      );
    }
    const area = m.areas.get(areaId);
    if (!area) {
      return void await fails(ops.messages.trim(areaId, options), "not_found");
    }
    const list = areaMessages(m, areaId);
    const byNumber = s.keep === undefined
      ? []
      : list.slice(0, Math.max(0, list.length - s.keep));
    const goes = new Set(
      list.filter((x) =>
        byNumber.includes(x) ||
        (s.olderThan !== undefined &&
          x.createdAt.getTime() < s.olderThan.getTime())
      ).map((x) => x.id),
    );
    assert.equal(await ops.messages.trim(areaId, options), goes.size);
    const survivors = [...m.messages.values()].filter((x) => !goes.has(x.id));
    // The new roots, then each one's replies (by parent) take it as their root.
    const heads = survivors.filter((x) =>
      x.parentId !== null
        ? goes.has(x.parentId)
        : x.storedRoot !== null && goes.has(x.storedRoot)
    );
    for (const head of heads) {
      head.parentId = null;
      head.storedRoot = null;
      head.threadRootId = head.id;
      const below = [head.id];
      while (below.length > 0) {
        const parent = below.pop()!;
        for (const x of survivors) {
          if (x.parentId === parent) {
            x.storedRoot = head.id;
            x.threadRootId = head.id;
            below.push(x.id);
          }
        }
      }
    }
    for (const id of goes) {
      m.messages.delete(id);
      m.gone.messages.push(id);
    }
    m.areas.set(areaId, { ...area, msgCount: area.msgCount - goes.size });
    // Pointers below the trim's reach move up to just below the next message there is. The
    // reach is every number below the keep-th newest message (all of them for keep 0) and up to
    // the newest message older than `olderThan`: numbers an earlier delete freed there go too.
    if (goes.size > 0) {
      const keep = s.keep ?? list.length;
      const byKeep = keep === 0
        ? area.lastMsgNum
        : keep < list.length
        ? list.at(-keep)!.msgNum - 1
        : 0;
      const top = Math.max(
        byKeep,
        ...list.filter((x) =>
          s.olderThan !== undefined &&
          x.createdAt.getTime() < s.olderThan.getTime()
        ).map((x) => x.msgNum),
      );
      const left = areaMessages(m, areaId);
      for (const [key, value] of m.lastRead) {
        if (!key.endsWith(`:${areaId}`) || value >= top) continue;
        const next = left.find((x) => x.msgNum > value);
        m.lastRead.set(key, (next?.msgNum ?? area.lastMsgNum + 1) - 1);
      }
    }
  },
);

/** markRead: the pointer only moves forward, never past the high-water mark; then readNext. */
export const markRead = step(
  "markRead",
  fc.record({
    user: ref,
    area: ref,
    msgNum: fc.oneof(fc.nat(6), fc.constant(MAX)),
    bad: rarely(fc.constantFrom(-1, 1.5, NaN)),
  }),
  async (m, ops, s) => {
    const userId = pick(m.users.keys(), m.gone.users, s.user);
    const areaId = pick(m.areas.keys(), [], s.area);
    if (s.bad !== undefined) {
      return void await fails(
        ops.reading.markRead(userId, areaId, s.bad),
        "validation",
        "msgNum",
      );
    }
    const area = m.areas.get(areaId);
    if (!area || !m.users.has(userId)) {
      return void await fails(
        ops.reading.markRead(userId, areaId, s.msgNum),
        "not_found",
      );
    }
    const now = Math.max(
      pointer(m, userId, areaId),
      Math.min(s.msgNum, area.lastMsgNum),
    );
    assert.equal(await ops.reading.markRead(userId, areaId, s.msgNum), now);
    m.lastRead.set(`${userId}:${areaId}`, now);
    const unread = areaMessages(m, areaId).filter((x) =>
      x.msgNum > now && x.fromUserId !== userId
    )
      .slice(0, 3).map(({ storedRoot: _, ...view }) => view);
    assert.deepStrictEqual(
      await ops.reading.readNext(userId, areaId, { limit: 3 }),
      unread,
    );
  },
);
