/**
 * `deno task smoke:runtimes [node=PATH] [bun=PATH] [deno=PATH] [deno-<version>=PATH]`: bundles tests/runtimes/smoke.ts
 * into one JavaScript file (`deno bundle`: the npm packages inside, `node:` built-ins left to
 * the runtime) and runs it under each runtime given, each on a PostgreSQL database of its own
 * (created on the test server, `IMPULSE_TEST_POSTGRES_URL`, and dropped after). With no
 * argument: `node` and `bun` from PATH. Exits non-zero when a smoke fails; a runtime that is
 * not there fails too (CI skips the ones it could not install before calling this).
 *
 * @module
 */
import { join } from "node:path";
import { createDatabase, postgresMissing } from "../_postgres.ts";

const args = Deno.args.length > 0 ? Deno.args : ["node", "bun"];
const SOURCE = new URL("./smoke.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const runtimes = args.map((arg) => {
  const [name, path] = arg.includes("=") ? arg.split("=", 2) : [arg, arg];
  return { name: name!, path: path! };
});

const dir = await Deno.makeTempDir({ prefix: "impulse-smoke-" });
let failed = 0;
try {
  const bundle = join(dir, "smoke.mjs");
  const built = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "-o",
      bundle,
      new URL("./smoke.ts", import.meta.url).pathname,
    ],
  }).output();
  if (!built.success) {
    console.error(new TextDecoder().decode(built.stderr));
    throw new Error(
      "Cannot bundle tests/runtimes/smoke.ts: see deno bundle's output above",
    );
  }
  for (const { name, path } of runtimes) {
    const database = postgresMissing === undefined
      ? await createDatabase("impulse_smoke")
      : null;
    try {
      // A password in the URL (the test server trusts, and ignores it) makes its errors go
      // through the secret scrubber too.
      const url = database === null ? null : new URL(database.url);
      if (url !== null && url.password === "") url.password = "smoke-secret";
      const env: Record<string, string> = url === null
        ? {}
        : { IMPULSE_SMOKE_POSTGRES_URL: url.href };
      // Old Deno trusts only its own CA list unless told (a proxy's CA is the system's).
      env.DENO_TLS_CA_STORE = "system,mozilla";
      // An older Deno (named deno-<version>) runs the source as a Deno application would
      // import the package: npm packages from the lock file, no type check (it needs the
      // current Deno); a bundle would miss the globals (Buffer) Deno gives npm packages only.
      const args = name === "deno"
        ? ["run", "-A", bundle]
        : name.startsWith("deno-")
        ? ["run", "-A", "--frozen", "--no-check", "--config", CONFIG, SOURCE]
        : [bundle];
      const status = await new Deno.Command(path, { args, env, cwd: dir })
        .spawn().status;
      if (!status.success) {
        failed++;
        console.error(`smoke:runtimes: ${name} (${path}) failed`);
      }
    } catch (error) {
      failed++;
      console.error(`smoke:runtimes: cannot run ${name} (${path}): ${error}`);
    } finally {
      await database?.[Symbol.asyncDispose]();
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
if (postgresMissing !== undefined) {
  console.error(`smoke:runtimes: PostgreSQL not tried: ${postgresMissing}`);
}
Deno.exit(failed === 0 ? 0 : 1);
