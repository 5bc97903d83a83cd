/**
 * The FidoNet import's rate (`deno task bench:ftn`): a Squish base of 10,000 echomail messages
 * (`echomailMessages`, CP866, threads by MSGID/REPLY) written to a temporary directory, then
 * imported into a new SQLite file and, when `IMPULSE_BENCH_POSTGRES_URL` names an empty
 * PostgreSQL database, into it. Prints messages per second; the budget is 5,000 a second into
 * SQLite. `IMPULSE_BENCH_FTN_COUNT` changes the size, `IMPULSE_BENCH_FTN_BATCH` the batch.
 *
 * @module
 */
import { join } from "node:path";
import { openStorage } from "../mod.ts";
import { importMessageBase } from "../src/import/mod.ts";
import { echomailMessages } from "../src/import/ftn/_echomail_fixture.ts";
import { writeSquishBase } from "../src/import/ftn/_squish_writer.ts";

const COUNT = Number(Deno.env.get("IMPULSE_BENCH_FTN_COUNT") ?? 10_000);
const BATCH = Number(Deno.env.get("IMPULSE_BENCH_FTN_BATCH") ?? 500);
const POSTGRES = Deno.env.get("IMPULSE_BENCH_POSTGRES_URL");
const BUDGET = 5_000;

const dir = await Deno.makeTempDir({ prefix: "impulse_ftn_bench_" });
try {
  const path = join(dir, "ru.fido");
  await writeSquishBase(path, echomailMessages(COUNT, 16), null);
  const targets: [string, string][] = [[
    "sqlite (file)",
    `sqlite:${join(dir, "board.db")}`,
  ]];
  if (POSTGRES) targets.push(["postgresql", POSTGRES]);
  else {
    console.log(
      "postgresql: skipped (set IMPULSE_BENCH_POSTGRES_URL to an empty database)",
    );
  }
  for (const [name, url] of targets) {
    await using storage = await openStorage(url);
    const started = performance.now();
    const report = await importMessageBase(path, storage, {
      area: "RU.FIDO",
      charset: "CP866",
      batchSize: BATCH,
    });
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(report.counts.imported / seconds);
    const verdict = name.startsWith("sqlite")
      ? rate >= BUDGET
        ? ` (budget ${BUDGET}: met)`
        : ` (budget ${BUDGET}: MISSED)`
      : "";
    console.log(
      `${name}: ${report.counts.imported} messages in ${
        seconds.toFixed(2)
      } s, ${rate} messages/s${verdict}`,
    );
    const again = performance.now();
    const second = await importMessageBase(path, storage, { area: "RU.FIDO" });
    console.log(
      `${name}: the second run skipped ${second.counts.skipped} in ${
        ((performance.now() - again) / 1000).toFixed(2)
      } s`,
    );
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
