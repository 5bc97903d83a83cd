/**
 * Crashes during `deno task copy`: the command is killed with SIGKILL at random moments after it
 * reached the target, twice per fresh target (the second time with `--force` over what the first
 * left). A re-run then either completes or refuses clearly (the target holds rows: use
 * `--force`), and a forced re-run always completes with every table identical.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { copyDatabase } from "../src/copy/mod.ts";
import { postgresMissing } from "./_postgres.ts";
import { figures, reached, sized, testPath } from "./_stress.ts";
import { random } from "./_stress_worker.ts";
import { type Target, TARGETS } from "./_targets.ts";

/** Kills per target: fewer on PostgreSQL, where each copy takes seconds. */
const TRIALS: Record<string, number> = {
  "sqlite-file": sized(20, 100),
  postgres: sized(10, 60),
};
const CLI = testPath("../src/cli/mod.ts");
const CONFIG = JSON.parse(
  Deno.readTextFileSync(new URL("../deno.json", import.meta.url)),
);
/** The permissions of `deno task copy`. */
const COPY_PERMISSIONS: string[] = String(CONFIG.tasks.copy).split(/\s+/)
  .filter((arg) => arg.startsWith("--allow-"));

/** A board of a few thousand rows of every kind. */
async function seed(url: string): Promise<void> {
  await using s = await openStorage(url);
  await s.transaction(async (tx) => {
    const users: number[] = [];
    for (let i = 0; i < 150; i++) {
      users.push(
        (await tx.users.create({
          username: `caller${i}`,
          passwordHash: `h${i}`,
        }))
          .id,
      );
    }
    const areas = [];
    for (const tag of ["GENERAL", "FIDO", "MAIL"]) {
      areas.push((await tx.messageAreas.create({ tag, name: tag })).id);
    }
    const fileArea =
      (await tx.fileAreas.create({ tag: "UTILS", name: "Utils" }))
        .id;
    let parent: number | null = null;
    for (let i = 0; i < 1200; i++) {
      const m = await tx.messages.post({
        areaId: areas[i % 3]!,
        fromUserId: users[i % 150]!,
        subject: `topic ${i % 40}`,
        body: `line ${i}\n`.repeat(1 + (i % 5)),
        parentId: i % 4 === 0 ? null : parent,
      });
      if (i % 4 === 0) parent = m.id;
    }
    for (let i = 0; i < 300; i++) {
      await tx.files.add({
        areaId: fileArea,
        filename: `file${i}.zip`,
        uploaderId: users[i % 150]!,
        size: i * 100,
      });
    }
    for (let i = 0; i < 60; i++) {
      await tx.sessions.create({ userId: users[i]!, ipAddress: "192.0.2.4" });
      await tx.reading.markRead(users[i]!, areas[i % 3]!, i);
      await tx.users.recordLogin(users[i]!);
    }
  });
}

/** Runs `copy` and kills it `killAfterMs` after it reached the target. */
async function killedCopy(
  from: string,
  to: string,
  force: boolean,
  killAfterMs: number,
): Promise<"killed" | "finished" | "refused"> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...COPY_PERMISSIONS,
      CLI,
      "copy",
      "--from",
      from,
      "--to",
      to,
      "--batch",
      "100",
      ...(force ? ["--force", "--yes"] : []),
    ],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  await reached(to, child.status);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const early = await Promise.race([
    child.status,
    new Promise<undefined>((resolve) =>
      timer = setTimeout(() => resolve(undefined), killAfterMs)
    ),
  ]);
  clearTimeout(timer);
  if (early === undefined) {
    try {
      child.kill("SIGKILL");
    } catch {
      // It ended meanwhile.
    }
  }
  const status = await child.status;
  const [stdout, stderr] = await output;
  if (status.signal === "SIGKILL") return "killed";
  if (status.code === 0) {
    assert.match(stdout, /copy ok/);
    return "finished";
  }
  assert.ok(!force, `copy --force failed: ${stdout}${stderr}`);
  assertRefusal(stderr);
  return "refused";
}

function assertRefusal(message: string): void {
  assert.match(
    message,
    /Refusing to copy into .* as it already holds data: .* rows: pass --force to replace it/,
  );
}

/** The copy targets: PostgreSQL when it runs here, and a SQLite file. */
const COPY_TARGETS = TARGETS.filter((t) =>
  t.name === "postgres" || t.name === "sqlite-file"
);

for (const target of COPY_TARGETS) {
  Deno.test({
    name: `[sqlite-file → ${target.name}] deno task copy killed ${
      TRIALS[
        target.name
      ]
    } times at random moments: a re-run completes or refuses clearly, and --force completes`,
    ignore: target.ignore !== undefined ||
      (target.name === "postgres" && postgresMissing !== undefined),
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "impulse-crash-copy-" });
      try {
        const source = `sqlite:${dir}/source.db`;
        await seed(source);
        const spanMs = await copyMs(source, target);
        const rnd = random(target.name.length * 31);
        const seen: Record<string, number> = {};
        const trials = TRIALS[target.name]!;
        for (let trial = 0; trial < trials; trial += 2) {
          await using fresh = await target.fresh();
          for (const force of [false, true]) {
            const outcome = await killedCopy(
              source,
              fresh.url,
              force,
              rnd() * spanMs * 1.1,
            );
            const key = `${force ? "forced " : ""}${outcome}`;
            seen[key] = (seen[key] ?? 0) + 1;
          }
          // A plain re-run completes or refuses, saying what to do; a forced one completes.
          const plain = await copyDatabase(source, fresh.url).catch((e) => e);
          if (plain instanceof StorageError) {
            assert.equal(plain.kind, "conflict", plain.message);
            assertRefusal(plain.message);
          } else assert.ok(plain.ok, JSON.stringify(plain.tables));
          const rerun = plain instanceof StorageError
            ? "re-run refused"
            : "re-run completed";
          seen[rerun] = (seen[rerun] ?? 0) + 1;
          const forced = await copyDatabase(source, fresh.url, { force: true });
          assert.ok(forced.ok, JSON.stringify(forced.tables));
          assert.ok(forced.tables.every((t) => t.sourceRows === t.targetRows));
        }
        figures(`crash copy [sqlite-file → ${target.name}]`, {
          trials,
          copyMs: Math.round(spanMs),
          outcomes: seen,
        });
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

/** How long a forced copy onto a migrated target takes, in-process. */
async function copyMs(source: string, target: Target): Promise<number> {
  await using scratch = await target.fresh();
  assert.ok((await copyDatabase(source, scratch.url)).ok);
  const started = performance.now();
  const report = await copyDatabase(source, scratch.url, {
    batchSize: 100,
    force: true,
  });
  assert.ok(report.ok);
  return performance.now() - started;
}
