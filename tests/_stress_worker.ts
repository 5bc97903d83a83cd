/**
 * A child process of the many-processes stress test: opens the storage at a URL, waits for
 * "go" on standard input, then runs a seeded mix of domain operations (posts in a few areas,
 * increments of a shared user, logins, files, downloads, last-read pointers, transactions that
 * commit and transactions that throw, reads) from a few concurrent loops. It keeps its own
 * ledger of every acknowledged effect and prints it as one JSON line.
 *
 * Usage: deno run -A tests/_stress_worker.ts <url> <plan JSON>
 *
 * @module
 */
import { openStorage, type Repositories } from "../mod.ts";

/** What the parent tells a worker. */
export interface StressPlan {
  /** The worker's number (file names, seeds). */
  index: number;
  /** Operations in all, over every loop. */
  ops: number;
  /** Concurrent loops in the process. */
  loops: number;
  /** The worker's own user. */
  userId: number;
  /** The user every worker increments. */
  hotUserId: number;
  /** Message areas to post in. */
  messageAreas: number[];
  /** File areas to upload into. */
  fileAreas: number[];
  /** The file every worker downloads, and its size. */
  sharedFile: { id: number; size: number };
}

/** What a worker reports. */
export interface StressReport {
  /** Operations done (attempted). */
  ops: number;
  /** Errors that reached the worker, besides its own deliberate rollbacks. */
  errorCount: number;
  /** The first few of them. */
  errors: string[];
  /** Epoch ms when the first operation started and the last one ended. */
  startedAt: number;
  endedAt: number;
  /** The longest any one operation took, in ms, and which one. */
  worstMs: number;
  worstOp: string;
  /** Latencies: the 50th and 99th percentile, ms. */
  p50Ms: number;
  p99Ms: number;
  /** Acknowledged posts: [areaId, msgNum, id]. */
  posts: [number, number, number][];
  /** The own user's expected counters. */
  own: {
    logins: number;
    posts: number;
    uploads: number;
    uploadBytes: number;
    downloads: number;
    downloadBytes: number;
  };
  /** What this worker added to the hot user. */
  hot: { logins: number; downloadBytes: number; uploads: number };
  /** Downloads of the shared file. */
  sharedDownloads: number;
  /** recordLogin calls on the own user (rows of the login log). */
  ownLoginRows: number;
  /** recordLogin calls on the hot user. */
  hotLoginRows: number;
  /** The highest last-read pointer returned per area (areaId → msgNum). */
  pointers: Record<string, number>;
  /** Transactions committed, and rolled back on purpose. */
  committed: number;
  rolledBack: number;
  /** Pointers that moved backwards (must stay 0). */
  backwards: number;
}

/** A small seeded generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The error a transaction throws to roll itself back. */
class Rollback extends Error {}

/** Runs the plan on `storage`, returning the ledger. */
async function run(
  storage: Awaited<ReturnType<typeof openStorage>>,
  plan: StressPlan,
): Promise<StressReport> {
  const rnd = random(0x5eed + plan.index * 7919);
  const pick = <T>(items: readonly T[]): T =>
    items[Math.floor(rnd() * items.length)]!;
  const report: StressReport = {
    ops: 0,
    errorCount: 0,
    errors: [],
    startedAt: Date.now(),
    endedAt: 0,
    worstMs: 0,
    worstOp: "",
    p50Ms: 0,
    p99Ms: 0,
    posts: [],
    own: {
      logins: 0,
      posts: 0,
      uploads: 0,
      uploadBytes: 0,
      downloads: 0,
      downloadBytes: 0,
    },
    hot: { logins: 0, downloadBytes: 0, uploads: 0 },
    sharedDownloads: 0,
    ownLoginRows: 0,
    hotLoginRows: 0,
    pointers: {},
    committed: 0,
    rolledBack: 0,
    backwards: 0,
  };
  const latencies: number[] = [];
  let files = 0;
  const highest = new Map<number, number>(); // areaId → highest msgNum seen

  const post = async (s: Repositories, areaId: number, subject: string) => {
    const m = await s.messages.post({
      areaId,
      fromUserId: plan.userId,
      subject,
      body: `from worker ${plan.index}`,
    });
    highest.set(areaId, Math.max(highest.get(areaId) ?? 0, m.msgNum));
    return m;
  };
  const addFile = (s: Repositories, prefix: string) => {
    const size = 1 + Math.floor(rnd() * 100_000);
    return s.files.add({
      areaId: pick(plan.fileAreas),
      filename: `${prefix}${plan.index}-${++files}.zip`,
      uploaderId: plan.userId,
      size,
    });
  };
  // A committed post moves the worker's own pointer past it when it was caught up (the area's
  // high-water mark was msgNum - 1); only this worker moves its pointers.
  const posted = (areaId: number, msgNum: number) => {
    if ((report.pointers[areaId] ?? 0) >= msgNum - 1) {
      report.pointers[areaId] = msgNum;
    }
  };
  const markRead = async (s: Repositories, areaId: number) => {
    const target = Math.floor(rnd() * ((highest.get(areaId) ?? 0) + 2));
    const pointer = await s.reading.markRead(plan.userId, areaId, target);
    const before = report.pointers[areaId] ?? 0;
    if (pointer < before) report.backwards++;
    report.pointers[areaId] = Math.max(before, pointer);
  };

  const operations: [number, string, () => Promise<void>][] = [
    [20, "messages.post", async () => {
      const areaId = pick(plan.messageAreas);
      const m = await post(storage, areaId, `post ${plan.index}`);
      posted(areaId, m.msgNum);
      report.posts.push([areaId, m.msgNum, m.id]);
      report.own.posts++;
    }],
    [14, "users.incrementStats", async () => {
      const logins = 1 + Math.floor(rnd() * 3);
      const downloadBytes = Math.floor(rnd() * 1000);
      await storage.users.incrementStats(plan.hotUserId, {
        logins,
        downloadBytes,
      });
      report.hot.logins += logins;
      report.hot.downloadBytes += downloadBytes;
    }],
    [6, "users.recordLogin", async () => {
      await storage.users.recordLogin(plan.userId);
      report.own.logins++;
      report.ownLoginRows++;
    }],
    [3, "users.recordLogin(hot)", async () => {
      await storage.users.recordLogin(plan.hotUserId);
      report.hot.logins++;
      report.hotLoginRows++;
    }],
    [8, "files.add", async () => {
      const f = await addFile(storage, "w");
      report.own.uploads++;
      report.own.uploadBytes += f.size;
    }],
    [8, "files.recordDownload", async () => {
      await storage.files.recordDownload(plan.sharedFile.id, plan.userId);
      report.own.downloads++;
      report.own.downloadBytes += plan.sharedFile.size;
      report.sharedDownloads++;
    }],
    [7, "reading.markRead", () => markRead(storage, pick(plan.messageAreas))],
    [10, "transaction(commit)", async () => {
      const areaId = pick(plan.messageAreas);
      const [m, f] = await storage.transaction(async (tx) => {
        const m = await post(tx, areaId, `tx ${plan.index}`);
        await tx.users.incrementStats(plan.hotUserId, { uploads: 1 });
        const f = await addFile(tx, "t");
        await tx.users.recordLogin(plan.userId);
        return [m, f] as const;
      });
      posted(areaId, m.msgNum);
      report.posts.push([areaId, m.msgNum, m.id]);
      report.own.posts++;
      report.own.uploads++;
      report.own.uploadBytes += f.size;
      report.own.logins++;
      report.ownLoginRows++;
      report.hot.uploads++;
      report.committed++;
    }],
    [8, "transaction(throw)", async () => {
      const areaId = pick(plan.messageAreas);
      try {
        await storage.transaction(async (tx) => {
          await tx.messages.post({
            areaId,
            fromUserId: plan.userId,
            subject: "rollback",
            body: "never seen",
          });
          await tx.users.incrementStats(plan.hotUserId, { uploads: 1000 });
          await addFile(tx, "rb-");
          await tx.files.recordDownload(plan.sharedFile.id, plan.userId);
          throw new Rollback();
        });
        throw new Error("a transaction that threw committed");
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      }
      report.rolledBack++;
    }],
    [16, "reads", async () => {
      const areaId = pick(plan.messageAreas);
      await storage.users.get(plan.hotUserId);
      await storage.messages.list(areaId, {
        afterNum: Math.floor(rnd() * ((highest.get(areaId) ?? 0) + 1)),
        limit: 20,
      });
      await storage.reading.newScan(plan.userId);
      await storage.reading.readNext(plan.userId, areaId, { limit: 5 });
      await storage.files.list(pick(plan.fileAreas), { limit: 10 });
    }],
  ];
  const total = operations.reduce((sum, [w]) => sum + w, 0);
  const choose = () => {
    let r = rnd() * total;
    for (const op of operations) {
      if ((r -= op[0]) < 0) return op;
    }
    return operations[0]!;
  };

  let left = plan.ops;
  const loop = async () => {
    while (left > 0) {
      left--;
      const [, name, fn] = choose();
      const t = performance.now();
      try {
        await fn();
      } catch (error) {
        const e = error as { kind?: string; message?: string };
        if (report.errorCount++ < 20) {
          report.errors.push(`${name}: ${e.kind ?? "?"}: ${e.message}`);
        }
      }
      const ms = performance.now() - t;
      latencies.push(ms);
      if (ms > report.worstMs) {
        report.worstMs = ms;
        report.worstOp = name;
      }
      report.ops++;
    }
  };
  await Promise.all(Array.from({ length: plan.loops }, loop));
  report.endedAt = Date.now();
  latencies.sort((a, b) => a - b);
  report.p50Ms = latencies[Math.floor(latencies.length * 0.5)] ?? 0;
  report.p99Ms = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  return report;
}

async function waitForGo(): Promise<void> {
  const buffer = new Uint8Array(16);
  await Deno.stdin.read(buffer);
}

if (import.meta.main) {
  const [url, planText] = Deno.args;
  const plan = JSON.parse(planText!) as StressPlan;
  // The default retry options: they must absorb busy on their own.
  await using storage = await openStorage(url!, { migrate: "check" });
  console.log("ready");
  await waitForGo();
  const report = await run(storage, plan);
  console.log(JSON.stringify(report));
}
