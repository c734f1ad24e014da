// The researcher console's job forms (start training, render heat-maps, run controls), parsed once into
// the typed requests of lib/jobs/job-inputs.ts. The bounds are not restated here: each numeric field is the
// trainer's own schema (lib/ml/train/train-params.ts) behind a FormData-to-number step, so the form, the
// CLI and the worker refuse the same values with the same messages.
import { z, type ZodType } from "zod";
import { parseForm } from "@/lib/errors/field-errors";
import { text } from "@/lib/validation/text";
import {
  CLASS_WEIGHTINGS,
  CPU_QUICK_PRESET,
  numberBounds,
  TRAINING_PRESETS,
  trainParamsSchema,
  type NumberBounds,
  type TrainParams,
} from "@/lib/ml/train/train-params";
import {
  enqueueHeatmapsSchema,
  enqueueTrainingSchema,
  seedCountSchema,
  type EnqueueHeatmapsInput,
  type EnqueueTrainingInput,
  type HeatmapsRequest,
  type TrainingRequest,
} from "./job-inputs";

/** FormData values: a missing or blank field is undefined. */
function field(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** A form's text as the number the schema checks; text that is not a number stays NaN, refused by name. */
const fromText = <S extends ZodType>(schema: S) => z.preprocess((v) => (typeof v === "string" ? Number(v) : v), schema);

/** The numeric fields of the training form, each the trainer's schema without its default. */
const FORM_PARAMS = ["epochs", "batchSize", "learningRate", "momentum", "weightDecay", "inputSize", "width"] as const;
type FormParam = (typeof FORM_PARAMS)[number];

const paramSchema = (key: FormParam) => trainParamsSchema.shape[key].unwrap();

const numericFields = Object.fromEntries(FORM_PARAMS.map((key) => [key, fromText(paramSchema(key))])) as {
  [K in FormParam]: z.ZodPipe<z.ZodTransform<unknown, unknown>, ReturnType<typeof paramSchema>>;
};

/** The form's fields, reshaped into a training request and parsed by the request's schema in one pass. */
export const trainingFormSchema = z
  .object({
    datasetId: text({ error: "datasetId is required" }).min(1, "datasetId is required"),
    // Each name is checked by the request's variant schema after the reshaping.
    variants: z.array(text()).min(1, "variants: choose at least one variant"),
    seeds: fromText(seedCountSchema),
    ...numericFields,
    augment: z.boolean(),
    /** "Class-weighted loss" box: off (the paper) unless ticked. */
    classWeighting: z.enum(CLASS_WEIGHTINGS),
    /** The preset the form was filled from: what the form has no field for (the LR drops) comes from it. */
    preset: z
      .enum(Object.keys(TRAINING_PRESETS) as [keyof typeof TRAINING_PRESETS], {
        error: `preset must be one of ${Object.keys(TRAINING_PRESETS).join(", ")}`,
      })
      .optional(),
    createdById: text().optional(),
    /** "Start on CPU anyway", shown when the paper's protocol would train without a GPU worker. */
    confirmCpu: z.boolean(),
    /** Set when the form trains a finished job again. */
    retrainOf: text().optional(),
  })
  // The preset supplies what the form has no field for (the CPU preset's LR drop); the trainer's schema fills
  // the rest (the paper's drops at 30/60/90 %, checkpoints, 80/20).
  .transform(
    ({ datasetId, variants, seeds, createdById, preset, confirmCpu, retrainOf, ...fields }): EnqueueTrainingInput => ({
      datasetId,
      variants,
      seeds,
      params: preset === undefined ? fields : { ...TRAINING_PRESETS[preset], ...fields },
      createdById,
      confirmCpu,
      ...(retrainOf === undefined ? {} : { retrainOf }),
    }),
  )
  .pipe(enqueueTrainingSchema);

/** Bounds of every numeric field, for the inputs' min/max: read from the schemas, never restated. */
export const TRAINING_FORM_BOUNDS: Record<FormParam | "seeds", NumberBounds> = {
  seeds: numberBounds(seedCountSchema),
  ...(Object.fromEntries(FORM_PARAMS.map((key) => [key, numberBounds(paramSchema(key))])) as Record<
    FormParam,
    NumberBounds
  >),
};

/**
 * The same bounds as an input's min/max. An exclusive bound (learning rate > 0, momentum < 1) is left
 * to the server's message, since min/max are inclusive.
 */
export const TRAINING_INPUT_LIMITS: Record<FormParam | "seeds", { min?: number; max?: number }> = Object.fromEntries(
  Object.entries(TRAINING_FORM_BOUNDS).map(([key, b]) => [
    key,
    { ...(b.exclusiveMin ? {} : { min: b.min }), ...(b.exclusiveMax ? {} : { max: b.max }) },
  ]),
) as Record<FormParam | "seeds", { min?: number; max?: number }>;

export function trainingRequestFromForm(form: FormData, createdById?: string): TrainingRequest {
  return parseForm(trainingFormSchema, {
    datasetId: field(form, "datasetId"),
    variants: form.getAll("variants").map(String),
    seeds: field(form, "seeds"),
    epochs: field(form, "epochs"),
    batchSize: field(form, "batchSize"),
    learningRate: field(form, "learningRate"),
    momentum: field(form, "momentum"),
    weightDecay: field(form, "weightDecay"),
    inputSize: field(form, "inputSize"),
    width: field(form, "width"),
    augment: form.get("augment") === "on" || form.get("augment") === "true",
    classWeighting: form.get("classWeighting") === "balanced" ? "balanced" : "none",
    preset: field(form, "preset"),
    createdById,
    confirmCpu: form.get("confirmCpu") === "on" || form.get("confirmCpu") === "true",
    retrainOf: field(form, "retrainOf"),
  });
}

/** The paper's protocol as the form's initial values. */
export const PAPER_FORM_DEFAULTS: Pick<TrainParams, FormParam | "augment" | "lrDropAt"> & { seeds: number } = (() => {
  const p = trainParamsSchema.parse({});
  return {
    lrDropAt: p.lrDropAt,
    epochs: p.epochs,
    batchSize: p.batchSize,
    learningRate: p.learningRate,
    momentum: p.momentum,
    weightDecay: p.weightDecay,
    inputSize: p.inputSize,
    width: p.width,
    augment: p.augment,
    seeds: 3,
  };
})();

/** The CPU-quick preset: minutes on one core, NOT the paper's protocol. */
export const CPU_QUICK_FORM_VALUES = { ...PAPER_FORM_DEFAULTS, ...CPU_QUICK_PRESET, seeds: 1 };

/** The form's fields, reshaped into a heat-map request and parsed by the request's schema in one pass. */
const heatmapsFormSchema = z
  .object({
    runIds: z.array(text().min(1)).min(1, "runIds: choose at least one run"),
    split: z.enum(["VALIDATION", "TRAIN", "TEST", "CHOSEN"], {
      error: "split must be VALIDATION, TRAIN, TEST or CHOSEN",
    }),
    imageIds: z.array(text().min(1)),
    force: z.boolean(),
  })
  .refine((x) => x.split !== "CHOSEN" || x.imageIds.length > 0, {
    message: "imageIds: choose at least one image",
    path: ["imageIds"],
  })
  .transform(({ runIds, split, imageIds, force }): EnqueueHeatmapsInput =>
    split === "CHOSEN" ? { runIds, imageIds, force } : { runIds, split, force },
  )
  .pipe(enqueueHeatmapsSchema);

export function heatmapsRequestFromForm(form: FormData): HeatmapsRequest {
  return parseForm(heatmapsFormSchema, {
    runIds: form.getAll("runIds").map(String),
    split: field(form, "split") ?? "VALIDATION",
    imageIds: form
      .getAll("imageIds")
      .map(String)
      .filter((s) => s.trim() !== ""),
    force: form.get("force") === "on",
  });
}

export const runIdSchema = text({ error: "runId is required" })
  .min(1, "runId is required")
  .max(64, "runId is too long");

export const runReadySchema = z.object({
  runId: runIdSchema,
  ready: z.boolean({ error: "ready must be true or false" }),
});

/**
 * A finished job's settings as the training form's start. The form has no field for the LR drops, so the preset
 * whose drops the job used supplies them (the CPU quick preset's, else the paper's).
 */
export function retrainFormValues(params: TrainParams, seeds: readonly number[]) {
  const quickDrops = JSON.stringify(CPU_QUICK_PRESET.lrDropAt);
  const base: "paper" | "cpu-quick" = JSON.stringify(params.lrDropAt) === quickDrops ? "cpu-quick" : "paper";
  const consecutive = seeds.every((s, i) => s === i + 1);
  const paperDrops = trainParamsSchema.parse({}).lrDropAt;
  const notes = [
    ...(consecutive ? [] : [`The old job used seeds ${seeds.join(", ")}; the form trains seeds 1 to ${seeds.length}.`]),
    ...(base === "paper" && JSON.stringify(params.lrDropAt) !== JSON.stringify(paperDrops)
      ? [`The old job's LR drops (${params.lrDropAt.join(", ")}) are replaced by the paper's.`]
      : []),
  ];
  return {
    values: {
      epochs: params.epochs,
      batchSize: params.batchSize,
      learningRate: params.learningRate,
      momentum: params.momentum,
      weightDecay: params.weightDecay,
      inputSize: params.inputSize,
      width: params.width,
      augment: params.augment,
      lrDropAt: base === "cpu-quick" ? CPU_QUICK_PRESET.lrDropAt : paperDrops,
      seeds: seeds.length,
    },
    base,
    note: notes.length ? notes.join(" ") : undefined,
  };
}
