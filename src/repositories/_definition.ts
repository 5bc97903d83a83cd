/**
 * What a repository is made of: a definition, naming for each method the operation behind it
 * (a function taking where it runs first), and the binding of a definition to an executor.
 *
 * @module
 */
import type { Executor } from "../driver.ts";

/**
 * The operations behind a repository `R`: for each method of `R`, a function taking the
 * executor and then the method's own arguments. The compiler holds each operation to its
 * method's arguments and result.
 */
export type Definition<R> = {
  readonly [K in keyof R]: R[K] extends (...args: infer A) => infer T
    ? (x: Executor, ...args: A) => T
    : never;
};

/**
 * Runs an operation under its name: the storage's telemetry (src/telemetry.ts), when the query log
 * or tracing is on.
 */
export type Around = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/**
 * A repository bound to an executor: each method is its operation bound to `x` (a bound
 * function, not a method: it needs no receiver, so it works taken off the repository).
 *
 * @param definition The repository's operations.
 * @param x Where the statements run.
 * @param around With the telemetry on, what each call runs through, under the operation's name
 * (`users.get`: `name` is the repository's); without it, the methods are the bare operations.
 * @returns The repository, frozen.
 */
export function bindDefinition<R>(
  definition: Definition<R>,
  x: Executor,
  around?: { name: string; run: Around },
): R {
  const repository: Record<string, unknown> = {};
  for (const [method, run] of Object.entries(definition)) {
    const bound = (run as (...args: unknown[]) => Promise<unknown>).bind(
      undefined,
      x,
    );
    if (around === undefined) {
      repository[method] = bound;
      continue;
    }
    const operation = `${around.name}.${method}`;
    const wrap = around.run;
    repository[method] = (...args: unknown[]) =>
      wrap(operation, () => bound(...args));
  }
  return Object.freeze(repository) as R;
}
