// Student's t and Fisher's F distributions, through the regularized incomplete beta function of jStat
// (npm `jstat`, pinned): a single dependency-free file, unlike the @stdlib packages that pull in some two hundred
// modules for the same four functions. jStat's continued fraction stops at a relative change of 3e-7, so
// p-values and quantiles agree with R's to about 7 significant digits (see t-and-f-distributions.test.ts),
// far more than a report prints. The chi-square tail stays in distributions.ts (our own incomplete gamma).
import jStat from "jstat";

function checkDf(df: number, name: string): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`${name} needs degrees of freedom > 0, got ${df}`);
}

function checkProbability(p: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`a quantile needs 0 < p < 1, got ${p}`);
}

/** Upper tail P(T > t) of Student's t with `df` degrees of freedom. */
export function tSurvival(t: number, df: number): number {
  checkDf(df, "t");
  if (Number.isNaN(t)) throw new RangeError("t is NaN");
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2); computing the small tail directly keeps its relative accuracy.
  const twoSided = jStat.ibeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? twoSided / 2 : 1 - twoSided / 2;
}

/** Quantile of Student's t: the t with P(T ≤ t) = p. */
export function tQuantile(p: number, df: number): number {
  checkDf(df, "t");
  checkProbability(p);
  if (p === 0.5) return 0;
  const tail = Math.min(p, 1 - p);
  // P(|T| > t) = 2·tail = I_x(df/2, 1/2) with x = df/(df+t²).
  const x = jStat.ibetainv(2 * tail, df / 2, 0.5);
  const t = Math.sqrt((df * (1 - x)) / x);
  return p > 0.5 ? t : -t;
}

/** Upper tail P(F > f) of Fisher's F with (df1, df2) degrees of freedom; df2 may be fractional (Satterthwaite). */
export function fSurvival(f: number, df1: number, df2: number): number {
  checkDf(df1, "F");
  checkDf(df2, "F");
  if (Number.isNaN(f)) throw new RangeError("F is NaN");
  if (f <= 0) return 1;
  if (f === Infinity) return 0;
  return jStat.ibeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2);
}

/** Quantile of Fisher's F: the f with P(F ≤ f) = p. */
export function fQuantile(p: number, df1: number, df2: number): number {
  checkDf(df1, "F");
  checkDf(df2, "F");
  checkProbability(p);
  // P(F ≤ f) = I_x(df1/2, df2/2) with x = df1·f / (df1·f + df2).
  const x = jStat.ibetainv(p, df1 / 2, df2 / 2);
  return (df2 * x) / (df1 * (1 - x));
}
