import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, mkdir, writeFile, copyFile, rm, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { scanImageFolder } from "./folder-import";
import { isDomainError } from "@/lib/errors/domain-error";
import { decodeToSquareRgb } from "@/lib/image-codec/decode";
import { writeSyntheticSetToFolder } from "./synthetic-dermoscopy-folder";
import { generateSyntheticCase } from "./synthetic-dermoscopy";
import { sharedDataSet } from "@/lib/testing/shared-data";

const BRAIN_MRI = sharedDataSet("brain-mri").path;

async function solidPng(width: number, height: number, rgb: [number, number, number], channels: 1 | 3 | 4 = 3): Promise<Buffer> {
  const background = channels === 4 ? { r: rgb[0], g: rgb[1], b: rgb[2], alpha: 1 } : { r: rgb[0], g: rgb[1], b: rgb[2] };
  let s = sharp({ create: { width, height, channels: channels === 1 ? 3 : channels, background } });
  if (channels === 1) s = s.toColourspace("b-w");
  return s.png().toBuffer();
}

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "focus-import-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function makeFolder(name: string): Promise<string> {
  const root = join(dir, name);
  await mkdir(join(root, "lesion"), { recursive: true });
  await mkdir(join(root, "normal"), { recursive: true });
  return root;
}

describe("scanImageFolder on a messy temp folder", () => {
  test("reports corrupt, duplicate, tiny and non-image files by name and keeps the rest", async () => {
    const root = await makeFolder("messy");
    const red = await solidPng(80, 60, [200, 30, 30]);
    await writeFile(join(root, "lesion", "a red.png"), red); // space in the name
    await writeFile(join(root, "lesion", "copy of red.PNG"), red); // duplicate, upper-case extension
    await writeFile(join(root, "lesion", "broken.jpg"), Buffer.from("definitely not a jpeg"));
    const truncated = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 9, g: 9, b: 9 } } }).jpeg().toBuffer();
    await writeFile(join(root, "lesion", "truncated.jpeg"), truncated.subarray(0, Math.floor(truncated.length / 2)));
    await writeFile(join(root, "normal", "tiny.png"), await solidPng(31, 100, [0, 0, 255]));
    await writeFile(join(root, "normal", "grey.jpg"), await solidPng(40, 120, [128, 128, 128], 1)); // PNG named .jpg
    await writeFile(join(root, "normal", "rgba.png"), await solidPng(50, 50, [0, 255, 0], 4));
    await writeFile(join(root, "normal", "notes.txt"), "hello");
    await writeFile(join(root, "normal", ".DS_Store"), "junk");

    const report = await scanImageFolder(root, { positive: "lesion", size: 32 });
    assert.equal(report.positiveClass, "lesion");
    assert.equal(report.negativeClass, "normal");
    assert.deepEqual(report.images.map((i) => i.relativePath), ["lesion/a red.png", "normal/grey.jpg", "normal/rgba.png"]);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.relativePath, r.reason]));
    assert.deepEqual(reasons, {
      "lesion/broken.jpg": "unreadable",
      "lesion/copy of red.PNG": "duplicate",
      "lesion/truncated.jpeg": "unreadable",
      "normal/notes.txt": "not-an-image",
      "normal/tiny.png": "tiny",
    });
    assert.equal(report.rejected.find((r) => r.reason === "duplicate")!.duplicateOf, "lesion/a red.png");
    assert.deepEqual(report.classes, [
      { name: "lesion", label: 1, accepted: 1, rejected: 3 },
      { name: "normal", label: 0, accepted: 2, rejected: 2 },
    ]);
    assert.equal(report.masks, null);

    const [redImage, grey, rgba] = report.images;
    assert.equal(redImage.label, 1);
    assert.equal(redImage.sha256, createHash("sha256").update(red).digest("hex"));
    assert.equal(redImage.originalWidth, 80);
    assert.equal(redImage.originalHeight, 60);
    assert.equal(grey.format, "png");
    for (const image of report.images) assert.equal(image.rgb!.length, 32 * 32 * 3);
    assert.deepEqual([...redImage.rgb!.subarray(0, 3)], [200, 30, 30]);
    assert.deepEqual([...grey.rgb!.subarray(300, 303)], [128, 128, 128]);
    assert.deepEqual([...rgba.rgb!.subarray(0, 3)], [0, 255, 0]);
  });

  test("cover resize keeps aspect ratio and crops the centre of the long side", async () => {
    // 40 wide x 200 high: red above y = 60, green to y = 140, blue below. The centre square (rows 80-120) is
    // green with a margin, so the result is all green; a stretch would show red and blue bands.
    const bands = Buffer.alloc(40 * 200 * 3);
    for (let y = 0; y < 200; y++) for (let x = 0; x < 40; x++) bands.set(y < 60 ? [255, 0, 0] : y < 140 ? [0, 255, 0] : [0, 0, 255], 3 * (y * 40 + x));
    const png = await sharp(bands, { raw: { width: 40, height: 200, channels: 3 } }).png().toBuffer();
    const { rgb, width, height } = await decodeToSquareRgb(png, 20);
    assert.equal(width, 40);
    assert.equal(height, 200);
    for (const p of [0, 10 * 20 + 10, 399]) assert.deepEqual([...rgb.subarray(3 * p, 3 * p + 3)], [0, 255, 0]);
  });

  test("16-bit grayscale is scaled to 8-bit RGB", async () => {
    const raw = new Uint16Array(48 * 48).fill(65535);
    for (let i = 0; i < raw.length; i++) raw[i] = i < raw.length / 2 ? 65535 : 32896; // white top, mid-grey bottom
    // sharp reads 16-bit raw input when given a Uint16Array (not a Buffer).
    const png = await sharp(raw, { raw: { width: 48, height: 48, channels: 1 } }).toColourspace("grey16").png().toBuffer();
    assert.equal(png[24], 16, "IHDR bit depth 16");
    const { rgb } = await decodeToSquareRgb(png, 16);
    assert.deepEqual([...rgb.subarray(0, 3)], [255, 255, 255]);
    assert.deepEqual([...rgb.subarray(rgb.length - 3)], [128, 128, 128]);
  });

  test("layout errors are typed, with clear messages", async () => {
    await assert.rejects(() => scanImageFolder(join(dir, "nope"), { positive: "x" }), (e: unknown) => isDomainError(e, "invalid") && e.code === "root-missing");
    const three = await makeFolder("three");
    await mkdir(join(three, "other"));
    await writeFile(join(three, "lesion", "a.png"), await solidPng(40, 40, [1, 2, 3]));
    await writeFile(join(three, "normal", "b.png"), await solidPng(40, 40, [3, 2, 1]));
    await writeFile(join(three, "other", "c.png"), await solidPng(40, 40, [5, 5, 5]));
    await assert.rejects(() => scanImageFolder(three, { positive: "lesion" }), (e: unknown) => isDomainError(e, "invalid") && e.code === "class-count" && /found 3: lesion, normal, other/.test(e.message));
    await rm(join(three, "other"), { recursive: true });
    await assert.rejects(() => scanImageFolder(three, { positive: "tumour" }), (e: unknown) => isDomainError(e, "invalid") && e.code === "positive-unknown" && /lesion, normal/.test(e.message));
    const report = await scanImageFolder(three, { positive: "LESION", size: 16 }); // unique case-insensitive match
    assert.equal(report.positiveClass, "lesion");
    const empty = await makeFolder("empty-class");
    await writeFile(join(empty, "lesion", "a.png"), await solidPng(40, 40, [1, 2, 3]));
    await assert.rejects(() => scanImageFolder(empty, { positive: "lesion" }), (e: unknown) => isDomainError(e, "invalid") && e.code === "class-empty");
  });
});

describe("scanImageFolder with masks (synthetic demo folder)", () => {
  test("round-trips the synthetic set: labels, masks matched by base name, pixels identical", async () => {
    const root = join(dir, "synthetic");
    const written = await writeSyntheticSetToFolder(root, { count: 8, size: 32, seed: 5 });
    assert.equal(written.benign + written.malignant, 8);
    // A mask with another extension still matches by base name; a stray mask is reported as unmatched.
    const first = written.files[0];
    const firstStem = first.split("/")[1].replace(".png", "");
    const maskPng = await readFile(join(root, "masks", `${firstStem}.png`));
    await rm(join(root, "masks", `${firstStem}.png`));
    await writeFile(join(root, "masks", `${firstStem}.jpg`), maskPng);
    await copyFile(join(root, "masks", `${firstStem}.jpg`), join(root, "masks", "stray.png"));

    const report = await scanImageFolder(root, { positive: "malignant", size: 32 });
    assert.equal(report.images.length, 8);
    assert.equal(report.rejected.length, 0);
    assert.deepEqual(report.masks, { files: 9, matched: 8, unmatched: ["masks/stray.png"], imagesWithoutMask: [], thresholded: [] });
    for (const image of report.images) {
      const index = Number(image.relativePath.match(/case-(\d+)/)![1]);
      const expected = generateSyntheticCase(5, index, 32, { label: image.label });
      assert.equal(image.label, image.className === "malignant" ? 1 : 0);
      assert.deepEqual(image.rgb, expected.rgb);
      assert.deepEqual(image.mask, expected.mask);
    }
    const lazy = await scanImageFolder(root, { positive: "malignant", size: 32, keepPixels: false });
    assert.equal(lazy.images[0].rgb, undefined);
    assert.deepEqual(await lazy.images[0].loadRgb(), report.images[0].rgb);
  });
});

describe("scanImageFolder on the real brain-MRI folder", () => {
  const present = existsSync(join(BRAIN_MRI, "yes")) && existsSync(join(BRAIN_MRI, "no"));
  test("imports 253 files: mixed formats, PNGs named .jpg, spaces; duplicates reported", { skip: present ? false : `the shared brain MRI set is absent (looked in ${BRAIN_MRI})` }, async () => {
    const report = await scanImageFolder(BRAIN_MRI, { positive: "yes", size: 64 });
    assert.equal(report.images.length + report.rejected.length, 253);
    assert.ok(report.rejected.every((r) => r.reason === "duplicate"), JSON.stringify(report.rejected.filter((r) => r.reason !== "duplicate")));
    assert.equal(new Set(report.images.map((i) => i.sha256)).size, report.images.length);
    const yes = report.classes.find((c) => c.name === "yes")!;
    const no = report.classes.find((c) => c.name === "no")!;
    assert.equal(yes.accepted + yes.rejected, 155);
    assert.equal(no.accepted + no.rejected, 98);
    assert.ok(report.images.some((i) => i.relativePath.endsWith(".jpg") && i.format === "png"), "a PNG named .jpg was decoded");
    assert.ok(report.images.some((i) => i.relativePath.includes(" ")));
    assert.ok(report.images.every((i) => i.rgb!.length === 64 * 64 * 3));
  });
});
