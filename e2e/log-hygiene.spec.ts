import { readFileSync } from "node:fs";
import { test, expect } from "@playwright/test";
import { UNDECODABLE_COOKIE_MESSAGE } from "../lib/auth/auth-logger";

const serverLog = process.env.E2E_SERVER_LOG;

test("a garbage session cookie on every request logs one line at most, never a stack trace", async ({
  playwright,
  baseURL,
}) => {
  test.skip(!serverLog, "E2E_SERVER_LOG is set by `npm run test:e2e`, which captures the server's output");
  const before = readFileSync(serverLog!).length;
  const garbage = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: "next-auth.session-token=not-a-session-at-all" },
  });
  for (let i = 0; i < 10; i++) {
    expect((await garbage.get("/signin")).status()).toBe(200);
    expect(await (await garbage.get("/api/auth/session")).json()).toEqual({});
    expect((await garbage.get("/coordinator", { maxRedirects: 0 })).status()).toBe(307);
  }
  await garbage.dispose();
  // The server's output reaches the file with some delay: wait until this run's line is there.
  await expect.poll(() => readFileSync(serverLog!, "utf8"), { timeout: 15_000 }).toContain(UNDECODABLE_COOKIE_MESSAGE);
  await new Promise((r) => setTimeout(r, 1000));
  const whole = readFileSync(serverLog!);
  const added = whole.subarray(before).toString("utf8");
  const lines = added.split("\n").filter((l) => l.includes(UNDECODABLE_COOKIE_MESSAGE));
  // One per minute: none when an earlier test of this run already had its line this minute.
  expect(lines.length, added).toBeLessThanOrEqual(1);
  expect(added).not.toMatch(/Invalid Compact JWE|JWEInvalid|^\s+at /m);
});

test("the favicon is served, so no page load logs a 404", async ({ page, request }) => {
  const res = await request.get("/favicon.ico");
  expect(res.status()).toBe(200);
  const icon = await res.body();
  expect([...icon.subarray(0, 4)]).toEqual([0, 0, 1, 0]); // ICO header: reserved 0, type 1 (icon)
  const failed: string[] = [];
  page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto("/signin");
  await page.waitForLoadState("networkidle");
  expect(failed).toEqual([]);
});
