// Fleiss' kappa: Fleiss J.L. (1971) "Measuring nominal scale agreement among many raters",
// Psychological Bulletin 76(5):378-382. Assumes every subject is rated by the same number n of raters.
import type { Answer } from "./answers";
import { balancedRaterCount, buildRatingTable } from "./rating-table";

/**
 * κ = (P̄ - P̄e) / (1 - P̄e) from a subject × category count table.
 * Null when rows do not all sum to the same n >= 2, and when P̄e = 1 (every rating in one category:
 * agreement is perfect but chance agreement is too, so the ratio is 0/0).
 */
export function fleissKappaFromTable(counts: readonly (readonly number[])[]): number | null {
  const n = balancedRaterCount(counts);
  if (n === null) return null;
  const subjects = counts.length;
  const categories = counts[0].length;
  // P_i = (Σ_j n_ij² - n) / (n(n-1)): the share of agreeing rater pairs on subject i (Fleiss eq. 2).
  let meanAgreement = 0;
  for (const row of counts) {
    let squares = 0;
    for (const v of row) squares += v * v;
    meanAgreement += (squares - n) / (n * (n - 1));
  }
  meanAgreement /= subjects;
  // p_j = share of all ratings in category j; P̄e = Σ p_j².
  let chanceAgreement = 0;
  for (let j = 0; j < categories; j++) {
    let column = 0;
    for (const row of counts) column += row[j];
    const pj = column / (subjects * n);
    chanceAgreement += pj * pj;
  }
  if (chanceAgreement >= 1 - 1e-12) return null;
  return (meanAgreement - chanceAgreement) / (1 - chanceAgreement);
}

/** Fleiss' kappa over reader answers; null unless every case has the same number (>= 2) of given answers. */
export function fleissKappa(answers: readonly Answer[]): number | null {
  return fleissKappaFromTable(buildRatingTable(answers).counts);
}
