/**
 * What one finished epoch reports. Its own module because both the loop (train-run.ts) and the checkpoint
 * format (checkpoint.ts, which stores the history) need it, and the checkpoint must not depend on the loop.
 */
export interface EpochProgress {
  /** 1-based number of the epoch just finished. */
  epoch: number;
  epochs: number;
  /** Mean training cross-entropy over the epoch's images. */
  loss: number;
  /** AUC of the epoch's training predictions (made in training mode, before each batch's update). */
  trainAuc: number | null;
  valAuc: number | null;
  /** Training images per second in this epoch (training steps only, validation excluded). */
  imagesPerSecond: number;
  /** Validation images per second in this epoch (inference only); null without validation images. */
  valImagesPerSecond: number | null;
  /** Remaining epochs times the mean wall time of the epochs run in this process. */
  etaSeconds: number;
  learningRate: number;
}

/**
 * The ETA of a run: the epochs left times the mean wall time of the epochs timed so far. The mean, not the
 * last epoch: one epoch's time varied 2.5x on a shared machine, and an ETA that jumps with it says nothing.
 */
export function remainingSeconds(epochSeconds: readonly number[], epochsLeft: number): number {
  if (epochSeconds.length === 0) return 0;
  return (epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length) * Math.max(0, epochsLeft);
}
