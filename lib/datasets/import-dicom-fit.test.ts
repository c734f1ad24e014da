// DICOM class folders (named .dcm and extension-less), with the files an import must report instead of crashing,
// and the per-dataset choice of cover or contain for non-square images and their masks.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { db, disconnectDb } from "@/lib/db/client";
import { getBytes } from "@/lib/storage/content-store";
import { HTJ2K, IDENTIFYING, writeDicom } from "@/lib/testing/dicom-writer";
import { importFolderDataset } from "./import-folder";

const ANY_PATH = { scope: "any-path" } as const;
const unique = (p: string) => `${p}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
let dir = "";

async function put(path: string, bytes: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

type Report = Array<{ path: string; reason: string }>;

/** A 40x40 16-bit ramp whose level depends on `seed`, so every file has distinct content. */
function ramp(seed: number): number[] {
  return Array.from({ length: 40 * 40 }, (_, i) => (i % 40) * 50 + seed);
}

async function storedGrey(fileKey: string): Promise<number[]> {
  const { data } = await sharp(await getBytes(fileKey))
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return [...data];
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "focus-dicom-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await disconnectDb();
});

describe("DICOM import", () => {
  test("class folders of .dcm and extension-less DICOM files; unsupported and empty files are report lines", async () => {
    const root = join(dir, "ct");
    const window = { center: 1000, width: 2001 };
    for (let i = 0; i < 3; i++) {
      await put(
        join(root, "normal", `n${i}.dcm`),
        writeDicom({ width: 40, height: 40, pixels: ramp(i), windows: [window] }),
      );
      // Archives from PACS often name files by UID, without an extension.
      await put(
        join(root, "nodule", `1.2.3.${i}`),
        writeDicom({ width: 40, height: 40, pixels: ramp(10 + i), windows: [window], photometric: "MONOCHROME1" }),
      );
    }
    await put(
      join(root, "nodule", "htj2k.dcm"),
      writeDicom({ width: 40, height: 40, frame: new Uint8Array([0xff, 0x4f, 0xff, 0x51]), transferSyntax: HTJ2K }),
    );
    await put(join(root, "normal", "structured-report.dcm"), writeDicom({ width: 40, height: 40 }));
    await put(join(root, "normal", "README"), "an extension-less file that is not DICOM");
    // A link whose target is gone: unreadable, reported, and the import goes on.
    await symlink(join(root, "moved-away.dcm"), join(root, "normal", "gone.dcm"));

    const name = unique("dicom");
    const { dataset } = await importFolderDataset({ folder: root, name, positive: "nodule", size: 40 }, ANY_PATH);
    const report = dataset.importReport as Report;
    const line = (path: string) => report.find((r) => r.path === path)?.reason ?? "";
    assert.equal(line("nodule/htj2k.dcm"), `unsupported: unsupported transfer syntax ${HTJ2K}`);
    assert.equal(line("normal/structured-report.dcm"), "unreadable: DICOM file without pixel data");
    assert.match(line("normal/README"), /^not-an-image:/);
    assert.equal(line("normal/gone.dcm"), "unreadable: cannot be read (ENOENT)");

    const images = await db().image.findMany({ where: { datasetId: dataset.id }, orderBy: { originalName: "asc" } });
    assert.deepEqual(
      images.map((i) => i.originalName),
      ["nodule/1.2.3.0", "nodule/1.2.3.1", "nodule/1.2.3.2", "normal/n0.dcm", "normal/n1.dcm", "normal/n2.dcm"],
    );
    const expected = (x: number) =>
      x <= window.center - 0.5 - (window.width - 1) / 2
        ? 0
        : x > window.center - 0.5 + (window.width - 1) / 2
          ? 255
          : Math.round(((x - (window.center - 0.5)) / (window.width - 1) + 0.5) * 255);
    const normal = await storedGrey(images[3].fileKey);
    assert.deepEqual(normal, ramp(0).map(expected));
    const inverted = await storedGrey(images[0].fileKey);
    assert.deepEqual(
      inverted,
      ramp(10).map((v) => 255 - expected(v)),
    );

    // Nothing identifying in the rows or the stored files.
    const row = JSON.stringify(await db().dataset.findUnique({ where: { id: dataset.id } }));
    for (const value of Object.values(IDENTIFYING)) {
      assert.ok(!row.includes(value), `dataset row holds ${value}`);
      for (const im of images) assert.ok(!(await getBytes(im.fileKey)).includes(value), `stored image holds ${value}`);
    }
  });

  test("a window given at import replaces the files' own", async () => {
    const root = join(dir, "ct-window");
    for (let i = 0; i < 2; i++) {
      await put(
        join(root, "a", `a${i}.dcm`),
        writeDicom({ width: 40, height: 40, pixels: ramp(i), windows: [{ center: 1000, width: 2001 }] }),
      );
      await put(join(root, "b", `b${i}.dcm`), writeDicom({ width: 40, height: 40, pixels: ramp(5 + i) }));
    }
    const { dataset } = await importFolderDataset(
      { folder: root, name: unique("window"), positive: "b", size: 40, window: "500,200" },
      ANY_PATH,
    );
    const image = await db().image.findFirstOrThrow({ where: { datasetId: dataset.id, originalName: "a/a0.dcm" } });
    const grey = await storedGrey(image.fileKey);
    // Columns 0..7 (stored 0..350) are at or below 400 = 500 - 100: black; from column 12 (600) on: white.
    assert.equal(grey[7], 0);
    assert.equal(grey[12], 255);
    assert.ok(grey[9] > 0 && grey[9] < 255);
    assert.ok(
      (dataset.importReport as Report).some((r) => r.reason === "VOI window given at import: center 500, width 200"),
    );
  });
});

describe("cover or contain", () => {
  /** 60x40 images (landscape) with masks; case 0's lesion reaches the left edge, which "cover" crops away. */
  async function landscapeSet(root: string): Promise<void> {
    for (let i = 0; i < 4; i++) {
      for (const cls of ["benign", "malignant"]) {
        const data = Buffer.alloc(60 * 40 * 3, 20 + i * 10 + (cls === "benign" ? 0 : 100));
        await put(
          join(root, cls, `${cls}${i}.png`),
          await sharp(data, { raw: { width: 60, height: 40, channels: 3 } })
            .png()
            .toBuffer(),
        );
        const mask = Buffer.alloc(60 * 40, 0);
        const x0 = i === 0 && cls === "malignant" ? 0 : 25;
        for (let y = 15; y < 25; y++) for (let x = x0; x < x0 + 10; x++) mask[y * 60 + x] = 255;
        await put(
          join(root, "masks", `${cls}${i}.png`),
          await sharp(mask, { raw: { width: 60, height: 40, channels: 1 } })
            .png()
            .toBuffer(),
        );
      }
    }
  }

  test("cover crops and counts the lesions on the crop edge; contain pads image and mask alike", async () => {
    const root = join(dir, "landscape");
    await landscapeSet(root);
    const cover = await importFolderDataset(
      { folder: root, name: unique("cover"), positive: "malignant", size: 40 },
      ANY_PATH,
    );
    assert.equal(cover.dataset.imageFit, "COVER");
    const coverReport = cover.dataset.importReport as Report;
    assert.ok(coverReport.some((r) => r.path === "(fit)" && /^cover: .*\(8 image\(s\) not square\)/.test(r.reason)));
    assert.ok(
      coverReport.some(
        (r) => r.path === "(fit)" && /^1 image\(s\) whose lesion mask touches the crop edge/.test(r.reason),
      ),
    );
    assert.ok(
      coverReport.some((r) => r.path === "masks/malignant0.png" && r.reason === "lesion mask touches the crop edge"),
    );

    const contain = await importFolderDataset(
      { folder: root, name: unique("contain"), positive: "malignant", size: 40, fit: "contain" },
      ANY_PATH,
    );
    assert.equal(contain.dataset.imageFit, "CONTAIN");
    const containReport = contain.dataset.importReport as Report;
    assert.ok(containReport.some((r) => r.path === "(fit)" && /^contain: /.test(r.reason)));
    assert.ok(!containReport.some((r) => /touches the crop edge/.test(r.reason)));
    const row = await db().image.findFirstOrThrow({
      where: { datasetId: contain.dataset.id, originalName: "malignant/malignant0.png" },
    });
    // 60x40 into 40x40: scaled to 40x27 (rounded) and padded top and bottom with black.
    const image = await storedGrey(row.fileKey);
    assert.equal(image[0], 0, "padding is black");
    assert.equal(image[20 * 40 + 20], 120, "the image is in the middle");
    const mask = await storedGrey(row.maskKey!);
    const lesionColumns = new Set(mask.flatMap((v, i) => (v ? [i % 40] : [])));
    assert.ok(lesionColumns.has(0), "the lesion at the left edge is kept");
    assert.ok(
      mask.slice(0, 40 * 5).every((v) => v === 0),
      "mask padding is empty",
    );
    const original = await readFile(join(root, "masks", "malignant0.png"));
    assert.ok(original.length > 0);
  });
});
