/**
 * The exported conformance suite (`@impulse/storage/testing`, src/testing) on every built-in
 * target, as a driver author runs it on theirs. A target that cannot run here (no PostgreSQL; no
 * libsqlite3 outside CI) reports its tests as ignored.
 *
 * @module
 */
import { conformance } from "../src/testing/mod.ts";
import { TARGETS } from "./_targets.ts";

for (const target of TARGETS) {
  conformance({
    name: target.name,
    open: () => target.fresh(),
    capabilities: target.capabilities,
    ignore: target.ignore !== undefined,
  });
}
