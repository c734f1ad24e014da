// The study report's rating and ranking questions: the same figures as the results page (lib/studies/
// question-results.ts, computed from the tidy export's rows), as print-ready tables. Each table is named
// `report-<question>-<kind>`, so report-tables.ts offers it as CSV like every other table of the report.
import type { Estimate } from "../stats/estimate";
import type { RankingStatistics, RatingStatistics } from "../stats/question-statistics";
import type { QuestionResult } from "../studies/question-results";
import { escapeHtml, num, rowsHtml } from "./report-text";

/** The statistic, or the reason the data do not define it. */
function valueOr<T extends object>(e: Estimate<T>, show: (v: T) => string): string {
  return e.defined ? show(e) : escapeHtml(e.because);
}

function ratingHtml(id: string, s: RatingStatistics): string {
  const means = rowsHtml(
    s.means.map((m) => [
      escapeHtml(m.arm),
      String(m.mean.defined ? m.mean.n : 0),
      m.mean.defined ? num(m.mean.mean, 2) : "—",
      m.mean.defined
        ? valueOr(m.mean.interval, (i) => `${num(i.low, 2)} – ${num(i.high, 2)}`)
        : escapeHtml(m.mean.because),
    ]),
  );
  const icc = (pick: "single" | "average") =>
    valueOr(s.icc, (r) =>
      valueOr(
        r[pick],
        (m) => `${num(m.icc)}${m.interval.defined ? ` (95 % ${num(m.interval.low)} – ${num(m.interval.high)})` : ""}`,
      ),
    );
  const tests = rowsHtml([
    [
      "Friedman test, cases as blocks",
      valueOr(s.friedman, (f) => `χ² ${num(f.statistic)} (df ${f.df}), p ${num(f.p_value, 4)}, ${f.n_blocks} cases`),
    ],
    ["ICC(A,1), two-way random, absolute agreement", icc("single")],
    ["ICC(A,k), mean of the readers", icc("average")],
  ]);
  return (
    `<table data-testid="report-${id}-rating">\n<tr><th>Model</th><th>Ratings</th><th>Mean (1–5)</th>` +
    `<th>95 % interval (t)</th></tr>\n${means}\n</table>\n<table data-testid="report-${id}-rating-tests">\n${tests}\n</table>`
  );
}

function rankingHtml(id: string, s: RankingStatistics): string {
  const worths = valueOr(s.worths, (w) => {
    const rows = rowsHtml(w.arms.map((a) => [escapeHtml(a.arm), num(a.worth), `${num(a.ci_low)} – ${num(a.ci_high)}`]));
    const model = w.model === "plackett-luce" ? "Plackett–Luce" : "Bradley–Terry";
    return (
      `<table data-testid="report-${id}-ranking">\n<tr><th>Model</th><th>${model} worth</th>` +
      `<th>95 % interval</th></tr>\n${rows}\n</table>`
    );
  });
  const c = s.concordance;
  const tests = rowsHtml([
    [
      "Kendall's W across readers (pooled over cases)",
      valueOr(c.pooled, (k) => `${num(k.w)}, χ² ${num(k.chi_square)} (df ${k.df}), p ${num(k.p_value, 4)}`),
    ],
    ["Mean W per case", valueOr(c.mean_case_w, (m) => `${num(m.w)} over ${m.n_cases} cases`)],
  ]);
  return `${s.worths.defined ? worths : `<p>Worths: ${worths}</p>`}\n<table data-testid="report-${id}-ranking-tests">\n${tests}\n</table>`;
}

/** One subsection per rating or ranking question, in the study's order; nothing when the study asks none. */
export function questionSectionsHtml(questions: readonly QuestionResult[]): string {
  if (questions.length === 0) return "";
  const parts = questions.map((q) => {
    const title = `<h3>${escapeHtml(q.wording)}</h3>`;
    if (!q.stats) return `${title}<p>No ${q.type === "rating" ? "ratings" : "rankings"} yet.</p>`;
    return `${title}\n${q.type === "rating" ? ratingHtml(q.id, q.stats) : rankingHtml(q.id, q.stats)}`;
  });
  return `<section id="questions"><h2>Ratings and rankings</h2>\n${parts.join("\n")}\n</section>`;
}

/** The methods paragraph's sentence on how rating and ranking answers are summarised, or nothing. */
export function questionMethodsSentence(questions: readonly QuestionResult[]): string {
  const kinds = new Set(questions.map((q) => q.type));
  const parts: string[] = [];
  if (kinds.has("rating"))
    parts.push(
      "ratings as means with t intervals, a Friedman test with cases as blocks, and the intraclass correlation " +
        "(two-way random, absolute agreement)",
    );
  if (kinds.has("ranking"))
    parts.push(
      "rankings as Plackett–Luce worths (ties by Breslow's approximation) with Wald intervals, and Kendall's W " +
        "across readers",
    );
  return parts.length ? ` Answers to the further questions are reported as ${parts.join("; ")}.` : "";
}
