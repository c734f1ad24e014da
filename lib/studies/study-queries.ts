// Read models for building a study: eligible runs, the image gallery, missing heat-maps, sampling candidates.
import { db } from "../db/client";
import type { CandidateCase } from "./case-sampling";

export interface MissingHeatmap {
  modelRunId: string;
  runLabel: string;
  imageId: string;
  imageName: string;
}

export function runLabel(run: { variant: string; seed: number; id: string }): string {
  return `${run.variant.toLowerCase()} (seed ${run.seed}, run ${run.id.slice(-6)})`;
}

/** Finished runs trained on the dataset, the ones marked ready for a study first. */
export async function eligibleRuns(datasetId: string) {
  const runs = await db().modelRun.findMany({
    where: { status: "SUCCEEDED", job: { datasetId } },
    select: {
      id: true,
      variant: true,
      seed: true,
      valAuc: true,
      readyForStudy: true,
      finishedAt: true,
      _count: { select: { heatmaps: true } },
    },
  });
  return runs
    .sort(
      (a, b) =>
        Number(b.readyForStudy) - Number(a.readyForStudy) ||
        a.variant.localeCompare(b.variant) ||
        a.seed - b.seed ||
        a.id.localeCompare(b.id),
    )
    .map((r) => ({ ...r, heatmapCount: r._count.heatmaps, label: runLabel(r) }));
}

/** Images of the dataset that have a heat-map from at least one finished run: what a gallery can offer. */
export async function galleryImages(datasetId: string, limit = 400) {
  return db().image.findMany({
    where: { datasetId, heatmaps: { some: { modelRun: { status: "SUCCEEDED" } } } },
    orderBy: [{ label: "asc" }, { originalName: "asc" }],
    take: limit,
    select: { id: true, label: true, originalName: true, split: true },
  });
}

/** For each (run, image) pair without a heat-map, one entry, in image then run order. */
export async function missingHeatmaps(
  modelRunIds: readonly string[],
  imageIds: readonly string[],
): Promise<MissingHeatmap[]> {
  if (modelRunIds.length === 0 || imageIds.length === 0) return [];
  const [have, runs, images] = await Promise.all([
    db().heatmap.findMany({
      where: { modelRunId: { in: [...modelRunIds] }, imageId: { in: [...imageIds] } },
      select: { modelRunId: true, imageId: true },
    }),
    db().modelRun.findMany({
      where: { id: { in: [...modelRunIds] } },
      select: { id: true, variant: true, seed: true },
    }),
    db().image.findMany({ where: { id: { in: [...imageIds] } }, select: { id: true, originalName: true } }),
  ]);
  const present = new Set(have.map((h) => `${h.modelRunId}|${h.imageId}`));
  const runById = new Map(runs.map((r) => [r.id, r]));
  const nameById = new Map(images.map((i) => [i.id, i.originalName]));
  const out: MissingHeatmap[] = [];
  for (const imageId of imageIds) {
    for (const modelRunId of modelRunIds) {
      if (present.has(`${modelRunId}|${imageId}`)) continue;
      const run = runById.get(modelRunId);
      out.push({
        modelRunId,
        runLabel: run ? runLabel(run) : modelRunId,
        imageId,
        imageName: nameById.get(imageId) ?? imageId,
      });
    }
  }
  return out;
}

/**
 * Sampling candidates: images with a heat-map from every arm, with how many arms classified them correctly.
 * Images that some but not all arms cover are reported, not sampled.
 */
export async function candidateCases(datasetId: string, modelRunIds: readonly string[]) {
  const heatmaps = await db().heatmap.findMany({
    where: { modelRunId: { in: [...modelRunIds] }, image: { datasetId } },
    select: { imageId: true, predictedClass: true, image: { select: { label: true } } },
  });
  const byImage = new Map<string, { label: number; runs: number; correct: number }>();
  for (const h of heatmaps) {
    const e = byImage.get(h.imageId) ?? { label: h.image.label, runs: 0, correct: 0 };
    e.runs++;
    if (h.predictedClass === h.image.label) e.correct++;
    byImage.set(h.imageId, e);
  }
  const candidates: CandidateCase[] = [];
  const incompleteImageIds: string[] = [];
  for (const [imageId, e] of byImage) {
    if (e.runs === modelRunIds.length)
      candidates.push({ imageId, label: e.label, armsCorrect: e.correct, armCount: modelRunIds.length });
    else incompleteImageIds.push(imageId);
  }
  return { candidates, incompleteImageIds: incompleteImageIds.sort() };
}
