import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { friedmanTest } from "./friedman";
import { ROUNDING_TIMES } from "../testing/stats-rank-and-rating-examples";
import { assertClose } from "../testing/assert-close";

describe("friedmanTest", () => {
  test("R's friedman.test example (RoundingTimes, with ties): chi-squared = 11.143, df = 2, p = 0.003805", () => {
    const r = friedmanTest(ROUNDING_TIMES);
    assert.ok(r.defined);
    assertClose(r.statistic, 11.142857142857, 1e-9, "statistic");
    assert.equal(r.df, 2);
    assertClose(r.p_value, 0.003805040775511383, 1e-9, "p");
    assert.equal(r.n_blocks, 22);
    assert.equal(r.n_treatments, 3);
  });
  test("without ties: a block design whose statistic is worked by hand", () => {
    // Ranks per block: (1,2,3), (1,2,3), (1,3,2), (1,2,3): R = (4, 9, 11), n = 4, k = 3.
    // χ² = 12/(n k (k+1)) Σ R² − 3 n (k+1) = 12/48 · 218 − 48 = 6.5.
    const r = friedmanTest([
      [1, 2, 3],
      [10, 20, 30],
      [0.1, 0.9, 0.5],
      [5, 6, 7],
    ]);
    assert.ok(r.defined);
    assertClose(r.statistic, 6.5, 1e-12);
    assertClose(r.p_value, Math.exp(-6.5 / 2), 1e-12, "df 2: p = exp(−χ²/2)");
    assert.deepEqual(r.mean_ranks, [1, 2.25, 2.75]);
  });
  test("undefined when every block ties all treatments, or with one treatment", () => {
    const tied = friedmanTest([
      [3, 3],
      [4, 4],
    ]);
    assert.equal(tied.defined, false);
    if (!tied.defined) assert.match(tied.because, /ties all arms/);
    assert.equal(friedmanTest([[1], [2]]).defined, false);
    assert.equal(friedmanTest([]).defined, false);
  });
  test("ragged input is refused", () => {
    assert.throws(() => friedmanTest([[1, 2], [1]]), RangeError);
  });
});
