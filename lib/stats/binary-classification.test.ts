import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { confusionAt, operatingPoint, youdenThreshold } from "./binary-classification";
import { evaluateHeldOut } from "./held-out-evaluation";

test("the confusion matrix calls a score at the threshold positive", () => {
  const c = confusionAt([0.9, 0.5, 0.2, 0.6, 0.4], [1, 1, 1, 0, 0], 0.5);
  assert.deepEqual(c, { truePositive: 2, falseNegative: 1, trueNegative: 1, falsePositive: 1 });
  const p = operatingPoint([0.9, 0.5, 0.2, 0.6, 0.4], [1, 1, 1, 0, 0], 0.5);
  assert.equal(p.sensitivity.value, 2 / 3);
  assert.equal(p.specificity.value, 1 / 2);
  assert.ok(p.sensitivity.ci!.low < 2 / 3 && p.sensitivity.ci!.high > 2 / 3);
});

test("a class without images has no rate, never a made-up 0 or 1", () => {
  const p = operatingPoint([0.9, 0.1], [0, 0], 0.5);
  assert.equal(p.sensitivity.value, null);
  assert.equal(p.sensitivity.ci, null);
  assert.equal(p.specificity.value, 1 / 2);
});

test("Youden's threshold lies midway between the scores that separate best", () => {
  // Positives 0.9, 0.7, 0.3; negatives 0.6, 0.2, 0.1. Cutting between 0.7 and 0.6 gives J = 2/3 - 0 = 2/3;
  // between 0.3 and 0.2 gives J = 1 - 1/3 = 2/3 too: the higher threshold, 0.65, is taken.
  assert.ok(Math.abs(youdenThreshold([0.9, 0.7, 0.3, 0.6, 0.2, 0.1], [1, 1, 1, 0, 0, 0])! - 0.65) < 1e-12);
  assert.equal(youdenThreshold([0.9, 0.8, 0.2], [1, 1, 1]), null);
});

test("Youden's threshold attains the best J of any threshold (brute force)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { minLength: 2, maxLength: 40 }),
      (pairs) => {
        const scores = pairs.map(([s]) => s / 20);
        const labels = pairs.map(([, l]) => (l ? 1 : 0));
        const pos = labels.filter((l) => l === 1).length;
        fc.pre(pos > 0 && pos < labels.length);
        const j = (t: number) => {
          const p = operatingPoint(scores, labels, t);
          return p.sensitivity.value! + p.specificity.value! - 1;
        };
        const best = Math.max(...[...scores, 2].map(j));
        const t = youdenThreshold(scores, labels)!;
        assert.ok(Math.abs(j(t) - best) < 1e-12, `J(${t}) = ${j(t)}, best ${best}`);
      },
    ),
  );
});

test("the held-out evaluation takes its second threshold from validation, not from test", () => {
  const validation = { scores: [0.9, 0.7, 0.3, 0.6, 0.2, 0.1], labels: [1, 1, 1, 0, 0, 0] };
  const test = { scores: [0.66, 0.64, 0.4, 0.1], labels: [1, 0, 1, 0] };
  const e = evaluateHeldOut(validation, test);
  assert.equal(e.images, 4);
  assert.equal(e.positives, 2);
  assert.ok(Math.abs(e.atValidationYouden!.threshold - 0.65) < 1e-12);
  assert.deepEqual(e.atValidationYouden!.confusion, {
    truePositive: 1,
    falseNegative: 1,
    trueNegative: 2,
    falsePositive: 0,
  });
  assert.deepEqual(e.atHalf.confusion, { truePositive: 1, falseNegative: 1, trueNegative: 1, falsePositive: 1 });
  assert.equal(e.auc!.auc, 0.75);
  assert.throws(() => evaluateHeldOut(validation, { scores: [], labels: [] }), RangeError);
});
