// Krippendorff's alpha for nominal data with missing values: Krippendorff K. (2011) "Computing Krippendorff's
// Alpha-Reliability", Annenberg School for Communication, University of Pennsylvania, sections C-D.
import type { Answer } from "./answers";
import { buildRatingTable, rowTotals } from "./rating-table";

export interface CoincidenceSummary {
  /** n: the number of pairable values (values in units with at least two values). */
  pairable: number;
  /** Σ_c o_cc: the observed coincidences of equal values. */
  matching: number;
  /** n_c: the marginal of each category in the coincidence matrix. */
  marginals: number[];
}

/**
 * The parts of the coincidence matrix the nominal alpha needs. Each unit u with m_u >= 2 values contributes
 * n_uc(n_uc - 1) / (m_u - 1) to o_cc and n_uc to n_c; units with a single value are not pairable and drop out.
 */
export function coincidences(counts: readonly (readonly number[])[]): CoincidenceSummary {
  const categories = counts.length === 0 ? 0 : counts[0].length;
  const totals = rowTotals(counts);
  const marginals = new Array<number>(categories).fill(0);
  let matching = 0;
  let pairable = 0;
  counts.forEach((row, u) => {
    const m = totals[u];
    if (m < 2) return;
    pairable += m;
    row.forEach((v, c) => {
      marginals[c] += v;
      matching += (v * (v - 1)) / (m - 1);
    });
  });
  return { pairable, matching, marginals };
}

/**
 * Nominal α = 1 - D_o/D_e = 1 - (n - 1)(n - Σ_c o_cc) / (n² - Σ_c n_c²).
 * Null with fewer than two pairable values, or when all pairable values are one category (D_e = 0).
 */
export function krippendorffAlphaNominalFromTable(counts: readonly (readonly number[])[]): number | null {
  const { pairable: n, matching, marginals } = coincidences(counts);
  if (n < 2) return null;
  const expectedDisagreement = n * n - marginals.reduce((s, nc) => s + nc * nc, 0);
  if (expectedDisagreement <= 0) return null;
  return 1 - ((n - 1) * (n - matching)) / expectedDisagreement;
}

/** Krippendorff's nominal alpha over reader answers; missing answers and unequal readers per case are allowed. */
export function krippendorffAlpha(answers: readonly Answer[]): number | null {
  return krippendorffAlphaNominalFromTable(buildRatingTable(answers).counts);
}
