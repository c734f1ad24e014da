import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { AnswerDataError } from "./answers";
import { bradleyTerry, plackettLuce } from "./plackett-luce";
import type { Ranking } from "./ranking";
import { Z_95 } from "./wilson";
import { assertClose } from "../testing/assert-close";

const expit = (x: number) => 1 / (1 + Math.exp(-x));
const repeat = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);

/**
 * An independent implementation for the tests: the Plackett–Luce log-likelihood with Breslow ties written
 * straight from the rankings, maximised by Newton's method on finite-difference derivatives with arm 0 fixed
 * at log-worth 0, and the covariance of the free log-worths from the inverse of a finite-difference Hessian.
 */
function referenceFit(rankings: Ranking[], arms: string[]) {
  const ll = (theta: number[]) => {
    const value = (arm: string) => theta[arms.indexOf(arm)];
    let sum = 0;
    for (const ranking of rankings) {
      let remaining = ranking.flat();
      for (const group of ranking) {
        if (remaining.length > 1) {
          const denominator = Math.log(remaining.reduce((s, a) => s + Math.exp(value(a)), 0));
          for (const arm of group) sum += value(arm) - denominator;
        }
        remaining = remaining.filter((a) => !group.includes(a));
      }
    }
    return sum;
  };
  const k = arms.length;
  const free = k - 1;
  const e = 1e-4;
  const at = (theta: number[], a: number, da: number, b: number, db: number) => {
    const t = [...theta];
    t[a + 1] += da;
    t[b + 1] += db;
    return ll(t);
  };
  const gradient = (theta: number[]) =>
    Array.from({ length: free }, (_, a) => (at(theta, a, e, a, 0) - at(theta, a, -e, a, 0)) / (2 * e));
  const hessian = (theta: number[]) =>
    Array.from({ length: free }, (_, a) =>
      Array.from(
        { length: free },
        (_, b) =>
          (at(theta, a, e, b, e) - at(theta, a, e, b, -e) - at(theta, a, -e, b, e) + at(theta, a, -e, b, -e)) /
          (4 * e * e),
      ),
    );
  // Inverse of −H (free × free) by Gauss–Jordan.
  const inverseOfNegative = (matrix: number[][]) => {
    const m = matrix.map((row, i) => [
      ...row.map((v) => -v),
      ...Array.from({ length: free }, (_, j) => (i === j ? 1 : 0)),
    ]);
    for (let c = 0; c < free; c++) {
      const p = m[c][c];
      for (let j = 0; j < 2 * free; j++) m[c][j] /= p;
      for (let r = 0; r < free; r++) {
        if (r === c) continue;
        const f = m[r][c];
        for (let j = 0; j < 2 * free; j++) m[r][j] -= f * m[c][j];
      }
    }
    return m.map((row) => row.slice(free));
  };
  // Newton's method, halving the step until the likelihood rises.
  let theta = new Array<number>(k).fill(0);
  for (let iteration = 0; iteration < 100; iteration++) {
    const g = gradient(theta);
    if (Math.hypot(...g) < 1e-7) break;
    const inv = inverseOfNegative(hessian(theta));
    const direction = inv.map((row) => row.reduce((s, v, j) => s + v * g[j], 0));
    const stepped = (step: number) => theta.map((t, i) => (i === 0 ? t : t + step * direction[i - 1]));
    let step = 1;
    while (ll(stepped(step)) < ll(theta) && step > 1e-8) step /= 2;
    theta = stepped(step);
  }
  const covarianceVsFirst = inverseOfNegative(hessian(theta));
  const total = theta.reduce((s, t) => s + Math.exp(t), 0);
  return { worth: theta.map((t) => Math.exp(t) / total), logLikelihood: ll(theta), covarianceVsFirst };
}

describe("Bradley–Terry (two arms): closed forms", () => {
  test("A beats B 7 times of 10: worth 0.7, Var(θ_A − θ_B) = 1 / (N p q), logit-scale Wald interval", () => {
    const r = bradleyTerry([...repeat(7, { winner: "A", loser: "B" }), ...repeat(3, { winner: "B", loser: "A" })]);
    assert.ok(r.defined);
    assert.equal(r.model, "bradley-terry");
    const [a, b] = r.arms;
    assertClose(a.worth, 0.7, 1e-9);
    assertClose(b.worth, 0.3, 1e-9);
    const d = Math.log(7 / 3);
    assertClose(a.log_worth, d / 2, 1e-9);
    const sdDifference = Math.sqrt(1 / (10 * 0.7 * 0.3));
    assertClose(a.se_log_worth, sdDifference / 2, 1e-8);
    assertClose(a.ci_low, expit(d - Z_95 * sdDifference), 1e-8);
    assertClose(a.ci_high, expit(d + Z_95 * sdDifference), 1e-8);
    // log L = 7 log 0.7 + 3 log 0.3
    assertClose(r.log_likelihood, 7 * Math.log(0.7) + 3 * Math.log(0.3), 1e-9);
  });
  test("ties (Breslow): 3 wins, 1 loss, 2 ties give p = (3 + 2) / (3 + 1 + 2·2) = 5/8", () => {
    const r = bradleyTerry([
      ...repeat(3, { winner: "A", loser: "B" }),
      { winner: "B", loser: "A" },
      ...repeat(2, { winner: "A", loser: "B", tie: true }),
    ]);
    assert.ok(r.defined);
    assertClose(r.arms[0].worth, 5 / 8, 1e-9);
  });
});

describe("Plackett–Luce against an independent maximisation", () => {
  const arms = ["A", "B", "C", "D"];
  const rankings: Ranking[] = [
    [["A"], ["B"], ["C"], ["D"]],
    [["A"], ["C"], ["B"], ["D"]],
    [["B"], ["A"], ["D"], ["C"]],
    [["A", "B"], ["C"], ["D"]],
    [["C"], ["A"], ["B"], ["D"]],
    [["D"], ["A"], ["B", "C"]],
    [["B"], ["C"], ["A"], ["D"]],
    [["A"], ["D"], ["C"], ["B"]],
    [["C"], ["D"]],
    [["B"], ["A", "C", "D"]],
    [["A"], ["B"], ["D"], ["C"]],
    [["C", "D"], ["A"], ["B"]],
  ];
  const r = plackettLuce(rankings, { arms });
  const reference = referenceFit(rankings, arms);

  test("worths and log-likelihood match", () => {
    assert.ok(r.defined);
    assert.equal(r.model, "plackett-luce");
    r.arms.forEach((a, i) => assertClose(a.worth, reference.worth[i], 1e-6, `worth ${a.arm}`));
    assertClose(r.log_likelihood, reference.logLikelihood, 1e-8, "log-likelihood");
    assertClose(
      r.arms.reduce((s, a) => s + a.worth, 0),
      1,
      1e-12,
    );
  });
  test("covariances of log-worth contrasts match the inverse numerical Hessian", () => {
    assert.ok(r.defined);
    const v = r.covariance;
    for (let i = 1; i < 4; i++) {
      for (let j = 1; j < 4; j++) {
        // Cov(θ_i − θ_0, θ_j − θ_0) from the sum-to-zero covariance.
        const contrast = v[i][j] - v[i][0] - v[0][j] + v[0][0];
        assertClose(contrast, reference.covarianceVsFirst[i - 1][j - 1], 1e-4, `cov ${i},${j}`);
      }
    }
    r.arms.forEach((a) => assert.ok(a.ci_low < a.worth && a.worth < a.ci_high));
  });
  test("twice the data: same worths, standard errors shrink by √2", () => {
    const doubled = plackettLuce([...rankings, ...rankings], { arms });
    assert.ok(r.defined && doubled.defined);
    doubled.arms.forEach((a, i) => {
      assertClose(a.worth, r.arms[i].worth, 1e-8);
      assertClose(a.se_log_worth, r.arms[i].se_log_worth / Math.SQRT2, 1e-8);
    });
  });
});

describe("when the worths do not exist", () => {
  test("an arm always ranked first (Hunter's condition fails) is named", () => {
    const r = plackettLuce([
      [["A"], ["B"], ["C"]],
      [["A"], ["C"], ["B"]],
    ]);
    assert.equal(r.defined, false);
    if (!r.defined) assert.match(r.because, /A never ranked below B, C/);
  });
  test("an arm always ranked last is named", () => {
    const r = plackettLuce([
      [["A"], ["B"], ["C"]],
      [["B"], ["A"], ["C"]],
    ]);
    assert.equal(r.defined, false);
    if (!r.defined) assert.match(r.because, /C never ranked above A, B/);
  });
  test("a declared arm nobody ranked, and a single arm", () => {
    const r = plackettLuce(
      [
        [["A"], ["B"]],
        [["B"], ["A"]],
      ],
      { arms: ["A", "B", "C"] },
    );
    assert.equal(r.defined, false);
    if (!r.defined) assert.match(r.because, /C never ranked/);
    assert.equal(plackettLuce([[["A"]]]).defined, false);
  });
  test("bad rankings are refused", () => {
    assert.throws(() => plackettLuce([[["A"], ["A"]]]), AnswerDataError);
    assert.throws(() => plackettLuce([[["A"], []]]), AnswerDataError);
    assert.throws(() => plackettLuce([[["A"], ["Z"]]], { arms: ["A", "B"] }), AnswerDataError);
  });
});
