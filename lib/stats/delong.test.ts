import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { aucRoc } from "@/lib/ml/metrics/auc";
import { delongAuc, placementValues } from "./delong";
import { Z_95 } from "./wilson";
import { assertClose } from "../testing/assert-close";

/**
 * DeLong et al. (1988) written out as in the paper, independently of the mid-rank form: the kernel ψ over every
 * (positive, negative) pair, the structural components V10 and V01 as row and column means, and their variances.
 */
function delongByPairs(scores: number[], labels: number[]): { auc: number; se: number } {
  const x = scores.filter((_, i) => labels[i] === 1);
  const y = scores.filter((_, i) => labels[i] === 0);
  const psi = (a: number, b: number) => (a > b ? 1 : a === b ? 0.5 : 0);
  const v10 = x.map((xi) => y.reduce((s, yj) => s + psi(xi, yj), 0) / y.length);
  const v01 = y.map((yj) => x.reduce((s, xi) => s + psi(xi, yj), 0) / x.length);
  const auc = v10.reduce((a, b) => a + b, 0) / x.length;
  const s10 = v10.reduce((s, v) => s + (v - auc) ** 2, 0) / (x.length - 1);
  const s01 = v01.reduce((s, v) => s + (v - auc) ** 2, 0) / (y.length - 1);
  return { auc, se: Math.sqrt(s10 / x.length + s01 / y.length) };
}

test("a worked example by hand: AUC 8/9, SE sqrt(2)/9", () => {
  // Positives 0.9, 0.8, 0.4 against negatives 0.7, 0.3, 0.2: V10 = 1, 1, 2/3 and V01 = 2/3, 1, 1, so
  // S10 = S01 = ((1/9)² + (1/9)² + (2/9)²) / 2 = 1/27 and var = 1/81 + 1/81.
  const r = delongAuc([0.9, 0.8, 0.4, 0.7, 0.3, 0.2], [1, 1, 1, 0, 0, 0])!;
  assertClose(r.auc, 8 / 9);
  assertClose(r.se, Math.sqrt(2) / 9);
  assertClose(r.ci!.low, 8 / 9 - Z_95 * (Math.sqrt(2) / 9));
  assert.equal(r.ci!.high, 1, "clipped at 1");
});

test("Hanley & McNeil (1982) CT ratings: the published area 0.893", () => {
  // Radiology 143:29-36, Table 1: 58 normal and 51 abnormal patients rated 1 (definitely normal) to 5.
  const normal = [33, 6, 6, 11, 2];
  const abnormal = [3, 2, 2, 11, 33];
  const scores: number[] = [];
  const labels: number[] = [];
  normal.forEach((n, r) => {
    for (let k = 0; k < n; k++) {
      scores.push(r + 1);
      labels.push(0);
    }
  });
  abnormal.forEach((n, r) => {
    for (let k = 0; k < n; k++) {
      scores.push(r + 1);
      labels.push(1);
    }
  });
  const r = delongAuc(scores, labels)!;
  assertClose(r.auc, 0.893, 5e-4);
  assert.equal(r.positives, 51);
  assert.equal(r.negatives, 58);
  // Their exponential-approximation SE is 0.032; DeLong's nonparametric SE is close to it, and equals the pairs form.
  assertClose(r.se, delongByPairs(scores, labels).se);
  assertClose(r.se, 0.032, 0.004);
});

test("mid-rank placement values equal the pairwise structural components (ties included)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { minLength: 4, maxLength: 60 }),
      (pairs) => {
        const scores = pairs.map(([s]) => s / 6);
        const labels = pairs.map(([, l]) => (l ? 1 : 0));
        const m = labels.filter((l) => l === 1).length;
        const n = labels.length - m;
        fc.pre(m >= 2 && n >= 2);
        const fast = delongAuc(scores, labels)!;
        const slow = delongByPairs(scores, labels);
        assertClose(fast.auc, slow.auc, 1e-12);
        assertClose(fast.se, slow.se, 1e-12);
        assertClose(fast.auc, aucRoc(scores, labels)!, 1e-12);
      },
    ),
  );
});

test("placement values average to the AUC from both sides", () => {
  const scores = [0.1, 0.4, 0.35, 0.8, 0.8, 0.2, 0.9];
  const labels = [0, 0, 1, 1, 0, 1, 1];
  const v = placementValues(scores, labels);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assertClose(mean(v.positive), aucRoc(scores, labels)!);
  assertClose(mean(v.negative), aucRoc(scores, labels)!);
});

test("one class absent gives null; a single image of a class gives an AUC without SE", () => {
  assert.equal(delongAuc([0.1, 0.2], [1, 1]), null);
  const r = delongAuc([0.9, 0.1, 0.2], [1, 0, 0])!;
  assert.equal(r.auc, 1);
  assert.equal(r.se, null);
  assert.equal(r.ci, null);
  assert.throws(() => delongAuc([0.1], [2]), RangeError);
  assert.throws(() => delongAuc([Number.NaN, 0.2], [1, 0]), RangeError);
});

test("a perfect separation has SE 0 and the interval [1, 1]", () => {
  const r = delongAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])!;
  assert.equal(r.auc, 1);
  assert.equal(r.se, 0);
  assert.deepEqual(r.ci, { low: 1, high: 1 });
});
