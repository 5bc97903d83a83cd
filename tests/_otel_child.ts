/**
 * A child of tests/telemetry_test.ts, run with Deno's built-in OpenTelemetry on (`OTEL_DENO=true`):
 * opens a SQLite storage at the URL given and runs one operation of each kind of span.
 */
import { openStorage } from "../mod.ts";

const storage = await openStorage(Deno.args[0]!);
const user = await storage.users.create({
  username: "sysop",
  passwordHash: "x",
});
await storage.users.get(user.id);
await storage.close();
