// What the training estimate reads from the database: the throughput of recent runs and the online workers.
import { db, ImageSplit } from "@/lib/db/client";
import { historyColumn, paramsSummarySchema } from "@/lib/db/json-columns";
import type { TrainingRequest } from "./job-inputs";
import { workersPanel } from "./job-queries";
import {
  estimateTraining,
  workerBackendOf,
  type ThroughputSample,
  type TrainingEstimate,
  type WorkerGroup,
} from "./training-estimate";
import { fromDbVariant } from "./variants";

/** Enough recent runs to cover every (variant, size, width, backend) in use, few enough to read on every form load. */
const SAMPLE_RUNS = 300;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Runs that finished at least one epoch, most recent first, each as its mean throughput over its epochs. */
export async function throughputSamples(limit = SAMPLE_RUNS): Promise<ThroughputSample[]> {
  const rows = await db().modelRun.findMany({
    where: { epoch: { gt: 0 }, backend: { not: null } },
    select: { variant: true, params: true, history: true, backend: true },
    orderBy: { updatedAt: "desc" },
    take: limit,
  });
  return rows.flatMap((r) => {
    const p = paramsSummarySchema.parse(r.params);
    const history = historyColumn.read.parse(r.history);
    const train = history.flatMap((h) =>
      h.imagesPerSecond !== null && h.imagesPerSecond > 0 ? [h.imagesPerSecond] : [],
    );
    const val = history.flatMap((h) =>
      h.valImagesPerSecond !== null && h.valImagesPerSecond > 0 ? [h.valImagesPerSecond] : [],
    );
    if (r.backend === null || p.inputSize === null || p.width === null || p.batchSize === null || train.length === 0)
      return [];
    return [
      {
        variant: fromDbVariant(r.variant),
        inputSize: p.inputSize,
        width: p.width,
        batchSize: p.batchSize,
        backend: workerBackendOf(r.backend),
        trainImagesPerSecond: mean(train),
        valImagesPerSecond: val.length ? mean(val) : null,
      },
    ];
  });
}

/** Online workers (heartbeat within FOCUS_WORKER_STALE_MS) grouped by backend. */
export async function onlineWorkerGroups(now = new Date()): Promise<WorkerGroup[]> {
  const groups = new Map<string, number>();
  for (const w of await workersPanel(now)) if (w.online) groups.set(w.backend, (groups.get(w.backend) ?? 0) + 1);
  return [...groups].map(([backend, count]) => ({ backend, count }));
}

/** Training and validation images of a dataset, as a run loads them. */
export async function datasetSplitSizes(datasetId: string): Promise<{ trainImages: number; valImages: number }> {
  const rows = await db().image.groupBy({ by: ["split"], where: { datasetId }, _count: { _all: true } });
  const count = (split: ImageSplit) => rows.find((r) => r.split === split)?._count._all ?? 0;
  return { trainImages: count(ImageSplit.TRAIN), valImages: count(ImageSplit.VALIDATION) };
}

/** Everything the training form needs to estimate any settings in the browser. */
export async function estimateInputs(datasetId: string) {
  const [sizes, workers, samples] = await Promise.all([
    datasetSplitSizes(datasetId),
    onlineWorkerGroups(),
    throughputSamples(),
  ]);
  return { ...sizes, workers, samples };
}

export async function estimateTrainingRequest(req: TrainingRequest): Promise<TrainingEstimate> {
  const { trainImages, valImages, workers, samples } = await estimateInputs(req.datasetId);
  return estimateTraining(
    { variants: req.variants, seeds: req.seeds.length, params: req.params, trainImages, valImages },
    workers,
    samples,
  );
}
