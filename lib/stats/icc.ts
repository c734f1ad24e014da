// Intraclass correlation, two-way random effects, absolute agreement (Shrout & Fleiss 1979 ICC(2,1) and
// ICC(2,k); McGraw & Wong 1996 ICC(A,1) and ICC(A,k)), computed as irr::icc(model = "twoway",
// type = "agreement") 0.84.1 reports it, so a reader of the paper can reproduce every digit in R:
// - F test of H0: ICC = 0: F = MS_rows / MS_error with df1 = n − 1 and df2 = the Satterthwaite v that irr
//   derives from the estimated coefficient. (irrNA::icc_corr argues df2 should be (n − 1)(k − 1) at r0 = 0; we
//   follow irr because that is what published analyses print.)
// - 95 % interval of McGraw & Wong (1996) Table 7, with v computed from the coefficient being reported (for the
//   average measure irr also uses the average coefficient there).
import { type Estimate, NEEDS_TWO_READERS, defined, undefinedBecause } from "./estimate";
import { fQuantile, fSurvival } from "./t-and-f-distributions";

export interface IccFTest {
  f: number;
  df1: number;
  /** Satterthwaite degrees of freedom, generally fractional (irr prints it with one decimal). */
  df2: number;
  p_value: number;
}

export interface IccInterval {
  low: number;
  high: number;
}

export interface IccMeasure {
  icc: number;
  /** Undefined when the residual mean square is 0 (readers' ratings differ by at most a constant per reader). */
  f_test: Estimate<IccFTest>;
  interval: Estimate<IccInterval>;
}

export interface IccResult {
  n_subjects: number;
  n_raters: number;
  ms_rows: number;
  ms_columns: number;
  ms_error: number;
  /** ICC(A,1): the agreement of one reader's rating with another's. */
  single: Estimate<IccMeasure>;
  /** ICC(A,k): the agreement of the mean of k readers' ratings. */
  average: Estimate<IccMeasure>;
}

function sampleVariance(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
}

/** The two-way ANOVA mean squares, computed the way irr does (from sample variances). */
function meanSquares(ratings: readonly (readonly number[])[]) {
  const n = ratings.length;
  const k = ratings[0].length;
  const all = ratings.flat();
  const ssTotal = sampleVariance(all) * (n * k - 1);
  const msRows = sampleVariance(ratings.map((row) => row.reduce((s, v) => s + v, 0) / k)) * k;
  const columnMeans = Array.from({ length: k }, (_, j) => ratings.reduce((s, row) => s + row[j], 0) / n);
  const msColumns = sampleVariance(columnMeans) * n;
  // Rounding can push an exact zero slightly negative; the residual mean square is never below 0.
  const msError = Math.max(0, (ssTotal - msRows * (n - 1) - msColumns * (k - 1)) / ((n - 1) * (k - 1)));
  return { n, k, msRows, msColumns, msError };
}

function satterthwaite(coefficient: number, n: number, k: number, msColumns: number, msError: number): number {
  const a = (k * coefficient) / (n * (1 - coefficient));
  const b = 1 + (k * coefficient * (n - 1)) / (n * (1 - coefficient));
  return (
    (a * msColumns + b * msError) ** 2 / ((a * msColumns) ** 2 / (k - 1) + (b * msError) ** 2 / ((n - 1) * (k - 1)))
  );
}

const NO_RESIDUAL = "no residual variation (each reader's ratings differ from the others' by a constant)";

/**
 * ICC(A,1) and ICC(A,k) of a subjects × raters matrix with no missing values (drop incomplete subjects first,
 * as irr does with na.omit). `confidence` is the interval's level (default 0.95).
 */
export function iccTwoWayAgreement(ratings: readonly (readonly number[])[], confidence = 0.95): Estimate<IccResult> {
  if (ratings.length > 0 && ratings[0].length < 2) return undefinedBecause(NEEDS_TWO_READERS);
  if (ratings.length < 2) return undefinedBecause("needs ≥ 2 maps rated by every reader");
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  ratings.forEach((row, i) => {
    if (row.length !== ratings[0].length) throw new RangeError(`subject ${i + 1} has ${row.length} ratings`);
    if (row.some((v) => !Number.isFinite(v))) throw new RangeError(`subject ${i + 1} has a non-finite rating`);
  });
  const { n, k, msRows, msColumns, msError } = meanSquares(ratings);
  const scale = Math.max(msRows, msColumns, 1e-300);
  if (msRows + msColumns + msError <= 1e-12 * Math.max(1, scale)) {
    return undefinedBecause("every rating is the same value");
  }
  const alpha = 1 - confidence;
  const residual = msError > 1e-12 * scale;

  const measure = (coefficient: number, bounds: (fl: number, fu: number) => IccInterval): IccMeasure => {
    if (!residual) {
      return { icc: coefficient, f_test: undefinedBecause(NO_RESIDUAL), interval: undefinedBecause(NO_RESIDUAL) };
    }
    const v = satterthwaite(coefficient, n, k, msColumns, msError);
    const f = msRows / msError;
    return {
      icc: coefficient,
      f_test: defined({ f, df1: n - 1, df2: v, p_value: fSurvival(f, n - 1, v) }),
      interval: defined(bounds(fQuantile(1 - alpha / 2, n - 1, v), fQuantile(1 - alpha / 2, v, n - 1))),
    };
  };

  const single = measure(
    (msRows - msError) / (msRows + (k - 1) * msError + (k / n) * (msColumns - msError)),
    (fl, fu) => ({
      low: (n * (msRows - fl * msError)) / (fl * (k * msColumns + (k * n - k - n) * msError) + n * msRows),
      high: (n * (fu * msRows - msError)) / (k * msColumns + (k * n - k - n) * msError + n * fu * msRows),
    }),
  );

  const averageDenominator = msRows + (msColumns - msError) / n;
  const average: Estimate<IccMeasure> =
    averageDenominator <= 0
      ? undefinedBecause("the variation between maps is too small against the residual variation")
      : defined(
          measure((msRows - msError) / averageDenominator, (fl, fu) => ({
            low: (n * (msRows - fl * msError)) / (fl * (msColumns - msError) + n * msRows),
            high: (n * (fu * msRows - msError)) / (msColumns - msError + n * fu * msRows),
          })),
        );

  return defined({
    n_subjects: n,
    n_raters: k,
    ms_rows: msRows,
    ms_columns: msColumns,
    ms_error: msError,
    single: defined(single),
    average,
  });
}
