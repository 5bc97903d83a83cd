/**
 * A child process of the crash tests, killed with SIGKILL at a random moment. It runs
 * transactions from a few concurrent loops until killed; each transaction creates a user, posts
 * a message from them, adds a file they upload and counts an upload to a shared user. After
 * each commit resolves it writes the transaction's id to standard output, so the parent knows
 * exactly which transactions were acknowledged when the process died.
 *
 * Usage: deno run -A tests/_crash_worker.ts <url> <first id> <hot user id>
 *
 * Prints `ready` once open, then one id per line.
 *
 * @module
 */
import { openStorage } from "../mod.ts";

const [url, firstText, hotText] = Deno.args;
let next = Number(firstText);
const hotUserId = Number(hotText);
const encoder = new TextEncoder();

/** Writes a whole line to stdout before returning: nothing sits in a buffer when killed. */
function say(line: string): void {
  const bytes = encoder.encode(`${line}\n`);
  let written = 0;
  while (written < bytes.length) {
    written += Deno.stdout.writeSync(bytes.subarray(written));
  }
}

const storage = await openStorage(url!, { migrate: "check" });
say("ready");

async function loop(): Promise<never> {
  for (;;) {
    const id = next++;
    await storage.transaction(async (tx) => {
      const user = await tx.users.create({
        username: `c${id}`,
        passwordHash: "h",
      });
      await tx.messages.post({
        areaId: 1,
        fromUserId: user.id,
        subject: `tx ${id}`,
        body: "x".repeat(id % 500),
      });
      await tx.files.add({
        areaId: 1,
        filename: `f${id}.zip`,
        uploaderId: user.id,
        size: id,
      });
      await tx.users.incrementStats(hotUserId, { uploads: 1 });
    });
    say(String(id));
  }
}

await Promise.all([loop(), loop(), loop()]);
