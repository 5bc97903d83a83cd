/**
 * Assertions shared by the suites: the conformance suite's own (src/testing/_assert.ts).
 *
 * @module
 */
export { rejectsKind } from "../src/testing/_assert.ts";
