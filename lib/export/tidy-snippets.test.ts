// The Python snippet of docs/snippets reproduces the results page's main figures from a real tidy export.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { disconnectDb } from "../db/client";
import { seedDatasetWithRuns, fixtureCoordinator, invitedReader } from "../testing/seed-runs";
import { createDraftStudy, publishStudy } from "../studies/study-commands";
import { parseStudyDraft } from "../studies/study-schemas";
import { readerCase, submitAnswer } from "../studies/reader-survey";
import { studyResults } from "../studies/results";
import { exportStudy } from "./study-exports";

after(() => disconnectDb());

test("docs/snippets/tidy_summary.py gives the page's counts, shares and Fleiss' kappa from the tidy CSV", async () => {
  const owner = await fixtureCoordinator();
  const { dataset, runs } = await seedDatasetWithRuns({ images: 3, variants: ["BASELINE", "SE", "CBAM"] });
  const settings = {
    showProbabilities: false,
    rationaleRequired: true,
    rationaleMin: 1,
    rationaleMax: 500,
    allowRevisit: true,
    confidenceEnabled: true,
    targetSpecialty: null,
  };
  const draft = parseStudyDraft({
    title: "Snippet",
    datasetId: dataset.id,
    modelRunIds: runs.map((r) => r.id),
    cases: { mode: "sample", size: 3, seed: 2 },
    settings,
  });
  const { id } = await createDraftStudy(draft, owner.id);
  await publishStudy(id, owner.id);
  const picks = [
    ["A", "B", "A"],
    ["A", "C", "B"],
    ["B", "B", "C"],
  ];
  for (const [r, slots] of picks.entries()) {
    const { reader } = await invitedReader(id, owner.id, r === 0 ? "RADIOLOGY" : "DERMATOLOGY");
    for (const [c, slot] of slots.entries()) {
      await readerCase(reader.id, id, c + 1);
      await submitAnswer(reader.id, id, c + 1, { slot, rationale: `why ${slot}, "case" ${c + 1}`, confidence: 3 });
    }
  }
  const file = await exportStudy(id, "tidy", owner.id);
  const dir = mkdtempSync(join(tmpdir(), "focus-snippet-"));
  try {
    const csvPath = join(dir, "tidy.csv");
    writeFileSync(csvPath, file.body);
    const out = execFileSync("python3", [join("docs", "snippets", "tidy_summary.py"), csvPath], { encoding: "utf8" });
    const py = JSON.parse(out) as {
      n_answers: number;
      n_readers: number;
      counts: Record<string, number>;
      shares: Record<string, number>;
      fleiss_kappa: number | null;
    };
    const page = (await studyResults(id)).summary;
    assert.equal(py.n_answers, page.n_answers);
    assert.equal(py.n_readers, page.n_readers);
    assert.deepEqual(py.counts, page.counts);
    for (const s of page.shares) assert.ok(Math.abs(py.shares[s.choice] - s.share!) < 1e-12, s.choice);
    assert.notEqual(page.fleiss_kappa, null);
    assert.ok(Math.abs(py.fleiss_kappa! - page.fleiss_kappa!) < 1e-12, `${py.fleiss_kappa} vs ${page.fleiss_kappa}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
