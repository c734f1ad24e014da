import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { wilsonInterval } from "./wilson";
import { assertClose } from "../testing/assert-close";

// Newcombe (1998), Stat Med 17:857-872, Table II, method 3 (Wilson score without continuity correction).
const newcombeExamples: Array<[number, number, number, number]> = [
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0, 0.1611],
  [1, 29, 0.0061, 0.1718],
];

for (const [x, n, low, high] of newcombeExamples) {
  test(`Wilson interval for ${x}/${n} matches Newcombe (1998): ${low}–${high}`, () => {
    const ci = wilsonInterval(x, n)!;
    assertClose(ci.low, low, 5e-5);
    assertClose(ci.high, high, 5e-5);
  });
}

test("no trials gives null; invalid counts throw", () => {
  assert.equal(wilsonInterval(0, 0), null);
  assert.throws(() => wilsonInterval(3, 2), RangeError);
  assert.throws(() => wilsonInterval(1.5, 2), RangeError);
});

test("the interval contains the observed share, stays in [0, 1] and is symmetric under x -> n - x", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
      ([x, n]) => {
        const ci = wilsonInterval(x, n)!;
        const mirror = wilsonInterval(n - x, n)!;
        assert.ok(ci.low >= 0 && ci.high <= 1 && ci.low <= x / n && x / n <= ci.high);
        assertClose(ci.low, 1 - mirror.high, 1e-12);
      },
    ),
    { seed: 42, numRuns: 200 },
  );
});
