// Hostile input over HTTP, against the running production build: random and oversized bodies, wrong
// types, unknown ids and other readers' studies get a 4xx from the route handlers and write nothing.
import { test, expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import { db } from "../lib/db/client";
import { createStudyFixture } from "../lib/testing/study-fixture";
import { answerInputSchema, draftInputSchema } from "../lib/studies/reader-survey";
import { staffUser } from "./support/seed";

const baseURL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3101";

async function signedIn(provider: "staff" | "invitation", credentials: Record<string, string>): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  expect((await ctx.post(`/api/auth/callback/${provider}`, { form: { csrfToken, json: "true", ...credentials } })).status()).toBe(200);
  return ctx;
}

const counts = async () => ({ responses: await db().response.count(), users: await db().user.count(), slotOrders: await db().slotOrder.count() });

test("random bodies to the reader and admin write routes: 4xx for invalid ones, nothing written", async () => {
  test.setTimeout(180_000);
  const f = await createStudyFixture({ cases: 2, arms: 3 });
  const other = await createStudyFixture({ cases: 1, arms: 2 });
  const reader = await signedIn("invitation", { token: new URL((await f.inviteReader()).link).pathname.split("/").pop()! });
  const admin = await staffUser("ADMIN");
  const adminCtx = await signedIn("staff", admin);
  // First view creates the reader's slot order; afterwards a refused request must change no count.
  await reader.get(`/surveys/${f.studyId}/case/1`);

  const body = fc.oneof(
    fc.anything(),
    fc.record({ slot: fc.oneof(fc.constantFrom("A", "B", "Z", "", null), fc.anything()), rationale: fc.oneof(fc.string(), fc.anything()), confidence: fc.anything() }, { requiredKeys: [] }),
  );
  await fc.assert(
    fc.asyncProperty(body, fc.constantFrom("draft", "answer"), async (data, kind) => {
      const valid = (kind === "draft" ? draftInputSchema : answerInputSchema).safeParse(data).success;
      const before = await counts();
      const res = await reader.fetch(`/api/surveys/${f.studyId}/cases/2/${kind}`, { method: kind === "draft" ? "PUT" : "POST", data: JSON.stringify(data ?? null), headers: { "content-type": "application/json" } });
      expect(res.status(), JSON.stringify(data)).toBeLessThan(500);
      if (!valid) {
        expect(res.status()).toBeGreaterThanOrEqual(400);
        expect(await counts()).toEqual(before);
      }
    }),
    { numRuns: 40, seed: 42 },
  );

  await fc.assert(
    fc.asyncProperty(fc.anything(), async (data) => {
      const before = await counts();
      const res = await adminCtx.post("/api/admin/users", { data: JSON.stringify(data ?? null), headers: { "content-type": "application/json" } });
      expect(res.status(), JSON.stringify(data)).toBe(400);
      expect(await counts()).toEqual(before);
    }),
    { numRuns: 25, seed: 43 },
  );

  const before = await counts();
  const good = { slot: "A", rationale: "a plausible rationale" };
  // Oversized body, unknown study, non-numeric and out-of-range case numbers, another study's ids.
  expect((await reader.post(`/api/surveys/${f.studyId}/cases/1/answer`, { data: { slot: "A", rationale: "x".repeat(100_000) } })).status()).toBe(413);
  for (const path of [`/api/surveys/${other.studyId}/cases/1/answer`, `/api/surveys/nosuchstudy000/cases/1/answer`, `/api/surveys/${f.studyId}/cases/99/answer`, `/api/surveys/${f.studyId}/cases/-1/answer`, `/api/surveys/${f.studyId}/cases/1e3/answer`, `/api/surveys/..%2F..%2Fadmin/cases/1/answer`]) {
    expect((await reader.post(path, { data: good })).status(), path).toBe(404);
  }
  expect((await reader.get(`/api/blind/${"A".repeat(43)}`)).status()).toBe(404);
  expect(await counts()).toEqual(before);
  await reader.dispose();
  await adminCtx.dispose();
});
