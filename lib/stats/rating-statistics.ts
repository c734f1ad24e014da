// Statistics of rating questions (each reader rates every arm's map on a case, e.g. 1–5): per-arm means with
// t intervals, the Friedman test with cases as blocks, and the ICC across readers.
import { AnswerDataError, compareCodeUnits, distinctSorted } from "./answers";
import { type Estimate, NEEDS_TWO_READERS, defined, undefinedBecause } from "./estimate";
import { type FriedmanResult, friedmanTest } from "./friedman";
import { type IccResult, iccTwoWayAgreement } from "./icc";
import { type MeanWithInterval, meanWithTInterval } from "./mean-interval";

/** One reader's rating of one arm's map on one case (tidy form: one row per reader × case × arm). */
export interface RatingAnswer {
  caseId: string;
  readerId: string;
  arm: string;
  rating: number;
}

/** Checks ids, values and uniqueness; a second rating of the same map by the same reader is an error. */
export function validateRatings(ratings: readonly RatingAnswer[], arms?: readonly string[]): string[] {
  const seen = new Set<string>();
  ratings.forEach((r, i) => {
    for (const field of ["caseId", "readerId", "arm"] as const) {
      if (typeof r[field] !== "string" || r[field].trim() === "") {
        throw new AnswerDataError(`rating ${i + 1}: ${field} is empty`);
      }
    }
    if (typeof r.rating !== "number" || !Number.isFinite(r.rating)) {
      throw new AnswerDataError(`rating ${i + 1}: the rating must be a finite number`);
    }
    const key = JSON.stringify([r.caseId, r.readerId, r.arm]);
    if (seen.has(key)) {
      throw new AnswerDataError(`reader "${r.readerId}" rated arm "${r.arm}" on case "${r.caseId}" more than once`);
    }
    seen.add(key);
  });
  if (arms === undefined) return distinctSorted(ratings.map((r) => r.arm));
  const known = new Set(arms);
  if (known.size !== arms.length) throw new AnswerDataError("the declared arms contain duplicates");
  for (const r of ratings) {
    if (!known.has(r.arm)) throw new AnswerDataError(`arm "${r.arm}" is not among the declared arms`);
  }
  return [...arms];
}

export interface ArmRatingMean {
  arm: string;
  /** Mean of all ratings of the arm (every reader × case), with a t interval over those ratings. */
  mean: Estimate<MeanWithInterval>;
}

/**
 * Mean rating per arm with a t-based 95 % interval. The ratings of one case by several readers are treated as
 * independent, as a plain mean-and-CI table does; the Friedman test and the ICC below account for the design.
 */
export function ratingMeansByArm(
  ratings: readonly RatingAnswer[],
  arms?: readonly string[],
  confidence = 0.95,
): ArmRatingMean[] {
  const armList = validateRatings(ratings, arms);
  return armList.map((arm) => ({
    arm,
    mean: meanWithTInterval(
      ratings.filter((r) => r.arm === arm).map((r) => r.rating),
      confidence,
    ),
  }));
}

export interface RatingFriedmanResult extends FriedmanResult {
  arms: string[];
  /** Cases left out because some arm has no rating on them. */
  n_cases_incomplete: number;
}

/**
 * Friedman test of the arms with cases as blocks. Within a case the value of an arm is the mean of its readers'
 * ratings (so several readers do not make one case count several times); cases where an arm has no rating are
 * left out.
 */
export function ratingFriedman(
  ratings: readonly RatingAnswer[],
  arms?: readonly string[],
): Estimate<RatingFriedmanResult> {
  const armList = validateRatings(ratings, arms);
  const sums = new Map<string, { sum: number[]; count: number[] }>();
  const armIndex = new Map(armList.map((a, j) => [a, j]));
  for (const r of ratings) {
    let cell = sums.get(r.caseId);
    if (!cell) {
      cell = { sum: new Array<number>(armList.length).fill(0), count: new Array<number>(armList.length).fill(0) };
      sums.set(r.caseId, cell);
    }
    const j = armIndex.get(r.arm)!;
    cell.sum[j] += r.rating;
    cell.count[j] += 1;
  }
  const blocks: number[][] = [];
  let incomplete = 0;
  for (const caseId of [...sums.keys()].sort(compareCodeUnits)) {
    const { sum, count } = sums.get(caseId)!;
    if (count.some((c) => c === 0)) incomplete++;
    else blocks.push(sum.map((s, j) => s / count[j]));
  }
  const result = friedmanTest(blocks);
  if (!result.defined) return result;
  return defined({ ...result, arms: armList, n_cases_incomplete: incomplete });
}

export interface RatingIccResult extends IccResult {
  readers: string[];
  /** Maps (case × arm) rated by every reader, the subjects of the ICC. */
  n_maps: number;
  /** Maps left out because some reader did not rate them (irr's listwise deletion). */
  n_maps_incomplete: number;
}

/**
 * ICC(A,1) and ICC(A,k) across readers, each map (case × arm) a subject and each reader a rater. Maps not rated
 * by every reader are left out, as irr::icc does with na.omit.
 */
export function ratingIcc(
  ratings: readonly RatingAnswer[],
  arms?: readonly string[],
  confidence = 0.95,
): Estimate<RatingIccResult> {
  validateRatings(ratings, arms);
  const readers = distinctSorted(ratings.map((r) => r.readerId));
  const readerIndex = new Map(readers.map((r, i) => [r, i]));
  const byMap = new Map<string, (number | undefined)[]>();
  for (const r of ratings) {
    const key = JSON.stringify([r.caseId, r.arm]);
    let row = byMap.get(key);
    // Filled, not sparse: `every` below skips the holes of a sparse array.
    if (!row) byMap.set(key, (row = new Array<number | undefined>(readers.length).fill(undefined)));
    row[readerIndex.get(r.readerId)!] = r.rating;
  }
  const keys = [...byMap.keys()].sort(compareCodeUnits);
  const complete = keys.map((k) => byMap.get(k)!).filter((row): row is number[] => row.every((v) => v !== undefined));
  if (readers.length < 2) return undefinedBecause(NEEDS_TWO_READERS);
  const result = iccTwoWayAgreement(complete, confidence);
  if (!result.defined) return result;
  return defined({
    ...result,
    readers,
    n_maps: complete.length,
    n_maps_incomplete: keys.length - complete.length,
  });
}
