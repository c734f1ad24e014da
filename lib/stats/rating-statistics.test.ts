import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { AnswerDataError } from "./answers";
import { meanWithTInterval } from "./mean-interval";
import { ANXIETY, ROUNDING_TIMES } from "../testing/stats-rank-and-rating-examples";
import { type RatingAnswer, ratingFriedman, ratingIcc, ratingMeansByArm } from "./rating-statistics";
import { assertClose } from "../testing/assert-close";

describe("meanWithTInterval", () => {
  test("1..5: mean 3, s = √2.5, half-width t(.975, 4) · s / √5 with t = 2.776445 (tables)", () => {
    const r = meanWithTInterval([1, 2, 3, 4, 5]);
    assert.ok(r.defined && r.interval.defined);
    assert.equal(r.mean, 3);
    assertClose(r.interval.sd, Math.sqrt(2.5), 1e-12);
    const half = (2.7764451051977987 * Math.sqrt(2.5)) / Math.sqrt(5);
    assertClose(r.interval.low, 3 - half, 1e-7);
    assertClose(r.interval.high, 3 + half, 1e-7);
    assert.equal(r.interval.df, 4);
  });
  test("one value has a mean but no interval; none has neither", () => {
    const one = meanWithTInterval([4]);
    assert.ok(one.defined);
    assert.equal(one.mean, 4);
    assert.equal(one.interval.defined, false);
    assert.equal(meanWithTInterval([]).defined, false);
  });
});

const METHODS = ["Round Out", "Narrow Angle", "Wide Angle"];

function roundingRatings(): RatingAnswer[] {
  return ROUNDING_TIMES.flatMap((row, i) =>
    row.map((rating, j) => ({ caseId: `player${i + 1}`, readerId: "timer", arm: METHODS[j], rating })),
  );
}

function anxietyRatings(): RatingAnswer[] {
  return ANXIETY.flatMap((row, i) =>
    row.map((rating, j) => ({ caseId: `subject${i + 1}`, readerId: `rater${j + 1}`, arm: "map", rating })),
  );
}

describe("rating statistics over tidy rating answers", () => {
  test("ratingFriedman with cases as blocks reproduces R's friedman.test", () => {
    const r = ratingFriedman(roundingRatings(), METHODS);
    assert.ok(r.defined);
    assertClose(r.statistic, 11.142857142857, 1e-9);
    assertClose(r.p_value, 0.003805040775511383, 1e-9);
    assert.deepEqual(r.arms, METHODS);
    assert.equal(r.n_cases_incomplete, 0);
  });
  test("ratingFriedman averages several readers per case and drops incomplete cases", () => {
    const ratings: RatingAnswer[] = [
      // case 1: reader means A = 2, B = 4 → B ranks higher; case 2 likewise; case 3 lacks B.
      { caseId: "c1", readerId: "r1", arm: "A", rating: 1 },
      { caseId: "c1", readerId: "r2", arm: "A", rating: 3 },
      { caseId: "c1", readerId: "r1", arm: "B", rating: 4 },
      { caseId: "c1", readerId: "r2", arm: "B", rating: 4 },
      { caseId: "c2", readerId: "r1", arm: "A", rating: 2 },
      { caseId: "c2", readerId: "r1", arm: "B", rating: 5 },
      { caseId: "c3", readerId: "r1", arm: "A", rating: 2 },
    ];
    const r = ratingFriedman(ratings);
    assert.ok(r.defined);
    assert.equal(r.n_blocks, 2);
    assert.equal(r.n_cases_incomplete, 1);
    assert.deepEqual(r.mean_ranks, [1, 2]);
    // n = 2, k = 2, R = (2, 4): χ² = 12 · 2 / (2·2·3) = 2.
    assertClose(r.statistic, 2, 1e-12);
  });
  test("ratingIcc: maps as subjects, readers as raters, reproduces irr on anxiety", () => {
    const r = ratingIcc(anxietyRatings());
    assert.ok(r.defined && r.single.defined);
    assertClose(r.single.icc, 0.1979982593559615, 1e-12);
    assert.equal(r.n_maps, 20);
    assert.deepEqual(r.readers, ["rater1", "rater2", "rater3"]);
  });
  test("ratingIcc leaves out maps some reader did not rate", () => {
    const ratings = anxietyRatings().filter((r) => !(r.caseId === "subject2" && r.readerId === "rater3"));
    const r = ratingIcc(ratings);
    assert.ok(r.defined);
    assert.equal(r.n_maps, 19);
    assert.equal(r.n_maps_incomplete, 1);
  });
  test("ratingIcc with one reader says it needs two", () => {
    const r = ratingIcc(roundingRatings());
    assert.deepEqual(r, { defined: false, because: "needs ≥ 2 readers" });
  });
  test("ratingMeansByArm: per-arm mean and t interval, arms in declared order", () => {
    const means = ratingMeansByArm(roundingRatings(), METHODS);
    assert.deepEqual(
      means.map((m) => m.arm),
      METHODS,
    );
    const first = means[0].mean;
    assert.ok(first.defined);
    assertClose(first.mean, ROUNDING_TIMES.reduce((s, row) => s + row[0], 0) / 22, 1e-12);
  });
  test("bad input is refused: duplicate rating, unknown arm, non-finite value", () => {
    const dup = [...roundingRatings(), { caseId: "player1", readerId: "timer", arm: "Round Out", rating: 5 }];
    assert.throws(() => ratingMeansByArm(dup), AnswerDataError);
    assert.throws(() => ratingFriedman(roundingRatings(), ["Round Out"]), AnswerDataError);
    assert.throws(() => ratingIcc([{ caseId: "c", readerId: "r", arm: "A", rating: Number.NaN }]), AnswerDataError);
  });
});
