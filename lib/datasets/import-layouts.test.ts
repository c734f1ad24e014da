// Published dataset layouts, each written by the test: split folders with patient ids in file names, a
// HAM10000-like label table (BOM, CRLF, ';', quotes, ids without extension, nested folders, lesion groups),
// and per-case folders with {id}_lesion masks.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { db, disconnectDb } from "@/lib/db/client";
import { isDomainError } from "@/lib/errors/domain-error";
import { importFolderDataset } from "./import-folder";

const ANY_PATH = { scope: "any-path" } as const;
const unique = (p: string) => `${p}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
let dir = "";

/** A distinct 40x40 PNG per `seed` (a bright block whose place and colour depend on it). */
async function png(seed: number): Promise<Buffer> {
  const data = Buffer.alloc(40 * 40 * 3, 30);
  const x0 = seed % 30;
  const y0 = Math.floor(seed / 30) % 30;
  for (let y = y0; y < y0 + 8; y++)
    for (let x = x0; x < x0 + 8; x++) data.set([200, (seed * 37) % 256, 90], (y * 40 + x) * 3);
  return sharp(data, { raw: { width: 40, height: 40, channels: 3 } })
    .png()
    .toBuffer();
}

async function put(path: string, bytes: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

async function rowsOf(datasetId: string) {
  return db().image.findMany({
    where: { datasetId },
    select: { originalName: true, split: true, label: true, maskKey: true },
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "focus-layouts-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await disconnectDb();
});

describe("split folders", () => {
  test("train/valid/testing folders keep their split per image; identical images across splits are flagged", async () => {
    const root = join(dir, "xray");
    let seed = 0;
    const layout = { train: 6, valid: 2, testing: 3 } as const;
    for (const [folder, n] of Object.entries(layout)) {
      for (const cls of ["NORMAL", "PNEUMONIA"]) {
        for (let i = 0; i < n; i++)
          await put(join(root, folder, cls, `person${seed}_${cls}_${i}.png`), await png(seed++));
      }
    }
    // The same picture in train and test: a leak, reported, and kept once.
    await put(join(root, "testing", "PNEUMONIA", "copy.png"), await png(7));
    const result = await importFolderDataset(
      { folder: root, name: unique("xray"), positive: "PNEUMONIA", size: 32 },
      ANY_PATH,
    );
    assert.equal(result.layout, "split-folders");
    const rows = await rowsOf(result.dataset.id);
    for (const [folder, split] of [
      ["train", "TRAIN"],
      ["valid", "VALIDATION"],
      ["testing", "TEST"],
    ] as const) {
      const inFolder = rows.filter((r) => r.originalName.startsWith(`${folder}/`));
      assert.ok(inFolder.length > 0);
      assert.ok(
        inFolder.every((r) => r.split === split),
        `${folder}: ${inFolder.map((r) => r.split).join(",")}`,
      );
    }
    assert.equal(rows.length, 2 * (6 + 2 + 3));
    const report = result.dataset.importReport as { path: string; reason: string }[];
    assert.ok(
      report.some((r) => r.path === "testing/PNEUMONIA/copy.png" && /leakage/.test(r.reason)),
      JSON.stringify(report),
    );
    assert.ok(report.some((r) => r.path === "(split)" && /given train\/validation\/test split is kept/.test(r.reason)));
  });

  test("--resplit with a person pattern: each patient on one side, groups per side reported, test kept", async () => {
    const root = join(dir, "xray-patients");
    let seed = 100;
    for (const folder of ["training", "val", "test"]) {
      for (const cls of ["NORMAL", "PNEUMONIA"]) {
        // Three images per patient, as in the chest X-ray set where one child has several films.
        for (let p = 0; p < (folder === "training" ? 5 : 2); p++) {
          for (let k = 0; k < 3; k++)
            await put(join(root, folder, cls, `person${folder}${cls}${p}_bacteria_${k}.png`), await png(seed++));
        }
      }
    }
    const result = await importFolderDataset(
      {
        folder: root,
        name: unique("xray-grp"),
        positive: "pneumonia",
        size: 32,
        resplit: true,
        groupPattern: "^(person[a-z]+[A-Z]+\\d+)_",
      },
      ANY_PATH,
    );
    const rows = await rowsOf(result.dataset.id);
    const sides = new Map<string, Set<string>>();
    for (const r of rows) {
      const person = /^.*\/(person[a-z]+[A-Z]+\d+)_/.exec(r.originalName)![1];
      sides.set(person, (sides.get(person) ?? new Set()).add(r.split));
    }
    assert.ok(
      [...sides.values()].every((s) => s.size === 1),
      "a patient on two sides",
    );
    assert.ok(rows.filter((r) => r.originalName.startsWith("test/")).every((r) => r.split === "TEST"));
    assert.ok(
      rows.some((r) => r.originalName.startsWith("val/") && r.split === "TRAIN"),
      "validation was split again",
    );
    const report = result.dataset.importReport as { path: string; reason: string }[];
    const groups = report.find((r) => r.path === "(groups)")!;
    assert.match(groups.reason, /groups per side: train \d+, validation \d+, test 4/);
  });
});

describe("label table", () => {
  test("HAM10000-like: BOM, CRLF, ';', quotes, ids without extension in nested folders, lesion groups", async () => {
    const root = join(dir, "ham");
    const lines = ["\uFEFFlesion_id;image_id;dx;note"];
    let seed = 300;
    for (let lesion = 0; lesion < 12; lesion++) {
      const dx = lesion < 4 ? "mel" : lesion < 8 ? "nv" : lesion < 10 ? "bkl" : "akiec";
      for (let k = 0; k < 2; k++) {
        const id = `ISIC_${String(seed).padStart(7, "0")}`;
        await put(join(root, lesion % 2 ? "part_2" : "part_1", `${id}.png`), await png(seed++));
        lines.push(`HAM_${lesion};${id};${dx};"a; quoted ""note"""`);
      }
    }
    lines.push("HAM_99;ISIC_9999999;mel;no such image");
    await put(join(root, "part_1", "ISIC_unlisted.png"), await png(seed));
    await put(join(root, "HAM10000_metadata.csv"), lines.join("\r\n") + "\r\n");

    const result = await importFolderDataset(
      {
        folder: root,
        name: unique("ham"),
        size: 32,
        labels: "HAM10000_metadata.csv",
        imageColumn: "image_id",
        labelColumn: "dx",
        positive: "mel",
        negative: "nv,bkl",
        groupColumn: "lesion_id",
      },
      ANY_PATH,
    );
    assert.equal(result.layout, "label-table");
    assert.deepEqual(result.dataset.classNames, ["nv+bkl", "mel"]);
    const rows = await rowsOf(result.dataset.id);
    assert.equal(rows.length, 20);
    assert.equal(rows.filter((r) => r.label === 1).length, 8);
    const report = result.dataset.importReport as { path: string; reason: string }[];
    const line = (p: string) => report.find((r) => r.path === p)?.reason ?? "";
    assert.match(line("(labels)"), /^4 row\(s\) with label "akiec"/);
    assert.match(line("HAM10000_metadata.csv:26"), /^no-image: .*ISIC_9999999/);
    assert.match(line("part_1/ISIC_unlisted.png"), /^no-label/);
    assert.match(line("(groups)"), /groups per side: train \d+, validation \d+/);
    // Lesion HAM_n's two images share a split.
    const ids = lines.slice(1, 25).map((l) => l.split(";"));
    for (let lesion = 0; lesion < 10; lesion++) {
      const names = ids.filter((c) => c[0] === `HAM_${lesion}`).map((c) => c[1]);
      const splits = new Set(
        rows.filter((r) => names.some((n) => r.originalName.endsWith(`${n}.png`))).map((r) => r.split),
      );
      assert.equal(splits.size, 1, `lesion HAM_${lesion}`);
    }
  });

  test("a tab-separated table with a split column; a missing column or one class with one group is invalid", async () => {
    const root = join(dir, "tsv");
    const lines = ["image\tclass\tsplit\tpatient"];
    let seed = 500;
    for (let i = 0; i < 12; i++) {
      const split = i < 8 ? "train" : i < 10 ? "validation" : "test";
      await put(join(root, "img", `c${i}.png`), await png(seed++));
      lines.push(`img/c${i}\t${i % 2 ? "malignant" : "benign"}\t${split}\tP${i}`);
    }
    await put(join(root, "labels.tsv"), lines.join("\n"));
    const base = {
      folder: root,
      size: 32,
      labels: "labels.tsv",
      imageColumn: "image",
      labelColumn: "class",
      positive: "malignant",
      negative: "benign",
    };
    const result = await importFolderDataset({ ...base, name: unique("tsv"), splitColumn: "split" }, ANY_PATH);
    const rows = await rowsOf(result.dataset.id);
    assert.deepEqual(
      ["TRAIN", "VALIDATION", "TEST"].map((s) => rows.filter((r) => r.split === s).length),
      [8, 2, 2],
    );
    await assert.rejects(
      importFolderDataset({ ...base, name: unique("tsv"), splitColumn: "fold" }, ANY_PATH),
      (e: unknown) =>
        isDomainError(e, "invalid") &&
        /--split-column "fold" is not a column of labels.tsv; its columns are: image, class, split, patient/.test(
          e.message,
        ),
    );
    // Every benign image in one patient: the grouped split cannot put benign cases on both sides.
    await writeFile(
      join(root, "labels.tsv"),
      lines.map((l, i) => (i > 0 && i % 2 === 1 ? l.replace(/P\d+$/, "P0") : l)).join("\n"),
    );
    await assert.rejects(
      importFolderDataset({ ...base, name: unique("tsv"), groupColumn: "patient" }, ANY_PATH),
      (e: unknown) =>
        isDomainError(e, "invalid") && /grouped split cannot be stratified: class 0 has 1 group/.test(e.message),
    );
  });
});

describe("masks by pattern", () => {
  test("per-case folders with {id}_lesion masks: other sizes resized, soft masks thresholded, strays named", async () => {
    const root = join(dir, "ph2");
    const lines = ["case,diagnosis"];
    for (let i = 0; i < 6; i++) {
      const id = `IMD${String(i).padStart(3, "0")}`;
      await put(join(root, "cases", id, `${id}_Dermoscopic_Image`, `${id}.png`), await png(700 + i));
      lines.push(`${id},${i % 2 ? "melanoma" : "common nevus"}`);
      if (i === 5) continue; // no mask
      // Mask at twice the image size; the last one is soft (values 0, 100, 255).
      const side = 80;
      const m = Buffer.alloc(side * side);
      for (let p = 0; p < m.length; p++)
        m[p] = p % side < side / 2 ? 255 : i === 4 && p % side < (3 * side) / 4 ? 100 : 0;
      await put(
        join(root, "cases", id, `${id}_lesion`, `${id}_lesion.png`),
        await sharp(m, { raw: { width: side, height: side, channels: 1 } })
          .png()
          .toBuffer(),
      );
    }
    await put(join(root, "cases", "IMD999_lesion.png"), await png(799));
    await put(join(root, "PH2.csv"), lines.join("\n"));
    const result = await importFolderDataset(
      {
        folder: root,
        name: unique("ph2"),
        size: 32,
        labels: "PH2.csv",
        imageColumn: "case",
        labelColumn: "diagnosis",
        positive: "melanoma",
        negative: "common nevus",
      },
      ANY_PATH,
    );
    assert.equal(result.dataset.hasMasks, true);
    const rows = await rowsOf(result.dataset.id);
    assert.equal(rows.length, 6);
    assert.equal(rows.filter((r) => r.maskKey !== null).length, 5);
    const report = result.dataset.importReport as { path: string; reason: string }[];
    const has = (path: string, reason: RegExp) => report.some((r) => r.path === path && reason.test(r.reason));
    assert.ok(has("cases/IMD005/IMD005_Dermoscopic_Image/IMD005.png", /image without mask/), JSON.stringify(report));
    assert.ok(has("cases/IMD004/IMD004_lesion/IMD004_lesion.png", /not binary: thresholded/));
    assert.ok(!report.some((r) => r.path.startsWith("cases/IMD003/") && /not binary/.test(r.reason)));
    assert.ok(result.warnings.some((w) => /80x80 but the image is 40x40/.test(w.message)));
  });
});
