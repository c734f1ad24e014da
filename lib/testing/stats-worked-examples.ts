// Published worked examples used by the tests of the agreement coefficients. Each carries its source and the
// values the source reports, so a test can cite exactly what it checks against.
import type { Answer } from "../stats/answers";

/**
 * The widely reproduced Fleiss' kappa example (Wikipedia "Fleiss' kappa", worked example): 10 subjects,
 * 14 raters each, 5 categories; P̄ = 0.378, P_e = 0.213, κ = 0.210.
 */
export const FLEISS_TEN_SUBJECTS: number[][] = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

/**
 * irrCAC's `distrib.6raters` (Gwet, Handbook of Inter-Rater Reliability, 4th ed. 2014; R package irrCAC 1.0
 * README): 15 patients, 6 psychiatrists, 5 diagnoses. Reported: Gwet's AC1 0.4448007 (pa 0.5511111,
 * pe 0.1914815), Fleiss' kappa 0.4139265, Krippendorff's alpha 0.4204384.
 */
export const GWET_SIX_RATERS: number[][] = [
  [0, 0, 0, 6, 0],
  [0, 3, 0, 0, 3],
  [0, 1, 4, 0, 1],
  [0, 0, 0, 0, 6],
  [0, 3, 0, 3, 0],
  [2, 0, 4, 0, 0],
  [0, 0, 4, 0, 2],
  [2, 0, 3, 1, 0],
  [2, 0, 0, 4, 0],
  [0, 0, 0, 0, 6],
  [1, 0, 0, 5, 0],
  [1, 1, 0, 4, 0],
  [0, 3, 3, 0, 0],
  [1, 0, 0, 5, 0],
  [0, 2, 0, 3, 1],
];

/**
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: four observers, twelve units,
 * values 1-5, with missing values (null). Nominal alpha = 0.743 (irrCAC's cac.raw4raters, the same data,
 * reports 0.74342, and Gwet's AC1 0.77544 with pa 0.8181818, pe 0.1903212).
 */
export const KRIPPENDORFF_FOUR_OBSERVERS: Record<string, (string | null)[]> = {
  A: ["1", "2", "3", "3", "2", "1", "4", "1", "2", null, null, null],
  B: ["1", "2", "3", "3", "2", "2", "4", "1", "2", "5", null, "3"],
  C: [null, "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", null],
  D: ["1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", null],
};

/**
 * irrCAC's `cont3x3abstractors` (Gwet 2014; irrCAC README): two abstractors classify 100 pregnancies as
 * Ectopic / AIU / NIU (rows: abstractor 1, columns: abstractor 2). Reported: Cohen's kappa 0.7964094,
 * Gwet's AC1 0.8493305, Krippendorff's alpha 0.7972585, percent agreement 0.89.
 */
export const GWET_TWO_ABSTRACTORS = {
  categories: ["Ectopic", "AIU", "NIU"],
  table: [
    [13, 0, 0],
    [0, 20, 7],
    [0, 4, 56],
  ],
};

/**
 * Wikipedia "Cohen's kappa", first worked example: 50 grant proposals read by two readers, Yes/Yes 20,
 * Yes/No 5, No/Yes 10, No/No 15; p_o = 0.7, p_e = 0.5, κ = 0.4.
 */
export const COHEN_FIFTY_PROPOSALS = {
  categories: ["Yes", "No"],
  table: [
    [20, 5],
    [10, 15],
  ],
};

/** Answers from a case × category count table; readers are numbered within each case (their identity is unknown). */
export function answersFromCountTable(counts: number[][], categories?: string[]): Answer[] {
  const answers: Answer[] = [];
  counts.forEach((row, i) => {
    let reader = 0;
    row.forEach((count, j) => {
      for (let c = 0; c < count; c++) {
        answers.push({
          caseId: `case${i + 1}`,
          readerId: `r${++reader}`,
          choice: categories ? categories[j] : `c${j + 1}`,
        });
      }
    });
  });
  return answers;
}

/** Answers from per-reader columns of values (null = missing), case ids u1..un. */
export function answersFromReaderColumns(columns: Record<string, (string | null)[]>): Answer[] {
  const answers: Answer[] = [];
  for (const [readerId, values] of Object.entries(columns)) {
    values.forEach((choice, i) => answers.push({ caseId: `u${i + 1}`, readerId, choice }));
  }
  return answers;
}

/** Answers of two readers A and B from their contingency table (rows: A's category, columns: B's). */
export function answersFromContingency(table: number[][], categories: string[]): Answer[] {
  const answers: Answer[] = [];
  let item = 0;
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      for (let c = 0; c < count; c++) {
        item++;
        answers.push({ caseId: `item${item}`, readerId: "A", choice: categories[i] });
        answers.push({ caseId: `item${item}`, readerId: "B", choice: categories[j] });
      }
    }),
  );
  return answers;
}
