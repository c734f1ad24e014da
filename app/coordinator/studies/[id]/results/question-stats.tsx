// Rating and ranking questions on the results page. Each number carries its exact value in data-value, as
// `focus stats --input <tidy.csv> --question <id> --json` prints it.
import type { QuestionResult } from "@/lib/studies/question-results";
import type { Estimate } from "@/lib/stats/estimate";
import { formatStat } from "../../format";

function Value({ testid, value, digits = 3 }: { testid: string; value: number | null; digits?: number }) {
  return (
    <span className="font-mono" data-testid={testid} data-value={JSON.stringify(value)}>
      {formatStat(value, digits)}
    </span>
  );
}

/** A statistic, or the reason the data do not define it. */
function EstimateOf<T extends object>({
  e,
  testid,
  children,
}: {
  e: Estimate<T>;
  testid: string;
  children: (v: T) => React.ReactNode;
}) {
  if (!e.defined)
    return (
      <span className="text-slate-600" data-testid={testid} data-value="null">
        {e.because}
      </span>
    );
  return <>{children(e)}</>;
}

function RatingResult({ q }: { q: Extract<QuestionResult, { type: "rating" }> }) {
  const s = q.stats;
  if (!s) return <p className="text-sm text-slate-600">No ratings yet.</p>;
  const id = (k: string) => `${q.id}-${k}`;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <table className="w-full border-collapse bg-white text-sm" data-testid={id("means")}>
        <thead>
          <tr className="border-b text-left">
            <th className="p-2">Arm</th>
            <th className="p-2">Ratings</th>
            <th className="p-2">Mean (1–5)</th>
            <th className="p-2">95 % interval (t)</th>
          </tr>
        </thead>
        <tbody>
          {s.means.map((m) => (
            <tr key={m.arm} className="border-b">
              <td className="p-2 font-medium">{m.arm}</td>
              <td className="p-2">{m.mean.defined ? m.mean.n : 0}</td>
              <td className="p-2">
                <Value testid={id(`mean-${m.arm}`)} value={m.mean.defined ? m.mean.mean : null} digits={2} />
              </td>
              <td className="p-2">
                {m.mean.defined && m.mean.interval.defined ? (
                  <>
                    <Value testid={id(`mean-low-${m.arm}`)} value={m.mean.interval.low} digits={2} /> –{" "}
                    <Value testid={id(`mean-high-${m.arm}`)} value={m.mean.interval.high} digits={2} />
                  </>
                ) : (
                  <span className="text-slate-600">
                    {m.mean.defined && !m.mean.interval.defined ? m.mean.interval.because : "—"}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="w-full border-collapse bg-white text-sm">
        <tbody>
          <tr className="border-b">
            <th className="p-2 text-left font-normal">Friedman test, cases as blocks</th>
            <td className="p-2">
              <EstimateOf e={s.friedman} testid={id("friedman")}>
                {(f) => (
                  <>
                    χ² <Value testid={id("friedman")} value={f.statistic} /> (df {f.df}), p{" "}
                    <Value testid={id("friedman-p")} value={f.p_value} /> over {f.n_blocks} cases
                  </>
                )}
              </EstimateOf>
            </td>
          </tr>
          <tr className="border-b">
            <th className="p-2 text-left font-normal">ICC(A,1), two-way random, absolute agreement</th>
            <td className="p-2">
              <EstimateOf e={s.icc} testid={id("icc-single")}>
                {(icc) => (
                  <EstimateOf e={icc.single} testid={id("icc-single")}>
                    {(m) => (
                      <>
                        <Value testid={id("icc-single")} value={m.icc} />
                        {m.interval.defined && (
                          <>
                            {" "}
                            (95 % <Value testid={id("icc-single-low")} value={m.interval.low} /> –{" "}
                            <Value testid={id("icc-single-high")} value={m.interval.high} />)
                          </>
                        )}
                      </>
                    )}
                  </EstimateOf>
                )}
              </EstimateOf>
            </td>
          </tr>
          <tr className="border-b">
            <th className="p-2 text-left font-normal">ICC(A,k), mean of the readers</th>
            <td className="p-2">
              <EstimateOf e={s.icc} testid={id("icc-average")}>
                {(icc) => (
                  <EstimateOf e={icc.average} testid={id("icc-average")}>
                    {(m) => <Value testid={id("icc-average")} value={m.icc} />}
                  </EstimateOf>
                )}
              </EstimateOf>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function RankingResult({ q }: { q: Extract<QuestionResult, { type: "ranking" }> }) {
  const s = q.stats;
  if (!s) return <p className="text-sm text-slate-600">No rankings yet.</p>;
  const id = (k: string) => `${q.id}-${k}`;
  const c = s.concordance;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <EstimateOf e={s.worths} testid={id("worths")}>
        {(w) => (
          <table className="w-full border-collapse bg-white text-sm" data-testid={id("worths")}>
            <thead>
              <tr className="border-b text-left">
                <th className="p-2">Arm</th>
                <th className="p-2">{w.model === "plackett-luce" ? "Plackett–Luce" : "Bradley–Terry"} worth</th>
                <th className="p-2">95 % interval</th>
              </tr>
            </thead>
            <tbody>
              {w.arms.map((a) => (
                <tr key={a.arm} className="border-b">
                  <td className="p-2 font-medium">{a.arm}</td>
                  <td className="p-2">
                    <Value testid={id(`worth-${a.arm}`)} value={a.worth} />
                  </td>
                  <td className="p-2">
                    <Value testid={id(`worth-low-${a.arm}`)} value={a.ci_low} /> –{" "}
                    <Value testid={id(`worth-high-${a.arm}`)} value={a.ci_high} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </EstimateOf>
      <table className="w-full border-collapse bg-white text-sm">
        <tbody>
          <tr className="border-b">
            <th className="p-2 text-left font-normal">Kendall&apos;s W across readers (pooled over cases)</th>
            <td className="p-2">
              <EstimateOf e={c.pooled} testid={id("kendall-w")}>
                {(k) => (
                  <>
                    <Value testid={id("kendall-w")} value={k.w} />, χ²{" "}
                    <Value testid={id("kendall-chi")} value={k.chi_square} /> (df {k.df}), p{" "}
                    <Value testid={id("kendall-p")} value={k.p_value} />
                  </>
                )}
              </EstimateOf>
            </td>
          </tr>
          <tr className="border-b">
            <th className="p-2 text-left font-normal">Mean W per case</th>
            <td className="p-2">
              <EstimateOf e={c.mean_case_w} testid={id("kendall-w-case")}>
                {(m) => (
                  <>
                    <Value testid={id("kendall-w-case")} value={m.w} /> over {m.n_cases} cases
                  </>
                )}
              </EstimateOf>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

export function QuestionStats({ questions }: { questions: QuestionResult[] }) {
  if (questions.length === 0) return null;
  return (
    <section className="space-y-4">
      <h2 className="text-lg font-medium">Rating and ranking questions</h2>
      {questions.map((q) => (
        <div key={q.id} data-testid={`question-stats-${q.id}`}>
          <h3 className="mb-1 font-medium">
            {q.id}. {q.wording}{" "}
            <span className="text-sm font-normal text-slate-600">
              ({q.type}
              {q.stats
                ? `; ${q.type === "rating" ? q.stats.n_ratings : q.stats.n_rankings} ${q.type === "rating" ? "ratings" : "rankings"} from ${q.stats.n_readers} reader${q.stats.n_readers === 1 ? "" : "s"} on ${q.stats.n_cases} case${q.stats.n_cases === 1 ? "" : "s"}`
                : ""}
              )
            </span>
          </h3>
          {q.type === "rating" ? <RatingResult q={q} /> : <RankingResult q={q} />}
        </div>
      ))}
      <p className="text-xs text-slate-600">
        The same numbers come out of{" "}
        <code>npm run -s focus -- stats --input tidy.csv --question &lt;id&gt; --json</code> on the tidy CSV.
      </p>
    </section>
  );
}
