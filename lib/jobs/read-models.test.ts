// The researcher console's read models (dataset queries, job queries and results) against the real test database: counts per class/split/mask, the queue order,
// workers online within 30 s, the per-variant AUC table (mean ± sd over succeeded runs) and the heat-map grid.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { db, disconnectDb, type Dataset, type ImageSplit } from "@/lib/db/client";
import { classGallery, datasetOverview, listDatasets } from "@/lib/datasets/dataset-queries";
import { queueRuns, workersPanel } from "./job-queries";
import { datasetResults, heatmapComparison, runDetail } from "./run-results";

const tag = randomBytes(4).toString("hex");
const fakeKey = (i: number, ns = "img") =>
  `${ns}/${(i % 256).toString(16).padStart(2, "0")}/${randomBytes(31).toString("hex")}.png`;
let dataset: Dataset;
const runIds: Record<string, string> = {};
const imageIds: string[] = [];

before(async () => {
  dataset = await db().dataset.create({
    data: {
      name: `console-${tag}`,
      modality: "SKIN",
      classNames: ["benign", "malignant"],
      imageSize: 32,
      splitSeed: 1,
      hasMasks: true,
      importReport: [{ path: "benign/x.txt", reason: "not-an-image: unsupported format" }],
    },
  });
  // 6 benign (2 validation, 1 masked), 4 malignant (1 validation, 3 masked).
  type Spec = { label: number; split: ImageSplit; mask: boolean };
  const specs = [
    ...Array.from({ length: 6 }, (_, i): Spec => ({ label: 0, split: i < 2 ? "VALIDATION" : "TRAIN", mask: i === 0 })),
    ...Array.from({ length: 4 }, (_, i): Spec => ({ label: 1, split: i < 1 ? "VALIDATION" : "TRAIN", mask: i < 3 })),
  ];
  for (const [i, s] of specs.entries()) {
    const im = await db().image.create({
      data: {
        datasetId: dataset.id,
        originalName: `${s.label ? "malignant" : "benign"}/${i}.png`,
        label: s.label,
        split: s.split,
        contentHash: `${tag}-${i}`,
        width: 32,
        height: 32,
        fileKey: fakeKey(i),
        maskKey: s.mask ? fakeKey(i, "mask") : null,
      },
    });
    imageIds.push(im.id);
  }
  const aucs: Record<string, { status: "SUCCEEDED" | "CANCELLED" | "RUNNING" | "QUEUED"; valAuc: number | null }[]> = {
    BASELINE: [
      { status: "SUCCEEDED", valAuc: 0.8 },
      { status: "SUCCEEDED", valAuc: 0.85 },
      { status: "SUCCEEDED", valAuc: 0.9 },
    ],
    CBAM: [
      { status: "SUCCEEDED", valAuc: 0.7 },
      { status: "SUCCEEDED", valAuc: 0.9 },
      { status: "CANCELLED", valAuc: 0.2 },
    ],
    GC: [
      { status: "RUNNING", valAuc: 0.6 },
      { status: "QUEUED", valAuc: null },
    ],
  };
  const job = await db().trainingJob.create({
    data: {
      datasetId: dataset.id,
      variants: ["BASELINE", "CBAM", "GC"],
      seeds: [1, 2, 3],
      params: { epochs: 4, inputSize: 32, width: 0.25 },
    },
  });
  for (const [variant, list] of Object.entries(aucs)) {
    for (const [i, r] of list.entries()) {
      const run = await db().modelRun.create({
        data: {
          jobId: job.id,
          variant: variant as "BASELINE",
          seed: i + 1,
          params: { epochs: 4, inputSize: 32, width: 0.25 },
          epochs: 4,
          status: r.status,
          valAuc: r.valAuc,
          epoch: r.status === "QUEUED" ? 0 : 2,
          history: [
            { epoch: 1, loss: 0.7, trainAuc: 0.5, valAuc: 0.55, imagesPerSecond: 100 },
            { epoch: 2, loss: 0.6, trainAuc: 0.6, valAuc: r.valAuc, imagesPerSecond: 120 },
          ],
          roc:
            r.status === "SUCCEEDED"
              ? [
                  { fpr: 0, tpr: 0, threshold: 1 },
                  { fpr: 0.5, tpr: 0.9, threshold: 0.5 },
                  { fpr: 1, tpr: 1, threshold: 0 },
                ]
              : undefined,
          workerId: r.status === "RUNNING" ? `host-${tag}:1` : null,
          backend: r.status === "QUEUED" ? null : "wasm",
          finishedAt:
            r.status === "SUCCEEDED" || r.status === "CANCELLED" ? new Date(Date.now() - (10 - i) * 1000) : null,
        },
      });
      runIds[`${variant}${i + 1}`] = run.id;
    }
  }
  // Heat-maps: baseline seed 1 on images 0-2, CBAM seed 1 on images 1-3: image 1 and 2 are in both.
  for (const [run, imgs] of [
    ["BASELINE1", [0, 1, 2]],
    ["CBAM1", [1, 2, 3]],
  ] as const) {
    for (const i of imgs) {
      await db().heatmap.create({
        data: {
          modelRunId: runIds[run],
          imageId: imageIds[i],
          targetClass: 0,
          probability: 0.5 + i / 100,
          predictedClass: 0,
          overlayKey: fakeKey(i, "heat"),
          mapKey: fakeKey(i, "heat"),
        },
      });
    }
  }
});

after(async () => {
  await db().workerHeartbeat.deleteMany({ where: { id: { startsWith: `host-${tag}` } } });
  await disconnectDb();
});

describe("datasets", () => {
  test("list: class, split and mask counts, runs", async () => {
    const row = (await listDatasets()).find((d) => d.id === dataset.id);
    assert.ok(row);
    assert.deepEqual(row.classCounts, [6, 4]);
    assert.deepEqual(row.splitCounts, { TRAIN: 7, VALIDATION: 3, TEST: 0 });
    assert.equal(row.images, 10);
    assert.equal(row.masks, 4);
    assert.equal(row.runs, 8);
  });
  test("overview carries the import report; gallery per class in a stable order", async () => {
    const o = await datasetOverview(dataset.id);
    assert.deepEqual(o?.importReport, [{ path: "benign/x.txt", reason: "not-an-image: unsupported format" }]);
    assert.equal(await datasetOverview("nope"), null);
    const g = await classGallery(dataset.id, dataset.classNames, 3);
    assert.deepEqual(
      g.map((c) => [c.className, c.total, c.images.length]),
      [
        ["benign", 6, 3],
        ["malignant", 4, 3],
      ],
    );
    assert.deepEqual(
      g[0].images.map((im) => im.originalName),
      ["benign/0.png", "benign/1.png", "benign/2.png"],
    );
    assert.equal(g[0].images[0].hasMask, true);
  });
});

describe("results", () => {
  test("per-variant validation AUC: mean ± sample sd over succeeded runs only", async () => {
    const { table, runs } = await datasetResults(dataset.id);
    // Active runs (GC) are not results yet; the cancelled CBAM run is listed but not averaged.
    assert.deepEqual(
      runs.map((r) => `${r.variant}${r.seed}`),
      ["BASELINE1", "BASELINE2", "BASELINE3", "CBAM1", "CBAM2", "CBAM3"],
    );
    assert.deepEqual(
      table.map((t) => t.variant),
      ["BASELINE", "CBAM"],
    );
    const [base, cbam] = table;
    assert.equal(base.n, 3);
    assert.ok(Math.abs(base.mean! - 0.85) < 1e-12 && Math.abs(base.sd! - 0.05) < 1e-12, `${base.mean} ± ${base.sd}`);
    assert.equal(cbam.n, 2);
    assert.ok(Math.abs(cbam.mean! - 0.8) < 1e-12 && Math.abs(cbam.sd! - Math.SQRT2 / 10) < 1e-12);
    assert.equal(cbam.runs.length, 3);
    const b1 = runs.find((r) => r.id === runIds.BASELINE1)!;
    assert.deepEqual(b1.roc, [
      { fpr: 0, tpr: 0 },
      { fpr: 0.5, tpr: 0.9 },
      { fpr: 1, tpr: 1 },
    ]);
    assert.deepEqual(
      b1.history.map((h) => h.loss),
      [0.7, 0.6],
    );
    assert.equal(b1.heatmaps, 3);
    assert.deepEqual(b1.params, {
      epochs: 4,
      inputSize: 32,
      width: 0.25,
      batchSize: null,
      learningRate: null,
      classWeighting: "none",
    });
  });

  test("heat-map grid: images with maps from most runs first, holes as null", async () => {
    const cmp = await heatmapComparison(dataset.id, { maxImages: 3 });
    assert.deepEqual(
      cmp.runs.map((r) => r.id),
      [runIds.BASELINE1, runIds.CBAM1],
    );
    assert.equal(cmp.images.length, 3);
    const both = new Set([imageIds[1], imageIds[2]]);
    assert.ok(both.has(cmp.images[0].id) && both.has(cmp.images[1].id), "shared images first");
    for (const im of cmp.images.slice(0, 2)) assert.ok(cmp.runs.every((r) => im.cells[r.id] !== null));
    const third = cmp.images[2];
    assert.equal(Object.values(third.cells).filter((c) => c === null).length, 1);
    assert.equal(cmp.images[0].className, "benign");
  });

  test("run detail", async () => {
    const d = await runDetail(runIds.GC1);
    assert.equal(d?.status, "RUNNING");
    assert.equal(d?.datasetName, dataset.name);
    assert.equal(await runDetail("missing"), null);
  });
});

describe("queue and workers", () => {
  test("running first, then queued, then finished (latest first); progress from the last epoch", async () => {
    const q = await queueRuns({ datasetId: dataset.id });
    assert.deepEqual(
      q.slice(0, 2).map((r) => r.id),
      [runIds.GC1, runIds.GC2],
    );
    const finished = q.slice(2);
    const times = finished.map((r) => Date.parse(r.finishedAt!));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    assert.equal(q[0].loss, 0.6);
    assert.equal(q[0].imagesPerSecond, 120);
    assert.equal(q[0].workerId, `host-${tag}:1`);
    assert.equal(q[0].datasetName, dataset.name);
  });

  test("a worker seen within FOCUS_WORKER_STALE_MS (60 s) is online, an older one offline", async () => {
    const now = new Date();
    for (const [id, age] of [
      [`host-${tag}:1`, 5_000],
      [`host-${tag}:2`, 75_000],
    ] as const) {
      await db().workerHeartbeat.create({
        data: {
          id,
          hostname: `host-${tag}`,
          backend: "wasm",
          pid: 1,
          startedAt: new Date(now.getTime() - 600_000),
          seenAt: new Date(now.getTime() - age),
        },
      });
    }
    const mine = (await workersPanel(now)).filter((w) => w.hostname === `host-${tag}`);
    assert.deepEqual(
      mine.map((w) => [w.id, w.online, w.secondsSinceSeen]),
      [
        [`host-${tag}:1`, true, 5],
        [`host-${tag}:2`, false, 75],
      ],
    );
  });
});
