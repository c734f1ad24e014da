// Plain-text rendering of intra-reader agreement for terminals (`focus stats` on an export with repeated cases).
import type { IntraReaderAgreement } from "./intra-reader-agreement";

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
  const mean = a.mean_kappa.defined
    ? `${fixed(a.mean_kappa.kappa)} over ${a.mean_kappa.n_readers} reader${a.mean_kappa.n_readers === 1 ? "" : "s"}`
    : a.mean_kappa.because;
  return ["Intra-reader agreement on repeated cases (Cohen's kappa)", ...lines, `Mean kappa: ${mean}`, ""].join("\n");
}
