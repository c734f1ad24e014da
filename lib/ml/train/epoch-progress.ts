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
  /** Remaining epochs times the mean wall time of the epochs run in this process. */
  etaSeconds: number;
  learningRate: number;
}
