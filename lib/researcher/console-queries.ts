// Read models of the researcher console (datasets, queue, workers, results). Plain serialisable objects,
// so pages can hand them to client components (charts, sortable tables, the live queue) as they are.
import { envVar } from "@/lib/config/env";
import { db, JobStatus, type ImageSplit, type Modality, type Prisma } from "@/lib/db/client";
import type { ImportSkip } from "@/lib/datasets/persist-dataset";
import { aucTableByVariant, type VariantAucRow } from "./auc-summary";

export interface DatasetRow {
  id: string;
  name: string;
  modality: Modality;
  classNames: string[];
  /** Images per label: [negative, positive]. */
  classCounts: [number, number];
  splitCounts: Record<ImageSplit, number>;
  images: number;
  /** Images that have a lesion mask. */
  masks: number;
  imageSize: number;
  runs: number;
  createdAt: string;
}

type CountRow = { datasetId: string; split: ImageSplit; label: number; masked: boolean; count: number };

async function imageCounts(datasetIds: string[]): Promise<CountRow[]> {
  if (datasetIds.length === 0) return [];
  const rows = await db().image.groupBy({
    by: ["datasetId", "split", "label"],
    where: { datasetId: { in: datasetIds } },
    _count: { _all: true, maskKey: true },
  });
  // _count.maskKey counts non-null masks; turn each group into a masked and an unmasked part.
  return rows.flatMap((r) => [
    { datasetId: r.datasetId, split: r.split, label: r.label, masked: true, count: r._count.maskKey },
    { datasetId: r.datasetId, split: r.split, label: r.label, masked: false, count: r._count._all - r._count.maskKey },
  ]);
}

function rowOf(
  d: { id: string; name: string; modality: Modality; classNames: string[]; imageSize: number; createdAt: Date },
  counts: CountRow[],
  runs: number,
): DatasetRow {
  const mine = counts.filter((c) => c.datasetId === d.id);
  const sum = (pred: (c: CountRow) => boolean) => mine.filter(pred).reduce((a, c) => a + c.count, 0);
  return {
    id: d.id,
    name: d.name,
    modality: d.modality,
    classNames: d.classNames,
    classCounts: [sum((c) => c.label === 0), sum((c) => c.label === 1)],
    splitCounts: { TRAIN: sum((c) => c.split === "TRAIN"), VALIDATION: sum((c) => c.split === "VALIDATION"), TEST: sum((c) => c.split === "TEST") },
    images: sum(() => true),
    masks: sum((c) => c.masked),
    imageSize: d.imageSize,
    runs,
    createdAt: d.createdAt.toISOString(),
  };
}

async function runCounts(datasetIds: string[]): Promise<Map<string, number>> {
  const jobs = await db().trainingJob.findMany({
    where: { datasetId: { in: datasetIds } },
    select: { datasetId: true, _count: { select: { runs: true } } },
  });
  const out = new Map<string, number>();
  for (const j of jobs) out.set(j.datasetId, (out.get(j.datasetId) ?? 0) + j._count.runs);
  return out;
}

export async function listDatasets(): Promise<DatasetRow[]> {
  const datasets = await db().dataset.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, modality: true, classNames: true, imageSize: true, createdAt: true },
  });
  const ids = datasets.map((d) => d.id);
  const [counts, runs] = await Promise.all([imageCounts(ids), runCounts(ids)]);
  return datasets.map((d) => rowOf(d, counts, runs.get(d.id) ?? 0));
}

export interface DatasetOverview extends DatasetRow {
  description: string;
  source: string;
  splitSeed: number;
  importReport: ImportSkip[];
}

export async function datasetOverview(id: string): Promise<DatasetOverview | null> {
  const d = await db().dataset.findUnique({ where: { id } });
  if (!d) return null;
  const [counts, runs] = await Promise.all([imageCounts([id]), runCounts([id])]);
  const report = Array.isArray(d.importReport) ? (d.importReport as unknown as ImportSkip[]) : [];
  return { ...rowOf(d, counts, runs.get(id) ?? 0), description: d.description, source: d.source, splitSeed: d.splitSeed, importReport: report };
}

export interface GalleryClass {
  label: number;
  className: string;
  total: number;
  images: { id: string; originalName: string; split: ImageSplit; hasMask: boolean }[];
}

/** The first `perClass` images of each class, in a stable order (content hash). */
export async function classGallery(datasetId: string, classNames: string[], perClass = 24): Promise<GalleryClass[]> {
  return Promise.all(
    classNames.map(async (className, label) => {
      const where = { datasetId, label };
      const [total, images] = await Promise.all([
        db().image.count({ where }),
        db().image.findMany({ where, orderBy: { contentHash: "asc" }, take: perClass, select: { id: true, originalName: true, split: true, maskKey: true } }),
      ]);
      return { label, className, total, images: images.map(({ maskKey, ...im }) => ({ ...im, hasMask: maskKey !== null })) };
    }),
  );
}

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

function num(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}

/** History JSON as written by the worker; anything malformed is dropped rather than trusted. */
export function parseHistory(json: Prisma.JsonValue | null): EpochPoint[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((h) => {
    if (!h || typeof h !== "object" || Array.isArray(h)) return [];
    const o = h as Record<string, unknown>;
    const epoch = num(o.epoch);
    if (epoch === null) return [];
    return [{ epoch, loss: num(o.loss), trainAuc: num(o.trainAuc), valAuc: num(o.valAuc), imagesPerSecond: num(o.imagesPerSecond) }];
  });
}

export function parseRoc(json: Prisma.JsonValue | null): RocPoint[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((p) => {
    if (!p || typeof p !== "object" || Array.isArray(p)) return [];
    const o = p as Record<string, unknown>;
    const fpr = num(o.fpr);
    const tpr = num(o.tpr);
    return fpr === null || tpr === null ? [] : [{ fpr, tpr }];
  });
}

export interface TrainParamsSummary {
  epochs: number | null;
  inputSize: number | null;
  width: number | null;
  batchSize: number | null;
  learningRate: number | null;
}

function paramsSummary(json: Prisma.JsonValue): TrainParamsSummary {
  const o = json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  return { epochs: num(o.epochs), inputSize: num(o.inputSize), width: num(o.width), batchSize: num(o.batchSize), learningRate: num(o.learningRate) };
}

export interface QueueRun {
  id: string;
  jobId: string;
  datasetId: string;
  datasetName: string;
  variant: string;
  seed: number;
  status: JobStatus;
  epoch: number;
  epochs: number;
  /** From the last finished epoch. */
  loss: number | null;
  valAuc: number | null;
  imagesPerSecond: number | null;
  etaSeconds: number | null;
  workerId: string | null;
  backend: string | null;
  error: string | null;
  /** The worker that died holding this run, and when the surviving workers requeued it. */
  lostWorkerId: string | null;
  workerLostAt: string | null;
  cancelRequested: boolean;
  readyForStudy: boolean;
  params: TrainParamsSummary;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const ACTIVE: JobStatus[] = [JobStatus.QUEUED, JobStatus.RUNNING];

/** Active runs first (running, then queued, oldest first), then the most recently finished ones. */
export async function queueRuns(opts: { datasetId?: string; recent?: number } = {}): Promise<QueueRun[]> {
  const where = opts.datasetId ? { job: { datasetId: opts.datasetId } } : {};
  const select = {
    id: true, jobId: true, variant: true, seed: true, status: true, epoch: true, epochs: true, history: true, valAuc: true,
    etaSeconds: true, workerId: true, backend: true, error: true, cancelRequested: true, readyForStudy: true, params: true,
    lostWorkerId: true, workerLostAt: true, createdAt: true, startedAt: true, finishedAt: true, job: { select: { datasetId: true, dataset: { select: { name: true } } } },
  } as const;
  const [active, finished] = await Promise.all([
    db().modelRun.findMany({ where: { ...where, status: { in: ACTIVE } }, select, orderBy: [{ createdAt: "asc" }, { variant: "asc" }, { seed: "asc" }] }),
    db().modelRun.findMany({ where: { ...where, status: { notIn: ACTIVE } }, select, orderBy: [{ finishedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }], take: opts.recent ?? 50 }),
  ]);
  const rank = (s: JobStatus) => (s === JobStatus.RUNNING ? 0 : 1);
  return [...active.sort((a, b) => rank(a.status) - rank(b.status)), ...finished].map((r) => {
    const last = parseHistory(r.history).at(-1);
    return {
      id: r.id, jobId: r.jobId, datasetId: r.job.datasetId, datasetName: r.job.dataset.name, variant: r.variant, seed: r.seed,
      status: r.status, epoch: r.epoch, epochs: r.epochs, loss: last?.loss ?? null, valAuc: r.valAuc,
      imagesPerSecond: last?.imagesPerSecond ?? null, etaSeconds: r.etaSeconds, workerId: r.workerId, backend: r.backend,
      error: r.error, lostWorkerId: r.lostWorkerId, workerLostAt: r.workerLostAt?.toISOString() ?? null,
      cancelRequested: r.cancelRequested, readyForStudy: r.readyForStudy, params: paramsSummary(r.params),
      createdAt: r.createdAt.toISOString(), startedAt: r.startedAt?.toISOString() ?? null, finishedAt: r.finishedAt?.toISOString() ?? null,
    };
  });
}

export interface WorkerRow {
  id: string;
  hostname: string;
  backend: string;
  pid: number;
  startedAt: string;
  seenAt: string;
  secondsSinceSeen: number;
  /** Heartbeat within FOCUS_WORKER_STALE_MS: the same limit after which the workers requeue its run. */
  online: boolean;
  currentRunId: string | null;
}

export async function workersPanel(now = new Date(), windowMs = envVar("FOCUS_WORKER_STALE_MS")): Promise<WorkerRow[]> {
  // Rows of workers gone for a day are history, not status.
  const rows = await db().workerHeartbeat.findMany({ where: { seenAt: { gte: new Date(now.getTime() - 24 * 3600_000) } }, orderBy: { seenAt: "desc" } });
  return rows.map((w) => {
    const age = now.getTime() - w.seenAt.getTime();
    return {
      id: w.id, hostname: w.hostname, backend: w.backend, pid: w.pid, startedAt: w.startedAt.toISOString(), seenAt: w.seenAt.toISOString(),
      secondsSinceSeen: Math.max(0, Math.round(age / 1000)), online: age <= windowMs, currentRunId: w.currentRunId,
    };
  });
}

export interface ResultRun {
  id: string;
  jobId: string;
  variant: string;
  seed: number;
  status: JobStatus;
  valAuc: number | null;
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
  id: string; jobId: string; variant: string; seed: number; status: JobStatus; valAuc: number | null; readyForStudy: boolean; epoch: number;
  epochs: number; params: Prisma.JsonValue; history: Prisma.JsonValue; roc: Prisma.JsonValue | null; finishedAt: Date | null; _count: { heatmaps: number };
}): ResultRun {
  return {
    id: r.id, jobId: r.jobId, variant: r.variant, seed: r.seed, status: r.status, valAuc: r.valAuc, readyForStudy: r.readyForStudy,
    epoch: r.epoch, epochs: r.epochs, heatmaps: r._count.heatmaps, params: paramsSummary(r.params), history: parseHistory(r.history),
    roc: parseRoc(r.roc), finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

const RESULT_SELECT = {
  id: true, jobId: true, variant: true, seed: true, status: true, valAuc: true, readyForStudy: true, epoch: true, epochs: true,
  params: true, history: true, roc: true, finishedAt: true, _count: { select: { heatmaps: true } },
} as const;

/**
 * Finished runs of a dataset (succeeded ones, plus cancelled and failed ones for the record) and the
 * per-variant table. Runs with other hyper-parameters (a CPU-quick run beside a paper run) are not
 * separated here; `jobId` filters to one job's runs.
 */
export async function datasetResults(datasetId: string, opts: { jobId?: string } = {}): Promise<DatasetResults> {
  const rows = await db().modelRun.findMany({
    where: { job: { datasetId }, jobId: opts.jobId, status: { notIn: ACTIVE } },
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
    select: { ...RESULT_SELECT, cancelRequested: true, error: true, workerId: true, backend: true, etaSeconds: true, startedAt: true, job: { select: { datasetId: true, dataset: { select: { name: true } } } } },
  });
  if (!r) return null;
  return {
    ...resultOf(r), datasetId: r.job.datasetId, datasetName: r.job.dataset.name, cancelRequested: r.cancelRequested, error: r.error,
    workerId: r.workerId, backend: r.backend, etaSeconds: r.etaSeconds, startedAt: r.startedAt?.toISOString() ?? null, rawParams: r.params,
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
  images: { id: string; originalName: string; label: number; className: string; split: ImageSplit; cells: Record<string, HeatmapCell | null> }[];
}

/**
 * The same images side by side for several runs (researchers are not blinded, so runs are named). Images
 * are those with a map from the most runs first, so the grid has as few holes as possible.
 */
export async function heatmapComparison(datasetId: string, opts: { runIds?: string[]; maxImages?: number } = {}): Promise<HeatmapComparison> {
  const runs = await db().modelRun.findMany({
    where: { job: { datasetId }, id: opts.runIds ? { in: opts.runIds } : undefined, heatmaps: { some: {} } },
    select: { id: true, variant: true, seed: true, valAuc: true },
    orderBy: [{ variant: "asc" }, { seed: "asc" }, { createdAt: "asc" }],
  });
  if (runs.length === 0) return { runs: [], images: [] };
  const runIds = runs.map((r) => r.id);
  const perImage = await db().heatmap.groupBy({ by: ["imageId"], where: { modelRunId: { in: runIds } }, _count: { _all: true } });
  perImage.sort((a, b) => b._count._all - a._count._all || (a.imageId < b.imageId ? -1 : 1));
  const imageIds = perImage.slice(0, opts.maxImages ?? 12).map((p) => p.imageId);
  const [images, maps, dataset] = await Promise.all([
    db().image.findMany({ where: { id: { in: imageIds } }, select: { id: true, originalName: true, label: true, split: true } }),
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
      cells: Object.fromEntries(runIds.map((rid) => {
        const h = maps.find((m) => m.modelRunId === rid && m.imageId === im.id);
        return [rid, h ? { heatmapId: h.id, probability: h.probability, predictedClass: h.predictedClass, pointingHit: h.pointingHit, energyInMask: h.energyInMask } : null];
      })),
    })),
  };
}

/** Succeeded runs of a dataset, for the heat-map job form. */
export async function succeededRuns(datasetId: string): Promise<{ id: string; variant: string; seed: number; valAuc: number | null; heatmaps: number }[]> {
  const rows = await db().modelRun.findMany({
    where: { job: { datasetId }, status: JobStatus.SUCCEEDED },
    select: { id: true, variant: true, seed: true, valAuc: true, _count: { select: { heatmaps: true } } },
    orderBy: [{ variant: "asc" }, { seed: "asc" }, { createdAt: "asc" }],
  });
  return rows.map(({ _count, ...r }) => ({ ...r, heatmaps: _count.heatmaps }));
}
