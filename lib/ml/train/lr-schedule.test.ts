import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { learningRateAt, lrMilestones } from "./lr-schedule";
import { CPU_QUICK_PRESET, trainParamsSchema } from "./train-params";

describe("lr schedule", () => {
  test("paper's 100 epochs: 0.05 until epoch 30, then /10 at 30, 60 and 90 (MultiStepLR semantics)", () => {
    const opts = { epochs: 100, base: 0.05, dropAt: [0.3, 0.6, 0.9] };
    assert.deepEqual(lrMilestones(100, opts.dropAt), [30, 60, 90]);
    const at = (e: number) => learningRateAt(e, opts);
    assert.equal(at(0), 0.05);
    assert.equal(at(29), 0.05);
    assert.ok(Math.abs(at(30) - 0.005) < 1e-15);
    assert.ok(Math.abs(at(59) - 0.005) < 1e-15);
    assert.ok(Math.abs(at(60) - 0.0005) < 1e-15);
    assert.ok(Math.abs(at(89) - 0.0005) < 1e-15);
    assert.ok(Math.abs(at(90) - 0.00005) < 1e-15);
    assert.ok(Math.abs(at(99) - 0.00005) < 1e-15);
  });

  test("500 epochs (small sets) drop at 150, 300, 450", () => {
    assert.deepEqual(lrMilestones(500, [0.3, 0.6, 0.9]), [150, 300, 450]);
  });

  test("short runs round the milestones and never drop before the second epoch", () => {
    assert.deepEqual(lrMilestones(8, [0.3, 0.6, 0.9]), [2, 5, 7]);
    assert.deepEqual(lrMilestones(1, [0.3, 0.6, 0.9]), [1, 1, 1]);
    assert.equal(learningRateAt(0, { epochs: 1, base: 0.1, dropAt: [0.3, 0.6, 0.9] }), 0.1);
    assert.deepEqual(lrMilestones(10, [0.9, 0.3]), [3, 9], "unsorted fractions are sorted");
  });

  test("rates are non-increasing and custom gamma applies", () => {
    const opts = { epochs: 37, base: 1, dropAt: [0.25, 0.5], gamma: 0.5 };
    let prev = Infinity;
    for (let e = 0; e < 37; e++) {
      const lr = learningRateAt(e, opts);
      assert.ok(lr <= prev);
      prev = lr;
    }
    assert.equal(learningRateAt(36, opts), 0.25);
  });

  test("rejects invalid epochs", () => {
    assert.throws(() => learningRateAt(-1, { epochs: 10, base: 0.1, dropAt: [] }), RangeError);
    assert.throws(() => lrMilestones(0, [0.5]), RangeError);
  });
});

describe("train params", () => {
  test("empty input gives the paper's defaults", () => {
    assert.deepEqual(trainParamsSchema.parse({}), {
      epochs: 100,
      batchSize: 64,
      learningRate: 0.05,
      momentum: 0.9,
      weightDecay: 1e-4,
      lrDropAt: [0.3, 0.6, 0.9],
      inputSize: 224,
      width: 1,
      checkpointEvery: 1,
      valFraction: 0.2,
      augment: true,
      classWeighting: "none",
    });
  });

  test("defaults are fresh objects, overrides are kept, the quick preset parses", () => {
    const a = trainParamsSchema.parse({});
    a.lrDropAt.push(0.95);
    assert.deepEqual(trainParamsSchema.parse({}).lrDropAt, [0.3, 0.6, 0.9]);
    const quick = trainParamsSchema.parse(CPU_QUICK_PRESET);
    assert.equal(quick.inputSize, 96);
    assert.equal(quick.width, 0.25);
    assert.equal(quick.momentum, 0.9);
  });

  test("rejects nonsense", () => {
    for (const bad of [
      { epochs: 0 },
      { epochs: 1.5 },
      { batchSize: 1 },
      { learningRate: 0 },
      { momentum: 1 },
      { lrDropAt: [1.2] },
      { valFraction: 1 },
      { weightDecay: -1 },
    ]) {
      assert.equal(trainParamsSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
