// The reader's workstation: keys that respect the focused control, an honest edit state, a grid that fits a
// laptop screen, and the comparison view with shared zoom and pan.
import { test, expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { createStudyFixture } from "../lib/testing/study-fixture";
import { db } from "../lib/db/client";
import { colourTable } from "../lib/ml/render/colour-map";

const SHOTS = process.env.FOCUS_UPDATE_SCREENSHOTS === "1" ? "docs/screenshots" : "test-results/screenshots";

async function openCase(page: Page, opts: Parameters<typeof createStudyFixture>[0] = {}) {
  const f = await createStudyFixture({ cases: 2, ...opts });
  const reader = await f.inviteReader();
  await page.goto(reader.link);
  await expect(page).toHaveURL(/\/surveys$/);
  await page.goto(`/surveys/${f.studyId}/case/1`);
  await expect(page.getByRole("img", { name: /Heat-map of Model/ }).first()).toBeVisible();
  return { f, reader };
}

test("digit keys in the confidence buttons or the rationale do not change the model choice", async ({ page }) => {
  await openCase(page, { settings: { confidenceEnabled: true } });
  await page.locator("body").press("2");
  await expect(page.getByRole("radio", { name: /Model B/ })).toBeChecked();
  await page.getByRole("radio", { name: "4" }).check();
  await page.keyboard.press("1");
  await page.keyboard.press("3");
  await expect(page.getByRole("radio", { name: /Model B/ })).toBeChecked();
  // Enter in the confidence buttons does not submit either.
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/case\/1$/);
  await page.getByRole("textbox", { name: /Rationale/ }).fill("Typed 1 and 3");
  await page.keyboard.press("3");
  await expect(page.getByRole("radio", { name: /Model B/ })).toBeChecked();
  await page.getByRole("textbox", { name: /Rationale/ }).blur();
  await page.keyboard.press("?");
  const keys = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(keys).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(keys).toHaveCount(0);
  // Enter from the choice group submits.
  await page.getByRole("radio", { name: /Model B/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/case\/2$/);
});

test("an answered case with a change says so, offers Submit change, and warns on leaving", async ({ page }) => {
  const { f, reader } = await openCase(page);
  await page.getByRole("radio", { name: /Model A/ }).check();
  await page.getByRole("textbox", { name: /Rationale/ }).fill("First reason");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await expect(page).toHaveURL(/\/case\/2$/);
  await page.goto(`/surveys/${f.studyId}/case/1`);
  await expect(page.getByTestId("save-state")).toHaveText("Answer submitted");
  await page.getByRole("radio", { name: /Model C/ }).check();
  await expect(page.getByTestId("save-state")).toHaveText("Changed, not submitted");
  await expect(page.getByRole("button", { name: "Submit change" })).toBeEnabled();
  // The draft is autosaved, and a reload still tells the truth.
  await page.waitForTimeout(1200);
  await page.reload();
  await expect(page.getByTestId("save-state")).toHaveText("Changed, not submitted");

  const asked: string[] = [];
  page.on("dialog", (d) => {
    asked.push(d.type());
    void d.dismiss();
  });
  await page.getByRole("button", { name: "Next →" }).click();
  await page.getByRole("link", { name: "My studies" }).click();
  await expect(page).toHaveURL(/\/case\/1$/);
  expect(asked).toEqual(["confirm", "confirm"]);
  const stored = await db().response.findMany({
    where: { readerId: reader.readerId, studyCase: { studyId: f.studyId } },
  });
  expect(stored.find((r) => r.submittedAt)?.chosenSlot).toBe(0);

  await page.getByRole("button", { name: "Submit change" }).click();
  await expect(page).toHaveURL(/\/case\/2$/);
  const after = await db().response.findMany({
    where: { readerId: reader.readerId, submittedAt: { not: null }, studyCase: { studyId: f.studyId } },
  });
  expect(after.map((r) => r.chosenSlot)).toEqual([2]);
  await page.goto(`/surveys/${f.studyId}/case/1`);
  await page.getByRole("radio", { name: /Model D/ }).check();
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => asked.includes("beforeunload")).toBe(true);
});

for (const [vp, arms, minSide] of [
  [{ width: 1366, height: 768 }, 4, 256],
  [{ width: 1280, height: 800 }, 4, 256],
  [{ width: 1366, height: 768 }, 6, 240],
  [{ width: 1280, height: 800 }, 6, 240],
] as const) {
  test(`at ${vp.width}×${vp.height} the original, ${arms} maps ≥ ${minSide} px, question, choice, rationale and Submit need no scrolling`, async ({
    page,
  }) => {
    await page.setViewportSize(vp);
    const { f } = await openCase(page, { arms });
    const letters = "ABCDEF".slice(0, arms);
    const question = await db().study.findUniqueOrThrow({ where: { id: f.studyId }, select: { question: true } });
    const inside = (name: string, box: { x: number; y: number; width: number; height: number } | null) => {
      expect(box, name).not.toBeNull();
      expect(box!.x, name).toBeGreaterThanOrEqual(0);
      expect(box!.y, name).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(vp.width);
      expect(box!.y + box!.height, name).toBeLessThanOrEqual(vp.height);
    };
    inside("original", await page.getByRole("img", { name: /Original image/ }).boundingBox());
    await expect(page.getByRole("img", { name: /Heat-map of Model/ })).toHaveCount(arms);
    for (const l of letters) {
      const box = await page.getByRole("img", { name: `Heat-map of Model ${l}` }).boundingBox();
      inside(`map ${l}`, box);
      expect(box!.width).toBeGreaterThanOrEqual(minSide);
      inside(`choice ${l}`, await page.getByRole("radio", { name: new RegExp(`Model ${l}`) }).boundingBox());
    }
    inside("question", await page.getByRole("heading", { name: question.question }).boundingBox());
    inside("rationale", await page.getByRole("textbox", { name: /Rationale/ }).boundingBox());
    inside("submit", await page.getByRole("button", { name: "Submit answer" }).boundingBox());
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    mkdirSync(SHOTS, { recursive: true });
    // Every map panel has its overlay drawn (loaded, coloured, composited at the study's default half opacity).
    await expect
      .poll(() =>
        page.getByTestId("map-layer").evaluateAll((cs) => cs.filter((c) => (c as HTMLCanvasElement).width > 1).length),
      )
      .toBe(arms);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(vp.width);
    await page.screenshot({ path: `${SHOTS}/reader-case-${arms === 6 ? "6-arms-" : ""}${vp.width}x${vp.height}.png` });
    // The last map's digit chooses it, and in the comparison view switches it in beside the first.
    const last = letters[arms - 1];
    await page.locator("body").press(String(arms));
    await expect(page.getByRole("radio", { name: new RegExp(`Model ${last}`) })).toBeChecked();
    await page.getByRole("button", { name: "Compare Model A" }).click();
    await page.keyboard.press(String(arms));
    const dialog = page.getByRole("dialog", { name: `Comparison: original and Model A and Model ${last}` });
    await expect(dialog.getByTestId("compare-canvas")).toHaveCount(3);
    for (const c of await dialog.getByTestId("compare-canvas").all()) inside("comparison panel", await c.boundingBox());
  });
}

test("tablet layouts (both orientations) keep every map on screen sideways", async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  const { f } = await openCase(page, { arms: 4 });
  for (const vp of [
    { width: 1024, height: 768 },
    { width: 768, height: 1024 },
  ]) {
    await page.setViewportSize(vp);
    await page.goto(`/surveys/${f.studyId}/case/1`);
    await expect(page.getByRole("img", { name: /Heat-map of Model/ })).toHaveCount(4);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(vp.width);
    await page.screenshot({ path: `${SHOTS}/reader-case-tablet-${vp.width}x${vp.height}.png` });
  }
});

const transformOf = (page: Page) =>
  page
    .getByRole("img", { name: /Heat-map of Model|Original image/ })
    .evaluateAll((imgs) => imgs.map((i) => (i as HTMLElement).style.transform));

test("comparison view: zoom and pan in sync everywhere, opacity changes the drawn overlay, focus handled", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openCase(page, { arms: 4 });
  // Zoom in the grid: every panel follows.
  const mapB = page.getByRole("img", { name: "Heat-map of Model B" });
  const box = (await mapB.boundingBox())!;
  // Taken before zooming: a zoomed picture's own box is its scaled, clipped-off extent.
  const orig = (await page.getByRole("img", { name: /Original image/ }).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.3);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => new Set(await transformOf(page)).size).toBe(1);
  const zoomed = (await transformOf(page))[0];
  expect(zoomed).toMatch(/scale\((?!1\))/);
  // Pan by dragging the original: every panel follows.
  await page.mouse.move(orig.x + orig.width / 2, orig.y + orig.height / 2);
  await page.mouse.down();
  await page.mouse.move(orig.x + orig.width / 2 + 40, orig.y + orig.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await transformOf(page))[0]).not.toBe(zoomed);
  const panned = await transformOf(page);
  expect(new Set(panned).size).toBe(1);

  // Space on a panel opens the comparison view.
  await mapB.focus();
  await page.keyboard.press("Space");
  await expect(page.getByRole("dialog", { name: /Comparison: original and Model B$/ })).toBeVisible();
  const dialog = page.getByRole("dialog", { name: /Comparison/ });
  await expect(dialog).toHaveJSProperty("open", true);
  // Modal: the backdrop, not the page, is under a point outside the dialog; the page behind is inert.
  expect(await page.evaluate(() => document.elementFromPoint(2, 2)?.tagName)).toBe("DIALOG");
  await expect(dialog.getByTestId("zoom-level")).not.toHaveText("100 %");
  await page.keyboard.press("3");
  await expect(page.getByRole("dialog", { name: /Model B and Model C/ })).toBeVisible();
  await expect(dialog.getByTestId("compare-canvas")).toHaveCount(3);
  await page.keyboard.press("2");
  await expect(page.getByRole("dialog", { name: /original and Model C$/ })).toBeVisible();
  await page.keyboard.press("0");
  await expect(dialog.getByTestId("zoom-level")).toHaveText("100 %");
  await page.keyboard.press("+");
  await expect(dialog.getByTestId("zoom-level")).toHaveText("125 %");
  // The grid behind follows the dialog's zoom.
  expect((await transformOf(page))[0]).toContain("scale(1.25)");

  const pixel = () =>
    page.evaluate(() => {
      const [original, map] = [...document.querySelectorAll("dialog canvas")] as HTMLCanvasElement[];
      const at = (c: HTMLCanvasElement) => [...c.getContext("2d")!.getImageData(c.width / 2, c.height / 2, 1, 1).data];
      const sum = (c: HTMLCanvasElement) =>
        c
          .getContext("2d")!
          .getImageData(0, 0, c.width, c.height)
          .data.reduce((a, b) => a + b, 0);
      // Distinct colours along the middle row: a 7x7 map drawn blocky would have at most 7 at full opacity.
      const row = (c: HTMLCanvasElement) => {
        const d = c.getContext("2d")!.getImageData(0, Math.floor(c.height / 2), c.width, 1).data;
        const colours = new Set<string>();
        for (let i = 0; i < d.length; i += 4) colours.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
        return colours.size;
      };
      return {
        original: at(original),
        map: at(map),
        originalSum: sum(original),
        mapSum: sum(map),
        rowColours: row(map),
      };
    });
  const opacity = dialog.getByRole("slider", { name: /Overlay opacity/ });
  await expect.poll(async () => (await pixel()).mapSum).toBeGreaterThan(0);
  // The raw map loads, then the panel is the original with the map over it at the default half opacity.
  await expect(opacity).toHaveValue("50");
  await expect.poll(async () => (await pixel()).mapSum).not.toBe((await pixel()).originalSum);
  await opacity.fill("100");
  await expect(dialog.getByText("100 %", { exact: true })).toBeVisible();
  const full = await pixel();
  expect(full.mapSum).not.toBe(full.originalSum);
  // Smoothly up-sampled: many colours across the map, where the 7x7 grid has 7 cells a row.
  expect(full.rowColours).toBeGreaterThan(30);
  // The colour map is the study's (jet by default): the opaque map's pixel is a jet colour.
  const jet = colourTable("jet");
  const nearestJet = (rgb: number[]) =>
    Math.min(
      ...Array.from({ length: 256 }, (_, k) => Math.max(...[0, 1, 2].map((c) => Math.abs(jet[3 * k + c] - rgb[c])))),
    );
  expect(nearestJet(full.map)).toBeLessThanOrEqual(3);
  await opacity.fill("0");
  await expect(dialog.getByText("0 %", { exact: true })).toBeVisible();
  const none = await pixel();
  expect(none.mapSum).toBe(none.originalSum);
  // In between, the drawn pixel is the alpha blend of the original and the map: the slider is the real alpha.
  for (const percent of [30, 80]) {
    await opacity.fill(String(percent));
    await expect(dialog.getByText(`${percent} %`, { exact: true })).toBeVisible();
    const a = percent / 100;
    const p = await pixel();
    for (let c = 0; c < 3; c++) {
      expect(
        Math.abs(p.map[c] - ((1 - a) * none.map[c] + a * full.map[c])),
        `channel ${c} at ${percent} %`,
      ).toBeLessThanOrEqual(3);
    }
  }
  await opacity.fill("100");
  await dialog.getByRole("button", { name: "Close" }).focus();
  await page.keyboard.down("h");
  await expect
    .poll(async () => {
      const p = await pixel();
      return p.mapSum === p.originalSum;
    })
    .toBe(true);
  await page.keyboard.up("h");
  await expect.poll(async () => (await pixel()).mapSum).toBe(full.mapSum);
  await expect(dialog.getByText(/low/)).toBeVisible();

  // Focus stays inside while tabbing, and returns to the panel on close.
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => !!document.activeElement?.closest("dialog"))).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(mapB).toBeFocused();
  // The grid shares the opacity: its overlays are drawn at the slider's value.
  expect(
    new Set(await page.getByTestId("map-layer").evaluateAll((cs) => cs.map((c) => (c as HTMLElement).style.opacity))),
  ).toEqual(new Set(["1"]));
});

test("the study's colour map colours every map and its legend", async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await openCase(page, { arms: 4, settings: { colourMap: "viridis" } });
  await page.getByRole("button", { name: "Compare Model A" }).click();
  const dialog = page.getByRole("dialog", { name: /Comparison/ });
  await expect(
    dialog.getByRole("img", { name: /Colour legend: dark purple is low attention, yellow is high/ }),
  ).toBeVisible();
  await dialog.getByRole("slider", { name: /Overlay opacity/ }).fill("100");
  const viridis = colourTable("viridis");
  const colours = await page.evaluate(() => {
    const c = [...document.querySelectorAll("dialog canvas")][1] as HTMLCanvasElement;
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    const out: number[][] = [];
    for (let i = 0; i < d.length; i += 4 * 997) out.push([d[i], d[i + 1], d[i + 2]]);
    return out;
  });
  expect(colours.length).toBeGreaterThan(50);
  // Every sampled pixel of the opaque map is (within rounding) a viridis colour, and they span the map.
  const nearest = (rgb: number[]) => {
    let best = { k: 0, d: Infinity };
    for (let k = 0; k < 256; k++) {
      const d = Math.max(...[0, 1, 2].map((c) => Math.abs(viridis[3 * k + c] - rgb[c])));
      if (d < best.d) best = { k, d };
    }
    return best;
  };
  const found = colours.map(nearest);
  expect(Math.max(...found.map((f) => f.d))).toBeLessThanOrEqual(3);
  expect(Math.max(...found.map((f) => f.k)) - Math.min(...found.map((f) => f.k))).toBeGreaterThan(128);
});

test("My answers lists every case with status, letter and thumbnail; flag and unflag; jump to a case", async ({
  page,
}) => {
  const { f } = await openCase(page, { cases: 3 });
  await page.getByRole("radio", { name: /Model B/ }).check();
  await page.getByRole("textbox", { name: /Rationale/ }).fill("Clear border");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await expect(page).toHaveURL(/\/case\/2$/);
  await page.getByRole("radio", { name: /Model C/ }).check();
  await expect(page.getByTestId("save-state")).toHaveText("Draft saved");
  await page.getByRole("link", { name: "My answers" }).click();
  await expect(page).toHaveURL(new RegExp(`/surveys/${f.studyId}/answers$`));
  const row = (n: number) => page.getByTestId(`answer-row-${n}`);
  await expect(row(1)).toContainText("Answered");
  await expect(row(1)).toContainText("Model B");
  await expect(row(2)).toContainText("Draft");
  await expect(row(2)).toContainText("Model C");
  await expect(row(3)).toContainText("Not started");
  const thumb = row(1).getByRole("img", { name: "Original image, case 1" });
  await expect(thumb).toBeVisible();
  // The thumbnail is the original's per-reader token, the one the case page shows, not a new kind of URL.
  expect(await thumb.getAttribute("src")).toMatch(/^\/api\/blind\/[A-Za-z0-9_-]{20,64}$/);
  await row(3).getByRole("button", { name: "Flag case 3" }).click();
  await expect(row(3)).toContainText("Flagged");
  await page.reload();
  await expect(row(3)).toContainText("Flagged");
  await row(3).getByRole("button", { name: "Unflag case 3" }).click();
  await expect(row(3)).not.toContainText("Flagged");
  await row(1).getByRole("link", { name: "Case 1" }).click();
  await expect(page).toHaveURL(/\/case\/1$/);
  await expect(page.getByRole("radio", { name: /Model B/ })).toBeChecked();
});
