import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { stat } from "node:fs/promises";
import sharp from "sharp";
import { db, disconnectDb } from "@/lib/db/client";
import { getBytes, pathOfKey } from "@/lib/storage/content-store";
import { generateSyntheticCase, syntheticSetLabels } from "@/lib/ml/data/synthetic-dermoscopy";
import { createSyntheticDataset } from "./synthetic-dataset";
import { decodeMask, decodeRgb } from "@/lib/image-codec/decode";
import { loadSplit } from "./load-split";
import { isDomainError } from "@/lib/errors/domain-error";

const unique = (p: string) => `${p}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;

after(() => disconnectDb());

describe("createSyntheticDataset", () => {
  test("stores 20 masked images with a stratified 80/20 split that loads back at any input size", async () => {
    const name = unique("synth");
    const dataset = await createSyntheticDataset({ name, count: 20, size: 32, seed: 5 });
    assert.equal(dataset.modality, "SYNTHETIC");
    assert.equal(dataset.hasMasks, true);
    assert.deepEqual(dataset.classNames, ["benign", "malignant"]);
    assert.equal(dataset.splitSeed, 5);

    const images = await db().image.findMany({ where: { datasetId: dataset.id } });
    assert.equal(images.length, 20);
    // 10 per class: round(10 * 0.2) = 2 of each class in validation.
    const count = (split: string, label: number) => images.filter((i) => i.split === split && i.label === label).length;
    assert.deepEqual(
      [count("TRAIN", 0), count("TRAIN", 1), count("VALIDATION", 0), count("VALIDATION", 1)],
      [8, 8, 2, 2],
    );
    assert.equal(new Set(images.map((i) => i.contentHash)).size, 20);

    // The stored PNG is exactly the generator's pixels (lossless), and the mask is its lesion mask.
    const labels = syntheticSetLabels(20, 5);
    const first = images.find((i) => i.originalName.endsWith("case-0003.png"))!;
    const expected = generateSyntheticCase(5, 3, 32, { label: labels[3] });
    assert.equal(first.label, expected.label);
    const png = await getBytes(first.fileKey);
    assert.deepEqual((await sharp(png).metadata()).format, "png");
    assert.deepEqual(Buffer.from(await decodeRgb(png, 32)), Buffer.from(expected.rgb));
    assert.ok(first.maskKey);
    assert.deepEqual(Buffer.from(await decodeMask(await getBytes(first.maskKey), 32)), Buffer.from(expected.mask));
    assert.ok((await stat(pathOfKey(first.maskKey))).size > 0);
    // The display copy is the same case drawn at 4x the side, so it is the same picture.
    assert.ok(first.displayKey);
    const display = await getBytes(first.displayKey);
    const meta = await sharp(display).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 128, 128]);
    const shrunk = await decodeRgb(display, 32);
    const difference = shrunk.reduce((s, v, i) => s + Math.abs(v - expected.rgb[i]), 0) / shrunk.length;
    assert.ok(difference < 10, `display copy differs from the model-size copy by ${difference} per channel`);

    const train = await loadSplit(dataset.id, "TRAIN", 32);
    assert.equal(train.images.length, 16);
    assert.equal(train.labels.filter((l) => l === 1).length, 8);
    assert.ok(train.images.every((im) => im.length === 32 * 32 * 3));
    const val = await loadSplit(dataset.id, "VALIDATION", 48);
    assert.equal(val.images.length, 4);
    assert.ok(
      val.images.every((im) => im.length === 48 * 48 * 3),
      "resized to the run's input size",
    );
    assert.equal(new Set([...train.imageIds, ...val.imageIds]).size, 20);
  });

  test("the same seed gives the same split; a second dataset with the same name is refused", async () => {
    const a = await createSyntheticDataset({ name: unique("synth-a"), count: 12, size: 24, seed: 9 });
    const b = await createSyntheticDataset({ name: unique("synth-b"), count: 12, size: 24, seed: 9 });
    const splitOf = async (id: string) =>
      (await db().image.findMany({ where: { datasetId: id }, orderBy: { contentHash: "asc" } })).map(
        (i) => `${i.contentHash}:${i.split}`,
      );
    assert.deepEqual(await splitOf(a.id), await splitOf(b.id));
    await assert.rejects(createSyntheticDataset({ name: a.name, count: 12, size: 24, seed: 1 }), (e: unknown) =>
      isDomainError(e, "conflict"),
    );
  });

  test("bad input is refused before anything is written", async () => {
    await assert.rejects(
      createSyntheticDataset({ name: "bad/name", count: 12, size: 24, seed: 1 }),
      /name may contain/,
    );
    await assert.rejects(
      createSyntheticDataset({ name: unique("x"), count: 2, size: 24, seed: 1 }),
      /count must be at least 4/,
    );
  });
});
