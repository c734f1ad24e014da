// How the newer estimators say "there is no value": a typed result naming the reason, never NaN or a made-up
// number. The older coefficients return null with a note in `summary.notes`; these carry the reason with them so
// a page, the CLI and an export can all print the same words.

/** A statistic that the data do not define, and why (e.g. "needs ≥ 2 readers"). */
export interface Undefined {
  defined: false;
  because: string;
}

/** Either the statistic's fields with `defined: true`, or the reason it is undefined. */
export type Estimate<T extends object> = ({ defined: true } & T) | Undefined;

/** The wording the results page already uses for agreement coefficients with one reader. */
export const NEEDS_TWO_READERS = "needs ≥ 2 readers";

export function undefinedBecause(because: string): Undefined {
  return { defined: false, because };
}

export function defined<T extends object>(value: T): { defined: true } & T {
  return { defined: true, ...value };
}
