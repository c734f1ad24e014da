// The real entry point (`npm run worker` = workers/main.ts) as a child process: SIGTERM while training must
// let the epoch finish, requeue the run and exit 0.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { db, disconnectDb } from "@/lib/db/client";
import { createSyntheticDataset } from "@/lib/datasets/synthetic-dataset";
import { enqueueTraining } from "./enqueue";
import { parseTrainingRequest } from "./job-inputs";
import { startBoss } from "./queues";
import { cancelLeftoverRuns, uniqueName, waitFor } from "./test-support";

const jobIds: string[] = [];
after(async () => {
  await cancelLeftoverRuns(jobIds);
  await disconnectDb();
});

test("SIGTERM: the worker process finishes its epoch, requeues the run and exits 0", { timeout: 120_000 }, async () => {
  const dataset = await createSyntheticDataset({ name: uniqueName("sigterm"), count: 12, size: 32, seed: 4 });
  const boss = await startBoss(process.env.DATABASE_URL!, { log: () => undefined });
  try {
    const job = await enqueueTraining(
      parseTrainingRequest({
        datasetId: dataset.id,
        variants: ["baseline"],
        seeds: [1],
        params: { epochs: 500, inputSize: 32, width: 0.25, batchSize: 4 },
      }),
      { boss },
    );
    jobIds.push(job.id);
    const runId = job.runs[0].id;

    const child = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
      env: { ...process.env, FOCUS_WORKER_CONCURRENCY: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    await waitFor(
      "the child to train an epoch",
      async () => db().modelRun.findFirst({ where: { id: runId, status: "RUNNING", epoch: { gte: 1 } } }),
      90_000,
    );
    child.kill("SIGTERM");
    const code = await exited;
    assert.equal(code, 0, output);
    assert.match(output, /SIGTERM: finishing the current epoch/);
    assert.match(output, /stopped after \d+ epochs \(checkpointed\); queued again/);
    assert.match(output, /\] stopped\n/);
    const run = await db().modelRun.findUniqueOrThrow({ where: { id: runId } });
    assert.equal(run.status, "QUEUED");
    assert.ok(run.epoch >= 1 && run.epoch < 500);
    assert.equal(run.workerId, null);
    assert.equal(await db().workerHeartbeat.count({ where: { pid: child.pid } }), 0);
    // Its job was completed and a fresh one sent, so any worker can resume the run.
    const pending = await boss.findJobs("train", { key: runId, queued: true });
    assert.equal(pending.length, 1);
  } finally {
    await boss.stop({ graceful: false, timeout: 1000 });
  }
});
