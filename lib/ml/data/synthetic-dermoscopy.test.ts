import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { generateSyntheticCase, generateSyntheticSet, syntheticSetLabels, syntheticCaseName } from "./synthetic-dermoscopy";
import { aucRoc } from "../metrics/auc";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("generateSyntheticCase", () => {
  test("same seed and index give identical bytes; others differ", () => {
    const a = generateSyntheticCase(11, 3, 48);
    const b = generateSyntheticCase(11, 3, 48);
    assert.equal(sha(a.rgb), sha(b.rgb));
    assert.equal(sha(a.mask), sha(b.mask));
    assert.notEqual(sha(generateSyntheticCase(12, 3, 48).rgb), sha(a.rgb));
    assert.notEqual(sha(generateSyntheticCase(11, 4, 48).rgb), sha(a.rgb));
  });

  test("shapes, mask values and a lesion of plausible size", () => {
    for (let i = 0; i < 10; i++) {
      const c = generateSyntheticCase(5, i, 40);
      assert.equal(c.rgb.length, 40 * 40 * 3);
      assert.equal(c.mask.length, 40 * 40);
      assert.ok(c.mask.every((m) => m === 0 || m === 1));
      const share = c.mask.reduce((s, m) => s + m, 0) / c.mask.length;
      assert.ok(share > 0.03 && share < 0.45, `lesion share ${share}`);
      assert.equal(c.mask[0], 0, "corners are skin");
    }
  });

  test("forcing the label keeps the distractors (they do not depend on the label)", () => {
    const benign = generateSyntheticCase(9, 1, 32, { label: 0 });
    const malignant = generateSyntheticCase(9, 1, 32, { label: 1 });
    assert.deepEqual(benign.distractors, malignant.distractors);
    assert.equal(benign.colourCount, 1);
    assert.ok(malignant.colourCount >= 2);
  });

  test("the mask follows the lesion at any resolution (same scene at 32 and 128 px)", () => {
    const small = generateSyntheticCase(3, 2, 32).mask;
    const large = generateSyntheticCase(3, 2, 128).mask;
    let agree = 0;
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) agree += small[y * 32 + x] === large[(4 * y + 2) * 128 + 4 * x + 2] ? 1 : 0;
    assert.ok(agree / 1024 > 0.97, `agreement ${agree / 1024}`);
  });
});

describe("generateSyntheticSet", () => {
  test("exact class shares, stable names, deterministic", () => {
    const labels = syntheticSetLabels(50, 1, 0.3);
    assert.equal(labels.filter((l) => l === 1).length, 15);
    assert.deepEqual(syntheticSetLabels(50, 1, 0.3), labels);
    const set = generateSyntheticSet({ count: 6, size: 16, seed: 1 });
    assert.deepEqual(set.map((c) => c.name), [0, 1, 2, 3, 4, 5].map(syntheticCaseName));
    assert.equal(set.filter((c) => c.label === 1).length, 3);
    assert.equal(syntheticCaseName(7), "case-0007");
  });

  test("label signal is in shape (border irregularity) while distractors are balanced and no pixel is decisive", () => {
    const size = 32;
    const set = generateSyntheticSet({ count: 160, size, seed: 2024 });
    const labels = set.map((c) => c.label);

    // Shape: isoperimetric ratio perimeter^2 / (4 pi area) from the mask; 1 for a disc, larger when irregular.
    const irregularity = set.map(({ mask }) => {
      let area = 0;
      let edges = 0;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const m = mask[y * size + x];
          area += m;
          if (x + 1 < size && m !== mask[y * size + x + 1]) edges++;
          if (y + 1 < size && m !== mask[(y + 1) * size + x]) edges++;
        }
      }
      return (edges * edges) / (4 * Math.PI * area);
    });
    const shapeAuc = aucRoc(irregularity, labels)!;
    assert.ok(shapeAuc > 0.8, `shape AUC ${shapeAuc}`);

    // Distractors: similar rates in both classes (loose bounds; 80 cases per class).
    const rate = (label: number, f: (c: (typeof set)[number]) => boolean) =>
      set.filter((c) => c.label === label && f(c)).length / set.filter((c) => c.label === label).length;
    for (const f of [(c: (typeof set)[number]) => c.distractors.ruler !== "none", (c: (typeof set)[number]) => c.distractors.hairCount > 0, (c: (typeof set)[number]) => c.distractors.vignetting]) {
      assert.ok(Math.abs(rate(0, f) - rate(1, f)) < 0.2);
    }
    const toneAuc = aucRoc(set.map((c) => c.distractors.skinTone), labels)!;
    assert.ok(Math.abs(toneAuc - 0.5) < 0.15, `skin tone AUC ${toneAuc}`);

    // No single pixel value separates the classes well (max over all pixels and channels, both directions).
    let best = 0;
    const column = new Float64Array(set.length);
    for (let p = 0; p < size * size * 3; p++) {
      for (let i = 0; i < set.length; i++) column[i] = set[i].rgb[p];
      const auc = aucRoc(column, labels)!;
      best = Math.max(best, auc, 1 - auc);
    }
    assert.ok(best < 0.85, `best single-pixel AUC ${best}`);
  });

  test("rulerRate can make the ruler a deliberate shortcut", () => {
    const set = generateSyntheticSet({ count: 60, size: 16, seed: 4, rulerRate: { benign: 0, malignant: 1 } });
    for (const c of set) assert.equal(c.distractors.ruler !== "none", c.label === 1);
  });
});
