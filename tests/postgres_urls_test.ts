/**
 * Bad input in a PostgreSQL URL is a `validation` error naming the part, before anything is
 * sent (docs/guarantees.md "Validation before any write", URLs): a NUL in the user, database
 * or application_name, an application_name longer than PostgreSQL keeps, and the odd forms the
 * attack found (port 0, no `//`, several hosts, `poolSize=1e3`), through `openStorage`,
 * `openMigrator` and the CLI. A proxy in front of the server counts the connections: none.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openStorage, StorageError } from "../mod.ts";
import { openMigrator } from "../src/migrate/mod.ts";
import { runCli } from "./_cli.ts";
import { POSTGRES_URL, postgresMissing } from "./_postgres.ts";
import { StallProxy } from "./_stall_proxy.ts";

const ignore = postgresMissing !== undefined;

Deno.test({
  name:
    "[postgres] a NUL, an overlong name or an odd form in the URL is validation, and no connection is made (the attack's repro)",
  ignore,
  async fn() {
    const { hostname, port } = new URL(POSTGRES_URL);
    await using proxy = new StallProxy({
      hostname,
      port: Number(port || 5432),
    });
    const base = `127.0.0.1:${proxy.port}`;
    const urls: [string, string][] = [
      [`postgres://post%00gres@${base}/postgres`, "url"],
      [`postgres://postgres@${base}/post%00gres`, "url"],
      [
        `postgres://postgres@${base}/postgres?application_name=a%00b`,
        "url.application_name",
      ],
      [
        `postgres://postgres@${base}/postgres?application_name=${
          "x".repeat(10_000)
        }`,
        "url.application_name",
      ],
      [`postgres://postgres@${base.replace(/:\d+$/, ":0")}/postgres`, "url"],
      [`postgres:postgres`, "url"],
      [`postgres://postgres@${base},${base}/postgres`, "url"],
      [`postgres://postgres@${base}/postgres?poolSize=1e3`, "url.poolSize"],
    ];
    for (const [url, field] of urls) {
      const started = performance.now();
      for (
        const open of [
          () => openStorage(url, { migrate: "off" }),
          () => openMigrator(url),
        ]
      ) {
        const error = await open().then(
          (opened) => opened.close().then(() => null),
          (e: unknown) => e,
        );
        assert.ok(
          error instanceof StorageError && error.kind === "validation",
          `${url.slice(0, 80)}: ${error}`,
        );
        assert.equal(error.field, field, error.message);
        assert.ok(
          [...error.message].every((c) => c >= " "),
          `the message shows a control character: ${error.message}`,
        );
      }
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `${url.slice(0, 80)} took ${ms} ms`);
      const cli = await runCli(["migrate", "status", "--db", url]);
      assert.notEqual(cli.code, 0);
      assert.match(cli.stderr + cli.stdout, /validation|Invalid|Cannot open/);
      assert.ok(
        !(cli.stderr + cli.stdout).includes("\0"),
        "the CLI printed a NUL",
      );
    }
    assert.equal(proxy.accepted, 0, "no connection was attempted");
  },
});
