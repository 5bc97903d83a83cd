/**
 * Model steps on file areas and files: tags, names unique per area (ASCII case-insensitively),
 * uploads and downloads counted to users, counter overflow, edits and deletion.
 *
 * @module
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { FileArea, FileEntry, NewFile } from "../src/storage.ts";
import {
  areaDefaults,
  assertWithin,
  fileKey,
  nameKey,
  overflows,
  takeId,
} from "./_model.ts";
import {
  type Bad,
  DATES,
  fails,
  MAX,
  pick,
  rarely,
  ref,
  refusesBad,
  step,
  TAGS,
  timed,
} from "./_model_steps.ts";

/** createFileArea: its own tag namespace. */
export const createFileArea = step(
  "createFileArea",
  fc.record({
    tag: fc.constantFrom(...TAGS),
    name: fc.constantFrom("Uploads", "Ünï"),
  }),
  async (m, ops, s) => {
    if (
      [...m.fileAreas.values()].some((a) => nameKey(a.tag) === nameKey(s.tag))
    ) {
      return void await fails(ops.fileAreas.create(s), "conflict", "tag");
    }
    const [area, from, to] = await timed(() => ops.fileAreas.create(s));
    takeId(m, "fileAreas", area.id);
    assertWithin("createdAt", area.createdAt, from, to);
    const expected: FileArea = {
      id: area.id,
      ...s,
      createdAt: area.createdAt,
      ...areaDefaults(m.fileAreas.values()),
      storagePath: "",
      maxFileSize: null,
      uploadsAllowed: true,
    };
    assert.deepStrictEqual(area, expected);
    m.fileAreas.set(area.id, expected);
  },
);

const FILENAMES = [
  "DOOM.ZIP",
  "doom.zip",
  "Doom.Zip",
  "ÉTÉ.TXT",
  "été.txt",
  "100%_done.txt",
];
const HASHES = ["AB".repeat(32), "0123456789abcdef".repeat(4)];

/** addFile: names unique per area (ASCII case-insensitively), uploads counted, byte overflow. */
export const addFile = step(
  "addFile",
  fc.record({
    area: ref,
    filename: fc.constantFrom(...FILENAMES),
    uploader: fc.option(ref),
    size: fc.oneof({ weight: 5, arbitrary: fc.nat(10_000) }, fc.constant(MAX)),
    description: fc.option(
      fc.constantFrom("", "The shareware episode", "ünï\n"),
      { nil: undefined },
    ),
    sha256: fc.option(fc.constantFrom(...HASHES), { nil: undefined }),
    uploadedAt: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
    bad: rarely(fc.constantFrom<Bad>(
      ["filename", "a/b"],
      ["filename", ".."],
      ["size", -1],
      ["sha256", "xyz"],
      ["uploadedAt", new Date(NaN)],
    )),
  }),
  async (m, ops, s) => {
    const input: NewFile = {
      areaId: pick(m.fileAreas.keys(), [], s.area),
      filename: s.filename,
      size: s.size,
      uploaderId: s.uploader === null
        ? null
        : pick(m.users.keys(), m.gone.users, s.uploader),
      ...(s.description === undefined ? {} : { description: s.description }),
      ...(s.sha256 === undefined ? {} : { sha256: s.sha256 }),
      ...(s.uploadedAt === undefined ? {} : { uploadedAt: s.uploadedAt }),
    };
    const add = (i: NewFile) => ops.files.add(i);
    if (s.bad) return void await refusesBad(s.bad, input, add);
    const uploader = input.uploaderId === null
      ? undefined
      : m.users.get(input.uploaderId!);
    if (!m.fileAreas.has(input.areaId)) {
      return void await fails(add(input), "constraint", "areaId");
    }
    if (input.uploaderId !== null && !uploader) {
      return void await fails(add(input), "constraint", "uploaderId");
    }
    const key = fileKey(s.filename);
    if (
      [...m.files.values()].some((f) =>
        f.areaId === input.areaId && fileKey(f.filename) === key
      )
    ) {
      return void await fails(add(input), "conflict", "filename");
    }
    if (uploader && overflows(uploader, { uploads: 1, uploadBytes: s.size })) {
      return void await fails(add(input), "constraint");
    }
    const [file, from, to] = await timed(() => add(input));
    if (!s.uploadedAt) assertWithin("uploadedAt", file.uploadedAt, from, to);
    takeId(m, "files", file.id);
    const expected: FileEntry = {
      id: file.id,
      areaId: input.areaId,
      filename: s.filename,
      description: s.description ?? "",
      uploaderId: input.uploaderId ?? null,
      size: s.size,
      sha256: s.sha256?.toLowerCase() ?? null,
      downloads: 0,
      uploadedAt: s.uploadedAt ?? file.uploadedAt,
      diz: "",
      storagePath: "",
      offline: false,
      scanStatus: "clean",
    };
    assert.deepStrictEqual(file, expected);
    m.files.set(file.id, expected);
    if (uploader) {
      const { uploads, uploadBytes } = uploader.stats;
      m.users.set(uploader.id, {
        ...uploader,
        stats: {
          ...uploader.stats,
          uploads: uploads + 1,
          uploadBytes: uploadBytes + s.size,
        },
      });
    }
  },
);

/** recordDownload: the file's and the user's counters, or nothing on any failure. */
export const recordDownload = step(
  "recordDownload",
  fc.record({ file: ref, user: ref }),
  async (m, ops, s) => {
    const fileId = pick(m.files.keys(), m.gone.files, s.file);
    const userId = pick(m.users.keys(), m.gone.users, s.user);
    const file = m.files.get(fileId), user = m.users.get(userId);
    if (!file || !user) {
      return void await fails(
        ops.files.recordDownload(fileId, userId),
        "not_found",
      );
    }
    if (overflows(user, { downloads: 1, downloadBytes: file.size })) {
      return void await fails(
        ops.files.recordDownload(fileId, userId),
        "constraint",
      );
    }
    const expected = { ...file, downloads: file.downloads + 1 };
    assert.deepStrictEqual(
      await ops.files.recordDownload(fileId, userId),
      expected,
    );
    m.files.set(fileId, expected);
    const { downloads, downloadBytes } = user.stats;
    m.users.set(userId, {
      ...user,
      stats: {
        ...user.stats,
        downloads: downloads + 1,
        downloadBytes: downloadBytes + file.size,
      },
    });
  },
);

/** updateFile: renames clash within the area like new names do. */
export const updateFile = step(
  "updateFile",
  fc.record({
    file: ref,
    patch: fc.record({
      filename: fc.constantFrom(...FILENAMES),
      description: fc.constantFrom("", "v2"),
      sha256: fc.constantFrom(null, HASHES[0]!),
    }, { requiredKeys: [] }),
  }),
  async (m, ops, s) => {
    const id = pick(m.files.keys(), m.gone.files, s.file);
    const file = m.files.get(id);
    if (!file) {
      return void await fails(ops.files.update(id, s.patch), "not_found");
    }
    const name = s.patch.filename;
    if (
      name !== undefined &&
      [...m.files.values()].some((f) =>
        f.id !== id && f.areaId === file.areaId &&
        fileKey(f.filename) === fileKey(name)
      )
    ) {
      return void await fails(
        ops.files.update(id, s.patch),
        "conflict",
        "filename",
      );
    }
    const expected = {
      ...file,
      ...s.patch,
      sha256: s.patch.sha256 === undefined
        ? file.sha256
        : s.patch.sha256?.toLowerCase() ?? null,
    };
    assert.deepStrictEqual(await ops.files.update(id, s.patch), expected);
    m.files.set(id, expected);
  },
);

/** deleteFile: gone, and `not_found` the second time. */
export const deleteFile = step("deleteFile", ref, async (m, ops, r) => {
  const id = pick(m.files.keys(), m.gone.files, r);
  if (!m.files.has(id)) {
    return void await fails(ops.files.delete(id), "not_found");
  }
  await ops.files.delete(id);
  m.files.delete(id);
  m.gone.files.push(id);
});
