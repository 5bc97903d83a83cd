/**
 * Fixtures shared by the suites: the conformance suite's own (src/testing/_fixtures.ts).
 *
 * @module
 */
export { seedAreas } from "../src/testing/_fixtures.ts";
