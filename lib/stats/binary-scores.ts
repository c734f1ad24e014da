// The input every binary-classification measure takes: one finite score and one 0/1 label per image.

/** Throws a RangeError naming the first bad entry: lengths that differ, a score that is not finite, a label not 0/1. */
export function checkBinaryScores(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new RangeError(`score ${i} is not a finite number: ${scores[i]}`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`label ${i} must be 0 or 1, got ${labels[i]}`);
  }
}
