import { test } from "node:test";
import assert from "node:assert/strict";
import { questionMethodsSentence, questionSectionsHtml } from "./report-questions";
import { reportTablesOf } from "./report-table-html";
import { questionResultsFromRows } from "../studies/question-results";
import type { TidyRow } from "./study-exports";
import { EVERY_QUESTION_TYPE } from "../testing/question-templates";

function row(reader: string, caseId: string, questionId: string, arm: string, answer: number): TidyRow {
  const blank = {} as Record<string, null>;
  return { ...blank, reader, case_id: caseId, question_id: questionId, arm, answer } as unknown as TidyRow;
}

/** Three readers rate and rank four maps on three cases, with some spread, so every statistic is defined. */
function answeredRows(): TidyRow[] {
  const arms = ["baseline", "cbam", "gc", "se"];
  const rows: TidyRow[] = [];
  for (const [r, reader] of ["R-1", "R-2", "R-3"].entries())
    for (const [c, caseId] of ["c1", "c2", "c3"].entries())
      arms.forEach((arm, i) => {
        rows.push(row(reader, caseId, "q2", arm, ((i * 2 + r + c) % 5) + 1));
        rows.push(row(reader, caseId, "q3", arm, ((i + r * c) % 4) + 1));
      });
  return rows;
}

test("the report prints every rating and ranking figure of the results page, each table as its own CSV", () => {
  const results = questionResultsFromRows(EVERY_QUESTION_TYPE, answeredRows(), new Set());
  const html = questionSectionsHtml(results);
  const tables = reportTablesOf(html);
  const rating = results.find((q) => q.type === "rating")!.stats!;
  const ranking = results.find((q) => q.type === "ranking")!.stats!;
  assert.equal(rating.kind, "rating");
  assert.equal(ranking.kind, "ranking");

  const means = tables.get("q2-rating")!;
  assert.deepEqual(means[0], ["Model", "Ratings", "Mean (1–5)", "95 % interval (t)"]);
  for (const m of rating.kind === "rating" ? rating.means : []) {
    assert.ok(m.mean.defined && m.mean.interval.defined);
    const line = means.find((cells) => cells[0] === m.arm)!;
    assert.deepEqual(line, [
      m.arm,
      String(m.mean.n),
      m.mean.mean.toFixed(2),
      `${m.mean.interval.low.toFixed(2)} – ${m.mean.interval.high.toFixed(2)}`,
    ]);
  }
  const ratingTests = tables.get("q2-rating-tests")!;
  assert.ok(rating.kind === "rating" && rating.friedman.defined && rating.icc.defined && rating.icc.single.defined);
  assert.match(ratingTests[0][1], new RegExp(`^χ² ${rating.friedman.statistic.toFixed(3)} \\(df 3\\)`));
  assert.ok(ratingTests[1][1].startsWith(rating.icc.single.icc.toFixed(3)), ratingTests[1][1]);

  assert.ok(ranking.kind === "ranking" && ranking.worths.defined && ranking.concordance.pooled.defined);
  const worths = tables.get("q3-ranking")!;
  assert.equal(worths[0][1], "Plackett–Luce worth");
  for (const a of ranking.worths.arms)
    assert.deepEqual(
      worths.find((cells) => cells[0] === a.arm),
      [a.arm, a.worth.toFixed(3), `${a.ci_low.toFixed(3)} – ${a.ci_high.toFixed(3)}`],
    );
  assert.ok(tables.get("q3-ranking-tests")![0][1].startsWith(`${ranking.concordance.pooled.w.toFixed(3)}, χ²`));
  assert.match(questionMethodsSentence(results), /Friedman.*Plackett–Luce/);
});

test("a study without rating or ranking questions has no such section; one without answers says so", () => {
  assert.equal(questionSectionsHtml([]), "");
  assert.equal(questionMethodsSentence([]), "");
  const empty = questionResultsFromRows(EVERY_QUESTION_TYPE, [], new Set());
  assert.match(questionSectionsHtml(empty), /No ratings yet\.[\s\S]*No rankings yet\./);
  // Wording is the coordinator's text: escaped, never markup.
  const hostile = empty.map((q) => ({ ...q, wording: "<script>x</script>" }));
  assert.ok(!questionSectionsHtml(hostile).includes("<script>"));
});
