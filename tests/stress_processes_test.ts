/**
 * Many processes, one SQLite file: N child processes (tests/_stress_worker.ts) run thousands
 * of mixed domain operations at once, each keeping a ledger of what was acknowledged; the
 * database must then agree with the ledgers exactly. Counts grow under `deno task stress`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openStorage } from "../mod.ts";
import type { StressPlan, StressReport } from "./_stress_worker.ts";
import {
  assertSqliteIntact,
  figures,
  readLines,
  sized,
  testPath,
} from "./_stress.ts";
import { TARGETS } from "./_targets.ts";

const WORKER = testPath("./_stress_worker.ts");
const ffiMissing = TARGETS.find((t) => t.name === "sqlite-ffi-file")!.ignore;

interface Child {
  process: Deno.ChildProcess;
  ready: Promise<void>;
  report: Promise<StressReport>;
  stderr: Promise<string>;
}

function spawnWorker(url: string, plan: StressPlan): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", WORKER, url, JSON.stringify(plan)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => markReady = resolve);
  const lines: string[] = [];
  const done = readLines(process.stdout, (line) => {
    if (line === "ready") markReady();
    else lines.push(line);
  });
  const stderr = new Response(process.stderr).text();
  const report = (async () => {
    const status = await process.status;
    await done;
    markReady();
    if (!status.success) {
      throw new Error(
        `worker ${plan.index} exited ${status.code}: ${await stderr}`,
      );
    }
    return JSON.parse(lines.at(-1)!) as StressReport;
  })();
  report.catch(() => {}); // Awaited later; not unhandled meanwhile.
  return { process, ready, report, stderr };
}

/** Areas, the hot user, one user per worker and the shared file. */
async function prepare(url: string, n: number) {
  await using s = await openStorage(url);
  const messageAreas = [];
  for (const tag of ["GENERAL", "SYSOP", "FIDO"]) {
    messageAreas.push((await s.messageAreas.create({ tag, name: tag })).id);
  }
  const fileAreas = [];
  for (const tag of ["UTILS", "GAMES"]) {
    fileAreas.push((await s.fileAreas.create({ tag, name: tag })).id);
  }
  const hot = await s.users.create({ username: "hot", passwordHash: "h" });
  const users = [];
  for (let i = 0; i < n; i++) {
    users.push(
      (await s.users.create({ username: `worker${i}`, passwordHash: "h" })).id,
    );
  }
  const shared = await s.files.add({
    areaId: fileAreas[0]!,
    filename: "SHARED.ZIP",
    size: 4242,
  });
  return {
    messageAreas,
    fileAreas,
    hotUserId: hot.id,
    users,
    sharedFile: { id: shared.id, size: shared.size },
  };
}

type Setup = Awaited<ReturnType<typeof prepare>>;

function count(db: DatabaseSync, text: string, ...params: number[]): number {
  return Number(db.prepare(text).get(...params)!.n);
}

function sum(reports: StressReport[], f: (r: StressReport) => number): number {
  return reports.reduce((a, r) => a + f(r), 0);
}

/** Each worker's user, and the user they all share: counters, login rows, pointers. */
function verifyUsers(db: DatabaseSync, setup: Setup, reports: StressReport[]) {
  const user = (id: number) => ({
    ...db.prepare(
      "SELECT logins, posts, uploads, upload_bytes AS uploadBytes, downloads, " +
        "download_bytes AS downloadBytes FROM users WHERE id = ?",
    ).get(id)!,
  });
  const logins = "SELECT COUNT(*) AS n FROM logins WHERE user_id = ?";
  reports.forEach((r, i) => {
    const id = setup.users[i]!;
    assert.deepEqual(user(id), r.own, `worker ${i}'s counters`);
    assert.equal(count(db, logins, id), r.ownLoginRows, `worker ${i}'s logins`);
    const pointers = new Map(
      db.prepare("SELECT area_id, last_read FROM last_read WHERE user_id = ?")
        .all(id).map((p) => [String(p.area_id), Number(p.last_read)]),
    );
    for (const [area, pointer] of Object.entries(r.pointers)) {
      assert.equal(pointers.get(area) ?? 0, pointer, `worker ${i}, ${area}`);
    }
  });
  const hot = user(setup.hotUserId);
  assert.equal(hot.logins, sum(reports, (r) => r.hot.logins), "hot logins");
  assert.equal(
    hot.downloadBytes,
    sum(reports, (r) => r.hot.downloadBytes),
    "hot downloadBytes",
  );
  assert.equal(hot.uploads, sum(reports, (r) => r.hot.uploads), "hot uploads");
  assert.equal(
    count(db, logins, setup.hotUserId),
    sum(reports, (r) => r.hotLoginRows),
    "hot login rows",
  );
}

/** Numbers 1..n per area, each acknowledged post where it was reported, nothing else. */
function verifyMessages(
  db: DatabaseSync,
  setup: Setup,
  reports: StressReport[],
) {
  const acknowledged = new Map(
    reports.flatMap((r) => r.posts).map(([a, n, id]) => [id, [a, n]]),
  );
  for (const areaId of setup.messageAreas) {
    const stored = db.prepare(
      "SELECT id, msg_num FROM messages WHERE area_id = ? ORDER BY msg_num",
    ).all(areaId).map((m) => [Number(m.id), Number(m.msg_num)]);
    assert.deepEqual(
      stored.map(([, n]) => n),
      stored.map((_, i) => i + 1),
      `area ${areaId} numbers`,
    );
    const area = db.prepare(
      "SELECT last_msg_num, msg_count FROM message_areas WHERE id = ?",
    ).get(areaId)!;
    assert.deepEqual(
      [area.last_msg_num, area.msg_count],
      [stored.length, stored.length],
      `area ${areaId} high-water mark and count`,
    );
    for (const [id, n] of stored) {
      assert.deepEqual(acknowledged.get(id!), [areaId, n], `message ${id}`);
    }
  }
  assert.equal(
    count(db, "SELECT COUNT(*) AS n FROM messages"),
    acknowledged.size,
    "every acknowledged post, nothing else",
  );
}

/** Uploads, downloads of the shared file, and nothing of rolled-back transactions. */
function verifyFiles(db: DatabaseSync, setup: Setup, reports: StressReport[]) {
  assert.equal(
    db.prepare("SELECT downloads FROM files WHERE id = ?")
      .get(setup.sharedFile.id)!.downloads,
    sum(reports, (r) => r.sharedDownloads),
    "shared file downloads",
  );
  assert.equal(
    count(db, "SELECT COUNT(*) AS n FROM files WHERE filename LIKE 'rb-%'"),
    0,
    "rolled-back files",
  );
  assert.equal(
    count(db, "SELECT COUNT(*) AS n FROM files"),
    1 + sum(reports, (r) => r.own.uploads),
    "files",
  );
}

/** Compares the database with the workers' ledgers. */
function verify(path: string, setup: Setup, reports: StressReport[]) {
  assertSqliteIntact(path);
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    verifyUsers(db, setup, reports);
    verifyMessages(db, setup, reports);
    verifyFiles(db, setup, reports);
  } finally {
    db.close();
  }
}

/** Throughput and waits over every worker, as printed by {@linkcode figures}. */
function summary(reports: StressReport[]): Record<string, number | string> {
  const ops = sum(reports, (r) => r.ops);
  const wallMs = Math.max(...reports.map((r) => r.endedAt)) -
    Math.min(...reports.map((r) => r.startedAt));
  const worst = reports.reduce((a, r) => (r.worstMs > a.worstMs ? r : a));
  return {
    ops,
    seconds: +(wallMs / 1000).toFixed(1),
    opsPerSecond: Math.round(ops / (wallMs / 1000)),
    worstWaitMs: Math.round(worst.worstMs),
    worstOp: worst.worstOp,
    p99Ms: +Math.max(...reports.map((r) => r.p99Ms)).toFixed(1),
    p50Ms: +Math.max(...reports.map((r) => r.p50Ms)).toFixed(2),
    committed: sum(reports, (r) => r.committed),
    rolledBack: sum(reports, (r) => r.rolledBack),
  };
}

/** Starts the workers together, waits for their ledgers, and stops any left running. */
async function runWorkers(children: Child[]): Promise<StressReport[]> {
  try {
    await Promise.all(children.map((c) => c.ready));
    const go = new TextEncoder().encode("go\n");
    for (const c of children) {
      const writer = c.process.stdin.getWriter();
      await writer.write(go);
      await writer.close();
    }
    return await Promise.all(children.map((c) => c.report));
  } finally {
    for (const c of children) {
      try {
        c.process.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      await c.report.catch(() => {});
      await c.stderr;
    }
  }
}

async function stress(n: number, engines: readonly string[], opsEach: number) {
  const dir = await Deno.makeTempDir({ prefix: "impulse-stress-" });
  try {
    const path = `${dir}/board.db`;
    const setup = await prepare(`sqlite:${path}`, n);
    const reports = await runWorkers(
      setup.users.map((userId, index) =>
        spawnWorker(
          `sqlite:${path}?engine=${engines[index % engines.length]}`,
          {
            index,
            ops: opsEach,
            loops: 2,
            userId,
            hotUserId: setup.hotUserId,
            messageAreas: setup.messageAreas,
            fileAreas: setup.fileAreas,
            sharedFile: setup.sharedFile,
          },
        )
      ),
    );
    const errors = reports.flatMap((r) => r.errors);
    assert.deepEqual(errors, [], `${sum(reports, (r) => r.errorCount)} errors`);
    assert.equal(sum(reports, (r) => r.backwards), 0, "pointers went back");
    verify(path, setup, reports);
    figures(`${n} processes`, {
      engines: engines.join("+"),
      ...summary(reports),
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const OPS = sized(2000, 25_000);

Deno.test(`4 processes × ${OPS} mixed operations on one SQLite file: nothing lost, no error reaches a caller`, async () => {
  await stress(4, ["node"], OPS);
});

Deno.test(
  `8 processes × ${OPS} mixed operations on one SQLite file, ${
    ffiMissing ? "built-in engine" : "both engines"
  }: nothing lost, no error reaches a caller`,
  async () => {
    await stress(8, ffiMissing ? ["node"] : ["node", "ffi"], OPS);
  },
);
