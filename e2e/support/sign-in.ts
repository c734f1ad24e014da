import { expect, type Page } from "@playwright/test";

/** Fills and submits the staff sign-in form; the caller checks the outcome. */
export async function submitSignIn(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits until the header shows the signed-in user. */
export async function signIn(page: Page, email: string, password: string) {
  await submitSignIn(page, email, password);
  await expect(page.getByTestId("whoami")).toBeVisible();
}
