// Friedman M. (1937) "The use of ranks to avoid the assumption of normality implicit in the analysis of
// variance", JASA 32:675-701, with the correction for ties within blocks as R's `friedman.test` applies it
// (Hollander & Wolfe 1973, §7.1): within each block the treatments are ranked (ties share mid-ranks), and
//   χ²_F = 12 Σ_j (R_j − n(k+1)/2)² / (n k (k+1) − Σ_blocks Σ(t³ − t) / (k − 1)),  df = k − 1.
import { chiSquareSurvival } from "./distributions";
import { type Estimate, defined, undefinedBecause } from "./estimate";
import { midRanks, tieTerm } from "./mid-ranks";

export interface FriedmanResult {
  statistic: number;
  df: number;
  p_value: number;
  n_blocks: number;
  n_treatments: number;
  /** Mean within-block rank of each treatment (1 = lowest value), in input column order. */
  mean_ranks: number[];
}

/**
 * Friedman test on a blocks × treatments matrix of values (every block complete). Undefined with fewer than two
 * treatments, no blocks, or when every block ties all its treatments (the statistic is 0/0).
 */
export function friedmanTest(blocks: readonly (readonly number[])[]): Estimate<FriedmanResult> {
  const n = blocks.length;
  if (n === 0) return undefinedBecause("needs ≥ 1 complete case");
  const k = blocks[0].length;
  if (k < 2) return undefinedBecause("needs ≥ 2 arms");
  const rankSums = new Array<number>(k).fill(0);
  let ties = 0;
  blocks.forEach((block, b) => {
    if (block.length !== k) throw new RangeError(`block ${b + 1} has ${block.length} values, expected ${k}`);
    if (block.some((v) => !Number.isFinite(v))) throw new RangeError(`block ${b + 1} has a non-finite value`);
    midRanks(block).forEach((r, j) => (rankSums[j] += r));
    ties += tieTerm(block);
  });
  const denominator = n * k * (k + 1) - ties / (k - 1);
  if (denominator <= 1e-12) return undefinedBecause("every case ties all arms");
  const centre = (n * (k + 1)) / 2;
  const statistic = (12 * rankSums.reduce((s, r) => s + (r - centre) ** 2, 0)) / denominator;
  return defined({
    statistic,
    df: k - 1,
    p_value: chiSquareSurvival(statistic, k - 1),
    n_blocks: n,
    n_treatments: k,
    mean_ranks: rankSums.map((r) => r / n),
  });
}
