/**
 * The seeded order and augmentation of each epoch, and its batches (the input itself is built by
 * imagesToInputTensor, lib/ml/models/preprocess.ts).
 *
 * Randomness: each epoch draws its shuffle and its flips from streams seeded by (run seed, epoch), so an
 * epoch's batches depend on nothing but the seed and the epoch number; a resumed run sees exactly the
 * batches the uninterrupted run would have seen.
 */
import { combineSeeds, mulberry32, shuffled } from "@/lib/ml/data/seeded-random";

const STREAM_SHUFFLE = 1;
const STREAM_FLIP = 2;

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
