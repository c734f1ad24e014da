// The `train` handler: trains one ModelRun with lib/ml/train and records its progress and result.
import { relative } from "node:path";
import { db, ImageSplit, JobStatus, Prisma } from "@/lib/db/client";
import { namedPath, storageRoot } from "@/lib/storage/content-store";
import { loadSplit } from "@/lib/datasets/load-split";
import {
  historyColumn,
  paramsColumn,
  rocColumn,
  testEvaluationColumn,
  toJson,
  type HistoryEntry,
} from "@/lib/db/json-columns";
import type { EpochProgress } from "@/lib/ml/train/epoch-progress";
import type { MicroBatchPlan } from "@/lib/ml/train/micro-batch";
import { trainRun } from "@/lib/ml/train/train-run";
import { refreshJobStatus } from "./job-status";
import { evaluateFinishedModel } from "./test-evaluation";
import { fromDbVariant } from "./variants";
import type { WorkerContext } from "./worker-context";

export type TrainOutcome = "succeeded" | "cancelled" | "requeued" | "skipped" | "lost";

/** How often shouldStop may ask the database for cancelRequested (it is called between every batch). */
export const CANCEL_POLL_MS = 3000;

export interface RunTrainingOptions {
  /** pg-boss' signal: aborted when the job expires or the worker stops it. */
  signal?: AbortSignal;
  /** True on pg-boss' last attempt: an error then marks the run FAILED rather than waiting for a retry. */
  finalAttempt?: boolean;
  /** Overrides CANCEL_POLL_MS (tests). */
  cancelPollMs?: number;
}

/** Keeps the history consistent after a resume: entries from the resumed epoch on are replaced. */
export function mergeHistory<T extends { epoch: number }>(history: readonly T[], p: T): T[] {
  return [...history.filter((h) => h.epoch < p.epoch), p];
}

/**
 * Claims the run (QUEUED, or RUNNING left behind by a dead worker whose job pg-boss retried), trains it in
 * storage folder runs/<runId> and records the outcome. Errors mark the run and are rethrown so that pg-boss
 * retries; the retry uses the same folder and so resumes from the checkpoint.
 */
export async function runTraining(
  runId: string,
  ctx: WorkerContext,
  opts: RunTrainingOptions = {},
): Promise<TrainOutcome> {
  const claimed = await db().modelRun.updateMany({
    where: { id: runId, status: { in: [JobStatus.QUEUED, JobStatus.RUNNING] }, cancelRequested: false },
    data: {
      status: JobStatus.RUNNING,
      workerId: ctx.workerId,
      backend: ctx.backend,
      startedAt: new Date(),
      error: null,
    },
  });
  const run = await db().modelRun.findUnique({
    where: { id: runId },
    include: { job: { select: { datasetId: true } } },
  });
  if (!run) {
    ctx.log(`run ${runId}: no such run, job dropped`);
    return "skipped";
  }
  if (claimed.count === 0) {
    // A cancel that arrived while a dead worker held the run is honoured here.
    if (run.cancelRequested && (run.status === JobStatus.RUNNING || run.status === JobStatus.QUEUED)) {
      await finish(runId, run.jobId, { status: JobStatus.CANCELLED, finishedAt: new Date(), etaSeconds: null });
      return "cancelled";
    }
    ctx.log(`run ${runId}: ${run.status}, nothing to do`);
    return "skipped";
  }
  await refreshJobStatus(run.jobId);
  ctx.onCurrentRun?.(runId);
  const variant = fromDbVariant(run.variant);
  const log = (m: string) => ctx.log(`run ${runId} (${variant}, seed ${run.seed}): ${m}`);

  try {
    // The stored parameters cross a process boundary: checked again, with the schema they were written with.
    const params = paramsColumn.read.parse(run.params);
    const [train, val] = [
      await loadSplit(run.job.datasetId, ImageSplit.TRAIN, params.inputSize),
      await loadSplit(run.job.datasetId, ImageSplit.VALIDATION, params.inputSize),
    ];
    log(
      `backend ${ctx.backend}, ${train.images.length} training and ${val.images.length} validation images at ${params.inputSize} px`,
    );

    const pollMs = opts.cancelPollMs ?? CANCEL_POLL_MS;
    let cancelRequested = false;
    // Set when the surviving workers requeued the run because this worker's heartbeat looked dead (a
    // stalled process that came back): another worker owns it now, so this one stops and writes nothing.
    let lostToOther = false;
    let lastPoll = 0;
    let epochEndedSinceShutdown = false;
    const shouldStop = async (): Promise<boolean> => {
      if (opts.signal?.aborted || ctx.shutdown.urgent) return true;
      if (ctx.shutdown.requested && epochEndedSinceShutdown) return true;
      const now = Date.now();
      if (!cancelRequested && !lostToOther && now - lastPoll >= pollMs) {
        lastPoll = now;
        const row = await db().modelRun.findUnique({
          where: { id: runId },
          select: { cancelRequested: true, status: true, workerId: true },
        });
        cancelRequested = row?.cancelRequested ?? true;
        lostToOther = row?.status !== JobStatus.RUNNING || row.workerId !== ctx.workerId;
      }
      return cancelRequested || lostToOther;
    };

    let history: (HistoryEntry | EpochProgress)[] = historyColumn.read.parse(run.history);
    const onEpoch = async (p: EpochProgress): Promise<void> => {
      if (ctx.shutdown.requested) epochEndedSinceShutdown = true;
      history = mergeHistory(history, p);
      const owned = await db().modelRun.updateMany({
        where: { id: runId, ...ownedBy(ctx.workerId) },
        data: {
          epoch: p.epoch,
          history: toJson(historyColumn.write, history),
          valAuc: p.valAuc,
          etaSeconds: p.etaSeconds,
        },
      });
      if (owned.count === 0) lostToOther = true;
    };

    const workDir = namedPath("runs", runId);
    // The run's record says how its batches ran: "wasm+native, 2 threads; batch 64 as 2 × 32, batch norm over 32".
    const onPlan = async (plan: MicroBatchPlan): Promise<void> => {
      await db().modelRun.updateMany({
        where: { id: runId, ...ownedBy(ctx.workerId) },
        data: { backend: `${ctx.backend}; ${plan.text}` },
      });
    };
    const result = await trainRun({
      variant,
      seed: run.seed,
      params,
      train,
      val,
      workDir,
      onEpoch,
      onPlan,
      shouldStop,
      log,
    });
    if (lostToOther) {
      log("requeued by the other workers while this one was unresponsive; another worker owns it now, stopping");
      return "lost";
    }

    if (result.status === "completed") {
      const evaluation = await evaluateFinishedModel({
        datasetId: run.job.datasetId,
        modelDir: result.modelDir,
        params,
        val,
        valScores: result.valScores,
        log,
      });
      await finish(
        runId,
        run.jobId,
        {
          status: JobStatus.SUCCEEDED,
          epoch: result.epochsDone,
          history: toJson(historyColumn.write, result.history),
          valAuc: result.valAuc,
          roc: result.roc === null ? Prisma.DbNull : toJson(rocColumn.write, result.roc),
          testAuc: evaluation.test?.auc?.auc ?? null,
          testEvaluation: evaluation.test ? toJson(testEvaluationColumn.write, evaluation.test) : Prisma.DbNull,
          weightsKey: relative(storageRoot(), result.modelDir),
          checkpointKey: relative(storageRoot(), namedPath("runs", runId, "checkpoint")),
          etaSeconds: 0,
          finishedAt: new Date(),
        },
        ctx.workerId,
        async (tx) => {
          await tx.runPrediction.deleteMany({ where: { modelRunId: runId } });
          await tx.runPrediction.createMany({
            data: evaluation.predictions.map((p) => ({ modelRunId: runId, ...p })),
          });
        },
      );
      log(`succeeded, validation AUC ${result.valAuc?.toFixed(4) ?? "n/a"}`);
      return "succeeded";
    }
    const cancelled =
      (await db().modelRun.findUnique({ where: { id: runId }, select: { cancelRequested: true } }))?.cancelRequested ??
      true;
    if (cancelled) {
      await finish(
        runId,
        run.jobId,
        { status: JobStatus.CANCELLED, epoch: result.epochsDone, finishedAt: new Date(), etaSeconds: null },
        ctx.workerId,
      );
      log(`cancelled after ${result.epochsDone} epochs`);
      return "cancelled";
    }
    // Stopped by a shutdown or the job's expiry: checkpointed, back in the queue for any worker to resume.
    await finish(
      runId,
      run.jobId,
      { status: JobStatus.QUEUED, epoch: result.epochsDone, workerId: null, etaSeconds: null },
      ctx.workerId,
    );
    log(`stopped after ${result.epochsDone} epochs (checkpointed); queued again`);
    return "requeued";
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await finish(
      runId,
      run.jobId,
      opts.finalAttempt === false
        ? {
            status: JobStatus.QUEUED,
            error: `attempt failed, will be retried: ${message}`,
            workerId: null,
            etaSeconds: null,
          }
        : { status: JobStatus.FAILED, error: message, finishedAt: new Date(), etaSeconds: null },
      ctx.workerId,
    ).catch(() => undefined);
    log(`failed: ${message}`);
    throw e;
  } finally {
    ctx.onCurrentRun?.(null);
  }
}

/** The run is still this worker's: nobody requeued it from under a stalled worker. */
function ownedBy(workerId: string): Prisma.ModelRunWhereInput {
  return { status: JobStatus.RUNNING, workerId };
}

/** `alongside` runs in the same transaction, only when the run was still this worker's to update. */
async function finish(
  runId: string,
  jobId: string,
  data: Prisma.ModelRunUpdateManyMutationInput,
  workerId?: string,
  alongside?: (tx: Prisma.TransactionClient) => Promise<void>,
): Promise<void> {
  await db().$transaction(async (tx) => {
    const updated = await tx.modelRun.updateMany({
      where: { id: runId, ...(workerId === undefined ? {} : ownedBy(workerId)) },
      data,
    });
    if (updated.count > 0) await alongside?.(tx);
    await refreshJobStatus(jobId, tx);
  });
}
