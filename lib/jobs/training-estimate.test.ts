// The estimate before queuing: which measurement each run's time comes from, how runs spread over the online
// workers, and when the paper's protocol on CPU needs a confirmation.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  cpuConfirmationMessage,
  describeEstimate,
  estimateRunSeconds,
  estimateTraining,
  formatDuration,
  isGpuBackend,
  isPaperScale,
  workerBackendOf,
  type EstimateRequest,
  type ThroughputSample,
} from "./training-estimate";

const CPU = "wasm+native, 2 threads";
const sample = (over: Partial<ThroughputSample> = {}): ThroughputSample => ({
  variant: "baseline",
  inputSize: 96,
  width: 0.25,
  batchSize: 16,
  backend: CPU,
  trainImagesPerSecond: 100,
  valImagesPerSecond: 400,
  ...over,
});
const request = (
  over: Partial<EstimateRequest["params"]> = {},
  variants: EstimateRequest["variants"] = ["baseline"],
) => ({
  variants,
  seeds: 1,
  params: { epochs: 10, inputSize: 96, width: 0.25, batchSize: 16, ...over },
  trainImages: 1000,
  valImages: 200,
});

describe("estimateRunSeconds", () => {
  test("the same variant, size and width: epochs × (train / train speed + validation / validation speed)", () => {
    const r = estimateRunSeconds("baseline", CPU, request(), [sample()]);
    assert.equal(r.seconds, 10 * (1000 / 100 + 200 / 400));
    assert.match(r.basis, /median of 1 recent run$/);
  });

  test("the median of the five most recent runs, not the last one alone", () => {
    const speeds = [50, 100, 110, 120, 500, 1];
    const r = estimateRunSeconds(
      "baseline",
      CPU,
      request(),
      speeds.map((s) => sample({ trainImagesPerSecond: s, valImagesPerSecond: 4 * s })),
    );
    // Median of 50, 100, 110, 120, 500 (the sixth, oldest, is ignored) = 110.
    assert.equal(r.seconds, 10 * (1000 / 110 + 200 / 440));
    assert.match(r.basis, /5 recent runs/);
  });

  test("prefers runs with the same batch size, and says when it had to use another", () => {
    const samples = [sample({ batchSize: 32, trainImagesPerSecond: 200 }), sample({ trainImagesPerSecond: 100 })];
    assert.equal(estimateRunSeconds("baseline", CPU, request(), samples).seconds, 10 * (10 + 0.5));
    const other = estimateRunSeconds("baseline", CPU, request({ batchSize: 64 }), samples);
    assert.match(other.basis, /\(batch 32\)/);
  });

  test("without a validation measurement, inference is taken as three times the training speed", () => {
    const r = estimateRunSeconds("baseline", CPU, request(), [sample({ valImagesPerSecond: null })]);
    assert.equal(r.seconds, 10 * (1000 / 100 + 200 / 300));
  });

  test("falls back to another variant at the same size, then to another size scaled by pixel count", () => {
    const fromSe = estimateRunSeconds("cbam", CPU, request(), [sample({ variant: "se" })]);
    assert.equal(fromSe.seconds, 10 * 10.5);
    assert.match(fromSe.basis, /from se runs/);
    // 224 px has (224/96)² times the pixels of 96 px: the speeds fall by that factor.
    const scaled = estimateRunSeconds("baseline", CPU, request({ inputSize: 224 }), [sample()]);
    const k = (224 / 96) ** 2;
    assert.ok(Math.abs(scaled.seconds! - 10 * (1000 / (100 / k) + 200 / (400 / k))) < 1e-9);
    assert.match(scaled.basis, /scaled from 96 px/);
  });

  test("another backend, another width or no run at all: unknown, with how to measure it", () => {
    const samples = [sample({ backend: "wasm+native, 1 thread" }), sample({ width: 1 })];
    const r = estimateRunSeconds("baseline", CPU, request(), samples);
    assert.equal(r.seconds, null);
    assert.match(r.basis, /npm run bench:train -- --size 96 --width 0.25 --batch 16/);
  });
});

describe("estimateTraining", () => {
  test("runs spread over the online workers: 4 equal runs on 2 workers take 2 runs' time", () => {
    const e = estimateTraining(request({}, ["baseline"]), [{ backend: CPU, count: 2 }], [sample()]);
    const one = 10 * 10.5;
    assert.equal(
      estimateTraining({ ...request(), seeds: 4 }, [{ backend: CPU, count: 2 }], [sample()]).totalSeconds,
      2 * one,
    );
    assert.equal(e.totalSeconds, one);
    assert.equal(e.workersOnline, 2);
  });

  test("a fast worker takes more of the runs than a slow one", () => {
    const gpu = "gpu";
    const samples = [sample(), sample({ backend: gpu, trainImagesPerSecond: 1000, valImagesPerSecond: 4000 })];
    const e = estimateTraining(
      { ...request(), seeds: 3 },
      [
        { backend: CPU, count: 1 },
        { backend: gpu, count: 1 },
      ],
      samples,
    );
    // GPU run: 10.5 s; CPU run: 105 s. All three on the GPU (31.5 s) beat sending one to the CPU.
    assert.ok(Math.abs(e.totalSeconds! - 31.5) < 1e-9);
    assert.equal(e.cpuOnly, false);
  });

  test("no worker online, or a run without a measurement: no total", () => {
    assert.equal(estimateTraining(request(), [], [sample()]).totalSeconds, null);
    const e = estimateTraining(
      request({}, ["baseline", "gc"]),
      [{ backend: CPU, count: 1 }],
      [sample({ inputSize: 32, variant: "se" })],
    );
    assert.equal(e.totalSeconds, null);
    assert.match(describeEstimate(e).at(-1)!, /unknown until every variant has a measurement/);
    assert.match(describeEstimate(estimateTraining(request(), [], []))[0], /no worker is online/);
  });

  test("the paper's protocol on CPU workers needs a confirmation that names the alternatives; on a GPU it does not", () => {
    const paper = request({ inputSize: 224, width: 1, batchSize: 64 });
    const cpu = estimateTraining(paper, [{ backend: CPU, count: 2 }], []);
    assert.equal(cpu.needsCpuConfirmation, true);
    const message = cpuConfirmationMessage(cpu);
    assert.match(message, /GPU worker/);
    assert.match(message, /CPU quick preset/);
    assert.equal(estimateTraining(paper, [], []).needsCpuConfirmation, true);
    assert.equal(
      estimateTraining(
        paper,
        [
          { backend: CPU, count: 2 },
          { backend: "gpu", count: 1 },
        ],
        [],
      ).needsCpuConfirmation,
      false,
    );
    assert.equal(estimateTraining(request(), [{ backend: CPU, count: 2 }], []).needsCpuConfirmation, false);
  });
});

test("helpers: backends, paper scale, durations", () => {
  assert.equal(workerBackendOf("wasm+native, 2 threads; batch 64 as 2 × 32, batch norm over 32"), CPU);
  assert.equal(workerBackendOf("gpu"), "gpu");
  assert.equal(isGpuBackend("gpu"), true);
  assert.equal(isGpuBackend("wasm+native, 2 threads"), false);
  assert.equal(isPaperScale({ inputSize: 224, width: 1 }), true);
  assert.equal(isPaperScale({ inputSize: 224, width: 0.5 }), false);
  assert.equal(isPaperScale({ inputSize: 96, width: 1 }), false);
  assert.equal(formatDuration(40), "40 s");
  assert.equal(formatDuration(600), "10 min");
  assert.equal(formatDuration(11 * 3600 + 20 * 60), "11 h 20 min");
  assert.equal(formatDuration(5 * 86400 + 3 * 3600), "5 days 3 h");
});
