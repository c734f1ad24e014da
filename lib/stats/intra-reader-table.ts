// Plain-text rendering of intra-reader agreement for terminals (`focus stats` on an export with repeated cases).
import type { GroupSelfAgreement, IntraReaderAgreement } from "./intra-reader-agreement";

const fixed = (x: number) => x.toFixed(3);

export function formatIntraReaderTable(a: IntraReaderAgreement): string {
  const rows = [
    ["reader", "pairs", "kappa", "95% CI"],
    ...a.readers.map((r) => [
      r.readerId,
      String(r.n_pairs),
      r.kappa.defined ? fixed(r.kappa.kappa) : r.kappa.because,
      r.kappa.defined ? `${fixed(r.kappa.ci_low)} - ${fixed(r.kappa.ci_high)}` : "-",
    ]),
  ];
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const lines = rows.map((r) =>
    r
      .map((cell, j) => cell.padEnd(widths[j]))
      .join("  ")
      .trimEnd(),
  );
  return [
    "Intra-reader agreement on repeated cases (Cohen's kappa)",
    ...lines,
    `Mean kappa: ${meanText(a.mean_kappa)}`,
    "",
  ].join("\n");
}

/** One line per group: its mean kappa, as the results page's per-specialty line shows it. */
export function formatIntraReaderGroups(column: string, groups: readonly GroupSelfAgreement[]): string {
  return groups.map((g) => `Mean kappa, ${column} ${g.group}: ${meanText(g.mean_kappa)}\n`).join("");
}

function meanText(mean: IntraReaderAgreement["mean_kappa"]): string {
  return mean.defined
    ? `${fixed(mean.kappa)} over ${mean.n_readers} reader${mean.n_readers === 1 ? "" : "s"}`
    : mean.because;
}
