/**
 * Turning uint8 RGB images into the network's input, and the seeded order and augmentation of each epoch.
 *
 * Input normalisation: pixels scaled to [0, 1], then per channel (x - mean) / std with the ImageNet
 * statistics torchvision's models use (mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225), as in the
 * paper's PyTorch pipeline. Fixed (not estimated per data set) so that every consumer (validation,
 * Grad-CAM, inference) can reproduce the input exactly from `INPUT_NORMALISATION`.
 *
 * Randomness: each epoch draws its shuffle and its flips from streams seeded by (run seed, epoch), so an
 * epoch's batches depend on nothing but the seed and the epoch number; a resumed run sees exactly the
 * batches the uninterrupted run would have seen.
 */
import * as tf from "@tensorflow/tfjs";
import { combineSeeds, mulberry32, shuffled } from "@/lib/ml/data/seeded-random";

export const INPUT_NORMALISATION = {
  mean: [0.485, 0.456, 0.406] as const,
  std: [0.229, 0.224, 0.225] as const,
} as const;

/** value -> normalised float for each channel, so building a batch is a table look-up per byte. */
const LOOKUP: Float32Array[] = INPUT_NORMALISATION.mean.map((mean, c) => {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = (v / 255 - mean) / INPUT_NORMALISATION.std[c];
  return table;
});

const STREAM_SHUFFLE = 1;
const STREAM_FLIP = 2;

/**
 * Writes `images[indices[k]]` (interleaved RGB, size*size*3) as NHWC floats into one tensor, mirroring
 * left-right the ones with `flips[k]` set.
 */
export function imagesToInputTensor(
  images: readonly Uint8Array[],
  indices: readonly number[],
  size: number,
  flips?: readonly boolean[],
): tf.Tensor4D {
  const pixels = size * size * 3;
  const out = new Float32Array(indices.length * pixels);
  const [r, g, b] = LOOKUP;
  indices.forEach((idx, k) => {
    const img = images[idx];
    if (img === undefined) throw new RangeError(`image index ${idx} out of range`);
    if (img.length !== pixels) throw new RangeError(`image ${idx} has ${img.length} bytes, expected ${size}x${size}x3 = ${pixels}`);
    const flip = flips?.[k] === true;
    const base = k * pixels;
    for (let y = 0; y < size; y++) {
      const row = y * size;
      for (let x = 0; x < size; x++) {
        const src = (row + (flip ? size - 1 - x : x)) * 3;
        const dst = base + (row + x) * 3;
        out[dst] = r[img[src]];
        out[dst + 1] = g[img[src + 1]];
        out[dst + 2] = b[img[src + 2]];
      }
    }
  });
  return tf.tensor4d(out, [indices.length, size, size, 3], "float32");
}

/** The training order of one epoch: a seeded permutation of 0..n-1. */
export function epochOrder(n: number, seed: number, epoch: number): number[] {
  return shuffled(
    Array.from({ length: n }, (_, i) => i),
    mulberry32(combineSeeds(seed, epoch, STREAM_SHUFFLE)),
  );
}

/** Horizontal-flip decisions for the epoch, one per position in its order (probability 1/2, as torchvision). */
export function epochFlips(n: number, seed: number, epoch: number, augment: boolean): boolean[] {
  if (!augment) return new Array<boolean>(n).fill(false);
  const random = mulberry32(combineSeeds(seed, epoch, STREAM_FLIP));
  return Array.from({ length: n }, () => random.next() < 0.5);
}

/**
 * Splits n positions into batches of `batchSize`. The last, smaller batch is kept (PyTorch's
 * drop_last=False) unless it would hold a single image: batch statistics of one image are degenerate
 * (PyTorch refuses such a batch in training), so that one image sits the epoch out.
 */
export function batchRanges(n: number, batchSize: number): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    if (end - start >= 2) ranges.push({ start, end });
  }
  return ranges;
}
