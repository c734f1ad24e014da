// Building a study: a draft names a dataset, 2-6 model runs as arms and the cases; publishing locks arms and
// cases and opens the study to invited readers. Every check runs before anything is written, so bad input
// leaves the database untouched. Commands take typed inputs (study-schemas.ts parses at the edge).
import { randomBytes } from "node:crypto";
import { db } from "../db/client";
import { DomainError, isDomainError, type FieldError } from "../errors/domain-error";
import { recordAudit } from "../audit/audit";
import { MAX_ARMS, MIN_ARMS } from "../blinding/slot-design";
import type { StudySettings } from "./study-settings";
import { defaultQuestions, questionOfType, type StudyQuestion } from "./study-questions";
import { sampleCases, type StratumAllocation } from "./case-sampling";
import type { StudyDraftInput } from "./study-schemas";
import { assertNotArchived } from "./study-access";
import { candidateCases, missingHeatmaps, runLabel, type MissingHeatmap } from "./study-queries";

/** What an "invalid" study error carries besides its fields: exactly which (run, image) lack a heat-map. */
export interface StudyInputDetails {
  missing: MissingHeatmap[];
}

/** An invalid draft that names fields (for the form) and, when heat-maps are missing, which ones. */
function studyInputError(
  message: string,
  fields: Record<string, string> = {},
  missing: MissingHeatmap[] = [],
): DomainError {
  const fieldErrors: FieldError[] = Object.entries(fields).map(([field, msg]) => ({ field, message: msg }));
  const details: StudyInputDetails = { missing };
  return DomainError.invalid(message, fieldErrors, details);
}

/** The missing heat-maps an "invalid" study error names, or none. */
export function missingHeatmapsOf(e: DomainError): MissingHeatmap[] {
  const details = e.details as Partial<StudyInputDetails> | undefined;
  return Array.isArray(details?.missing) ? details.missing : [];
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
    else if (run.status !== "SUCCEEDED")
      problems.push(`${runLabel(run)} has not finished training (${run.status.toLowerCase()})`);
  }
  if (problems.length) throw studyInputError(`Arms: ${problems.join("; ")}.`, { modelRunIds: problems.join("; ") });
}

function missingMessage(missing: readonly MissingHeatmap[]): string {
  const shown = missing
    .slice(0, 5)
    .map((m) => `${m.runLabel} on ${m.imageName}`)
    .join("; ");
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
        const detail =
          candidates.length === 0
            ? "No image has a heat-map from every chosen run; generate heat-maps first."
            : `${e.message} (images with a heat-map from every chosen run)`;
        throw studyInputError(`Cases: ${detail}`, { "cases.size": detail });
      }
      throw e;
    }
  } else {
    imageIds = data.cases.imageIds;
    const images = await db().image.findMany({
      where: { id: { in: imageIds } },
      select: { id: true, datasetId: true },
    });
    const inDataset = new Set(images.filter((i) => i.datasetId === data.datasetId).map((i) => i.id));
    const foreign = imageIds.filter((id) => !inDataset.has(id));
    if (foreign.length) {
      throw studyInputError(`Cases: ${foreign.length} picked image(s) are not in this dataset.`, {
        "cases.imageIds": `Not in this dataset: ${foreign.slice(0, 5).join(", ")}`,
      });
    }
  }
  const missing = await missingHeatmaps(data.modelRunIds, imageIds);
  if (missing.length) throw studyInputError(missingMessage(missing), { cases: missingMessage(missing) }, missing);
  checkRepeatedCases(data.settings, imageIds.length);

  const questions = data.questions ?? defaultQuestions(data.question);
  const study = await db().study.create({
    data: {
      title: data.title,
      instructions: data.instructions,
      question: questionOfType(questions, "best_map")?.wording ?? data.question,
      questions,
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
    selection:
      data.cases.mode === "sample"
        ? { mode: "sample", size: data.cases.size, seed: data.cases.seed }
        : { mode: "pick" },
  });
  return { id: study.id, strata };
}

/** A study repeats at most each of its cases once; the settings schema cannot know the case count. */
function checkRepeatedCases(settings: StudySettings, caseCount: number) {
  if (settings.repeatedCases > caseCount) {
    const message = `Repeated cases must be at most the number of cases (${caseCount})`;
    throw studyInputError(`${message}.`, { repeatedCases: message });
  }
}

export async function updateStudySettings(
  studyId: string,
  settings: StudySettings,
  actorId: string,
): Promise<StudySettings> {
  const study = await db().study.findUnique({
    where: { id: studyId },
    select: { status: true, _count: { select: { cases: true } } },
  });
  if (!study) throw DomainError.notFound("No such study.");
  await assertNotArchived(db(), studyId);
  // Readers must answer under the rules they started with.
  if (study.status !== "DRAFT") throw DomainError.conflict("Settings can only be changed while the study is a draft.");
  checkRepeatedCases(settings, study._count.cases);
  await db().study.update({ where: { id: studyId }, data: { settings } });
  await recordAudit(actorId, "study.settings", studyId, settings);
  return settings;
}

/** Replaces a draft's questions; `question` keeps the best-map wording, which the report and older exports name. */
export async function updateStudyQuestions(
  studyId: string,
  questions: StudyQuestion[],
  actorId: string,
): Promise<StudyQuestion[]> {
  const study = await db().study.findUnique({ where: { id: studyId }, select: { status: true, question: true } });
  if (!study) throw DomainError.notFound("No such study.");
  // Answers are stored by question: once readers answer, the questions stay as they were asked.
  if (study.status !== "DRAFT") throw DomainError.conflict("Questions can only be changed while the study is a draft.");
  await db().$transaction(async (tx) => {
    const { count } = await tx.study.updateMany({
      where: { id: studyId, status: "DRAFT" },
      data: { questions, question: questionOfType(questions, "best_map")?.wording ?? study.question },
    });
    if (count === 0) throw DomainError.conflict("The study was published meanwhile; its questions stay as they were.");
    await recordAudit(actorId, "study.questions", studyId, { questions }, tx);
  });
  return questions;
}

/** Locks arms and cases and opens the study; refuses when any arm lacks a heat-map for any case. */
export async function publishStudy(studyId: string, actorId: string) {
  const study = await db().study.findUnique({
    where: { id: studyId },
    select: {
      status: true,
      arms: { select: { modelRunId: true }, orderBy: { armIndex: "asc" } },
      cases: { select: { imageId: true }, orderBy: { caseIndex: "asc" } },
    },
  });
  if (!study) throw DomainError.notFound("No such study.");
  await assertNotArchived(db(), studyId);
  if (study.status !== "DRAFT") throw DomainError.conflict(`The study is already ${study.status.toLowerCase()}.`);
  if (study.arms.length < MIN_ARMS || study.arms.length > MAX_ARMS)
    throw studyInputError(`A study needs ${MIN_ARMS} to ${MAX_ARMS} arms; it has ${study.arms.length}.`);
  if (study.cases.length === 0) throw studyInputError("A study needs at least one case.");
  const missing = await missingHeatmaps(
    study.arms.map((a) => a.modelRunId),
    study.cases.map((c) => c.imageId),
  );
  if (missing.length) throw studyInputError(`Cannot publish: ${missingMessage(missing)}`, {}, missing);
  // Conditional update: two publish clicks cannot both succeed.
  const { count } = await db().study.updateMany({
    where: { id: studyId, status: "DRAFT" },
    data: { status: "OPEN", publishedAt: new Date() },
  });
  if (count === 0) throw DomainError.conflict("The study was published meanwhile.");
  await recordAudit(actorId, "study.publish", studyId, { arms: study.arms.length, cases: study.cases.length });
}

export async function closeStudy(studyId: string, actorId: string) {
  const { count } = await db().study.updateMany({
    where: { id: studyId, status: "OPEN" },
    data: { status: "CLOSED", closedAt: new Date() },
  });
  if (count === 0) {
    const study = await db().study.findUnique({ where: { id: studyId }, select: { status: true } });
    if (!study) throw DomainError.notFound("No such study.");
    throw DomainError.conflict(
      study.status === "DRAFT" ? "A draft cannot be closed; publish it first." : "The study is already closed.",
    );
  }
  await recordAudit(actorId, "study.close", studyId);
}

/** A draft can be thrown away; published studies hold answers and stay. */
export async function deleteDraftStudy(studyId: string, actorId: string) {
  await assertNotArchived(db(), studyId);
  const { count } = await db().study.deleteMany({ where: { id: studyId, status: "DRAFT" } });
  if (count === 0) throw DomainError.conflict("Only a draft study can be deleted.");
  await recordAudit(actorId, "study.delete", studyId);
}
