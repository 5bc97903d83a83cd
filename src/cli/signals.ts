/**
 * Ctrl-C (SIGINT) and SIGTERM as an `AbortSignal`, for a command that must clean up before it
 * exits (`migrate verify` removes its scratch copy).
 *
 * @module
 */

/** The signals a command stops on, and the exit codes a shell expects after them. */
const STOPS = { SIGINT: 130, SIGTERM: 143 } as const;

/** An `AbortSignal` that SIGINT or SIGTERM fires; stop listening on dispose. */
export interface Interruption extends Disposable {
  /** Fires on the first SIGINT or SIGTERM, its reason naming the signal. */
  readonly signal: AbortSignal;
  /** The exit code for the signal received (130 for SIGINT, 143 for SIGTERM), or 1. */
  readonly exitCode: number;
}

/**
 * Listens for SIGINT and SIGTERM until disposed. The first of them fires the signal; a repeat
 * while the command cleans up is ignored (SIGKILL still ends the process at once). Where the
 * platform cannot listen for a signal (SIGTERM on Windows), it is left to its default.
 *
 * @returns The interruption; dispose of it when the work is done.
 */
export function interruption(): Interruption {
  const controller = new AbortController();
  let exitCode = 1;
  const listeners: [Deno.Signal, () => void][] = [];
  for (const [name, code] of Object.entries(STOPS)) {
    const signal = name as Deno.Signal;
    const listener = () => {
      if (controller.signal.aborted) return;
      exitCode = code;
      controller.abort(new Error(`interrupted by ${signal}`));
    };
    try {
      Deno.addSignalListener(signal, listener);
      listeners.push([signal, listener]);
    } catch {
      // Not on this platform.
    }
  }
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
    [Symbol.dispose]() {
      for (const [signal, listener] of listeners) {
        Deno.removeSignalListener(signal, listener);
      }
    },
  };
}
