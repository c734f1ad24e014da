import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { NEEDS_TWO_READERS } from "./estimate";
import { kendallW } from "./kendall-w";
import { midRanks, tieTerm } from "./mid-ranks";
import { ANXIETY, KENDALL_THREE_RATERS, ROUNDING_TIMES } from "../testing/stats-rank-and-rating-examples";
import { assertClose } from "../testing/assert-close";

const transpose = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]));

describe("midRanks and tieTerm", () => {
  test("ties share the mean position", () => {
    assert.deepEqual(midRanks([3, 1, 3, 2, 3]), [4, 1, 4, 2, 4]);
    assert.equal(tieTerm([3, 1, 3, 2, 3]), 24);
    assert.equal(tieTerm([1, 2, 3]), 0);
  });
});

describe("kendallW", () => {
  test("DescTools' example without ties: W = 0.568254, chi-squared = 8.5238, df = 5, p = 0.1296", () => {
    const r = kendallW(KENDALL_THREE_RATERS);
    assert.ok(r.defined);
    assertClose(r.w, 0.568254, 5e-7, "W");
    assertClose(r.chi_square, 8.5238, 5e-5, "chi-square");
    assert.equal(r.df, 5);
    assertClose(r.p_value, 0.1296, 5e-5, "p");
    assert.equal(r.ties, false);
  });
  test("irr's anxiety data with ties: corrected Wt and uncorrected W", () => {
    // irr::kendall(anxiety, correct = TRUE) prints Wt = 0.54, Chisq(19) = 30.8, p = 0.0429; the full digits
    // were computed independently with SciPy's rankdata and chi2.sf from the textbook formula.
    const raters = transpose(ANXIETY);
    const corrected = kendallW(raters);
    assert.ok(corrected.defined);
    assertClose(corrected.w, 0.5396568759543698, 1e-12, "Wt");
    assertClose(corrected.chi_square, 30.760441929399082, 1e-10, "chi-square");
    assert.equal(corrected.df, 19);
    assertClose(corrected.p_value, 0.04288347312694786, 1e-9, "p");
    assert.equal(corrected.ties, true);
    const plain = kendallW(raters, { correctTies: false });
    assert.ok(plain.defined);
    assertClose(plain.w, 0.501921470342523, 1e-12, "W without correction");
  });
  test("m (n − 1) W is the tie-corrected Friedman statistic (R: 11.143 on RoundingTimes)", () => {
    const r = kendallW(ROUNDING_TIMES);
    assert.ok(r.defined);
    assertClose(r.chi_square, 11.142857142857, 1e-9);
    assertClose(r.w, 11.142857142857 / (22 * 2), 1e-11);
  });
  test("perfect agreement gives W = 1, and reversed pairs give W = 0", () => {
    const same = kendallW([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    assert.ok(same.defined);
    assertClose(same.w, 1, 1e-12);
    const opposite = kendallW([
      [1, 2, 3],
      [3, 2, 1],
    ]);
    assert.ok(opposite.defined);
    assertClose(opposite.w, 0, 1e-12);
  });
  test("undefined with one rater, one object, or all ties", () => {
    const one = kendallW([[1, 2, 3]]);
    assert.deepEqual(one, { defined: false, because: NEEDS_TWO_READERS });
    assert.equal(kendallW([[1], [1]]).defined, false);
    assert.equal(
      kendallW([
        [2, 2],
        [5, 5],
      ]).defined,
      false,
    );
  });
});
