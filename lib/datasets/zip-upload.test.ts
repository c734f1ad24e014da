// Zip upload: hostile archives (zip-slip, symlinks, bombs, oversize) are refused before anything is written
// outside the upload's temporary folder, and that folder is always removed; a good archive imports.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { db, disconnectDb } from "@/lib/db/client";
import { buildZip, type ZipEntrySpec } from "@/lib/testing/zip-writer";
import { writeDicom } from "@/lib/testing/dicom-writer";
import { createStaffUser } from "@/lib/users/users";
import { createDatasetRows } from "./persist-dataset";
import {
  classifyEntry,
  defaultZipLimits,
  extractZip,
  importZipDataset,
  previewZipLabelTables,
  uploadLimitBytes,
  wrappingFolder,
  type ZipLimits,
} from "./zip-upload";
import { isDomainError, type DomainError } from "@/lib/errors/domain-error";
import { noisePng } from "../testing/noise-png";

const isZipRefusal = (e: unknown): e is DomainError => isDomainError(e) && e.code === "zip-refused";

let outer: string;
let storage: string;
const previousStorage = process.env.FOCUS_STORAGE_DIR;

before(async () => {
  // A private storage folder inside a private parent: "outside storage" is then a folder we can list.
  outer = await mkdtemp(join(tmpdir(), "focus-zip-test-"));
  storage = join(outer, "storage");
  process.env.FOCUS_STORAGE_DIR = storage;
});

after(async () => {
  process.env.FOCUS_STORAGE_DIR = previousStorage;
  await rm(outer, { recursive: true, force: true });
  await disconnectDb();
});

async function classEntries(prefix = ""): Promise<ZipEntrySpec[]> {
  const out: ZipEntrySpec[] = [];
  for (let i = 0; i < 4; i++) {
    out.push({ name: `${prefix}benign/b${i}.png`, data: await noisePng(100 + i, 48) });
    out.push({ name: `${prefix}malignant/m${i}.png`, data: await noisePng(200 + i, 48), method: "deflate" });
  }
  return out;
}

const bodyOf = (zip: Buffer) => Readable.from([zip]);
const uniqueName = (p: string) => `${p}-${randomBytes(4).toString("hex")}`;

/** Every path under `dir`, relative, sorted (missing dir = empty). */
async function tree(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const rel = `${prefix}${e.name}`;
    out.push(rel);
    if (e.isDirectory()) out.push(...(await tree(join(dir, e.name), `${rel}/`)));
  }
  return out.sort();
}

async function assertRefusedLeavingNothing(zip: Buffer, message: RegExp, limits?: ZipLimits) {
  const name = uniqueName("refused");
  const outerBefore = await tree(outer);
  await assert.rejects(
    importZipDataset(bodyOf(zip), { name, positive: "malignant", size: 32 }, limits),
    (e: unknown) => isZipRefusal(e) && message.test(e.message),
  );
  // Only the (now empty) tmp folder may have appeared; no upload folder, no extracted file anywhere.
  const added = (await tree(outer)).filter((p) => !outerBefore.includes(p));
  assert.deepEqual(
    added.filter((p) => p !== "storage" && p !== "storage/tmp"),
    [],
  );
  assert.equal(await db().dataset.count({ where: { name } }), 0);
}

describe("classifyEntry (the safety rules)", () => {
  const info = {
    externalFileAttributes: (0o100644 << 16) >>> 0,
    compressedSize: 1000,
    uncompressedSize: 1000,
    encrypted: false,
  };
  const limits = { maxCompressionRatio: 100 };
  test("relative image paths are accepted and normalised", () => {
    assert.deepEqual(classifyEntry("set/./benign/a.PNG", info, limits), {
      kind: "image",
      path: "set/benign/a.PNG",
      size: 1000,
    });
    assert.deepEqual(classifyEntry("set/benign/", info, limits), { kind: "directory", path: "set/benign" });
  });
  test("traversal, absolute and drive paths are refused, with either separator", () => {
    for (const bad of [
      "../evil.png",
      "a/../../evil.png",
      "a\\..\\..\\evil.png",
      "/etc/evil.png",
      "C:/evil.png",
      "c:\\evil.png",
      "\\\\server\\evil.png",
    ]) {
      assert.throws(() => classifyEntry(bad, info, limits), isZipRefusal, bad);
    }
  });
  test("symlinks, encrypted entries and high-ratio entries are refused", () => {
    assert.throws(
      () => classifyEntry("a/link.png", { ...info, externalFileAttributes: (0o120777 << 16) >>> 0 }, limits),
      /symbolic link/,
    );
    assert.throws(() => classifyEntry("a/x.png", { ...info, encrypted: true }, limits), /encrypted/);
    assert.throws(
      () => classifyEntry("a/x.png", { ...info, compressedSize: 10_000, uncompressedSize: 1_000_001 }, limits),
      /zip bomb/,
    );
    // The same ratio on a tiny entry is harmless and allowed.
    assert.equal(
      classifyEntry("a/x.png", { ...info, compressedSize: 10, uncompressedSize: 60_000 }, limits).kind,
      "image",
    );
  });
  test("non-images are reported, archive clutter is ignored silently", () => {
    assert.equal(classifyEntry("a/notes.txt", info, limits).kind, "skip");
    assert.equal(classifyEntry("__MACOSX/a/._x.png", info, limits).kind, "ignore");
    assert.equal(classifyEntry("a/.DS_Store", info, limits).kind, "ignore");
  });
  test("the upload limit comes from FOCUS_MAX_UPLOAD_MB (default 500 MB) and rejects nonsense", () => {
    assert.equal(uploadLimitBytes({}), 500 * 1024 * 1024);
    assert.equal(uploadLimitBytes({ FOCUS_MAX_UPLOAD_MB: "2" }), 2 * 1024 * 1024);
    assert.throws(() => uploadLimitBytes({ FOCUS_MAX_UPLOAD_MB: "lots" }), /FOCUS_MAX_UPLOAD_MB/);
  });
});

describe("importZipDataset", () => {
  test("a zip-slip entry is refused and nothing is written outside storage (or inside it)", async () => {
    const zip = buildZip([...(await classEntries()), { name: "../../evil.png", data: await noisePng(999, 48) }]);
    await assertRefusedLeavingNothing(zip, /path traversal/);
    await assert.rejects(stat(join(outer, "evil.png")));
    await assert.rejects(stat(join(storage, "evil.png")));
  });

  test("a symlink entry is refused", async () => {
    const zip = buildZip([
      ...(await classEntries()),
      { name: "benign/link.png", data: Buffer.from("/etc/passwd"), unixMode: 0o120777 },
    ]);
    await assertRefusedLeavingNothing(zip, /symbolic link/);
  });

  test("a bomb-like entry (20 MB of zeros deflated to ~20 kB) is refused before extraction", async () => {
    const zip = buildZip([
      ...(await classEntries()),
      { name: "benign/zeros.png", data: new Uint8Array(20 * 1024 * 1024), method: "deflate" },
    ]);
    assert.ok(zip.length < 100_000, `archive is ${zip.length} bytes`);
    await assertRefusedLeavingNothing(zip, /zip bomb/);
  });

  test("too many entries, too much uncompressed data and too large an upload are refused", async () => {
    const zip = buildZip(await classEntries());
    const base = defaultZipLimits({});
    await assertRefusedLeavingNothing(zip, /8 entries \(limit 5\)/, { ...base, maxEntries: 5 });
    await assertRefusedLeavingNothing(zip, /expand to more than/, { ...base, maxTotalUncompressedBytes: 1000 });
    await assert.rejects(
      importZipDataset(
        bodyOf(zip),
        { name: uniqueName("big"), positive: "malignant" },
        { ...base, maxUploadBytes: 1000 },
      ),
      (e: unknown) => isDomainError(e, "too-large") && /larger than the limit/.test(e.message),
    );
    await assertRefusedLeavingNothing(Buffer.from("this is not a zip"), /not a readable zip/);
  });

  test("extraction enforces the real byte count even when the central directory lies", async () => {
    // Declared uncompressed size 100 bytes, real content 200 kB: yauzl's size validation stops the stream.
    const zip = buildZip([{ name: "benign/liar.png", data: new Uint8Array(200_000).fill(7), method: "deflate" }]);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(100, central + 24);
    zip.writeUInt32LE(100, 22); // local header too
    const dest = join(storage, "tmp", "liar");
    await assert.rejects(extractZip(await writeTemp(zip), dest), isZipRefusal);
    await rm(dest, { recursive: true, force: true });
  });

  test("a good zip (wrapped in a folder, with a stray text file and Mac clutter) imports and reports the skip", async () => {
    const name = uniqueName("zip-good");
    const zip = buildZip([
      { name: "set/" },
      ...(await classEntries("set/")),
      { name: "set/benign/notes.txt", data: Buffer.from("not an image") },
      { name: "__MACOSX/set/benign/._b0.png", data: Buffer.from("resource fork") },
    ]);
    const before = await tree(join(storage, "tmp"));
    const result = await importZipDataset(bodyOf(zip), {
      name,
      positive: "malignant",
      modality: "SKIN",
      size: 32,
      fileName: "lesions.zip",
    });
    assert.equal(result.uploadBytes, zip.length);
    assert.deepEqual(
      result.zipSkipped.map((s) => s.path),
      ["set/benign/notes.txt"],
    );
    const dataset = await db().dataset.findUniqueOrThrow({ where: { name }, include: { images: true } });
    assert.deepEqual(dataset.classNames, ["benign", "malignant"]);
    assert.equal(dataset.modality, "SKIN");
    assert.equal(dataset.source, "upload:lesions.zip");
    assert.equal(dataset.images.length, 8);
    assert.deepEqual(dataset.images.map((im) => im.label).sort(), [0, 0, 0, 0, 1, 1, 1, 1]);
    assert.ok((dataset.importReport as { path: string }[]).some((s) => s.path === "set/benign/notes.txt"));
    // The upload folder is gone; the stored images are regular content-addressed files.
    assert.deepEqual(await tree(join(storage, "tmp")), before);
    for (const im of dataset.images) assert.ok((await stat(join(storage, im.fileKey))).isFile());
  });

  test("source, report and audit event are written with the rows: one event, subject the dataset", async () => {
    const name = uniqueName("zip-audited");
    const actor = await createStaffUser(
      { email: `${name}@zip.test`, name: "Zip tester", role: "RESEARCHER", password: "zip-test-password-1" },
      null,
    );
    const zip = buildZip([...(await classEntries("")), { name: "benign/notes.txt", data: Buffer.from("x") }]);
    const result = await importZipDataset(
      bodyOf(zip),
      { name, positive: "malignant", size: 32, fileName: "audited.zip" },
      defaultZipLimits(),
      { actorId: actor.id },
    );
    const events = await db().auditEvent.findMany({ where: { actorId: actor.id } });
    assert.deepEqual(
      events.map((e) => [e.action, e.subject]),
      [["dataset.upload", result.dataset.id]],
    );
    assert.deepEqual(events[0].details, { name, skipped: 1, fileName: "audited.zip", bytes: zip.length });
    assert.equal(result.dataset.source, "upload:audited.zip");
  });

  test("when the audit event cannot be written, neither is the dataset", async () => {
    const name = uniqueName("rows-rollback");
    const actor = await createStaffUser(
      { email: `${name}@zip.test`, name: "Zip tester", role: "RESEARCHER", password: "zip-test-password-1" },
      null,
    );
    const meta = {
      name,
      modality: "OTHER" as const,
      classNames: ["a", "b"] as [string, string],
      imageSize: 32,
      hasMasks: false,
      splitSeed: 1,
      source: "test",
    };
    // jsonb cannot hold U+0000 either (22P05): the last statement of the transaction fails.
    await assert.rejects(
      createDatasetRows(meta, [], [], { actorId: actor.id, action: "dataset.import", details: { note: "\u0000" } }),
    );
    assert.equal(await db().dataset.findUnique({ where: { name } }), null);
    assert.equal(await db().auditEvent.count({ where: { actorId: actor.id } }), 0);
  });

  test("a zip with a label table and extension-less DICOM files imports through the table", async () => {
    const entries: ZipEntrySpec[] = [{ name: "set/labels.csv", data: Buffer.from("id,dx\n") }];
    const rows = ["id,dx"];
    for (let i = 0; i < 6; i++) {
      entries.push({ name: `set/images/img${i}.png`, data: await noisePng(300 + i, 48), method: "deflate" });
      rows.push(`img${i},${i % 2 ? "mel" : "nv"}`);
    }
    for (let i = 0; i < 2; i++) {
      const pixels = Array.from({ length: 40 * 40 }, (_, p) => (p * (i + 3)) % 4096);
      entries.push({ name: `set/images/1.2.840.${i}`, data: writeDicom({ width: 40, height: 40, pixels }) });
      rows.push(`1.2.840.${i},${i % 2 ? "mel" : "nv"}`);
    }
    entries[0] = { name: "set/labels.csv", data: Buffer.from(rows.join("\n")) };
    const name = uniqueName("zip-table");
    const result = await importZipDataset(bodyOf(buildZip(entries)), {
      name,
      positive: "mel",
      negative: "nv",
      labels: "labels.csv",
      imageColumn: "id",
      labelColumn: "dx",
      size: 32,
    });
    assert.equal(result.layout, "label-table");
    assert.deepEqual(result.zipSkipped, []);
    const images = await db().image.findMany({
      where: { datasetId: result.dataset.id },
      select: { originalName: true },
    });
    assert.equal(images.length, 8, JSON.stringify(result.dataset.importReport));
    assert.ok(images.some((i) => i.originalName === "images/1.2.840.1"));
  });

  test("a NUL in the file name (a%00b.zip) is refused before anything is saved", async () => {
    const name = uniqueName("zip-nul");
    const zip = buildZip(await classEntries(""));
    await assert.rejects(
      importZipDataset(bodyOf(zip), { name, positive: "malignant", size: 32, fileName: "a\u0000b.zip" }),
      /NUL/,
    );
    assert.equal(await db().dataset.findUnique({ where: { name } }), null);
  });
});

async function writeTemp(bytes: Buffer): Promise<string> {
  const p = join(outer, `${randomBytes(4).toString("hex")}.zip`);
  await writeFile(p, bytes);
  return p;
}

describe("wrappingFolder (the dataset's root inside a zip)", () => {
  test("descends through folders that hold one folder and nothing else, at most three levels", () => {
    assert.equal(wrappingFolder(["benign/a.png", "malignant/b.png"]), "");
    assert.equal(wrappingFolder(["set/benign/a.png", "set/malignant/b.png"]), "set/");
    assert.equal(wrappingFolder(["a/b/benign/x.png", "a/b/malignant/y.png"]), "a/b/");
    // A file beside the folder stops the descent.
    assert.equal(wrappingFolder(["set/labels.csv", "set/images/x.png"]), "set/");
    assert.equal(wrappingFolder(["x.png"]), "");
    assert.equal(wrappingFolder(["a/b/c/d/e/x.png"]), "a/b/c/");
    assert.equal(wrappingFolder([]), "");
  });
});

describe("previewZipLabelTables", () => {
  async function tableZip(): Promise<Buffer> {
    const rows = ["image_id,dx,lesion_id"];
    const entries: ZipEntrySpec[] = [];
    for (let i = 0; i < 7; i++) {
      entries.push({ name: `wrap/images/p${i}.png`, data: await noisePng(400 + i, 48), method: "deflate" });
      rows.push(`p${i},${["mel", "nv", "bkl"][i % 3]},L${i >> 1}`);
    }
    // The table sits in its own folder: extracting the tables alone must not move the root to "wrap/meta/".
    entries.push({ name: "wrap/meta/labels.csv", data: Buffer.from(rows.join("\r\n")) });
    entries.push({ name: "wrap/notes.txt", data: Buffer.from("not an image") });
    entries.push({ name: "__MACOSX/wrap/._p0.png", data: Buffer.from("clutter") });
    return buildZip(entries);
  }

  test("summarises the tables under the import's root, writes nothing, and its paths import as they are", async () => {
    const zip = await tableZip();
    const datasetsBefore = await db().dataset.count();
    const outerBefore = await tree(outer);
    const preview = await previewZipLabelTables(bodyOf(zip));
    assert.equal(preview.files, 7);
    assert.deepEqual(
      preview.skipped.map((s) => s.path),
      ["wrap/notes.txt"],
    );
    assert.equal(preview.tables.length, 1);
    const [table] = preview.tables;
    assert.equal(table.path, "meta/labels.csv");
    assert.equal(table.rows, 7);
    assert.deepEqual(
      [table.guess.image, table.guess.label, table.guess.group, table.guess.split],
      ["image_id", "dx", "lesion_id", undefined],
    );
    assert.deepEqual(table.columns.find((c) => c.name === "dx")?.values, [
      { value: "mel", rows: 3 },
      { value: "bkl", rows: 2 },
      { value: "nv", rows: 2 },
    ]);
    // Nothing stored: no row, no file left (tmp/ may have appeared, empty).
    assert.equal(await db().dataset.count(), datasetsBefore);
    assert.deepEqual(
      (await tree(outer)).filter((p) => !outerBefore.includes(p) && p !== "storage" && p !== "storage/tmp"),
      [],
    );

    const name = uniqueName("zip-preview");
    const result = await importZipDataset(bodyOf(zip), {
      name,
      labels: table.path,
      imageColumn: "image_id",
      labelColumn: "dx",
      positive: "mel",
      negative: "nv",
      size: 32,
    });
    assert.equal(result.layout, "label-table");
    const labels = await db().image.groupBy({ by: ["label"], where: { datasetId: result.dataset.id }, _count: true });
    assert.deepEqual(
      Object.fromEntries(labels.map((l) => [l.label, l._count])),
      { 0: 2, 1: 3 },
      "the preview's counts of the values picked",
    );
  });

  test("a zip without a table previews as class folders; a refused zip leaves nothing behind", async () => {
    const plain = await previewZipLabelTables(bodyOf(buildZip(await classEntries("set/"))));
    assert.deepEqual([plain.tables, plain.files], [[], 8]);
    const outerBefore = await tree(outer);
    const evil = buildZip([...(await classEntries()), { name: "../../escape.csv", data: Buffer.from("a,b\n1,2") }]);
    await assert.rejects(
      previewZipLabelTables(bodyOf(evil)),
      (e: unknown) => isZipRefusal(e) && /path traversal/.test(e.message),
    );
    const tooLarge = { ...defaultZipLimits(), maxUploadBytes: 1024 };
    await assert.rejects(
      previewZipLabelTables(bodyOf(await tableZip()), tooLarge),
      (e: unknown) => isZipRefusal(e) && e.kind === "too-large",
    );
    assert.deepEqual(
      (await tree(outer)).filter((p) => !outerBefore.includes(p) && p !== "storage" && p !== "storage/tmp"),
      [],
    );
  });
});
