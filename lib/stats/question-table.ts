// Plain-text rendering of rating and ranking statistics for terminals (`stats --question <id>` without --json).
import type { Estimate } from "./estimate";
import type { RankingStatistics, RatingStatistics } from "./question-statistics";

function pValue(p: number): string {
  return p < 0.0001 ? p.toExponential(2) : p.toFixed(4);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) =>
    r
      .map((cell, j) => cell.padEnd(widths[j]))
      .join("  ")
      .trimEnd(),
  );
}

function shown<T extends object>(e: Estimate<T>, text: (value: T) => string): string {
  return e.defined ? text(e) : `undefined (${e.because})`;
}

export function formatRatingTable(s: RatingStatistics): string {
  const out = [`${s.n_ratings} ratings from ${s.n_readers} reader(s) on ${s.n_cases} case(s)`, ""];
  out.push(
    ...table([
      ["arm", "n", "mean", "95% CI (t)"],
      ...s.means.map((m) => [
        m.arm,
        m.mean.defined ? String(m.mean.n) : "0",
        m.mean.defined ? m.mean.mean.toFixed(3) : "-",
        m.mean.defined ? shown(m.mean.interval, (i) => `${i.low.toFixed(3)} - ${i.high.toFixed(3)}`) : "-",
      ]),
    ]),
    "",
    `Friedman test (cases as blocks): ${shown(
      s.friedman,
      (f) => `X2 = ${f.statistic.toFixed(3)}, df = ${f.df}, p = ${pValue(f.p_value)} (${f.n_blocks} cases)`,
    )}`,
  );
  const icc = s.icc;
  if (!icc.defined) out.push(`ICC (two-way random, agreement): undefined (${icc.because})`);
  else {
    for (const [name, m] of [
      ["ICC(A,1)", icc.single],
      [`ICC(A,${icc.n_raters})`, icc.average],
    ] as const) {
      out.push(
        `${name}: ${shown(m, (v) => {
          const test = shown(
            v.f_test,
            (f) => `F(${f.df1}, ${f.df2.toFixed(1)}) = ${f.f.toFixed(3)}, p = ${pValue(f.p_value)}`,
          );
          const ci = shown(v.interval, (i) => `95% CI ${i.low.toFixed(3)} - ${i.high.toFixed(3)}`);
          return `${v.icc.toFixed(3)}, ${test}, ${ci}`;
        })}`,
      );
    }
    out.push(`  (${icc.n_maps} maps rated by all ${icc.n_raters} readers; ${icc.n_maps_incomplete} left out)`);
  }
  return `${out.join("\n")}\n`;
}

export function formatRankingTable(s: RankingStatistics): string {
  const out = [`${s.n_rankings} rankings from ${s.n_readers} reader(s) on ${s.n_cases} case(s)`, ""];
  const w = s.worths;
  if (!w.defined) out.push(`Plackett-Luce worth: undefined (${w.because})`);
  else {
    out.push(
      `${w.model === "bradley-terry" ? "Bradley-Terry" : "Plackett-Luce"} worth (sums to 1; ties: Breslow)`,
      ...table([
        ["arm", "worth", "95% CI"],
        ...w.arms.map((a) => [a.arm, a.worth.toFixed(3), `${a.ci_low.toFixed(3)} - ${a.ci_high.toFixed(3)}`]),
      ]).map((l) => `  ${l}`),
    );
  }
  const c = s.concordance;
  out.push(
    "",
    `Kendall's W over all rankings: ${shown(
      c.pooled,
      (k) => `${k.w.toFixed(3)}, X2 = ${k.chi_square.toFixed(3)}, df = ${k.df}, p = ${pValue(k.p_value)}`,
    )}`,
    `Mean per-case W across readers: ${shown(c.mean_case_w, (m) => `${m.w.toFixed(3)} (${m.n_cases} cases)`)}`,
  );
  if (c.n_incomplete > 0) out.push(`  (${c.n_incomplete} rankings that leave out an arm are not in W)`);
  return `${out.join("\n")}\n`;
}
