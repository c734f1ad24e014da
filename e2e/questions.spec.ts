// Every question type through the reader's page: best map with "none" and "cannot decide", rating, ranking (keyboard
// and drag), rationale, confidence. Nothing names an arm anywhere the reader's browser sees, axe finds nothing
// serious, and what is stored is what was answered.
import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { createStudyFixture, type StudyFixture } from "../lib/testing/study-fixture";
import { EVERY_QUESTION_TYPE } from "../lib/testing/question-templates";
import { forbiddenTermsForStudy, findStudyLeaks } from "../lib/blinding/leak-scan";
import { db } from "../lib/db/client";

async function forbiddenTerms(f: StudyFixture) {
  const hms = await db().heatmap.findMany({
    where: { id: { in: f.heatmapIds } },
    select: { overlayKey: true, mapKey: true },
  });
  const hashes = hms.flatMap((h) => [h.overlayKey, h.mapKey]).map((k) => k.split("/").pop()!.split(".")[0]);
  const study = await db().study.findUniqueOrThrow({ where: { id: f.studyId }, select: { designSeed: true } });
  const arms = await db().studyArm.findMany({ where: { studyId: f.studyId }, select: { id: true } });
  return forbiddenTermsForStudy({
    variants: f.variants.map((v) => v.toLowerCase()),
    ids: [...f.runIds, f.jobId, ...f.heatmapIds, ...hashes, ...arms.map((a) => a.id), study.designSeed],
  });
}

/** Collects every leak in what the page receives (URLs, headers, bodies) and logs. */
function watchLeaks(page: Page, terms: Awaited<ReturnType<typeof forbiddenTerms>>, leaks: string[]) {
  page.on("response", async (res) => {
    const headers = JSON.stringify(await res.allHeaders());
    const type = res.headers()["content-type"] ?? "";
    const body = type.startsWith("image/") ? "" : await res.text().catch(() => "");
    // Static bundles are the same for every study and reader: scanned for ids only (CSS says "baseline").
    const isStatic = new URL(res.url()).pathname.startsWith("/_next/static/");
    const scan = isStatic ? { words: [], substrings: terms.substrings } : terms;
    for (const hit of findStudyLeaks(`${res.url()}\n${headers}\n${body}`, scan)) leaks.push(`${hit} in ${res.url()}`);
  });
  page.on("console", (m) => {
    for (const hit of findStudyLeaks(m.text(), terms)) leaks.push(`${hit} in console`);
  });
}

async function noSeriousViolations(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    bad.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
}

async function rankOrder(page: Page) {
  const items = page.getByTestId(/^rank-item-/);
  return items.evaluateAll((els) => els.map((e) => (e.getAttribute("data-testid") ?? "").slice(-1)));
}

test("every question type is answered by keyboard and mouse, stored per question, and nothing leaks", async ({
  page,
}) => {
  const f = await createStudyFixture({ cases: 2, questions: EVERY_QUESTION_TYPE });
  const reader = await f.inviteReader();
  const leaks: string[] = [];
  watchLeaks(page, await forbiddenTerms(f), leaks);
  await page.goto(reader.link);
  await expect(page).toHaveURL(/\/surveys$/);

  // Case 1: a map, every rating, a keyboard ranking with a tie.
  await page.goto(`/surveys/${f.studyId}/case/1`);
  await expect(page.getByRole("img", { name: /Heat-map of Model/ })).toHaveCount(4);
  await noSeriousViolations(page, "case with every question type");
  const submit = page.getByRole("button", { name: "Submit answer" });
  await page.getByRole("radio", { name: /Model B/ }).check();
  await expect(submit).toBeDisabled();
  const rating = page.getByTestId("question-q2");
  for (const [letter, value] of [
    ["A", 2],
    ["B", 5],
    ["C", 3],
    ["D", 1],
  ] as const) {
    await rating
      .getByRole("radiogroup", { name: `Model ${letter}, rating 1 to 5` })
      .getByLabel(String(value))
      .check();
  }
  // A digit while focus is in the rating belongs to the rating, not to the best-map choice.
  await rating.getByRole("radiogroup", { name: "Model D, rating 1 to 5" }).getByLabel("1").focus();
  await page.keyboard.press("3");
  await expect(page.getByRole("radio", { name: /Model B/ })).toBeChecked();
  await expect(submit).toBeDisabled();
  const ranking = page.getByTestId("question-q3");
  await expect.poll(() => rankOrder(page)).toEqual(["A", "B", "C", "D"]);
  await ranking.getByRole("button", { name: "Move Model B up" }).focus();
  await page.keyboard.press("Enter");
  await expect.poll(() => rankOrder(page)).toEqual(["B", "A", "C", "D"]);
  await ranking.getByRole("button", { name: "Move Model D up" }).click();
  await expect.poll(() => rankOrder(page)).toEqual(["B", "A", "D", "C"]);
  await ranking.getByRole("checkbox", { name: /Model C with the map above/ }).check();
  await page.getByRole("textbox", { name: /Why\?/ }).fill("B follows the border");
  await page
    .getByRole("radiogroup", { name: /Confidence/ })
    .getByLabel("4")
    .check();
  await expect(page.getByTestId("save-state")).toHaveText("Draft saved");
  await noSeriousViolations(page, "case answered");
  await submit.click();
  await expect(page).toHaveURL(new RegExp(`/surveys/${f.studyId}/case/2$`));

  // Case 2: "cannot decide", ratings, and a ranking by drag and drop.
  await page.getByRole("radio", { name: "Cannot decide" }).check();
  for (const letter of ["A", "B", "C", "D"])
    await page
      .getByTestId("question-q2")
      .getByRole("radiogroup", { name: `Model ${letter}, rating 1 to 5` })
      .getByLabel("3")
      .check();
  await page.getByTestId("rank-item-D").dragTo(page.getByTestId("rank-item-A"));
  await expect.poll(() => rankOrder(page)).toEqual(["D", "A", "B", "C"]);
  await page.getByRole("button", { name: "Submit answer" }).click();
  await expect(page).toHaveURL(new RegExp(`/surveys/${f.studyId}/done$`));

  // Stored per question, in the slots this reader saw; the arms are resolved only on the server.
  const rows = await db().response.findMany({
    where: { readerId: reader.readerId, studyCase: { studyId: f.studyId } },
    orderBy: { studyCase: { caseIndex: "asc" } },
  });
  expect(rows.map((r) => [r.chosenSlot, r.chosenOption, r.rationale, r.confidence])).toEqual([
    [1, null, "B follows the border", 4],
    [null, "CANNOT_DECIDE", "", null],
  ]);
  expect(rows.map((r) => r.answers)).toEqual([
    { q2: [2, 5, 3, 1], q3: [2, 1, 3, 3] },
    { q2: [3, 3, 3, 3], q3: [2, 3, 4, 1] },
  ]);

  // Coming back shows the answers as submitted.
  // A tie has no order inside it: the tied maps come back in slot order.
  await page.goto(`/surveys/${f.studyId}/case/1`);
  await expect.poll(() => rankOrder(page)).toEqual(["B", "A", "C", "D"]);
  await expect(page.getByRole("checkbox", { name: /Model D with the map above/ })).toBeChecked();
  await expect(page.getByTestId("save-state")).toHaveText("Answer submitted");
  await page.goto(`/surveys/${f.studyId}/answers`);
  await expect(page.getByText("Cannot decide")).toBeVisible();
  await noSeriousViolations(page, "my answers");
  expect(leaks).toEqual([]);
});

test("bad answers get a 4xx naming the field and change nothing", async ({ page }) => {
  const f = await createStudyFixture({ cases: 1, questions: EVERY_QUESTION_TYPE });
  const reader = await f.inviteReader();
  await page.goto(reader.link);
  await expect(page).toHaveURL(/\/surveys$/);
  const url = `/api/surveys/${f.studyId}/cases/1/answer`;
  const good = {
    slot: "A",
    ratings: { q2: { A: 1, B: 2, C: 3, D: 4 } },
    rankings: { q3: [["A"], ["B"], ["C"], ["D"]] },
  };
  const bad: [unknown, string][] = [
    [{ ...good, rankings: { q3: [["A"], ["B"], ["C"]] } }, "rankings.q3"],
    [{ ...good, rankings: { q3: [["A"], ["B"], ["C"], ["C"]] } }, "rankings.q3"],
    [{ ...good, ratings: { q2: { ...good.ratings.q2, B: 6 } } }, "ratings.q2.B"],
    [{ ...good, ratings: { ...good.ratings, q8: { A: 1 } } }, "ratings.q8"],
    [{ ...good, option: "maybe" }, "option"],
  ];
  for (const [body, field] of bad) {
    const res = await page.request.post(url, { data: body });
    expect(res.status(), JSON.stringify(body)).toBe(400);
    const json = (await res.json()) as { details?: { field: string }[] };
    expect(json.details?.map((d) => d.field)).toContain(field);
  }
  expect(await db().response.count({ where: { readerId: reader.readerId } })).toBe(0);
  expect((await page.request.post(url, { data: good })).status()).toBe(200);
});
