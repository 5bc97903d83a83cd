/**
 * Methods that work detached from their object, as callers of postgres.js and Kysely expect:
 * `const { transaction } = storage`, `const { status } = migrator`, or a method passed as a callback,
 * works like the original. (Repositories need none of this: their methods are bound functions.)
 *
 * @module
 */

/**
 * Makes each named method of `target` an own, non-enumerable property bound to it. Done once
 * per object, so a call costs what it did.
 *
 * @param target The object.
 * @param names The methods' names (strings or symbols), found on its prototype chain.
 */
export function bindMethods(
  target: object,
  names: readonly (string | symbol)[],
): void {
  const methods = target as Record<
    string | symbol,
    (...a: unknown[]) => unknown
  >;
  for (const name of names) {
    const method = methods[name]!;
    Object.defineProperty(target, name, {
      // A disposer is a closure, not a bound function: `await using` on the V8 of Node 24 and
      // of Deno before 2.6 refuses a bound `Symbol.asyncDispose` as "not a function".
      value: typeof name === "symbol"
        ? (...args: unknown[]) => method.apply(target, args)
        : method.bind(target),
      writable: true,
      configurable: true,
    });
  }
}

/**
 * The methods a class's instances have: the names of its prototype's functions (getters and
 * the constructor left out), and the symbols given.
 *
 * @param prototype The prototype.
 * @param more Further names, such as `Symbol.asyncDispose`.
 * @returns The names.
 */
export function methodNames(
  prototype: object,
  more: readonly (string | symbol)[] = [],
): (string | symbol)[] {
  const own = Object.getOwnPropertyNames(prototype).filter((name) =>
    name !== "constructor" &&
    typeof Object.getOwnPropertyDescriptor(prototype, name)?.value ===
      "function"
  );
  return [...own, ...more];
}
