import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { aucRoc, rocCurve, areaUnderCurve } from "./auc";

function bruteForceAuc(scores: number[], labels: number[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    for (let j = 0; j < scores.length; j++) {
      if (labels[i] === 1 && labels[j] === 0) {
        pairs++;
        sum += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
  }
  return sum / pairs;
}

describe("aucRoc", () => {
  test("perfect, inverted and all-tied rankings", () => {
    assert.equal(aucRoc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]), 1);
    assert.equal(aucRoc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]), 0);
    assert.equal(aucRoc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
  });

  test("hand-computed case with ties", () => {
    // positives: 0.8, 0.6, 0.4 ; negatives: 0.6, 0.4, 0.2
    // pairs (pos vs neg): 0.8 beats all 3 -> 3; 0.6: beats 0.4, 0.2, ties 0.6 -> 2.5; 0.4: beats 0.2, ties 0.4 -> 1.5
    // AUC = 7 / 9
    const scores = [0.8, 0.6, 0.4, 0.6, 0.4, 0.2];
    const labels = [1, 1, 1, 0, 0, 0];
    assert.ok(Math.abs(aucRoc(scores, labels)! - 7 / 9) < 1e-12);
  });

  test("matches the pairwise definition on random data with many ties", () => {
    let s = 12345;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 20; trial++) {
      const n = 30 + trial;
      const scores = Array.from({ length: n }, () => Math.floor(rnd() * 6) / 5);
      const labels = Array.from({ length: n }, (_, i) => (i < 3 ? i % 2 : rnd() < 0.4 ? 1 : 0));
      const auc = aucRoc(scores, labels)!;
      assert.ok(Math.abs(auc - bruteForceAuc(scores, labels)) < 1e-12);
      assert.ok(Math.abs(areaUnderCurve(rocCurve(scores, labels)!) - auc) < 1e-12);
    }
  });

  test("null when a class is absent; errors on bad input", () => {
    assert.equal(aucRoc([0.1, 0.2], [1, 1]), null);
    assert.equal(rocCurve([0.1, 0.2], [0, 0]), null);
    assert.equal(aucRoc([], []), null);
    assert.throws(() => aucRoc([0.1], [0, 1]), RangeError);
    assert.throws(() => aucRoc([NaN, 0.2], [0, 1]), RangeError);
    assert.throws(() => aucRoc([0.1, 0.2], [0, 2]), RangeError);
  });
});

describe("rocCurve", () => {
  test("hand-computed points with tied scores grouped", () => {
    const scores = [0.8, 0.6, 0.4, 0.6, 0.4, 0.2];
    const labels = [1, 1, 1, 0, 0, 0];
    const pts = rocCurve(scores, labels)!;
    const third = 1 / 3;
    const expected = [
      { threshold: Infinity, fpr: 0, tpr: 0 },
      { threshold: 0.8, fpr: 0, tpr: third },
      { threshold: 0.6, fpr: third, tpr: 2 * third },
      { threshold: 0.4, fpr: 2 * third, tpr: 1 },
      { threshold: 0.2, fpr: 1, tpr: 1 },
    ];
    assert.equal(pts.length, expected.length);
    pts.forEach((p, i) => {
      assert.equal(p.threshold, expected[i].threshold);
      assert.ok(Math.abs(p.fpr - expected[i].fpr) < 1e-12);
      assert.ok(Math.abs(p.tpr - expected[i].tpr) < 1e-12);
    });
  });

  test("starts at (0,0) and ends at (1,1) even when all scores tie", () => {
    const pts = rocCurve([0.3, 0.3, 0.3], [0, 1, 1])!;
    assert.deepEqual(pts, [
      { threshold: Infinity, fpr: 0, tpr: 0 },
      { threshold: 0.3, fpr: 1, tpr: 1 },
    ]);
    assert.equal(areaUnderCurve(pts), 0.5);
  });
});
