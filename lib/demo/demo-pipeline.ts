// The demo's data, built through the same code paths a real site uses: a synthetic dermoscopy set,
// one CPU-sized training run per variant on the pg-boss workers, Grad-CAM heat-maps, and an open
// study with a reader invitation. Every step is skipped when an earlier demo run already did it.
import { db } from "../db/client";
import { createSyntheticDataset } from "../datasets/synthetic-dataset";
import { enqueueTraining, enqueueHeatmaps } from "../jobs/enqueue";
import { parseHeatmapsRequest, parseTrainingRequest } from "../jobs/job-inputs";
import { CPU_QUICK_PRESET } from "../ml/train/train-params";
import { VARIANTS } from "../ml/models/architecture";
import { createDraftStudy, publishStudy } from "../studies/study-commands";
import { parseStudyDraft } from "../studies/study-schemas";
import { createInvitation, reissueInvitation } from "../studies/invitations";

// 96 px, not 64: at 64 px ResNet-18's layer4 is 2x2 and no Grad-CAM map can point at a centred lesion;
// at 96 px (3x3) trained models point at it well above chance (lib/ml/gradcam/localisation-quality.test.ts).
const DEMO_SIZE = CPU_QUICK_PRESET.inputSize;
export const DEMO_DATASET = `demo-synthetic-dermoscopy-${DEMO_SIZE}px`;
export const DEMO_STUDY = "Demo: which model looks at the lesion?";
const DEMO_READER = { email: "reader@focus.demo", name: "Dana Dermatologist", specialty: "DERMATOLOGY" as const };
// Sized to finish in a few minutes on two CPU cores (see README "Demo").
const DEMO_IMAGES = 320;

type Log = (m: string) => void;

async function ensureDataset(log: Log) {
  const existing = await db().dataset.findUnique({ where: { name: DEMO_DATASET } });
  if (existing) return existing;
  log(`Creating the synthetic dermoscopy set (${DEMO_IMAGES} images, ${DEMO_SIZE} px)…`);
  return createSyntheticDataset({ name: DEMO_DATASET, count: DEMO_IMAGES, size: DEMO_SIZE, seed: 2021 });
}

function bar(fraction: number, width = 20): string {
  const n = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${"#".repeat(n)}${".".repeat(width - n)}]`;
}

/** Polls the runs until none is queued or running, printing one progress line per change. */
async function followRuns(runIds: string[], log: Log): Promise<void> {
  let last = "";
  for (;;) {
    const runs = await db().modelRun.findMany({ where: { id: { in: runIds } }, orderBy: { variant: "asc" } });
    const line = runs
      .map(
        (r) =>
          `${r.variant.toLowerCase().padEnd(8)} ${bar(r.epochs ? r.epoch / r.epochs : 0)} ${r.status === "RUNNING" ? `epoch ${r.epoch}/${r.epochs}${r.valAuc !== null ? ` AUC ${r.valAuc.toFixed(3)}` : ""}${r.etaSeconds ? ` ETA ${Math.ceil(r.etaSeconds)} s` : ""}` : r.status.toLowerCase()}`,
      )
      .join("\n  ");
    if (line !== last) {
      log(`  ${line}\n`);
      last = line;
    }
    if (runs.every((r) => r.status !== "QUEUED" && r.status !== "RUNNING")) {
      const failed = runs.filter((r) => r.status !== "SUCCEEDED");
      if (failed.length)
        throw new Error(
          `Demo training failed for ${failed.map((r) => `${r.variant} (${r.error ?? r.status})`).join(", ")}`,
        );
      return;
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
}

async function ensureRuns(datasetId: string, log: Log): Promise<string[]> {
  const done = await db().modelRun.findMany({
    where: { job: { datasetId }, status: { in: ["SUCCEEDED", "QUEUED", "RUNNING"] } },
    orderBy: { createdAt: "asc" },
  });
  const byVariant = new Map<string, (typeof done)[number]>();
  for (const r of done) if (!byVariant.has(r.variant) || r.status === "SUCCEEDED") byVariant.set(r.variant, r);
  const missing = VARIANTS.filter((v) => !byVariant.has(v.toUpperCase()));
  if (missing.length) {
    log(
      `Training ${missing.join(", ")} on CPU (${DEMO_SIZE} px, width ${CPU_QUICK_PRESET.width}, ${CPU_QUICK_PRESET.epochs} epochs; the paper uses 224 px, width 1, 100 epochs)…`,
    );
    const job = await enqueueTraining(
      parseTrainingRequest({ datasetId, variants: missing, seeds: [1], params: CPU_QUICK_PRESET }),
    );
    for (const r of job.runs) byVariant.set(r.variant, r);
  }
  const runIds = [...byVariant.values()].map((r) => r.id);
  await followRuns(runIds, log);
  return runIds;
}

async function ensureHeatmaps(datasetId: string, runIds: string[], log: Log): Promise<void> {
  const images = await db().image.count({ where: { datasetId, split: "VALIDATION" } });
  const have = await db().heatmap.groupBy({
    by: ["modelRunId"],
    where: { modelRunId: { in: runIds }, image: { split: "VALIDATION" } },
    _count: true,
  });
  const lacking = runIds.filter((id) => (have.find((h) => h.modelRunId === id)?._count ?? 0) < images);
  if (lacking.length === 0) return;
  log(`Computing Grad-CAM heat-maps for ${images} validation images × ${lacking.length} runs…`);
  await enqueueHeatmaps(parseHeatmapsRequest({ runIds: lacking, split: "VALIDATION" }));
  const target = images * runIds.length;
  for (;;) {
    const n = await db().heatmap.count({ where: { modelRunId: { in: runIds }, image: { split: "VALIDATION" } } });
    log(`  heat-maps ${bar(n / target)} ${n}/${target}\n`);
    if (n >= target) return;
    await new Promise((r) => setTimeout(r, 3000));
  }
}

async function ensureStudy(datasetId: string, runIds: string[], log: Log): Promise<string> {
  const coordinator = await db().user.findUniqueOrThrow({ where: { email: "coordinator@focus.demo" } });
  const existing = await db().study.findFirst({ where: { title: DEMO_STUDY, datasetId } });
  let studyId = existing?.id;
  if (!studyId) {
    log("Building the demo study (12 cases, 4 blinded arms)…");
    const draft = parseStudyDraft({
      title: DEMO_STUDY,
      instructions: "Synthetic dermoscopy images. Each heat-map shows where one model looked.",
      datasetId,
      modelRunIds: runIds,
      cases: { mode: "sample", size: 12, seed: 7 },
      settings: { showProbabilities: false },
    });
    const created = await createDraftStudy(draft, coordinator.id);
    studyId = created.id;
    await publishStudy(studyId, coordinator.id);
  }
  return studyId;
}

/**
 * The demo reader's invitation link. Links are single-use and a printed link is a live credential, so a link is
 * issued only when the invitation is created, or re-issued on request (`npm run demo -- --new-reader-link`);
 * otherwise null.
 */
export async function demoReaderLink(studyId: string, options: { reissue: boolean }): Promise<string | null> {
  const coordinator = await db().user.findUniqueOrThrow({ where: { email: "coordinator@focus.demo" } });
  const reader = await db().user.findUnique({ where: { email: DEMO_READER.email } });
  const invitation = reader
    ? await db().invitation.findUnique({ where: { studyId_readerId: { studyId, readerId: reader.id } } })
    : null;
  if (!invitation) return (await createInvitation(studyId, DEMO_READER, coordinator.id)).link;
  if (!options.reissue) return null;
  return (await reissueInvitation(invitation.id, coordinator.id)).link;
}

export async function buildDemoData(
  options: { newReaderLink: boolean },
  log: Log = (m) => process.stdout.write(`${m}\n`),
): Promise<{ readerLink: string | null }> {
  const dataset = await ensureDataset(log);
  const runIds = await ensureRuns(dataset.id, log);
  await ensureHeatmaps(dataset.id, runIds, log);
  const studyId = await ensureStudy(dataset.id, runIds, log);
  return { readerLink: await demoReaderLink(studyId, { reissue: options.newReaderLink }) };
}
