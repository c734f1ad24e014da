import { test, describe } from "node:test";
import assert from "node:assert/strict";
import {
  chiSquareCdf,
  chiSquareSurvival,
  logFactorialTable,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
} from "./distributions";
import { assertClose } from "../testing/assert-close";

describe("logGamma", () => {
  test("matches log((n-1)!) at integers and Γ(1/2) = √π", () => {
    assertClose(logGamma(1), 0, 1e-14);
    assertClose(logGamma(2), 0, 1e-14);
    assertClose(logGamma(5), Math.log(24), 1e-13);
    assertClose(logGamma(11), Math.log(3628800), 1e-12);
    assertClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    assertClose(logGamma(101), logFactorialTable(100)[100], 1e-9);
  });
  test("rejects non-positive arguments", () => {
    assert.throws(() => logGamma(0), RangeError);
  });
});

describe("chi-square distribution", () => {
  // Critical values from standard chi-square tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
  const criticalValues: Array<[number, number, number]> = [
    [3.841458820694124, 1, 0.05],
    [6.634896601021214, 1, 0.01],
    [5.991464547107979, 2, 0.05],
    [7.814727903251178, 3, 0.05],
    [11.344866730144373, 3, 0.01],
    [18.307038053275146, 10, 0.05],
    [124.3421134, 100, 0.05],
  ];
  for (const [x, df, p] of criticalValues) {
    test(`P(X >= ${x.toFixed(3)}; df ${df}) = ${p}`, () => {
      assertClose(chiSquareSurvival(x, df), p, 1e-8);
      assertClose(chiSquareCdf(x, df), 1 - p, 1e-8);
    });
  }
  test("the rounded textbook value 3.84 with df 1 gives p ≈ 0.05", () => {
    assertClose(chiSquareSurvival(3.84, 1), 0.05004352, 1e-7);
  });
  test("df 2 is the exponential distribution: Q = exp(-x/2)", () => {
    for (const x of [0.1, 1, 4, 20, 60])
      assertClose(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-13 + 1e-12 * Math.exp(-x / 2));
  });
  test("df 1 matches erfc(sqrt(x/2)) computed from the normal tail: x = z² with z = 1.959963984540054", () => {
    assertClose(chiSquareSurvival(1.959963984540054 ** 2, 1), 0.05, 1e-12);
  });
  test("P + Q = 1 across both evaluation branches, and edge values", () => {
    for (const [a, x] of [
      [0.5, 0.2],
      [3, 2],
      [3, 5],
      [50, 49],
      [50, 60],
    ]) {
      assertClose(regularizedGammaP(a, x) + regularizedGammaQ(a, x), 1, 1e-13);
    }
    assert.equal(chiSquareSurvival(0, 3), 1);
    assert.equal(chiSquareCdf(0, 3), 0);
    assert.ok(chiSquareSurvival(400, 2) > 0 && chiSquareSurvival(400, 2) < 1e-80);
  });
});
