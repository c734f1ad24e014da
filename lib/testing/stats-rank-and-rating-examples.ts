// Published data sets used by the tests of the ranking and rating statistics, with their sources.

/**
 * R's `friedman.test` help page example (Hollander & Wolfe 1973, p. 140): times to round first base by three
 * methods ("Round Out", "Narrow Angle", "Wide Angle") for 22 players. R reports
 * Friedman chi-squared = 11.143, df = 2, p-value = 0.003805. Several players tie two methods.
 */
export const ROUNDING_TIMES: number[][] = [
  [5.4, 5.5, 5.55],
  [5.85, 5.7, 5.75],
  [5.2, 5.6, 5.5],
  [5.55, 5.5, 5.4],
  [5.9, 5.85, 5.7],
  [5.45, 5.55, 5.6],
  [5.4, 5.4, 5.35],
  [5.45, 5.5, 5.35],
  [5.25, 5.15, 5.0],
  [5.85, 5.8, 5.7],
  [5.25, 5.2, 5.1],
  [5.65, 5.55, 5.45],
  [5.6, 5.35, 5.45],
  [5.05, 5.0, 4.95],
  [5.5, 5.5, 5.4],
  [5.45, 5.55, 5.5],
  [5.55, 5.55, 5.35],
  [5.45, 5.5, 5.55],
  [5.5, 5.45, 5.25],
  [5.65, 5.6, 5.4],
  [5.7, 5.65, 5.55],
  [6.3, 6.3, 6.25],
];

/**
 * irr's `anxiety` data (also printed in DescTools' KendallW help page): 20 subjects rated 1–6 by 3 raters
 * (rows: subjects, columns: raters). irr::icc(anxiety, model = "twoway", type = "agreement") reports
 * ICC(A,1) = 0.198, F(19,39.7) = 1.83, p = 0.0543, 95 % CI −0.039 < ICC < 0.494.
 */
export const ANXIETY: number[][] = [
  [3, 3, 2],
  [3, 6, 1],
  [3, 4, 4],
  [4, 6, 4],
  [5, 2, 3],
  [5, 4, 2],
  [2, 2, 1],
  [3, 4, 6],
  [5, 3, 1],
  [2, 3, 1],
  [2, 2, 1],
  [6, 3, 2],
  [1, 3, 3],
  [5, 3, 3],
  [2, 2, 1],
  [2, 2, 1],
  [1, 1, 3],
  [2, 3, 3],
  [4, 3, 2],
  [3, 4, 2],
];

/**
 * Shrout P.E. & Fleiss J.L. (1979) "Intraclass correlations: uses in assessing rater reliability", Psychol.
 * Bull. 86:420-428, Table 2: 6 targets rated by 4 judges. Table 4 reports ICC(2,1) = .29 and ICC(2,4) = .62
 * (DescTools::ICC: ICC2 0.290, ICC2k 0.620, F = 11.03).
 */
export const SHROUT_FLEISS: number[][] = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
];

/**
 * DescTools' KendallW help page / vignette example without ties: 6 subjects ranked by 3 raters (rows: raters,
 * columns: subjects, i.e. transposed from the R matrix). Reported: W = 0.568254, Kendall chi-squared = 8.5238,
 * df = 5, p-value = 0.1296.
 */
export const KENDALL_THREE_RATERS: number[][] = [
  [1, 6, 3, 2, 5, 4],
  [1, 5, 6, 2, 4, 3],
  [2, 3, 6, 5, 4, 1],
];
