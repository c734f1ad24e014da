// The researcher console end to end, with a real worker process (`npm run worker`'s entry on the same
// database and storage folder): import a tiny folder made here with sharp, train one epoch at 32 px width
// 0.25 (class-weighted, with a held-out test split), watch it finish live, see AUC, test AUC, the predictions
// CSV, ROC and heat-maps; cancel a running job; refuse a zip-slip upload with nothing written outside storage;
// 403 for specialists and coordinators on every researcher route.
import { test, expect, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import sharp from "sharp";
import { importRoot, staffUser, studyWithInvitation } from "./support/seed";
import { db } from "../lib/db/client";
import { buildZip, type ZipEntrySpec } from "../lib/testing/zip-writer";
import { signIn } from "./support/sign-in";

test.describe.configure({ mode: "serial" });

const tag = randomBytes(3).toString("hex");
const storage = resolve(process.env.FOCUS_STORAGE_DIR ?? "./data/storage");
let folder: string;
let worker: ChildProcess | undefined;
let workerLog = "";

/** A 48 px PNG: noise, plus a bright disc for the positive class (so there is something to find). */
async function lesionPng(seed: number, positive: boolean): Promise<Buffer> {
  const n = 48;
  const px = Buffer.alloc(n * n * 3);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      const inDisc = positive && (x - 20 - (seed % 8)) ** 2 + (y - 24) ** 2 < 100;
      const v = inDisc ? 230 : 60 + (s & 63);
      px.set([v, inDisc ? 80 : v, inDisc ? 60 : v], (y * n + x) * 3);
    }
  }
  return sharp(px, { raw: { width: n, height: n, channels: 3 } })
    .png()
    .toBuffer();
}

async function classImages(): Promise<ZipEntrySpec[]> {
  const out: ZipEntrySpec[] = [];
  for (let i = 0; i < 6; i++) {
    out.push({ name: `benign/b${i}.png`, data: await lesionPng(1000 + i, false) });
    out.push({ name: `malignant/m${i}.png`, data: await lesionPng(2000 + i, true) });
  }
  return out;
}

test.beforeAll(async () => {
  // Inside the app's import root (scripts/test-e2e.ts): the web app imports nothing outside it.
  folder = await mkdtemp(join(importRoot(), "images-"));
  for (const e of await classImages()) {
    await mkdir(dirname(join(folder, e.name)), { recursive: true });
    await writeFile(join(folder, e.name), e.data!);
  }
  await writeFile(join(folder, "benign", "notes.txt"), "not an image");

  // The real worker entry point, in its own process, against the app's database and storage.
  // Playwright's own loader hooks (NODE_OPTIONS) are not for the worker; tsx is.
  const { NODE_OPTIONS: _playwrightHooks, ...env } = process.env;
  worker = spawn(process.execPath, ["--import", "tsx", "workers/main.ts"], {
    cwd: process.cwd(),
    env: { ...env, FOCUS_WORKER_CONCURRENCY: "1", FOCUS_STORAGE_DIR: storage },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout?.on("data", (d) => {
    workerLog += d;
  });
  worker.stderr?.on("data", (d) => {
    workerLog += d;
  });
  const pid = worker.pid!;
  worker.on("exit", (code) => {
    workerLog += `\n[worker exited with ${code}]`;
  });
  try {
    await expect
      .poll(async () => (await db().workerHeartbeat.findFirst({ where: { pid } }))?.id ?? null, { timeout: 90_000 })
      .not.toBeNull();
  } catch (e) {
    throw new Error(`The worker did not report a heartbeat. Its output:\n${workerLog}`, { cause: e });
  }
});

// eslint-disable-next-line no-empty-pattern -- Playwright only accepts a destructured fixtures argument
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus)
    await testInfo
      .attach("worker output", { body: workerLog, contentType: "text/plain" })
      .then(() => console.log(`--- worker output ---\n${workerLog.slice(-5000)}`));
});

test.afterAll(async () => {
  // Nothing left runnable for later spec files, then a clean SIGTERM (a second one stops at the next batch).
  await db().modelRun.updateMany({
    where: { status: { in: ["QUEUED", "RUNNING"] }, job: { dataset: { name: { startsWith: `e2e-res-${tag}` } } } },
    data: { cancelRequested: true },
  });
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once("exit", r));
    worker.kill("SIGTERM");
    const timer = setTimeout(() => worker!.kill("SIGTERM"), 15_000);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 40_000))]);
    clearTimeout(timer);
    if (worker.exitCode === null) worker.kill("SIGKILL");
  }
  await rm(folder, { recursive: true, force: true });
});

async function quickTraining(page: Page, opts: { variants: string[]; epochs: number; classWeighted?: boolean }) {
  const form = page.getByRole("form", { name: "Start training" });
  await form.getByRole("button", { name: "CPU quick (not the paper's protocol)" }).click();
  await expect(form.getByTestId("preset-label")).toContainText("NOT comparable with the paper");
  for (const v of ["Baseline ResNet-18", "SE (Hu et al.)", "CBAM (Woo et al.)", "GC (Cao et al.)"]) {
    await form.getByLabel(v).setChecked(opts.variants.includes(v));
  }
  await form.getByLabel("Epochs").fill(String(opts.epochs));
  await form.getByLabel("Runs per variant (seeds 1..n)").fill("1");
  await form.getByLabel("Input size (px)").fill("32");
  await form.getByLabel("Width multiplier").fill("0.25");
  await form.getByLabel("Batch size").fill("8");
  await form.getByLabel("Class-weighted loss").setChecked(opts.classWeighted === true);
  await expect(form.getByTestId("preset-label")).toContainText("Custom settings");
  await expect(form.getByTestId("cpu-confirmation")).toHaveCount(0);
  await form.getByRole("button", { name: "Start training" }).click();
  await expect(page).toHaveURL(/\/researcher\/jobs\?dataset=/);
}

let datasetId = "";

test("import a folder, train one epoch with a live worker, see AUC, ROC and heat-maps", async ({ page }) => {
  test.setTimeout(300_000);
  const u = await staffUser("RESEARCHER");
  await signIn(page, u.email, u.password);
  await page.goto("/researcher");

  // A bad field is named, nothing imported.
  const importForm = page.getByRole("form", { name: "Import a folder" });
  await importForm.getByRole("button", { name: "Import folder" }).click();
  await expect(importForm.getByRole("alert")).toContainText("folder is required");

  const name = `e2e-res-${tag}-folder`;
  await importForm.getByLabel("Folder path").fill(folder);
  await importForm.getByLabel("Dataset name").fill(name);
  await importForm.getByLabel("Positive class (folder name)").fill("malignant");
  await importForm.getByLabel("Modality").selectOption("SKIN");
  await importForm.getByLabel("Stored image size (px)").fill("32");
  await importForm.getByRole("button", { name: "Import folder" }).click();
  await expect(page).toHaveURL(/\/researcher\/datasets\/[^/?]+\?imported=1$/);
  datasetId = new URL(page.url()).pathname.split("/").pop()!;
  await expect(page.getByTestId("dataset-name")).toHaveText(name);
  await expect(page.getByTestId("class-counts")).toContainText("benign (0) 6 · malignant (1, positive) 6");
  await expect(page.getByTestId("import-report")).toContainText("benign/notes.txt");
  const thumbs = page.getByTestId("gallery-malignant").locator("img");
  await expect(thumbs).toHaveCount(6);
  await expect
    .poll(() => thumbs.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(32);

  // The paper's protocol is what the form starts with.
  const form = page.getByRole("form", { name: "Start training" });
  await expect(form.getByLabel("Epochs")).toHaveValue("100");
  await expect(form.getByLabel("Input size (px)")).toHaveValue("224");
  await expect(form.getByLabel("Runs per variant (seeds 1..n)")).toHaveValue("3");
  // Before anything is queued: the time on the workers online, and on CPU only a confirmation naming the alternatives.
  await expect(form.getByTestId("training-estimate")).toContainText("12 runs");
  await expect(form.getByTestId("cpu-confirmation")).toContainText("no GPU worker is online");
  await expect(form.getByTestId("cpu-confirmation")).toContainText("CPU quick preset");
  // A held-out test split, as split folders would give: two training images of each class.
  for (const label of [0, 1]) {
    const picked = await db().image.findMany({
      where: { datasetId, split: "TRAIN", label },
      orderBy: { contentHash: "asc" },
      take: 2,
      select: { id: true },
    });
    await db().image.updateMany({ where: { id: { in: picked.map((p) => p.id) } }, data: { split: "TEST" } });
  }
  await quickTraining(page, { variants: ["Baseline ResNet-18", "CBAM (Woo et al.)"], epochs: 1, classWeighted: true });

  // The queue updates by itself (no reload) until both runs have succeeded.
  const rows = page.locator('[data-testid^="queue-run-"]');
  await expect(rows).toHaveCount(2);
  const urlBefore = page.url();
  for (const variant of ["BASELINE", "CBAM"]) {
    const row = page.locator(`[data-testid^="queue-run-"][data-variant="${variant}"]`);
    await expect(row).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 180_000 });
    await expect(row.getByTestId("run-epoch")).toHaveText("1 / 1");
    await expect(row.getByTestId("run-auc")).toHaveText(/^[01]\.\d{3}$/);
    await expect(row).toContainText(/ · (wasm|cpu|node|gpu)/);
  }
  expect(page.url()).toBe(urlBefore);
  await expect(page.getByTestId("workers-panel")).toContainText("online");
  expect(Number(await page.getByTestId("workers-online").textContent())).toBeGreaterThanOrEqual(1);

  // Results: the paper-style table, ROC curves of both runs, training curves.
  await page.goto(`/researcher/datasets/${datasetId}/results`);
  for (const variant of ["BASELINE", "CBAM"]) {
    const cell = page.getByTestId(`auc-mean-${variant}`);
    const auc = JSON.parse((await cell.getAttribute("data-value"))!) as number;
    expect(auc).toBeGreaterThanOrEqual(0);
    expect(auc).toBeLessThanOrEqual(1);
    await expect(cell).toHaveText(auc.toFixed(3));
  }
  await expect(page.getByTestId("roc-chart").locator(".recharts-line")).toHaveCount(2);
  await expect(page.getByTestId("loss-chart").locator(".recharts-line")).toHaveCount(2);
  // Beside it, the test AUC over the held-out split; each run's setup names the class-weighted loss.
  for (const variant of ["BASELINE", "CBAM"] as const) {
    const run = await db().modelRun.findFirstOrThrow({ where: { job: { datasetId }, variant } });
    expect(run.testAuc).not.toBeNull();
    await expect(page.getByTestId(`test-auc-mean-${variant}`)).toHaveText(run.testAuc!.toFixed(3));
    await expect(page.getByTestId(`result-run-${run.id}`)).toContainText("class-weighted loss");
    const csv = await page.request.get(`/api/researcher/runs/${run.id}/predictions.csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="predictions-/);
    const lines = (await csv.text()).trim().split(/\r\n/);
    expect(lines[0]).toBe("image_id,original_name,split,true_label,true_class,probability_positive");
    const validation = await db().image.count({ where: { datasetId, split: "VALIDATION" } });
    expect(lines.length - 1).toBe(validation + 4);
    expect(lines.filter((l) => l.includes(",test,")).length).toBe(4);
  }
  // These images have no masks: nothing to localise, said so rather than shown as zeros.
  await expect(page.getByTestId("localisation-empty")).toBeVisible();
  await expect(
    page.getByRole("form", { name: "Render heat-maps" }).getByRole("option", { name: "Test split (4)" }),
  ).toHaveCount(1);

  // Heat-maps of the validation split for both runs, compared side by side.
  const hmForm = page.getByRole("form", { name: "Render heat-maps" });
  await hmForm.getByRole("button", { name: "Render heat-maps" }).click();
  await expect(hmForm.getByRole("status")).toContainText(/Queued \d+ heat-maps/);
  const validation = await db().image.count({ where: { datasetId, split: "VALIDATION" } });
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByTestId("heatmap-cell").count();
      },
      { timeout: 120_000, intervals: [2000] },
    )
    .toBe(2 * validation);
  const map = page.getByTestId("heatmap-cell").first().locator("img");
  await expect.poll(() => map.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.getByTestId("heatmap-gallery")).toContainText("BASELINE seed 1");
  await expect(page.getByTestId("heatmap-gallery")).toContainText("CBAM seed 1");
  await expect(page.getByTestId("heatmap-gallery")).toContainText(/P = \d\.\d\d/);

  // Ready for studies, stored on the server.
  const baseline = await db().modelRun.findFirstOrThrow({ where: { job: { datasetId }, variant: "BASELINE" } });
  await page.getByTestId(`ready-${baseline.id}`).check();
  await expect(page.getByRole("status").filter({ hasText: "Ready for studies." })).toBeVisible();
  // Trained at 32 px (above): marked ready all the same, with the warning that its heat-maps cannot localise.
  await expect(page.getByTestId("action-warning")).toContainText("below the 96 px at which heat-maps localise");
  expect((await db().modelRun.findUniqueOrThrow({ where: { id: baseline.id } })).readyForStudy).toBe(true);

  // The run has its own page (linkable) with its AUC.
  await page.goto(`/researcher/runs/${baseline.id}`);
  await expect(page.getByTestId("run-val-auc")).toHaveText(baseline.valAuc!.toFixed(3));
  await expect(page.getByTestId("run-test-auc")).toHaveText(baseline.testAuc!.toFixed(3));
  await expect(page.getByTestId("test-at-half-confusion")).toHaveText(/^TP \d · FN \d · TN \d · FP \d$/);
  await expect(page.getByTestId("test-evaluation")).toContainText("on 4 test images (2 positive, 2 negative)");
  await expect(page.getByTestId("predictions-csv")).toHaveAttribute(
    "href",
    `/api/researcher/runs/${baseline.id}/predictions.csv`,
  );
  await expect(page.getByTestId("roc-chart").locator(".recharts-line")).toHaveCount(1);
});

test("a finished job is trained again with its settings, edited first; the results show new runs beside old", async ({
  page,
}) => {
  test.setTimeout(240_000);
  expect(datasetId, "needs the dataset of the first test").not.toBe("");
  const u = await staffUser("RESEARCHER");
  await signIn(page, u.email, u.password);
  const oldJob = await db().trainingJob.findFirstOrThrow({
    where: { datasetId, status: "SUCCEEDED" },
    orderBy: { createdAt: "asc" },
  });
  await page.goto(`/researcher/datasets/${datasetId}/results`);
  await page.getByTestId(`retrain-${oldJob.id}`).click();
  await expect(page).toHaveURL(new RegExp(`retrain=${oldJob.id}`));
  const form = page.getByRole("form", { name: "Start training" });
  await expect(form.getByTestId("retrain-source")).toContainText("Training again");
  await expect(form.getByLabel("Input size (px)")).toHaveValue("32");
  await expect(form.getByLabel("Epochs")).toHaveValue("1");
  await expect(form.getByLabel("Baseline ResNet-18")).toBeChecked();
  await expect(form.getByLabel("SE (Hu et al.)")).not.toBeChecked();
  await form.getByLabel("Epochs").fill("2");
  await form.getByRole("button", { name: "Start training" }).click();
  await expect(page).toHaveURL(/\/researcher\/jobs\?dataset=/);
  const newJob = await db().trainingJob.findFirstOrThrow({ where: { retrainedFromId: oldJob.id } });
  await expect
    .poll(async () => (await db().trainingJob.findUniqueOrThrow({ where: { id: newJob.id } })).status, {
      timeout: 180_000,
      intervals: [2000],
    })
    .toBe("SUCCEEDED");
  await page.goto(`/researcher/datasets/${datasetId}/results`);
  const comparison = page.getByTestId(`retrain-comparison-${newJob.id}`);
  await expect(comparison).toContainText("epochs: 1 → 2");
  for (const variant of ["BASELINE", "CBAM"]) {
    const row = comparison.getByTestId(`compare-${variant}`);
    await expect(row.getByTestId("compare-old")).toHaveText(/^[01]\.\d{3}$/);
    await expect(row.getByTestId("compare-new")).toHaveText(/^[01]\.\d{3}$/);
  }
});

test("cancelling a running job stops it and marks it cancelled", async ({ page }) => {
  test.setTimeout(180_000);
  expect(datasetId, "needs the dataset of the previous test").not.toBe("");
  const u = await staffUser("RESEARCHER");
  await signIn(page, u.email, u.password);
  await page.goto(`/researcher/datasets/${datasetId}`);
  await quickTraining(page, { variants: ["Baseline ResNet-18"], epochs: 5000 });
  const row = page.locator('[data-testid^="queue-run-"][data-status="RUNNING"]');
  await expect(row).toHaveCount(1, { timeout: 60_000 });
  // At least one epoch done: the run is really training, not just claimed.
  await expect(row.getByTestId("run-epoch")).toHaveText(/^[1-9]\d* \/ 5000$/, { timeout: 60_000 });
  const runId = (await row.getAttribute("data-testid"))!.replace("queue-run-", "");
  await row.getByRole("button", { name: "Cancel" }).click();
  const same = page.getByTestId(`queue-run-${runId}`);
  await expect(same).toHaveAttribute("data-status", "CANCELLED", { timeout: 60_000 });
  await expect(same.getByRole("button", { name: "Retry" })).toBeVisible();
  const run = await db().modelRun.findUniqueOrThrow({ where: { id: runId } });
  expect(run.status).toBe("CANCELLED");
  expect(run.epoch).toBeLessThan(5000);
  expect(run.finishedAt).not.toBeNull();
  // And it stays stopped: no further epochs after a few seconds.
  await page.waitForTimeout(4000);
  expect((await db().modelRun.findUniqueOrThrow({ where: { id: runId } })).epoch).toBe(run.epoch);
});

test("a zip with a path-traversal entry is refused with a clear message, nothing written outside storage", async ({
  page,
}) => {
  const u = await staffUser("RESEARCHER");
  await signIn(page, u.email, u.password);
  await page.goto("/researcher");
  const escaped = `escaped-${tag}.png`;
  const zip = buildZip([...(await classImages()), { name: `../../../../${escaped}`, data: await lesionPng(7, true) }]);
  const ancestors = [storage, join(storage, "tmp"), dirname(storage), dirname(dirname(storage)), tmpdir()];
  const tmpBefore = await readdir(join(storage, "tmp")).catch(() => [] as string[]);

  const form = page.getByRole("form", { name: "Upload a zip" });
  await form.getByLabel("Zip file").setInputFiles({ name: "evil.zip", mimeType: "application/zip", buffer: zip });
  const name = `e2e-res-${tag}-zip`;
  await form.getByLabel("Dataset name").fill(name);
  await form.getByLabel("Positive class (folder name)").fill("malignant");
  await form.getByRole("button", { name: "Upload zip" }).click();
  const alert = form.getByRole("alert");
  await expect(alert).toContainText("The zip was refused");
  await expect(alert).toContainText("path traversal");
  await expect(alert).toContainText("nothing was extracted");
  await expect(page).toHaveURL(/\/researcher$/);

  for (const dir of ancestors) expect(existsSync(join(dir, escaped)), join(dir, escaped)).toBe(false);
  expect(await readdir(join(storage, "tmp")).catch(() => [] as string[])).toEqual(tmpBefore);
  expect(await db().dataset.count({ where: { name } })).toBe(0);

  // The same images without the hostile entry import fine through the same form.
  await page.reload();
  const good = page.getByRole("form", { name: "Upload a zip" });
  await good.getByLabel("Zip file").setInputFiles({
    name: "good.zip",
    mimeType: "application/zip",
    buffer: buildZip((await classImages()).map((e) => ({ ...e, name: `set/${e.name}` }))),
  });
  await good.getByLabel("Dataset name").fill(`${name}-good`);
  await good.getByLabel("Positive class (folder name)").fill("malignant");
  await good.getByLabel("Stored image size (px)").fill("32");
  await good.getByRole("button", { name: "Upload zip" }).click();
  await expect(page).toHaveURL(/\/researcher\/datasets\/[^/?]+\?imported=1$/);
  await expect(page.getByTestId("class-counts")).toContainText("benign (0) 6 · malignant (1, positive) 6");
});

test("specialists and coordinators get 403 on every researcher page and route", async ({ page, browser }) => {
  expect(datasetId, "needs the dataset of the first test").not.toBe("");
  const run = await db().modelRun.findFirstOrThrow({
    where: { job: { datasetId }, heatmaps: { some: {} } },
    include: { heatmaps: { take: 1 } },
  });
  const image = await db().image.findFirstOrThrow({ where: { datasetId } });
  const pages = [
    "/researcher",
    "/researcher/jobs",
    `/researcher/datasets/${datasetId}`,
    `/researcher/datasets/${datasetId}/results`,
    `/researcher/runs/${run.id}`,
  ];
  const gets = [
    "/api/researcher/queue",
    `/api/researcher/images/${image.id}`,
    `/api/researcher/heatmaps/${run.heatmaps[0].id}`,
  ];

  const coordinator = await staffUser("COORDINATOR");
  await signIn(page, coordinator.email, coordinator.password);
  const { link } = await studyWithInvitation();
  const specialistCtx = await browser.newContext();
  const specialist = await specialistCtx.newPage();
  await specialist.goto(link);
  await expect(specialist).toHaveURL(/\/surveys$/);

  for (const [who, p] of [
    ["coordinator", page],
    ["specialist", specialist],
  ] as const) {
    for (const path of pages) {
      const res = await p.goto(path);
      expect(res?.status(), `${who} ${path}`).toBe(403);
      await expect(p.getByText("Not available to your role")).toBeVisible();
    }
    for (const path of gets) expect((await p.request.get(path)).status(), `${who} GET ${path}`).toBe(403);
    const upload = await p.request.post("/api/researcher/datasets/upload?name=x&positive=malignant", {
      data: buildZip(await classImages()),
      headers: { "Content-Type": "application/zip" },
    });
    expect(upload.status(), `${who} upload`).toBe(403);
  }
  expect(await db().dataset.count({ where: { name: "x" } })).toBe(0);
  await specialistCtx.close();
});

test("a label table mapped in the console, previewed, imported; then renamed and deleted", async ({ page }) => {
  test.setTimeout(120_000);
  const root = await mkdtemp(join(importRoot(), "table-"));
  const rows = ["image_id,dx,lesion_id"];
  for (let i = 0; i < 14; i++) {
    const dx = i < 6 ? "mel" : i < 12 ? "nv" : "bkl";
    await mkdir(join(root, "images"), { recursive: true });
    await writeFile(join(root, "images", `ISIC_${i}.png`), await lesionPng(3000 + i, dx === "mel"));
    rows.push(`ISIC_${i},${dx},L${i}`);
  }
  await writeFile(join(root, "metadata.csv"), rows.join("\n"));
  const u = await staffUser("RESEARCHER");
  await signIn(page, u.email, u.password);
  await page.goto("/researcher");
  const importForm = page.getByRole("form", { name: "Import a folder" });
  await importForm.getByLabel("Folder path").fill(root);
  await importForm.getByRole("button", { name: "Find label tables" }).click();
  const picker = importForm.getByTestId("label-table-picker");
  await expect(picker).toBeVisible();
  await expect(picker.locator("#column-image")).toHaveValue("image_id");
  await expect(picker.locator("#column-label")).toHaveValue("dx");
  await expect(picker.locator("#column-group")).toHaveValue("lesion_id");
  await picker.getByLabel("Class of mel").selectOption("positive");
  await picker.getByLabel("Class of nv").selectOption("negative");
  await expect(picker.getByTestId("label-preview")).toContainText(
    "6 positive row(s), 6 negative row(s), 2 row(s) skipped",
  );
  // Nothing is written by the preview.
  const name = `e2e-res-${tag}-table`;
  expect(await db().dataset.count({ where: { name } })).toBe(0);
  await importForm.getByLabel("Dataset name").fill(name);
  await importForm.getByLabel("Stored image size (px)").fill("32");
  await importForm.getByRole("button", { name: "Import folder" }).click();
  await expect(page).toHaveURL(/\/researcher\/datasets\/[^/?]+\?imported=1$/);
  await expect(page.getByTestId("class-counts")).toContainText("nv (0) 6 · mel (1, positive) 6");
  await expect(page.getByTestId("import-report")).toContainText('2 row(s) with label "bkl"');

  const renamed = `${name}-renamed`;
  const rename = page.getByRole("form", { name: "Rename dataset" });
  await rename.getByLabel("New name").fill(renamed);
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(rename.getByRole("status")).toContainText(`Renamed to "${renamed}"`);
  await page.reload();
  await expect(page.getByTestId("dataset-name")).toHaveText(renamed);

  const remove = page.getByRole("form", { name: "Delete dataset" });
  await remove.getByLabel("Type the dataset's name to confirm").fill("not the name");
  await remove.getByRole("button", { name: "Delete dataset" }).click();
  await expect(remove.getByRole("alert")).toContainText("to confirm the deletion");
  await remove.getByLabel("Type the dataset's name to confirm").fill(renamed);
  await remove.getByRole("button", { name: "Delete dataset" }).click();
  await expect(page).toHaveURL(/\/researcher\?deleted=1$/);
  await expect(page.getByRole("status").first()).toContainText("The dataset was deleted.");
  expect(await db().dataset.count({ where: { name: renamed } })).toBe(0);
  await rm(root, { recursive: true, force: true });
});
