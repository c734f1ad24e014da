// pg-boss queues of the model lab: `train` runs one ModelRun, `heatmaps` renders Grad-CAM maps
// for one run and a list of images. Any number of workers on any machines share them through Postgres.
import { PgBoss, type Queue } from "pg-boss";
import { logger } from "../logging/logger";
import { readEnv } from "../config/env";

export const TRAIN_QUEUE = "train";
export const HEATMAPS_QUEUE = "heatmaps";
/** Scheduled reminder emails of one study (lib/studies/reminders.ts); a duplicate job sends nothing. */
export const REMINDERS_QUEUE = "study-reminders";

export interface RemindersJobData {
  studyId: string;
}

export const REMINDERS_QUEUE_OPTIONS: Omit<Queue, "name"> = {
  policy: "standard",
  retryLimit: 3,
  retryDelay: 60,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
  deleteAfterSeconds: 7 * 24 * 60 * 60,
};

export interface TrainJobData {
  runId: string;
}

export interface HeatmapsJobData {
  runId: string;
  imageIds: string[];
  /** Recompute maps that already exist (default: skip them, which makes a retried job resume). */
  force?: boolean;
}

/**
 * `exclusive` lets at most one job per singleton key be queued, retrying or active, and the train queue
 * keys jobs by run id: a run can never be trained by two workers at once, and enqueuing it again while it
 * is pending is a no-op.
 *
 * Liveness: a worker refreshes each job's heartbeat while the handler runs (every heartbeatSeconds / 2);
 * a job whose worker died is retried after heartbeatSeconds, and the retry resumes from the run's
 * checkpoint. The heartbeat is generous because a WASM batch at 224 px blocks the event loop for seconds.
 * expireInSeconds is pg-boss' maximum (24 h): a longer run is stopped at the expiry, keeps its checkpoint
 * and continues in the retry.
 */
export const TRAIN_QUEUE_OPTIONS: Omit<Queue, "name"> = {
  policy: "exclusive",
  retryLimit: 3,
  retryDelay: 30,
  retryBackoff: true,
  retryDelayMax: 600,
  expireInSeconds: 24 * 60 * 60,
  heartbeatSeconds: 300,
  deleteAfterSeconds: 7 * 24 * 60 * 60,
};

export const HEATMAPS_QUEUE_OPTIONS: Omit<Queue, "name"> = {
  policy: "standard",
  retryLimit: 3,
  retryDelay: 10,
  retryBackoff: true,
  retryDelayMax: 300,
  expireInSeconds: 6 * 60 * 60,
  heartbeatSeconds: 120,
  deleteAfterSeconds: 7 * 24 * 60 * 60,
};

export async function createQueues(boss: PgBoss): Promise<void> {
  const existing = new Set((await boss.getQueues([TRAIN_QUEUE, HEATMAPS_QUEUE, REMINDERS_QUEUE])).map((q) => q.name));
  if (!existing.has(TRAIN_QUEUE)) await boss.createQueue(TRAIN_QUEUE, TRAIN_QUEUE_OPTIONS);
  if (!existing.has(HEATMAPS_QUEUE)) await boss.createQueue(HEATMAPS_QUEUE, HEATMAPS_QUEUE_OPTIONS);
  if (!existing.has(REMINDERS_QUEUE)) await boss.createQueue(REMINDERS_QUEUE, REMINDERS_QUEUE_OPTIONS);
}

/** A started pg-boss instance with both queues; the caller owns it and must `stop()` it. */
export async function startBoss(
  connectionString: string,
  opts: { log?: (m: string) => void; supervise?: boolean } = {},
): Promise<PgBoss> {
  // Workers supervise (expire dead jobs, retry, clean up); a sender such as the web app or the CLI does not
  // need its own maintenance loop.
  const supervise = opts.supervise ?? true;
  const boss = new PgBoss({
    connectionString,
    max: supervise ? 4 : 2,
    application_name: "focus-jobs",
    supervise,
    schedule: false,
  });
  const log = opts.log ?? ((m: string) => logger.error(m));
  // Without a listener an 'error' event would crash the process; pg-boss recovers from most of them.
  boss.on("error", (e: Error) => log(`[pg-boss] ${e.message}`));
  await boss.start();
  await createQueues(boss);
  return boss;
}

const globalForBoss = globalThis as unknown as { focusBoss?: Promise<PgBoss> };

/** One shared sender per process (web app, CLI), started on first use against DATABASE_URL. */
export function getBoss(): Promise<PgBoss> {
  if (!globalForBoss.focusBoss) {
    const url = readEnv(["DATABASE_URL"]).DATABASE_URL;
    const started = startBoss(url, { supervise: false });
    started.catch(() => {
      if (globalForBoss.focusBoss === started) globalForBoss.focusBoss = undefined;
    });
    globalForBoss.focusBoss = started;
  }
  return globalForBoss.focusBoss;
}

export async function stopSharedBoss(): Promise<void> {
  const pending = globalForBoss.focusBoss;
  globalForBoss.focusBoss = undefined;
  if (pending) await (await pending).stop({ graceful: false, timeout: 1000 }).catch(() => undefined);
}
