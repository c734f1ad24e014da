// Repeated cases: a reader of a study that repeats k cases gets k more cases after the last one, numbered on like
// any other ("Case 3 of 4"), and the coordinator's results page shows each reader's intra-reader kappa and the mean.
import { test, expect } from "@playwright/test";
import { createStudyFixture } from "../lib/testing/study-fixture";
import { db } from "../lib/db/client";
import { readerCase, submitAnswer } from "../lib/studies/reader-survey";
import { signIn } from "./support/sign-in";

test("a reader answers k repeated cases after the last one; the results show intra-reader kappa", async ({
  page,
  browser,
}) => {
  const f = await createStudyFixture({ cases: 2, arms: 2, settings: { repeatedCases: 2, caseOrder: "random" } });
  const reader = await f.inviteReader();
  const reader2 = await f.inviteReader();
  const armOf = new Map<string, number>([
    [f.caseIds[0], 0],
    [f.caseIds[1], 1],
  ]);
  /** Each reader chooses, on every reading, the arm this plan gives the case: the same one again on the repeat. */
  async function answerAll(link: string, readerId: string) {
    const context = await browser.newContext();
    const p = await context.newPage();
    await p.goto(link);
    await expect(p).toHaveURL(/\/surveys$/);
    await expect(p.getByText("0 of 4 cases answered")).toBeVisible();
    await p.getByRole("link", { name: "Start" }).click();
    for (let n = 1; n <= 4; n++) {
      await expect(p.getByTestId("case-progress")).toContainText(`Case ${n} of 4`);
      await expect(p.getByRole("img", { name: /Heat-map of Model [AB]/ })).toHaveCount(2);
      const shown = await db().slotOrder.findMany({ where: { readerId, studyCase: { studyId: f.studyId } } });
      expect(shown).toHaveLength(n);
      const latest = shown.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
      expect(latest.repeat).toBe(n <= 2 ? 0 : 1);
      const slot = latest.armOrder.indexOf(armOf.get(latest.studyCaseId)!);
      await p.locator("body").press(String(slot + 1));
      await expect(p.getByRole("radio", { name: new RegExp(`Model ${"AB"[slot]}`) })).toBeChecked();
      await p.getByRole("textbox", { name: /Rationale/ }).fill(`Reason ${n} with detail`);
      await p.keyboard.press("Control+Enter");
    }
    await expect(p).toHaveURL(new RegExp(`/surveys/${f.studyId}/done$`));
    await expect(p.getByTestId("done-count")).toContainText("You answered 4 of 4 cases");
    await context.close();
  }
  await answerAll(reader.link, reader.readerId);
  await answerAll(reader2.link, reader2.readerId);
  expect(await db().response.count({ where: { studyCase: { studyId: f.studyId }, repeat: 1 } })).toBe(4);

  const owner = await db().user.findUniqueOrThrow({ where: { id: f.ownerId } });
  await signIn(page, owner.email, "fixture-password");
  await page.goto(`/coordinator/studies/${f.studyId}/results`);
  // Every other statistic reads the first readings: 2 readers × 2 cases.
  await expect(page.getByTestId("answer-count")).toHaveAttribute("data-value", "4");
  const intra = page.getByTestId("intra-reader");
  await expect(intra).toContainText("2 repeated cases");
  await expect(page.getByTestId("stat-intra_reader_mean_kappa")).toHaveAttribute("data-value", "1");
  for (const r of [reader, reader2]) {
    await expect(page.getByTestId(`intra-kappa-${r.pseudonym}`)).toHaveAttribute("data-value", "1");
  }
});

test("a study without repeated cases says intra-reader agreement needs them", async ({ page }) => {
  const f = await createStudyFixture({ cases: 1, arms: 2 });
  const r = await f.inviteReader();
  await readerCase(r.readerId, f.studyId, 1);
  await submitAnswer(r.readerId, f.studyId, 1, { slot: "A", rationale: "the lesion rim" });
  const owner = await db().user.findUniqueOrThrow({ where: { id: f.ownerId } });
  await signIn(page, owner.email, "fixture-password");
  await page.goto(`/coordinator/studies/${f.studyId}/results`);
  await expect(page.getByTestId("stat-intra_reader_mean_kappa")).toHaveText("needs repeated cases");
});
