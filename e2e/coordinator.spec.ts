// A coordinator builds and publishes a study from seeded runs, invites two readers who answer through the
// real survey UI, watches the statistics, downloads the CSV and gets the same numbers from `focus stats`.
import { test, expect, type Page, type Browser } from "@playwright/test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { staffUser, uniqueEmail } from "./support/seed";
import { seedDatasetWithRuns } from "../lib/testing/seed-runs";
import { runStatsCli } from "../lib/stats/cli";
import { db } from "../lib/db/client";
import { signIn } from "./support/sign-in";

async function invite(page: Page, name: string, specialty: "DERMATOLOGY" | "RADIOLOGY") {
  const email = uniqueEmail(name.toLowerCase());
  await page.getByLabel("Reader email").fill(email);
  await page.getByLabel("Reader name").fill(name);
  await page.locator('select[name="specialty"]').selectOption(specialty);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Invitation for ${email}` })).toBeVisible();
  const link = await page.getByTestId("invitation-link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
  return { email, link };
}

/** Opens the invitation in a fresh browser and answers every case through the survey page. */
async function answerAll(
  browser: Browser,
  link: string,
  studyId: string,
  slots: string[],
  rationale: (n: number) => string,
) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(link);
  await expect(page).toHaveURL(/\/surveys$/);
  await page.goto(`/surveys/${studyId}`);
  for (const [i, slot] of slots.entries()) {
    await expect(page).toHaveURL(new RegExp(`/surveys/${studyId}/case/${i + 1}$`));
    await page.locator(`input[name="slot"][value="${slot}"]`).check();
    await page.locator('textarea[name="rationale"]').fill(rationale(i + 1));
    await page.getByRole("button", { name: "Submit answer" }).click();
  }
  await expect(page).toHaveURL(new RegExp(`/surveys/${studyId}/done$`));
  // A reader reaches neither coordinator pages nor coordinator routes.
  expect((await page.goto(`/coordinator/studies/${studyId}/results`))?.status()).toBe(403);
  expect((await page.request.get(`/api/coordinator/studies/${studyId}/export.csv`)).status()).toBe(403);
  await ctx.close();
}

/** The fields of `focus stats --json` this test compares with the page. */
type CliSummary = {
  n_answers: number;
  counts: Record<string, number>;
  chi_square: { statistic: number; p: number } | null;
  exact_p: { p: number } | null;
  fleiss_kappa: number | null;
  krippendorff_alpha: number | null;
  gwet_ac1: number | null;
  mean_pairwise_cohen_kappa: number | null;
};

async function statValue(page: Page, testid: string): Promise<unknown> {
  return JSON.parse((await page.getByTestId(testid).getAttribute("data-value"))!);
}

test("a coordinator builds, publishes, invites, follows results and exports numbers the CLI reproduces", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const coordinator = await staffUser("COORDINATOR");
  const { dataset } = await seedDatasetWithRuns({ images: 8 });
  await signIn(page, coordinator.email, coordinator.password);

  // Build: the dataset's four ready runs are preselected; bad input names the field and saves nothing.
  await page.goto("/coordinator");
  await page.getByRole("link", { name: "New study" }).click();
  await page.getByLabel("Dataset").selectOption(dataset.id);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("checkbox", { checked: true }).and(page.locator('input[name="modelRunId"]'))).toHaveCount(
    4,
  );
  await page.getByRole("button", { name: "Create draft study" }).click();
  await expect(page.getByText("Title is required")).toBeVisible();
  await page.getByLabel("Title").fill("E2E heat-map study");
  await page.getByLabel("Sample size").fill("4");
  await page.getByLabel("Sample seed").fill("11");
  await page.getByRole("button", { name: "Create draft study" }).click();
  await expect(page).toHaveURL(/\/coordinator\/studies\/[a-z0-9]+$/);
  const studyId = page.url().split("/").pop()!;
  await expect(page.getByTestId("study-status")).toHaveText("draft");
  await expect(page.getByRole("list", { name: "Cases" }).getByRole("listitem")).toHaveCount(4);

  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByTestId("study-status")).toHaveText("open");

  const derm = await invite(page, "Dana", "DERMATOLOGY");
  const rad = await invite(page, "Ravi", "RADIOLOGY");
  await expect(page.getByTestId(`reader-row-${derm.email}`).getByTestId("answered")).toHaveText("0 / 4");

  // Results before any answer.
  await page.goto(`/coordinator/studies/${studyId}/results`);
  await expect(page.getByText("No answers yet").first()).toBeVisible();

  await answerAll(browser, derm.link, studyId, ["A", "B", "A", "C"], (n) =>
    n === 1 ? '=HYPERLINK("http://evil.example","x")' : `Dermatology rationale ${n}`,
  );
  await page.reload();
  await expect(page.getByTestId("answer-count")).toHaveAttribute("data-value", "4");
  // One reader: agreement is not defined, and the page says so instead of a perfect score.
  await expect(page.getByTestId("answer-count")).toContainText("from 1 reader on");
  await expect(page.getByTestId("stat-fleiss_kappa")).toHaveText("needs ≥ 2 readers");
  await expect(page.getByTestId("case-table")).toContainText("needs ≥ 2 readers");

  await answerAll(browser, rad.link, studyId, ["A", "A", "D", "C"], (n) => `Radiology rationale ${n}`);
  await page.reload();
  await expect(page.getByTestId("answer-count")).toHaveAttribute("data-value", "8");
  await expect(page.getByTestId("paper-table")).toContainText('=HYPERLINK("http://evil.example","x")');
  await expect(page.getByTestId("specialty-dermatology")).toBeVisible();
  await expect(page.getByTestId("answer-count")).toContainText("from 2 readers on");
  await expect(page.getByTestId("stat-fleiss_kappa")).not.toHaveText("needs ≥ 2 readers");
  await expect(page.getByTestId("rationale-slot")).toHaveText(Array.from({ length: 8 }, () => /^[A-D]$/));
  await expect(page.getByTestId("effort-table")).toBeVisible();
  await expect(page.getByTestId("specialty-radiology")).toBeVisible();

  // Progress reflects both readers.
  await page.goto(`/coordinator/studies/${studyId}`);
  await expect(page.getByTestId(`reader-row-${derm.email}`).getByTestId("answered")).toHaveText("4 / 4");
  await expect(page.getByTestId(`reader-row-${rad.email}`).getByTestId("answered")).toHaveText("4 / 4");

  // Download the CSV from the results page and re-analyse it offline.
  await page.goto(`/coordinator/studies/${studyId}/results`);
  const dir = await mkdtemp(join(tmpdir(), "focus-e2e-export-"));
  try {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    const file = join(dir, "answers.csv");
    await download.saveAs(file);
    const csv = await readFile(file, "utf8");
    expect(csv.split("\r\n")[0]).toContain("case_id");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);

    const [tidyDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-tidy").click()]);
    const tidyFile = join(dir, "tidy.csv");
    await tidyDownload.saveAs(tidyFile);
    const tidy = await readFile(tidyFile, "utf8");
    expect(tidy.charCodeAt(0)).not.toBe(0xfeff);
    expect(tidy.split("\r\n")[0]).toContain("reader,specialty,reader_status");
    expect(tidy).toContain('"=HYPERLINK(""http://evil.example"",""x"")"');

    // The report: one click from the results page, its HTML carries the figures, and the PDF has pages.
    const [reportPage] = await Promise.all([page.context().waitForEvent("page"), page.getByTestId("report").click()]);
    await reportPage.waitForLoadState();
    await expect(reportPage.getByTestId("report-figure")).toHaveCount(4);
    await expect(reportPage.getByTestId("report-methods")).toContainText(
      "2 readers (dermatology, radiology) were invited",
    );
    await expect(reportPage.getByTestId("report-cases")).toContainText("Radiology rationale 2");
    const kappa = await page.getByTestId("stat-fleiss_kappa").getAttribute("data-value");
    await expect(reportPage.getByTestId("report-stats")).toContainText(Number(kappa).toFixed(3));
    await expect(reportPage.getByTestId("report-pdf-link")).toBeVisible();
    await reportPage.close();
    const pdf = await page.request.get(`/api/coordinator/studies/${studyId}/report.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    const pdfText = (await pdf.body()).toString("latin1");
    expect(pdfText.startsWith("%PDF-")).toBe(true);
    expect(pdfText.match(/\/Type\s*\/Page[^s]/g)?.length ?? 0).toBeGreaterThan(0);

    let out = "";
    const code = await runStatsCli(["stats", "--input", file, "--json"], {
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
    });
    expect(code, out).toBe(0);
    const cli = JSON.parse(out) as CliSummary;
    expect(cli.n_answers).toBe(8);
    for (const [choice, count] of Object.entries(cli.counts)) {
      expect(await statValue(page, `count-${choice}`), choice).toBe(count);
    }
    expect(await statValue(page, "stat-chi_square")).toBe(cli.chi_square?.statistic ?? null);
    expect(await statValue(page, "stat-chi_square_p")).toBe(cli.chi_square?.p ?? null);
    expect(await statValue(page, "stat-fleiss_kappa")).toBe(cli.fleiss_kappa);
    expect(await statValue(page, "stat-krippendorff_alpha")).toBe(cli.krippendorff_alpha);
    expect(await statValue(page, "stat-gwet_ac1")).toBe(cli.gwet_ac1);
    expect(await statValue(page, "stat-mean_pairwise_cohen_kappa")).toBe(cli.mean_pairwise_cohen_kappa);
    if (cli.exact_p) expect(await statValue(page, "stat-exact_p")).toBe(cli.exact_p.p);
    // Every case got two answers, so every coefficient is defined.
    expect(cli.fleiss_kappa).not.toBeNull();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // The test downloads more than one export, each audited; their events commit in no fixed order.
  const audits = await db().auditEvent.findMany({ where: { action: "study.export", subject: studyId } });
  expect(audits.map((a) => (a.details as { format?: string } | null)?.format)).toContain("csv");

  // A researcher is refused on every coordinator page and route.
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  const researcher = await staffUser("RESEARCHER");
  await signIn(other, researcher.email, researcher.password);
  for (const p of [
    "/coordinator",
    "/coordinator/studies/new",
    `/coordinator/studies/${studyId}`,
    `/coordinator/studies/${studyId}/results`,
  ]) {
    expect((await other.goto(p))?.status(), p).toBe(403);
  }
  for (const p of [
    `/api/coordinator/studies/${studyId}/export.csv`,
    `/api/coordinator/studies/${studyId}/export.json`,
    `/api/coordinator/studies/${studyId}/results`,
    `/api/coordinator/images/${dataset.id}`,
  ]) {
    expect((await other.request.get(p)).status(), p).toBe(403);
  }
  await ctx.close();

  // Another coordinator cannot see this study at all.
  const ctx2 = await browser.newContext();
  const stranger = await ctx2.newPage();
  const otherCoord = await staffUser("COORDINATOR");
  await signIn(stranger, otherCoord.email, otherCoord.password);
  expect((await stranger.goto(`/coordinator/studies/${studyId}`))?.status()).toBe(404);
  expect((await stranger.request.get(`/api/coordinator/studies/${studyId}/export.csv`)).status()).toBe(404);
  await ctx2.close();
});
