/**
 * Shrunk counterexamples of the model-based tests (`model_test.ts`), replayed on every target on
 * every run.
 *
 * When `model_test.ts` fails it prints an entry to paste here: the `seed`, the `path` of the
 * shrunk case and the commands' `replayPath`. Fix the bug first, then add the entry with a
 * `note` saying what it caught; `deno task test` replays it from then on. To replay one by hand,
 * run `deno task test` or `deno test -A tests/model_test.ts --filter "saved counterexamples"`.
 *
 * An entry replays the same commands only while the command arbitraries of `_model_steps.ts`,
 * `_model_content.ts` and `model_test.ts` keep their shape; when they change, re-run the seeds
 * and refresh or drop entries that no longer reach their case (the note says what to look for).
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
    note:
      "incrementUserStats takes uploads to 2^53-1, then addFile by that user must fail as " +
      "constraint and store nothing (the model first only checked uploadBytes)",
  },
];
