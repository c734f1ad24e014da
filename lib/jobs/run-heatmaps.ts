// The `heatmaps` handler: Grad-CAM maps of one run's model for a list of images. Target class =
// ground truth; each map stores the softmax probability of that class, and localisation metrics where the
// image has a mask. The raw class-activation map is stored beside the rendered PNGs, for the reader's view. Files
// are written first (content-addressed), the Heatmap row last, so a row never points at a missing or half-written
// file.
import { join } from "node:path";
import type { PgBoss } from "pg-boss";
import type * as tf from "@tensorflow/tfjs";
import { db, JobStatus } from "@/lib/db/client";
import { getBytes, putBytes, storageRoot } from "@/lib/storage/content-store";
import { decodeMask, decodeRgb } from "@/lib/image-codec/decode";
import { loadModel } from "@/lib/ml/models/save-load";
import { disposeModel } from "@/lib/ml/models/dispose-model";
import { isBlankMap, localisationMetrics, randomRegionIou, topRegionSize } from "@/lib/ml/metrics/localisation";
import { renderHeatmapOverlayPng, renderHeatmapPng } from "@/lib/ml/render/heatmap-png";
import { encodeCamPayload } from "@/lib/ml/render/cam-payload";
import { gradCamOfImages, modelInputSize } from "./heatmap-maps";
import { HEATMAPS_QUEUE, type HeatmapsJobData } from "./queues";
import type { WorkerContext } from "./worker-context";

/** Images per Grad-CAM pass: 130 ms per image at 224 px on WASM, so a batch stays well under a minute. */
export const HEATMAP_BATCH = 16;

// Jobs for one run come in chunks; keeping its model loaded saves a reload per chunk.
const modelCache = new Map<string, tf.LayersModel>();

async function modelOfRun(runId: string, weightsKey: string): Promise<tf.LayersModel> {
  const cached = modelCache.get(runId);
  if (cached) return cached;
  for (const [id, m] of modelCache) {
    disposeModel(m);
    modelCache.delete(id);
  }
  const model = await loadModel(join(storageRoot(), weightsKey));
  modelCache.set(runId, model);
  return model;
}

export interface HeatmapsOutcome {
  written: number;
  skipped: number;
  /** Images left for a follow-up job because the worker is shutting down. */
  deferred: number;
}

export async function runHeatmaps(
  data: HeatmapsJobData,
  ctx: WorkerContext,
  opts: { signal?: AbortSignal; boss?: PgBoss } = {},
): Promise<HeatmapsOutcome> {
  const run = await db().modelRun.findUnique({
    where: { id: data.runId },
    include: { job: { include: { dataset: true } } },
  });
  if (!run) {
    ctx.log(`heat-maps: run ${data.runId} no longer exists, job dropped`);
    return { written: 0, skipped: data.imageIds.length, deferred: 0 };
  }
  if (run.status !== JobStatus.SUCCEEDED || !run.weightsKey)
    throw new Error(`run ${run.id} is ${run.status} without weights; no heat-maps`);

  const existing = data.force
    ? new Set<string>()
    : new Set(
        (
          await db().heatmap.findMany({
            where: { modelRunId: run.id, imageId: { in: data.imageIds } },
            select: { imageId: true },
          })
        ).map((h) => h.imageId),
      );
  const todo = data.imageIds.filter((id) => !existing.has(id));
  const images = await db().image.findMany({ where: { id: { in: todo }, datasetId: run.job.datasetId } });
  const byId = new Map(images.map((im) => [im.id, im]));
  const ordered = todo.map((id) => byId.get(id)).filter((im) => im !== undefined);

  const model = await modelOfRun(run.id, run.weightsKey);
  const inputSize = modelInputSize(model);
  // Maps are shown at the stored image size when it is larger than the model's input (e.g. a 224 px MRI
  // seen through a 64 px CPU model), so readers judge them over the full-resolution image.
  const side = Math.max(inputSize, run.job.dataset.imageSize);
  let written = 0;
  for (let start = 0; start < ordered.length; start += HEATMAP_BATCH) {
    if (ctx.shutdown.requested || opts.signal?.aborted) {
      const rest = ordered.slice(start).map((im) => im.id);
      if (opts.signal?.aborted || !opts.boss)
        throw new Error(`heat-maps interrupted with ${rest.length} image(s) left`);
      const follow: HeatmapsJobData = { runId: run.id, imageIds: rest, force: data.force };
      await opts.boss.send(HEATMAPS_QUEUE, follow);
      ctx.log(`heat-maps for run ${run.id}: shutting down, ${rest.length} image(s) queued again`);
      return { written, skipped: existing.size, deferred: rest.length };
    }
    const batch = ordered.slice(start, start + HEATMAP_BATCH);
    const pngs = await Promise.all(batch.map((im) => getBytes(im.fileKey)));
    const inputs = await Promise.all(pngs.map((p) => decodeRgb(p, inputSize)));
    const maps = await gradCamOfImages(
      model,
      inputs,
      batch.map((im) => im.label),
      side,
    );
    for (let k = 0; k < batch.length; k++) {
      const image = batch[k];
      const cam = maps[k];
      const heat = cam.heatmap;
      const rgb = side === inputSize ? inputs[k] : await decodeRgb(pngs[k], side);
      const overlayKey = await putBytes(await renderHeatmapOverlayPng(rgb, heat, side), "png", "hm");
      const mapKey = await putBytes(await renderHeatmapPng(heat, side), "png", "hm");
      // The raw grid, drawn over the display copy by the reader's browser; a fixed-size file (blinding).
      const camKey = await putBytes(encodeCamPayload(cam.cam), "cam", "cam");
      let metrics: {
        pointingHit: boolean;
        energyInMask: number;
        topIou: number;
        maskShare: number;
        chanceIou: number;
        blankMap: boolean;
      } | null = null;
      if (image.maskKey) {
        const mask = await decodeMask(await getBytes(image.maskKey), side);
        const maskSize = mask.reduce((n, v) => n + v, 0);
        if (maskSize > 0) {
          const m = localisationMetrics(heat, mask);
          metrics = {
            pointingHit: m.pointingHit,
            energyInMask: m.energyInside,
            topIou: m.topRegionIou,
            // Chance levels of this very map, for the localisation summary (lib/stats/localisation-summary.ts).
            maskShare: maskSize / mask.length,
            chanceIou: randomRegionIou(mask.length, topRegionSize(heat), maskSize),
            blankMap: isBlankMap(heat),
          };
        }
      }
      const row = {
        targetClass: cam.targetClass,
        probability: cam.targetProbability,
        predictedClass: cam.predictedClass,
        overlayKey,
        mapKey,
        camKey,
        pointingHit: metrics?.pointingHit ?? null,
        energyInMask: metrics?.energyInMask ?? null,
        topIou: metrics?.topIou ?? null,
        maskShare: metrics?.maskShare ?? null,
        chanceIou: metrics?.chanceIou ?? null,
        blankMap: metrics?.blankMap ?? null,
      };
      await db().heatmap.upsert({
        where: { modelRunId_imageId: { modelRunId: run.id, imageId: image.id } },
        create: { modelRunId: run.id, imageId: image.id, ...row },
        update: row,
      });
      written++;
    }
  }
  ctx.log(`heat-maps for run ${run.id}: ${written} written, ${existing.size} already present`);
  return { written, skipped: existing.size, deferred: 0 };
}
