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

export interface GroupSplitItem extends SplitItem {
  /** Items of one group (patient, lesion) always land on the same side; undefined = a group of its own. */
  group?: string;
}

export interface GroupSplitResult extends SplitResult {
  /** Distinct groups on each side. */
  groups: { train: number; validation: number };
}

/**
 * Stratified split that keeps every group on one side. Groups are stratified by their majority label (ties
 * count as positive) and ranked by a seeded hash of the group key; groups go to validation in rank order until
 * each class has its validation share of images. Fails when a class has fewer than two groups, since one side
 * would then lack that class.
 */
export function stratifiedGroupSplit(items: readonly GroupSplitItem[], options: SplitOptions): GroupSplitResult {
  const share = options.validationShare ?? 0.2;
  if (!(share > 0 && share < 1)) throw new RangeError(`validationShare must be in (0, 1), got ${share}`);
  const keys = items.map((item, i) => item.key ?? String(i));
  if (new Set(keys).size !== keys.length) throw new Error("stratifiedGroupSplit: item keys must be unique");
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    // A prefix no group column value can collide with: an ungrouped item is its own group.
    const g = item.group !== undefined ? `g:${item.group}` : `i:${keys[i]}`;
    groups.set(g, [...(groups.get(g) ?? []), i]);
  });
  const validation: number[] = [];
  const validationGroups = new Set<string>();
  for (const label of [0, 1] as const) {
    const mine = [...groups].filter(([, members]) => {
      const positives = members.filter((i) => items[i].label === 1).length;
      return (positives * 2 >= members.length ? 1 : 0) === label;
    });
    if (mine.length === 0) continue;
    if (mine.length < 2) {
      throw new RangeError(`class ${label} has ${mine.length} group(s); a grouped split needs at least 2 per class`);
    }
    const n = mine.reduce((sum, [, m]) => sum + m.length, 0);
    const target = Math.round(n * share);
    const ranked = mine
      .map(([g, members]) => ({ g, members, rank: hashString32(g, options.seed) }))
      .sort((a, b) => a.rank - b.rank || (a.g < b.g ? -1 : a.g > b.g ? 1 : 0));
    let taken = 0;
    // At least one group each side, whatever the sizes.
    for (let r = 0; r < ranked.length - 1 && (r === 0 || taken < target); r++) {
      validation.push(...ranked[r].members);
      validationGroups.add(ranked[r].g);
      taken += ranked[r].members.length;
    }
  }
  const inValidation = new Set(validation);
  const trainIndices = items.map((_, i) => i).filter((i) => !inValidation.has(i));
  return {
    trainIndices,
    validationIndices: validation.sort((a, b) => a - b),
    groups: { train: groups.size - validationGroups.size, validation: validationGroups.size },
  };
}
