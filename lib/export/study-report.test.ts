import { test, after } from "node:test";
import assert from "node:assert/strict";
import { db, disconnectDb } from "../db/client";
import { seedDatasetWithRuns, fixtureCoordinator, invitedReader } from "../testing/seed-runs";
import { createDraftStudy, publishStudy } from "../studies/study-commands";
import { parseStudyDraft } from "../studies/study-schemas";
import { readerCase, submitAnswer } from "../studies/reader-survey";
import { studyResults } from "../studies/results";
import { studyReportHtml, variantAucs } from "./study-report";

after(() => disconnectDb());

test("validation AUC mean ± sd per variant", () => {
  const out = variantAucs([
    { variant: "SE", valAuc: 0.8 },
    { variant: "SE", valAuc: 0.9 },
    { variant: "CBAM", valAuc: 0.7 },
    { variant: "CBAM", valAuc: null },
  ]);
  assert.equal(out[0].variant, "se");
  assert.ok(Math.abs(out[0].mean! - 0.85) < 1e-12);
  assert.ok(Math.abs(out[0].sd! - Math.sqrt(0.005)) < 1e-12);
  assert.deepEqual(out[1], {
    variant: "cbam",
    runs: 2,
    mean: 0.7,
    sd: null,
    testRuns: 0,
    testMean: null,
    testSd: null,
  });
  const withTest = variantAucs([
    { variant: "SE", valAuc: 0.8, testAuc: 0.7 },
    { variant: "SE", valAuc: 0.9, testAuc: 0.6 },
    { variant: "SE", valAuc: 0.9, testAuc: null },
  ]);
  assert.equal(withTest[0].testRuns, 2);
  assert.ok(Math.abs(withTest[0].testMean! - 0.65) < 1e-12);
  assert.ok(Math.abs(withTest[0].testSd! - Math.sqrt(0.005)) < 1e-12);
});

test("the report names models, shows the page's figures, slot letters, escaped rationales and the methods", async () => {
  const owner = await fixtureCoordinator();
  const { dataset, runs } = await seedDatasetWithRuns({ images: 2, variants: ["BASELINE", "SE", "CBAM"] });
  await db().modelRun.update({ where: { id: runs[1].id }, data: { valAuc: 0.875 } });
  const settings = {
    showProbabilities: false,
    rationaleRequired: true,
    rationaleMin: 1,
    rationaleMax: 300,
    allowRevisit: true,
    confidenceEnabled: true,
    targetSpecialty: null,
  };
  const draft = parseStudyDraft({
    title: "Report <study>",
    datasetId: dataset.id,
    modelRunIds: runs.map((r) => r.id),
    cases: { mode: "sample", size: 2, seed: 3 },
    settings,
    questions: [
      { id: "q1", type: "best_map", wording: "Which model?" },
      { id: "q2", type: "rationale", wording: "", min: 1, max: 300 },
      { id: "q3", type: "confidence", wording: "" },
    ],
  });
  const { id } = await createDraftStudy(draft, owner.id);
  await publishStudy(id, owner.id);
  const { reader } = await invitedReader(id, owner.id, "RADIOLOGY");
  await readerCase(reader.id, id, 1);
  await submitAnswer(reader.id, id, 1, { slot: "C", rationale: "<script>x</script> rim", confidence: 3 });
  const html = await studyReportHtml(id);
  const page = await studyResults(id);
  assert.ok(html.includes("<h1>Report &lt;study&gt;</h1>"));
  assert.ok(!html.includes("<script>"));
  assert.ok(html.includes("&lt;script&gt;x&lt;/script&gt; rim"));
  assert.ok(html.includes("<td>se</td><td>1</td><td>0.875 ± —</td></tr>"), "AUC per variant");
  assert.ok(!html.includes("Test AUC"), "no test column without a test split");
  for (const b of page.bars) assert.ok(html.includes(`<td>${b.label}</td><td>${b.count}</td>`), b.label);
  assert.ok(
    html.includes(`<td>${reader.pseudonym}</td><td>C</td><td>${page.rows[0].choice}</td>`),
    "slot letter beside the rationale",
  );
  assert.ok(html.includes("<td>Fleiss' kappa</td><td>needs ≥ 2 readers</td>"));
  assert.ok(html.includes("1 reader (radiology) was invited; 1 answered 1 of 2 cases"));
  assert.ok(html.includes("no probabilities were shown"));
  assert.ok(
    html.includes("“Which model?” (the best map; required); a free-text rationale (1–300 characters); and their"),
  );
  assert.ok(html.includes('data-testid="report-no-pdf"'), "without a Chromium the page says so");
  // A figure per case: the original and every arm's map with its name and P, embedded.
  assert.equal(html.match(/data-testid="report-figure"/g)?.length, 2);
  assert.equal(html.match(/<img src="data:image\/png;base64,/g)?.length, 2 * 4);
  const hm = await db().heatmap.findFirstOrThrow({ where: { modelRunId: runs[1].id } });
  assert.ok(html.includes(`se · P = ${hm.probability.toFixed(3)}`));
  assert.ok((await studyReportHtml(id, { pdfAvailable: true })).includes('href="report.pdf"'));
  // Where the dataset had a test split, the models table gives the test AUC beside the validation one.
  await db().modelRun.update({ where: { id: runs[1].id }, data: { testAuc: 0.8125 } });
  const withTest = await studyReportHtml(id);
  assert.ok(withTest.includes("<th>Test AUC (mean ± sd)</th>"));
  assert.ok(
    withTest.includes("<td>se</td><td>1</td><td>0.875 ± —</td><td>0.813 ± —</td></tr>"),
    "test AUC per variant",
  );
  assert.ok(withTest.includes("<td>baseline</td><td>1</td><td>0.800 ± —</td><td>—</td></tr>"), "a variant without one");
});

test("the local Chromium prints the report to a PDF with pages", async (t) => {
  const { chromiumPath, htmlToPdf } = await import("./report-pdf");
  const path = chromiumPath();
  if (!path) return t.skip("no Chromium on this machine");
  const pdf = await htmlToPdf("<!doctype html><html><body><h1>Report</h1><p>Fleiss' kappa 0.5</p></body></html>", path);
  assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
  assert.ok((pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length >= 1);
});

test("without a Chromium the PDF is refused as unavailable, naming FOCUS_CHROMIUM_PATH", async () => {
  const { htmlToPdf } = await import("./report-pdf");
  await assert.rejects(
    htmlToPdf("<p>x</p>", null),
    (e: Error & { kind?: string }) => e.kind === "unavailable" && /FOCUS_CHROMIUM_PATH/.test(e.message),
  );
});
