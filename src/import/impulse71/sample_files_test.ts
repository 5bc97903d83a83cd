import assert from "node:assert/strict";
import { problemsOf, sampleTest } from "./_sample_test.ts";

sampleTest(
  "readImpulse71() reads the sample's file areas: NEWDIR empty, SR with 13 files",
  ({ fileAreas }) => {
    assert.deepEqual(
      fileAreas.map((
        a,
      ) => [
        a.number,
        a.hidden,
        a.name,
        a.fileName,
        a.downloadPath,
        a.listingFile,
        a.entries.length,
      ]),
      [
        [0, true, "Unused", "NEWDIR", "C:DLOADS\\", "DATA/NEWDIR.DIR", 0],
        [1, false, "Unused", "SR", "C:\\SR\\ART\\", "DATA/SR.DIR", 13],
      ],
    );
    const sr = fileAreas[1]!.entries;
    assert.deepEqual(
      sr.map((
        e,
      ) => [e.fileName, e.blocks, e.uploadedOn.date, e.verbosePointer]),
      [
        ["SRART.ZIP", 276, "1998-07-28", -1],
        ["SC-SRAD.ANS", 35, "1998-07-27", -1],
        ["US-RAD.ANS", 343, "1998-07-27", 5],
        ["US-SUPER.ANS", 666, "1998-07-27", 4],
        ["E0-BAT.ANS", 49, "1998-07-27", -1],
        ["LS-SUPRD.ANS", 20, "1998-05-15", -1],
        ["KL-SRAD.ANS", 21, "1998-05-15", 3],
        ["US-HOR.ANS", 60, "1998-05-15", 2],
        ["K4-RAD.ANS", 13, "1998-05-15", -1],
        ["3L-SRAD.ANS", 9, "1998-05-15", -1],
        ["ENZO-SR1.ANS", 209, "1998-05-15", 1],
        ["KY-SR1.ANS", 43, "1998-05-15", -1],
        ["TR-SUPER.ASC", 32, "1998-05-15", -1],
      ],
    );
    assert.ok(
      sr.every((e) =>
        e.uploaderName === "SYSOP" && e.uploader === 1 && e.size === null
      ),
    );
    assert.ok(
      sr.every((e) =>
        e.flags.length === 0 && e.privateFor === null && e.downloads === 0
      ),
    );
    assert.equal(
      sr[3]!.description,
      "Title: Super Rad                          ",
    );
    assert.equal(
      sr[3]!.longDescription,
      "Artist: Enzo\nGroup: Zenith\nDate: 05/30/1998\nSauce: v00",
    );
    assert.equal(
      sr[6]!.longDescription,
      "Artist: knocturnal\nGroup: avenge\nDate: |DT\nSauce: v00",
    );
    assert.equal(
      sr[2]!.longDescription,
      "Artist: idler & sephiroth\nGroup:\nDate: 07/24/1998\nSauce: v00",
    );
    assert.equal(sr.filter((e) => e.longDescription !== null).length, 5);
  },
);

sampleTest(
  "readImpulse71() reads the sample's orphan listings MISC (45) and TEST (6)",
  ({ orphans, problems }) => {
    assert.deepEqual(
      orphans.listings.map((l) => [l.name, l.listingFile, l.entries.length]),
      [
        ["MISC", "DATA/MISC.DIR", 45],
        ["TEST", "DATA/TEST.DIR", 6],
      ],
    );
    const [misc, test] = orphans.listings;
    const novell = misc!.entries.find((e) => e.fileName === "NOVELL32.EXE");
    assert.equal(novell?.blocks, 36591);
    assert.ok(
      misc!.entries.every((e) =>
        e.uploaderName === "NIVENH" && e.uploader === null
      ),
    );
    assert.equal(
      misc!.entries[14]!.description,
      " ┌──────────────────────────────┐",
    );
    assert.equal(misc!.entries[0]!.uploadedOn.date, "1996-09-08");
    assert.ok(misc!.entries.every((e) => e.longDescription === null));
    assert.deepEqual(
      problemsOf(problems, "bad_pointer", "DATA/MISC.DIR").map((p) =>
        misc!.entries[p.record! - 1]!.verbosePointer
      ),
      [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6],
    );
    assert.equal(problemsOf(problems, "bad_pointer").length, 11);
    const multi = test!.entries.find((e) => e.fileName === "MULTI-07.ANS");
    assert.equal(multi?.verbosePointer, 0);
    assert.equal(
      multi?.longDescription,
      "Artist: Warpus/Corinthian\nGroup: Dark Illustrated\nDate: |DT\nSauce: v00",
    );
    // MISC's six resolving pointers land on records reused by the 1998 uploads.
    const shared = problemsOf(problems, "shared_pointer");
    assert.equal(shared.filter((p) => p.reason.endsWith("kept")).length, 6);
    assert.deepEqual(
      shared.filter((p) => p.reason.includes("dropped")).map((
        p,
      ) => [p.file, p.record]),
      [["DATA/MISC.DIR", 40], ["DATA/MISC.DIR", 41], ["DATA/MISC.DIR", 42], [
        "DATA/MISC.DIR",
        43,
      ], [
        "DATA/MISC.DIR",
        44,
      ], ["DATA/MISC.DIR", 45]],
    );
  },
);

sampleTest(
  "readImpulse71() finds every sample day number equal to its date",
  ({ fileAreas, orphans }) => {
    const entries = [...fileAreas, ...orphans.listings].flatMap((listing) =>
      listing.entries
    );
    assert.equal(entries.length, 64);
    for (const entry of entries) {
      const days = (Date.parse(entry.uploadedOn.date!) - Date.UTC(1985, 0, 1)) /
        86_400_000;
      assert.equal(entry.dayNumber, days, entry.fileName);
    }
  },
);

sampleTest(
  "readImpulse71() lists every sample problem, by kind",
  ({ problems }) => {
    const counts: Record<string, number> = {};
    for (const problem of problems) {
      counts[problem.kind] = (counts[problem.kind] ?? 0) + 1;
    }
    assert.deepEqual(counts, {
      scratch_record: 1,
      unparseable_date: 4,
      junk_index_entry: 12,
      deleted_message: 9,
      orphan_header: 11,
      ignored_file: 2,
      orphan_base: 1,
      bad_pointer: 11,
      orphan_listing: 2,
      shared_pointer: 12,
      missing_conference: 4,
      unmapped_scan: 5,
    });
  },
);
