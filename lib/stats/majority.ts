// Per-case majority: which choice most readers made on each case, and how large that majority was.
import type { Answer } from "./answers";
import { buildRatingTable } from "./rating-table";

export interface CaseMajority {
  case_id: string;
  n_answers: number;
  n_missing: number;
  counts: Record<string, number>;
  /** The single most frequent choice; null when the top count is tied or the case has no answers. */
  majority: string | null;
  /** The choices sharing the top count when there is a tie (two or more), else empty. */
  tied: string[];
  /** Top count / given answers (also reported for ties); null when the case has no answers. */
  share: number | null;
}

export function perCaseMajority(answers: readonly Answer[], choices?: readonly string[]): CaseMajority[] {
  const table = buildRatingTable(answers, choices);
  const missingByCase = new Map<string, number>();
  for (const a of answers) {
    if (a.choice == null || a.choice.trim() === "") missingByCase.set(a.caseId, (missingByCase.get(a.caseId) ?? 0) + 1);
  }
  return table.caseIds.map((caseId, i) => {
    const row = table.counts[i];
    const n = row.reduce((s, v) => s + v, 0);
    const top = Math.max(0, ...row);
    const leaders = n === 0 ? [] : table.choices.filter((_, j) => row[j] === top);
    return {
      case_id: caseId,
      n_answers: n,
      n_missing: missingByCase.get(caseId) ?? 0,
      counts: Object.fromEntries(table.choices.map((c, j) => [c, row[j]])),
      majority: leaders.length === 1 ? leaders[0] : null,
      tied: leaders.length > 1 ? leaders : [],
      share: n === 0 ? null : top / n,
    };
  });
}
