// Validated requests for training and heat-map jobs (shared by the CLI and the web app). Each edge parses
// once (parseTrainingRequest, parseHeatmapsRequest) and hands the typed request to lib/jobs/enqueue.ts.
import { z } from "zod";
import { parseInput, type InvalidMessage } from "@/lib/errors/field-errors";
import { text } from "@/lib/validation/text";
import { VARIANTS, type Variant } from "@/lib/ml/models/architecture";
import { trainParamsSchema } from "@/lib/ml/train/train-params";

export const variantSchema = text()
  .trim()
  .toLowerCase()
  .refine((v): v is Variant => (VARIANTS as readonly string[]).includes(v), {
    message: `variant must be one of ${VARIANTS.join(", ")}`,
  })
  .transform((v) => v);

/** How many seeds one request may train per variant (the form's and the CLI's count). */
export const seedCountSchema = z
  .number({ error: "seeds must be a number" })
  .int("seeds must be a whole number")
  .min(1, "seeds must be at least 1")
  .max(20, "seeds must be at most 20");

/** A count n means seeds 1..n (the paper's "3 runs per variant"); a list gives the seeds themselves. */
export const seedsSchema = z
  .union([
    seedCountSchema,
    z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .max(20),
  ])
  .transform((s) => (typeof s === "number" ? Array.from({ length: s }, (_, i) => i + 1) : s))
  .refine((s) => new Set(s).size === s.length, "seeds must be distinct");

export const enqueueTrainingSchema = z.object({
  datasetId: text().min(1),
  variants: z
    .array(variantSchema)
    .min(1, "at least one variant")
    .refine((v) => new Set(v).size === v.length, "variants must be distinct"),
  seeds: seedsSchema,
  /** Any subset of the trainer's parameters; the rest take the paper's defaults. */
  params: trainParamsSchema.prefault({}),
  createdById: text().optional(),
  /**
   * The researcher confirmed training the paper's protocol (224 px, full width) while no GPU worker is online:
   * about 11 hours per run on a 2-core CPU, so it is never started by accident (enqueueTraining refuses it).
   */
  confirmCpu: z.boolean().default(false),
  /** The finished job this one trains again (lib/jobs/retraining.ts); its dataset or a newer import of it. */
  retrainOf: text().min(1).max(64, "retrainOf is too long").optional(),
});
/** What an edge may send: a seed count or list, any subset of the parameters. */
export type EnqueueTrainingInput = z.input<typeof enqueueTrainingSchema>;
/** What lib/jobs takes: seeds listed, every parameter filled. */
export type TrainingRequest = z.output<typeof enqueueTrainingSchema>;

export const enqueueHeatmapsSchema = z
  .object({
    runIds: z.array(text().min(1)).min(1, "at least one run"),
    imageIds: z.array(text().min(1)).min(1).optional(),
    split: z.enum(["TRAIN", "VALIDATION", "TEST"]).optional(),
    force: z.boolean().default(false),
  })
  .refine((x) => (x.imageIds === undefined) !== (x.split === undefined), "give either imageIds or split, not both");
export type EnqueueHeatmapsInput = z.input<typeof enqueueHeatmapsSchema>;
export type HeatmapsRequest = z.output<typeof enqueueHeatmapsSchema>;

export function parseTrainingRequest(input: EnqueueTrainingInput, message?: InvalidMessage): TrainingRequest {
  return parseInput(enqueueTrainingSchema, input, message);
}

export function parseHeatmapsRequest(input: EnqueueHeatmapsInput, message?: InvalidMessage): HeatmapsRequest {
  return parseInput(enqueueHeatmapsSchema, input, message);
}
