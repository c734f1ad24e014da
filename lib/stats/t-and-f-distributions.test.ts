import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { fQuantile, fSurvival, tQuantile, tSurvival } from "./t-and-f-distributions";

function close(actual: number, expected: number, relative: number, label = ""): void {
  const tolerance = relative * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label} expected ${expected} ± ${tolerance}, got ${actual}`);
}

// Reference values: R's qt/pt/qf/pf (identical to SciPy 1.17's t.ppf, t.sf, f.ppf, f.sf, which computed the
// digits below); the round ones also appear in printed tables (NIST/SEMATECH e-Handbook 1.3.6.7.2 and 1.3.6.7.3).
describe("Student's t", () => {
  test("quantiles match tables and R's qt", () => {
    close(tQuantile(0.975, 1), 12.706204736174694, 1e-7, "qt(.975, 1)");
    close(tQuantile(0.975, 2), 4.302652729749462, 1e-7, "qt(.975, 2)");
    close(tQuantile(0.975, 19), 2.0930240544083087, 1e-7, "qt(.975, 19)");
    close(tQuantile(0.975, 1000), 1.9623390808264083, 1e-7, "qt(.975, 1000)");
    close(tQuantile(0.995, 5), 4.032142983555228, 1e-7, "qt(.995, 5)");
    close(tQuantile(0.025, 10), -2.2281388519862753, 1e-7, "qt(.025, 10)");
    assert.equal(tQuantile(0.5, 7), 0);
  });
  test("upper tails match R's pt(lower.tail = FALSE)", () => {
    close(tSurvival(2, 5), 0.050969739414929174, 1e-7);
    close(tSurvival(-1.5, 12), 0.9202712482433966, 1e-7);
    close(tSurvival(4, 30), 0.0001909228180418782, 1e-6);
    close(tSurvival(0, 3), 0.5, 1e-12);
  });
  test("quantile and tail are inverse", () => {
    for (const df of [1, 3, 10, 57.5])
      for (const p of [0.6, 0.9, 0.99]) close(tSurvival(tQuantile(p, df), df), 1 - p, 1e-6);
  });
  test("rejects bad arguments", () => {
    assert.throws(() => tQuantile(1, 5), RangeError);
    assert.throws(() => tQuantile(0.5, 0), RangeError);
    assert.throws(() => tSurvival(Number.NaN, 5), RangeError);
  });
});

describe("Fisher's F", () => {
  test("upper tails match R's pf(lower.tail = FALSE), with fractional df", () => {
    close(fSurvival(1.8267716535433058, 19, 39.74604092078144), 0.05426568131784287, 1e-6, "irr anxiety F test");
    close(fSurvival(3.5, 2, 10), 0.07042962777237427, 1e-6);
    close(fSurvival(11.027, 5, 15), 0.0001345835296758356, 1e-6);
    // F(4, 6) at 0.5 has the closed form 0.73828125 (even df: a finite binomial sum).
    close(fSurvival(0.5, 4, 6), 0.73828125, 1e-7);
    assert.equal(fSurvival(0, 3, 4), 1);
  });
  test("quantiles match tables and R's qf", () => {
    close(fQuantile(0.95, 3, 12), 3.490294819497605, 1e-7, "table F(.95; 3, 12) = 3.49");
    close(fQuantile(0.975, 19, 39.74604092078144), 2.088757320645927, 1e-7);
    close(fQuantile(0.975, 5, 4.785143862212757), 7.4986275931448185, 1e-7);
    close(fQuantile(0.025, 2, 20), 0.025349884618969955, 1e-6);
  });
  test("rejects bad arguments", () => {
    assert.throws(() => fQuantile(0, 3, 4), RangeError);
    assert.throws(() => fSurvival(1, -1, 4), RangeError);
  });
});
