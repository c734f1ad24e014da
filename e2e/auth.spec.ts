import { test, expect } from "@playwright/test";
import { signIn, submitSignIn } from "./support/sign-in";
import { staffUser, studyWithInvitation } from "./support/seed";

const HOMES = { ADMIN: "/admin/users", COORDINATOR: "/coordinator", RESEARCHER: "/researcher" } as const;
const STAFF_PAGES = ["/admin/users", "/coordinator", "/researcher"];

for (const role of ["ADMIN", "COORDINATOR", "RESEARCHER"] as const) {
  test(`${role.toLowerCase()} signs in and lands on their home`, async ({ page }) => {
    const u = await staffUser(role);
    await submitSignIn(page, u.email, u.password);
    await expect(page).toHaveURL(new RegExp(`${HOMES[role]}$`));
    await expect(page.getByTestId("whoami")).toBeVisible();
    for (const other of STAFF_PAGES) {
      if (other === HOMES[role] || role === "ADMIN") continue;
      const res = await page.goto(other);
      expect(res?.status(), `${role} opening ${other}`).toBe(403);
      await expect(page.getByText("Not available to your role")).toBeVisible();
    }
  });
}

test("a wrong password is refused with a message and no session", async ({ page }) => {
  const u = await staffUser("COORDINATOR");
  await submitSignIn(page, u.email, "not the password");
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is not right." })).toBeVisible();
  const res = await page.goto("/coordinator");
  await expect(page).toHaveURL(/\/signin$/);
  expect(res?.ok()).toBe(true);
});

test("anonymous visitors are sent to sign-in and API routes answer 401", async ({ page, request }) => {
  for (const p of STAFF_PAGES.concat("/surveys")) {
    await page.goto(p);
    await expect(page).toHaveURL(/\/signin$/);
  }
  expect((await request.get("/api/admin/users")).status()).toBe(401);
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true, database: "up" });
});

test("an invitation link signs a specialist in once, then is refused", async ({ page, browser }) => {
  const { link } = await studyWithInvitation();
  await page.goto(link);
  await expect(page).toHaveURL(/\/surveys$/);
  await expect(page.getByRole("heading", { name: "My studies" })).toBeVisible();

  // The specialist reaches no staff page and no staff API.
  for (const p of STAFF_PAGES) {
    const res = await page.goto(p);
    expect(res?.status(), p).toBe(403);
  }
  expect((await page.request.get("/api/admin/users")).status()).toBe(403);

  const other = await browser.newContext();
  const again = await other.newPage();
  await again.goto(link);
  await expect(again.getByRole("alert").filter({ hasText: "already been used" })).toBeVisible();
  await again.goto("/surveys");
  await expect(again).toHaveURL(/\/signin$/);
  await other.close();
});

test("an admin creates a coordinator, who can sign in; bad input names the field", async ({ page, browser }) => {
  const admin = await staffUser("ADMIN");
  await submitSignIn(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/admin\/users$/);
  await page.getByLabel("email").fill("not-an-email");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  const email = `new-${Date.now()}@e2e.test`;
  await page.getByLabel("email").fill(email);
  await page.getByLabel("name").fill("New Coordinator");
  await page.getByLabel("password").fill("a long enough password");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("status")).toContainText(`Created ${email}`);

  const ctx = await browser.newContext();
  const p2 = await ctx.newPage();
  await submitSignIn(p2, email, "a long enough password");
  await expect(p2).toHaveURL(/\/coordinator$/);
  await ctx.close();

  // Deactivation ends access at once, even for a live session.
  await page.getByTestId(`user-row-${email}`).getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByTestId(`user-row-${email}`)).toContainText("deactivated");
});

test("sign-out ends the session: a copy of the cookie taken before no longer works", async ({ page, browser }) => {
  const admin = await staffUser("ADMIN");
  await signIn(page, admin.email, admin.password);
  const copy = await browser.newContext();
  await copy.addCookies(await page.context().cookies());
  expect((await copy.request.get("/api/admin/users")).status()).toBe(200);

  // next-auth's own sign-out request, as the header's button sends it.
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await page.request.post("/api/auth/signout", { form: { csrfToken, callbackUrl: "/signin" } });

  expect((await copy.request.get("/api/admin/users")).status()).toBe(401);
  const p = await copy.newPage();
  await p.goto("/admin/users");
  await expect(p).toHaveURL(/\/signin$/);
  await copy.close();
});

test("deactivation ends a live session, and reactivation does not revive it", async ({ page, browser }) => {
  const admin = await staffUser("ADMIN");
  const victim = await staffUser("RESEARCHER");
  const ctx = await browser.newContext();
  const vp = await ctx.newPage();
  await signIn(vp, victim.email, victim.password);
  await signIn(page, admin.email, admin.password);
  const row = page.getByTestId(`user-row-${victim.email}`);
  await row.getByRole("button", { name: "Deactivate" }).click();
  await expect(row).toContainText("deactivated");
  await row.getByRole("button", { name: "Reactivate" }).click();
  await expect(row).not.toContainText("deactivated");
  await vp.goto("/researcher");
  await expect(vp).toHaveURL(/\/signin$/);
  await ctx.close();
});
