import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { db, disconnectDb } from "@/lib/db/client";
import { getBytes } from "@/lib/storage/content-store";
import { validationCountForClass } from "@/lib/ml/data/split";
import { isDomainError } from "@/lib/errors/domain-error";
import { importFolderDataset } from "./import-folder";
import { decodeMask, decodeRgb } from "@/lib/image-codec/decode";
import { sharedDataSet } from "@/lib/testing/shared-data";

const unique = (p: string) => `${p}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
const ANY_PATH = { scope: "any-path" } as const;
const { path: BRAIN_MRI, present: BRAIN_MRI_PRESENT } = sharedDataSet("brain-mri");

let root: string;

/** A 48x40 image of one colour with a bright square whose position encodes `i` (distinct content per file). */
async function png(i: number, rgb: [number, number, number]): Promise<Buffer> {
  const data = Buffer.alloc(48 * 40 * 3);
  for (let p = 0; p < 48 * 40; p++) data.set(rgb, p * 3);
  for (let y = 2; y < 8; y++) for (let x = 2 + i; x < 8 + i; x++) data.set([255, 255, 255], (y * 48 + x) * 3);
  return sharp(data, { raw: { width: 48, height: 40, channels: 3 } })
    .png()
    .toBuffer();
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), "focus-import-"));
  await mkdir(join(root, "benign"));
  await mkdir(join(root, "melanoma"));
  await mkdir(join(root, "masks"));
  for (let i = 0; i < 6; i++) await writeFile(join(root, "benign", `b${i}.png`), await png(i, [40, 120, 40]));
  for (let i = 0; i < 5; i++) await writeFile(join(root, "melanoma", `m${i}.png`), await png(i, [120, 40, 40]));
  // A copy of b0 under another name, a truncated file, and a stray text file.
  await writeFile(join(root, "benign", "zz-copy-of-b0.png"), await png(0, [40, 120, 40]));
  await writeFile(
    join(root, "melanoma", "broken.jpg"),
    (
      await sharp({ create: { width: 64, height: 64, channels: 3, background: "#808080" } })
        .jpeg()
        .toBuffer()
    ).subarray(0, 200),
  );
  await writeFile(join(root, "melanoma", "notes.txt"), "not an image");
  // A lesion mask for m1: white rectangle on the left half.
  const mask = Buffer.alloc(48 * 40);
  for (let y = 0; y < 40; y++) for (let x = 0; x < 24; x++) mask[y * 48 + x] = 255;
  await writeFile(
    join(root, "masks", "m1.png"),
    await sharp(mask, { raw: { width: 48, height: 40, channels: 1 } })
      .png()
      .toBuffer(),
  );
});

after(async () => {
  await rm(root, { recursive: true, force: true });
  await disconnectDb();
});

describe("importFolderDataset", () => {
  test("imports the good files, reports the corrupt, duplicate and non-image ones without failing", async () => {
    const name = unique("tiny-folder");
    const result = await importFolderDataset(
      { folder: root, name, positive: "melanoma", modality: "SKIN", size: 32, splitSeed: 3 },
      ANY_PATH,
    );
    const { dataset } = result;
    assert.deepEqual(dataset.classNames, ["benign", "melanoma"]);
    assert.equal(dataset.modality, "SKIN");
    assert.equal(dataset.imageSize, 32);
    assert.equal(dataset.hasMasks, true, JSON.stringify(result.warnings));
    const fullReport = dataset.importReport as { path: string; reason: string }[];
    // One mask for eleven images: the report names each image that has none.
    const withoutMask = fullReport.filter((r) => r.reason === "image without mask").map((r) => r.path);
    assert.equal(withoutMask.length, 10);
    assert.ok(!withoutMask.includes("melanoma/m1.png"));
    // The 48x40 images are centre-cropped; m1's lesion fills the left half, so the crop cuts it.
    assert.ok(fullReport.some((r) => r.path === "masks/m1.png" && r.reason === "lesion mask touches the crop edge"));
    assert.ok(fullReport.some((r) => r.path === "(fit)" && r.reason.startsWith("cover: ")));
    const report = fullReport.filter(
      (r) =>
        r.reason !== "image without mask" && r.path !== "(fit)" && r.reason !== "lesion mask touches the crop edge",
    );
    assert.deepEqual(report.map((r) => r.path).sort(), [
      "benign/zz-copy-of-b0.png",
      "melanoma/broken.jpg",
      "melanoma/notes.txt",
    ]);
    assert.match(
      report.find((r) => r.path === "benign/zz-copy-of-b0.png")!.reason,
      /^duplicate: same content as benign\/b0\.png/,
    );
    assert.match(report.find((r) => r.path === "melanoma/broken.jpg")!.reason, /^unreadable/);
    assert.deepEqual(result.skipped, report);

    const images = await db().image.findMany({ where: { datasetId: dataset.id } });
    assert.equal(images.length, 11);
    assert.equal(images.filter((i) => i.label === 1).length, 5);
    // Stratified: round(6 * 0.2) = 1 benign and round(5 * 0.2) = 1 melanoma in validation.
    assert.deepEqual(
      [0, 1].map((l) => images.filter((i) => i.label === l && i.split === "VALIDATION").length),
      [validationCountForClass(6, 0.2), validationCountForClass(5, 0.2)],
    );
    const m1 = images.find((i) => i.originalName === "melanoma/m1.png")!;
    assert.ok(m1.maskKey, "the mask was matched by name");
    assert.equal(images.filter((i) => i.maskKey).length, 1);
    const mask = await decodeMask(await getBytes(m1.maskKey), 32);
    // The centre crop of 48x40 to 40x40 keeps columns 4..43: the masked columns 0..23 become 0..19 of 40,
    // i.e. half of the square.
    const inside = mask.reduce((a, b) => a + b, 0) / mask.length;
    assert.ok(inside > 0.4 && inside < 0.6, `mask share ${inside}`);
    const rgb = await decodeRgb(await getBytes(m1.fileKey), 32);
    assert.equal(rgb.length, 32 * 32 * 3);
    assert.deepEqual([m1.width, m1.height], [32, 32]);
    // The display copy: the same centre crop at the source's resolution (40 px, the short side of 48x40), as a
    // JPEG without metadata; at 32 px it shows the model-size copy's picture.
    assert.ok(m1.displayKey?.startsWith("disp/") && m1.displayKey.endsWith(".jpg"), m1.displayKey ?? "no display copy");
    const display = await getBytes(m1.displayKey!);
    const meta = await sharp(display).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 40, 40]);
    assert.equal(meta.exif, undefined);
    const shrunk = await decodeRgb(display, 32);
    const difference = shrunk.reduce((s, v, i) => s + Math.abs(v - rgb[i]), 0) / shrunk.length;
    assert.ok(difference < 12, `display copy differs from the model-size copy by ${difference} per channel`);
    assert.equal(images.filter((i) => i.displayKey).length, 11);

    await assert.rejects(
      importFolderDataset({ folder: root, name, positive: "melanoma", size: 32 }, ANY_PATH),
      (e: unknown) => isDomainError(e, "conflict"),
    );
  });

  test("a class without two usable images is refused before anything is stored", async () => {
    const sparse = await mkdtemp(join(tmpdir(), "focus-sparse-"));
    try {
      await mkdir(join(sparse, "no"));
      await mkdir(join(sparse, "yes"));
      for (let i = 0; i < 3; i++) await writeFile(join(sparse, "no", `n${i}.png`), await png(i, [10, 10, 10]));
      await writeFile(join(sparse, "yes", "y0.png"), await png(0, [200, 10, 10]));
      const name = unique("sparse");
      await assert.rejects(
        importFolderDataset({ folder: sparse, name, positive: "yes", size: 32 }, ANY_PATH),
        /"yes" has 1 usable image/,
      );
      assert.equal(await db().dataset.findUnique({ where: { name } }), null);
    } finally {
      await rm(sparse, { recursive: true, force: true });
    }
  });

  test("a wrong layout or an unknown positive class is a clear error", async () => {
    await assert.rejects(
      importFolderDataset({ folder: join(root, "nope"), name: unique("x"), positive: "yes", size: 32 }, ANY_PATH),
      (e: unknown) => isDomainError(e, "invalid") && e.code === "root-missing",
    );
    await assert.rejects(
      importFolderDataset({ folder: root, name: unique("x"), positive: "nevus", size: 32 }, ANY_PATH),
      /Positive class "nevus"/,
    );
  });

  test(
    "brain MRI (155 yes / 98 no): counts and a stratified 80/20 split",
    { skip: BRAIN_MRI_PRESENT ? false : `the shared brain MRI set is absent (looked in ${BRAIN_MRI})` },
    async () => {
      const result = await importFolderDataset(
        { folder: BRAIN_MRI, name: unique("brain-mri"), positive: "yes", modality: "MRI", size: 48, splitSeed: 42 },
        ANY_PATH,
      );
      const skippedIn = (cls: string) => result.skipped.filter((s) => s.path.startsWith(`${cls}/`)).length;
      const images = await db().image.findMany({
        where: { datasetId: result.dataset.id },
        select: { label: true, split: true },
      });
      const yes = images.filter((i) => i.label === 1);
      const no = images.filter((i) => i.label === 0);
      assert.deepEqual(result.dataset.classNames, ["no", "yes"]);
      assert.equal(yes.length, 155 - skippedIn("yes"));
      assert.equal(no.length, 98 - skippedIn("no"));
      for (const cls of [yes, no]) {
        const val = cls.filter((i) => i.split === "VALIDATION").length;
        assert.equal(val, validationCountForClass(cls.length, 0.2));
        assert.equal(cls.filter((i) => i.split === "TRAIN").length, cls.length - val);
      }
      const reasons = new Map<string, number>();
      for (const s of result.skipped)
        reasons.set(s.reason.split(":")[0], (reasons.get(s.reason.split(":")[0]) ?? 0) + 1);
      console.log(
        `# brain-mri: ${yes.length} yes, ${no.length} no imported; skipped ${[...reasons].map(([r, n]) => `${n} ${r}`).join(", ") || "none"}`,
      );
    },
  );
});
