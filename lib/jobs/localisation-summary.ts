// The localisation summary of a dataset's heat-maps: per variant (its succeeded runs pooled) and per split
// (validation, test), the pointing game, energy in mask and top-15 % IoU with chance levels and bootstrap intervals
// (lib/stats/localisation-summary.ts). Maps without a mask have nothing to score and are left out; maps rendered
// before chance levels were recorded are counted, so that a re-render (force) can bring them in.
import { db, ImageSplit, JobStatus } from "@/lib/db/client";
import { summariseLocalisation, type LocalisationSummary, type ScoredMap } from "@/lib/stats/localisation-summary";
import { VARIANT_ORDER } from "./auc-summary";

export interface LocalisationRow {
  variant: string;
  split: ImageSplit;
  runs: number;
  summary: LocalisationSummary;
}

export interface DatasetLocalisation {
  rows: LocalisationRow[];
  /** Maps with a mask but without recorded chance levels (rendered by an older version); re-render to include. */
  unrecorded: number;
}

const SPLITS: ImageSplit[] = [ImageSplit.VALIDATION, ImageSplit.TEST];

export async function datasetLocalisation(
  datasetId: string,
  opts: { jobId?: string } = {},
): Promise<DatasetLocalisation> {
  const maps = await db().heatmap.findMany({
    where: {
      modelRun: { job: { datasetId }, jobId: opts.jobId, status: JobStatus.SUCCEEDED },
      image: { split: { in: SPLITS } },
      pointingHit: { not: null },
    },
    select: {
      imageId: true,
      modelRunId: true,
      pointingHit: true,
      energyInMask: true,
      topIou: true,
      maskShare: true,
      chanceIou: true,
      blankMap: true,
      modelRun: { select: { variant: true } },
      image: { select: { split: true } },
    },
  });
  const groups = new Map<string, { variant: string; split: ImageSplit; runs: Set<string>; maps: ScoredMap[] }>();
  let unrecorded = 0;
  for (const m of maps) {
    if (
      m.pointingHit === null ||
      m.energyInMask === null ||
      m.topIou === null ||
      m.maskShare === null ||
      m.chanceIou === null ||
      m.blankMap === null
    ) {
      unrecorded++;
      continue;
    }
    const key = `${m.modelRun.variant}/${m.image.split}`;
    const g = groups.get(key) ?? { variant: m.modelRun.variant, split: m.image.split, runs: new Set(), maps: [] };
    g.runs.add(m.modelRunId);
    g.maps.push({
      imageId: m.imageId,
      pointingHit: m.pointingHit,
      energyInMask: m.energyInMask,
      topIou: m.topIou,
      maskShare: m.maskShare,
      chanceIou: m.chanceIou,
      blankMap: m.blankMap,
    });
    groups.set(key, g);
  }
  const rank = (v: string) => {
    const i = (VARIANT_ORDER as readonly string[]).indexOf(v);
    return i === -1 ? VARIANT_ORDER.length : i;
  };
  const rows = [...groups.values()]
    .sort((a, b) => rank(a.variant) - rank(b.variant) || SPLITS.indexOf(a.split) - SPLITS.indexOf(b.split))
    .map((g) => ({ variant: g.variant, split: g.split, runs: g.runs.size, summary: summariseLocalisation(g.maps) }));
  return { rows, unrecorded };
}
