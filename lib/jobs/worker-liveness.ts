// Worker liveness. pg-boss notices a dead worker only when the job heartbeat (minutes, because a WASM batch
// can block the event loop for seconds) runs out; until then the run would show RUNNING with nobody training
// it. So every worker also beats into WorkerHeartbeat, and every worker, on each of its own beats, requeues
// the runs whose worker has stopped beating. Each surviving worker may try at the same moment: the requeue
// is one conditional UPDATE, so exactly one of them wins per run and the others change nothing.
import type { PgBoss } from "pg-boss";
import { db } from "@/lib/db/client";
import { refreshJobStatus } from "./job-status";
import { sendTrainJob } from "./enqueue";
import { TRAIN_QUEUE } from "./queues";

export interface LostRun {
  runId: string;
  jobId: string;
  /** The worker that held the run and stopped beating (null when the run had none recorded). */
  lostWorkerId: string | null;
  requeuedAt: Date;
}

export interface RequeueOptions {
  /** A worker whose last heartbeat is older than this has stopped. */
  staleMs: number;
  /** The worker doing the requeue, recorded in the audit trail. */
  byWorkerId: string;
  now?: Date;
}

/**
 * Puts every RUNNING run whose worker has no heartbeat within `staleMs` back in the queue, records the lost
 * worker and the time on the run, audits it in the same transaction, then frees the run's pg-boss key: the
 * dead worker's job stays "active" until its own heartbeat expires, and the queue's exclusive policy would
 * refuse a new job for the run until then.
 */
export async function requeueRunsOfLostWorkers(boss: PgBoss, opts: RequeueOptions): Promise<LostRun[]> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - opts.staleMs);
  const lost = await db().$transaction(async (tx) => {
    // Row locks serialise concurrent callers: a second UPDATE waiting on the same row re-checks
    // `status = 'RUNNING'` against the committed row, finds it QUEUED and leaves it alone. A worker never
    // judges its own runs: a long synchronous step can delay its clock reading past its own last beat.
    const rows = await tx.$queryRaw<{ id: string; jobId: string; lostWorkerId: string | null }[]>`
      UPDATE "ModelRun" AS r
         SET "status" = 'QUEUED', "lostWorkerId" = r."workerId", "workerLostAt" = ${now},
             "workerId" = NULL, "etaSeconds" = NULL, "updatedAt" = ${now}
       WHERE r."status" = 'RUNNING'
         AND r."workerId" IS DISTINCT FROM ${opts.byWorkerId}
         AND NOT EXISTS (SELECT 1 FROM "WorkerHeartbeat" h WHERE h."id" = r."workerId" AND h."seenAt" >= ${cutoff})
      RETURNING r."id", r."jobId", r."lostWorkerId"`;
    for (const r of rows) {
      await tx.auditEvent.create({
        data: {
          actorId: null,
          action: "run.requeued-worker-lost",
          subject: r.id,
          details: { lostWorkerId: r.lostWorkerId, requeuedBy: opts.byWorkerId, staleMs: opts.staleMs },
        },
      });
    }
    return rows;
  });
  for (const r of lost) {
    await refreshJobStatus(r.jobId);
    const active = (await boss.findJobs(TRAIN_QUEUE, { key: r.id })).filter((j) => j.state === "active");
    if (active.length > 0)
      await boss.cancel(
        TRAIN_QUEUE,
        active.map((j) => j.id),
      );
    await sendTrainJob(boss, r.id);
  }
  return lost.map((r) => ({ runId: r.id, jobId: r.jobId, lostWorkerId: r.lostWorkerId, requeuedAt: now }));
}
