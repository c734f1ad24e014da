// Objective localisation of a set of Grad-CAM maps against lesion masks, with chance levels and 95 % intervals:
// the pointing-game hit rate (Zhang et al., ECCV 2016), the mean energy inside the mask (Wang et al., Score-CAM,
// CVPRW 2020) and the mean IoU of the top-15 % region (lib/ml/metrics/localisation.ts scores each map).
//
// - Chance. A point drawn uniformly at random falls inside a mask with probability equal to the mask's area share,
//   which is also the energy inside the mask of a constant map: the mean mask share is the chance level of both. For
//   the IoU it is the expected IoU of a random region of the same size as each map's top region (hypergeometric,
//   randomRegionIou), averaged over the maps.
// - Intervals. Percentile bootstrap over images (Efron & Tibshirani 1993, ch. 13): images are resampled with
//   replacement, every map of a resampled image (one per run, when several seeds of a variant are pooled) moving with
//   it, so that the interval reflects the images rather than treating a variant's seeds as independent cases. The
//   generator is seeded (mulberry32), so the same maps always give the same interval.
// - Blank maps (constant, typically all zero) point nowhere. They are counted and reported, and left out of the three
//   rates rather than scored as silent misses.
import { mulberry32 } from "./multinomial-exact";

export interface ScoredMap {
  imageId: string;
  pointingHit: boolean;
  energyInMask: number;
  topIou: number;
  maskShare: number;
  chanceIou: number;
  blankMap: boolean;
}

export interface MetricWithChance {
  /** Mean over the scored maps (for the pointing game, the hit rate); null without any. */
  value: number | null;
  /** 95 % percentile-bootstrap interval over images; null without any scored map. */
  ci: { low: number; high: number } | null;
  chance: number | null;
}

export interface LocalisationSummary {
  /** Every map given, blank ones included. */
  maps: number;
  /** Distinct images among the maps given. */
  images: number;
  blank: number;
  /** Non-blank maps: those the rates are computed over. */
  scored: number;
  pointingGame: MetricWithChance;
  energyInMask: MetricWithChance;
  topIou: MetricWithChance;
  bootstrap: { resamples: number; seed: number };
}

export const DEFAULT_BOOTSTRAP_RESAMPLES = 2000;
export const DEFAULT_BOOTSTRAP_SEED = 20210101;

type Metric = (m: ScoredMap) => number;
const METRICS: Record<"pointingGame" | "energyInMask" | "topIou", { value: Metric; chance: Metric }> = {
  pointingGame: { value: (m) => (m.pointingHit ? 1 : 0), chance: (m) => m.maskShare },
  energyInMask: { value: (m) => m.energyInMask, chance: (m) => m.maskShare },
  topIou: { value: (m) => m.topIou, chance: (m) => m.chanceIou },
};

/** The q-quantile of sorted values, linearly interpolated (R's type 7). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function summariseLocalisation(
  maps: readonly ScoredMap[],
  opts: { resamples?: number; seed?: number } = {},
): LocalisationSummary {
  const resamples = opts.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const seed = opts.seed ?? DEFAULT_BOOTSTRAP_SEED;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be >= 1, got ${resamples}`);
  const scored = maps.filter((m) => !m.blankMap);
  const byImage = new Map<string, ScoredMap[]>();
  for (const m of scored) byImage.set(m.imageId, [...(byImage.get(m.imageId) ?? []), m]);
  const groups = [...byImage.keys()].sort().map((id) => byImage.get(id)!);

  const summarise = (metric: { value: Metric; chance: Metric }): MetricWithChance => {
    if (scored.length === 0) return { value: null, ci: null, chance: null };
    const mean = (f: Metric) => scored.reduce((s, m) => s + f(m), 0) / scored.length;
    // Per image: the sum of the metric over its maps and their number, so a resample's mean is a ratio of sums.
    const sums = groups.map((g) => g.reduce((s, m) => s + metric.value(m), 0));
    const counts = groups.map((g) => g.length);
    const random = mulberry32(seed);
    const means: number[] = [];
    for (let b = 0; b < resamples; b++) {
      let total = 0;
      let n = 0;
      for (let k = 0; k < groups.length; k++) {
        const pick = Math.floor(random() * groups.length);
        total += sums[pick];
        n += counts[pick];
      }
      means.push(total / n);
    }
    means.sort((a, b) => a - b);
    return {
      value: mean(metric.value),
      ci: { low: quantile(means, 0.025), high: quantile(means, 0.975) },
      chance: mean(metric.chance),
    };
  };

  return {
    maps: maps.length,
    images: new Set(maps.map((m) => m.imageId)).size,
    blank: maps.length - scored.length,
    scored: scored.length,
    pointingGame: summarise(METRICS.pointingGame),
    energyInMask: summarise(METRICS.energyInMask),
    topIou: summarise(METRICS.topIou),
    bootstrap: { resamples, seed },
  };
}
