// Statistics of ranking questions over readers' answers: Plackett–Luce worths per arm and Kendall's W.
import { compareCodeUnits } from "./answers";
import { type Estimate, NEEDS_TWO_READERS, defined, undefinedBecause } from "./estimate";
import { type KendallWResult, kendallW } from "./kendall-w";
import { type PlackettLuceOptions, type PlackettLuceResult, plackettLuce } from "./plackett-luce";
import { type RankingAnswer, rankPositions, validateRankingAnswers } from "./ranking";

/** Plackett–Luce worths from every reader × case ranking (each one observation). */
export function rankingWorths(
  answers: readonly RankingAnswer[],
  options: PlackettLuceOptions = {},
): Estimate<PlackettLuceResult> {
  const arms = validateRankingAnswers(answers, options.arms);
  return plackettLuce(
    answers.map((a) => a.ranking),
    { ...options, arms },
  );
}

export interface CaseConcordance {
  caseId: string;
  w: Estimate<KendallWResult>;
}

export interface RankingConcordance {
  arms: string[];
  /**
   * W over all complete rankings, each reader × case ranking one rater of the arms: do readers rank the arms
   * alike across cases? Its χ² is the Friedman test of the arms with rankings as blocks.
   */
  pooled: Estimate<KendallWResult>;
  /** W across the readers of each case (agreement on that case). */
  per_case: CaseConcordance[];
  /** Mean of the defined per-case W. */
  mean_case_w: Estimate<{ w: number; n_cases: number }>;
  /** Rankings left out because they do not rank every arm. */
  n_incomplete: number;
}

/**
 * Kendall's W (tie-corrected) across readers. Only rankings of every arm count, since W compares full rankings;
 * tied arms share the mean position.
 */
export function rankingConcordance(answers: readonly RankingAnswer[], arms?: readonly string[]): RankingConcordance {
  const armList = validateRankingAnswers(answers, arms);
  const rows = new Map<string, number[][]>();
  const all: number[][] = [];
  let incomplete = 0;
  for (const a of answers) {
    const positions = rankPositions(a.ranking);
    if (armList.some((arm) => !positions.has(arm))) {
      incomplete++;
      continue;
    }
    const row = armList.map((arm) => positions.get(arm)!);
    all.push(row);
    let list = rows.get(a.caseId);
    if (!list) rows.set(a.caseId, (list = []));
    list.push(row);
  }
  const perCase = [...rows.keys()].sort(compareCodeUnits).map((caseId) => ({ caseId, w: kendallW(rows.get(caseId)!) }));
  const definedW = perCase.flatMap((c) => (c.w.defined ? [c.w.w] : []));
  return {
    arms: armList,
    pooled: kendallW(all),
    per_case: perCase,
    mean_case_w:
      definedW.length === 0
        ? undefinedBecause(NEEDS_TWO_READERS + " on some case")
        : defined({ w: definedW.reduce((s, w) => s + w, 0) / definedW.length, n_cases: definedW.length }),
    n_incomplete: incomplete,
  };
}
