// The estimate from recorded runs against the real test database, and the server's refusal to queue the
// paper's protocol on CPU workers without an explicit confirmation.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { PgBoss } from "pg-boss";
import { db, disconnectDb, type Dataset } from "@/lib/db/client";
import { isDomainError } from "@/lib/errors/domain-error";
import { CPU_CONFIRMATION_CODE, enqueueTraining } from "./enqueue";
import { estimateTrainingRequest, onlineWorkerGroups, throughputSamples } from "./estimate-queries";
import { parseTrainingRequest } from "./job-inputs";
import { cancelLeftoverRuns } from "./test-support";

const tag = randomBytes(4).toString("hex");
// A backend no other test reports, so the samples and the worker group are this file's own.
const BACKEND = `wasm+native, ${tag} threads`;
let dataset: Dataset;
const jobIds: string[] = [];
const workerId = `estimate-test-${tag}`;

before(async () => {
  dataset = await db().dataset.create({
    data: { name: `estimate-${tag}`, modality: "SKIN", classNames: ["b", "m"], imageSize: 32, splitSeed: 1 },
  });
  // 8 training and 2 validation images.
  for (let i = 0; i < 10; i++) {
    await db().image.create({
      data: {
        datasetId: dataset.id,
        originalName: `${i}.png`,
        label: i % 2,
        split: i < 8 ? "TRAIN" : "VALIDATION",
        contentHash: `${tag}-${i}`,
        width: 32,
        height: 32,
        fileKey: `img/00/${randomBytes(31).toString("hex")}.png`,
      },
    });
  }
  const job = await db().trainingJob.create({
    data: { datasetId: dataset.id, variants: ["BASELINE"], seeds: [1, 2], params: { inputSize: 224, width: 1 } },
  });
  jobIds.push(job.id);
  // Two recorded runs of the paper step: 4 and 6 img/s on average over their epochs (validation 12 and 18).
  for (const [seed, speeds] of [
    [1, [3, 5]],
    [2, [6, 6]],
  ] as const) {
    await db().modelRun.create({
      data: {
        jobId: job.id,
        variant: "BASELINE",
        seed,
        epochs: 100,
        epoch: speeds.length,
        status: "CANCELLED",
        params: { epochs: 100, inputSize: 224, width: 1, batchSize: 64 },
        backend: `${BACKEND}; batch 64 as 2 × 32, batch norm over 32`,
        history: speeds.map((s, i) => ({
          epoch: i + 1,
          loss: 0.6,
          trainAuc: 0.5,
          valAuc: 0.5,
          imagesPerSecond: s,
          valImagesPerSecond: 3 * s,
        })),
      },
    });
  }
  const now = new Date();
  await db().workerHeartbeat.create({
    data: { id: workerId, hostname: "estimate-test", backend: BACKEND, pid: 1, startedAt: now, seenAt: now },
  });
});

after(async () => {
  await cancelLeftoverRuns(jobIds);
  await db().workerHeartbeat.deleteMany({ where: { id: workerId } });
  await disconnectDb();
});

const paperRequest = (confirmCpu = false) =>
  parseTrainingRequest({ datasetId: dataset.id, variants: ["baseline"], seeds: 3, params: {}, confirmCpu });

describe("estimate from recorded runs", () => {
  test("each run is one sample: its mean throughput over its epochs, on its worker's backend", async () => {
    const mine = (await throughputSamples()).filter((s) => s.backend === BACKEND);
    assert.deepEqual(mine.map((s) => s.trainImagesPerSecond).sort(), [4, 6]);
    assert.deepEqual(mine.map((s) => s.valImagesPerSecond).sort(), [12, 18]);
    assert.ok((await onlineWorkerGroups()).some((g) => g.backend === BACKEND && g.count === 1));
  });

  test("time per run and in total for the online worker: 100 epochs × (8 / 5 + 2 / 15) s, three runs in a row", async () => {
    const e = await estimateTrainingRequest(paperRequest());
    const run = e.perRun.find((r) => r.backend === BACKEND);
    const perRun = 100 * (8 / 5 + 2 / 15);
    assert.ok(run?.seconds !== undefined && run.seconds !== null && Math.abs(run.seconds - perRun) < 1e-9);
    assert.match(run.basis, /median of 2 recent runs/);
    assert.equal(e.runs, 3);
    assert.equal(e.needsCpuConfirmation, true);
  });
});

describe("the paper's protocol on CPU", () => {
  const sent: string[] = [];
  const boss = {
    send: (_queue: string, data: { runId: string }) => {
      sent.push(data.runId);
      return Promise.resolve(data.runId);
    },
  } as unknown as PgBoss;

  test("is refused without confirmation, with a message that names the alternatives; nothing is queued", async () => {
    const before = await db().trainingJob.count({ where: { datasetId: dataset.id } });
    await assert.rejects(
      () => enqueueTraining(paperRequest(), { boss }),
      (e: unknown) => {
        assert.ok(isDomainError(e, "invalid"));
        assert.equal(e.code, CPU_CONFIRMATION_CODE);
        assert.match(e.message, /no GPU worker is online/);
        assert.match(e.message, /GPU worker \(same DATABASE_URL and storage, then npm run worker\)/);
        assert.match(e.message, /CPU quick preset/);
        assert.equal(e.fields[0]?.field, "confirmCpu");
        return true;
      },
    );
    assert.equal(await db().trainingJob.count({ where: { datasetId: dataset.id } }), before);
    assert.deepEqual(sent, []);
  });

  test("is queued once confirmed; a CPU-sized request needs no confirmation", async () => {
    const job = await enqueueTraining(paperRequest(true), { boss });
    jobIds.push(job.id);
    assert.equal(job.runs.length, 3);
    const quick = await enqueueTraining(
      parseTrainingRequest({
        datasetId: dataset.id,
        variants: ["se"],
        seeds: 1,
        params: { inputSize: 96, width: 0.25 },
      }),
      { boss },
    );
    jobIds.push(quick.id);
    assert.equal(sent.length, 4);
  });
});
