// axe-core on every reader page, with each dialog open: no serious or critical violation.
import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { createStudyFixture } from "../lib/testing/study-fixture";

async function noSeriousViolations(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
}

test("axe finds no serious or critical violation on the reader's pages and dialogs", async ({ page }) => {
  const f = await createStudyFixture({ cases: 2, settings: { confidenceEnabled: true, showProbabilities: true } });
  const reader = await f.inviteReader();
  await page.goto(reader.link);
  await expect(page).toHaveURL(/\/surveys$/);
  await noSeriousViolations(page, "my studies");
  await page.goto(`/surveys/${f.studyId}/case/1`);
  await expect(page.getByRole("img", { name: /Heat-map of Model/ })).toHaveCount(4);
  await noSeriousViolations(page, "case");
  await page.getByRole("button", { name: "Compare Model A" }).click();
  await expect(page.getByRole("dialog", { name: /Comparison/ })).toBeVisible();
  await noSeriousViolations(page, "comparison view");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: /Keys/ }).click();
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await noSeriousViolations(page, "shortcuts");
  await page.keyboard.press("Escape");
  await page.goto(`/surveys/${f.studyId}/answers`);
  await noSeriousViolations(page, "my answers");
  await page.goto(`/surveys/${f.studyId}/done`);
  await noSeriousViolations(page, "done");
});
