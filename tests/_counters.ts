/**
 * Checks shared by the transaction suites: the conformance suite's own
 * (src/testing/_counters.ts).
 *
 * @module
 */
export { assertCountersAgree, kindOf } from "../src/testing/_counters.ts";
