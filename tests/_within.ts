/**
 * A bound on how long a call of the property and hostile-input tests may take, so that a hang
 * fails the test naming the call instead of stalling the run.
 *
 * @module
 */

/**
 * Runs `work`, failing if it takes longer than `ms`. The timer is cleared either way (Deno's
 * sanitizers see no leftover).
 *
 * @param work The call.
 * @param what The call, for the message.
 * @param ms The bound.
 * @returns What `work` resolved to.
 */
export async function within<T>(
  work: () => Promise<T>,
  what: string,
  ms: number,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} hung for ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
