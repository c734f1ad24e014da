// Study operations in the browser: the coordinator previews the reader view (nothing stored), bulk-invites from
// a pasted list with a preview and per-line errors (an invited email stays as it was), and clones the study.
import { test, expect } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { createStudyFixture } from "../lib/testing/study-fixture";
import { db } from "../lib/db/client";
import { signIn } from "./support/sign-in";

test("preview as reader, bulk invite and clone", async ({ page }) => {
  test.setTimeout(120_000);
  const f = await createStudyFixture({ cases: 2, arms: 2, status: "DRAFT" });
  const owner = await db().user.findUniqueOrThrow({ where: { id: f.ownerId } });
  await signIn(page, owner.email, "fixture-password");
  page.on("dialog", (d) => void d.accept());
  await page.goto(`/coordinator/studies/${f.studyId}`);

  // Preview: the reader's page with a banner; answering only moves on; nothing reaches the database.
  const written = async () => ({
    slotOrders: await db().slotOrder.count({ where: { studyCase: { studyId: f.studyId } } }),
    responses: await db().response.count({ where: { studyCase: { studyId: f.studyId } } }),
    invitations: await db().invitation.count({ where: { studyId: f.studyId } }),
  });
  const before = await written();
  await page.getByRole("link", { name: "Preview as reader" }).click();
  await expect(page).toHaveURL(new RegExp(`/coordinator/studies/${f.studyId}/preview/case/1$`));
  await expect(page.getByTestId("preview-banner")).toContainText("Nothing you choose or type here is stored");
  await expect(page.getByTestId("case-progress")).toContainText("Case 1 of 2");
  await expect(page.getByRole("link", { name: "My answers" })).toHaveCount(0);
  for (const n of [1, 2]) {
    await page.locator('input[name="slot"][value="A"]').check();
    await page.locator('textarea[name="rationale"]').fill(`preview answer ${n}`);
    await page.getByRole("button", { name: "Submit answer" }).click();
    if (n === 1) await expect(page).toHaveURL(/\/preview\/case\/2$/);
  }
  await expect(page).toHaveURL(new RegExp(`/coordinator/studies/${f.studyId}$`));
  expect(await written()).toEqual(before);
  // The preview's pictures are the coordinator's only.
  expect((await page.request.get(`/api/coordinator/studies/${f.studyId}/preview/1/original`)).status()).toBe(200);

  // Bulk invite: the preview writes nothing and names each line's fate.
  const t = randomBytes(3).toString("hex");
  const known = `known-${t}@clinic.test`;
  const lines = [`new-${t}@clinic.test, New Reader, radiology`, `broken-${t}, Broken, other`, `${known}, Known, other`];
  await page.getByText("Invite many readers (list or CSV)").click();
  const bulk = page.locator("details").filter({ hasText: "Invite many readers" });
  await bulk.getByRole("textbox", { name: "Readers" }).fill(`${known}, Known Reader, dermatology`);
  await bulk.getByRole("button", { name: "Preview" }).click();
  await bulk.getByRole("button", { name: "Invite 1 reader" }).click();
  await expect(bulk.getByTestId("bulk-invitation-link")).toHaveCount(1);

  await bulk.getByRole("textbox", { name: "Readers" }).fill(lines.join("\n"));
  await bulk.getByRole("button", { name: "Preview" }).click();
  await expect(bulk.getByTestId("bulk-line-1")).toContainText("will be invited");
  await expect(bulk.getByTestId("bulk-line-2")).toContainText("email");
  await expect(bulk.getByTestId("bulk-line-3")).toContainText("already invited as Known Reader");
  await expect(bulk.getByTestId("bulk-line-3")).toContainText("the specialty stays dermatology, not other");
  expect(await db().invitation.count({ where: { studyId: f.studyId } })).toBe(1);
  await bulk.getByRole("button", { name: "Invite 1 reader" }).click();
  await expect(bulk.getByTestId("bulk-line-1")).toContainText("invited");
  await expect(bulk.getByTestId("bulk-invitation-link")).toHaveCount(1);
  const invitations = await db().invitation.findMany({ where: { studyId: f.studyId }, include: { reader: true } });
  expect(invitations.map((i) => [i.reader.email, i.specialty]).sort()).toEqual(
    [
      [known, "DERMATOLOGY"],
      [`new-${t}@clinic.test`, "RADIOLOGY"],
    ].sort(),
  );

  // Clone: a new draft with the same arms and cases, and no readers.
  await page.goto(`/coordinator/studies/${f.studyId}`);
  await page.getByRole("button", { name: "Clone" }).click();
  await expect(page).not.toHaveURL(new RegExp(`/coordinator/studies/${f.studyId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("(copy)");
  await expect(page.getByTestId("study-status")).toHaveText("draft");
  const copyId = new URL(page.url()).pathname.split("/").pop()!;
  const copy = await db().study.findUniqueOrThrow({
    where: { id: copyId },
    include: { _count: { select: { arms: true, cases: true, invitations: true } } },
  });
  expect(copy._count).toEqual({ arms: 2, cases: 2, invitations: 0 });
  expect(await db().auditEvent.count({ where: { action: "study.clone", subject: copyId, actorId: f.ownerId } })).toBe(
    1,
  );
});
