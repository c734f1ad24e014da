import { test, expect, type Page, type BrowserContext } from "@playwright/test";
import { createStudyFixture, type StudyFixture } from "../lib/testing/study-fixture";
import { forbiddenTermsForStudy, findSizeFingerprints, findStudyLeaks } from "../lib/blinding/leak-scan";
import { db } from "../lib/db/client";
import { CAM_PAYLOAD_BYTES } from "../lib/ml/render/cam-payload";

/** Every blinded URL a case page names: the original, and per slot its picture and its raw map. */
async function blindUrls(page: Page): Promise<string[]> {
  const html = await page.content();
  const rsc = await page.evaluate(() => [...document.scripts].map((s) => s.textContent ?? "").join("\n"));
  return [
    ...new Set([...`${html}\n${rsc}`.matchAll(/\/api\/blind\/[A-Za-z0-9_-]{20,64}(?:\/cam)?/g)].map((m) => m[0])),
  ];
}

async function enter(page: Page, link: string) {
  await page.goto(link);
  await expect(page).toHaveURL(/\/surveys$/);
}

async function answersOf(readerId: string, studyId: string) {
  return db().response.findMany({ where: { readerId, studyCase: { studyId }, submittedAt: { not: null } } });
}

async function forbiddenTerms(f: StudyFixture) {
  const hms = await db().heatmap.findMany({
    where: { id: { in: f.heatmapIds } },
    select: { overlayKey: true, mapKey: true },
  });
  const hms2 = await db().heatmap.findMany({ where: { id: { in: f.heatmapIds } }, select: { camKey: true } });
  const hashes = [
    ...hms.flatMap((h) => [h.overlayKey, h.mapKey]),
    ...hms2.flatMap((h) => (h.camKey ? [h.camKey] : [])),
  ].map((k) => k.split("/").pop()!.split(".")[0]);
  const study = await db().study.findUniqueOrThrow({ where: { id: f.studyId }, select: { designSeed: true } });
  return forbiddenTermsForStudy({
    variants: f.variants.map((v) => v.toLowerCase()),
    ids: [...f.runIds, f.jobId, ...f.heatmapIds, ...hashes, study.designSeed],
  });
}

test("a reader completes a three-case study (one case repeated) with the keyboard only, and nothing leaks", async ({
  page,
}) => {
  // P on, so the scan covers the probability labels and their explanations too. One case is repeated at the end
  // (case 4 of 4): the scan covers a repeated reading, which must look like any other case.
  const f = await createStudyFixture({ cases: 3, settings: { showProbabilities: true, repeatedCases: 1 } });
  const reader = await f.inviteReader();
  const terms = await forbiddenTerms(f);
  const leaks: string[] = [];
  /** The blinded files the browser fetched: kind (original, map) and byte size. */
  const blindFiles: { url: string; type: string; bytes: number }[] = [];
  page.on("response", async (res) => {
    const headers = JSON.stringify(await res.allHeaders());
    const type = res.headers()["content-type"] ?? "";
    let body = "";
    if (!type.startsWith("image/") && type !== "application/octet-stream") body = await res.text().catch(() => "");
    if (new URL(res.url()).pathname.startsWith("/api/blind/")) {
      const bytes = await res.body().catch(() => Buffer.alloc(0));
      blindFiles.push({ url: new URL(res.url()).pathname, type, bytes: bytes.length });
      // Binary payloads too: no id, hash or name in their bytes, and no validator or file name in their headers.
      body = bytes.toString("latin1");
      for (const h of ["etag", "last-modified", "content-disposition"])
        if (res.headers()[h] !== undefined) leaks.push(`${h} header on ${res.url()}`);
    }
    // Static bundles are byte-identical for every study and reader, so they cannot carry an assignment;
    // they are scanned for ids only (CSS says "baseline" as a keyword). Everything dynamic (HTML, RSC
    // payloads, JSON, headers, URLs) is scanned for variant names as well.
    const isStatic = new URL(res.url()).pathname.startsWith("/_next/static/");
    const scan = isStatic ? { words: [], substrings: terms.substrings } : terms;
    for (const hit of findStudyLeaks(`${res.url()}\n${headers}\n${body}`, scan)) leaks.push(`${hit} in ${res.url()}`);
    if (res.url().includes("/surveys") || res.url().includes("/api/")) {
      expect(res.headers()["cache-control"] ?? "", res.url()).toMatch(/no-store/);
    }
  });
  page.on("console", (m) => {
    for (const hit of findStudyLeaks(m.text(), terms)) leaks.push(`${hit} in console`);
  });

  await enter(page, reader.link);
  await expect(page.getByText("0 of 4 cases answered")).toBeVisible();
  await page.getByRole("link", { name: "Start" }).focus();
  await page.keyboard.press("Enter");

  const urlsOf: string[][] = [];
  for (let n = 1; n <= 4; n++) {
    await expect(page.getByTestId("case-progress")).toContainText(`Case ${n} of 4`);
    // Nothing on the page tells a repeated reading from a first one.
    expect(await page.locator("main").innerText()).not.toMatch(/repeat/i);
    await expect(page.getByRole("img", { name: /Heat-map of Model [A-D]/ })).toHaveCount(4);
    for (const img of await page.getByRole("img").all()) {
      const name = await img.evaluate((e) => e.getAttribute("alt") ?? e.getAttribute("aria-label"));
      expect(name).toMatch(/^(Original image, case \d+|Heat-map of Model [A-D])$/);
    }
    // The maps are drawn from raw class-activation maps over the display copy: four map files, one original.
    await expect.poll(() => blindFiles.filter((b) => b.url.endsWith("/cam")).length).toBe(4 * n);
    const p = page.getByText(/^P\((benign|malignant)\) = \d+ %$/);
    await expect(p).toHaveCount(4);
    await p.first().focus();
    await expect(page.getByRole("tooltip").first()).toBeVisible();
    await expect(page.getByRole("tooltip").first()).toContainText(
      /Model A's probability that this image is (benign|malignant), the image's true class/,
    );
    // The comparison view on every case: open it, switch and add maps, zoom, change the opacity, hide the maps.
    await page.getByRole("img", { name: "Heat-map of Model A" }).focus();
    await page.keyboard.press("Space");
    const compare = page.getByRole("dialog", { name: /Comparison/ });
    await expect(compare).toBeVisible();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("4");
    await page.keyboard.press("+");
    await compare.getByRole("slider", { name: /Overlay opacity/ }).fill("40");
    await page.mouse.wheel(0, -200);
    await page.keyboard.down("h");
    await page.keyboard.up("h");
    // Zoom, pan and overlay state live in the page only: nothing fetched, nothing in the URL or storage, and the
    // page's markup with the view open names no model.
    expect(blindFiles.length).toBe(5 * n);
    // This case's five files (original and four maps), fetched since the previous case.
    urlsOf.push(blindFiles.slice(5 * (n - 1)).map((b) => b.url));
    const state = await page.evaluate(() =>
      JSON.stringify({
        href: location.href,
        local: { ...localStorage },
        session: { ...sessionStorage },
        cookie: document.cookie,
        // Class names are the static style sheet's words ("items-baseline"), the same on every page.
        html: (() => {
          const copy = document.documentElement.cloneNode(true) as HTMLElement;
          for (const el of copy.querySelectorAll("[class]")) el.removeAttribute("class");
          return copy.outerHTML;
        })(),
      }),
    );
    for (const hit of findStudyLeaks(state, terms)) leaks.push(`${hit} in the page state of case ${n}`);
    await page.keyboard.press("Escape");
    await expect(compare).toHaveCount(0);
    await page.locator("body").press(String(n)); // choose Model A/B/C/D by key
    await expect(page.getByRole("radio", { name: new RegExp(`Model ${"ABCD"[n - 1]}`) })).toBeChecked();
    await page.getByRole("textbox", { name: /Rationale/ }).focus();
    await page.keyboard.type(`Reason number ${n} with detail`);
    await page.keyboard.press("Control+Enter");
  }
  await expect(page).toHaveURL(new RegExp(`/surveys/${f.studyId}/done$`));
  await expect(page.getByTestId("done-count")).toContainText("You answered 4 of 4 cases");
  const stored = await answersOf(reader.readerId, f.studyId);
  expect(stored).toHaveLength(4);
  expect(stored.map((r) => r.chosenSlot).sort()).toEqual([0, 1, 2, 3]);
  expect(stored.map((r) => r.repeat).sort()).toEqual([0, 0, 0, 1]);
  // The repeated reading's URLs are its own: none of them is the first reading's (or any other case's).
  expect(urlsOf.map((u) => u.length)).toEqual([5, 5, 5, 5]);
  const earlier = new Set(urlsOf.slice(0, 3).flat());
  expect(urlsOf[3].filter((u) => earlier.has(u))).toEqual([]);
  expect(leaks).toEqual([]);
  // File sizes: every raw map has the same length whatever its model; one original (display copy) per case.
  const maps = blindFiles.filter((b) => b.url.endsWith("/cam"));
  expect(maps).toHaveLength(16);
  expect(new Set(maps.map((m) => `${m.type} ${m.bytes}`))).toEqual(
    new Set([`application/octet-stream ${CAM_PAYLOAD_BYTES}`]),
  );
  // Five files per case, in case order (counted on each case above); the page's URL at a file's arrival can lag a
  // client-side navigation, so the case is the file's place in that sequence.
  const received = blindFiles.map((b, i) => ({
    caseNumber: Math.floor(i / 5) + 1,
    kind: b.url.endsWith("/cam") ? "map" : "original",
    bytes: b.bytes,
  }));
  expect(findSizeFingerprints(received)).toEqual([]);
  const originals = blindFiles.filter((b) => !b.url.endsWith("/cam"));
  expect(originals).toHaveLength(4);
  expect(new Set(originals.map((o) => o.type))).toEqual(new Set(["image/jpeg"]));
});

test("a typed rationale survives a reload, and a double submit stores one answer", async ({ page }) => {
  const f = await createStudyFixture({ cases: 2 });
  const reader = await f.inviteReader();
  await enter(page, reader.link);
  await page.goto(`/surveys/${f.studyId}/case/1`);
  await page.getByRole("radio", { name: /Model B/ }).check();
  await page.getByRole("textbox", { name: /Rationale/ }).fill("The border is irregular");
  await expect(page.getByTestId("save-state")).toHaveText("Draft saved");
  await page.reload();
  await expect(page.getByRole("textbox", { name: /Rationale/ })).toHaveValue("The border is irregular");
  await expect(page.getByRole("radio", { name: /Model B/ })).toBeChecked();

  const submit = page.getByRole("button", { name: "Submit answer" });
  await submit.dblclick();
  await expect(page.getByTestId("case-progress")).toContainText("Case 2 of 2");
  // A retried request after a network error: the same answer again.
  const retry = await page.request.post(`/api/surveys/${f.studyId}/cases/1/answer`, {
    data: { slot: "B", rationale: "The border is irregular" },
  });
  expect(retry.status()).toBe(200);
  const stored = await answersOf(reader.readerId, f.studyId);
  expect(stored).toHaveLength(1);
  expect(stored[0].rationale).toBe("The border is irregular");
});

test("a reader cannot open another reader's heat-maps or another study", async ({ browser }) => {
  const f = await createStudyFixture({ cases: 1 });
  const other = await createStudyFixture({ cases: 1 });
  const a = await f.inviteReader();
  const b = await f.inviteReader();
  const contexts: BrowserContext[] = [];
  const open = async (link: string) => {
    const ctx = await browser.newContext();
    contexts.push(ctx);
    const page = await ctx.newPage();
    await enter(page, link);
    return page;
  };
  const pageA = await open(a.link);
  await pageA.goto(`/surveys/${f.studyId}/case/1`);
  await expect(pageA.getByRole("img", { name: /Heat-map of Model/ })).toHaveCount(4);
  // The original, four pictures and four raw maps.
  const urls = await blindUrls(pageA);
  expect(urls).toHaveLength(9);
  const sizes = new Map<string, number>();
  for (const u of urls) {
    const res = await pageA.request.get(u);
    expect(res.status()).toBe(200);
    expect(res.headers()["cache-control"]).toBe("private, no-store");
    expect(res.headers()["content-disposition"]).toBeUndefined();
    expect(res.headers()["etag"]).toBeUndefined();
    sizes.set(u, (await res.body()).length);
  }
  expect(new Set(urls.filter((u) => u.endsWith("/cam")).map((u) => sizes.get(u)))).toEqual(
    new Set([CAM_PAYLOAD_BYTES]),
  );
  // The display copy is one file for every reader: reader B's original has the same bytes as A's.
  const pageB = await open(b.link);
  await pageB.goto(`/surveys/${f.studyId}/case/1`);
  const originalOf = async (p: Page) => p.getByRole("img", { name: /Original image/ }).getAttribute("src");
  const [origA, origB] = [(await originalOf(pageA))!, (await originalOf(pageB))!];
  expect(origA).not.toBe(origB);
  expect(await (await pageA.request.get(origA)).body()).toEqual(await (await pageB.request.get(origB)).body());
  for (const u of urls) expect((await pageB.request.get(u)).status()).toBe(404);
  const anonymous = await browser.newContext();
  contexts.push(anonymous);
  for (const u of urls) expect((await anonymous.request.get(`${u}`)).status()).toBe(404);

  const res = await pageB.goto(`/surveys/${other.studyId}/case/1`);
  expect(res?.status()).toBe(404);
  const write = await pageB.request.post(`/api/surveys/${other.studyId}/cases/1/answer`, {
    data: { slot: "A", rationale: "not my study" },
  });
  expect(write.status()).toBe(404);
  const bad = await pageB.request.post(`/api/surveys/${f.studyId}/cases/1/answer`, {
    data: { slot: "F", rationale: "unknown slot" },
  });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toMatch(/slot/);
  for (const c of contexts) await c.close();
});

test("a closed study says so and refuses answers", async ({ page }) => {
  const f = await createStudyFixture({ cases: 1, status: "CLOSED" });
  const reader = await f.inviteReader().catch(() => null);
  expect(reader).toBeNull(); // no invitations once closed
  const open = await createStudyFixture({ cases: 1 });
  const r = await open.inviteReader();
  await enter(page, r.link);
  await db().study.update({ where: { id: open.studyId }, data: { status: "CLOSED" } });
  await page.goto(`/surveys/${open.studyId}/case/1`);
  await expect(page.getByText("This study is closed")).toBeVisible();
  const res = await page.request.post(`/api/surveys/${open.studyId}/cases/1/answer`, {
    data: { slot: "A", rationale: "too late now" },
  });
  expect(res.status()).toBe(409);
});

test("the grid fits a 768 px tablet without sideways scrolling, with the comparison view beside the original", async ({
  page,
}) => {
  const f = await createStudyFixture({ cases: 1, arms: 4 });
  const reader = await f.inviteReader();
  await page.setViewportSize({ width: 768, height: 1024 });
  await enter(page, reader.link);
  await page.goto(`/surveys/${f.studyId}/case/1`);
  await expect(page.getByRole("img", { name: /Heat-map of Model/ })).toHaveCount(4);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
  await page.getByRole("button", { name: "Compare Model C" }).click();
  const dialog = page.getByRole("dialog", { name: /Comparison: original and Model C/ });
  await expect(dialog.getByRole("img", { name: "Model C" })).toBeVisible();
  await expect(dialog.getByRole("img", { name: /Original image/ })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
});
