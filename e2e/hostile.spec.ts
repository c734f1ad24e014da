// Hostile input over HTTP, against the running production build: random and oversized bodies, wrong
// types, unknown ids and other readers' studies get a 4xx from the route handlers and write nothing.
import { test, expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import fc from "fast-check";
import { db } from "../lib/db/client";
import { createStudyFixture } from "../lib/testing/study-fixture";
import sharp from "sharp";
import { buildZip } from "../lib/testing/zip-writer";
import { staffUser } from "./support/seed";

const baseURL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3101";

async function signedIn(
  provider: "staff" | "invitation",
  credentials: Record<string, string>,
): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  expect(
    (await ctx.post(`/api/auth/callback/${provider}`, { form: { csrfToken, json: "true", ...credentials } })).status(),
  ).toBe(200);
  return ctx;
}

/**
 * The API's contract for a reader's draft and answer, written out independently of the app's schemas: a JSON
 * object whose slot is one letter A-F, whose rationale is a string of at most 5000 characters, whose confidence
 * is absent, null or an integer 1..5, and whose client time is absent or a whole number of milliseconds within
 * a week. Anything else must be refused. (Whether a valid body suits this study is the server's business.)
 */
function mustBeRefused(kind: "draft" | "answer", data: unknown): boolean {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return true;
  const body = data as Record<string, unknown>;
  const has = (key: string) => Object.prototype.hasOwnProperty.call(body, key) && body[key] !== undefined;
  const slotOk = (v: unknown) => typeof v === "string" && /^[A-Fa-f]$/.test(v);
  const rationaleOk = (v: unknown) => typeof v === "string" && v.length <= 5000 && !v.includes("\u0000");
  const confidenceOk = (v: unknown) => v === null || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5);
  if (kind === "answer") {
    if (!slotOk(body.slot) || !rationaleOk(body.rationale)) return true;
    const t = body.clientTimeMs;
    if (has("clientTimeMs") && !(Number.isInteger(t) && (t as number) >= 0 && (t as number) <= 7 * 24 * 3600_000))
      return true;
  } else {
    if (has("slot") && body.slot !== null && !slotOk(body.slot)) return true;
    if (has("rationale") && !rationaleOk(body.rationale)) return true;
  }
  return has("confidence") && !confidenceOk(body.confidence);
}

const counts = async () => ({
  responses: await db().response.count(),
  users: await db().user.count(),
  slotOrders: await db().slotOrder.count(),
});

test("random bodies to the reader and admin write routes: 4xx for invalid ones, nothing written", async () => {
  test.setTimeout(180_000);
  const f = await createStudyFixture({ cases: 2, arms: 3 });
  const other = await createStudyFixture({ cases: 1, arms: 2 });
  const reader = await signedIn("invitation", {
    token: new URL((await f.inviteReader()).link).pathname.split("/").pop()!,
  });
  const admin = await staffUser("ADMIN");
  const adminCtx = await signedIn("staff", admin);
  // First view creates the reader's slot order; afterwards a refused request must change no count.
  await reader.get(`/surveys/${f.studyId}/case/1`);

  const body = fc.oneof(
    fc.anything(),
    fc.record(
      {
        slot: fc.oneof(fc.constantFrom("A", "B", "Z", "", null), fc.anything()),
        rationale: fc.oneof(fc.string(), fc.anything()),
        confidence: fc.anything(),
      },
      { requiredKeys: [] },
    ),
  );
  const judged = { refused: 0, open: 0 };
  await fc.assert(
    fc.asyncProperty(body, fc.constantFrom("draft", "answer"), async (data, kind) => {
      const refuse = mustBeRefused(kind, data);
      judged[refuse ? "refused" : "open"]++;
      const before = await counts();
      const res = await reader.fetch(`/api/surveys/${f.studyId}/cases/2/${kind}`, {
        method: kind === "draft" ? "PUT" : "POST",
        data: JSON.stringify(data ?? null),
        headers: { "content-type": "application/json" },
      });
      expect(res.status(), JSON.stringify(data)).toBeLessThan(500);
      if (refuse) {
        expect(res.status(), JSON.stringify(data)).toBeGreaterThanOrEqual(400);
        expect(await counts()).toEqual(before);
      }
    }),
    { numRuns: 40, seed: 42 },
  );
  // The oracle judged both ways, so the property above tested something.
  expect(judged.refused).toBeGreaterThan(0);
  expect(judged.open).toBeGreaterThan(0);

  await fc.assert(
    fc.asyncProperty(fc.anything(), async (data) => {
      const before = await counts();
      const res = await adminCtx.post("/api/admin/users", {
        data: JSON.stringify(data ?? null),
        headers: { "content-type": "application/json" },
      });
      expect(res.status(), JSON.stringify(data)).toBe(400);
      expect(await counts()).toEqual(before);
    }),
    { numRuns: 25, seed: 43 },
  );

  const before = await counts();
  const good = { slot: "A", rationale: "a plausible rationale" };
  // Oversized body, unknown study, non-numeric and out-of-range case numbers, another study's ids.
  expect(
    (
      await reader.post(`/api/surveys/${f.studyId}/cases/1/answer`, {
        data: { slot: "A", rationale: "x".repeat(100_000) },
      })
    ).status(),
  ).toBe(413);
  for (const path of [
    `/api/surveys/${other.studyId}/cases/1/answer`,
    `/api/surveys/nosuchstudy000/cases/1/answer`,
    `/api/surveys/${f.studyId}/cases/99/answer`,
    `/api/surveys/${f.studyId}/cases/-1/answer`,
    `/api/surveys/${f.studyId}/cases/1e3/answer`,
    `/api/surveys/..%2F..%2Fadmin/cases/1/answer`,
  ]) {
    expect((await reader.post(path, { data: good })).status(), path).toBe(404);
  }
  expect((await reader.get(`/api/blind/${"A".repeat(43)}`)).status()).toBe(404);
  expect(await counts()).toEqual(before);
  await reader.dispose();
  await adminCtx.dispose();
});

test("a NUL character in a text field is a 400 that saves nothing, never a 500", async () => {
  test.setTimeout(120_000);
  const f = await createStudyFixture({ cases: 2, arms: 2 });
  const reader = await signedIn("invitation", {
    token: new URL((await f.inviteReader()).link).pathname.split("/").pop()!,
  });
  const adminCtx = await signedIn("staff", await staffUser("ADMIN"));
  const researcher = await signedIn("staff", await staffUser("RESEARCHER"));
  const coordinator = await signedIn("staff", await staffUser("COORDINATOR"));
  await reader.get(`/surveys/${f.studyId}/case/1`);
  const before = await counts();
  const nul = "before\u0000after";
  const json = (data: unknown) => ({ data: JSON.stringify(data), headers: { "content-type": "application/json" } });

  expect(
    (await reader.put(`/api/surveys/${f.studyId}/cases/1/draft`, json({ slot: "A", rationale: nul }))).status(),
  ).toBe(400);
  expect(
    (await reader.post(`/api/surveys/${f.studyId}/cases/1/answer`, json({ slot: "A", rationale: nul }))).status(),
  ).toBe(400);
  const user = { email: `nul-${Date.now()}@e2e.test`, role: "RESEARCHER", password: "a-long-enough-password-1" };
  expect((await adminCtx.post("/api/admin/users", json({ ...user, name: nul }))).status()).toBe(400);
  expect((await researcher.get(`/api/researcher/queue?dataset=${encodeURIComponent(nul)}`)).status()).toBe(400);
  // Ids in the path reach the same database.
  for (const [ctx, path] of [
    [researcher, "/api/researcher/images/a%00b"],
    [researcher, "/api/researcher/heatmaps/a%00b"],
    [researcher, "/researcher/datasets/a%00b"],
    [researcher, "/researcher/runs/a%00b"],
    [coordinator, "/api/coordinator/images/a%00b"],
    [coordinator, "/coordinator/studies/a%00b"],
    [coordinator, "/api/coordinator/studies/a%00b/results"],
    [reader, "/surveys/a%00b"],
    [reader, "/api/blind/a%00b"],
  ] as const) {
    const status = (await ctx.get(path, { maxRedirects: 0 })).status();
    expect(status, path).toBeGreaterThanOrEqual(400);
    expect(status, path).toBeLessThan(500);
  }
  expect(
    (await reader.post(`/api/surveys/a%00b/cases/1/answer`, json({ slot: "A", rationale: "fine" }))).status(),
  ).toBeLessThan(500);
  await coordinator.dispose();
  expect(await counts()).toEqual(before);

  // The upload that used to answer 500 "nothing was saved" while leaving its dataset row behind.
  const entries = [];
  for (const [label, cls] of ["benign", "malignant"].entries()) {
    for (let i = 0; i < 3; i++) {
      const px = Buffer.alloc(40 * 40 * 3, 30 + 90 * label + 20 * i);
      entries.push({
        name: `${cls}/${i}.png`,
        data: await sharp(px, { raw: { width: 40, height: 40, channels: 3 } })
          .png()
          .toBuffer(),
      });
    }
  }
  const zip = buildZip(entries);
  const name = `e2e-nul-${Date.now().toString(36)}`;
  for (const query of [`fileName=a%00b.zip&name=${name}`, `fileName=a.zip&name=${name}%00`]) {
    const res = await researcher.post(`/api/researcher/datasets/upload?${query}&positive=malignant&size=32`, {
      data: zip,
      headers: { "content-type": "application/zip" },
    });
    expect(res.status(), query).toBe(400);
    expect(await res.text(), query).toContain("NUL");
  }
  expect(await db().dataset.count({ where: { name: { startsWith: name } } })).toBe(0);
  for (const ctx of [reader, adminCtx, researcher]) await ctx.dispose();
});
