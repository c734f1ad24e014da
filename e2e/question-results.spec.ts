// A coordinator builds a study with every question type on the form, two readers answer through the survey page,
// and each rating, ranking and best-map statistic on the results page equals what `focus stats` computes from the
// tidy CSV the page exports.
import { test, expect, type Page, type Browser } from "@playwright/test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { staffUser, uniqueEmail } from "./support/seed";
import { signIn } from "./support/sign-in";
import { seedDatasetWithRuns } from "../lib/testing/seed-runs";
import { runStatsCli } from "../lib/stats/cli";

const CASES = 3;

async function invite(page: Page, name: string) {
  const email = uniqueEmail(name.toLowerCase());
  await page.getByLabel("Reader email").fill(email);
  await page.getByLabel("Reader name").fill(name);
  await page.locator('select[name="specialty"]').selectOption("DERMATOLOGY");
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Invitation for ${email}` })).toBeVisible();
  return page.getByTestId("invitation-link").inputValue();
}

/** Answers every case: a map (or "none" on case 2 for the second reader), ratings, a ranking, a rationale. */
async function answerAll(browser: Browser, link: string, studyId: string, reader: number) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(link);
  await expect(page).toHaveURL(/\/surveys$/);
  await page.goto(`/surveys/${studyId}`);
  for (let n = 1; n <= CASES; n++) {
    await expect(page).toHaveURL(new RegExp(`/surveys/${studyId}/case/${n}$`));
    if (reader === 2 && n === 2) await page.getByRole("radio", { name: "None of the maps highlights" }).check();
    else await page.locator(`input[name="slot"][value="${"ABCD"[(n + reader) % 4]}"]`).check();
    for (const [i, letter] of ["A", "B", "C", "D"].entries()) {
      const value = ((i * 2 + n * reader) % 5) + 1;
      await page
        .getByRole("radiogroup", { name: `Model ${letter}, rating 1 to 5` })
        .getByLabel(String(value))
        .check();
    }
    const ranking = page.getByTestId("question-q5");
    if (reader === 1) await ranking.getByRole("button", { name: "Keep this order" }).click();
    else {
      await ranking.getByRole("button", { name: `Move Model ${"BCD"[n - 1]} up` }).click();
      await ranking
        .getByRole("checkbox", { name: /with the map above/ })
        .last()
        .check();
    }
    await page.locator('textarea[name="rationale"]').fill(`Reader ${reader} looked at case ${n} closely`);
    await page.getByRole("button", { name: "Submit answer" }).click();
  }
  await expect(page).toHaveURL(new RegExp(`/surveys/${studyId}/done$`));
  await ctx.close();
}

const dataValue = async (page: Page, testid: string) =>
  JSON.parse((await page.getByTestId(testid).first().getAttribute("data-value"))!) as number | null;

async function cli(args: string[]): Promise<unknown> {
  let out = "";
  const code = await runStatsCli([...args, "--json"], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  expect(code, out).toBe(0);
  return JSON.parse(out);
}

type Defined<T> = { defined: true } & T;
interface RatingJson {
  means: { arm: string; mean: Defined<{ mean: number; interval: Defined<{ low: number; high: number }> }> }[];
  friedman: Defined<{ statistic: number; p_value: number }>;
  icc: Defined<{ single: Defined<{ icc: number }>; average: Defined<{ icc: number }> }>;
}
interface RankingJson {
  worths: Defined<{ arms: { arm: string; worth: number; ci_low: number; ci_high: number }[] }>;
  concordance: {
    pooled: Defined<{ w: number; chi_square: number; p_value: number }>;
    mean_case_w: Defined<{ w: number }>;
  };
}

test("every question type built on the form, answered by two readers, and each statistic reproduced from the tidy CSV", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const coordinator = await staffUser("COORDINATOR");
  const { dataset } = await seedDatasetWithRuns({ images: 6 });
  await signIn(page, coordinator.email, coordinator.password);
  await page.goto("/coordinator");
  await page.getByRole("link", { name: "New study" }).click();
  await page.getByLabel("Dataset").selectOption(dataset.id);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Title").fill("Every question type");
  await page.getByLabel("Sample size").fill(String(CASES));
  await page.getByLabel("Sample seed").fill("5");
  const editor = page.getByTestId("questions-editor");
  const bestMap = editor.getByRole("listitem", { name: /Question 1: best map/ });
  await bestMap.getByRole("checkbox", { name: /None of the maps/ }).check();
  await bestMap.getByRole("checkbox", { name: /Cannot decide/ }).check();
  await editor.getByLabel("Add a question").selectOption("rating");
  await editor.getByRole("button", { name: "Add", exact: true }).click();
  await editor.getByLabel("Add a question").selectOption("ranking");
  await editor.getByRole("button", { name: "Add", exact: true }).click();
  await editor
    .getByRole("listitem", { name: /Question 5: ranking/ })
    .getByRole("checkbox", { name: "Allow ties" })
    .check();
  await page.getByRole("button", { name: "Create draft study" }).click();
  await expect(page).toHaveURL(/\/coordinator\/studies\/[a-z0-9]+$/);
  const studyId = page.url().split("/").pop()!;
  await expect(page.getByTestId("questions-editor").getByRole("listitem")).toHaveCount(5);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("study-status")).toHaveText("open");
  await expect(page.getByTestId("questions-summary").getByRole("listitem")).toHaveCount(5);
  const links = [await invite(page, "Ada"), await invite(page, "Bo")];
  for (const [i, link] of links.entries()) await answerAll(browser, link, studyId, i + 1);

  await page.goto(`/coordinator/studies/${studyId}/results`);
  await expect(page.getByTestId("count-none")).toHaveAttribute("data-value", "1");
  await expect(page.getByTestId("count-cannot-decide")).toHaveAttribute("data-value", "0");
  const res = await page.request.get(`/api/coordinator/studies/${studyId}/export-tidy.csv`);
  expect(res.status()).toBe(200);
  const dir = await mkdtemp(join(tmpdir(), "focus-questions-"));
  try {
    const file = join(dir, "tidy.csv");
    await writeFile(file, await res.text());
    const close = (actual: number | null, expected: number) => expect(actual).toBeCloseTo(expected, 10);

    const rating = (await cli(["--input", file, "--question", "q4"])) as RatingJson;
    expect(rating.means).toHaveLength(4);
    for (const m of rating.means) {
      close(await dataValue(page, `q4-mean-${m.arm}`), m.mean.mean);
      close(await dataValue(page, `q4-mean-low-${m.arm}`), m.mean.interval.low);
      close(await dataValue(page, `q4-mean-high-${m.arm}`), m.mean.interval.high);
    }
    close(await dataValue(page, "q4-friedman"), rating.friedman.statistic);
    close(await dataValue(page, "q4-friedman-p"), rating.friedman.p_value);
    close(await dataValue(page, "q4-icc-single"), rating.icc.single.icc);
    close(await dataValue(page, "q4-icc-average"), rating.icc.average.icc);

    const ranking = (await cli(["--input", file, "--question", "q5"])) as RankingJson;
    expect(ranking.worths.arms).toHaveLength(4);
    for (const a of ranking.worths.arms) {
      close(await dataValue(page, `q5-worth-${a.arm}`), a.worth);
      close(await dataValue(page, `q5-worth-low-${a.arm}`), a.ci_low);
      close(await dataValue(page, `q5-worth-high-${a.arm}`), a.ci_high);
    }
    close(await dataValue(page, "q5-kendall-w"), ranking.concordance.pooled.w);
    close(await dataValue(page, "q5-kendall-chi"), ranking.concordance.pooled.chi_square);
    close(await dataValue(page, "q5-kendall-p"), ranking.concordance.pooled.p_value);
    close(await dataValue(page, "q5-kendall-w-case"), ranking.concordance.mean_case_w.w);

    // The best map: "none" is a missing choice for the statistics over arms, on the page as in the CLI.
    const best = (await cli(["--input", file])) as {
      n_answers: number;
      n_missing: number;
      counts: Record<string, number>;
    };
    expect([best.n_answers, best.n_missing]).toEqual([2 * CASES - 1, 1]);
    expect(await dataValue(page, "answer-count")).toBe(best.n_answers);
    for (const [arm, count] of Object.entries(best.counts)) expect(await dataValue(page, `count-${arm}`)).toBe(count);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
