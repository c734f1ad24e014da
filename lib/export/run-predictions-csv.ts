// A finished run's per-image predictions as CSV, for re-analysis outside Focus (another ROC package, calibration,
// error review): one row per validation and test image with its id, original file name, split, true label and the
// final model's P(positive). Researchers only: the file names the model. Text cells that a spreadsheet would run as
// a formula are neutralised, since original file names come from the imported folder.
import { stringify } from "csv-stringify/sync";
import { db } from "../db/client";
import { recordAudit } from "../audit/audit";
import { DomainError } from "../errors/domain-error";
import { neutraliseFormula } from "./csv";

export const PREDICTION_COLUMNS = [
  "image_id",
  "original_name",
  "split",
  "true_label",
  "true_class",
  "probability_positive",
] as const;

export interface PredictionsFile {
  filename: string;
  contentType: string;
  body: string;
}

const SPLIT_ORDER = { TRAIN: 0, VALIDATION: 1, TEST: 2 } as const;

export async function runPredictionsCsv(runId: string, actorId: string | null): Promise<PredictionsFile> {
  const run = await db().modelRun.findUnique({
    where: { id: runId },
    select: { id: true, variant: true, seed: true, job: { select: { dataset: { select: { classNames: true } } } } },
  });
  if (!run) throw DomainError.notFound("No such run.");
  const rows = await db().runPrediction.findMany({
    where: { modelRunId: runId },
    select: { probability: true, image: { select: { id: true, originalName: true, split: true, label: true } } },
  });
  if (rows.length === 0) {
    throw DomainError.notFound(
      "This run has no stored predictions (it has not finished, or finished before they were kept).",
    );
  }
  rows.sort(
    (a, b) =>
      SPLIT_ORDER[a.image.split] - SPLIT_ORDER[b.image.split] ||
      a.image.originalName.localeCompare(b.image.originalName) ||
      (a.image.id < b.image.id ? -1 : 1),
  );
  const classNames = run.job.dataset.classNames;
  const body = stringify(
    rows.map((r) => [
      r.image.id,
      r.image.originalName,
      r.image.split.toLowerCase(),
      r.image.label,
      classNames[r.image.label] ?? String(r.image.label),
      r.probability,
    ]),
    {
      header: true,
      columns: [...PREDICTION_COLUMNS],
      record_delimiter: "windows",
      cast: { string: (value) => neutraliseFormula(value), number: (value) => String(value) },
    },
  );
  await recordAudit(actorId, "run.predictions.download", run.id, { rows: rows.length });
  return {
    filename: `predictions-${run.variant.toLowerCase()}-seed${run.seed}-${run.id}.csv`,
    contentType: "text/csv; charset=utf-8",
    body,
  };
}
