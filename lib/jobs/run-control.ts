// Cancelling, retrying and recovering runs. Every transition is one conditional UPDATE, so a worker claiming
// a run and a user cancelling it at the same moment are serialised by Postgres, never both applied.
import type { PgBoss } from "pg-boss";
import { db, JobStatus, type ModelRun } from "@/lib/db/client";
import { refreshJobStatus } from "./job-status";
import { sendTrainJob } from "./enqueue";
import { DomainError } from "@/lib/errors/domain-error";
import { recordAudit } from "@/lib/audit/audit";
import { readyForStudyWarning } from "@/lib/ml/train/train-params";
import { getBoss } from "./queues";

export type CancelOutcome = "cancelled" | "requested" | "already-finished";

/**
 * A queued run is cancelled at once (its pg-boss job, when fetched, sees CANCELLED and does nothing).
 * A running one gets cancelRequested; the trainer's shouldStop sees it within seconds, checkpoints the
 * finished epochs and the handler marks the run CANCELLED.
 */
export async function cancelRun(runId: string): Promise<CancelOutcome> {
  const run = await db().modelRun.findUnique({ where: { id: runId }, select: { jobId: true } });
  if (!run) throw DomainError.notFound(`model run ${runId} not found`);
  const queued = await db().modelRun.updateMany({
    where: { id: runId, status: JobStatus.QUEUED },
    data: { status: JobStatus.CANCELLED, cancelRequested: true, finishedAt: new Date(), etaSeconds: null },
  });
  if (queued.count === 1) {
    await refreshJobStatus(run.jobId);
    return "cancelled";
  }
  const running = await db().modelRun.updateMany({
    where: { id: runId, status: JobStatus.RUNNING },
    data: { cancelRequested: true },
  });
  return running.count === 1 ? "requested" : "already-finished";
}

export async function cancelTrainingJob(jobId: string): Promise<CancelOutcome[]> {
  const runs = await db().modelRun.findMany({ where: { jobId }, select: { id: true } });
  const outcomes: CancelOutcome[] = [];
  for (const r of runs) outcomes.push(await cancelRun(r.id));
  return outcomes;
}

/**
 * Puts a FAILED or CANCELLED run back in the queue. Its folder (and checkpoint) is kept, so training
 * resumes after the last checkpointed epoch rather than starting over.
 */
export async function retryRun(runId: string, opts: { boss?: PgBoss } = {}): Promise<ModelRun> {
  const updated = await db().modelRun.updateMany({
    where: { id: runId, status: { in: [JobStatus.FAILED, JobStatus.CANCELLED] } },
    data: {
      status: JobStatus.QUEUED,
      cancelRequested: false,
      error: null,
      finishedAt: null,
      workerId: null,
      etaSeconds: null,
    },
  });
  const run = await db().modelRun.findUnique({ where: { id: runId } });
  if (!run) throw DomainError.notFound(`model run ${runId} not found`);
  if (updated.count === 0)
    throw DomainError.conflict(`model run ${runId} is ${run.status}; only FAILED or CANCELLED runs can be retried`);
  await refreshJobStatus(run.jobId);
  await sendTrainJob(opts.boss ?? (await getBoss()), runId);
  return run;
}

/**
 * Sends a job for every QUEUED run. The queue's exclusive policy turns this into a no-op for runs that
 * already have a pending or active job, so any worker may call it at start-up and after a shutdown to
 * recover runs whose job was lost (a crash between creating rows and sending, or a requeue on SIGTERM).
 */
export async function requeueOrphanedRuns(boss: PgBoss): Promise<number> {
  const runs = await db().modelRun.findMany({ where: { status: JobStatus.QUEUED }, select: { id: true } });
  let sent = 0;
  for (const r of runs) if (await sendTrainJob(boss, r.id)) sent++;
  return sent;
}

/**
 * Offers a run to study builders, or withdraws it. Only a SUCCEEDED run can be ready: readers must never be
 * shown heat-maps of a model that did not finish training. The change and its audit event commit together;
 * `warning` says why a ready run may still be a poor choice (trained below the size heat-maps need).
 */
export async function setRunReady(
  runId: string,
  ready: boolean,
  actorId: string,
): Promise<{ datasetId: string; warning: string | null }> {
  return db().$transaction(async (tx) => {
    const updated = await tx.modelRun.updateMany({
      where: { id: runId, status: JobStatus.SUCCEEDED },
      data: { readyForStudy: ready },
    });
    if (updated.count === 0) throw DomainError.conflict("Only succeeded runs can be marked ready for studies.");
    await recordAudit(actorId, ready ? "run.ready" : "run.unready", runId, {}, tx);
    const run = await tx.modelRun.findUniqueOrThrow({
      where: { id: runId },
      select: { params: true, job: { select: { datasetId: true } } },
    });
    // Allowed, but the researcher should know when a run's heat-maps cannot localise.
    return { datasetId: run.job.datasetId, warning: ready ? readyForStudyWarning(run.params) : null };
  });
}
