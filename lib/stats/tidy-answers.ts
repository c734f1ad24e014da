// Rating and ranking answers from the rows of one question of the study's tidy export (read with
// readAnswerRows(text, { question })): one row per reader × case × map, `arm` naming the map's arm and `answer`
// holding the rating (e.g. 1–5) or the rank (1 = best; tied maps share a rank, as in "1 2 2 4").
import { AnswerDataError } from "./answers";
import type { AnswerRows } from "./answers-csv";
import { type RankingAnswer, rankingFromPositions } from "./ranking";
import type { RatingAnswer } from "./rating-statistics";

type Rows = AnswerRows["rows"];

function numberAt(row: Rows[number], what: string): number {
  const raw = (row.values["answer"] ?? "").trim();
  const value = Number(raw);
  if (raw === "" || !Number.isFinite(value)) {
    throw new AnswerDataError(`line ${row.line}: the ${what} "${raw}" is not a number`);
  }
  return value;
}

function armAt(row: Rows[number]): string {
  const arm = (row.values["arm"] ?? "").trim();
  if (arm === "") throw new AnswerDataError(`line ${row.line}: the arm is empty`);
  return arm;
}

/** One RatingAnswer per row. */
export function ratingAnswersFromRows(rows: Rows): RatingAnswer[] {
  return rows.map((row) => ({
    caseId: row.values["case_id"].trim(),
    readerId: row.values["reader_id"].trim(),
    arm: armAt(row),
    rating: numberAt(row, "rating"),
  }));
}

/** One RankingAnswer per reader × case, from the rank of each arm (equal ranks are ties). */
export function rankingAnswersFromRows(rows: Rows): RankingAnswer[] {
  const byAnswer = new Map<string, { caseId: string; readerId: string; positions: Record<string, number> }>();
  for (const row of rows) {
    const caseId = row.values["case_id"].trim();
    const readerId = row.values["reader_id"].trim();
    const key = JSON.stringify([caseId, readerId]);
    let entry = byAnswer.get(key);
    if (!entry) byAnswer.set(key, (entry = { caseId, readerId, positions: {} }));
    const arm = armAt(row);
    if (Object.hasOwn(entry.positions, arm)) {
      throw new AnswerDataError(`line ${row.line}: reader "${readerId}" ranked arm "${arm}" twice on case "${caseId}"`);
    }
    entry.positions[arm] = numberAt(row, "rank");
  }
  return [...byAnswer.values()].map((e) => ({
    caseId: e.caseId,
    readerId: e.readerId,
    ranking: rankingFromPositions(e.positions),
  }));
}
