import { test } from "node:test";
import assert from "node:assert/strict";
import { chiSquareGoodnessOfFit, smallestExpectedCount } from "./chi-square";
import { assertClose } from "../testing/assert-close";

test("fair-die example: 60 rolls [5, 8, 9, 8, 10, 20] gives X² = 13.4, df 5, p ≈ 0.0199", () => {
  // Expected 10 per face; X² = (25+4+1+4+0+100)/10 = 13.4. Upper tail of chi-square(5) at 13.4 (R: pchisq(13.4, 5,
  // lower.tail = FALSE) = 0.01990).
  const r = chiSquareGoodnessOfFit([5, 8, 9, 8, 10, 20])!;
  assertClose(r.statistic, 13.4, 1e-12);
  assert.equal(r.df, 5);
  assertClose(r.p, 0.0199, 5e-5);
});

test("two categories: [60, 40] gives X² = 4, df 1, p = 0.0455 (erfc(√2))", () => {
  const r = chiSquareGoodnessOfFit([60, 40])!;
  assertClose(r.statistic, 4, 1e-12);
  assertClose(r.p, 0.04550026389635842, 1e-12);
});

test("perfectly even counts give statistic 0 and p 1", () => {
  const r = chiSquareGoodnessOfFit([7, 7, 7])!;
  assert.equal(r.statistic, 0);
  assert.equal(r.p, 1);
});

test("explicit expected proportions (Mendel's peas 315/108/101/32 against 9:3:3:1, X² ≈ 0.470, p ≈ 0.925)", () => {
  const r = chiSquareGoodnessOfFit([315, 108, 101, 32], [9 / 16, 3 / 16, 3 / 16, 1 / 16])!;
  assertClose(r.statistic, 0.470024, 1e-6);
  assert.equal(r.df, 3);
  assertClose(r.p, 0.9254, 1e-4);
});

test("undefined cases give null; bad input throws", () => {
  assert.equal(chiSquareGoodnessOfFit([5]), null);
  assert.equal(chiSquareGoodnessOfFit([0, 0]), null);
  assert.throws(() => chiSquareGoodnessOfFit([1, -1, 3]), RangeError);
  assert.throws(() => chiSquareGoodnessOfFit([1, 2], [0.2, 0.2]), RangeError);
  assert.equal(smallestExpectedCount([1, 2, 3]), 2);
});
