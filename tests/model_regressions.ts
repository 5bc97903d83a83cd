/**
 * Shrunk counterexamples of the model-based tests (`model_test.ts`), replayed on every target on
 * every run.
 *
 * When `model_test.ts` fails it prints the counterexample and an entry to paste here: the
 * `seed`, the `path` of the shrunk case, the commands' `replayPath`, the run's `maxCommands` and
 * the `script` of steps it ran. Fix the bug first, then paste the entry with a `note` saying what
 * it caught (format the script one step a line, as below); `deno task test` replays it from then
 * on. To replay by hand: `deno test -A tests/model_test.ts --filter "saved counterexamples"`.
 * To find a case again, run with its seed: `IMPULSE_MODEL_SEED=3 deno test -A
 * tests/model_test.ts --filter "[sqlite-memory]"`.
 *
 * fast-check regenerates the case from seed and path, so an entry holds only while the command
 * arbitraries (`_model_*.ts`, `COMMANDS` and `PRELUDE` in `model_test.ts`) keep their shape. The
 * replay checks that it ran exactly the saved script and fails as stale otherwise: then find the
 * case again (the note says what to look for) and refresh the entry.
 *
 * @module
 */

/** A counterexample fast-check found, shrunk. */
export interface ModelRegression {
  /** The run's seed. */
  seed: number;
  /** The path of the shrunk counterexample. */
  path: string;
  /** The `replayPath` of the commands (fast-check prints it after them). */
  replayPath: string;
  /** The longest sequence of the run that found it (`MAX_COMMANDS` then). */
  maxCommands: number;
  /** Whether the run drew trims too (every run since issue 13; older entries replay without). */
  trims?: boolean;
  /** The steps, one a line: the replay must run exactly these. */
  script: string;
  /** What the case caught, and the fix. */
  note: string;
}

/** Every counterexample found so far. */
export const MODEL_REGRESSIONS: readonly ModelRegression[] = [
  {
    seed: 3,
    path:
      "3:1:1:1:1:1:1:1:1:1:1:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:3:2:3:4:1:2:1:3:3:4:3:3",
    replayPath: "SF3:F",
    maxCommands: 32,
    script: [
      'createUser({"username":"sysop","fields":{}})',
      'createUser({"username":"sysop","fields":{}})',
      'createUser({"username":"sysop","fields":{}})',
      'createMessageArea({"tag":"GENERAL","name":"General chat","kind":"local","echoTag":null})',
      'createMessageArea({"tag":"GENERAL","name":"General chat","kind":"local","echoTag":null})',
      'createFileArea({"tag":"GENERAL","name":"Uploads"})',
      'createSession({"user":0,"ipAddress":"127.0.0.1","node":null,"activity":null,"ttlSeconds":null})',
      'postMessage({"area":0,"from":"user","fromUser":0,"to":"none","toUser":0,"parent":null,"subject":"","body":"","ftnMsgid":null,"ftnReply":null,"kludges":[]})',
      'postMessage({"area":0,"from":"user","fromUser":0,"to":"none","toUser":0,"parent":null,"subject":"","body":"","ftnMsgid":null,"ftnReply":null,"kludges":[]})',
      'incrementUserStats({"user":0,"delta":{"uploads":9007199254740991}})',
      'addFile({"area":0,"filename":"DOOM.ZIP","uploader":0,"size":0})',
    ].join("\n"),
    note:
      "incrementUserStats takes uploads to 2^53-1, then addFile by that user must fail as " +
      "constraint and store nothing (the model first only checked uploadBytes)",
  },
  {
    seed: 1558430368,
    path:
      "121:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:1:1:1:1:1:1:1:1:11:16:14:11:11:9:9:9:9:9:9:9:9:11:10:10:10:10:10:10:10:10:10:10:11:12:10:10:10:11:13:13",
    replayPath: "SQ//2:d",
    maxCommands: 48,
    trims: true,
    script: [
      'createUser({"username":"sysop","fields":{}})',
      'createUser({"username":"sysop","fields":{}})',
      'createUser({"username":"sysop","fields":{},"bad":["username",""]})',
      'createMessageArea({"tag":"GENERAL","name":"General chat","kind":"local","echoTag":null,"bad":["tag","two words"]})',
      'createMessageArea({"tag":"GENERAL","name":"General chat","kind":"local","echoTag":null})',
      'createFileArea({"tag":"GENERAL","name":"Uploads"})',
      'createSession({"user":0,"ipAddress":"127.0.0.1","node":null,"activity":null,"ttlSeconds":null})',
      'postMessage({"area":0,"from":"user","fromUser":0,"to":"none","toUser":0,"parent":null,"subject":"","body":"","ftnMsgid":null,"ftnReply":null,"kludges":[]})',
      'postMessage({"area":0,"from":"name","fromUser":0,"to":"none","toUser":0,"parent":null,"subject":"","body":"","ftnMsgid":null,"ftnReply":null,"kludges":[]})',
      'postMessage({"area":0,"from":"user","fromUser":0,"to":"none","toUser":0,"parent":null,"subject":"","body":"","ftnMsgid":null,"ftnReply":null,"kludges":[]})',
      "deleteMessage(20)",
      'postMessage({"area":0,"from":"user","fromUser":0,"to":"none","toUser":0,"parent":null,"subject":"","body":"","ftnMsgid":null,"ftnReply":null,"kludges":[]})',
      "deleteMessage(40)",
      'trimMessages({"area":0,"keep":1})',
    ].join("\n"),
    note:
      "a trim takes every number below the keep-th newest message, numbers an earlier delete " +
      "freed too: a pointer in such a gap moves past it (the model moved only pointers below " +
      "the highest message that went; the package was right)",
  },
];
