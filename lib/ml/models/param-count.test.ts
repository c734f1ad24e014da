import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { VARIANTS, buildModel } from "./build-model";
import { analyticParamCount, countTrainableParams, modelSummary } from "./param-count";

before(async () => {
  await tf.setBackend("cpu");
});

/**
 * Reference counts, worked out from the official implementations for 2 classes:
 * torchvision ResNet-18 = 11,689,512 with 1000 classes, minus 513,000 + 1,026 for a 2-class fc;
 * each attention module on C channels (two per stage, C = 64..512) adds
 *   SE   2*C*C/16                           -> +87,040 in total,
 *   CBAM 2*C*C/16 + C/16 + C + 98 + 2       -> +89,880,
 *   GC   C+1 + 2*C*C/16 + C/16 + 2*C/16 + C  -> +91,248.
 */
const WIDTH1 = { baseline: 11_177_538, se: 11_264_578, cbam: 11_267_418, gc: 11_268_786 };

test("analytic counts at width 1 match torchvision and the official attention modules", () => {
  assert.equal(analyticParamCount("baseline", 1, 1000), 11_689_512); // torchvision's published figure
  for (const v of VARIANTS) assert.equal(analyticParamCount(v, 1, 2), WIDTH1[v], v);
});

test("built models at width 1 have exactly the reference counts (BN moving stats excluded)", () => {
  for (const variant of VARIANTS) {
    const model = buildModel({ variant, width: 1, inputSize: 32, seed: 1 });
    assert.equal(countTrainableParams(model), WIDTH1[variant], variant);
    // Moving statistics exist but are not trainable: 2 per BN channel.
    const nonTrainable = model.nonTrainableWeights.reduce(
      (a, w) => a + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1),
      0,
    );
    assert.ok(nonTrainable > 0);
    model.dispose();
  }
});

test("the analytic counter agrees with built models at other widths, including widths that round to 1 channel", () => {
  for (const width of [0.25, 0.5, 0.1, 0.01]) {
    for (const variant of VARIANTS) {
      const model = buildModel({ variant, width, inputSize: 32, seed: 1 });
      assert.equal(countTrainableParams(model), analyticParamCount(variant, width), `${variant} @ ${width}`);
      model.dispose();
    }
  }
});

test("modelSummary reports the count for the CLI", () => {
  assert.deepEqual(modelSummary("se", 1, 224), { variant: "se", width: 1, inputSize: 224, params: 11_264_578 });
  assert.deepEqual(modelSummary("baseline", 0.25, 64), {
    variant: "baseline",
    width: 0.25,
    inputSize: 64,
    params: analyticParamCount("baseline", 0.25),
  });
});
