// The study report as one print-ready HTML document: the models, the per-case table with the slot letters the
// rationales refer to, preference and agreement statistics with their intervals, and a methods paragraph written
// from the settings. It names the models, so only the study's coordinators reach it (the route checks ownership).
import { db } from "../db/client";
import { readSettings } from "../studies/study-settings";
import { describeQuestions, readQuestions } from "../studies/study-questions";
import { studyResults } from "../studies/results";
import { NEEDS_REPEATED_CASES } from "../stats/intra-reader-agreement";
import { getBytes } from "../storage/content-store";
import { withTableLinks } from "./report-table-html";
import { questionMethodsSentence, questionSectionsHtml } from "./report-questions";
import { escapeHtml, num, pct, plural, rowsHtml } from "./report-text";

export interface VariantAuc {
  variant: string;
  runs: number;
  mean: number | null;
  /** Sample standard deviation over the study's runs of this variant; null with fewer than two. */
  sd: number | null;
  /** The same over the runs scored on a held-out test split (testRuns 0 when the dataset has none). */
  testRuns: number;
  testMean: number | null;
  testSd: number | null;
}

function meanAndSd(values: readonly number[]): { mean: number | null; sd: number | null } {
  const mean = values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  const sd =
    mean === null || values.length < 2
      ? null
      : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

/** Validation AUC, and test AUC where there is one, mean ± sd per variant over the runs the study compares. */
export function variantAucs(
  runs: readonly { variant: string; valAuc: number | null; testAuc?: number | null }[],
): VariantAuc[] {
  const variants = [...new Set(runs.map((r) => r.variant.toLowerCase()))];
  return variants.map((variant) => {
    const own = runs.filter((r) => r.variant.toLowerCase() === variant);
    const val = meanAndSd(own.flatMap((r) => (r.valAuc === null ? [] : [r.valAuc])));
    const tested = own.flatMap((r) => (typeof r.testAuc === "number" ? [r.testAuc] : []));
    const test = meanAndSd(tested);
    return {
      variant,
      runs: own.length,
      ...val,
      testRuns: tested.length,
      testMean: test.mean,
      testSd: test.sd,
    };
  });
}

function figureCell(uri: string | null, caption: string, alt: string): string {
  const img = uri ? `<img src="${uri}" alt="${escapeHtml(alt)}">` : "<div>(missing)</div>";
  return `<figure>${img}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}
/** "Answers of 1 revoked reader and 2 excluded readers were left out." or nothing. */
export function leftOutSentence(leftOut: readonly { status: "revoked" | "excluded" }[]): string {
  const parts = (["revoked", "excluded"] as const)
    .map((status) => ({ status, n: leftOut.filter((x) => x.status === status).length }))
    .filter((p) => p.n > 0)
    .map((p) => `${plural(p.n, `${p.status} reader`)}`);
  return parts.length === 0 ? "" : ` Answers of ${parts.join(" and ")} were left out.`;
}
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "not yet");

export interface ReportOptions {
  /** Whether a Chromium can print the PDF; without one the page says so and offers the browser's print. */
  pdfAvailable?: boolean;
  /** The copy sent to Chromium for the PDF: no download links. */
  forPrint?: boolean;
  /** For reading the tables back (report-tables.ts): no download links either. */
  tablesOnly?: boolean;
}

export async function studyReportHtml(studyId: string, options: ReportOptions = {}): Promise<string> {
  const html = await reportDocument(studyId, options);
  // Every table is also a CSV download (report-tables.ts), linked on screen; the printed copy has no links.
  return options.forPrint || options.tablesOnly ? html : withTableLinks(html);
}

async function reportDocument(studyId: string, options: ReportOptions): Promise<string> {
  const study = await db().study.findUniqueOrThrow({
    where: { id: studyId },
    select: {
      title: true,
      question: true,
      settings: true,
      questions: true,
      publishedAt: true,
      closedAt: true,
      dataset: { select: { name: true } },
      arms: {
        orderBy: { armIndex: "asc" },
        select: { modelRun: { select: { id: true, variant: true, valAuc: true, testAuc: true } } },
      },
      cases: {
        orderBy: { caseIndex: "asc" },
        select: { caseIndex: true, image: { select: { id: true, fileKey: true } } },
      },
      invitations: { select: { specialty: true, status: true, excludedAt: true } },
    },
  });
  const settings = readSettings(study.settings);
  const r = await studyResults(studyId);
  const s = r.summary;
  const aucs = variantAucs(study.arms.map((a) => a.modelRun));
  const anyTest = aucs.some((a) => a.testRuns > 0);
  const counted = study.invitations.filter((i) => i.status !== "REVOKED" && !i.excludedAt);
  const specialties = [...new Set(counted.map((i) => i.specialty.toLowerCase()))].sort();
  // Pictures are embedded so that the HTML prints, and the PDF renders, without reaching the server again.
  const dataUri = async (key: string) =>
    getBytes(key).then(
      (b) => `data:image/png;base64,${b.toString("base64")}`,
      () => null,
    );
  const heatmaps = await db().heatmap.findMany({
    where: {
      modelRunId: { in: study.arms.map((a) => a.modelRun.id) },
      imageId: { in: study.cases.map((c) => c.image.id) },
    },
    select: { modelRunId: true, imageId: true, overlayKey: true, probability: true },
  });
  const labelOfRun = new Map(r.arms.map((a) => [a.modelRunId, a.label]));
  const figures: string[] = [];
  for (const c of study.cases) {
    const cells: string[] = [];
    const original = await dataUri(c.image.fileKey);
    cells.push(figureCell(original, "original", `Case ${c.caseIndex + 1}`));
    for (const a of r.arms) {
      const h = heatmaps.find((x) => x.imageId === c.image.id && x.modelRunId === a.modelRunId);
      const uri = h ? await dataUri(h.overlayKey) : null;
      const caption = h ? `${labelOfRun.get(a.modelRunId)} · P = ${h.probability.toFixed(3)}` : `${a.label} · no map`;
      cells.push(figureCell(uri, caption, `${a.label}, case ${c.caseIndex + 1}`));
    }
    figures.push(
      `<div class="case-figure" data-testid="report-figure"><h3>Case ${c.caseIndex + 1}</h3>${cells.join("")}</div>`,
    );
  }
  const agreement = (v: number | null) => (s.n_readers < 2 ? "needs ≥ 2 readers" : num(v));
  const intra = r.intraReader;
  const intraMean =
    intra === null
      ? NEEDS_REPEATED_CASES
      : intra.mean_kappa.defined
        ? num(intra.mean_kappa.kappa)
        : intra.mean_kappa.because;
  const intraGroupRows = (r.intraReaderBySpecialty ?? []).map((g) => [
    `Intra-reader agreement, mean Cohen's kappa, ${escapeHtml(g.group)}`,
    g.mean_kappa.defined ? num(g.mean_kappa.kappa) : g.mean_kappa.because,
  ]);
  const intraRows = (intra?.readers ?? []).map((x) => [
    `Intra-reader kappa, ${escapeHtml(x.readerId)} (${plural(x.n_pairs, "pair")})`,
    x.kappa.defined ? `${num(x.kappa.kappa)} (${num(x.kappa.ci_low)} – ${num(x.kappa.ci_high)})` : x.kappa.because,
  ]);

  const methods =
    `${plural(counted.length, "reader")} (${specialties.join(", ") || "none yet"}) ${counted.length === 1 ? "was" : "were"} invited; ${s.n_readers} answered ` +
    `${s.n_cases} of ${plural(r.cases.length, "case")} from the dataset “${escapeHtml(study.dataset.name)}”. ` +
    `Each case showed the original image and the heat-maps of ${plural(r.arms.length, "model")} ` +
    `(${r.arms.map((a) => a.label).join(", ")}) in slots A–${String.fromCharCode(64 + r.arms.length)}, ` +
    `in an order balanced across readers and cases (Williams design) so that no model held one slot; readers did not ` +
    `know which model made which map${settings.showProbabilities ? ", and saw each model's probability P" : ", and no probabilities were shown"}. ` +
    `On every case readers answered ${escapeHtml(describeQuestions(readQuestions(study)))}; ` +
    `${settings.allowRevisit ? "they could revisit earlier cases" : "earlier cases could not be revisited"}. ` +
    `${settings.caseOrder === "random" ? "Each reader saw the cases in their own random order" : "Every reader saw the cases in the same order"}. ` +
    (r.repeatedCases > 0
      ? `After the last case, each reader read ${plural(r.repeatedCases, "case")} again (chosen at random per reader, with a fresh slot order and not marked as repeats); intra-reader agreement is Cohen's kappa of the first and the repeated choice, per reader and averaged. `
      : "") +
    `The study opened on ${day(study.publishedAt)} and closed on ${day(study.closedAt)}. ` +
    `Preference is reported as shares with 95 % Wilson intervals and a chi-square test of equal preference; ` +
    `agreement as Fleiss' kappa, Krippendorff's alpha and Gwet's AC1.` +
    questionMethodsSentence(r.questions) +
    leftOutSentence(r.leftOut);

  const rows = rowsHtml;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(study.title)} · report</title>
<style>
body{font:11pt/1.4 system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;margin:.5em 0 1.5em}
figure{display:inline-block;margin:0 .5em .5em 0;text-align:center;font-size:9pt}
figure img{width:30mm;height:30mm;object-fit:contain;image-rendering:pixelated;border:1px solid #ccc}
.case-figure{break-inside:avoid-page}
td,th{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}h2{margin-top:1.5em}
@media print{body{margin:0}.noprint{display:none}section{break-inside:avoid-page}}@page{size:A4;margin:15mm}
</style></head><body>
<h1>${escapeHtml(study.title)}</h1>
${
  options.forPrint
    ? ""
    : options.pdfAvailable
      ? `<p class="noprint" data-testid="report-pdf-link"><a href="report.pdf">Download the PDF</a></p>`
      : `<p class="noprint" data-testid="report-no-pdf">No Chromium is installed on the server, so there is no PDF: print this page ` +
        `from the browser (Ctrl+P / ⌘P). FOCUS_CHROMIUM_PATH points Focus at one.</p>`
}
<section id="methods"><h2>Methods</h2><p data-testid="report-methods">${methods}</p></section>
<section id="models"><h2>Models</h2><table data-testid="report-models">
<tr><th>Variant</th><th>Runs</th><th>Validation AUC (mean ± sd)</th>${anyTest ? "<th>Test AUC (mean ± sd)</th>" : ""}</tr>
${rows(
  aucs.map((a) => [
    a.variant,
    String(a.runs),
    `${num(a.mean)} ± ${num(a.sd)}`,
    ...(anyTest
      ? [
          a.testRuns === 0
            ? "—"
            : `${num(a.testMean)} ± ${num(a.testSd)}${a.testRuns < a.runs ? ` (${a.testRuns} runs)` : ""}`,
        ]
      : []),
  ]),
)}
</table>${
    anyTest
      ? `<p data-testid="report-test-note">Test AUC: each run's final model on the dataset's held-out test split, which neither training nor the choice of any threshold saw; validation AUC as in Rao et al. (ICCV-W 2021).</p>`
      : ""
  }</section>
<section id="figures"><h2>Cases and heat-maps</h2>
${figures.join("\n")}
</section>
<section id="preference"><h2>Preference</h2><table data-testid="report-preference">
<tr><th>Model</th><th>Chosen</th><th>Share</th><th>95 % interval</th></tr>
${rows(r.bars.map((b) => [b.label, String(b.count), pct(b.share), `${pct(b.ciLow)} – ${pct(b.ciHigh)}`]))}
</table>
<table data-testid="report-stats">
${rows([
  [`Chi-square (df ${s.chi_square?.df ?? "—"}), equal preference`, num(s.chi_square?.statistic ?? null)],
  ["p (chi-square)", num(s.chi_square?.p ?? null, 4)],
  ["Fleiss' kappa", agreement(s.fleiss_kappa)],
  ["Krippendorff's alpha (nominal)", agreement(s.krippendorff_alpha)],
  ["Gwet's AC1", agreement(s.gwet_ac1)],
  ["Intra-reader agreement, mean Cohen's kappa", intraMean],
  ...intraGroupRows,
  ...intraRows,
])}
</table></section>
${questionSectionsHtml(r.questions)}
<section id="cases"><h2>Per case</h2><table data-testid="report-cases">
<tr><th>Case</th><th>Label</th><th>Model chosen (majority)</th><th>Reader</th><th>Slot</th><th>Chose</th><th>Rationale</th></tr>
${rows(
  r.rows.map((row) => [
    String(row.case_number),
    escapeHtml(row.image_label),
    escapeHtml(r.cases.find((c) => c.caseId === row.case_id)?.majority ?? "tie"),
    escapeHtml(row.reader_id),
    row.chosen_slot,
    escapeHtml(row.choice),
    escapeHtml(row.rationale),
  ]),
)}
</table></section>
</body></html>
`;
}
