// The paper-style results table: validation AUC-ROC per variant as mean ± sd over runs with different
// seeds (Rao et al., "Studying the Effects of Self-Attention for Medical Image Analysis", ICCV-W 2021,
// Table 1; 3 runs per variant).

export interface MeanSd {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n - 1 in the denominator); null below two values. */
  sd: number | null;
}

/**
 * The paper does not say which standard deviation it reports; with three runs per variant the sample
 * (Bessel-corrected) one is the usual choice and the larger, more honest of the two.
 */
export function meanSd(values: readonly number[]): MeanSd {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, sd: null };
  const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

/** "0.912 ± 0.013", "0.912" for one run, "—" for none. */
export function formatMeanSd(m: MeanSd, digits = 3): string {
  if (m.mean === null) return "—";
  return m.sd === null ? m.mean.toFixed(digits) : `${m.mean.toFixed(digits)} ± ${m.sd.toFixed(digits)}`;
}

export interface RunAuc {
  id: string;
  variant: string;
  seed: number;
  status: string;
  valAuc: number | null;
  /** On the held-out test split; null or absent when the dataset has none. */
  testAuc?: number | null;
}

export interface VariantAucRow extends MeanSd {
  variant: string;
  /** Test AUC over the same succeeded runs that have one (n = 0 without a test split). */
  test: MeanSd;
  /** Every run of the variant, finished or not, ordered by seed; only SUCCEEDED runs enter the mean. */
  runs: RunAuc[];
}

/** Order of the paper's tables: the baseline first, then the attention modules. */
export const VARIANT_ORDER = ["BASELINE", "SE", "CBAM", "GC"] as const;

function variantRank(v: string): number {
  const i = (VARIANT_ORDER as readonly string[]).indexOf(v.toUpperCase());
  return i === -1 ? VARIANT_ORDER.length : i;
}

/**
 * One row per variant. Only finished (SUCCEEDED) runs with an AUC count: a cancelled run's AUC is that of
 * a partly trained model and would bias the mean.
 */
export function aucTableByVariant(runs: readonly RunAuc[]): VariantAucRow[] {
  const byVariant = new Map<string, RunAuc[]>();
  for (const r of runs) {
    const key = r.variant.toUpperCase();
    byVariant.set(key, [...(byVariant.get(key) ?? []), r]);
  }
  return [...byVariant.entries()]
    .sort(([a], [b]) => variantRank(a) - variantRank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([variant, rs]) => {
      const sorted = [...rs].sort((a, b) => a.seed - b.seed);
      const succeeded = sorted.filter((r) => r.status === "SUCCEEDED");
      const finished = succeeded.filter((r) => r.valAuc !== null).map((r) => r.valAuc as number);
      const tested = succeeded.flatMap((r) => (typeof r.testAuc === "number" ? [r.testAuc] : []));
      return { variant, runs: sorted, ...meanSd(finished), test: meanSd(tested) };
    });
}
