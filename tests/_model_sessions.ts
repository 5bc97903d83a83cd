/**
 * Model steps on sessions: tokens, nodes unique among live sessions, activity, ending and
 * deleting.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  assertWithin,
  live,
  type Model,
  type MSession,
  takeId,
} from "./_model.ts";
import {
  type Bad,
  fails,
  pick,
  rarely,
  ref,
  refusesBad,
  step,
  timed,
} from "./_model_steps.ts";

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** createSession: nodes unique among live sessions, an optional expiry, bad fields. */
export const createSession = step(
  "createSession",
  fc.record({
    user: ref,
    ipAddress: fc.constantFrom("127.0.0.1", "::1", "2001:db8::7"),
    node: fc.constantFrom(null, 1, 2),
    activity: fc.option(fc.constantFrom("", "Reading mail", "Ünï")),
    ttlSeconds: fc.option(fc.constantFrom(3600, 400 * 86_400)),
    bad: rarely(
      fc.constantFrom<Bad>(
        ["ipAddress", "localhost"],
        ["node", 0],
        ["ttlSeconds", 0],
        ["activity", "bell\u0007"],
      ),
    ),
  }),
  async (m, ops, s) => {
    const userId = pick(m.users.keys(), m.gone.users, s.user);
    const input = {
      userId,
      ipAddress: s.ipAddress,
      node: s.node,
      ...(s.activity === null ? {} : { activity: s.activity }),
      ...(s.ttlSeconds === null ? {} : { ttlSeconds: s.ttlSeconds }),
    };
    if (s.bad) {
      return void await refusesBad(s.bad, input, (i) => ops.sessions.create(i));
    }
    if (!m.users.has(userId)) {
      return void await fails(
        ops.sessions.create(input),
        "constraint",
        "userId",
      );
    }
    if (
      s.node !== null &&
      [...m.sessions.values()].some((x) => live(x) && x.node === s.node)
    ) {
      return void await fails(ops.sessions.create(input), "conflict", "node");
    }
    const [{ session, token }, from, to] = await timed(() =>
      ops.sessions.create(input)
    );
    takeId(m, "sessions", session.id);
    assert.match(token, TOKEN);
    assertWithin("loginAt", session.loginAt, from, to);
    const at = session.loginAt;
    const expected = {
      id: session.id,
      userId,
      ipAddress: s.ipAddress,
      node: s.node,
      activity: s.activity ?? "",
      loginAt: at,
      lastActivityAt: at,
      expiresAt: s.ttlSeconds === null
        ? null
        : new Date(at.getTime() + s.ttlSeconds * 1000),
      endedAt: null,
      idleTimeoutSeconds: null,
    };
    assert.deepStrictEqual(session, expected);
    m.sessions.set(session.id, { ...expected, token });
  },
);

const sessionOf = (m: Model, r: number): [number, MSession | undefined] => {
  const id = pick(m.sessions.keys(), m.gone.sessions, r);
  return [id, m.sessions.get(id)];
};

/** getSessionByToken: tokens that were never handed out read as `null`. */
export const lookUpToken = step(
  "getSessionByToken",
  fc.constantFrom("", "x", "A".repeat(43), "A".repeat(42) + "=", "' OR ''='"),
  async (_m, ops, token) => {
    assert.equal(await ops.sessions.getByToken(token), null);
  },
);

/** touchSession: a live session's activity time and text; `not_found` once ended. */
export const touchSession = step(
  "touchSession",
  fc.record({
    session: ref,
    activity: fc.option(fc.constantFrom("Downloading", "")),
  }),
  async (m, ops, s) => {
    const [id, session] = sessionOf(m, s.session);
    const options = s.activity === null ? undefined : { activity: s.activity };
    if (!session || session.endedAt !== null) {
      return void await fails(ops.sessions.touch(id, options), "not_found");
    }
    const [, from, to] = await timed(() => ops.sessions.touch(id, options));
    const seen = await ops.sessions.getByToken(session.token);
    assertWithin("lastActivityAt", seen?.lastActivityAt ?? null, from, to);
    session.lastActivityAt = seen!.lastActivityAt;
    if (s.activity !== null) session.activity = s.activity;
  },
);

/**
 * A session ended between `from` and `to`: its length from login to the end, in whole seconds,
 * is added once to its user's time online (nothing when it had ended before).
 */
async function expectCredit(
  m: Parameters<Parameters<typeof step>[2]>[0],
  ops: Parameters<Parameters<typeof step>[2]>[1],
  session: { userId: number; loginAt: Date },
  wasLive: boolean,
  from: number,
  to: number,
): Promise<void> {
  const user = m.users.get(session.userId);
  if (!user) return;
  const seen = (await ops.users.get(session.userId))!.stats.timeOnlineSeconds;
  const login = session.loginAt.getTime();
  const before = user.stats.timeOnlineSeconds;
  const [least, most] = wasLive
    ? [
      before + Math.floor((from - login) / 1000),
      before + Math.floor((to - login) / 1000),
    ]
    : [before, before];
  assert.ok(
    seen >= least && seen <= most,
    `timeOnlineSeconds ${seen}, expected ${least}…${most}`,
  );
  user.stats.timeOnlineSeconds = seen;
}

/** endSession: ends it once (ending again is fine), freeing its node. */
export const endSession = step("endSession", ref, async (m, ops, r) => {
  const [id, session] = sessionOf(m, r);
  if (!session) return void await fails(ops.sessions.end(id), "not_found");
  const wasLive = session.endedAt === null;
  const [, from, to] = await timed(() => ops.sessions.end(id));
  session.endedAt ??= new Date(from);
  await expectCredit(m, ops, session, wasLive, from, to);
});

/**
 * deleteSession: the row and its token are gone; a session not yet ended is ended first, its
 * length added once to its user's time online, as endSession adds it.
 */
export const deleteSession = step("deleteSession", ref, async (m, ops, r) => {
  const [id, session] = sessionOf(m, r);
  if (!session) return void await fails(ops.sessions.delete(id), "not_found");
  const wasLive = session.endedAt === null;
  const [, from, to] = await timed(() => ops.sessions.delete(id));
  await expectCredit(m, ops, session, wasLive, from, to);
  m.sessions.delete(id);
  m.gone.sessions.push(id);
  m.deadTokens.push(session.token);
});
