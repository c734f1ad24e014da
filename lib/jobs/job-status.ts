// A TrainingJob has no life of its own: its status is a summary of its runs, recomputed whenever one changes.
import { db, JobStatus, type Prisma } from "@/lib/db/client";

/**
 * Nothing started: QUEUED. Something running, or some runs finished while others wait: RUNNING.
 * All finished: FAILED if any failed; SUCCEEDED if any succeeded (the rest cancelled); else CANCELLED.
 */
export function deriveJobStatus(runStatuses: readonly JobStatus[]): JobStatus {
  if (runStatuses.length === 0) return JobStatus.CANCELLED;
  const count = (s: JobStatus) => runStatuses.filter((x) => x === s).length;
  const pending = count(JobStatus.QUEUED) + count(JobStatus.RUNNING);
  if (pending > 0) {
    return count(JobStatus.RUNNING) > 0 || pending < runStatuses.length ? JobStatus.RUNNING : JobStatus.QUEUED;
  }
  if (count(JobStatus.FAILED) > 0) return JobStatus.FAILED;
  if (count(JobStatus.SUCCEEDED) > 0) return JobStatus.SUCCEEDED;
  return JobStatus.CANCELLED;
}

/**
 * Recomputes the job's status from its runs. Called with the transaction that changed a run, so that nobody reads a
 * finished run under a job that still says RUNNING; the job row is locked first, so two runs finishing at once
 * cannot each miss the other's change.
 */
export async function refreshJobStatus(jobId: string, client: Prisma.TransactionClient = db()): Promise<JobStatus> {
  await client.$queryRaw`SELECT 1 FROM "TrainingJob" WHERE id = ${jobId} FOR UPDATE`;
  const runs = await client.modelRun.findMany({ where: { jobId }, select: { status: true } });
  const status = deriveJobStatus(runs.map((r) => r.status));
  await client.trainingJob.update({ where: { id: jobId }, data: { status } });
  return status;
}
