// Read models of job progress, for the CLI's --wait and the web app's job pages.
import type { PgBoss } from "pg-boss";
import { db, JobStatus } from "@/lib/db/client";
import { HEATMAPS_QUEUE } from "./queues";

export interface RunProgress {
  id: string;
  variant: string;
  seed: number;
  status: JobStatus;
  epoch: number;
  epochs: number;
  valAuc: number | null;
  etaSeconds: number | null;
  error: string | null;
}

export const TERMINAL: readonly JobStatus[] = [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED];

export async function runsProgress(where: { jobId?: string; ids?: string[] }): Promise<RunProgress[]> {
  return db().modelRun.findMany({
    where: { jobId: where.jobId, id: where.ids ? { in: where.ids } : undefined },
    select: {
      id: true,
      variant: true,
      seed: true,
      status: true,
      epoch: true,
      epochs: true,
      valAuc: true,
      etaSeconds: true,
      error: true,
    },
    orderBy: [{ variant: "asc" }, { seed: "asc" }],
  });
}

/** Workers whose heartbeat is recent; a stale row is a worker that died without cleaning up. */
export async function liveWorkers(
  maxAgeMs = 60_000,
): Promise<{ id: string; backend: string; currentRunId: string | null }[]> {
  return db().workerHeartbeat.findMany({
    where: { seenAt: { gte: new Date(Date.now() - maxAgeMs) } },
    select: { id: true, backend: true, currentRunId: true },
  });
}

export interface HeatmapJobsProgress {
  pending: number;
  completed: number;
  failed: number;
}

/** States of heat-map jobs by id; jobs deleted by retention count as completed. */
export async function heatmapJobsProgress(boss: PgBoss, jobIds: readonly string[]): Promise<HeatmapJobsProgress> {
  const out: HeatmapJobsProgress = { pending: 0, completed: 0, failed: 0 };
  for (const id of jobIds) {
    const [job] = await boss.findJobs(HEATMAPS_QUEUE, { id });
    const state = job?.state ?? "completed";
    if (state === "completed") out.completed++;
    else if (state === "failed" || state === "cancelled") out.failed++;
    else out.pending++;
  }
  return out;
}

export async function countHeatmaps(runIds: readonly string[], imageIds?: readonly string[]): Promise<number> {
  return db().heatmap.count({
    where: { modelRunId: { in: [...runIds] }, imageId: imageIds ? { in: [...imageIds] } : undefined },
  });
}
