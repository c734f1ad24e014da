// Everything shown for one rating or ranking question, as one JSON-ready object. The results page and
// `focus stats --question <id>` both call these, so they agree by construction.
import {
  type ArmRatingMean,
  type RatingFriedmanResult,
  type RatingIccResult,
  ratingFriedman,
  ratingIcc,
  ratingMeansByArm,
  type RatingAnswer,
  validateRatings,
} from "./rating-statistics";
import type { Estimate } from "./estimate";
import type { PlackettLuceResult } from "./plackett-luce";
import type { RankingAnswer } from "./ranking";
import { type RankingConcordance, rankingConcordance, rankingWorths } from "./ranking-statistics";
import { validateRankingAnswers } from "./ranking";

export interface RatingStatistics {
  kind: "rating";
  arms: string[];
  n_ratings: number;
  n_readers: number;
  n_cases: number;
  means: ArmRatingMean[];
  friedman: Estimate<RatingFriedmanResult>;
  icc: Estimate<RatingIccResult>;
}

/** Per-arm means with t intervals, the Friedman test (cases as blocks) and ICC(A,1)/ICC(A,k) across readers. */
export function ratingStatistics(ratings: readonly RatingAnswer[], arms?: readonly string[]): RatingStatistics {
  const armList = validateRatings(ratings, arms);
  return {
    kind: "rating",
    arms: armList,
    n_ratings: ratings.length,
    n_readers: new Set(ratings.map((r) => r.readerId)).size,
    n_cases: new Set(ratings.map((r) => r.caseId)).size,
    means: ratingMeansByArm(ratings, armList),
    friedman: ratingFriedman(ratings, armList),
    icc: ratingIcc(ratings, armList),
  };
}

export interface RankingStatistics {
  kind: "ranking";
  arms: string[];
  n_rankings: number;
  n_readers: number;
  n_cases: number;
  worths: Estimate<PlackettLuceResult>;
  concordance: RankingConcordance;
}

/** Plackett–Luce worths with intervals, and Kendall's W pooled and per case. */
export function rankingStatistics(rankings: readonly RankingAnswer[], arms?: readonly string[]): RankingStatistics {
  const armList = validateRankingAnswers(rankings, arms);
  return {
    kind: "ranking",
    arms: armList,
    n_rankings: rankings.length,
    n_readers: new Set(rankings.map((r) => r.readerId)).size,
    n_cases: new Set(rankings.map((r) => r.caseId)).size,
    worths: rankingWorths(rankings, { arms: armList }),
    concordance: rankingConcordance(rankings, armList),
  };
}
