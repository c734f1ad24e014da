// The input model of ranking questions: a reader orders the arms' maps on a case, best first, and may tie some.
import { AnswerDataError, compareCodeUnits, distinctSorted } from "./answers";

/** Arms best first; the arms in one inner array are tied (share a position). */
export type Ranking = readonly (readonly string[])[];

/** One reader's ranking on one case. */
export interface RankingAnswer {
  caseId: string;
  readerId: string;
  ranking: Ranking;
}

/** Refuses empty groups, blank or repeated arms, and (with `arms`) arms outside the study. */
export function validateRanking(ranking: Ranking, arms?: ReadonlySet<string>, where = "ranking"): void {
  if (ranking.length === 0) throw new AnswerDataError(`${where}: the ranking is empty`);
  const seen = new Set<string>();
  for (const group of ranking) {
    if (group.length === 0) throw new AnswerDataError(`${where}: a tie group is empty`);
    for (const arm of group) {
      if (typeof arm !== "string" || arm.trim() === "") throw new AnswerDataError(`${where}: an arm is blank`);
      if (seen.has(arm)) throw new AnswerDataError(`${where}: arm "${arm}" appears twice`);
      if (arms && !arms.has(arm)) throw new AnswerDataError(`${where}: arm "${arm}" is not among the declared arms`);
      seen.add(arm);
    }
  }
}

/** Checks every answer (and that no reader ranked a case twice); returns the arms, declared or seen (sorted). */
export function validateRankingAnswers(answers: readonly RankingAnswer[], arms?: readonly string[]): string[] {
  const declared = arms === undefined ? undefined : new Set(arms);
  if (arms !== undefined && declared!.size !== arms.length) {
    throw new AnswerDataError("the declared arms contain duplicates");
  }
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    if (typeof a.caseId !== "string" || a.caseId.trim() === "")
      throw new AnswerDataError(`ranking ${i + 1}: case id is empty`);
    if (typeof a.readerId !== "string" || a.readerId.trim() === "") {
      throw new AnswerDataError(`ranking ${i + 1}: reader id is empty`);
    }
    validateRanking(a.ranking, declared, `ranking ${i + 1} (case "${a.caseId}", reader "${a.readerId}")`);
    const key = JSON.stringify([a.caseId, a.readerId]);
    if (seen.has(key)) throw new AnswerDataError(`reader "${a.readerId}" ranked case "${a.caseId}" more than once`);
    seen.add(key);
  });
  return arms === undefined ? distinctSorted(answers.flatMap((a) => a.ranking.flat())) : [...arms];
}

/**
 * Position of each arm (1 = best; tied arms share the mean of their positions), as the rank matrices of
 * Kendall's W and the Friedman test expect. Arms missing from the ranking are absent from the map.
 */
export function rankPositions(ranking: Ranking): Map<string, number> {
  const positions = new Map<string, number>();
  let next = 1;
  for (const group of ranking) {
    const position = next + (group.length - 1) / 2;
    for (const arm of group) positions.set(arm, position);
    next += group.length;
  }
  return positions;
}

/** A ranking from positions (lower = better; equal positions = a tie), e.g. { A: 1, B: 2, C: 2 }. */
export function rankingFromPositions(positions: Readonly<Record<string, number>>): string[][] {
  const byPosition = new Map<number, string[]>();
  for (const [arm, position] of Object.entries(positions)) {
    if (!Number.isFinite(position)) throw new AnswerDataError(`arm "${arm}": the position must be a finite number`);
    const group = byPosition.get(position);
    if (group) group.push(arm);
    else byPosition.set(position, [arm]);
  }
  return [...byPosition.entries()].sort((a, b) => a[0] - b[0]).map(([, group]) => group.sort(compareCodeUnits));
}
