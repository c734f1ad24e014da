// The results page's statistics of rating and ranking questions. They are computed from the tidy export's rows with
// the same functions `focus stats --input <tidy.csv> --question <id>` calls (lib/stats/question-statistics.ts), so
// the page and an offline re-analysis of the export agree by construction.
import { distinctSorted } from "../stats/answers";
import {
  rankingStatistics,
  ratingStatistics,
  type RankingStatistics,
  type RatingStatistics,
} from "../stats/question-statistics";
import { rankingAnswersFromRows, ratingAnswersFromRows } from "../stats/tidy-answers";
import { studyTidyRows, type TidyRow } from "../export/study-exports";
import type { StudyQuestion } from "./study-questions";

export type QuestionResult =
  | { id: string; type: "rating"; wording: string; stats: RatingStatistics | null }
  | { id: string; type: "ranking"; wording: string; stats: RankingStatistics | null };

/** Rows as the CLI reads them from the CSV: text values under the CSV's column names, reader = pseudonym. */
function asCsvRows(rows: readonly TidyRow[]) {
  return rows.map((r, i) => ({
    line: i + 2,
    values: { case_id: String(r.case_id), reader_id: String(r.reader), arm: String(r.arm), answer: String(r.answer) },
  }));
}

/**
 * One result per rating or ranking question, in the study's order; `leftOut` holds the pseudonyms of readers whose
 * answers do not count (revoked, excluded), as the CLI leaves out rows by `reader_status`. No answers: stats null.
 */
export function questionResultsFromRows(
  questions: readonly StudyQuestion[],
  rows: readonly TidyRow[],
  leftOut: ReadonlySet<string>,
): QuestionResult[] {
  const out: QuestionResult[] = [];
  for (const q of questions) {
    if (q.type !== "rating" && q.type !== "ranking") continue;
    // First readings only, as the CLI reads them (a repeated case's second answer is for intra-reader agreement).
    const mine = asCsvRows(
      rows.filter((r) => r.question_id === q.id && !leftOut.has(String(r.reader)) && Number(r.repeat ?? 0) === 0),
    );
    // The arms seen, sorted: the CLI's default; every complete answer names every arm.
    const arms = distinctSorted(mine.map((r) => r.values.arm));
    if (q.type === "rating")
      out.push({
        id: q.id,
        type: "rating",
        wording: q.wording,
        stats: mine.length ? ratingStatistics(ratingAnswersFromRows(mine), arms) : null,
      });
    else
      out.push({
        id: q.id,
        type: "ranking",
        wording: q.wording,
        stats: mine.length ? rankingStatistics(rankingAnswersFromRows(mine), arms) : null,
      });
  }
  return out;
}

export async function questionResults(studyId: string, leftOut: ReadonlySet<string>): Promise<QuestionResult[]> {
  const { questions, rows } = await studyTidyRows(studyId);
  if (!questions.some((q) => q.type === "rating" || q.type === "ranking")) return [];
  return questionResultsFromRows(questions, rows, leftOut);
}
