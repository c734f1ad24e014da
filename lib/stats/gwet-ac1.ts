// Gwet's AC1: Gwet K.L. (2008) "Computing inter-rater reliability and its variance in the presence of high
// agreement", British Journal of Mathematical and Statistical Psychology 61:29-48, with the missing-data form
// of Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., ch. 2 (as implemented by the irrCAC package).
import type { Answer } from "./answers";
import { balancedRaterCount, buildRatingTable, rowTotals } from "./rating-table";

/**
 * AC1 = (p_a - p_e) / (1 - p_e) from a subject × category count table whose columns are all q categories.
 * p_a averages, over subjects with r_i >= 2 ratings, Σ_k r_ik(r_ik - 1) / (r_i(r_i - 1)); π_k averages r_ik / r_i
 * over subjects with r_i >= 1; p_e = Σ_k π_k(1 - π_k) / (q - 1). Accepts unequal numbers of ratings per subject.
 * Null with fewer than 2 categories or no subject rated twice.
 */
export function gwetAc1FromTable(counts: readonly (readonly number[])[]): number | null {
  if (counts.length === 0) return null;
  const q = counts[0].length;
  if (q < 2) return null;
  const totals = rowTotals(counts);
  let agreementSum = 0;
  let pairedSubjects = 0;
  const classification = new Array<number>(q).fill(0);
  let ratedSubjects = 0;
  counts.forEach((row, i) => {
    const r = totals[i];
    if (r >= 1) {
      ratedSubjects++;
      for (let k = 0; k < q; k++) classification[k] += row[k] / r;
    }
    if (r >= 2) {
      pairedSubjects++;
      let pairs = 0;
      for (const v of row) pairs += v * (v - 1);
      agreementSum += pairs / (r * (r - 1));
    }
  });
  if (pairedSubjects === 0) return null;
  const pa = agreementSum / pairedSubjects;
  let pe = 0;
  for (let k = 0; k < q; k++) {
    const pi = classification[k] / ratedSubjects;
    pe += pi * (1 - pi);
  }
  pe /= q - 1;
  // p_e <= 1/q < 1 for q >= 2, so the ratio is always defined.
  return (pa - pe) / (1 - pe);
}

/**
 * Gwet's AC1 over reader answers. `choices` are the q categories (default: the choices seen; pass every arm of
 * a study so that an arm nobody chose still counts). As specified for Focus, null unless every case has the
 * same number (>= 2) of given answers, like Fleiss' kappa, so the two are reported on the same footing.
 */
export function gwetAc1(answers: readonly Answer[], choices?: readonly string[]): number | null {
  const table = buildRatingTable(answers, choices);
  if (balancedRaterCount(table.counts) === null) return null;
  return gwetAc1FromTable(table.counts);
}
