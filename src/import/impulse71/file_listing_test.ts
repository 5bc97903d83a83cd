import assert from "node:assert/strict";
import { Bytes, concat, listing, verbose } from "./_builders_test.ts";
import { decodeListing } from "./file_listing.ts";
import type { DecodeContext } from "./problems.ts";
import {
  attachLongDescriptions,
  decodeVerbose,
  settleSharedPointers,
} from "./verbose.ts";

function context(file = "DATA/AREA.DIR"): DecodeContext {
  return { file, timeZone: "UTC", problems: [] };
}

const USERS = new Map([[1, "SYSOP"], [2, "NEWGUY"]]);

Deno.test("decodeListing() reads files 1..N, newest first, skipping the header slot", () => {
  const c = context();
  const entries = decodeListing(
    listing([
      {
        fileName: "NEW.ZIP",
        description: "Newest",
        date: "01/15/02",
        owner: 2,
        uploader: "NEWGUY",
      },
      {
        fileName: "SC-SRAD.ANS",
        description: "Title: Rad   ",
        date: "12/31/99",
        owner: 2,
        uploader: "OLDGUY",
      },
    ]),
    c,
    USERS,
  );
  assert.deepEqual(entries.map((e) => [e.slot, e.fileName]), [[1, "NEW.ZIP"], [
    2,
    "SC-SRAD.ANS",
  ]]);
  const [newest, older] = entries;
  assert.equal(newest!.uploadedOn.date, "2002-01-15");
  assert.equal(newest!.uploader, 2);
  assert.equal(older!.uploadedOn.date, "1999-12-31");
  assert.equal(older!.description, "Title: Rad   ");
  assert.equal(older!.uploaderName, "OLDGUY");
  assert.equal(older!.uploaderNumber, 2);
  assert.equal(older!.uploader, null); // slot 2 now belongs to someone else
  assert.deepEqual(c.problems, []);
});

Deno.test("decodeListing() reads blocks unsigned, flags, and privfor only when private", () => {
  const c = context();
  const bytes = listing([
    { fileName: "NOVELL32.EXE", blocks: 36591, status: 0b011 },
    { fileName: "SECRET.TXT", privateFor: "NEWGUY" },
  ]);
  const [big, secret] = decodeListing(bytes, c, USERS);
  assert.equal(big!.blocks, 36591);
  assert.deepEqual(big!.flags, ["unvalidated", "requestOnly"]);
  assert.equal(big!.privateFor, null); // its privfor holds length 230 of garbage, never read
  assert.equal(secret!.privateFor, "NEWGUY");
  assert.deepEqual(c.problems, []);
});

Deno.test("decodeListing() trusts the smaller of the header count and the records", () => {
  const entries = [{ fileName: "A.ZIP" }, { fileName: "B.ZIP" }];
  const short = context();
  assert.equal(decodeListing(listing(entries, 1), short, USERS).length, 1);
  assert.equal(short.problems[0]?.kind, "count_mismatch");
  const long = context();
  assert.equal(decodeListing(listing(entries, 5), long, USERS).length, 2);
  assert.match(
    long.problems[0]!.reason,
    /counts 5 files but 2 records follow: read 2/,
  );
  assert.deepEqual(decodeListing(new Uint8Array(), context(), USERS), []);
});

Deno.test("decodeListing() reports a clamped description and a trailing partial record", () => {
  const c = context();
  const bad =
    new Bytes(146).str(0, 12, "LONG    .TXT").str(13, 60, "x".repeat(60), {
      length: 99,
    }).bytes;
  const bytes = concat(
    new Bytes(146).i16(79, 1).bytes,
    bad,
    new Uint8Array(10),
  );
  const [entry] = decodeListing(bytes, c, USERS);
  assert.equal(entry!.description, "x".repeat(60));
  assert.deepEqual(c.problems.map((p) => [p.kind, p.record]), [
    ["truncated_file", null],
    ["clamped_string", 1],
  ]);
});

Deno.test("decodeVerbose() stops at the first empty line and never reads the garbage after it", () => {
  const c = context("DATA/VERBOSE.DAT");
  const records = decodeVerbose(
    concat(
      verbose(["Artist: Enzo   ", "Date: |DT"], ["left over", "from before"]),
      verbose([]),
    ),
    c,
  );
  assert.deepEqual(records, ["Artist: Enzo\nDate: |DT", null]);
  assert.deepEqual(c.problems, []);
});

Deno.test("decodeVerbose() keeps a description that fills all 20 lines within its record", () => {
  const full = Array.from({ length: 20 }, (_, i) => `Line ${i + 1}`);
  const records = decodeVerbose(
    concat(verbose(full), verbose(["Next record"])),
    context("DATA/VERBOSE.DAT"),
  );
  assert.equal(records[0], full.join("\n"));
  assert.equal(records[1], "Next record");
});

Deno.test("attachLongDescriptions() reports pointers outside the file or at free records", () => {
  const c = context();
  const entries = decodeListing(
    listing([
      { fileName: "OK.ZIP", pointer: 1 },
      { fileName: "FREE.ZIP", pointer: 0 },
      { fileName: "PAST.ZIP", pointer: 16 },
      { fileName: "NEG.ZIP", pointer: -7 },
      { fileName: "NONE.ZIP", pointer: -1 },
    ]),
    c,
    USERS,
  );
  const records = decodeVerbose(
    concat(verbose([]), verbose(["Fine"])),
    context("V"),
  );
  attachLongDescriptions(entries, records, c);
  assert.deepEqual(entries.map((e) => e.longDescription), [
    "Fine",
    null,
    null,
    null,
    null,
  ]);
  assert.deepEqual(
    c.problems.map((p) => [p.kind, p.record]),
    [["bad_pointer", 2], ["bad_pointer", 3], ["bad_pointer", 4]],
  );
  assert.match(c.problems[0]!.reason, /is 0, but that record is free/);
  assert.match(c.problems[1]!.reason, /is 16, but VERBOSE.DAT holds 2 records/);
  const missing = context();
  attachLongDescriptions(entries.slice(0, 1), null, missing);
  assert.match(missing.problems[0]!.reason, /VERBOSE.DAT is missing/);
});

Deno.test("settleSharedPointers() gives a shared record to the latest upload", () => {
  const problems = context().problems;
  const records = decodeVerbose(verbose(["Artist: Enzo"]), context("V"));
  const old = decodeListing(
    listing([{ fileName: "OLD.ZIP", pointer: 0, date: "07/14/96" }]),
    context(),
    USERS,
  );
  const copy = decodeListing(
    listing([{ fileName: "NEW.ANS", pointer: 0, date: "05/15/98" }]),
    context(),
    USERS,
  );
  const twin = decodeListing(
    listing([{ fileName: "NEW.ANS", pointer: 0, date: "05/15/98" }]),
    context(),
    USERS,
  );
  for (const entries of [old, copy, twin]) {
    attachLongDescriptions(entries, records, context());
  }
  settleSharedPointers(
    [{ file: "DATA/MISC.DIR", entries: old }, {
      file: "DATA/SR.DIR",
      entries: copy,
    }, {
      file: "DATA/COPY.DIR",
      entries: twin,
    }],
    problems,
  );
  assert.deepEqual(
    [
      old[0]!.longDescription,
      copy[0]!.longDescription,
      twin[0]!.longDescription,
    ],
    [null, "Artist: Enzo", "Artist: Enzo"],
  );
  assert.deepEqual(problems.map((p) => [p.kind, p.file]), [
    ["shared_pointer", "DATA/MISC.DIR"],
    ["shared_pointer", "DATA/SR.DIR"],
    ["shared_pointer", "DATA/COPY.DIR"],
  ]);
  assert.match(
    problems[0]!.reason,
    /dropped here, as a later upload reused the record/,
  );
  assert.match(problems[1]!.reason, /: kept$/);
});
