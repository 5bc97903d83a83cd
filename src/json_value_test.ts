import assert from "node:assert/strict";
import { jsonValue, MAX_JSON_BYTES } from "./json_value.ts";

Deno.test("a JSON value is read once: a getter that answers differently each time is stored as checked", () => {
  let reads = 0;
  const value = {
    get a() {
      return reads++ === 0 ? 1 : undefined;
    },
  };
  assert.deepEqual(jsonValue.parse(value), { a: 1 });
  assert.equal(reads, 1);
  // A getter that passes the check with a number and would be written as a function.
  let n = 0;
  const sneaky = {
    get b() {
      return n++ === 0 ? 2 : () => 0;
    },
  };
  assert.deepEqual(jsonValue.parse({ list: [sneaky] }), { list: [{ b: 2 }] });
});

Deno.test("reading once keeps what the check refuses: cycles, holes, class instances, huge arrays", () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.throws(() => jsonValue.parse(cycle));
  assert.throws(() => jsonValue.parse([1, , 3]));
  assert.throws(() => jsonValue.parse({ when: new Date(0) }));
  assert.throws(() => jsonValue.parse(new Array(MAX_JSON_BYTES).fill(1)));
});
