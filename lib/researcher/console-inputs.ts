// Form inputs of the researcher console, parsed with zod. Every message names its field, because the page
// shows the first ones as a summary ("epochs: must be at least 1") as well as beside the field.
import { z, type ZodType, type output } from "zod";
import { parseInput } from "@/lib/errors/field-errors";
import { text } from "@/lib/validation/text";
import { importFolderInputSchema, modalitySchema } from "@/lib/datasets/dataset-inputs";
import { enqueueHeatmapsSchema, enqueueTrainingSchema, type EnqueueHeatmapsInput, type EnqueueTrainingInput } from "@/lib/jobs/job-inputs";
import { VARIANTS } from "@/lib/ml/models/architecture";
import { CPU_QUICK_PRESET, TRAINING_PRESETS, trainParamsSchema, type TrainParams } from "@/lib/ml/train/train-params";

/** Parses a form's values; a failure names the fields and says that nothing was done. */
export function parseForm<S extends ZodType>(schema: S, raw: unknown): output<S> {
  return parseInput(schema, raw, (summary) => `Nothing was done. ${summary}`);
}

/** FormData values: a missing or blank field is undefined, so schema defaults apply. */
function field(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function number(name: string, opts: { int?: boolean; min?: number; max?: number; gt?: number; lt?: number } = {}) {
  let s = z.coerce.number({ error: `${name} must be a number` }).refine(Number.isFinite, `${name} must be a number`);
  if (opts.int) s = s.refine(Number.isInteger, `${name} must be a whole number`);
  if (opts.min !== undefined) s = s.refine((x) => x >= opts.min!, `${name} must be at least ${opts.min}`);
  if (opts.max !== undefined) s = s.refine((x) => x <= opts.max!, `${name} must be at most ${opts.max}`);
  if (opts.gt !== undefined) s = s.refine((x) => x > opts.gt!, `${name} must be greater than ${opts.gt}`);
  if (opts.lt !== undefined) s = s.refine((x) => x < opts.lt!, `${name} must be less than ${opts.lt}`);
  return s;
}

/** The fields of the start-training form, with the same bounds as the trainer's own schema. */
export const trainingFormSchema = z.object({
  datasetId: text({ error: "datasetId is required" }).min(1, "datasetId is required"),
  variants: z
    .array(z.enum(VARIANTS as unknown as [string, ...string[]], { error: `variants must be among ${VARIANTS.join(", ")}` }))
    .min(1, "variants: choose at least one variant"),
  seeds: number("seeds", { int: true, min: 1, max: 10 }),
  epochs: number("epochs", { int: true, min: 1, max: 10_000 }),
  batchSize: number("batchSize", { int: true, min: 2, max: 1024 }),
  learningRate: number("learningRate", { gt: 0, max: 10 }),
  momentum: number("momentum", { min: 0, lt: 1 }),
  weightDecay: number("weightDecay", { min: 0, max: 1 }),
  inputSize: number("inputSize", { int: true, min: 32, max: 1024 }),
  width: number("width", { gt: 0, max: 4 }),
  augment: z.boolean(),
  /** The preset the form was filled from: what the form has no field for (the LR drops) comes from it. */
  preset: z
    .enum(Object.keys(TRAINING_PRESETS) as [keyof typeof TRAINING_PRESETS], {
      error: `preset must be one of ${Object.keys(TRAINING_PRESETS).join(", ")}`,
    })
    .optional(),
});

export function trainingInputFromForm(form: FormData, createdById?: string): EnqueueTrainingInput {
  const parsed = parseForm(trainingFormSchema, {
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
    preset: field(form, "preset"),
  });
  const { datasetId, variants, seeds, preset, ...fields } = parsed;
  // The preset supplies what the form has no field for (the CPU preset's LR drop); the trainer's schema fills
  // the rest (the paper's drops at 30/60/90 %, checkpoints, 80/20).
  const params = preset === undefined ? fields : { ...TRAINING_PRESETS[preset], ...fields };
  const input: EnqueueTrainingInput = { datasetId, variants, seeds, params, createdById };
  parseForm(enqueueTrainingSchema, input);
  return input;
}

/** The paper's protocol as the form's initial values. */
export const PAPER_FORM_DEFAULTS: Pick<TrainParams, "epochs" | "batchSize" | "learningRate" | "momentum" | "weightDecay" | "inputSize" | "width" | "augment"> & { seeds: number } = (() => {
  const p = trainParamsSchema.parse({});
  return { epochs: p.epochs, batchSize: p.batchSize, learningRate: p.learningRate, momentum: p.momentum, weightDecay: p.weightDecay, inputSize: p.inputSize, width: p.width, augment: p.augment, seeds: 3 };
})();

/** The CPU-quick preset: minutes on one core, NOT the paper's protocol. */
export const CPU_QUICK_FORM_VALUES = { ...PAPER_FORM_DEFAULTS, ...CPU_QUICK_PRESET, seeds: 1 };

/** Folder import: the dataset importer's own schema (its messages already name the fields). */
export function folderImportFromForm(form: FormData, createdById?: string) {
  return parseForm(importFolderInputSchema, {
    folder: field(form, "folder") ?? "",
    name: field(form, "name") ?? "",
    positive: field(form, "positive") ?? "",
    modality: field(form, "modality"),
    size: field(form, "size"),
    description: field(form, "description"),
    createdById,
  });
}

/** Query string of a zip upload (the body is the zip itself, streamed). */
export const zipUploadQuerySchema = z.object({
  name: text({ error: "name is required" }),
  positive: text({ error: "positive class is required" }).min(1, "positive class is required"),
  modality: modalitySchema.optional(),
  size: text().optional(),
  fileName: text().max(255, "fileName must be at most 255 characters").optional(),
});

export function heatmapsInputFromForm(form: FormData): EnqueueHeatmapsInput {
  const parsed = parseForm(z
    .object({
      runIds: z.array(text().min(1)).min(1, "runIds: choose at least one run"),
      split: z.enum(["VALIDATION", "TRAIN", "TEST", "CHOSEN"], { error: "split must be VALIDATION, TRAIN, TEST or CHOSEN" }),
      imageIds: z.array(text().min(1)),
      force: z.boolean(),
    })
    .refine((x) => x.split !== "CHOSEN" || x.imageIds.length > 0, { message: "imageIds: choose at least one image", path: ["imageIds"] }), {
      runIds: form.getAll("runIds").map(String),
      split: field(form, "split") ?? "VALIDATION",
      imageIds: form.getAll("imageIds").map(String).filter((s) => s.trim() !== ""),
      force: form.get("force") === "on",
    });
  const input: EnqueueHeatmapsInput = parsed.split === "CHOSEN"
    ? { runIds: parsed.runIds, imageIds: parsed.imageIds, force: parsed.force }
    : { runIds: parsed.runIds, split: parsed.split, force: parsed.force };
  parseForm(enqueueHeatmapsSchema, input);
  return input;
}

export const runIdSchema = text({ error: "runId is required" }).min(1, "runId is required").max(64, "runId is too long");
