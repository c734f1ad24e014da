// A zip with a label table, end to end in the researcher console: choosing the zip shows the table's columns and
// values (a preview upload that stores nothing), picking the classes previews the rows per class and the skipped
// ones, and "Upload zip" imports exactly those rows. The zip carries a HAM10000-like multi-class table naming images
// by id without an extension, generated PNGs, and two extension-less DICOM files in compressed transfer syntaxes
// (JPEG-LS and RLE Lossless), so the built server's codecs are exercised too.
import { test, expect } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { staffUser } from "./support/seed";
import { signIn } from "./support/sign-in";
import { db } from "../lib/db/client";
import { JPEG_LS, RLE_LOSSLESS, encodeJpegLs, encodeRle, writeDicom } from "../lib/testing/dicom-writer";
import { buildZip, type ZipEntrySpec } from "../lib/testing/zip-writer";
import { noisePng } from "../lib/testing/noise-png";

const tag = randomBytes(3).toString("hex");
const storage = resolve(process.env.FOCUS_STORAGE_DIR ?? "./data/storage");

async function labelledZip(): Promise<Buffer> {
  const entries: ZipEntrySpec[] = [];
  const rows = ["image_id,dx,lesion_id"];
  // 4 mel and 5 nv PNGs, 2 bkl rows (in neither class), and 2 mel DICOMs: mel 6, nv 5, skipped 2.
  const dx = ["mel", "mel", "mel", "mel", "nv", "nv", "nv", "nv", "nv", "bkl", "bkl"];
  for (const [i, value] of dx.entries()) {
    entries.push({ name: `ham/images/ISIC_${1000 + i}.png`, data: await noisePng(i + 1, 40), method: "deflate" });
    rows.push(`ISIC_${1000 + i},${value},HAM_${i}`);
  }
  const w = 40;
  const values = (k: number) => Array.from({ length: w * w }, (_, p) => (p * (k + 7) * 13) % 4096);
  const ls = await encodeJpegLs(values(1), { width: w, height: w, bitsPerSample: 12, componentCount: 1 });
  entries.push({
    name: "ham/images/1.2.840.1",
    data: writeDicom({ width: w, height: w, frame: ls, bitsStored: 12, transferSyntax: JPEG_LS }),
  });
  const rle = encodeRle(values(2), { width: w, height: w, bitsAllocated: 16, componentCount: 1 });
  entries.push({
    name: "ham/images/1.2.840.2",
    data: writeDicom({ width: w, height: w, frame: rle, bitsStored: 12, transferSyntax: RLE_LOSSLESS }),
  });
  rows.push("1.2.840.1,mel,HAM_20", "1.2.840.2,mel,HAM_21");
  // Published tables come with a BOM and CRLF line ends.
  entries.push({ name: "ham/HAM10000_metadata.csv", data: Buffer.from(`\ufeff${rows.join("\r\n")}\r\n`) });
  return buildZip(entries);
}

test("a zip's label table is previewed, mapped to two classes and imported as previewed", async ({ page }) => {
  const u = await staffUser("RESEARCHER");
  await signIn(page, u.email, u.password);
  await page.goto("/researcher");
  const name = `e2e-zip-table-${tag}`;
  const tmpBefore = await readdir(join(storage, "tmp")).catch(() => [] as string[]);
  const datasetsBefore = await db().dataset.count();

  const form = page.getByRole("form", { name: "Upload a zip" });
  await form.getByLabel("Zip file").setInputFiles({
    name: "ham.zip",
    mimeType: "application/zip",
    buffer: await labelledZip(),
  });
  await expect(form.getByText("13 file(s) to import; 1 label table(s) found.")).toBeVisible();
  const picker = form.getByTestId("label-table-picker");
  await expect(picker.locator("#labels-path")).toContainText("HAM10000_metadata.csv (13 rows, 3 columns)");
  // The usual column names are recognised.
  await expect(picker.locator("#column-image")).toHaveValue("image_id");
  await expect(picker.locator("#column-label")).toHaveValue("dx");
  await expect(picker.locator("#column-group")).toHaveValue("lesion_id");
  const valueRows = picker.getByTestId("label-values");
  await expect(valueRows).toContainText("mel6");
  await expect(valueRows).toContainText("nv5");
  await expect(valueRows).toContainText("bkl2");

  await picker.getByLabel("Class of mel").selectOption("positive");
  await picker.getByLabel("Class of nv").selectOption("negative");
  // Lesion groups would make this tiny set unsplittable; the researcher turns them off.
  await picker.locator("#column-group").selectOption("");
  await expect(picker.getByTestId("label-preview")).toContainText(
    "Preview: 6 positive row(s), 5 negative row(s), 2 row(s) skipped",
  );
  // Nothing is written before the researcher confirms: no dataset, no file left from the preview upload.
  expect(await db().dataset.count()).toBe(datasetsBefore);
  expect(await readdir(join(storage, "tmp")).catch(() => [] as string[])).toEqual(tmpBefore);

  await form.getByLabel("Dataset name").fill(name);
  await form.getByLabel("Stored image size (px)").fill("32");
  await form.getByRole("button", { name: "Upload zip" }).click();
  await expect(page).toHaveURL(/\/researcher\/datasets\/[^/?]+\?imported=1$/);
  await expect(page.getByTestId("class-counts")).toContainText("(0) 5");
  await expect(page.getByTestId("class-counts")).toContainText("(1, positive) 6");

  const dataset = await db().dataset.findUniqueOrThrow({ where: { name }, include: { images: true } });
  const byLabel = (label: number) => dataset.images.filter((i) => i.label === label).map((i) => i.originalName);
  expect(byLabel(1).sort()).toEqual(
    ["images/1.2.840.1", "images/1.2.840.2", ...[0, 1, 2, 3].map((i) => `images/ISIC_${1000 + i}.png`)].sort(),
  );
  expect(byLabel(0)).toHaveLength(5);
  const report = JSON.stringify(dataset.importReport);
  expect(report).not.toContain("unsupported");
  expect(await readdir(join(storage, "tmp")).catch(() => [] as string[])).toEqual(tmpBefore);
});

test("a zip the preview refuses says why, and leaves nothing behind", async ({ page }) => {
  const u = await staffUser("RESEARCHER");
  await signIn(page, u.email, u.password);
  await page.goto("/researcher");
  const tmpBefore = await readdir(join(storage, "tmp")).catch(() => [] as string[]);
  const form = page.getByRole("form", { name: "Upload a zip" });
  await form.getByLabel("Zip file").setInputFiles({
    name: "evil.zip",
    mimeType: "application/zip",
    buffer: buildZip([
      { name: "labels.csv", data: Buffer.from("id,dx\na,mel\n") },
      { name: "../escape.png", data: await noisePng(99, 40) },
    ]),
  });
  await expect(form.getByRole("alert")).toContainText("path traversal");
  await expect(form.getByTestId("label-table-picker")).toHaveCount(0);
  expect(await readdir(join(storage, "tmp")).catch(() => [] as string[])).toEqual(tmpBefore);
});
