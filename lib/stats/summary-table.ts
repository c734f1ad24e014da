// Plain-text rendering of a StatsSummary for terminals (the `stats` command without --json).
import type { GroupSummary, StatsSummary } from "./summary";

function percent(x: number | null): string {
  return x === null ? "-" : `${(100 * x).toFixed(1)}%`;
}

function coefficient(x: number | null): string {
  return x === null ? "undefined" : x.toFixed(3);
}

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

export function formatSummaryTable(s: StatsSummary, options: { perCase?: boolean } = {}): string {
  const out: string[] = [];
  out.push(
    `${s.n_answers} answers (${s.n_missing} missing) from ${s.n_readers} reader${s.n_readers === 1 ? "" : "s"} on ${s.n_cases} case${s.n_cases === 1 ? "" : "s"}`,
    "",
  );
  out.push(
    ...table([
      ["choice", "count", "share", "95% CI (Wilson)"],
      ...s.shares.map((c) => [
        c.choice,
        String(c.count),
        percent(c.share),
        c.ci_low === null ? "-" : `${percent(c.ci_low)} - ${percent(c.ci_high)}`,
      ]),
    ]),
    "",
  );
  if (s.chi_square) {
    out.push(
      `Chi-square against equal preference: X2 = ${s.chi_square.statistic.toFixed(3)}, df = ${s.chi_square.df}, p = ${pValue(s.chi_square.p)}`,
    );
  }
  if (s.exact_p) {
    const how =
      s.exact_p.method === "enumeration"
        ? "exact enumeration"
        : `Monte Carlo, ${s.exact_p.draws} draws, seed ${s.exact_p.seed}`;
    out.push(`Exact multinomial p (${how}): ${pValue(s.exact_p.p)}`);
  }
  out.push(
    "",
    "Agreement between readers",
    ...table([
      ["Fleiss' kappa", coefficient(s.fleiss_kappa)],
      ["Gwet's AC1", coefficient(s.gwet_ac1)],
      ["Krippendorff's alpha (nominal)", coefficient(s.krippendorff_alpha)],
      [
        "Mean pairwise Cohen's kappa",
        `${coefficient(s.mean_pairwise_cohen_kappa)} (${s.pairwise_cohen.n_pairs_defined} of ${s.pairwise_cohen.n_pairs} pairs)`,
      ],
    ]).map((l) => `  ${l}`),
  );
  if (options.perCase !== false && s.per_case.length > 0) {
    out.push(
      "",
      "Per case",
      ...table([
        ["case", "answers", "majority", "share"],
        ...s.per_case.map((c) => [
          c.case_id,
          String(c.n_answers),
          c.majority ?? (c.tied.length > 0 ? `tie: ${c.tied.join(", ")}` : "-"),
          percent(c.share),
        ]),
      ]).map((l) => `  ${l}`),
    );
  }
  if (s.notes.length > 0) out.push("", "Notes", ...s.notes.map((n) => `  - ${n}`));
  return `${out.join("\n")}\n`;
}

export function formatGroupTables(column: string, groups: readonly GroupSummary[]): string {
  return groups
    .map(
      (g) =>
        `=== ${column}: ${g.group} (${g.n_readers} reader${g.n_readers === 1 ? "" : "s"}) ===\n${formatSummaryTable(g.summary, { perCase: false })}`,
    )
    .join("\n");
}
