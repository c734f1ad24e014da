// "Preview as reader": the coordinator walks through their own study as a reader sees it. Nothing is stored: no
// slot order, no blind token, no response, no invitation. The pages are the reader's own components fed with a
// CaseView built here, and the pictures come from a coordinator-only route (the coordinator knows the models, so
// the trust boundary is the route's role and ownership check, exactly as for the results page).
// The preview's slot order comes from the study's design under a seed of its own, so it shows what the design
// does without being any real reader's grid; its cases are in the study's order.
import { db } from "../db/client";
import { DomainError } from "../errors/domain-error";
import { slotFromLetter, slotLetter, slotOrder } from "../blinding/slot-design";
import { readSettings } from "./study-settings";
import { NO_ANSWER, pageRules, type CaseView } from "./reader-survey";
import { questionOfType, readQuestions } from "./study-questions";

const PREVIEW_READER_INDEX = 0;

export const previewImageUrl = (studyId: string, caseNumber: number, slot: string) =>
  `/api/coordinator/studies/${studyId}/preview/${caseNumber}/${slot}`;

export const previewCaseBase = (studyId: string) => `/coordinator/studies/${studyId}/preview/case`;
export const previewCasePath = (studyId: string, caseNumber: number) => `${previewCaseBase(studyId)}/${caseNumber}`;

function previewOrder(designSeed: string, caseIndex: number, armCount: number): number[] {
  return slotOrder({ studySeed: `${designSeed}|preview`, readerIndex: PREVIEW_READER_INDEX, caseIndex, armCount });
}

async function previewStudy(studyId: string) {
  const study = await db().study.findUnique({
    where: { id: studyId },
    select: {
      id: true,
      title: true,
      question: true,
      instructions: true,
      settings: true,
      questions: true,
      designSeed: true,
      arms: { orderBy: { armIndex: "asc" }, select: { modelRunId: true } },
      _count: { select: { cases: true } },
    },
  });
  if (!study) throw DomainError.notFound("No such study.");
  return study;
}

async function caseAt(studyId: string, caseNumber: number) {
  const studyCase =
    Number.isInteger(caseNumber) && caseNumber >= 1 && caseNumber <= 1_000_000
      ? await db().studyCase.findUnique({
          where: { studyId_caseIndex: { studyId, caseIndex: caseNumber - 1 } },
          select: {
            caseIndex: true,
            imageId: true,
            image: { select: { fileKey: true, displayKey: true, label: true } },
          },
        })
      : null;
  if (!studyCase) throw DomainError.notFound("No such case in this study.");
  return studyCase;
}

/** The reader's view of case `caseNumber` (the study's order), as a new reader would first see it. */
export async function previewCase(studyId: string, caseNumber: number): Promise<CaseView> {
  const study = await previewStudy(studyId);
  const studyCase = await caseAt(studyId, caseNumber);
  const settings = readSettings(study.settings);
  const questions = readQuestions(study);
  const order = previewOrder(study.designSeed, studyCase.caseIndex, study.arms.length);
  const heatmaps = await db().heatmap.findMany({
    where: { imageId: studyCase.imageId, modelRunId: { in: study.arms.map((a) => a.modelRunId) } },
    select: { modelRunId: true, probability: true, camKey: true },
  });
  // As for readers (reader-survey.ts): raw maps drawn in the browser when every slot has one.
  const mapFormat =
    heatmaps.length === study.arms.length && heatmaps.every((h) => h.camKey !== null)
      ? ("cam" as const)
      : ("overlay" as const);
  const probabilityOfRun = new Map(heatmaps.map((h) => [h.modelRunId, h.probability]));
  const classNames = settings.showProbabilities
    ? (await db().image.findUniqueOrThrow({ where: { id: studyCase.imageId }, select: { dataset: true } })).dataset
        .classNames
    : [];
  return {
    studyId,
    studyTitle: study.title,
    question: questionOfType(questions, "best_map")?.wording ?? "",
    questions,
    instructions: study.instructions,
    status: "OPEN",
    caseNumber,
    total: study._count.cases,
    answered: 0,
    imageUrl: previewImageUrl(studyId, caseNumber, "original"),
    mapFormat,
    colourMap: settings.colourMap,
    slots: order.map((armIndex, slot) => {
      const p = probabilityOfRun.get(study.arms[armIndex].modelRunId);
      const url = previewImageUrl(studyId, caseNumber, slotLetter(slot));
      return {
        letter: slotLetter(slot),
        url,
        camUrl: mapFormat === "cam" ? `${url}/cam` : null,
        probabilityPercent: settings.showProbabilities && p !== undefined ? Math.round(p * 100) : null,
      };
    }),
    probabilityClass: settings.showProbabilities
      ? (classNames[studyCase.image.label] ?? `class ${studyCase.image.label}`)
      : null,
    settings: pageRules(settings, questions),
    saved: { ...NO_ANSWER, submitted: false, fromDraft: false },
    answer: null,
  };
}

/**
 * The storage key of the file in a preview slot ("original": its display copy, or the model-size copy; a letter:
 * the slot's overlay PNG, or with "cam" its raw class-activation map), or a not-found.
 */
export async function previewImageKey(
  studyId: string,
  caseNumber: number,
  slot: string,
  payload: "picture" | "cam" = "picture",
): Promise<string> {
  const study = await previewStudy(studyId);
  const studyCase = await caseAt(studyId, caseNumber);
  if (slot === "original") {
    if (payload === "cam") throw DomainError.notFound("The original has no map.");
    return studyCase.image.displayKey ?? studyCase.image.fileKey;
  }
  const index = slotFromLetter(slot, study.arms.length);
  if (index === null) throw DomainError.notFound("No such slot.");
  const armIndex = previewOrder(study.designSeed, studyCase.caseIndex, study.arms.length)[index];
  const heatmap = await db().heatmap.findUnique({
    where: { modelRunId_imageId: { modelRunId: study.arms[armIndex].modelRunId, imageId: studyCase.imageId } },
    select: { overlayKey: true, camKey: true },
  });
  if (!heatmap) throw DomainError.notFound("This case has no heat-map for that slot.");
  if (payload === "picture") return heatmap.overlayKey;
  if (!heatmap.camKey) throw DomainError.notFound("This heat-map has no raw map.");
  return heatmap.camKey;
}
