// Creating work: a TrainingJob with one ModelRun per variant x seed, and one pg-boss job per run; heat-map
// jobs per run. Rows are written before jobs are sent, so a worker never receives a job for a missing row;
// a run whose job was lost (crash between the two steps) is picked up by requeueOrphanedRuns.
import type { PgBoss } from "pg-boss";
import { db, ImageSplit, JobStatus, type TrainingJob, type ModelRun } from "@/lib/db/client";
import type { HeatmapsRequest, TrainingRequest } from "./job-inputs";
import { getBoss, HEATMAPS_QUEUE, TRAIN_QUEUE, type HeatmapsJobData, type TrainJobData } from "./queues";
import { toDbVariant } from "./variants";
import { DomainError } from "@/lib/errors/domain-error";
import { paramsColumn, toJson } from "@/lib/db/json-columns";
import { estimateTrainingRequest } from "./estimate-queries";
import { checkRetrainTarget } from "./retraining";
import { cpuConfirmationMessage } from "./training-estimate";

/** DomainError.code of the refusal to start the paper's protocol on CPU without confirmation. */
export const CPU_CONFIRMATION_CODE = "cpu-confirmation";

/** Sends the train job of a run; a no-op when one is already queued, retrying or active (exclusive policy). */
export async function sendTrainJob(boss: PgBoss, runId: string): Promise<string | null> {
  const data: TrainJobData = { runId };
  return boss.send(TRAIN_QUEUE, data, { singletonKey: runId });
}

/**
 * Creates the job and its runs and queues them. The paper's protocol (224 px, full width) with no GPU worker
 * online is refused unless `req.confirmCpu`: on CPU it takes about 11 hours per run.
 */
export async function enqueueTraining(
  req: TrainingRequest,
  opts: { boss?: PgBoss } = {},
): Promise<TrainingJob & { runs: ModelRun[] }> {
  const dataset = await db().dataset.findUnique({
    where: { id: req.datasetId },
    select: { id: true, _count: { select: { images: true } } },
  });
  if (!dataset) throw DomainError.notFound(`dataset ${req.datasetId} not found`);
  if (req.retrainOf !== undefined) await checkRetrainTarget(req.retrainOf, req.datasetId);
  const estimate = await estimateTrainingRequest(req);
  if (estimate.needsCpuConfirmation && !req.confirmCpu) {
    const message = cpuConfirmationMessage(estimate);
    throw new DomainError("invalid", message, {
      fields: [{ field: "confirmCpu", message }],
      code: CPU_CONFIRMATION_CODE,
      details: { estimate },
    });
  }
  const params = toJson(paramsColumn.write, req.params);
  const job = await db().trainingJob.create({
    data: {
      datasetId: req.datasetId,
      variants: req.variants.map(toDbVariant),
      seeds: req.seeds,
      params,
      createdById: req.createdById,
      retrainedFromId: req.retrainOf,
      runs: {
        create: req.variants.flatMap((variant) =>
          req.seeds.map((seed) => ({ variant: toDbVariant(variant), seed, params, epochs: req.params.epochs })),
        ),
      },
    },
    include: { runs: { orderBy: [{ variant: "asc" }, { seed: "asc" }] } },
  });
  const boss = opts.boss ?? (await getBoss());
  for (const run of job.runs) await sendTrainJob(boss, run.id);
  return job;
}

/** Maps per job stay small enough that a retry after a crash redoes little. */
export const HEATMAP_IMAGES_PER_JOB = 100;

export async function enqueueHeatmaps(
  req: HeatmapsRequest,
  opts: { boss?: PgBoss } = {},
): Promise<{ jobIds: string[]; images: number }> {
  const runs = await db().modelRun.findMany({
    where: { id: { in: req.runIds } },
    select: { id: true, status: true, job: { select: { datasetId: true } } },
  });
  for (const id of req.runIds) {
    const run = runs.find((r) => r.id === id);
    if (!run) throw DomainError.notFound(`model run ${id} not found`);
    if (run.status !== JobStatus.SUCCEEDED)
      throw DomainError.conflict(`model run ${id} is ${run.status}; heat-maps need a SUCCEEDED run`);
  }
  // Every selection is checked before any job is sent, so a refusal leaves nothing queued.
  const selections: Array<{ runId: string; ids: string[] }> = [];
  for (const run of runs) {
    const where = req.imageIds
      ? { id: { in: req.imageIds }, datasetId: run.job.datasetId }
      : { split: req.split as ImageSplit, datasetId: run.job.datasetId };
    const ids = (await db().image.findMany({ where, select: { id: true }, orderBy: { contentHash: "asc" } })).map(
      (r) => r.id,
    );
    if (req.imageIds && ids.length !== new Set(req.imageIds).size) {
      throw DomainError.notFound(`some images are not in the dataset of run ${run.id}`);
    }
    // Queuing nothing would look like success ("0 maps") while the user asked for a split this dataset lacks.
    if (ids.length === 0) {
      throw DomainError.invalid(
        `no images selected: the dataset of run ${run.id} has no ${String(req.split).toLowerCase()} images`,
      );
    }
    selections.push({ runId: run.id, ids });
  }
  const boss = opts.boss ?? (await getBoss());
  const jobIds: string[] = [];
  let images = 0;
  for (const { runId, ids } of selections) {
    images += ids.length;
    for (let start = 0; start < ids.length; start += HEATMAP_IMAGES_PER_JOB) {
      const data: HeatmapsJobData = {
        runId,
        imageIds: ids.slice(start, start + HEATMAP_IMAGES_PER_JOB),
        force: req.force,
      };
      const id = await boss.send(HEATMAPS_QUEUE, data);
      if (id) jobIds.push(id);
    }
  }
  return { jobIds, images };
}
