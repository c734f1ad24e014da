// `npm run screenshots`: the README's screenshots of the reader's blinded grid, the coordinator's results
// and the researcher's model comparison, on seeded data, written to docs/screenshots. A generator, not a
// test (it asserts only what it needs to reach each page), so it lives here and not in e2e/.
import { test, expect } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { db } from "../../lib/db/client";
import { createStudyFixture } from "../../lib/testing/study-fixture";
import { submitAnswer } from "../../lib/studies/reader-survey";
import { staffUser } from "../../e2e/support/seed";
import { signIn } from "../../e2e/support/sign-in";

const DIR = "docs/screenshots";
mkdirSync(DIR, { recursive: true });

test.use({ viewport: { width: 1280, height: 860 } });

test("screenshots: reader grid, coordinator results, researcher model comparison", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const f = await createStudyFixture({ cases: 6, arms: 4, settings: { showProbabilities: true } });
  // Answers from several readers so the results page has something to show.
  const rationales = [
    "Focus on the lesion border",
    "Covers the irregular pigment",
    "Least spill onto healthy skin",
    "Centred on the nodule",
  ];
  for (let r = 0; r < 6; r++) {
    const { readerId } = await f.inviteReader(`Reader ${r + 1}`);
    for (let n = 1; n <= 6; n++)
      await submitAnswer(readerId, f.studyId, n, {
        slot: "ABCD"[(r + n) % 4 === 0 ? 1 : (r * n) % 4],
        rationale: rationales[(r + n) % 4],
      });
  }

  const reader = await f.inviteReader("Screenshot Reader");
  const readerContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const readerPage = await readerContext.newPage();
  await readerPage.goto(reader.link);
  await expect(readerPage).toHaveURL(/\/surveys$/);
  await readerPage.goto(`/surveys/${f.studyId}/case/1`);
  await expect(readerPage.getByRole("img", { name: /Heat-map of Model [A-D]/ })).toHaveCount(4);
  await readerPage.getByRole("radio", { name: /Model B/ }).check();
  await readerPage
    .getByRole("textbox", { name: /Rationale/ })
    .fill("Model B stays on the lesion and ignores the ruler.");
  await readerPage.screenshot({ path: `${DIR}/reader-grid.png`, fullPage: true });
  await readerContext.close();

  const owner = await db().user.findUniqueOrThrow({ where: { id: f.ownerId }, select: { email: true } });
  await signIn(page, owner.email, "fixture-password");
  await page.goto(`/coordinator/studies/${f.studyId}/results`);
  await expect(page.getByRole("heading").first()).toBeVisible();
  await page.screenshot({ path: `${DIR}/coordinator-results.png`, fullPage: true });

  const researcher = await staffUser("RESEARCHER");
  const study = await db().study.findUniqueOrThrow({ where: { id: f.studyId }, select: { datasetId: true } });
  const researcherContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const researcherPage = await researcherContext.newPage();
  await signIn(researcherPage, researcher.email, researcher.password);
  await researcherPage.goto(`/researcher/datasets/${study.datasetId}/results`);
  await expect(researcherPage.getByRole("heading").first()).toBeVisible();
  await researcherPage.screenshot({ path: `${DIR}/researcher-model-comparison.png`, fullPage: true });
  await researcherContext.close();
});
