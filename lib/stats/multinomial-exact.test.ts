import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { countPartitions, exactMultinomialEqualP, mulberry32 } from "./multinomial-exact";
import { assertClose } from "../testing/assert-close";

// Brute force over all k^N ordered outcomes, for cross-checking on tiny inputs.
function bruteForce(observed: number[]): number {
  const k = observed.length;
  const n = observed.reduce((s, v) => s + v, 0);
  const fact = (m: number): number => (m <= 1 ? 1 : m * fact(m - 1));
  const prob = (x: number[]): number => fact(n) / x.reduce((s, v) => s * fact(v), 1) / k ** n;
  const pObs = prob(observed);
  let p = 0;
  const x = new Array<number>(k).fill(0);
  const walk = (i: number, left: number): void => {
    if (i === k - 1) {
      x[i] = left;
      const q = prob(x);
      if (q <= pObs * (1 + 1e-9)) p += q;
      return;
    }
    for (let v = 0; v <= left; v++) {
      x[i] = v;
      walk(i + 1, left - v);
    }
  };
  walk(0, n);
  return p;
}

test("two categories reduce to the two-sided binomial test: 8 vs 2 gives 112/1024 (R binom.test(8, 10): 0.1094)", () => {
  const r = exactMultinomialEqualP([8, 2])!;
  assert.equal(r.method, "enumeration");
  assertClose(r.p, 112 / 1024, 1e-12);
});

test("all five answers on one of three options: p = 3 / 3^5", () => {
  assertClose(exactMultinomialEqualP([0, 5, 0])!.p, 3 / 243, 1e-12);
});

test("an even split is the most likely outcome, so p = 1", () => {
  assertClose(exactMultinomialEqualP([2, 2, 2])!.p, 1, 1e-12);
});

test("partition enumeration agrees with brute force over all ordered outcomes", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 2, maxLength: 4 }), (observed) => {
      fc.pre(observed.some((v) => v > 0));
      assertClose(exactMultinomialEqualP(observed)!.p, bruteForce(observed), 1e-10);
    }),
    { seed: 7, numRuns: 60 },
  );
});

test("Monte Carlo is used above maxPatterns, is reproducible by seed and close to the exact value", () => {
  const observed = [9, 3, 2, 1, 0];
  const exact = exactMultinomialEqualP(observed)!;
  const mc = exactMultinomialEqualP(observed, { maxPatterns: 10, draws: 20_000, seed: 5 })!;
  assert.equal(mc.method, "monte_carlo");
  assert.equal(mc.draws, 20_000);
  assert.equal(mc.seed, 5);
  // Binomial standard error of the estimate, 4 SE bound.
  const se = Math.sqrt((exact.p * (1 - exact.p)) / 20_000);
  assertClose(mc.p, exact.p, 4 * se + 1e-4);
  assert.equal(exactMultinomialEqualP(observed, { maxPatterns: 10, draws: 20_000, seed: 5 })!.p, mc.p);
});

test("partition counts: p(5) = 7, p(10 into at most 3 parts) = 14, saturation at the cap", () => {
  assert.equal(countPartitions(5, 5, 1e9), 7);
  assert.equal(countPartitions(10, 3, 1e9), 14);
  assert.equal(countPartitions(100, 100, 1000), 1000);
});

test("mulberry32 is deterministic and uniform-looking", () => {
  const a = mulberry32(1);
  const b = mulberry32(1);
  let sum = 0;
  for (let i = 0; i < 10_000; i++) {
    const v = a();
    assert.equal(v, b());
    assert.ok(v >= 0 && v < 1);
    sum += v;
  }
  assertClose(sum / 10_000, 0.5, 0.02);
});

test("degenerate inputs give null", () => {
  assert.equal(exactMultinomialEqualP([4]), null);
  assert.equal(exactMultinomialEqualP([0, 0, 0]), null);
});
