// Objective localisation scores of a heat-map against a lesion mask. Both are row-major H x W.
//
// - Pointing game (Zhang et al., "Top-down Neural Attention by Excitation Backprop", ECCV 2016): is the
//   heat-map's maximum inside the object? Without their 15-pixel tolerance, as masks here are exact.
// - Energy inside the mask: the share of the map's total mass that falls on the lesion (the "energy-based
//   pointing game" of Wang et al., Score-CAM, CVPRW 2020).
// - IoU of the top-k % region: the k % hottest pixels taken as a binary segmentation, compared with the mask.

export interface LocalisationMetrics {
  pointingHit: boolean;
  energyInside: number;
  topRegionIou: number;
}

function checkShapes(heat: ArrayLike<number>, mask: ArrayLike<number>): void {
  if (heat.length !== mask.length)
    throw new RangeError(`heat-map (${heat.length}) and mask (${mask.length}) differ in size`);
  let inside = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 0 && mask[i] !== 1) throw new RangeError(`mask values must be 0 or 1, got ${mask[i]} at ${i}`);
    inside += mask[i];
  }
  if (inside === 0) throw new RangeError("mask is empty: localisation is undefined without a lesion");
}

/**
 * True when the maximum lies inside the mask. Bilinear up-sampling often leaves a plateau of equal maxima, so
 * tied maxima vote: a hit needs more than half of them inside. A constant map points nowhere and never hits.
 */
export function pointingGameHit(heat: ArrayLike<number>, mask: ArrayLike<number>): boolean {
  checkShapes(heat, mask);
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < heat.length; i++) {
    if (heat[i] > max) max = heat[i];
    if (heat[i] < min) min = heat[i];
  }
  if (max === min) return false;
  let atMax = 0;
  let atMaxInside = 0;
  for (let i = 0; i < heat.length; i++) {
    if (heat[i] === max) {
      atMax++;
      atMaxInside += mask[i];
    }
  }
  return atMaxInside * 2 > atMax;
}

/** Sum of the map inside the mask over its total sum; 0 for a map with no mass. Values must be >= 0. */
export function energyInsideMask(heat: ArrayLike<number>, mask: ArrayLike<number>): number {
  checkShapes(heat, mask);
  let total = 0;
  let inside = 0;
  for (let i = 0; i < heat.length; i++) {
    if (heat[i] < 0) throw new RangeError(`heat-map values must be >= 0, got ${heat[i]} at ${i}`);
    total += heat[i];
    if (mask[i] === 1) inside += heat[i];
  }
  return total > 0 ? inside / total : 0;
}

/**
 * IoU between the mask and the ceil(topFraction * N) hottest pixels. Ties are broken by pixel index so the
 * region has exactly that size; pixels with value 0 never join it (an empty map selects nothing, IoU 0).
 */
export function topRegionIou(heat: ArrayLike<number>, mask: ArrayLike<number>, topFraction = 0.15): number {
  checkShapes(heat, mask);
  if (!(topFraction > 0 && topFraction <= 1)) throw new RangeError(`topFraction must be in (0, 1], got ${topFraction}`);
  const k = Math.ceil(topFraction * heat.length);
  const order = Array.from({ length: heat.length }, (_, i) => i).sort((a, b) => heat[b] - heat[a] || a - b);
  let intersection = 0;
  let regionSize = 0;
  for (let r = 0; r < k && heat[order[r]] > 0; r++) {
    regionSize++;
    intersection += mask[order[r]];
  }
  let maskSize = 0;
  for (let i = 0; i < mask.length; i++) maskSize += mask[i];
  return intersection / (regionSize + maskSize - intersection);
}

export function localisationMetrics(
  heat: ArrayLike<number>,
  mask: ArrayLike<number>,
  topFraction = 0.15,
): LocalisationMetrics {
  return {
    pointingHit: pointingGameHit(heat, mask),
    energyInside: energyInsideMask(heat, mask),
    topRegionIou: topRegionIou(heat, mask, topFraction),
  };
}

/** A map with one value everywhere (all zero, typically): it points nowhere, so it is reported, not scored as a miss. */
export function isBlankMap(heat: ArrayLike<number>): boolean {
  for (let i = 1; i < heat.length; i++) if (heat[i] !== heat[0]) return false;
  return true;
}

/** Pixels in the region topRegionIou compares: ceil(topFraction * N), less the pixels of value 0 it never takes. */
export function topRegionSize(heat: ArrayLike<number>, topFraction = 0.15): number {
  let positive = 0;
  for (let i = 0; i < heat.length; i++) if (heat[i] > 0) positive++;
  return Math.min(Math.ceil(topFraction * heat.length), positive);
}

/**
 * The expected IoU between a mask of `maskSize` pixels and a region of `regionSize` pixels drawn uniformly at random
 * among `total`: the intersection is hypergeometric, and E[I / (region + mask - I)] is summed over its distribution
 * (exactly, from the mode outwards so that nothing underflows). The chance level of topRegionIou.
 */
export function randomRegionIou(total: number, regionSize: number, maskSize: number): number {
  for (const [name, v] of [
    ["total", total],
    ["regionSize", regionSize],
    ["maskSize", maskSize],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a whole number >= 0, got ${v}`);
  }
  if (regionSize > total || maskSize > total) throw new RangeError("region and mask must fit in the image");
  if (regionSize === 0 || maskSize === 0) return 0;
  const lo = Math.max(0, regionSize + maskSize - total);
  const hi = Math.min(regionSize, maskSize);
  const mode = Math.min(hi, Math.max(lo, Math.floor(((regionSize + 1) * (maskSize + 1)) / (total + 2))));
  // P(i + 1) / P(i) for the hypergeometric intersection.
  const ratio = (i: number) =>
    ((maskSize - i) * (regionSize - i)) / ((i + 1) * (total - maskSize - regionSize + i + 1));
  const iou = (i: number) => i / (regionSize + maskSize - i);
  let mass = 1;
  let sum = iou(mode);
  let p = 1;
  for (let i = mode; i < hi; i++) {
    p *= ratio(i);
    if (p < 1e-300) break;
    mass += p;
    sum += p * iou(i + 1);
  }
  p = 1;
  for (let i = mode; i > lo; i--) {
    p /= ratio(i - 1);
    if (p < 1e-300) break;
    mass += p;
    sum += p * iou(i - 1);
  }
  return sum / mass;
}
