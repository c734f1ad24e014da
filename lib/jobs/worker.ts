// One worker process: takes `train` and `heatmaps` jobs (and studies' `study-reminders`) from pg-boss, reports itself in WorkerHeartbeat
// every 10 s, and shuts down without losing work (see shutdown()). workers/main.ts is a thin entry point.
import { hostname } from "node:os";
import type { Job, JobWithMetadata, PgBoss } from "pg-boss";
import { readEnv } from "@/lib/config/env";
import { DomainError } from "@/lib/errors/domain-error";
import { db } from "@/lib/db/client";
import { initBackend } from "@/lib/ml/backend/select-backend";
import { requeueOrphanedRuns } from "./run-control";
import { runHeatmaps } from "./run-heatmaps";
import { runTraining } from "./run-training";
import {
  HEATMAPS_QUEUE,
  REMINDERS_QUEUE,
  startBoss,
  TRAIN_QUEUE,
  type HeatmapsJobData,
  type RemindersJobData,
  type TrainJobData,
} from "./queues";
import { requeueReminderJobs, runScheduledReminders } from "@/lib/studies/reminders";
import { ShutdownState, type WorkerContext } from "./worker-context";
import { logger } from "@/lib/logging/logger";
import { requeueRunsOfLostWorkers } from "./worker-liveness";

export interface WorkerOptions {
  connectionString: string;
  /** Jobs of each queue this process runs at once (default 1; see workers/main.ts on cores). */
  concurrency?: number;
  log?: (msg: string) => void;
  /** pg-boss polling interval (default 2 s; tests use less). */
  pollingIntervalSeconds?: number;
  /** Overrides the cancel-poll interval of training (tests). */
  cancelPollMs?: number;
  /** Heartbeat interval and the silence after which a worker counts as dead (default: the environment). */
  liveness?: { heartbeatMs: number; staleMs: number };
}

export interface RunningWorker {
  workerId: string;
  backend: string;
  boss: PgBoss;
  shutdownState: ShutdownState;
  /** Stops taking jobs, lets running ones reach a safe point, requeues interrupted runs, stops pg-boss. */
  shutdown(): Promise<void>;
}

export function workerId(): string {
  return `${hostname()}:${process.pid}`;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const log = opts.log ?? ((m: string) => logger.child({ name: "worker" }).info(m));
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  const selected = await initBackend({ log });
  const { threads } = selected;
  // Runs and heart-beats record what computes: "wasm+native, 2 threads" (threads where Focus sets them).
  const backend = threads === null ? selected.label : `${selected.label}, ${threads} thread${threads === 1 ? "" : "s"}`;
  const id = workerId();
  const shutdownState = new ShutdownState();
  let currentRunId: string | null = null;
  const ctx: WorkerContext = {
    workerId: id,
    backend,
    shutdown: shutdownState,
    log,
    onCurrentRun: (r) => {
      currentRunId = r;
    },
  };

  const boss = await startBoss(opts.connectionString, { log });
  const startedAt = new Date();
  const beat = async () => {
    const row = { hostname: hostname(), backend, pid: process.pid, seenAt: new Date(), currentRunId };
    await db().workerHeartbeat.upsert({ where: { id }, create: { id, startedAt, ...row }, update: row });
  };
  const env = readEnv(["FOCUS_WORKER_HEARTBEAT_MS", "FOCUS_WORKER_STALE_MS"]);
  const { heartbeatMs, staleMs } = opts.liveness ?? {
    heartbeatMs: env.FOCUS_WORKER_HEARTBEAT_MS,
    staleMs: env.FOCUS_WORKER_STALE_MS,
  };
  if (staleMs < 2 * heartbeatMs) {
    // One late beat would otherwise make a live worker look dead and lose its run.
    const message = `FOCUS_WORKER_STALE_MS (${staleMs}) must be at least twice FOCUS_WORKER_HEARTBEAT_MS (${heartbeatMs})`;
    throw new DomainError("invalid", message, { code: "config" });
  }
  // Each beat also looks for runs whose worker went silent: with a beat every H and a stale limit S, a dead
  // worker's run is requeued at most S + H after its last beat (70 s with the defaults).
  const reap = async () => {
    for (const r of await requeueRunsOfLostWorkers(boss, { staleMs, byWorkerId: id })) {
      log(`run ${r.runId}: worker ${r.lostWorkerId ?? "?"} lost (no heartbeat for ${staleMs / 1000} s); requeued`);
    }
  };
  let beating = false;
  const tick = async () => {
    if (beating) return; // a slow database must not pile up overlapping beats
    beating = true;
    try {
      await beat();
      await reap();
    } catch (e) {
      log(`heartbeat failed: ${(e as Error).message}`);
    } finally {
      beating = false;
    }
  };
  await beat();
  const heartbeat = setInterval(() => void tick(), heartbeatMs);
  heartbeat.unref();

  const recovered = await requeueOrphanedRuns(boss);
  if (recovered > 0) log(`re-sent jobs for ${recovered} queued run(s) that had none`);

  const pollingIntervalSeconds = opts.pollingIntervalSeconds ?? 2;
  await boss.work(
    TRAIN_QUEUE,
    { localConcurrency: concurrency, includeMetadata: true, pollingIntervalSeconds },
    async (jobs: JobWithMetadata<TrainJobData>[]) => {
      for (const job of jobs) {
        await runTraining(job.data.runId, ctx, {
          signal: job.signal,
          finalAttempt: job.retryCount >= job.retryLimit,
          cancelPollMs: opts.cancelPollMs,
        });
      }
    },
  );
  await boss.work(
    HEATMAPS_QUEUE,
    { localConcurrency: concurrency, pollingIntervalSeconds },
    async (jobs: Job<HeatmapsJobData>[]) => {
      for (const job of jobs) await runHeatmaps(job.data, ctx, { signal: job.signal, boss });
    },
  );
  // Reminder emails of studies with a schedule: light, so every worker takes them beside its model work.
  await boss.work(REMINDERS_QUEUE, { pollingIntervalSeconds: 30 }, async (jobs: Job<RemindersJobData>[]) => {
    for (const job of jobs) await runScheduledReminders(boss, job.data.studyId);
  });
  await requeueReminderJobs(boss).catch((e: unknown) => log(`reminder schedules not requeued: ${String(e)}`));
  log(`worker ${id} ready (backend ${backend}, concurrency ${concurrency})`);

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    if (!shutdownState.requested) shutdownState.request();
    stopping ??= (async () => {
      log("shutting down: no new jobs; running work stops at its next safe point");
      await boss.offWork(TRAIN_QUEUE, { wait: true });
      await boss.offWork(HEATMAPS_QUEUE, { wait: true });
      await boss.offWork(REMINDERS_QUEUE, { wait: true });
      // Runs stopped by the shutdown are QUEUED again; their completed jobs freed the singleton key.
      const requeued = await requeueOrphanedRuns(boss).catch(() => 0);
      if (requeued > 0) log(`requeued ${requeued} interrupted run(s) for another worker`);
      clearInterval(heartbeat);
      await db()
        .workerHeartbeat.delete({ where: { id } })
        .catch(() => undefined);
      await boss.stop({ graceful: true, timeout: 5000 });
      log("stopped");
    })();
    return stopping;
  };
  return { workerId: id, backend, boss, shutdownState, shutdown };
}
