import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { AnswerDataError } from "./answers";
import { byReaderGroup } from "./by-reader-group";
import { kendallW } from "./kendall-w";
import { plackettLuce } from "./plackett-luce";
import { type RankingAnswer, rankPositions, rankingFromPositions } from "./ranking";
import { rankingConcordance, rankingWorths } from "./ranking-statistics";
import { ratingFriedman, type RatingAnswer } from "./rating-statistics";
import { assertClose } from "../testing/assert-close";

const ARMS = ["plain", "SE", "CBAM", "GC"];

// Three readers rank four arms on three cases; r3 ties two arms on case 2 and ranks only two arms on case 3.
const ANSWERS: RankingAnswer[] = [
  { caseId: "c1", readerId: "r1", ranking: [["CBAM"], ["SE"], ["GC"], ["plain"]] },
  { caseId: "c1", readerId: "r2", ranking: [["CBAM"], ["GC"], ["SE"], ["plain"]] },
  { caseId: "c1", readerId: "r3", ranking: [["SE"], ["CBAM"], ["plain"], ["GC"]] },
  { caseId: "c2", readerId: "r1", ranking: [["GC"], ["CBAM"], ["SE"], ["plain"]] },
  { caseId: "c2", readerId: "r2", ranking: [["CBAM"], ["SE"], ["plain"], ["GC"]] },
  { caseId: "c2", readerId: "r3", ranking: [["CBAM", "SE"], ["GC"], ["plain"]] },
  { caseId: "c3", readerId: "r1", ranking: [["plain"], ["CBAM"], ["SE"], ["GC"]] },
  { caseId: "c3", readerId: "r2", ranking: [["SE"], ["CBAM"], ["GC"], ["plain"]] },
  { caseId: "c3", readerId: "r3", ranking: [["GC"], ["SE"]] },
];

describe("ranking helpers", () => {
  test("positions: ties share the mean position", () => {
    assert.deepEqual(Object.fromEntries(rankPositions([["A", "B"], ["C"], ["D"]])), { A: 1.5, B: 1.5, C: 3, D: 4 });
    assert.deepEqual(rankingFromPositions({ B: 2, A: 1, C: 2 }), [["A"], ["B", "C"]]);
  });
});

describe("rankingWorths", () => {
  test("is Plackett–Luce over every reader × case ranking, in the declared arm order", () => {
    const r = rankingWorths(ANSWERS, { arms: ARMS });
    const direct = plackettLuce(
      ANSWERS.map((a) => a.ranking),
      { arms: ARMS },
    );
    assert.ok(r.defined && direct.defined);
    assert.deepEqual(
      r.arms.map((a) => a.arm),
      ARMS,
    );
    r.arms.forEach((a, i) => assertClose(a.worth, direct.arms[i].worth, 1e-12));
    assert.equal(r.n_rankings, 9);
    // CBAM is first or second in all 8 rankings that include it: it has the highest worth.
    const best = [...r.arms].sort((a, b) => b.worth - a.worth)[0];
    assert.equal(best.arm, "CBAM");
  });
  test("refuses a ranking with a repeated arm or an arm outside the study", () => {
    assert.throws(
      () => rankingWorths([{ caseId: "c", readerId: "r", ranking: [["SE"], ["SE"]] }], { arms: ARMS }),
      AnswerDataError,
    );
    assert.throws(
      () => rankingWorths([{ caseId: "c", readerId: "r", ranking: [["SE"], ["ViT"]] }], { arms: ARMS }),
      AnswerDataError,
    );
    assert.throws(
      () =>
        rankingWorths([
          { caseId: "c", readerId: "r", ranking: [["SE"], ["GC"]] },
          { caseId: "c", readerId: "r", ranking: [["GC"], ["SE"]] },
        ]),
      AnswerDataError,
    );
  });
});

describe("rankingConcordance", () => {
  const r = rankingConcordance(ANSWERS, ARMS);
  test("pooled W is Kendall's W over the complete rankings as raters", () => {
    const complete = ANSWERS.filter((a) => a.ranking.flat().length === 4).map((a) => {
      const p = rankPositions(a.ranking);
      return ARMS.map((arm) => p.get(arm)!);
    });
    const expected = kendallW(complete);
    assert.ok(r.pooled.defined && expected.defined);
    assertClose(r.pooled.w, expected.w, 1e-12);
    assert.equal(r.pooled.n_raters, 8);
    assert.equal(r.pooled.ties, true);
    assert.equal(r.n_incomplete, 1);
  });
  test("per case: W across that case's readers; the mean over cases with a defined W", () => {
    assert.deepEqual(
      r.per_case.map((c) => c.caseId),
      ["c1", "c2", "c3"],
    );
    const c1 = r.per_case[0].w;
    assert.ok(c1.defined);
    // c1 ranks (plain, SE, CBAM, GC): r1 (4,2,1,3), r2 (4,3,1,2), r3 (3,1,2,4); R = (11, 6, 4, 9), mean 7.5:
    // S = 12.25 + 2.25 + 12.25 + 2.25 = 29, W = 12 · 29 / (9 · 60) = 0.6444…
    assertClose(c1.w, (12 * 29) / (9 * 60), 1e-12);
    // c3 has two complete rankings only.
    const c3 = r.per_case[2].w;
    assert.ok(c3.defined);
    assert.equal(c3.n_raters, 2);
    assert.ok(r.mean_case_w.defined);
    assert.equal(r.mean_case_w.n_cases, 3);
  });
  test("one reader: needs ≥ 2 readers", () => {
    const single = rankingConcordance(
      ANSWERS.filter((a) => a.readerId === "r1" && a.caseId === "c1"),
      ARMS,
    );
    assert.deepEqual(single.pooled, { defined: false, because: "needs ≥ 2 readers" });
  });
});

describe("byReaderGroup", () => {
  test("runs an estimator per specialty, ungrouped readers together", () => {
    const ratings: RatingAnswer[] = [];
    ["r1", "r2", "r3"].forEach((readerId, r) =>
      ["c1", "c2", "c3"].forEach((caseId, c) =>
        ARMS.forEach((arm, a) => ratings.push({ caseId, readerId, arm, rating: 1 + ((a + c + r) % 5) })),
      ),
    );
    const groups = byReaderGroup(ratings, { r1: "radiology", r2: "radiology" }, (rows) => ratingFriedman(rows, ARMS));
    assert.deepEqual(
      groups.map((g) => [g.group, g.n_readers]),
      [
        ["(no group)", 1],
        ["radiology", 2],
      ],
    );
    const radiology = groups[1].result;
    const direct = ratingFriedman(
      ratings.filter((x) => x.readerId !== "r3"),
      ARMS,
    );
    assert.ok(radiology.defined && direct.defined);
    assertClose(radiology.statistic, direct.statistic, 1e-12);
  });
});
