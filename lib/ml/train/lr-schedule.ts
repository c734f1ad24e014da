/**
 * Step learning-rate schedule of Rao et al. (ICCV-W 2021): the initial rate divided by 10 at 30 %, 60 % and
 * 90 % of the epochs, i.e. PyTorch's MultiStepLR(milestones, gamma=0.1) stepped once per epoch.
 */

/**
 * Epoch indices (0-based) from which each drop applies: round(fraction * epochs), at least 1 so the first
 * epoch always trains at the initial rate even in very short runs, and at most epochs (a drop that would
 * land after the last epoch never applies).
 */
export function lrMilestones(epochs: number, dropAt: readonly number[]): number[] {
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be a positive integer, got ${epochs}`);
  return dropAt.map((f) => Math.min(epochs, Math.max(1, Math.round(f * epochs)))).sort((a, b) => a - b);
}

/** Learning rate for the 0-based `epoch`: base * gamma^(number of milestones <= epoch). */
export function learningRateAt(
  epoch: number,
  opts: { epochs: number; base: number; dropAt: readonly number[]; gamma?: number },
): number {
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
  const gamma = opts.gamma ?? 0.1;
  const drops = lrMilestones(opts.epochs, opts.dropAt).filter((m) => epoch >= m).length;
  return opts.base * gamma ** drops;
}
