// End to end through pg-boss: a real worker loop trains tiny models (32 px, width 0.25) on a tiny synthetic
// set, renders heat-maps, honours cancellation and resumes a run interrupted by a shutdown.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { db, disconnectDb, type Dataset } from "@/lib/db/client";
import { getBytes, pathOfKey, storageRoot } from "@/lib/storage/content-store";
import sharp from "sharp";
import { createSyntheticDataset } from "@/lib/datasets/synthetic-dataset";
import { DomainError } from "@/lib/errors/domain-error";
import { enqueueHeatmaps, enqueueTraining } from "./enqueue";
import { parseHeatmapsRequest, parseTrainingRequest } from "./job-inputs";
import { heatmapJobsProgress } from "./progress";
import { CAM_PAYLOAD_BYTES, decodeCamPayload } from "@/lib/ml/render/cam-payload";
import { cancelRun, retryRun } from "./run-control";
import { startWorker, type RunningWorker } from "./worker";
import { testEvaluationColumn } from "@/lib/db/json-columns";
import { delongAuc } from "@/lib/stats/delong";
import { PREDICTION_COLUMNS, runPredictionsCsv } from "@/lib/export/run-predictions-csv";
import { parse } from "csv-parse/sync";
import { datasetLocalisation } from "./localisation-summary";
import { localisationText } from "@/scripts/cli/localisation";
import { cancelLeftoverRuns, uniqueName, waitFor, waitForRunStatus } from "./test-support";

const TINY = { inputSize: 32, width: 0.25, batchSize: 8, learningRate: 0.05 };
const quiet = () => undefined;

let dataset: Dataset;
let trainedRunId: string | undefined;
let worker: RunningWorker | undefined;
const jobIds: string[] = [];

before(async () => {
  // Stored at 40 px, trained at 32: training resizes on load, heat-maps are shown at the stored 40 px.
  dataset = await createSyntheticDataset({ name: uniqueName("pipeline"), count: 16, size: 40, seed: 11 });
  // A held-out test split, as split folders give one: two training images of each class.
  for (const label of [0, 1]) {
    const picked = await db().image.findMany({
      where: { datasetId: dataset.id, split: "TRAIN", label },
      orderBy: { contentHash: "asc" },
      take: 2,
      select: { id: true },
    });
    await db().image.updateMany({ where: { id: { in: picked.map((p) => p.id) } }, data: { split: "TEST" } });
  }
});

after(async () => {
  await cancelLeftoverRuns(jobIds);
  await worker?.shutdown();
  await disconnectDb();
});

async function ensureWorker(): Promise<RunningWorker> {
  worker ??= await startWorker({
    connectionString: process.env.DATABASE_URL!,
    pollingIntervalSeconds: 0.5,
    cancelPollMs: 100,
    log: quiet,
  });
  return worker;
}

describe("training through pg-boss", () => {
  test("a queued 1-epoch run is trained by the worker and its result recorded", async () => {
    const w = await ensureWorker();
    const job = await enqueueTraining(
      parseTrainingRequest({
        datasetId: dataset.id,
        variants: ["baseline"],
        seeds: [7],
        // The optional class-weighted loss, end to end (the other runs here train with the paper's plain loss).
        params: { ...TINY, epochs: 1, classWeighting: "balanced" },
      }),
      { boss: w.boss },
    );
    jobIds.push(job.id);
    assert.equal(job.runs.length, 1);
    assert.equal(job.runs[0].status, "QUEUED");
    const run = await waitForRunStatus(job.runs[0].id, ["SUCCEEDED", "FAILED", "CANCELLED"]);
    assert.equal(run.status, "SUCCEEDED", run.error ?? "");
    assert.equal(run.epoch, 1);
    assert.equal((run.params as { classWeighting?: string }).classWeighting, "balanced", "recorded on the run");
    // The backend, then how the batches ran (TINY's batch fits at once).
    assert.match(run.backend ?? "", /; batch \d+ (at once|as .*batch norm over \d+)$/);
    assert.ok(run.backend?.startsWith(`${w.backend}; `), run.backend ?? "");
    assert.equal(run.workerId, w.workerId);
    assert.ok(run.valAuc !== null && run.valAuc >= 0 && run.valAuc <= 1);
    assert.ok(Array.isArray(run.roc) && run.roc.length >= 2);
    assert.equal((run.history as unknown[]).length, 1);
    assert.ok(run.finishedAt && run.startedAt && run.finishedAt >= run.startedAt);
    assert.equal(run.weightsKey, `runs/${run.id}/model`);
    assert.ok(existsSync(join(storageRoot(), run.weightsKey, "model.json")));
    assert.equal((await db().trainingJob.findUnique({ where: { id: job.id } }))?.status, "SUCCEEDED");
    const beat = await db().workerHeartbeat.findUnique({ where: { id: w.workerId } });
    assert.ok(beat && beat.backend === w.backend && beat.pid === process.pid);
    trainedRunId = run.id;

    // The held-out test split: AUC with DeLong's interval, two operating points, and every image's prediction.
    const images = await db().image.findMany({ where: { datasetId: dataset.id } });
    const testImages = images.filter((im) => im.split === "TEST");
    const valImages = images.filter((im) => im.split === "VALIDATION");
    const evaluation = testEvaluationColumn.read.parse(run.testEvaluation);
    assert.ok(evaluation, "a test evaluation is stored");
    assert.equal(evaluation.images, 4);
    assert.equal(evaluation.positives, 2);
    assert.equal(run.testAuc, evaluation.auc?.auc);
    assert.ok(evaluation.auc && evaluation.auc.se !== null && evaluation.auc.ci);
    assert.ok(evaluation.auc.ci.low <= evaluation.auc.auc && evaluation.auc.auc <= evaluation.auc.ci.high);
    assert.equal(evaluation.atHalf.threshold, 0.5);
    const cells = (c: typeof evaluation.atHalf.confusion) =>
      c.truePositive + c.falseNegative + c.trueNegative + c.falsePositive;
    assert.equal(cells(evaluation.atHalf.confusion), 4);
    assert.ok(evaluation.atValidationYouden, "the validation split has both classes");
    assert.equal(cells(evaluation.atValidationYouden.confusion), 4);
    const predictions = await db().runPrediction.findMany({ where: { modelRunId: run.id } });
    assert.deepEqual(
      predictions.map((p) => p.imageId).sort(),
      [...testImages, ...valImages].map((im) => im.id).sort(),
      "one prediction per validation and test image, none for training images",
    );
    // The stored predictions reproduce the stored AUC.
    const byId = new Map(images.map((im) => [im.id, im]));
    const testPredictions = predictions.filter((p) => byId.get(p.imageId)!.split === "TEST");
    assert.equal(
      delongAuc(
        testPredictions.map((p) => p.probability),
        testPredictions.map((p) => byId.get(p.imageId)!.label),
      )?.auc,
      run.testAuc,
    );
    const csv = await runPredictionsCsv(run.id, null);
    const rows = parse<Record<string, string>>(csv.body, { columns: true });
    assert.equal(rows.length, predictions.length);
    assert.deepEqual(Object.keys(rows[0]), [...PREDICTION_COLUMNS]);
    const testRow = rows.find((r) => r.split === "test")!;
    const image = byId.get(testRow.image_id)!;
    assert.equal(testRow.original_name, image.originalName);
    assert.equal(Number(testRow.true_label), image.label);
    assert.equal(
      Number(testRow.probability_positive),
      testPredictions.find((p) => p.imageId === image.id)!.probability,
    );
  });

  test("heat-maps for the run's validation images: rows only for complete files, with P and localisation", async () => {
    assert.ok(trainedRunId, "needs the trained run of the previous test");
    const w = await ensureWorker();
    const queued = await enqueueHeatmaps(parseHeatmapsRequest({ runIds: [trainedRunId], split: "VALIDATION" }), {
      boss: w.boss,
    });
    const validation = await db().image.findMany({ where: { datasetId: dataset.id, split: "VALIDATION" } });
    assert.equal(queued.images, validation.length);
    await waitFor("heat-map jobs", async () => (await heatmapJobsProgress(w.boss, queued.jobIds)).pending === 0);
    assert.deepEqual(await heatmapJobsProgress(w.boss, queued.jobIds), {
      pending: 0,
      completed: queued.jobIds.length,
      failed: 0,
    });

    const maps = await db().heatmap.findMany({ where: { modelRunId: trainedRunId }, include: { image: true } });
    assert.equal(maps.length, validation.length);
    for (const h of maps) {
      assert.equal(h.targetClass, h.image.label, "target = ground truth");
      assert.ok(h.probability >= 0 && h.probability <= 1, `P = ${h.probability}`);
      assert.ok(h.predictedClass === 0 || h.predictedClass === 1);
      for (const key of [h.overlayKey, h.mapKey]) {
        assert.ok(key.startsWith("hm/"));
        const meta = await sharp(await getBytes(key)).metadata();
        assert.deepEqual([meta.format, meta.width, meta.height], ["png", 40, 40]);
        assert.ok(existsSync(pathOfKey(key)));
      }
      // The raw class-activation map, a fixed-size payload: layer4's grid of the 32 px model (32 / 32 = 1 cell).
      assert.ok(h.camKey?.startsWith("cam/"), String(h.camKey));
      const cam = await getBytes(h.camKey!);
      assert.equal(cam.length, CAM_PAYLOAD_BYTES);
      const grid = decodeCamPayload(cam);
      assert.deepEqual([grid.width, grid.height], [1, 1]);
      assert.ok(
        grid.values.every((v) => v >= 0 && v <= 1),
        "min-max normalised",
      );
      // Synthetic images always have lesion masks, so every map has localisation metrics.
      assert.equal(typeof h.pointingHit, "boolean");
      assert.ok(h.energyInMask !== null && h.energyInMask >= 0 && h.energyInMask <= 1);
      assert.ok(h.topIou !== null && h.topIou >= 0 && h.topIou <= 1);
    }
    // Asking again skips the finished maps instead of redoing them.
    const before = maps.map((m) => `${m.id}:${m.createdAt.toISOString()}`).sort();
    const again = await enqueueHeatmaps(parseHeatmapsRequest({ runIds: [trainedRunId], split: "VALIDATION" }), {
      boss: w.boss,
    });
    await waitFor("repeat heat-map jobs", async () => (await heatmapJobsProgress(w.boss, again.jobIds)).pending === 0);
    const after = (await db().heatmap.findMany({ where: { modelRunId: trainedRunId } }))
      .map((m) => `${m.id}:${m.createdAt.toISOString()}`)
      .sort();
    assert.deepEqual(after, before);
    await assert.rejects(
      enqueueHeatmaps(parseHeatmapsRequest({ runIds: ["no-such-run"], split: "VALIDATION" }), { boss: w.boss }),
      /not found/,
    );
    // `heatmaps --images test`: the held-out split's maps, with their chance levels recorded.
    const test = await enqueueHeatmaps(parseHeatmapsRequest({ runIds: [trainedRunId], split: "TEST" }), {
      boss: w.boss,
    });
    assert.equal(test.images, 4);
    await waitFor("test heat-map jobs", async () => (await heatmapJobsProgress(w.boss, test.jobIds)).pending === 0);
    const all = await db().heatmap.findMany({ where: { modelRunId: trainedRunId }, include: { image: true } });
    assert.equal(all.filter((h) => h.image.split === "TEST").length, 4);
    for (const h of all) {
      assert.ok(h.maskShare !== null && h.maskShare > 0 && h.maskShare < 1, `mask share ${h.maskShare}`);
      assert.ok(h.chanceIou !== null && h.chanceIou >= 0 && h.chanceIou < 1, `chance IoU ${h.chanceIou}`);
      assert.equal(typeof h.blankMap, "boolean");
    }
    const summary = await datasetLocalisation(dataset.id);
    const row = summary.rows.find((r) => r.variant === "BASELINE" && r.split === "TEST");
    assert.ok(row, JSON.stringify(summary));
    assert.equal(row.summary.maps, 4);
    // At 32 px layer4 is 1x1, so every map is constant: blank maps are counted and shown, never scored as misses.
    assert.ok(all.every((h) => h.blankMap === true));
    assert.equal(row.summary.blank, 4);
    assert.equal(row.summary.scored, 0);
    assert.equal(row.summary.pointingGame.value, null);
    const text = localisationText(dataset.name, summary);
    assert.match(text, /baseline · test · 1 run\(s\), 4 map\(s\) of 4 image\(s\), 4 blank \(not scored\)/);

    // Without a test split, an empty selection is the caller's mistake, not "0 jobs queued".
    await db().image.updateMany({ where: { datasetId: dataset.id, split: "TEST" }, data: { split: "TRAIN" } });
    await assert.rejects(
      enqueueHeatmaps(parseHeatmapsRequest({ runIds: [trainedRunId], split: "TEST" }), { boss: w.boss }),
      (e: unknown) => e instanceof DomainError && e.kind === "invalid" && /no test images/.test(e.message),
    );
  });

  test("cancelling: a queued run at once, a running run at its next batch; retry resumes from the checkpoint", async () => {
    const w = await ensureWorker();
    // Two seeds, one worker slot: while the first trains the second waits in the queue.
    const job = await enqueueTraining(
      parseTrainingRequest({
        datasetId: dataset.id,
        variants: ["se"],
        seeds: [1, 2],
        params: { ...TINY, epochs: 200 },
      }),
      { boss: w.boss },
    );
    jobIds.push(job.id);
    const running = await waitFor("a run to finish an epoch", async () =>
      db().modelRun.findFirst({ where: { jobId: job.id, status: "RUNNING", epoch: { gte: 1 } } }),
    );
    const queued = job.runs.find((r) => r.id !== running.id)!;
    assert.equal((await db().modelRun.findUnique({ where: { id: queued.id } }))?.status, "QUEUED");

    assert.equal(await cancelRun(queued.id), "cancelled");
    assert.equal((await db().modelRun.findUnique({ where: { id: queued.id } }))?.status, "CANCELLED");

    assert.equal(await cancelRun(running.id), "requested");
    const cancelled = await waitForRunStatus(running.id, ["CANCELLED", "SUCCEEDED", "FAILED"], 30_000);
    assert.equal(cancelled.status, "CANCELLED");
    assert.ok(cancelled.epoch >= 1 && cancelled.epoch < 200, `stopped early (epoch ${cancelled.epoch})`);
    assert.equal((await db().trainingJob.findUnique({ where: { id: job.id } }))?.status, "CANCELLED");
    assert.equal(await cancelRun(running.id), "already-finished");
    // The cancelled queued run was never started.
    const never = await db().modelRun.findUnique({ where: { id: queued.id } });
    assert.equal(never?.startedAt, null);

    // Retry: back to QUEUED, and the worker resumes after the checkpointed epochs (then we cancel again).
    const stoppedAt = cancelled.epoch;
    await retryRun(running.id, { boss: w.boss });
    const resumed = await waitFor("the retried run to pass its checkpoint", async () =>
      db().modelRun.findFirst({ where: { id: running.id, status: "RUNNING", epoch: { gt: stoppedAt } } }),
    );
    const epochs = (resumed.history as { epoch: number }[]).map((h) => h.epoch);
    assert.deepEqual(
      epochs,
      Array.from({ length: epochs.length }, (_, i) => i + 1),
      "history continues without gaps",
    );
    await cancelRun(running.id);
    await waitForRunStatus(running.id, ["CANCELLED"], 30_000);
  });

  test("a worker shutdown requeues the run after finishing its epoch; the next worker completes it", async () => {
    const w = await ensureWorker();
    const job = await enqueueTraining(
      parseTrainingRequest({
        datasetId: dataset.id,
        variants: ["baseline"],
        seeds: [3],
        params: { ...TINY, epochs: 8 },
      }),
      { boss: w.boss },
    );
    jobIds.push(job.id);
    const runId = job.runs[0].id;
    await waitFor("epoch 1", async () => db().modelRun.findFirst({ where: { id: runId, epoch: { gte: 1 } } }));
    await w.shutdown();
    worker = undefined;
    const stopped = await db().modelRun.findUniqueOrThrow({ where: { id: runId } });
    assert.equal(stopped.status, "QUEUED", "interrupted, not failed or cancelled");
    assert.ok(
      stopped.epoch >= 1 && stopped.epoch < 8,
      `stopped at an epoch boundary before the end (epoch ${stopped.epoch})`,
    );
    assert.equal(await db().workerHeartbeat.findUnique({ where: { id: w.workerId } }), null, "heartbeat row removed");

    await ensureWorker();
    const done = await waitForRunStatus(runId, ["SUCCEEDED", "FAILED", "CANCELLED"]);
    assert.equal(done.status, "SUCCEEDED", done.error ?? "");
    assert.deepEqual(
      (done.history as { epoch: number }[]).map((h) => h.epoch),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
  });
});
