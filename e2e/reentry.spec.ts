// Coming back: a reader who signed out, or opens Focus in a fresh browser, gets back into their own invitation
// with answers and drafts through the re-entry link the coordinator copies; the spent invitation link and an
// ended session say exactly what to do; the re-entry link is revocable and every step is audited.
import { test, expect, type Page, type Browser } from "@playwright/test";
import { createStudyFixture } from "../lib/testing/study-fixture";
import { db } from "../lib/db/client";
import { signIn } from "./support/sign-in";

async function copyReentryLink(
  browser: Browser,
  ownerEmail: string,
  studyId: string,
  readerName: string,
): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, ownerEmail, "fixture-password");
  await page.goto(`/coordinator/studies/${studyId}`);
  const row = page.locator("tr", { hasText: readerName });
  await row.getByRole("button", { name: "Re-entry link" }).click();
  const link = await row.getByTestId("reentry-link").inputValue();
  await context.close();
  return link;
}

async function expectStudyWithWork(page: Page, studyId: string) {
  await expect(page).toHaveURL(/\/surveys$/);
  await expect(page.getByText("1 of 2 cases answered")).toBeVisible();
  await page.goto(`/surveys/${studyId}/case/2`);
  await expect(page.getByRole("textbox", { name: /Rationale/ })).toHaveValue("a draft I want back");
}

test("after sign-out and in a fresh browser, the re-entry link brings the reader back to answers and drafts", async ({
  page,
  browser,
}) => {
  const f = await createStudyFixture({ cases: 2, arms: 2 });
  const reader = await f.inviteReader("Returning Reader");
  const owner = await db().user.findUniqueOrThrow({ where: { id: f.ownerId }, select: { email: true } });

  await page.goto(reader.link);
  await expect(page).toHaveURL(/\/surveys$/);
  expect(
    (
      await page.request.post(`/api/surveys/${f.studyId}/cases/1/answer`, {
        data: { slot: "A", rationale: "first answer here" },
      })
    ).status(),
  ).toBe(200);
  expect(
    (
      await page.request.put(`/api/surveys/${f.studyId}/cases/2/draft`, { data: { rationale: "a draft I want back" } })
    ).status(),
  ).toBe(200);

  // Sign-out asks first and says how to come back; "Stay signed in" keeps the session.
  await page.getByRole("button", { name: "Sign out" }).click();
  const dialog = page.getByRole("dialog", { name: "Sign out of Focus?" });
  await expect(dialog).toContainText("re-entry link");
  await dialog.getByRole("button", { name: "Stay signed in" }).click();
  await expect(page.getByTestId("whoami")).toContainText("Returning Reader");
  await page.getByRole("button", { name: "Sign out" }).click();
  await dialog.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\/reader$/);
  await expect(page.getByRole("heading", { name: "Back to your reader study" })).toBeVisible();

  // The spent invitation link says what to do instead of a dead end.
  await page.goto(reader.link);
  await expect(page.getByRole("alert").filter({ hasText: "already been used" })).toBeVisible();
  await expect(page.getByTestId("come-back")).toContainText("ask your study coordinator for a re-entry link");

  const link = await copyReentryLink(browser, owner.email, f.studyId, "Returning Reader");
  expect(new URL(link).pathname).toMatch(/^\/reenter\/[A-Za-z0-9_-]{43}$/);
  await page.goto(link);
  await expectStudyWithWork(page, f.studyId);

  // Another device: a fresh context, same link, same invitation; identity and answers unchanged.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expectStudyWithWork(other, f.studyId);
  await fresh.close();
  const readers = await db().invitation.findMany({
    where: { studyId: f.studyId },
    select: { readerId: true, status: true },
  });
  expect(readers).toEqual([{ readerId: reader.readerId, status: "ACCEPTED" }]);
  expect(await db().response.count({ where: { readerId: reader.readerId, submittedAt: { not: null } } })).toBe(1);

  // An ended session says how to come back, and nothing is lost.
  await page.context().clearCookies();
  await page.getByRole("radio", { name: /Model A/ }).check();
  await page.getByRole("button", { name: "Submit answer" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "re-entry link from your study coordinator" }).first(),
  ).toBeVisible();

  // Revoked by the coordinator: the link stops working, and the page says it was withdrawn.
  const audits = await db().auditEvent.findMany({
    where: { subject: reader.invitationId, action: { startsWith: "invitation.reentry" } },
    select: { action: true },
  });
  expect(audits.map((a) => a.action).sort()).toEqual([
    "invitation.reentry.issue",
    "invitation.reentry.use",
    "invitation.reentry.use",
  ]);
  const coordinator = await browser.newContext();
  const cpage = await coordinator.newPage();
  await signIn(cpage, owner.email, "fixture-password");
  await cpage.goto(`/coordinator/studies/${f.studyId}`);
  const row = cpage.locator("tr", { hasText: "Returning Reader" });
  await expect(row.getByText("re-entry link live")).toBeVisible();
  cpage.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Revoke re-entry link" }).click();
  await expect(row.getByText("re-entry link live")).toHaveCount(0);
  await coordinator.close();
  const late = await browser.newContext();
  const latePage = await late.newPage();
  await latePage.goto(link);
  await expect(latePage.getByRole("alert").filter({ hasText: "withdrawn by the study coordinator" })).toBeVisible();
  await late.close();
  expect(
    await db().auditEvent.count({ where: { subject: reader.invitationId, action: "invitation.reentry.revoke" } }),
  ).toBe(1);
});

test("re-inviting an email that has an invitation shows it, and re-issuing asks first", async ({ page }) => {
  const f = await createStudyFixture({ cases: 1, arms: 2 });
  const reader = await f.inviteReader("Already Invited");
  const { email } = await db().user.findUniqueOrThrow({ where: { id: reader.readerId }, select: { email: true } });
  const owner = await db().user.findUniqueOrThrow({ where: { id: f.ownerId }, select: { email: true } });
  const before = await db().invitation.findUniqueOrThrow({ where: { id: reader.invitationId } });
  await signIn(page, owner.email, "fixture-password");
  await page.goto(`/coordinator/studies/${f.studyId}`);
  await page.getByLabel("Reader email").fill(email);
  await page.getByLabel("Reader name").fill("Another Name");
  await page.getByRole("button", { name: "Invite" }).click();
  const panel = page.getByTestId("existing-invitation");
  await expect(panel).toContainText("already has an invitation");
  await expect(panel.getByTestId("existing-status")).toHaveText("link not yet used");
  page.once("dialog", (d) => void d.dismiss());
  await panel.getByRole("button", { name: "Re-issue invitation link" }).click();
  const after = await db().invitation.findUniqueOrThrow({ where: { id: reader.invitationId } });
  expect([after.tokenHash, after.readerName]).toEqual([before.tokenHash, "Already Invited"]);
  await panel.getByRole("button", { name: "Copy a re-entry link" }).click();
  await expect(panel.getByTestId("reentry-link")).toHaveValue(/\/reenter\//);
});
