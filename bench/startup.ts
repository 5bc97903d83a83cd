/**
 * Startup and footprint on SQLite, each in fresh processes: the time to import `mod.ts`, the
 * time of `openStorage` on an existing database whose schema is current (the first open of a
 * process, which loads the driver, and a later one), and the memory of a process holding one
 * idle open storage (resident, and the JavaScript heap in use), beside the resident memory of
 * the process before it imported anything.
 *
 * Run: deno run -A bench/startup.ts [runs]
 *
 * @module
 */
const CHILD = "--child";

if (Deno.args[0] === CHILD) {
  await child(Deno.args[1]!);
} else {
  await parent(Number(Deno.args[0] ?? 15));
}

/** One measurement: prints a JSON line. */
async function child(path: string): Promise<void> {
  const rss0 = Deno.memoryUsage().rss;
  const t0 = performance.now();
  const { openStorage } = await import("../mod.ts");
  const t1 = performance.now();
  const storage = await openStorage(`sqlite:${path}`);
  const t2 = performance.now();
  await storage.close();
  const t3 = performance.now();
  const again = await openStorage(`sqlite:${path}`);
  const t4 = performance.now();
  await again.users.get(1);
  // Let the collector settle before reading the footprint of the idle storage.
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 20));
  const { rss, heapUsed } = Deno.memoryUsage();
  await again.close();
  console.log(JSON.stringify({
    importMs: t1 - t0,
    firstOpenMs: t2 - t1,
    openMs: t4 - t3,
    startRssMiB: rss0 / 2 ** 20,
    rssMiB: rss / 2 ** 20,
    heapMiB: heapUsed / 2 ** 20,
  }));
}

async function parent(runs: number): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "impulse-startup-" });
  const path = `${dir}/board.db`;
  try {
    const { openStorage } = await import("../mod.ts");
    await (await openStorage(`sqlite:${path}`)).close();
    const results: Record<string, number>[] = [];
    for (let i = 0; i < runs; i++) {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL(import.meta.url).pathname, CHILD, path],
        stdout: "piped",
      }).output();
      results.push(JSON.parse(new TextDecoder().decode(output.stdout)));
    }
    console.log(`median of ${runs} processes:`);
    for (const key of Object.keys(results[0]!)) {
      const xs = results.map((r) => r[key]!).sort((a, b) => a - b);
      console.log(`  ${key.padEnd(12)} ${xs[xs.length >> 1]!.toFixed(1)}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
