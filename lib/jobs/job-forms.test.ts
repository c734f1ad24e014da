import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isDomainError } from "@/lib/errors/domain-error";
import { fieldErrorSummary } from "@/lib/errors/field-errors";
import { formFieldErrors } from "@/lib/http/form-state";
import {
  CPU_QUICK_FORM_VALUES,
  heatmapsRequestFromForm,
  PAPER_FORM_DEFAULTS,
  trainingRequestFromForm,
} from "./job-forms";
import { parseHeatmapsRequest, parseTrainingRequest } from "./job-inputs";
import { trainParamsSchema } from "@/lib/ml/train/train-params";

function form(entries: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

/** The field errors a form shows and the one-line summary of a validation failure. */
function errorOf(fn: () => unknown): { fieldErrors: Record<string, string>; summary: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(isDomainError(e, "invalid"), String(e));
    return { fieldErrors: formFieldErrors(e.fields) ?? {}, summary: fieldErrorSummary(e.fields) };
  }
  assert.fail("expected a validation error");
}

describe("training form", () => {
  test("the paper's protocol is the default; CPU quick differs and keeps the paper's optimiser", () => {
    assert.deepEqual(PAPER_FORM_DEFAULTS, {
      epochs: 100,
      batchSize: 64,
      learningRate: 0.05,
      momentum: 0.9,
      weightDecay: 1e-4,
      inputSize: 224,
      width: 1,
      augment: true,
      lrDropAt: [0.3, 0.6, 0.9],
      seeds: 3,
    });
    assert.equal(CPU_QUICK_FORM_VALUES.width, 0.25);
    assert.ok(CPU_QUICK_FORM_VALUES.inputSize < 224 && CPU_QUICK_FORM_VALUES.epochs < 100);
    assert.equal(CPU_QUICK_FORM_VALUES.momentum, 0.9);
  });

  test("a filled form becomes an enqueue request with seeds 1..n", () => {
    const input = trainingRequestFromForm(
      form([
        ["datasetId", "d1"],
        ["variants", "baseline"],
        ["variants", "cbam"],
        ["seeds", "2"],
        ["epochs", "1"],
        ["batchSize", "8"],
        ["learningRate", "0.05"],
        ["momentum", "0.9"],
        ["weightDecay", "0.0001"],
        ["inputSize", "32"],
        ["width", "0.25"],
        ["augment", "on"],
      ]),
      "u1",
    );
    // The same request as the CLI would send, parsed by the same schema.
    assert.deepEqual(
      input,
      parseTrainingRequest({
        datasetId: "d1",
        variants: ["baseline", "cbam"],
        seeds: 2,
        createdById: "u1",
        params: {
          epochs: 1,
          batchSize: 8,
          learningRate: 0.05,
          momentum: 0.9,
          weightDecay: 0.0001,
          inputSize: 32,
          width: 0.25,
          augment: true,
        },
      }),
    );
  });

  test("the class-weighted loss is off unless its box is ticked, and is kept in the run's parameters", () => {
    const fields: [string, string][] = [
      ["datasetId", "d1"],
      ["variants", "baseline"],
      ["seeds", "1"],
      ["epochs", "1"],
      ["batchSize", "8"],
      ["learningRate", "0.05"],
      ["momentum", "0.9"],
      ["weightDecay", "0.0001"],
      ["inputSize", "96"],
      ["width", "0.25"],
    ];
    assert.equal(trainingRequestFromForm(form(fields)).params.classWeighting, "none");
    assert.equal(
      trainingRequestFromForm(form([...fields, ["classWeighting", "balanced"]])).params.classWeighting,
      "balanced",
    );
  });

  test("the CPU quick preset trains at 96 px and its LR drop reaches the trainer, also after edits", () => {
    assert.ok(CPU_QUICK_FORM_VALUES.inputSize >= 96);
    const fields: [string, string][] = [
      ["datasetId", "d1"],
      ["variants", "baseline"],
      ["seeds", "1"],
      ["epochs", "3"],
      ["batchSize", "16"],
      ["learningRate", "0.02"],
      ["momentum", "0.9"],
      ["weightDecay", "0.0001"],
      ["inputSize", "96"],
      ["width", "0.25"],
    ];
    const quick = trainingRequestFromForm(form([...fields, ["preset", "cpu-quick"]]));
    assert.deepEqual(quick.params?.lrDropAt, [0.75]);
    assert.equal(quick.params?.epochs, 3, "the form's fields win over the preset's");
    // The paper preset sets no LR drops of its own: the request carries the trainer's defaults.
    assert.deepEqual(
      trainingRequestFromForm(form([...fields, ["preset", "paper"]])).params?.lrDropAt,
      trainParamsSchema.parse({}).lrDropAt,
    );
    assert.match(
      errorOf(() => trainingRequestFromForm(form([...fields, ["preset", "gpu-huge"]]))).summary,
      /preset must be one of/,
    );
  });

  test("bad fields are named in the messages", () => {
    const { fieldErrors, summary } = errorOf(() =>
      trainingRequestFromForm(
        form([
          ["datasetId", "d1"],
          ["seeds", "0"],
          ["epochs", "many"],
          ["batchSize", "8"],
          ["learningRate", "0.05"],
          ["momentum", "1"],
          ["weightDecay", "0"],
          ["inputSize", "16"],
          ["width", "0.25"],
        ]),
      ),
    );
    assert.deepEqual(Object.keys(fieldErrors).sort(), ["epochs", "inputSize", "momentum", "seeds", "variants"]);
    assert.match(summary, /seeds must be at least 1/);
    assert.match(summary, /epochs must be a number/);
    assert.match(summary, /inputSize must be at least 32/);
    assert.match(summary, /momentum must be less than 1/);
    assert.match(summary, /variants: choose at least one variant/);
  });
});

describe("heat-map form", () => {
  test("a split or chosen images", () => {
    assert.deepEqual(
      heatmapsRequestFromForm(
        form([
          ["runIds", "r1"],
          ["runIds", "r2"],
          ["split", "VALIDATION"],
        ]),
      ),
      parseHeatmapsRequest({ runIds: ["r1", "r2"], split: "VALIDATION", force: false }),
    );
    assert.deepEqual(
      heatmapsRequestFromForm(
        form([
          ["runIds", "r1"],
          ["split", "CHOSEN"],
          ["imageIds", "i1"],
        ]),
      ),
      parseHeatmapsRequest({ runIds: ["r1"], imageIds: ["i1"], force: false }),
    );
    const e = errorOf(() => heatmapsRequestFromForm(form([["split", "CHOSEN"]])));
    assert.deepEqual(Object.keys(e.fieldErrors), ["runIds", "imageIds"]);
    assert.match(e.summary, /runIds: choose at least one run/);
    const noImages = errorOf(() =>
      heatmapsRequestFromForm(
        form([
          ["runIds", "r1"],
          ["split", "CHOSEN"],
        ]),
      ),
    );
    assert.equal(noImages.summary, "imageIds: choose at least one image");
  });
});
