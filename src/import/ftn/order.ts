/**
 * The order messages of a base are posted in: the base's order, except that a reply linked only
 * by the base's own reply link (no REPLY kludge) comes after the parent it names, so that it can
 * be posted with that parent's id. (A reply by REPLY needs no such care: `messages.post` adopts a
 * reply that came before its parent.)
 *
 * @module
 */

/** What ordering needs of a message. */
export interface Orderable {
  number: number;
  replyTo: number;
  ftnReply: string | null;
}

/**
 * Orders messages for posting: by number, each reply linked by `replyTo` alone after its parent
 * (a chain of such links followed; a cycle of links is broken where it closes).
 *
 * @param messages The live messages, in base order.
 * @returns The same messages, parents before their `replyTo` replies.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { postingOrder } from "./order.ts";
 *
 * const order = postingOrder([
 *   { number: 1, replyTo: 3, ftnReply: null },
 *   { number: 2, replyTo: 0, ftnReply: null },
 *   { number: 3, replyTo: 0, ftnReply: null },
 * ]);
 * assert.deepEqual(order.map((m) => m.number), [3, 1, 2]);
 * ```
 */
export function postingOrder<T extends Orderable>(messages: readonly T[]): T[] {
  const byNumber = new Map(messages.map((m) => [m.number, m]));
  const placed = new Set<number>();
  const out: T[] = [];
  for (const first of messages) {
    // The chain of parents not yet placed, nearest first; a number seen twice closes a cycle.
    const chain: T[] = [];
    const inChain = new Set<number>();
    let m: T | undefined = first;
    while (m !== undefined && !placed.has(m.number) && !inChain.has(m.number)) {
      chain.push(m);
      inChain.add(m.number);
      m = m.ftnReply === null && m.replyTo !== 0
        ? byNumber.get(m.replyTo)
        : undefined;
    }
    for (const x of chain.reverse()) {
      placed.add(x.number);
      out.push(x);
    }
  }
  return out;
}
