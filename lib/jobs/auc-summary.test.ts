import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { aucTableByVariant, formatMeanSd, meanSd } from "./auc-summary";

const close = (a: number | null, b: number, eps = 1e-12) =>
  assert.ok(a !== null && Math.abs(a - b) < eps, `${a} vs ${b}`);

describe("meanSd", () => {
  test("sample standard deviation (n - 1), worked by hand", () => {
    // 0.80, 0.85, 0.90: mean 0.85, squared deviations 0.0025 + 0 + 0.0025 = 0.005, / 2 = 0.0025, sqrt = 0.05.
    const m = meanSd([0.8, 0.85, 0.9]);
    assert.equal(m.n, 3);
    close(m.mean, 0.85);
    close(m.sd, 0.05);
    // 0.7, 0.9: mean 0.8, sd = sqrt(0.02 / 1) = 0.141421...
    close(meanSd([0.7, 0.9]).sd, Math.SQRT2 / 10);
  });
  test("one value has no sd, none has no mean; non-finite values are ignored", () => {
    assert.deepEqual(meanSd([0.75]), { n: 1, mean: 0.75, sd: null });
    assert.deepEqual(meanSd([]), { n: 0, mean: null, sd: null });
    assert.deepEqual(meanSd([Number.NaN, 0.5]), { n: 1, mean: 0.5, sd: null });
  });
  test("formatting as in the paper's tables", () => {
    assert.equal(formatMeanSd(meanSd([0.8, 0.85, 0.9])), "0.850 ± 0.050");
    assert.equal(formatMeanSd(meanSd([0.75])), "0.750");
    assert.equal(formatMeanSd(meanSd([])), "—");
  });
});

describe("aucTableByVariant", () => {
  test("rows in the paper's order; only succeeded runs count; runs listed by seed", () => {
    const rows = aucTableByVariant([
      { id: "c1", variant: "CBAM", seed: 2, status: "SUCCEEDED", valAuc: 0.9 },
      { id: "b1", variant: "BASELINE", seed: 1, status: "SUCCEEDED", valAuc: 0.8 },
      { id: "c0", variant: "CBAM", seed: 1, status: "SUCCEEDED", valAuc: 0.7 },
      { id: "c2", variant: "CBAM", seed: 3, status: "CANCELLED", valAuc: 0.1 },
      { id: "b2", variant: "BASELINE", seed: 2, status: "FAILED", valAuc: null },
    ]);
    assert.deepEqual(
      rows.map((r) => r.variant),
      ["BASELINE", "CBAM"],
    );
    assert.equal(rows[0].n, 1);
    close(rows[0].mean, 0.8);
    assert.equal(rows[0].sd, null);
    assert.deepEqual(
      rows[1].runs.map((r) => r.id),
      ["c0", "c1", "c2"],
    );
    assert.equal(rows[1].n, 2);
    close(rows[1].mean, 0.8);
    close(rows[1].sd, Math.SQRT2 / 10);
  });

  test("test AUC mean ± sd beside the validation one, over succeeded runs that have a test split", () => {
    const rows = aucTableByVariant([
      { id: "s1", variant: "SE", seed: 1, status: "SUCCEEDED", valAuc: 0.9, testAuc: 0.8 },
      { id: "s2", variant: "SE", seed: 2, status: "SUCCEEDED", valAuc: 0.8, testAuc: 0.6 },
      { id: "s3", variant: "SE", seed: 3, status: "CANCELLED", valAuc: 0.5, testAuc: 0.1 },
      { id: "g1", variant: "GC", seed: 1, status: "SUCCEEDED", valAuc: 0.7, testAuc: null },
    ]);
    const se = rows.find((r) => r.variant === "SE")!;
    assert.equal(se.test.n, 2);
    close(se.test.mean, 0.7);
    close(se.test.sd, Math.SQRT2 / 10);
    assert.deepEqual(rows.find((r) => r.variant === "GC")!.test, { n: 0, mean: null, sd: null });
  });
});
