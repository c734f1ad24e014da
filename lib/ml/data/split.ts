// Stratified train/validation split (80/20, stratified, from a stored seed).
//
// Each item is ranked inside its class by a seeded hash of its key, and the lowest-ranked share of every class
// goes to validation. Ranking by key (not by position) makes the split independent of the order in which
// items arrive (database order, file-system order), so the same seed and the same keys give the same split.
import { hashString32 } from "./seeded-random";

export interface SplitItem {
  label: 0 | 1;
  /** Stable identity (e.g. a content hash or image id). Defaults to the item's index as a string. */
  key?: string;
}

export interface SplitOptions {
  seed: number;
  /** Share of each class that goes to validation; 0.2 is the paper's 80/20. */
  validationShare?: number;
}

export interface SplitResult {
  /** Indices into the input, ascending. */
  trainIndices: number[];
  validationIndices: number[];
}

/**
 * Validation size per class = round(n * share), clamped to [1, n - 1] when the class has at least two items so
 * that both sides see both classes (a validation AUC needs both); a class with one item stays in training.
 */
export function validationCountForClass(n: number, validationShare: number): number {
  if (n < 2) return 0;
  const k = Math.round(n * validationShare);
  return Math.min(n - 1, Math.max(1, k));
}

export function stratifiedSplit(items: readonly SplitItem[], options: SplitOptions): SplitResult {
  const share = options.validationShare ?? 0.2;
  if (!(share > 0 && share < 1)) throw new RangeError(`validationShare must be in (0, 1), got ${share}`);
  const keys = items.map((item, i) => item.key ?? String(i));
  if (new Set(keys).size !== keys.length) throw new Error("stratifiedSplit: item keys must be unique");

  const validation: number[] = [];
  for (const label of [0, 1] as const) {
    const members = items.map((_, i) => i).filter((i) => items[i].label === label);
    const ranked = members
      .map((i) => ({ i, rank: hashString32(keys[i], options.seed), key: keys[i] }))
      // Ties of the 32-bit hash are broken by key so the order stays total and deterministic.
      .sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const k = validationCountForClass(members.length, share);
    for (let r = 0; r < k; r++) validation.push(ranked[r].i);
  }
  const inValidation = new Set(validation);
  const trainIndices = items.map((_, i) => i).filter((i) => !inValidation.has(i));
  return { trainIndices, validationIndices: validation.sort((a, b) => a - b) };
}
