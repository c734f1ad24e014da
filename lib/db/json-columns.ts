// What each JSON column holds, in one place: ModelRun.params (the trainer's parameters), ModelRun.history
// (one entry per finished epoch), ModelRun.roc (the validation ROC curve) and Dataset.importReport (the files
// an import skipped, with the reason). Each column has a `read` schema, which drops what does not match
// instead of trusting it (rows written by older versions, or edited by hand), and a `write` schema that
// `toJson` checks a value against before it is stored.
import { z } from "zod";
import { text } from "../validation/text";
import type { Prisma } from "./client";
import { CLASS_WEIGHTINGS, trainParamsSchema } from "../ml/train/train-params";

/** A metric that may be missing or malformed in an old row: null rather than a failed read. */
const metric = z.number().nullable().catch(null);

/** A JSON array of `item`; entries that do not match are dropped, a non-array reads as empty. */
function listOf<S extends z.ZodType>(item: S) {
  return z.unknown().transform((json): z.output<S>[] => {
    if (!Array.isArray(json)) return [];
    return json.flatMap((entry: unknown) => {
      const parsed = item.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  });
}

const historyFields = {
  epoch: z.number(),
  loss: metric,
  trainAuc: metric,
  valAuc: metric,
  imagesPerSecond: metric,
  // Absent from runs trained before it was recorded: null.
  valImagesPerSecond: metric,
};

/**
 * ModelRun.history. The worker writes whole EpochProgress objects (lib/ml/train/epoch-progress.ts); reading
 * keeps their other fields, so a resumed run writes back what it read.
 */
export const historyColumn = {
  read: listOf(z.looseObject(historyFields)),
  write: z.array(z.object(historyFields)),
};
export type HistoryEntry = z.output<typeof historyColumn.read>[number];

const rocFields = { fpr: z.number(), tpr: z.number() };

/**
 * ModelRun.roc: points of the validation ROC curve. The worker's points also carry their threshold, which
 * is not checked: the first one is +Infinity, stored by JSON as null.
 */
export const rocColumn = {
  read: listOf(z.object(rocFields)),
  write: z.array(z.object(rocFields)),
};

/** ModelRun.params and TrainingJob.params: the trainer's parameters, checked by the trainer's own schema. */
export const paramsColumn = { read: trainParamsSchema, write: trainParamsSchema };

/** The parameters a table shows; each null when a stored row lacks it or holds something else. */
export const paramsSummarySchema = z
  .unknown()
  .transform((json) => (json && typeof json === "object" && !Array.isArray(json) ? json : {}))
  .pipe(
    z.object({
      epochs: metric,
      inputSize: metric,
      width: metric,
      batchSize: metric,
      learningRate: metric,
      // Absent before the option existed: those runs trained unweighted.
      classWeighting: z.enum(CLASS_WEIGHTINGS).catch("none"),
    }),
  );
export type TrainParamsSummary = z.output<typeof paramsSummarySchema>;

/** Dataset.importReport: each file an import did not take, and why. */
export const importSkipSchema = z.object({ path: text(), reason: text() });
export type ImportSkip = z.output<typeof importSkipSchema>;
export const importReportColumn = { read: listOf(importSkipSchema), write: z.array(importSkipSchema) };

/**
 * The value for a JSON column, checked against the column's schema first. Prisma's JSON input type cannot
 * name an interface's fields, so the checked value is handed over as JSON here, the one place that does.
 */
export function toJson<S extends z.ZodType>(schema: S, value: z.input<S>): Prisma.InputJsonValue {
  schema.parse(value);
  return value as Prisma.InputJsonValue;
}

const rateWithCi = z.object({
  value: z.number().nullable(),
  ci: z.object({ low: z.number(), high: z.number() }).nullable(),
});
const operatingPoint = z.object({
  threshold: z.number(),
  confusion: z.object({
    truePositive: z.number(),
    falseNegative: z.number(),
    trueNegative: z.number(),
    falsePositive: z.number(),
  }),
  sensitivity: rateWithCi,
  specificity: rateWithCi,
});
const heldOutEvaluation = z.object({
  images: z.number(),
  positives: z.number(),
  negatives: z.number(),
  auc: z
    .object({
      auc: z.number(),
      positives: z.number(),
      negatives: z.number(),
      se: z.number().nullable(),
      ci: z.object({ low: z.number(), high: z.number() }).nullable(),
    })
    .nullable(),
  atHalf: operatingPoint,
  atValidationYouden: operatingPoint.nullable(),
});

/** ModelRun.testEvaluation (lib/stats/held-out-evaluation.ts); a row that does not match reads as none. */
export const testEvaluationColumn = {
  read: heldOutEvaluation.nullable().catch(null),
  write: heldOutEvaluation,
};
export type StoredTestEvaluation = z.output<typeof heldOutEvaluation>;
