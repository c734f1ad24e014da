// Read models of the job queue: runs (active first, then recently finished), the workers panel and the
// succeeded runs a heat-map job may use. Plain serialisable objects, so pages can hand them to client
// components (the live queue) as they are.
import { envVar } from "@/lib/config/env";
import { db, JobStatus } from "@/lib/db/client";
import { historyColumn, paramsSummarySchema, type TrainParamsSummary } from "@/lib/db/json-columns";

export type { TrainParamsSummary };

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

/** Runs still waiting for or holding a worker. */
export const ACTIVE_STATUSES: JobStatus[] = [JobStatus.QUEUED, JobStatus.RUNNING];

/** Active runs first (running, then queued, oldest first), then the most recently finished ones. */
export async function queueRuns(opts: { datasetId?: string; recent?: number } = {}): Promise<QueueRun[]> {
  const where = opts.datasetId ? { job: { datasetId: opts.datasetId } } : {};
  const select = {
    id: true,
    jobId: true,
    variant: true,
    seed: true,
    status: true,
    epoch: true,
    epochs: true,
    history: true,
    valAuc: true,
    etaSeconds: true,
    workerId: true,
    backend: true,
    error: true,
    cancelRequested: true,
    readyForStudy: true,
    params: true,
    lostWorkerId: true,
    workerLostAt: true,
    createdAt: true,
    startedAt: true,
    finishedAt: true,
    job: { select: { datasetId: true, dataset: { select: { name: true } } } },
  } as const;
  const [active, finished] = await Promise.all([
    db().modelRun.findMany({
      where: { ...where, status: { in: ACTIVE_STATUSES } },
      select,
      orderBy: [{ createdAt: "asc" }, { variant: "asc" }, { seed: "asc" }],
    }),
    db().modelRun.findMany({
      where: { ...where, status: { notIn: ACTIVE_STATUSES } },
      select,
      orderBy: [{ finishedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
      take: opts.recent ?? 50,
    }),
  ]);
  const rank = (s: JobStatus) => (s === JobStatus.RUNNING ? 0 : 1);
  return [...active.sort((a, b) => rank(a.status) - rank(b.status)), ...finished].map((r) => {
    const last = historyColumn.read.parse(r.history).at(-1);
    return {
      id: r.id,
      jobId: r.jobId,
      datasetId: r.job.datasetId,
      datasetName: r.job.dataset.name,
      variant: r.variant,
      seed: r.seed,
      status: r.status,
      epoch: r.epoch,
      epochs: r.epochs,
      loss: last?.loss ?? null,
      valAuc: r.valAuc,
      imagesPerSecond: last?.imagesPerSecond ?? null,
      etaSeconds: r.etaSeconds,
      workerId: r.workerId,
      backend: r.backend,
      error: r.error,
      lostWorkerId: r.lostWorkerId,
      workerLostAt: r.workerLostAt?.toISOString() ?? null,
      cancelRequested: r.cancelRequested,
      readyForStudy: r.readyForStudy,
      params: paramsSummarySchema.parse(r.params),
      createdAt: r.createdAt.toISOString(),
      startedAt: r.startedAt?.toISOString() ?? null,
      finishedAt: r.finishedAt?.toISOString() ?? null,
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
  const rows = await db().workerHeartbeat.findMany({
    where: { seenAt: { gte: new Date(now.getTime() - 24 * 3600_000) } },
    orderBy: { seenAt: "desc" },
  });
  return rows.map((w) => {
    const age = now.getTime() - w.seenAt.getTime();
    return {
      id: w.id,
      hostname: w.hostname,
      backend: w.backend,
      pid: w.pid,
      startedAt: w.startedAt.toISOString(),
      seenAt: w.seenAt.toISOString(),
      secondsSinceSeen: Math.max(0, Math.round(age / 1000)),
      online: age <= windowMs,
      currentRunId: w.currentRunId,
    };
  });
}

/** Succeeded runs of a dataset, for the heat-map job form. */
export async function succeededRuns(
  datasetId: string,
): Promise<{ id: string; variant: string; seed: number; valAuc: number | null; heatmaps: number }[]> {
  const rows = await db().modelRun.findMany({
    where: { job: { datasetId }, status: JobStatus.SUCCEEDED },
    select: { id: true, variant: true, seed: true, valAuc: true, _count: { select: { heatmaps: true } } },
    orderBy: [{ variant: "asc" }, { seed: "asc" }, { createdAt: "asc" }],
  });
  return rows.map(({ _count, ...r }) => ({ ...r, heatmaps: _count.heatmaps }));
}
