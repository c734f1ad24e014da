// The case × choice count table ("distribution of raters by subject and category") from which Fleiss' kappa,
// Gwet's AC1 and Krippendorff's alpha are computed.
import { type Answer, distinctSorted, givenAnswers, resolveChoices } from "./answers";

export interface RatingTable {
  /** Every case in the input, sorted, including cases whose answers are all missing (their row is all zero). */
  caseIds: string[];
  choices: string[];
  /** counts[i][j] = number of readers who gave case i choice j. */
  counts: number[][];
}

export function buildRatingTable(answers: readonly Answer[], declaredChoices?: readonly string[]): RatingTable {
  const given = givenAnswers(answers);
  const choices = resolveChoices(given, declaredChoices);
  const caseIds = distinctSorted(answers.map((a) => a.caseId));
  const caseIndex = new Map(caseIds.map((id, i) => [id, i]));
  const choiceIndex = new Map(choices.map((c, j) => [c, j]));
  const counts = caseIds.map(() => new Array<number>(choices.length).fill(0));
  for (const a of given) counts[caseIndex.get(a.caseId)!][choiceIndex.get(a.choice)!] += 1;
  return { caseIds, choices, counts };
}

export function rowTotals(counts: readonly (readonly number[])[]): number[] {
  return counts.map((row) => row.reduce((s, v) => s + v, 0));
}

/**
 * The common number of answers per case when every case has the same number and it is at least 2, else null.
 * Fleiss' kappa and (as specified for this project) Gwet's AC1 are only reported in that balanced situation.
 */
export function balancedRaterCount(counts: readonly (readonly number[])[]): number | null {
  if (counts.length === 0) return null;
  const totals = rowTotals(counts);
  const n = totals[0];
  if (n < 2 || totals.some((t) => t !== n)) return null;
  return n;
}
