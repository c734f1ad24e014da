// How well a trained model's Grad-CAM maps find the lesion over a set of masked images: the pointing-game hit
// rate (Zhang et al., ECCV 2016), the mean energy inside the mask (Wang et al., Score-CAM, CVPRW 2020) and the
// mean IoU of the top 15 % region, next to the chance level of the pointing game. A uniformly random point
// falls inside a mask with probability equal to the mask's area share, so the mean mask share is the hit rate
// of a map that knows nothing about the image; it is also the energy inside the mask of a constant map.
// A map that ignores the image but peaks at its centre is a stronger baseline wherever lesions sit near the
// middle (as in the synthetic set): its hit rate is reported too, so a score is never read against chance alone.
import * as tf from "@tensorflow/tfjs";
import { imagesToInputTensor } from "@/lib/ml/models/preprocess";
import { localisationMetrics, pointingGameHit } from "@/lib/ml/metrics/localisation";
import { gradCam } from "./gradcam";

export interface MaskedImage {
  /** Interleaved RGB, side * side * 3, at the model's input size. */
  rgb: Uint8Array;
  /** 0/1, side * side. */
  mask: Uint8Array;
  /** Ground-truth class: Grad-CAM's target. */
  label: number;
}

export interface LocalisationSummary {
  cases: number;
  hits: number;
  /** Share of maps whose maximum lies inside the mask. */
  pointingRate: number;
  meanEnergyInside: number;
  meanTopRegionIou: number;
  /** Mean share of the image covered by the mask: the pointing game's chance level. */
  meanMaskShare: number;
  /** Pointing-game hit rate of an image-blind map peaking at the image centre. */
  centrePriorRate: number;
}

/** A side x side map falling off with the distance from the image centre (4 tied maxima when side is even). */
export function centrePriorMap(side: number): Float32Array {
  const c = side / 2;
  return Float32Array.from(
    { length: side * side },
    (_, i) => -Math.hypot((i % side) + 0.5 - c, Math.floor(i / side) + 0.5 - c),
  );
}

/** Grad-CAM (target = ground truth) of every image, scored against its mask; images in batches of `batchSize`. */
export async function summariseLocalisation(
  model: tf.LayersModel,
  images: readonly MaskedImage[],
  side: number,
  batchSize = 16,
): Promise<LocalisationSummary> {
  if (images.length === 0) throw new RangeError("no images to score");
  let hits = 0;
  let energy = 0;
  let iou = 0;
  let maskShare = 0;
  let centreHits = 0;
  const centre = centrePriorMap(side);
  for (let start = 0; start < images.length; start += batchSize) {
    const batch = images.slice(start, start + batchSize);
    const x = imagesToInputTensor(
      batch.map((im) => im.rgb),
      batch.map((_, k) => k),
      side,
    );
    let maps;
    try {
      maps = await gradCam(model, x, { targets: batch.map((im) => im.label) });
    } finally {
      x.dispose();
    }
    maps.forEach((cam, k) => {
      const { mask } = batch[k];
      const m = localisationMetrics(cam.heatmap, mask);
      if (m.pointingHit) hits++;
      energy += m.energyInside;
      iou += m.topRegionIou;
      maskShare += mask.reduce((s, v) => s + v, 0) / mask.length;
      if (pointingGameHit(centre, mask)) centreHits++;
    });
  }
  const n = images.length;
  return {
    cases: n,
    hits,
    pointingRate: hits / n,
    meanEnergyInside: energy / n,
    meanTopRegionIou: iou / n,
    meanMaskShare: maskShare / n,
    centrePriorRate: centreHits / n,
  };
}
