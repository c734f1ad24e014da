import { test } from "node:test";
import assert from "node:assert/strict";
import { questionResultsFromRows } from "./question-results";
import { ratingStatistics, rankingStatistics } from "../stats/question-statistics";
import type { TidyRow } from "../export/study-exports";
import type { RatingAnswer } from "../stats/rating-statistics";
import type { RankingAnswer } from "../stats/ranking";
import { EVERY_QUESTION_TYPE } from "../testing/question-templates";

function row(reader: string, caseId: string, questionId: string, arm: string, answer: number): TidyRow {
  const blank = {} as Record<string, null>;
  return { ...blank, reader, case_id: caseId, question_id: questionId, arm, answer } as unknown as TidyRow;
}

test("rating and ranking statistics come from the tidy rows, without left-out readers", () => {
  const arms = ["baseline", "cbam", "gc", "se"];
  const rows: TidyRow[] = [];
  const ratings: RatingAnswer[] = [];
  const rankings: RankingAnswer[] = [];
  for (const [r, reader] of ["R-1", "R-2", "R-3"].entries())
    for (const caseId of ["c1", "c2"]) {
      const ranks: Record<string, number> = {};
      arms.forEach((arm, i) => {
        const rating = ((i + r + caseId.length) % 5) + 1;
        rows.push(row(reader, caseId, "q2", arm, rating));
        if (reader !== "R-3") ratings.push({ caseId, readerId: reader, arm, rating });
        ranks[arm] = ((i + r) % 4) + 1;
        rows.push(row(reader, caseId, "q3", arm, ranks[arm]));
      });
      if (reader !== "R-3")
        rankings.push({
          caseId,
          readerId: reader,
          ranking: arms.map((a) => [a]).sort((x, y) => ranks[x[0]] - ranks[y[0]]),
        });
    }
  const out = questionResultsFromRows(EVERY_QUESTION_TYPE, rows, new Set(["R-3"]));
  assert.deepEqual(
    out.map((q) => [q.id, q.type]),
    [
      ["q2", "rating"],
      ["q3", "ranking"],
    ],
  );
  assert.deepEqual(out[0].stats, ratingStatistics(ratings, arms));
  assert.deepEqual(out[1].stats, rankingStatistics(rankings, arms));
  assert.equal(out[0].stats?.n_readers, 2);
  assert.equal(questionResultsFromRows(EVERY_QUESTION_TYPE, [], new Set())[0].stats, null);
});
