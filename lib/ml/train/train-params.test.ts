import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CPU_QUICK_PRESET,
  HEATMAP_MIN_INPUT_SIZE,
  TRAINING_PRESETS,
  heatmapResolutionWarning,
  readyForStudyWarning,
  trainParamsSchema,
} from "./train-params";

describe("training presets", () => {
  test("no preset trains below the size at which heat-maps localise", () => {
    assert.equal(HEATMAP_MIN_INPUT_SIZE, 96);
    for (const [name, preset] of Object.entries(TRAINING_PRESETS)) {
      const { inputSize } = trainParamsSchema.parse(preset);
      assert.ok(inputSize >= HEATMAP_MIN_INPUT_SIZE, `${name} trains at ${inputSize} px`);
    }
  });

  test("CPU quick trains at 96 px with a single LR drop at 75 % of its epochs", () => {
    const quick = trainParamsSchema.parse(CPU_QUICK_PRESET);
    assert.equal(quick.inputSize, 96);
    assert.deepEqual(quick.lrDropAt, [0.75]);
  });
});

describe("ready-for-study warning", () => {
  test("a run below 96 px is warned about, naming its last stage; 96 px and above are not", () => {
    assert.match(heatmapResolutionWarning(64) ?? "", /64 px.*below the 96 px.*2x2/);
    assert.match(heatmapResolutionWarning(32) ?? "", /1x1/);
    assert.match(heatmapResolutionWarning(80) ?? "", /3x3/);
    assert.equal(heatmapResolutionWarning(96), null);
    assert.equal(heatmapResolutionWarning(224), null);
  });

  test("reads the input size from a run's stored parameters", () => {
    assert.match(readyForStudyWarning(trainParamsSchema.parse({ inputSize: 64 })) ?? "", /64 px/);
    assert.equal(readyForStudyWarning(trainParamsSchema.parse(CPU_QUICK_PRESET)), null);
    assert.throws(() => readyForStudyWarning({ inputSize: "big" }));
  });
});
