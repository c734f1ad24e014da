// Helpers for the job tests (not used by production code).
import { randomBytes } from "node:crypto";
import { db, JobStatus } from "@/lib/db/client";

export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 150,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function waitForRunStatus(runId: string, statuses: JobStatus[], timeoutMs = 60_000) {
  return waitFor(
    `run ${runId} to be ${statuses.join("/")}`,
    async () => {
      const run = await db().modelRun.findUnique({ where: { id: runId } });
      return run && statuses.includes(run.status) ? run : null;
    },
    timeoutMs,
  );
}

/** Leaves no runnable work behind for later test files that start a worker on the same database. */
export async function cancelLeftoverRuns(jobIds: string[]): Promise<void> {
  await db().modelRun.updateMany({
    where: { jobId: { in: jobIds }, status: { in: [JobStatus.QUEUED, JobStatus.RUNNING] } },
    data: { status: JobStatus.CANCELLED, cancelRequested: true },
  });
}
