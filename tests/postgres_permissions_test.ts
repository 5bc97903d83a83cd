/**
 * Deno's permissions for PostgreSQL, from the README's promise "a missing permission is an error
 * naming the flag to add": without `--allow-net` for the server, `openStorage` fails as a
 * `StorageError` the application catches (postgres.js's socket threw `NotCapable` outside any
 * promise, ending the process); a URL without a user, where no variable names one and the
 * system's user name may not be read, says so instead of logging in as nobody.
 *
 * @module
 */
import assert from "node:assert/strict";
import { POSTGRES_URL, postgresMissing } from "./_postgres.ts";

const MOD = new URL("../mod.ts", import.meta.url).href;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

/** Opens `url` in a process with `flags` and prints what `openStorage` did, caught. */
async function openIn(
  url: string,
  flags: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = `
    import { openStorage } from ${JSON.stringify(MOD)};
    try {
      const storage = await openStorage(${
    JSON.stringify(url)
  }, { migrate: "off" });
      await storage.close();
      console.log("opened");
    } catch (error) {
      console.log(JSON.stringify({ kind: error.kind, message: error.message }));
    }`;
  // A file, not deno eval: eval runs with every permission.
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(file, program);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--config", CONFIG, ...flags, file],
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", NO_COLOR: "1", ...env },
    stdin: "null",
  }).output().finally(() => Deno.remove(file));
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: output.code,
    stdout: decode(output.stdout),
    stderr: decode(output.stderr),
  };
}

Deno.test({
  name:
    "PostgreSQL without --allow-net for its server: openStorage fails as unavailable naming --allow-net=host:port, and the process goes on",
  ignore: postgresMissing !== undefined,
  async fn() {
    const server = new URL(POSTGRES_URL);
    const address = `${server.hostname}:${server.port || 5432}`;
    for (
      const flags of [
        ["--allow-read=/", "--allow-env"],
        ["--allow-read=/", "--allow-env", "--allow-net=example.invalid:5432"],
      ]
    ) {
      const run = await openIn(POSTGRES_URL, flags);
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.equal(result.kind, "unavailable", run.stdout);
      assert.match(
        result.message,
        new RegExp(
          `permission is missing: run with --allow-net=${
            address.replace(".", "\\.")
          }`,
        ),
      );
    }
    const granted = await openIn(POSTGRES_URL, [
      "--allow-read",
      "--allow-env",
      `--allow-net=${address}`,
      "--allow-sys",
    ]);
    assert.equal(granted.stdout.trim(), "opened", granted.stderr);
  },
});

Deno.test({
  name:
    "PostgreSQL URL without a user, no user variable and no --allow-sys: unavailable naming the ways to give one",
  ignore: postgresMissing !== undefined,
  async fn() {
    const server = new URL(POSTGRES_URL);
    const noUser = new URL(POSTGRES_URL);
    noUser.username = "";
    noUser.password = "";
    const flags = [
      "--allow-read",
      "--allow-env",
      `--allow-net=${server.host || "localhost:5432"}`,
    ];
    const run = await openIn(noUser.href, flags);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.kind, "unavailable", run.stdout);
    assert.match(
      result.message,
      /the URL names no user and none can be found here: put the user in the URL .*set PGUSER, or run with --allow-sys=userInfo,uid,gid/,
    );
    // PGUSER names one: the login goes ahead.
    const named = await openIn(noUser.href, flags, {
      PGUSER: decodeURIComponent(server.username || "postgres"),
    });
    assert.equal(named.stdout.trim(), "opened", named.stdout + named.stderr);
  },
});
