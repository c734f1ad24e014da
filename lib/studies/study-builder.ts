// Building a study: a draft names a dataset, 2-6 model runs as arms and the cases; publishing
// locks arms and cases and opens the study to invited readers. Every check runs before anything is written,
// so bad input leaves the database untouched.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { text as textSchema } from "../validation/text";
import { db } from "../db/client";
import { DomainError, isDomainError, type FieldError } from "../errors/domain-error";
import { parseInput } from "../errors/field-errors";
import type { SessionUser } from "../auth/session";
import { recordAudit } from "../audit/audit";
import { MAX_ARMS, MIN_ARMS } from "../blinding/slot-design";
import { DEFAULT_QUESTION, studySettingsSchema, type StudySettings } from "./study-settings";
import { sampleCases, type CandidateCase, type StratumAllocation } from "./case-sampling";

export const MAX_CASES = 500;

const idSchema = textSchema().trim().min(1).max(64);

export const caseSelectionSchema = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("sample"),
    size: z.coerce.number({ error: "Sample size must be a number" }).int("Sample size must be a whole number").min(1, "Sample size must be at least 1").max(MAX_CASES, `Sample size must be at most ${MAX_CASES}`),
    seed: z.coerce.number({ error: "Seed must be a number" }).int("Seed must be a whole number").min(0, "Seed must be 0 or more").max(2 ** 31 - 1, "Seed is too large"),
  }),
  z.object({
    mode: z.literal("pick"),
    imageIds: z.array(idSchema).min(1, "Pick at least one case").max(MAX_CASES, `Pick at most ${MAX_CASES} cases`)
      .refine((ids) => new Set(ids).size === ids.length, "A case is picked twice"),
  }),
], { error: "Choose how cases are selected: sample or pick" });

export const studyDraftSchema = z.object({
  title: textSchema().trim().min(1, "Title is required").max(200, "Title must be at most 200 characters"),
  instructions: textSchema().trim().max(5000, "Instructions must be at most 5000 characters").default(""),
  question: textSchema().trim().max(500, "Question must be at most 500 characters").default(DEFAULT_QUESTION)
    .transform((q) => (q === "" ? DEFAULT_QUESTION : q)),
  datasetId: textSchema().trim().min(1, "Choose a dataset").max(64),
  modelRunIds: z.array(idSchema)
    .min(MIN_ARMS, `Choose at least ${MIN_ARMS} model runs as arms`)
    .max(MAX_ARMS, `Choose at most ${MAX_ARMS} model runs as arms`)
    .refine((ids) => new Set(ids).size === ids.length, "A model run is chosen twice"),
  cases: caseSelectionSchema,
  settings: studySettingsSchema,
});

/** A draft as the domain takes it: parsed once at the edge (parseStudyDraft), defaults filled. */
export type StudyDraftInput = z.output<typeof studyDraftSchema>;

export function parseStudyDraft(raw: unknown): StudyDraftInput {
  return parseInput(studyDraftSchema, raw, "Fix the highlighted fields; nothing was saved.");
}

export function parseStudySettings(raw: unknown): StudySettings {
  return parseInput(studySettingsSchema, raw, "Fix the highlighted settings; nothing was saved.");
}

export interface MissingHeatmap {
  modelRunId: string;
  runLabel: string;
  imageId: string;
  imageName: string;
}

/** What an "invalid" study error carries besides its fields: exactly which (run, image) lack a heat-map. */
export interface StudyInputDetails {
  missing: MissingHeatmap[];
}

/** An invalid draft that names fields (for the form) and, when heat-maps are missing, which ones. */
function studyInputError(message: string, fields: Record<string, string> = {}, missing: MissingHeatmap[] = []): DomainError {
  const fieldErrors: FieldError[] = Object.entries(fields).map(([field, msg]) => ({ field, message: msg }));
  const details: StudyInputDetails = { missing };
  return DomainError.invalid(message, fieldErrors, details);
}

/** The missing heat-maps an "invalid" study error names, or none. */
export function missingHeatmapsOf(e: DomainError): MissingHeatmap[] {
  const details = e.details as Partial<StudyInputDetails> | undefined;
  return Array.isArray(details?.missing) ? details.missing : [];
}

const bool = (form: FormData, name: string) => form.get(name) === "on" || form.get(name) === "true";
const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};

/** The settings part of a form (checkboxes are absent when unticked). */
export function settingsFromForm(form: FormData): Record<string, unknown> {
  const specialty = text(form, "targetSpecialty");
  return {
    showProbabilities: bool(form, "showProbabilities"),
    rationaleRequired: bool(form, "rationaleRequired"),
    rationaleMin: Number(text(form, "rationaleMin") ?? 0),
    rationaleMax: Number(text(form, "rationaleMax") ?? 1000),
    allowRevisit: bool(form, "allowRevisit"),
    confidenceEnabled: bool(form, "confidenceEnabled"),
    targetSpecialty: specialty ? specialty : null,
  };
}

/** Maps the study form's fields to the draft schema's shape; validation happens in createDraftStudy. */
export function draftInputFromForm(form: FormData): Record<string, unknown> {
  const mode = text(form, "caseMode");
  return {
    title: text(form, "title") ?? "",
    instructions: text(form, "instructions") ?? "",
    question: text(form, "question") ?? "",
    datasetId: text(form, "datasetId") ?? "",
    modelRunIds: form.getAll("modelRunId").map(String),
    cases: mode === "pick"
      ? { mode, imageIds: form.getAll("imageId").map(String) }
      : { mode, size: text(form, "sampleSize") ?? "", seed: text(form, "sampleSeed") ?? "" },
    settings: settingsFromForm(form),
  };
}

export function runLabel(run: { variant: string; seed: number; id: string }): string {
  return `${run.variant.toLowerCase()} (seed ${run.seed}, run ${run.id.slice(-6)})`;
}

/** Finished runs trained on the dataset, the ones marked ready for a study first. */
export async function eligibleRuns(datasetId: string) {
  const runs = await db().modelRun.findMany({
    where: { status: "SUCCEEDED", job: { datasetId } },
    select: { id: true, variant: true, seed: true, valAuc: true, readyForStudy: true, finishedAt: true, _count: { select: { heatmaps: true } } },
  });
  return runs
    .sort((a, b) => Number(b.readyForStudy) - Number(a.readyForStudy) || a.variant.localeCompare(b.variant) || a.seed - b.seed || a.id.localeCompare(b.id))
    .map((r) => ({ ...r, heatmapCount: r._count.heatmaps, label: runLabel(r) }));
}

/** Images of the dataset that have a heat-map from at least one finished run: what a gallery can offer. */
export async function galleryImages(datasetId: string, limit = 400) {
  return db().image.findMany({
    where: { datasetId, heatmaps: { some: { modelRun: { status: "SUCCEEDED" } } } },
    orderBy: [{ label: "asc" }, { originalName: "asc" }],
    take: limit,
    select: { id: true, label: true, originalName: true, split: true },
  });
}

/** For each (run, image) pair without a heat-map, one entry, in image then run order. */
export async function missingHeatmaps(modelRunIds: readonly string[], imageIds: readonly string[]): Promise<MissingHeatmap[]> {
  if (modelRunIds.length === 0 || imageIds.length === 0) return [];
  const [have, runs, images] = await Promise.all([
    db().heatmap.findMany({ where: { modelRunId: { in: [...modelRunIds] }, imageId: { in: [...imageIds] } }, select: { modelRunId: true, imageId: true } }),
    db().modelRun.findMany({ where: { id: { in: [...modelRunIds] } }, select: { id: true, variant: true, seed: true } }),
    db().image.findMany({ where: { id: { in: [...imageIds] } }, select: { id: true, originalName: true } }),
  ]);
  const present = new Set(have.map((h) => `${h.modelRunId}|${h.imageId}`));
  const runById = new Map(runs.map((r) => [r.id, r]));
  const nameById = new Map(images.map((i) => [i.id, i.originalName]));
  const out: MissingHeatmap[] = [];
  for (const imageId of imageIds) {
    for (const modelRunId of modelRunIds) {
      if (present.has(`${modelRunId}|${imageId}`)) continue;
      const run = runById.get(modelRunId);
      out.push({ modelRunId, runLabel: run ? runLabel(run) : modelRunId, imageId, imageName: nameById.get(imageId) ?? imageId });
    }
  }
  return out;
}

/**
 * Sampling candidates: images with a heat-map from every arm, with how many arms classified them correctly.
 * Images that some but not all arms cover are reported, not sampled.
 */
export async function candidateCases(datasetId: string, modelRunIds: readonly string[]) {
  const heatmaps = await db().heatmap.findMany({
    where: { modelRunId: { in: [...modelRunIds] }, image: { datasetId } },
    select: { imageId: true, predictedClass: true, image: { select: { label: true } } },
  });
  const byImage = new Map<string, { label: number; runs: number; correct: number }>();
  for (const h of heatmaps) {
    const e = byImage.get(h.imageId) ?? { label: h.image.label, runs: 0, correct: 0 };
    e.runs++;
    if (h.predictedClass === h.image.label) e.correct++;
    byImage.set(h.imageId, e);
  }
  const candidates: CandidateCase[] = [];
  const incompleteImageIds: string[] = [];
  for (const [imageId, e] of byImage) {
    if (e.runs === modelRunIds.length) candidates.push({ imageId, label: e.label, armsCorrect: e.correct, armCount: modelRunIds.length });
    else incompleteImageIds.push(imageId);
  }
  return { candidates, incompleteImageIds: incompleteImageIds.sort() };
}

async function checkRuns(datasetId: string, modelRunIds: readonly string[]) {
  const runs = await db().modelRun.findMany({
    where: { id: { in: [...modelRunIds] } },
    select: { id: true, status: true, variant: true, seed: true, job: { select: { datasetId: true } } },
  });
  const byId = new Map(runs.map((r) => [r.id, r]));
  const problems: string[] = [];
  for (const id of modelRunIds) {
    const run = byId.get(id);
    if (!run) problems.push(`model run ${id} does not exist`);
    else if (run.job.datasetId !== datasetId) problems.push(`${runLabel(run)} was trained on another dataset`);
    else if (run.status !== "SUCCEEDED") problems.push(`${runLabel(run)} has not finished training (${run.status.toLowerCase()})`);
  }
  if (problems.length) throw studyInputError(`Arms: ${problems.join("; ")}.`, { modelRunIds: problems.join("; ") });
}

function missingMessage(missing: readonly MissingHeatmap[]): string {
  const shown = missing.slice(0, 5).map((m) => `${m.runLabel} on ${m.imageName}`).join("; ");
  return `${missing.length} heat-map${missing.length === 1 ? " is" : "s are"} missing: ${shown}${missing.length > 5 ? "; …" : ""}.`;
}

export interface CreatedStudy {
  id: string;
  strata: StratumAllocation[] | null;
}

/** Validates everything, then writes the study, its arms and its cases in one transaction. */
export async function createDraftStudy(data: StudyDraftInput, ownerId: string): Promise<CreatedStudy> {
  const dataset = await db().dataset.findUnique({ where: { id: data.datasetId }, select: { id: true } });
  if (!dataset) throw studyInputError("The dataset does not exist.", { datasetId: "Choose an existing dataset" });
  await checkRuns(data.datasetId, data.modelRunIds);

  let imageIds: string[];
  let strata: StratumAllocation[] | null = null;
  if (data.cases.mode === "sample") {
    const { candidates } = await candidateCases(data.datasetId, data.modelRunIds);
    try {
      const sample = sampleCases(candidates, { size: data.cases.size, seed: data.cases.seed });
      imageIds = sample.imageIds;
      strata = sample.strata;
    } catch (e) {
      if (isDomainError(e, "invalid")) {
        const detail = candidates.length === 0
          ? "No image has a heat-map from every chosen run; generate heat-maps first."
          : `${e.message} (images with a heat-map from every chosen run)`;
        throw studyInputError(`Cases: ${detail}`, { "cases.size": detail });
      }
      throw e;
    }
  } else {
    imageIds = data.cases.imageIds;
    const images = await db().image.findMany({ where: { id: { in: imageIds } }, select: { id: true, datasetId: true } });
    const inDataset = new Set(images.filter((i) => i.datasetId === data.datasetId).map((i) => i.id));
    const foreign = imageIds.filter((id) => !inDataset.has(id));
    if (foreign.length) {
      throw studyInputError(`Cases: ${foreign.length} picked image(s) are not in this dataset.`, { "cases.imageIds": `Not in this dataset: ${foreign.slice(0, 5).join(", ")}` });
    }
  }
  const missing = await missingHeatmaps(data.modelRunIds, imageIds);
  if (missing.length) throw studyInputError(missingMessage(missing), { cases: missingMessage(missing) }, missing);

  const study = await db().study.create({
    data: {
      title: data.title,
      instructions: data.instructions,
      question: data.question,
      datasetId: data.datasetId,
      settings: data.settings,
      designSeed: randomBytes(32).toString("hex"),
      ownerId,
      arms: { create: data.modelRunIds.map((modelRunId, armIndex) => ({ modelRunId, armIndex })) },
      cases: { create: imageIds.map((imageId, caseIndex) => ({ imageId, caseIndex })) },
    },
    select: { id: true },
  });
  await recordAudit(ownerId, "study.create", study.id, {
    arms: data.modelRunIds.length,
    cases: imageIds.length,
    selection: data.cases.mode === "sample" ? { mode: "sample", size: data.cases.size, seed: data.cases.seed } : { mode: "pick" },
  });
  return { id: study.id, strata };
}

/** The study if the user may manage it: its owner, or any admin. Others get the same 404 as a missing id. */
export async function manageableStudy(user: Pick<SessionUser, "id" | "role">, studyId: string) {
  const study = await db().study.findUnique({ where: { id: studyId } });
  if (!study || (user.role !== "ADMIN" && study.ownerId !== user.id)) throw DomainError.notFound("No such study.");
  return study;
}

export async function updateStudySettings(studyId: string, settings: StudySettings, actorId: string): Promise<StudySettings> {
  const study = await db().study.findUnique({ where: { id: studyId }, select: { status: true } });
  if (!study) throw DomainError.notFound("No such study.");
  // Readers must answer under the rules they started with.
  if (study.status !== "DRAFT") throw DomainError.conflict("Settings can only be changed while the study is a draft.");
  await db().study.update({ where: { id: studyId }, data: { settings } });
  await recordAudit(actorId, "study.settings", studyId, settings);
  return settings;
}

/** Locks arms and cases and opens the study; refuses when any arm lacks a heat-map for any case. */
export async function publishStudy(studyId: string, actorId: string) {
  const study = await db().study.findUnique({
    where: { id: studyId },
    select: { status: true, arms: { select: { modelRunId: true }, orderBy: { armIndex: "asc" } }, cases: { select: { imageId: true }, orderBy: { caseIndex: "asc" } } },
  });
  if (!study) throw DomainError.notFound("No such study.");
  if (study.status !== "DRAFT") throw DomainError.conflict(`The study is already ${study.status.toLowerCase()}.`);
  if (study.arms.length < MIN_ARMS || study.arms.length > MAX_ARMS) throw studyInputError(`A study needs ${MIN_ARMS} to ${MAX_ARMS} arms; it has ${study.arms.length}.`);
  if (study.cases.length === 0) throw studyInputError("A study needs at least one case.");
  const missing = await missingHeatmaps(study.arms.map((a) => a.modelRunId), study.cases.map((c) => c.imageId));
  if (missing.length) throw studyInputError(`Cannot publish: ${missingMessage(missing)}`, {}, missing);
  // Conditional update: two publish clicks cannot both succeed.
  const { count } = await db().study.updateMany({ where: { id: studyId, status: "DRAFT" }, data: { status: "OPEN", publishedAt: new Date() } });
  if (count === 0) throw DomainError.conflict("The study was published meanwhile.");
  await recordAudit(actorId, "study.publish", studyId, { arms: study.arms.length, cases: study.cases.length });
}

export async function closeStudy(studyId: string, actorId: string) {
  const { count } = await db().study.updateMany({ where: { id: studyId, status: "OPEN" }, data: { status: "CLOSED", closedAt: new Date() } });
  if (count === 0) {
    const study = await db().study.findUnique({ where: { id: studyId }, select: { status: true } });
    if (!study) throw DomainError.notFound("No such study.");
    throw DomainError.conflict(study.status === "DRAFT" ? "A draft cannot be closed; publish it first." : "The study is already closed.");
  }
  await recordAudit(actorId, "study.close", studyId);
}

/** A draft can be thrown away; published studies hold answers and stay. */
export async function deleteDraftStudy(studyId: string, actorId: string) {
  const { count } = await db().study.deleteMany({ where: { id: studyId, status: "DRAFT" } });
  if (count === 0) throw DomainError.conflict("Only a draft study can be deleted.");
  await recordAudit(actorId, "study.delete", studyId);
}
