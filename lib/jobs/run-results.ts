// Read models of training results: finished runs of a dataset with the paper-style AUC table, one run's
// detail, and the heat-map grid that compares runs on the same images (researchers are not blinded).
import { db, type ImageSplit, type JobStatus, type Prisma } from "@/lib/db/client";
import {
  historyColumn,
  paramsSummarySchema,
  rocColumn,
  testEvaluationColumn,
  type StoredTestEvaluation,
  type TrainParamsSummary,
} from "@/lib/db/json-columns";
import { aucTableByVariant, type VariantAucRow } from "./auc-summary";
import { ACTIVE_STATUSES } from "./job-queries";

export interface EpochPoint {
  epoch: number;
  loss: number | null;
  trainAuc: number | null;
  valAuc: number | null;
  imagesPerSecond: number | null;
}

export interface RocPoint {
  fpr: number;
  tpr: number;
}

export interface ResultRun {
  id: string;
  jobId: string;
  variant: string;
  seed: number;
  status: JobStatus;
  valAuc: number | null;
  /** Held-out test split (null without one): AUC with its DeLong interval and two operating points. */
  testAuc: number | null;
  testEvaluation: StoredTestEvaluation | null;
  /** Per-image predictions are stored (the predictions CSV can be downloaded). */
  predictions: number;
  readyForStudy: boolean;
  epoch: number;
  epochs: number;
  heatmaps: number;
  params: TrainParamsSummary;
  history: EpochPoint[];
  roc: RocPoint[];
  finishedAt: string | null;
}

export interface DatasetResults {
  runs: ResultRun[];
  table: VariantAucRow[];
}

function resultOf(r: {
  id: string;
  jobId: string;
  variant: string;
  seed: number;
  status: JobStatus;
  valAuc: number | null;
  testAuc: number | null;
  testEvaluation: Prisma.JsonValue | null;
  readyForStudy: boolean;
  epoch: number;
  epochs: number;
  params: Prisma.JsonValue;
  history: Prisma.JsonValue;
  roc: Prisma.JsonValue | null;
  finishedAt: Date | null;
  _count: { heatmaps: number; predictions: number };
}): ResultRun {
  return {
    id: r.id,
    jobId: r.jobId,
    variant: r.variant,
    seed: r.seed,
    status: r.status,
    valAuc: r.valAuc,
    testAuc: r.testAuc,
    testEvaluation: testEvaluationColumn.read.parse(r.testEvaluation),
    predictions: r._count.predictions,
    readyForStudy: r.readyForStudy,
    epoch: r.epoch,
    epochs: r.epochs,
    heatmaps: r._count.heatmaps,
    params: paramsSummarySchema.parse(r.params),
    history: historyColumn.read.parse(r.history).map(({ epoch, loss, trainAuc, valAuc, imagesPerSecond }) => ({
      epoch,
      loss,
      trainAuc,
      valAuc,
      imagesPerSecond,
    })),
    roc: rocColumn.read.parse(r.roc).map(({ fpr, tpr }) => ({ fpr, tpr })),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

const RESULT_SELECT = {
  id: true,
  jobId: true,
  variant: true,
  seed: true,
  status: true,
  valAuc: true,
  testAuc: true,
  testEvaluation: true,
  readyForStudy: true,
  epoch: true,
  epochs: true,
  params: true,
  history: true,
  roc: true,
  finishedAt: true,
  _count: { select: { heatmaps: true, predictions: true } },
} as const;

/**
 * Finished runs of a dataset (succeeded ones, plus cancelled and failed ones for the record) and the
 * per-variant table. Runs with other hyper-parameters (a CPU-quick run beside a paper run) are not
 * separated here; `jobId` filters to one job's runs.
 */
export async function datasetResults(datasetId: string, opts: { jobId?: string } = {}): Promise<DatasetResults> {
  const rows = await db().modelRun.findMany({
    where: { job: { datasetId }, jobId: opts.jobId, status: { notIn: ACTIVE_STATUSES } },
    select: RESULT_SELECT,
    orderBy: [{ variant: "asc" }, { seed: "asc" }, { createdAt: "asc" }],
  });
  const runs = rows.map(resultOf);
  return { runs, table: aucTableByVariant(runs) };
}

export interface RunDetail extends ResultRun {
  datasetId: string;
  datasetName: string;
  cancelRequested: boolean;
  error: string | null;
  workerId: string | null;
  backend: string | null;
  etaSeconds: number | null;
  startedAt: string | null;
  rawParams: Prisma.JsonValue;
}

export async function runDetail(runId: string): Promise<RunDetail | null> {
  const r = await db().modelRun.findUnique({
    where: { id: runId },
    select: {
      ...RESULT_SELECT,
      cancelRequested: true,
      error: true,
      workerId: true,
      backend: true,
      etaSeconds: true,
      startedAt: true,
      job: { select: { datasetId: true, dataset: { select: { name: true } } } },
    },
  });
  if (!r) return null;
  return {
    ...resultOf(r),
    datasetId: r.job.datasetId,
    datasetName: r.job.dataset.name,
    cancelRequested: r.cancelRequested,
    error: r.error,
    workerId: r.workerId,
    backend: r.backend,
    etaSeconds: r.etaSeconds,
    startedAt: r.startedAt?.toISOString() ?? null,
    rawParams: r.params,
  };
}

export interface HeatmapCell {
  heatmapId: string;
  probability: number;
  predictedClass: number;
  pointingHit: boolean | null;
  energyInMask: number | null;
}

export interface HeatmapComparison {
  runs: { id: string; variant: string; seed: number; valAuc: number | null }[];
  images: {
    id: string;
    originalName: string;
    label: number;
    className: string;
    split: ImageSplit;
    cells: Record<string, HeatmapCell | null>;
  }[];
}

/**
 * The same images side by side for several runs (researchers are not blinded, so runs are named). Images
 * are those with a map from the most runs first, so the grid has as few holes as possible.
 */
export async function heatmapComparison(
  datasetId: string,
  opts: { runIds?: string[]; maxImages?: number } = {},
): Promise<HeatmapComparison> {
  const runs = await db().modelRun.findMany({
    where: { job: { datasetId }, id: opts.runIds ? { in: opts.runIds } : undefined, heatmaps: { some: {} } },
    select: { id: true, variant: true, seed: true, valAuc: true },
    orderBy: [{ variant: "asc" }, { seed: "asc" }, { createdAt: "asc" }],
  });
  if (runs.length === 0) return { runs: [], images: [] };
  const runIds = runs.map((r) => r.id);
  const perImage = await db().heatmap.groupBy({
    by: ["imageId"],
    where: { modelRunId: { in: runIds } },
    _count: { _all: true },
  });
  perImage.sort((a, b) => b._count._all - a._count._all || (a.imageId < b.imageId ? -1 : 1));
  const imageIds = perImage.slice(0, opts.maxImages ?? 12).map((p) => p.imageId);
  const [images, maps, dataset] = await Promise.all([
    db().image.findMany({
      where: { id: { in: imageIds } },
      select: { id: true, originalName: true, label: true, split: true },
    }),
    db().heatmap.findMany({ where: { modelRunId: { in: runIds }, imageId: { in: imageIds } } }),
    db().dataset.findUniqueOrThrow({ where: { id: datasetId }, select: { classNames: true } }),
  ]);
  const order = new Map(imageIds.map((id, i) => [id, i]));
  images.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return {
    runs: runs.map((r) => ({ id: r.id, variant: r.variant, seed: r.seed, valAuc: r.valAuc })),
    images: images.map((im) => ({
      ...im,
      className: dataset.classNames[im.label] ?? String(im.label),
      cells: Object.fromEntries(
        runIds.map((rid) => {
          const h = maps.find((m) => m.modelRunId === rid && m.imageId === im.id);
          return [
            rid,
            h
              ? {
                  heatmapId: h.id,
                  probability: h.probability,
                  predictedClass: h.predictedClass,
                  pointingHit: h.pointingHit,
                  energyInMask: h.energyInMask,
                }
              : null,
          ];
        }),
      ),
    })),
  };
}
