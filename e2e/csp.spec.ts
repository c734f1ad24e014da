import { test, expect } from "@playwright/test";

const nonceOf = (policy: string) => /script-src[^;]*'nonce-([A-Za-z0-9+/=_-]+)'/.exec(policy)?.[1];

test("pages allow scripts by a fresh per-request nonce, never 'unsafe-inline'", async ({ request }) => {
  const nonces = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const res = await request.get("/signin");
    const policy = res.headers()["content-security-policy"] ?? "";
    const scriptSrc = policy.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    const nonce = nonceOf(policy);
    expect(nonce, policy).toBeTruthy();
    nonces.add(nonce!);
    // Every script tag Next renders (inline bootstrap and chunks) carries this response's nonce.
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(3);
});

test("an inline script injected into a page does not run, and the app's own scripts still do", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  // Stand-in for stored XSS: markup that reached the HTML without the server's nonce.
  await page.route("**/signin", async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace("<body", "<script>window.__injected = 1</script><body");
    await route.fulfill({ response: res, body: html });
  });
  await page.goto("/signin");
  await expect(page.getByRole("button", { name: /sign in/i })).toBeVisible();
  // Next's client runtime booted from its nonced scripts and chunks.
  await expect.poll(() => page.evaluate(() => typeof (window as { next?: unknown }).next)).toBe("object");
  expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
  // The browser reports the one blocked script, and nothing of the app's own.
  expect(violations.length).toBe(1);
});
