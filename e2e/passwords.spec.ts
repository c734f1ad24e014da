import { test, expect, type Page } from "@playwright/test";
import { signIn, submitSignIn } from "./support/sign-in";
import { staffUser } from "./support/seed";
import { FREE_FAILURES } from "../lib/auth/rate-limit";

const NEW_PASSWORD = "plum orchard under winter rain";

async function fillPasswords(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
}

/** Submits the sign-in form; the wait it answers with, 0 for a plain refusal. */
async function secondsToWait(page: Page, email: string, password: string): Promise<number> {
  const answered = page.waitForResponse((r) => r.url().includes("/api/auth/callback/staff"));
  await submitSignIn(page, email, password);
  await answered;
  const alert = page.getByRole("alert").filter({ hasText: /Email or password is not right|Too many failed attempts/ });
  await expect(alert).toBeVisible();
  return Number(/Try again in (\d+) seconds/.exec((await alert.textContent()) ?? "")?.[1] ?? 0);
}

test("staff change their password: weak ones are refused, then every old session ends", async ({ page, browser }) => {
  const u = await staffUser("RESEARCHER");
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, u.email, u.password);
  await signIn(page, u.email, u.password);

  await page.getByRole("link", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/account\/password$/);
  await fillPasswords(page, {
    "Current password": u.password,
    "New password": "password1234",
    "New password again": "password1234",
  });
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText(/too easy to guess/).first()).toBeVisible();
  // The form is emptied after each submission.
  await fillPasswords(page, {
    "Current password": u.password,
    "New password": "short one",
    "New password again": "short one",
  });
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText(/at least 12 characters/).first()).toBeVisible();

  await fillPasswords(page, {
    "Current password": u.password,
    "New password": NEW_PASSWORD,
    "New password again": NEW_PASSWORD,
  });
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL(/\/signin\?changed=1$/);
  await expect(page.getByRole("status").filter({ hasText: "every session ended" })).toBeVisible();

  await otherPage.goto("/researcher");
  await expect(otherPage).toHaveURL(/\/signin$/);
  await submitSignIn(page, u.email, u.password);
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is not right." })).toBeVisible();
  await signIn(page, u.email, NEW_PASSWORD);
  await other.close();
});

test("an admin issues a one-time reset link; it sets a new password once", async ({ page, browser }) => {
  const admin = await staffUser("ADMIN");
  const u = await staffUser("COORDINATOR");
  await signIn(page, admin.email, admin.password);
  const row = page.getByTestId(`user-row-${u.email}`);
  await row.getByRole("button", { name: "Issue reset link" }).click();
  const link = await row.getByLabel("Reset link").inputValue();
  expect(link).toMatch(/\/reset\/[A-Za-z0-9_-]{43}$/);

  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(new URL(link).pathname);
  await expect(p.getByText(`For ${u.email}.`)).toBeVisible();
  await fillPasswords(p, { "New password": NEW_PASSWORD, "New password again": NEW_PASSWORD });
  await p.getByRole("button", { name: "Set password" }).click();
  await expect(p).toHaveURL(/\/signin\?reset=1$/);
  await signIn(p, u.email, NEW_PASSWORD);

  await p.goto(new URL(link).pathname);
  await expect(p.getByRole("alert").filter({ hasText: "expired or was already used" })).toBeVisible();
  await ctx.close();
});

test("failed attempts delay sign-in without a hard lock; an admin lifts the wait at once", async ({
  page,
  browser,
}) => {
  const admin = await staffUser("ADMIN");
  const u = await staffUser("COORDINATOR");
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  // Guess until the wait is long enough to observe; each failure past the free ones doubles it.
  let failures = 0;
  for (let wait = 0; wait < 8;) {
    wait = await secondsToWait(p, u.email, `wrong guess ${failures++}`);
    if (wait > 0 && wait < 8) await p.waitForTimeout(wait * 1000);
    expect(failures, "the wait grows").toBeLessThan(FREE_FAILURES + 10);
  }
  // The right password waits too; it is not locked out for good.
  expect(await secondsToWait(p, u.email, u.password)).toBeGreaterThan(0);

  await signIn(page, admin.email, admin.password);
  const row = page.getByTestId(`user-row-${u.email}`);
  await expect(row).toContainText("sign-in waiting until");
  await row.getByRole("button", { name: "Unlock sign-in" }).click();
  await expect(row).not.toContainText("sign-in waiting until");

  await signIn(p, u.email, u.password);
  await ctx.close();
});
