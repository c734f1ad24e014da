// A TrainingJob has no life of its own: its status is a summary of its runs, recomputed whenever one changes.
import { db, JobStatus } from "@/lib/db/client";

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

export async function refreshJobStatus(jobId: string): Promise<JobStatus> {
  const runs = await db().modelRun.findMany({ where: { jobId }, select: { status: true } });
  const status = deriveJobStatus(runs.map((r) => r.status));
  await db().trainingJob.update({ where: { id: jobId }, data: { status } });
  return status;
}
