/**
 * A child process of the security test, run with only the permissions the README documents:
 * opens the storage at a URL, runs every operation once and a transaction, then prints `ok`.
 *
 * Usage: deno run <the documented flags> tests/_least_privilege.ts <url>
 *
 * @module
 */
import { openStorage } from "../mod.ts";
import { everyOperation } from "./_scenario.ts";

await using storage = await openStorage(Deno.args[0]!);
await everyOperation(storage);
await storage.transaction(async (tx) => {
  const user = await tx.users.create({ username: "least", passwordHash: "h" });
  await tx.users.recordLogin(user.id);
});
console.log("ok");
